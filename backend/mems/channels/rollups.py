"""The read side of channel data for other domains (alert rules, KPIs, dashboards): sums of
the base counts over a window, grouped by organisation, channel, campaign or project, in one
statement each. Days come from the daily rollup; hours from the hourly records.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, exists, func, literal, or_, select, true
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
from mems.core.db import Reader, ReadStatement, SessionReader
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


_CHANNEL_FACTS = ReadStatement(
    select(Channel.id, Channel.name, Channel.kind).where(Channel.org_id == bindparam("org_id"))
)


async def channel_facts(session: AsyncSession, org_id: uuid.UUID) -> dict[str, ChannelFact]:
    rows = await _CHANNEL_FACTS.all(session, org_id=org_id)
    return {str(r["id"]): ChannelFact(r["name"], ChannelKind(r["kind"])) for r in rows}


INDUSTRY_SETTING = "channels.industry"


_OVERRIDES = ReadStatement(
    select(Benchmark.channel_kind, Benchmark.metric, Benchmark.value).where(
        Benchmark.org_id == bindparam("org_id"), Benchmark.industry == bindparam("industry")
    )
)


async def benchmark_overrides(
    reader: Reader, org_id: uuid.UUID, industry: str
) -> dict[tuple[ChannelKind, str], Decimal]:
    """The organisation's own cells of an industry's grid."""
    rows = await reader.all(_OVERRIDES, org_id=org_id, industry=industry)
    return {(ChannelKind(r["channel_kind"]), r["metric"]): r["value"] for r in rows}


def _industry(value: Any) -> str:
    return value if isinstance(value, str) and value in INDUSTRIES else DEFAULT_INDUSTRY


async def org_industry(session: AsyncSession, org_id: uuid.UUID) -> str:
    value, _revision = await identity.org_setting(session, org_id, INDUSTRY_SETTING)
    return _industry(value)


async def benchmark_grid(
    session: AsyncSession, org_id: uuid.UUID, industry: str | None = None
) -> dict[tuple[ChannelKind, str], Decimal]:
    """The benchmarks in force for the organisation's industry (or `industry`): the shipped
    grid with the organisation's own values over it."""
    chosen = industry or await org_industry(session, org_id)
    own = await benchmark_overrides(SessionReader(session), org_id, chosen)
    return {**shipped_grid(chosen), **own}


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


@cache
def _channel_days_read(by_channel: bool, by_project: bool) -> ReadStatement:
    """Sums per channel and day from `since` to `last`: from the channel-day rollup, or, for
    one project's campaigns, from the campaign-day rollup."""
    if not by_project:
        t = _CHANNEL_DAILY.c
        stmt = select(t.channel_id, t.day, *(t[n] for n in SUMMED)).where(
            t.org_id == bindparam("org_id"), t.day >= bindparam("since"), t.day <= bindparam("last")
        )
        if by_channel:
            stmt = stmt.where(t.channel_id == bindparam("channel_id"))
        return ReadStatement(stmt)
    d = _DAILY.c
    stmt = (
        select(d.channel_id, d.day, *(func.sum(d[n]).label(n) for n in SUMMED))
        .join(AdCampaign, AdCampaign.id == d.campaign_id)
        .where(
            d.org_id == bindparam("org_id"),
            d.day >= bindparam("since"),
            d.day <= bindparam("last"),
            AdCampaign.project_id == bindparam("project_id"),
        )
        .group_by(d.channel_id, d.day)
    )
    if by_channel:
        stmt = stmt.where(d.channel_id == bindparam("channel_id"))
    return ReadStatement(stmt)


@cache
def _campaign_totals_read(
    lateral: bool, by_channel: bool, by_project: bool, limit: int
) -> ReadStatement:
    d = _DAILY.c
    org_id: Any = bindparam("org_id")
    first: Any = bindparam("first")
    last: Any = bindparam("last")

    def latest(*columns: Any, before: bool) -> Any:
        p = _DAILY.alias()
        return (
            select(*(p.c[c] for c in columns))
            .where(
                p.c.org_id == org_id,
                p.c.campaign_id == AdCampaign.id,
                p.c.day < first if before else p.c.day <= last,
            )
            .order_by(p.c.day.desc())
            .limit(1)
        )

    ranks = ("spend_to_date", "impressions_to_date")
    if lateral:
        # PostgreSQL: most campaigns have a row on the range's last day and on the eve of its
        # first (two index range scans of the day); only the others probe their campaign's
        # latest row before (a LATERAL subquery gated on the exact row being absent).
        def on(day: Any, name: str) -> Any:
            e = _DAILY.alias()
            rows = select(e.c.campaign_id, e.c.day, *(e.c[c] for c in ranks)).where(
                e.c.org_id == org_id, e.c.day == day
            )
            if by_channel:  # the (org, day, channel) index reads that channel's rows only
                rows = rows.where(e.c.channel_id == bindparam("channel_id"))
            return rows.subquery(name)

        hi_on, lo_on = on(last, "hi_on"), on(bindparam("eve"), "lo_on")
        hi = latest("day", *ranks, before=False).where(hi_on.c.campaign_id.is_(None)).lateral("hi")
        lo = latest(*ranks, before=True).where(lo_on.c.campaign_id.is_(None)).lateral("lo")
        scope = (
            select(
                AdCampaign.id,
                *(
                    (
                        func.coalesce(hi_on.c[c], hi.c[c]) - func.coalesce(lo_on.c[c], lo.c[c], 0)
                    ).label(c.removesuffix("_to_date"))
                    for c in ranks
                ),
                func.coalesce(hi_on.c.day, hi.c.day).label("last_day"),
            )
            .select_from(AdCampaign)
            .outerjoin(hi_on, hi_on.c.campaign_id == AdCampaign.id)
            .outerjoin(lo_on, lo_on.c.campaign_id == AdCampaign.id)
            .outerjoin(hi, true())
            .outerjoin(lo, true())
        )
    else:  # SQLite has no LATERAL: a correlated subquery per value
        scope = select(
            AdCampaign.id,
            *(
                (
                    latest(c, before=False).scalar_subquery()
                    - func.coalesce(latest(c, before=True).scalar_subquery(), 0)
                ).label(c.removesuffix("_to_date"))
                for c in ranks
            ),
            latest("day", before=False).scalar_subquery().label("last_day"),
        )
    scope = scope.add_columns(AdCampaign.name, AdCampaign.channel_id, AdCampaign.project_id)
    scope = scope.where(AdCampaign.org_id == org_id)
    if by_channel:
        scope = scope.where(AdCampaign.channel_id == bindparam("channel_id"))
    if by_project:
        scope = scope.where(AdCampaign.project_id == bindparam("project_id"))
    s = scope.subquery("scope")
    # The first ones with their names (read with the running totals: no second look-up),
    # then their sums over the days.
    top = (
        select(s.c.id, s.c.name, s.c.channel_id, s.c.project_id)
        .where(s.c.last_day >= first)
        .order_by(s.c.spend.desc(), s.c.impressions.desc(), s.c.id)
        .limit(limit)
        .cte("top")
    )
    sums = (
        select(d.campaign_id, *(func.sum(d[n]).label(n) for n in SUMMED))
        .where(
            d.org_id == org_id,
            d.day >= first,
            d.day <= last,
            d.campaign_id.in_(select(top.c.id)),
        )
        .group_by(d.campaign_id)
        .subquery("sums")
    )
    return ReadStatement(
        select(sums, top.c.name, top.c.channel_id, top.c.project_id)
        .join(top, top.c.id == sums.c.campaign_id)
        .order_by(sums.c.spend.desc(), sums.c.impressions.desc(), sums.c.campaign_id)
    )


MAX_LISTED_CAMPAIGNS = 50


@cache
def _dashboard_context() -> ReadStatement:
    org = bindparam("org_id", type_=Channel.org_id.type)
    one_row = select(literal(1).label("one")).subquery()  # the organisation's, with no channel
    return ReadStatement(
        select(
            identity.org_currency_of(org).label("currency"),
            identity.org_setting_of(org, INDUSTRY_SETTING).label("industry"),
            exists().where(Benchmark.org_id == org).label("own_benchmarks"),
            Channel.id,
            Channel.name,
            Channel.kind,
        )
        .select_from(one_row)
        .outerjoin(Channel, Channel.org_id == org)
    )


@dataclass(frozen=True)
class DashboardReads:
    channels: dict[str, ChannelFact]  # the organisation's, by id
    currency: str
    industry: str
    benchmarks: Mapping[tuple[ChannelKind, str], Decimal]  # in force: shipped, its own over them
    days: list[dict[str, Any]]  # `channel_id`, `day` and the sums, from `since` to `last`
    # The campaigns that spent most over the days (then by impressions, then id), at most
    # MAX_LISTED_CAMPAIGNS, with their sums, `name`, `channel_id`, `project_id`.
    campaigns: list[dict[str, Any]]


async def dashboard_reads(
    reader: Reader,
    org_id: uuid.UUID,
    since: date,
    first: date,
    last: date,
    *,
    channel_id: uuid.UUID | None = None,
    project_id: uuid.UUID | None = None,
) -> DashboardReads | None:
    """What the channel dashboard shows, in three statements whatever the volume or the
    range (a fourth when the organisation has benchmark cells of its own): its channels,
    currency and industry; the channel days from `since` (the days before the range, for the
    comparison) to `last`; the top campaigns over `first`–`last`. None when `channel_id` is
    not one of its channels (nothing more is read).

    The campaigns are ranked by their running totals — a campaign's last row up to `last`
    minus its last row before `first`, a few index probes — so a quarter costs what a week
    does; only the first ones, with their names, are summed over the days. A campaign
    without a row in the range is not listed."""
    context = await reader.all(_dashboard_context(), org_id=org_id)
    channels = {
        str(r["id"]): ChannelFact(r["name"], ChannelKind(r["kind"])) for r in context if r["id"]
    }
    if channel_id is not None and str(channel_id) not in channels:
        return None
    params: dict[str, Any] = {"org_id": org_id, "since": since, "first": first, "last": last}
    if channel_id is not None:
        params["channel_id"] = channel_id
    if project_id is not None:
        params["project_id"] = project_id
    by_channel, by_project = channel_id is not None, project_id is not None
    days = await reader.all(_channel_days_read(by_channel, by_project), **params)
    postgres = reader.dialect_name == "postgresql"
    if postgres:
        params["eve"] = first - timedelta(days=1)
    totals = _campaign_totals_read(postgres, by_channel, by_project, MAX_LISTED_CAMPAIGNS)
    campaigns = await reader.all(totals, **params)
    industry = _industry(context[0]["industry"])
    grid = shipped_grid(industry)
    if context[0]["own_benchmarks"]:
        grid = {**grid, **await benchmark_overrides(reader, org_id, industry)}
    return DashboardReads(channels, context[0]["currency"], industry, grid, days, campaigns)


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
    "ChannelFact",
    "ChannelKind",
    "DashboardReads",
    "Grouping",
    "SpendingCampaign",
    "Sums",
    "benchmark_grid",
    "campaign_facts",
    "channel_facts",
    "daily_spend",
    "dashboard_reads",
    "day_sums",
    "hour_sums",
    "metric_sums",
    "org_industry",
    "spending_campaigns",
]
