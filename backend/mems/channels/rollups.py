"""The read side of channel data for other domains (alert rules, KPIs, dashboards): sums of
the base counts over a window, grouped by organisation, channel, campaign or project, in one
statement each. Days come from the daily rollup; hours from the hourly records.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import IntEnum, StrEnum
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    String,
    Table,
    bindparam,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy import cast as cast_
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
from mems.core.db import Reader, ReadStatement, Record, SessionReader
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


def _channel_days(by_channel: bool, by_project: bool) -> Any:
    """Sums per channel and day from `since` to `last`: from the channel-day rollup, or, for
    one project's campaigns, from the campaign-day rollup."""
    if not by_project:
        t = _CHANNEL_DAILY.c
        stmt = select(t.channel_id, t.day, *(t[n] for n in SUMMED)).where(
            t.org_id == bindparam("org_id"), t.day >= bindparam("since"), t.day <= bindparam("last")
        )
        if by_channel:
            stmt = stmt.where(t.channel_id == bindparam("channel_id"))
        return stmt
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
    return stmt


def _campaign_totals(lateral: bool, by_channel: bool, by_project: bool, limit: int) -> Any:
    """The `limit` campaigns that spent most from `first` to `last` (then by impressions, then
    id) with their sums, `name`, `channel_id` and `project_id` (unordered)."""
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
    return select(sums, top.c.name, top.c.channel_id, top.c.project_id).join(
        top, top.c.id == sums.c.campaign_id
    )


MAX_LISTED_CAMPAIGNS = 50


class _Part(IntEnum):
    """What a row of the dashboard's one statement is (its `part` column)."""

    ORG = 0  # currency, industry and, for one project's dashboard, its manager
    CHANNEL = 1  # one of the organisation's channels: channel_id, name, kind
    DAY = 2  # a channel's sums on a day: channel_id, day, sums
    CAMPAIGN = 3  # one of the top campaigns: campaign_id, name, channel_id, project_id, sums
    BENCHMARK = 4  # one of its own benchmark cells: industry_of, kind, name (the metric), value


@cache
def _dashboard_read(
    postgres: bool, by_channel: bool, project_owner_of: Any, limit: int
) -> ReadStatement:
    """Every read of the dashboard as one statement: one snapshot and one round trip, however
    many kinds of rows. Each part's rows fill their own columns (NULL in the others);
    `part` says which (`_Part`)."""
    org: Any = bindparam("org_id", type_=Channel.org_id.type)
    by_project = project_owner_of is not None
    days = _channel_days(by_channel, by_project).subquery("days")
    top = _campaign_totals(postgres, by_channel, by_project, limit).subquery("campaigns")
    parts: list[tuple[_Part, dict[str, Any]]] = [
        (
            _Part.ORG,
            {
                "currency": identity.org_currency_of(org),
                "industry": identity.org_setting_of(org, INDUSTRY_SETTING),
                **({"owner": project_owner_of(bindparam("project_id"))} if by_project else {}),
            },
        ),
        (
            _Part.CHANNEL,
            {"channel_id": Channel.id, "name": Channel.name, "kind": cast_(Channel.kind, String)},
        ),
        (_Part.DAY, {"channel_id": days.c.channel_id, "day": days.c.day, **_summed(days)}),
        (
            _Part.CAMPAIGN,
            {
                "campaign_id": top.c.campaign_id,
                "name": top.c.name,
                "channel_id": top.c.channel_id,
                "project_id": top.c.project_id,
                **_summed(top),
            },
        ),
        (
            _Part.BENCHMARK,
            {
                "industry_of": Benchmark.industry,
                "kind": cast_(Benchmark.channel_kind, String),
                "name": Benchmark.metric,
                "value": Benchmark.value,
            },
        ),
    ]
    types: dict[str, Any] = {}
    for _part, columns in parts:
        for name, column in columns.items():
            types.setdefault(name, column.type)
    wheres = {
        _Part.CHANNEL: [Channel.org_id == org],
        _Part.BENCHMARK: [Benchmark.org_id == org],
    }
    selects = []
    for part, columns in parts:
        row = select(
            literal(int(part)).label("part"),
            *(
                (columns[name] if name in columns else cast_(null(), type_)).label(name)
                for name, type_ in types.items()
            ),
        ).where(*wheres.get(part, ()))
        selects.append(row)
    every = union_all(*selects).subquery("dashboard")
    return ReadStatement(select(*every.c))


def _summed(rows: Any) -> dict[str, Any]:
    """A part's sums in the rollup's own types, one per column of the union: counts as BIGINT
    (a sum of BIGINTs is NUMERIC, which the driver decodes several times slower; a range's
    sum never exceeds the campaign's running total, itself a BIGINT), money as NUMERIC."""
    return {n: cast_(rows.c[n], _DAILY.c[n].type) for n in SUMMED}


@dataclass(frozen=True)
class DashboardReads:
    channels: dict[str, ChannelFact]  # the organisation's, by id
    currency: str
    industry: str
    benchmarks: Mapping[tuple[ChannelKind, str], Decimal]  # in force: shipped, its own over them
    days: list[Record]  # `channel_id`, `day` and the sums, from `since` to `last`
    # The campaigns that spent most over the days (then by impressions, then id), at most
    # MAX_LISTED_CAMPAIGNS, with their sums, `campaign_id`, `name`, `channel_id`, `project_id`.
    campaigns: list[dict[str, Any]]
    project_owner: uuid.UUID | None = None  # the manager of the project asked for, if it is one


async def dashboard_reads(
    reader: Reader,
    org_id: uuid.UUID,
    since: date,
    first: date,
    last: date,
    *,
    channel_id: uuid.UUID | None = None,
    project_id: uuid.UUID | None = None,
    project_owner_of: Callable[[Any], Any] | None = None,
) -> DashboardReads:
    """What the channel dashboard shows, in one statement whatever the volume or the range
    (one snapshot, one round trip): the organisation's channels, currency, industry and own
    benchmark cells; the channel days from `since` (the days before the range, for the
    comparison) to `last`; the top campaigns over `first`–`last`. With `channel_id`, that
    channel's figures (none when it is not one of the organisation's channels: the caller
    checks `channels`). With `project_id`, the project's campaigns only, and
    `project_owner_of` (SQL for a project's manager from its id: `projects.project_owner_of`)
    reads its manager in the same statement, for the caller to check it may see the project.

    The campaigns are ranked by their running totals — a campaign's last row up to `last`
    minus its last row before `first`, a few index probes — so a quarter costs what a week
    does; only the first ones, with their names, are summed over the days. A campaign
    without a row in the range is not listed."""
    if (project_id is None) != (project_owner_of is None):
        raise ValueError("a project's dashboard reads its manager: give both or neither")
    postgres = reader.dialect_name == "postgresql"
    read = _dashboard_read(postgres, channel_id is not None, project_owner_of, MAX_LISTED_CAMPAIGNS)
    params: dict[str, Any] = {"org_id": org_id, "since": since, "first": first, "last": last}
    if postgres:
        params["eve"] = first - timedelta(days=1)
    if channel_id is not None:
        params["channel_id"] = channel_id
    if project_id is not None:
        params["project_id"] = project_id
    rows = await reader.records(read, **params)
    org: Record = {}
    channels: dict[str, ChannelFact] = {}
    days: list[Record] = []
    campaigns: list[dict[str, Any]] = []
    own: list[Record] = []
    for row in rows:
        part = row["part"]
        if part == _Part.DAY:
            days.append(row)
        elif part == _Part.CAMPAIGN:
            campaigns.append(dict(row))
        elif part == _Part.CHANNEL:
            channels[str(row["channel_id"])] = ChannelFact(row["name"], ChannelKind(row["kind"]))
        elif part == _Part.BENCHMARK:
            own.append(row)
        else:
            org = row
    campaigns.sort(key=lambda c: (-c["spend"], -c["impressions"], c["campaign_id"]))
    industry = _industry(org["industry"])
    grid = {
        **shipped_grid(industry),
        **{
            (ChannelKind(r["kind"]), r["name"]): r["value"]
            for r in own
            if r["industry_of"] == industry
        },
    }
    return DashboardReads(
        channels, org["currency"], industry, grid, days, campaigns, org.get("owner")
    )


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
