"""The channel domain's SQL: channels, campaigns, sources, batches, and the bulk writes of
metric records and their daily rollup.

Metric records are volume data: an accepted batch's rows are staged in `ingest_rows` (COPY on
PostgreSQL, an executemany INSERT on SQLite), then moved into `metric_records` by one INSERT
… SELECT … ON CONFLICT, campaigns resolved in the join. The rollup is recomputed from the
records for the campaign-days a batch touched, in the same transaction, so a read never sees
records without their rollup.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any, cast

import orjson
from sqlalchemy import (
    Table,
    and_,
    bindparam,
    case,
    delete,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from mems.channels.models import (
    AdCampaign,
    BatchStatus,
    Benchmark,
    Channel,
    Creative,
    DataSource,
    IngestBatch,
    IngestRow,
    MetricChannelDaily,
    MetricDaily,
    MetricRecord,
    SourceKind,
)
from mems.channels.records import STAGED_COLUMNS
from mems.core.db import ReadStatement, driver_errors, driver_for, try_advisory_xact_lock
from mems.core.pagination import PageParams

# A metric row as written: the order of METRIC_COLUMNS.
METRIC_COLUMNS = (
    "org_id",
    "campaign_id",
    "creative",
    "day",
    "hour",
    "impressions",
    "clicks",
    "conversions",
    "leads",
    "followers",
    "spend",
    "revenue",
    "custom",
    "quality",
    "batch_id",
)
KEY_COLUMNS = ("org_id", "campaign_id", "creative", "day", "hour")
_VALUE_COLUMNS = tuple(c for c in METRIC_COLUMNS if c not in KEY_COLUMNS)
RECORDS = cast(Table, MetricRecord.__table__)
STAGED = cast(Table, IngestRow.__table__)
DAILY_ROLLUP = cast(Table, MetricDaily.__table__)
CHANNEL_ROLLUP = cast(Table, MetricChannelDaily.__table__)
_BATCHES = cast(Table, IngestBatch.__table__)
Row = tuple[Any, ...]  # a staged row: the order of `records.STAGED_COLUMNS`
SUMMED = ("impressions", "clicks", "conversions", "leads", "followers", "spend", "revenue")


# ---- channels ---------------------------------------------------------------------------------


async def list_channels(session: AsyncSession, org_id: uuid.UUID) -> list[Channel]:
    stmt = (
        select(Channel)
        .where(Channel.org_id == org_id)
        .order_by(Channel.active.desc(), Channel.name, Channel.key)
    )
    return list((await session.scalars(stmt)).all())


async def get_channel(
    session: AsyncSession, org_id: uuid.UUID, channel_id: uuid.UUID
) -> Channel | None:
    return await session.scalar(
        select(Channel).where(Channel.org_id == org_id, Channel.id == channel_id)
    )


async def channels_by_key(
    session: AsyncSession, org_id: uuid.UUID, keys: Iterable[str]
) -> dict[str, Channel]:
    stmt = select(Channel).where(Channel.org_id == org_id, Channel.key.in_(set(keys)))
    return {c.key: c for c in (await session.scalars(stmt)).all()}


async def channel_ids(
    session: AsyncSession, org_id: uuid.UUID, ids: Iterable[uuid.UUID]
) -> set[uuid.UUID]:
    """Those of `ids` that are the organisation's channels."""
    stmt = select(Channel.id).where(Channel.org_id == org_id, Channel.id.in_(set(ids)))
    return set((await session.scalars(stmt)).all())


async def channel_has_campaigns(
    session: AsyncSession, org_id: uuid.UUID, channel_id: uuid.UUID
) -> bool:
    stmt = select(AdCampaign.id).where(
        AdCampaign.org_id == org_id, AdCampaign.channel_id == channel_id
    )
    return (await session.scalar(stmt.limit(1))) is not None


# ---- campaigns --------------------------------------------------------------------------------


async def list_campaigns(
    session: AsyncSession,
    org_id: uuid.UUID,
    params: PageParams,
    *,
    channel_id: uuid.UUID | None = None,
    project_id: uuid.UUID | None = None,
    q: str | None = None,
) -> tuple[list[AdCampaign], int]:
    where = [AdCampaign.org_id == org_id]
    if channel_id is not None:
        where.append(AdCampaign.channel_id == channel_id)
    if project_id is not None:
        where.append(AdCampaign.project_id == project_id)
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(or_(AdCampaign.name.ilike(like, escape="\\"), AdCampaign.external_id == q))
    total = await session.scalar(select(func.count()).select_from(AdCampaign).where(*where))
    stmt = (
        select(AdCampaign)
        .where(*where)
        .order_by(AdCampaign.name, AdCampaign.id)
        .limit(params.limit)
        .offset(params.offset)
    )
    return list((await session.scalars(stmt)).all()), int(total or 0)


async def get_campaign(
    session: AsyncSession, org_id: uuid.UUID, campaign_id: uuid.UUID
) -> AdCampaign | None:
    return await session.scalar(
        select(AdCampaign).where(AdCampaign.org_id == org_id, AdCampaign.id == campaign_id)
    )


_CAMPAIGN_IDS = ReadStatement(
    select(AdCampaign.channel_id, AdCampaign.external_id, AdCampaign.id).where(
        AdCampaign.channel_id.in_(bindparam("channels", expanding=True)),
        AdCampaign.external_id.in_(bindparam("externals", expanding=True)),
    )
)


async def campaigns_by_external(
    session: AsyncSession, org_id: uuid.UUID, keys: set[tuple[uuid.UUID, str]]
) -> dict[tuple[uuid.UUID, str], uuid.UUID]:
    """The ids of the campaigns named by (channel id, platform id), in one statement on the
    driver (a webhook's hot path): the campaigns of those channels with those platform ids,
    the pairs not asked for dropped."""
    if not keys:
        return {}
    rows = await _CAMPAIGN_IDS.all(
        session,
        mems_tenant=org_id,
        channels=sorted({channel for channel, _ in keys}),
        externals=sorted({external for _, external in keys}),
    )
    return {
        key: row["id"] for row in rows if (key := (row["channel_id"], row["external_id"])) in keys
    }


async def campaign_names(
    session: AsyncSession, org_id: uuid.UUID, ids: set[uuid.UUID]
) -> dict[uuid.UUID, str]:
    rows = await session.execute(
        select(AdCampaign.id, AdCampaign.name).where(
            AdCampaign.org_id == org_id, AdCampaign.id.in_(ids)
        )
    )
    return {r.id: r.name for r in rows.all()}


async def creatives_of(
    session: AsyncSession, org_id: uuid.UUID, campaign_ids: set[uuid.UUID]
) -> set[tuple[uuid.UUID, str]]:
    if not campaign_ids:
        return set()
    stmt = select(Creative.campaign_id, Creative.external_id).where(
        Creative.org_id == org_id, Creative.campaign_id.in_(campaign_ids)
    )
    return {(r[0], r[1]) for r in (await session.execute(stmt)).all()}


async def campaign_has_records(
    session: AsyncSession, org_id: uuid.UUID, campaign_id: uuid.UUID
) -> bool:
    stmt = select(MetricDaily.day).where(
        MetricDaily.org_id == org_id, MetricDaily.campaign_id == campaign_id
    )
    return (await session.scalar(stmt.limit(1))) is not None


# ---- sources and batches ----------------------------------------------------------------------


async def list_sources(session: AsyncSession, org_id: uuid.UUID) -> list[DataSource]:
    stmt = select(DataSource).where(DataSource.org_id == org_id).order_by(DataSource.name)
    return list((await session.scalars(stmt)).all())


async def get_source(
    session: AsyncSession, org_id: uuid.UUID | None, source_id: uuid.UUID
) -> DataSource | None:
    """A source by id; `org_id` None: of any organisation (webhooks find their organisation
    by the source their URL names)."""
    stmt = select(DataSource).where(DataSource.id == source_id)
    if org_id is not None:
        stmt = stmt.where(DataSource.org_id == org_id)
    return await session.scalar(stmt)


@dataclass(frozen=True, slots=True)
class WebhookSource:
    """What a delivery needs of its source, and its channel's key."""

    id: uuid.UUID
    org_id: uuid.UUID
    kind: SourceKind
    channel_id: uuid.UUID | None
    channel_key: str | None
    currency: str
    rate: Decimal
    secret: str | None
    verify_token: str | None
    active: bool
    last_received_at: datetime | None


_WEBHOOK_SOURCE = ReadStatement(
    select(
        DataSource.id,
        DataSource.org_id,
        DataSource.kind,
        DataSource.channel_id,
        Channel.key.label("channel_key"),
        DataSource.currency,
        DataSource.rate,
        DataSource.secret,
        DataSource.verify_token,
        DataSource.active,
        DataSource.last_received_at,
    )
    .outerjoin(
        Channel, (Channel.id == DataSource.channel_id) & (Channel.org_id == DataSource.org_id)
    )
    .where(DataSource.id == bindparam("source_id")),
    across_tenants=True,
)


async def source_for_webhook(session: AsyncSession, source_id: uuid.UUID) -> WebhookSource | None:
    """A webhook's source by the id in its URL, whichever organisation it is in (the request
    has no caller yet: the source's signature is what authenticates it), with its channel's
    key, in one statement on the driver."""
    row = await _WEBHOOK_SOURCE.first(session, source_id=source_id)
    return WebhookSource(**row) if row is not None else None


async def mark_received(session: AsyncSession, source_id: uuid.UUID, at: Any) -> None:
    """The source's last delivery time, written without its version (see `ingest.accept`)."""
    table = cast(Table, DataSource.__table__)
    await session.execute(
        table.update()
        .where(table.c.id == source_id)
        .where((table.c.last_received_at.is_(None)) | (table.c.last_received_at < at))
        .values(last_received_at=at)
    )


async def pending_batches(
    session: AsyncSession, org_id: uuid.UUID, first: uuid.UUID | None, limit: int
) -> list[IngestBatch]:
    """The organisation's pending batches as they are now (loaded objects refreshed), oldest
    first — `first` (when still pending) at the head —, at most `limit`."""
    b = IngestBatch
    order = [b.received_at, b.id] if first is None else [b.id != first, b.received_at, b.id]
    stmt = (
        select(b)
        .where(b.org_id == org_id, b.status == BatchStatus.PENDING)
        .order_by(*order)
        .limit(limit)
        .execution_options(populate_existing=True)
    )
    return list((await session.scalars(stmt)).all())


async def get_batch(
    session: AsyncSession, org_id: uuid.UUID | None, batch_id: uuid.UUID
) -> IngestBatch | None:
    stmt = select(IngestBatch).where(IngestBatch.id == batch_id)
    if org_id is not None:
        stmt = stmt.where(IngestBatch.org_id == org_id)
    return await session.scalar(stmt)


async def batch_by_dedup(
    session: AsyncSession, source_id: uuid.UUID, dedup_key: str
) -> IngestBatch | None:
    stmt = select(IngestBatch).where(
        IngestBatch.source_id == source_id, IngestBatch.dedup_key == dedup_key
    )
    return await session.scalar(stmt)


async def list_batches(
    session: AsyncSession,
    org_id: uuid.UUID,
    params: PageParams,
    *,
    source_id: uuid.UUID | None = None,
    status: BatchStatus | None = None,
) -> tuple[list[IngestBatch], int]:
    where = [IngestBatch.org_id == org_id]
    if source_id is not None:
        where.append(IngestBatch.source_id == source_id)
    if status is not None:
        where.append(IngestBatch.status == status)
    total = await session.scalar(select(func.count()).select_from(IngestBatch).where(*where))
    stmt = (
        select(IngestBatch)
        .where(*where)
        .order_by(IngestBatch.received_at.desc(), IngestBatch.id)
        .limit(params.limit)
        .offset(params.offset)
    )
    return list((await session.scalars(stmt)).all()), int(total or 0)


# ---- benchmarks -------------------------------------------------------------------------------


async def benchmarks_of(
    session: AsyncSession, org_id: uuid.UUID, industry: str
) -> dict[tuple[str, str], Benchmark]:
    """The organisation's own benchmark values for an industry, by (channel kind, metric)."""
    stmt = select(Benchmark).where(Benchmark.org_id == org_id, Benchmark.industry == industry)
    return {(b.channel_kind, b.metric): b for b in (await session.scalars(stmt)).all()}


# ---- metric records ---------------------------------------------------------------------------


# Up to this many rows, a batch and its rows are stored in one statement on PostgreSQL (a
# webhook's delivery); more are COPYed, which is faster for thousands.
STORED_IN_ONE = 500


async def store_batch(session: AsyncSession, batch: IngestBatch, rows: Sequence[Row]) -> bool:
    """Store a new batch with its rows (`records.STAGED_COLUMNS` order) in the session's
    transaction; False, and nothing stored, when its source has a batch of the same delivery
    (dedup key) already — one a request racing this one may have committed a moment ago (the
    INSERT waits for it). PostgreSQL: up to `STORED_IN_ONE` rows, one statement on the driver
    (the batch's INSERT, its rows from arrays only if it went in); more, the batch, then its
    rows by COPY. SQLite: the batch, then one executemany INSERT."""
    values = {c.key: getattr(batch, c.key) for c in _BATCHES.columns}
    if session.get_bind().dialect.name != "postgresql":
        stored = await _insert_batch(session, sqlite_insert, values)
        if stored and rows:
            await session.execute(
                STAGED.insert(), [dict(zip(STAGED_COLUMNS, r, strict=True)) for r in rows]
            )
        return stored
    custom = STAGED_COLUMNS.index("custom")
    rows = [
        r if r[custom] is None else (*r[:custom], orjson.dumps(r[custom]).decode(), r[-1])
        for r in rows
    ]
    if len(rows) <= STORED_IN_ONE:
        sql, converts = _store_in_one()
        args: list[Any] = [
            value if convert is None else convert(value)
            for value, convert in zip(values.values(), converts, strict=True)
        ]
        args += [list(column) for column in zip(*rows, strict=True)] or [[]] * len(STAGED_COLUMNS)
        driver = await driver_for(session, sql, args)
        async with driver_errors(sql, args):
            return bool(await driver.fetchval(sql, *args))
    if not await _insert_batch(session, pg_insert, values):
        return False
    driver = await driver_for(session, "COPY ingest_rows", [])
    async with driver_errors("COPY ingest_rows", []):
        await driver.copy_records_to_table("ingest_rows", records=rows, columns=STAGED_COLUMNS)
    return True


async def _insert_batch(session: AsyncSession, insert: Any, values: dict[str, Any]) -> bool:
    stmt = (
        insert(_BATCHES)
        .values(values)
        .on_conflict_do_nothing(index_elements=["source_id", "dedup_key"])
        .returning(_BATCHES.c.id)
    )
    return (await session.execute(stmt)).first() is not None


@cache
def _store_in_one() -> tuple[str, list[Any]]:
    """`store_batch`'s statement — the batch's INSERT … ON CONFLICT DO NOTHING, its rows
    inserted from one array per column only when the batch went in; the batches inserted —
    and the batch columns' bind conversions (the staged values are the driver's already, as
    COPY takes them)."""
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    batch_columns = list(_BATCHES.columns)
    converts = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in batch_columns]
    n = len(batch_columns)
    staged = [STAGED.c[name] for name in STAGED_COLUMNS]
    arrays = ", ".join(
        f"${n + 1 + i}::{column.type.compile(dialect=dialect)}[]" for i, column in enumerate(staged)
    )
    # Built from the tables' own column names and types only.
    return (
        f"WITH batch AS (INSERT INTO ingest_batches "  # noqa: S608
        f"({', '.join(c.name for c in batch_columns)}) "
        f"VALUES ({', '.join(f'${i + 1}' for i in range(n))}) "
        f"ON CONFLICT (source_id, dedup_key) DO NOTHING RETURNING id), "
        f"staged AS (INSERT INTO ingest_rows ({', '.join(STAGED_COLUMNS)}) "
        f"SELECT * FROM unnest({arrays}) WHERE EXISTS (SELECT FROM batch)) "
        f"SELECT count(*) FROM batch"
    ), converts


@dataclass(frozen=True)
class StagedCampaign:
    batch_id: uuid.UUID
    channel_id: uuid.UUID
    campaign: str  # the platform's id
    campaign_id: uuid.UUID | None  # as resolved when the batch was accepted
    first: date
    last: date
    rows: int  # the batch's rows of this campaign


async def staged_campaigns(
    session: AsyncSession, batch_ids: Sequence[uuid.UUID]
) -> list[StagedCampaign]:
    """The batches' campaigns (per batch), with the first and last day of their rows."""
    s = STAGED.c
    rows = await session.execute(
        select(
            s.batch_id,
            s.channel_id,
            s.campaign,
            s.campaign_id,
            func.min(s.day).label("first"),
            func.max(s.day).label("last"),
            func.count().label("rows"),
        )
        .where(s.batch_id.in_(batch_ids))
        .group_by(s.batch_id, s.channel_id, s.campaign, s.campaign_id)
    )
    return [
        StagedCampaign(
            r.batch_id,
            r.channel_id,
            r.campaign,
            r.campaign_id,
            _day(r.first),
            _day(r.last),
            r.rows,
        )
        for r in rows.all()
    ]


async def resolve_staged(
    session: AsyncSession,
    batch_id: uuid.UUID,
    campaign_ids: Mapping[tuple[uuid.UUID, str], uuid.UUID],
) -> None:
    """Give a batch's rows of these (channel, platform id) their campaign's id."""
    if not campaign_ids:
        return
    s = STAGED.c
    stmt = (
        update(STAGED)
        .where(
            s.batch_id == batch_id,
            s.channel_id == bindparam("b_channel"),
            s.campaign == bindparam("b_campaign"),
        )
        .values(campaign_id=bindparam("b_id"))
    )
    await session.execute(
        stmt,
        [
            {"b_channel": channel_id, "b_campaign": campaign, "b_id": id_}
            for (channel_id, campaign), id_ in campaign_ids.items()
        ],
    )


async def staged_creatives(
    session: AsyncSession, batch_ids: Sequence[uuid.UUID]
) -> set[tuple[uuid.UUID, str, str]]:
    """The (channel, campaign, creative) of the batches' rows that name a creative."""
    s = STAGED.c
    rows = await session.execute(
        select(s.channel_id, s.campaign, s.creative)
        .where(s.batch_id.in_(batch_ids), s.creative != "")
        .distinct()
    )
    return {(r.channel_id, r.campaign, r.creative) for r in rows.all()}


async def staged_names(
    session: AsyncSession, batch_ids: Sequence[uuid.UUID], *, creatives: bool
) -> dict[tuple[Any, ...], str]:
    """The names the batches' rows give campaigns (or creatives): the last row's for each,
    the batches taken in their order."""
    s = STAGED.c
    name = s.creative_name if creatives else s.campaign_name
    key = (s.channel_id, s.campaign, s.creative) if creatives else (s.channel_id, s.campaign)
    rows = await session.execute(
        select(s.batch_id, s.seq, *key, name.label("name")).where(
            s.batch_id.in_(batch_ids), name.is_not(None)
        )
    )
    position = {batch_id: i for i, batch_id in enumerate(batch_ids)}
    ordered = sorted(rows.all(), key=lambda r: (position[r.batch_id], r.seq))
    return {tuple(r[2 : 2 + len(key)]): r.name for r in ordered}


async def write_staged(
    session: AsyncSession, org_id: uuid.UUID, batch_ids: Sequence[uuid.UUID]
) -> None:
    """Move the batches' rows (their campaigns resolved) into `metric_records` in one INSERT
    … SELECT: a row whose key exists has its values replaced. A key in several batches is
    written once, with the values of the batch received last (then its last record)."""
    s = STAGED.c
    values = [s[c] for c in METRIC_COLUMNS[1:-1]]
    org = literal(org_id, RECORDS.c.org_id.type).label("org_id")
    if len(batch_ids) == 1:  # a batch's own rows are one per key already (`to_staged`)
        source = select(org, *values, s.batch_id).where(s.batch_id == batch_ids[0])
    else:
        b = _BATCHES.c
        latest = (
            func.row_number()
            .over(
                partition_by=[s[c] for c in KEY_COLUMNS[1:]],
                order_by=[b.received_at.desc(), b.id.desc(), s.seq.desc()],
            )
            .label("latest")
        )
        ranked = (
            select(*values, s.batch_id, latest)
            .join_from(STAGED, _BATCHES, b.id == s.batch_id)
            .where(s.batch_id.in_(batch_ids))
            .subquery()
        )
        source = select(org, *(ranked.c[c] for c in METRIC_COLUMNS[1:])).where(ranked.c.latest == 1)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(RECORDS).from_select(list(METRIC_COLUMNS), source)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS), set_={c: stmt.excluded[c] for c in _VALUE_COLUMNS}
    )
    await session.execute(stmt)


def _day(value: Any) -> date:
    # SQLite gives min()/max() of a date column back as text.
    return value if isinstance(value, date) else date.fromisoformat(value)


async def drop_staged(session: AsyncSession, batch_ids: Sequence[uuid.UUID]) -> None:
    await session.execute(delete(STAGED).where(STAGED.c.batch_id.in_(batch_ids)))


async def refresh_daily(
    session: AsyncSession, org_id: uuid.UUID, spans: dict[uuid.UUID, tuple[date, date]]
) -> None:
    """Recompute the rollup of each campaign over its span of days from its records."""
    if not spans:
        return
    r = RECORDS.c
    d = DAILY_ROLLUP
    first = min(f for f, _last in spans.values())
    last = max(last for _f, last in spans.values())
    covered = sum((last - first).days + 1 for first, last in spans.values())
    if ((last - first).days + 1) * len(spans) <= 2 * covered + 31 * len(spans):
        # The usual batch: its campaigns over much the same days. One statement shape
        # whatever the campaigns (compiled once, planned as an index range per campaign);
        # a day recomputed beyond a campaign's own span comes out the same.
        ids = list(spans)
        touched = and_(r.campaign_id.in_(ids), r.day >= first, r.day <= last)
        stale = and_(d.c.campaign_id.in_(ids), d.c.day >= first, d.c.day <= last)
    else:  # scattered spans: each campaign's own
        touched = or_(
            *(
                and_(r.campaign_id == cid, r.day >= first, r.day <= last)
                for cid, (first, last) in spans.items()
            )
        )
        stale = or_(
            *(
                and_(d.c.campaign_id == cid, d.c.day >= first, d.c.day <= last)
                for cid, (first, last) in spans.items()
            )
        )
    await session.execute(delete(d).where(d.c.org_id == org_id, stale))
    sums = (
        select(
            r.org_id,
            r.campaign_id,
            r.day,
            AdCampaign.channel_id,
            *(func.sum(getattr(r, c)).label(c) for c in SUMMED),
            func.count().label("records"),
        )
        .join(AdCampaign, AdCampaign.id == r.campaign_id)
        .where(r.org_id == org_id, touched)
        .group_by(r.org_id, r.campaign_id, r.day, AdCampaign.channel_id)
    )
    g = sums.subquery("g")
    # Running totals as the rows go in: each campaign's first recomputed day carries its total
    # before (its last row before that day: one index probe, for that row only — CASE runs it
    # there alone), and a window adds the days up.
    p = d.alias("p")
    opening = g.c.day == func.min(g.c.day).over(partition_by=g.c.campaign_id)

    def before(column: str) -> Any:
        probe = (
            select(p.c[column])
            .where(p.c.org_id == org_id, p.c.campaign_id == g.c.campaign_id, p.c.day < g.c.day)
            .order_by(p.c.day.desc())
            .limit(1)
            .scalar_subquery()
        )
        return case((opening, func.coalesce(probe, 0)), else_=0).label(f"{column}_before")

    h = select(g, before("spend_to_date"), before("impressions_to_date")).subquery("h")

    def running(column: str) -> Any:
        added = h.c[column] + h.c[f"{column}_to_date_before"]
        return func.sum(added).over(partition_by=h.c.campaign_id, order_by=h.c.day)

    columns = ["org_id", "campaign_id", "day", "channel_id", *SUMMED, "records"]
    rows = select(*(h.c[c] for c in columns), running("spend"), running("impressions"))
    await session.execute(
        d.insert().from_select([*columns, "spend_to_date", "impressions_to_date"], rows)
    )
    # Days after the recomputed ones (a backfill of earlier days) shift with them.
    after = min(last for _first, last in spans.values()) + timedelta(days=1)
    await _refresh_running(session, org_id, list(spans), after)
    await _refresh_channel_days(session, org_id, spans)


async def _refresh_running(
    session: AsyncSession, org_id: uuid.UUID, campaign_ids: list[uuid.UUID], first: date
) -> None:
    """Recompute the campaigns' running totals from `first` on (usually no row: the days a
    batch touched are the latest): each day's is the campaign's last one before `first` (an
    index probe per campaign) plus its days' own since. Read, added up here, written by
    primary key (only rows that change): no join whose plan could go wrong while the
    rollup's statistics lag a bulk load."""
    d = DAILY_ROLLUP.c
    rows = (
        await session.execute(
            select(
                d.campaign_id,
                d.day,
                d.spend,
                d.impressions,
                d.spend_to_date,
                d.impressions_to_date,
            )
            .where(d.org_id == org_id, d.campaign_id.in_(campaign_ids), d.day >= first)
            .order_by(d.campaign_id, d.day)
        )
    ).all()
    if not rows:
        return
    p = DAILY_ROLLUP.alias("p")

    def before(column: str) -> Any:
        return (
            select(p.c[column])
            .where(p.c.org_id == org_id, p.c.campaign_id == AdCampaign.id, p.c.day < first)
            .order_by(p.c.day.desc())
            .limit(1)
            .scalar_subquery()
        )

    bases = {
        r.id: (Decimal(r.spend or 0), Decimal(r.impressions or 0))
        for r in await session.execute(
            select(
                AdCampaign.id,
                before("spend_to_date").label("spend"),
                before("impressions_to_date").label("impressions"),
            ).where(AdCampaign.org_id == org_id, AdCampaign.id.in_({r.campaign_id for r in rows}))
        )
    }
    changed = []
    running: dict[uuid.UUID, tuple[Decimal, Decimal]] = {}
    for r in rows:
        spend, impressions = running.get(r.campaign_id) or bases.get(
            r.campaign_id, (Decimal(0), Decimal(0))
        )
        spend, impressions = spend + r.spend, impressions + r.impressions
        running[r.campaign_id] = (spend, impressions)
        if (spend, impressions) != (r.spend_to_date, r.impressions_to_date):
            changed.append(
                {"b_campaign": r.campaign_id, "b_day": r.day, "b_spend": spend}
                | {"b_impressions": impressions}
            )
    if changed:
        await session.execute(
            update(DAILY_ROLLUP)
            .where(
                d.org_id == org_id,
                d.campaign_id == bindparam("b_campaign"),
                d.day == bindparam("b_day"),
            )
            .values(
                spend_to_date=bindparam("b_spend"), impressions_to_date=bindparam("b_impressions")
            ),
            changed,
        )


async def _refresh_channel_days(
    session: AsyncSession, org_id: uuid.UUID, spans: dict[uuid.UUID, tuple[date, date]]
) -> None:
    """Recompute the channel-day rollup over the days the campaigns' spans cover, for their
    channels, from the campaign-day rollup."""
    d = DAILY_ROLLUP.c
    c = CHANNEL_ROLLUP
    first = min(f for f, _l in spans.values())
    last = max(last for _f, last in spans.values())
    channel_ids = select(AdCampaign.channel_id).where(AdCampaign.id.in_(list(spans))).distinct()
    await session.execute(
        delete(c).where(
            c.c.org_id == org_id,
            c.c.channel_id.in_(channel_ids),
            c.c.day >= first,
            c.c.day <= last,
        )
    )
    sums = (
        select(d.org_id, d.channel_id, d.day, *(func.sum(d[name]).label(name) for name in SUMMED))
        .where(d.org_id == org_id, d.channel_id.in_(channel_ids), d.day >= first, d.day <= last)
        .group_by(d.org_id, d.channel_id, d.day)
    )
    await session.execute(c.insert().from_select(["org_id", "channel_id", "day", *SUMMED], sums))


async def metric_rows(
    session: AsyncSession,
    org_id: uuid.UUID,
    campaign_id: uuid.UUID,
    first: date,
    last: date,
    limit: int,
) -> list[Any]:
    r = RECORDS.c
    stmt = (
        select(*(getattr(r, c) for c in METRIC_COLUMNS if c not in ("org_id", "batch_id")))
        .where(r.org_id == org_id, r.campaign_id == campaign_id, r.day >= first, r.day <= last)
        .order_by(r.day, r.hour, r.creative)
        .limit(limit)
    )
    return list((await session.execute(stmt)).all())


async def lock_org_ingest(session: AsyncSession, org_id: uuid.UUID) -> bool:
    """Serialise an organisation's ingest jobs (two batches touching the same campaign-days
    would otherwise race on the rollup): False, at once, while another holds the lock."""
    return await try_advisory_xact_lock(session, f"ingest:{org_id}")
