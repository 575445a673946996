"""The read side of channel data for other domains (alert rules, KPIs, dashboards): sums of
the base counts over a window, grouped by organisation, channel, campaign or project, in one
statement each. Days come from the daily rollup; hours from the hourly records.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Table, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.channels.benchmarks import DEFAULT_INDUSTRY, INDUSTRIES, shipped_grid
from mems.channels.models import (
    AdCampaign,
    Benchmark,
    Channel,
    ChannelKind,
    MetricChannelDaily,
    MetricDaily,
    MetricRecord,
)
from mems.identity import service as identity

SUMMED = ("impressions", "clicks", "conversions", "leads", "followers", "spend", "revenue")
_DAILY = cast(Table, MetricDaily.__table__)
_RECORDS = cast(Table, MetricRecord.__table__)
ORG_KEY = "org"
# Beyond this many campaigns the hour windows do not name them (a statement's parameters are
# limited): the organisation's records from the first day on are read instead.
MAX_NAMED_CAMPAIGNS = 5000


class Grouping(StrEnum):
    ORG = "org"
    CHANNEL = "channel"
    CAMPAIGN = "campaign"
    PROJECT = "project"


Sums = dict[str, Decimal]


def _sums(row: Any) -> Sums:
    return {name: Decimal(getattr(row, name) or 0) for name in SUMMED}


def _group_column(grouping: Grouping, table: Table) -> Any:
    if grouping == Grouping.CHANNEL:
        return AdCampaign.channel_id
    if grouping == Grouping.CAMPAIGN:
        return table.c.campaign_id
    if grouping == Grouping.PROJECT:
        return AdCampaign.project_id
    return None


async def _grouped(
    session: AsyncSession, table: Table, grouping: Grouping, where: list[Any]
) -> dict[str, Sums]:
    group = _group_column(grouping, table)
    columns = [func.sum(table.c[name]).label(name) for name in SUMMED]
    stmt = select(*([group.label("key")] if group is not None else []), *columns).select_from(table)
    if grouping in (Grouping.CHANNEL, Grouping.PROJECT):
        stmt = stmt.join(AdCampaign, AdCampaign.id == table.c.campaign_id)
    if grouping == Grouping.PROJECT:
        where = [*where, AdCampaign.project_id.is_not(None)]
    stmt = stmt.where(*where)
    if group is not None:
        stmt = stmt.group_by(group)
    out: dict[str, Sums] = {}
    for row in (await session.execute(stmt)).all():
        key = str(row.key) if group is not None else ORG_KEY
        if group is None and row.impressions is None and row.spend is None:
            continue  # no data at all in the window
        out[key] = _sums(row)
    return out


async def day_sums(
    session: AsyncSession, org_id: uuid.UUID, grouping: Grouping, first: date, last: date
) -> dict[str, Sums]:
    """Sums from `first` to `last` (both included), by the grouping's key (an id as text, or
    `org`); groups without data are absent."""
    where = [_DAILY.c.org_id == org_id, _DAILY.c.day >= first, _DAILY.c.day <= last]
    return await _grouped(session, _DAILY, grouping, where)


async def hour_sums(
    session: AsyncSession,
    org_id: uuid.UUID,
    grouping: Grouping,
    since: date,
    since_hour: int,
    campaign_ids: Collection[uuid.UUID],
) -> dict[str, Sums]:
    """Sums of the hourly records of `campaign_ids` (the organisation's campaigns) from hour
    `since_hour` of day `since` on. Naming the campaigns and the first day lets the
    (campaign, day) index find the window's rows instead of reading every record."""
    if not campaign_ids:
        return {}
    r = _RECORDS.c
    where = [
        r.org_id == org_id,
        r.day >= since,
        r.hour >= 0,
        or_(r.day > since, r.hour >= since_hour),
    ]
    if len(campaign_ids) <= MAX_NAMED_CAMPAIGNS:
        where.append(r.campaign_id.in_(list(campaign_ids)))
    return await _grouped(session, _RECORDS, grouping, where)


@dataclass(frozen=True)
class CampaignFact:
    name: str
    channel_id: uuid.UUID
    project_id: uuid.UUID | None


@dataclass(frozen=True)
class ChannelFact:
    name: str
    kind: ChannelKind


async def campaign_facts(session: AsyncSession, org_id: uuid.UUID) -> dict[str, CampaignFact]:
    rows = await session.execute(
        select(AdCampaign.id, AdCampaign.name, AdCampaign.channel_id, AdCampaign.project_id).where(
            AdCampaign.org_id == org_id
        )
    )
    return {str(r.id): CampaignFact(r.name, r.channel_id, r.project_id) for r in rows.all()}


async def channel_facts(session: AsyncSession, org_id: uuid.UUID) -> dict[str, ChannelFact]:
    rows = await session.execute(
        select(Channel.id, Channel.name, Channel.kind).where(Channel.org_id == org_id)
    )
    return {str(r.id): ChannelFact(r.name, ChannelKind(r.kind)) for r in rows.all()}


INDUSTRY_SETTING = "channels.industry"


async def benchmark_overrides(
    session: AsyncSession, org_id: uuid.UUID, industry: str
) -> dict[tuple[ChannelKind, str], Decimal]:
    rows = await session.execute(
        select(Benchmark.channel_kind, Benchmark.metric, Benchmark.value).where(
            Benchmark.org_id == org_id, Benchmark.industry == industry
        )
    )
    return {(ChannelKind(r.channel_kind), r.metric): r.value for r in rows.all()}


async def org_industry(session: AsyncSession, org_id: uuid.UUID) -> str:
    value, _revision = await identity.org_setting(session, org_id, INDUSTRY_SETTING)
    return value if isinstance(value, str) and value in INDUSTRIES else DEFAULT_INDUSTRY


async def benchmark_grid(
    session: AsyncSession, org_id: uuid.UUID, industry: str | None = None
) -> dict[tuple[ChannelKind, str], Decimal]:
    """The benchmarks in force for the organisation's industry (or `industry`): the shipped
    grid with the organisation's own values over it."""
    chosen = industry or await org_industry(session, org_id)
    return {**shipped_grid(chosen), **await benchmark_overrides(session, org_id, chosen)}


@dataclass(frozen=True)
class SpendingCampaign:
    id: uuid.UUID
    name: str
    project_id: uuid.UUID | None
    sync_spend: bool


async def spending_campaigns(
    session: AsyncSession, org_id: uuid.UUID, campaign_ids: set[uuid.UUID]
) -> list[SpendingCampaign]:
    """The campaigns' names and whether their spend posts to a project (for finance)."""
    rows = await session.execute(
        select(AdCampaign.id, AdCampaign.name, AdCampaign.project_id, AdCampaign.sync_spend).where(
            AdCampaign.org_id == org_id, AdCampaign.id.in_(campaign_ids)
        )
    )
    return [SpendingCampaign(r.id, r.name, r.project_id, r.sync_spend) for r in rows.all()]


async def daily_spend(
    session: AsyncSession, org_id: uuid.UUID, campaign_id: uuid.UUID
) -> dict[date, Decimal]:
    """A campaign's spend by day (days with spend only)."""
    rows = await session.execute(
        select(_DAILY.c.day, _DAILY.c.spend).where(
            _DAILY.c.org_id == org_id, _DAILY.c.campaign_id == campaign_id, _DAILY.c.spend > 0
        )
    )
    return {r.day: Decimal(r.spend) for r in rows.all()}


_CHANNEL_DAILY = cast(Table, MetricChannelDaily.__table__)


async def channel_days(
    session: AsyncSession,
    org_id: uuid.UUID,
    first: date,
    last: date,
    *,
    channel_id: uuid.UUID | None = None,
    project_id: uuid.UUID | None = None,
) -> list[tuple[uuid.UUID, date, Sums]]:
    """Sums per channel and day: from the channel-day rollup, or, for one project's campaigns,
    from the campaign-day rollup (one statement either way)."""
    if project_id is None:
        t = _CHANNEL_DAILY.c
        stmt = select(t.channel_id, t.day, *(t[n] for n in SUMMED)).where(
            t.org_id == org_id, t.day >= first, t.day <= last
        )
        if channel_id is not None:
            stmt = stmt.where(t.channel_id == channel_id)
    else:
        d = _DAILY.c
        stmt = (
            select(d.channel_id, d.day, *(func.sum(d[n]).label(n) for n in SUMMED))
            .join(AdCampaign, AdCampaign.id == d.campaign_id)
            .where(
                d.org_id == org_id,
                d.day >= first,
                d.day <= last,
                AdCampaign.project_id == project_id,
            )
            .group_by(d.channel_id, d.day)
        )
        if channel_id is not None:
            stmt = stmt.where(d.channel_id == channel_id)
    rows = (await session.execute(stmt)).all()
    return [(r.channel_id, r.day, _sums(r)) for r in rows]


@dataclass(frozen=True)
class CampaignTotal:
    id: uuid.UUID
    name: str
    channel_id: uuid.UUID
    project_id: uuid.UUID | None
    sums: Sums


async def campaign_totals(
    session: AsyncSession,
    org_id: uuid.UUID,
    first: date,
    last: date,
    *,
    channel_id: uuid.UUID | None = None,
    project_id: uuid.UUID | None = None,
    limit: int = 50,
) -> list[CampaignTotal]:
    """The campaigns that spent most over the days (then by impressions), with their sums.
    One statement: the days' rows summed per campaign first (a hash aggregate, whatever the
    number of days), the first `limit` taken, and only those joined to their names."""
    d = _DAILY.c
    spend, impressions = func.sum(d.spend).label("spend"), func.sum(d.impressions)
    top = (
        select(d.campaign_id, *(func.sum(d[n]).label(n) for n in SUMMED if n != "spend"), spend)
        .where(d.org_id == org_id, d.day >= first, d.day <= last)
        .group_by(d.campaign_id)
        .order_by(spend.desc(), impressions.desc(), d.campaign_id)
        .limit(limit)
    )
    if channel_id is not None:
        top = top.where(d.channel_id == channel_id)
    if project_id is not None:
        top = top.where(
            d.campaign_id.in_(
                select(AdCampaign.id).where(
                    AdCampaign.org_id == org_id, AdCampaign.project_id == project_id
                )
            )
        )
    t = top.subquery()
    stmt = (
        select(t, AdCampaign.name, AdCampaign.channel_id, AdCampaign.project_id)
        .join(AdCampaign, AdCampaign.id == t.c.campaign_id)
        .order_by(t.c.spend.desc(), t.c.impressions.desc(), t.c.campaign_id)
    )
    rows = (await session.execute(stmt)).all()
    return [
        CampaignTotal(r.campaign_id, r.name, r.channel_id, r.project_id, _sums(r)) for r in rows
    ]


async def metric_sums(
    session: AsyncSession,
    org_id: uuid.UUID,
    first: date,
    last: date,
    *,
    project_ids: set[uuid.UUID] | None = None,
    channel_key: str | None = None,
) -> Sums:
    """Sums over the days, of the campaigns of these projects (None: all) on this channel
    (None: every channel)."""
    d = _DAILY.c
    stmt = select(*(func.sum(d[n]).label(n) for n in SUMMED)).where(
        d.org_id == org_id, d.day >= first, d.day <= last
    )
    if project_ids is not None:
        if not project_ids:
            return dict.fromkeys(SUMMED, Decimal(0))
        stmt = stmt.join(AdCampaign, AdCampaign.id == d.campaign_id).where(
            AdCampaign.project_id.in_(project_ids)
        )
    if channel_key is not None:
        stmt = stmt.where(
            d.channel_id.in_(
                select(Channel.id).where(Channel.org_id == org_id, Channel.key == channel_key)
            )
        )
    return _sums((await session.execute(stmt)).one())


__all__ = [
    "ORG_KEY",
    "CampaignFact",
    "CampaignTotal",
    "ChannelFact",
    "ChannelKind",
    "Grouping",
    "SpendingCampaign",
    "Sums",
    "benchmark_grid",
    "campaign_facts",
    "campaign_totals",
    "channel_days",
    "channel_facts",
    "daily_spend",
    "day_sums",
    "hour_sums",
    "metric_sums",
    "org_industry",
    "spending_campaigns",
]
