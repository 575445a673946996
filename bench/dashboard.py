"""The channel dashboard over 10 million metric rows (issue 11): MEMS vs the raw aggregate.

One run, on PostgreSQL, with the API under uvicorn as a subprocess (as deployed; no worker):

1. **Data** (deterministic for the seed): one organisation with ~10,000,000 rows in
   `metric_records` — 8 channels, ~1,800 campaigns over the 365 days to `DATA_LAST`, most of
   them reporting hourly (24 records a day), some a day at a time; always-on campaigns and
   flights of two weeks to four months; figures around each channel's industry benchmark,
   shaped by the hour, the weekday, the shopping festivals (618, 双十一, 双十二, 年货节) and
   noise — written day by day (as they would arrive) with asyncpg's COPY in chunks, streamed
   from generators; then both rollups as the ingest
   job builds them (`repository.refresh_daily`: `metric_daily` per campaign and day, then
   `metric_channel_daily` per channel and day), then `VACUUM ANALYZE`. A second, small
   organisation has a year of daily records, so every query must filter by organisation.
   `--reuse` skips all that when the database already holds the same data (a marker in the
   database's comment, checked against the row count and the migration head).
2. **MEMS**: `GET /api/v1/channel-dashboard?from=…&to=…` (and `&channel_id=`) over HTTP with
   the admin's bearer token, for 8 range kinds (the last 7, 30 and 90 days, one quarter; each
   for every channel and for one), `--requests` per kind in a shuffled order, `--concurrency`
   in flight, after a warm-up; latency per request (p50/p95/p99 per kind and overall), from
   writing the request to reading the answer's last byte, on kept-alive connections through
   a few lines of asyncio (`ingest.http_exchange`: httpx's own Python, ~3 ms per 26 kB
   answer on these machines, would count as the server's; the checks use httpx).
3. **The raw twin**: the same figures summed from `metric_records` itself (joined with
   `ad_campaigns` for the channel), on asyncpg, one statement per dashboard: the range's
   sums per campaign and day (one pass over the range's records), folded into channel-day
   sums and the top 50 campaigns in SQL, and the previous period's totals; rows folded into
   totals, channels and trends in Python. Two forms (through the (campaign, day) index, or a
   scan of the range's partition), the faster per kind timed; JIT off. `--twin-runs` per kind
   after a warm-up, one at a time (median, p95), alternating with MEMS's rounds; in each
   round, beside the twin's runs, a share of the `--alone` MEMS requests per kind one at a
   time (like for like, in the same minutes).
4. **Equal results**: for every kind, MEMS's figures (totals, previous period, each channel,
   the top 50 campaigns in order, the trend per day, each channel's trend) must equal the
   twin's sums, or the run fails.

Rounds alternate MEMS and the twin, so drift in the machine's load hits both. Figures go to
`bench/results/dashboard.json` and the table to `dashboard.md`. See bench/README.md, "Channel
dashboard over 10 million rows".
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import math
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import asyncpg
import httpx
import orjson
from alembic.script import ScriptDirectory
from sqlalchemy import text

import mems.models_registry  # noqa: F401 - every table in Base.metadata
from datagen import _rows as people_rows
from datagen import ensure_database
from ingest import (
    _CHANNEL_NAMES,
    _KINDS,
    _THEMES,
    _benchmark,
    _check_bench_database,
    _dsn,
    _env,
    _insert,
    _median,
    _percentile,
    _stamped,
    _uuid,
    http_exchange,
    machine,
)
from mems.channels.repository import METRIC_COLUMNS
from mems.core.clock import utcnow
from mems.core.db import Database
from mems.core.security import hash_password, token_hash
from mems.migrate import alembic_config, upgrade
from run import (
    RESULTS_DIR,
    BenchError,
    Server,
    _cpu_seconds,
    _free_port,
    _postgres_version,
    _start,
    _stop,
    _wait_ready,
)

DEFAULT_DATABASE_URL = os.environ.get(
    "BENCH_DASHBOARD_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/bench_dashboard"
)
DEFAULT_REDIS_URL = os.environ.get("BENCH_DASHBOARD_REDIS_URL", "redis://127.0.0.1:6379/12")
API = "/api/v1"
TARGET_P95_MS = 100.0  # the dashboard from the rollups (issue 11)
TARGET_RATIO = 10.0  # at least 10x faster than the same aggregate over the raw table
GENERATOR = 2  # bump when the data's shape changes (a reused database must match)

DATA_LAST = date(2026, 11, 30)  # fixed, so a reused database answers the same ranges
DATA_DAYS = 365
DATA_FIRST = DATA_LAST - timedelta(days=DATA_DAYS - 1)
SUMMED = ("impressions", "clicks", "conversions", "leads", "followers", "spend", "revenue")
POINT = ("impressions", "clicks", "conversions", "spend", "revenue")  # a channel trend point

# The organisation's eight channels and their share of its campaigns; the share of each
# channel's campaigns whose platform reports a day at a time (no hours).
CHANNEL_MIX = (
    ("douyin", 0.24, 0.03),
    ("oceanengine", 0.16, 0.03),
    ("xiaohongshu", 0.14, 0.10),
    ("tencent_ads", 0.13, 0.05),
    ("kuaishou", 0.12, 0.05),
    ("baidu", 0.09, 0.40),
    ("wechat", 0.07, 0.30),
    ("weibo", 0.05, 0.30),
)
PROJECTS = 40
OTHER_ORG_CAMPAIGNS = 40  # the second organisation: daily records only
# An hour's share of a day's impressions: little at night, a lunch peak, the evening's.
_HOUR_WEIGHTS = (
    0.30, 0.18, 0.12, 0.09, 0.08, 0.12, 0.25, 0.45, 0.70, 0.85, 0.95, 1.00,
    1.10, 1.05, 0.95, 0.92, 0.95, 1.00, 1.10, 1.30, 1.50, 1.60, 1.35, 0.80,
)  # fmt: skip
HOUR_SHARES = tuple(w / sum(_HOUR_WEIGHTS) for w in _HOUR_WEIGHTS)
_WEEKDAY = (0.95, 0.93, 0.95, 0.98, 1.05, 1.12, 1.10)  # Monday first
COPY_CHUNK_ROWS = 500_000
# The twin's connection: JIT compilation off (it cost the short ranges' statement ~400 ms and
# saved nothing on the long ones: what a careful engineer would set for this query).
TWIN_SETTINGS = {"jit": "off"}


def season(day: date) -> float:
    """How much the whole market spends on a day, against a plain day (1): the festivals."""
    y = day.year
    for first, peak, last, height in (
        (date(y, 5, 20), date(y, 6, 18), date(y, 6, 20), 1.6),  # 618
        (date(y, 10, 20), date(y, 11, 11), date(y, 11, 12), 2.2),  # 双十一
        (date(y, 12, 1), date(y, 12, 12), date(y, 12, 13), 1.3),  # 双十二
        (date(y, 1, 5), date(y, 1, 20), date(y, 1, 25), 1.3),  # 年货节
    ):
        if first <= day <= last:
            if day <= peak:
                return 1 + (height - 1) * ((day - first).days + 1) / ((peak - first).days + 1)
            return 1 + (height - 1) / 2
    if date(y, 2, 14) <= day <= date(y, 2, 22):  # 春节 (2026: 17 February)
        return 0.6
    if date(y, 11, 13) <= day <= date(y, 11, 30):
        return 1.1
    return 1.0


DAY_FACTORS = {
    DATA_FIRST + timedelta(days=i): season(DATA_FIRST + timedelta(days=i))
    * _WEEKDAY[(DATA_FIRST + timedelta(days=i)).weekday()]
    for i in range(DATA_DAYS)
}


# ---- the plan (every id and parameter; no metric rows) -----------------------------------------


@dataclass(frozen=True)
class CampaignPlan:
    index: int
    id: uuid.UUID
    org_id: uuid.UUID
    channel: str
    first: date
    last: date
    hourly: bool
    impressions: float  # a typical day's
    ctr: float
    cvr: float
    cpc_cents: float
    order_value_cents: float  # 0: the campaign reports no revenue (brand awareness)

    @property
    def rows(self) -> int:
        return ((self.last - self.first).days + 1) * (24 if self.hourly else 1)


@dataclass
class Plan:
    seed: int
    rows_target: int
    org_id: uuid.UUID
    other_org_id: uuid.UUID
    admin_member_id: uuid.UUID
    token: str
    channel_ids: dict[str, uuid.UUID]  # the main organisation's, by key
    tables: list[tuple[str, list[dict[str, Any]]]]
    campaigns: list[CampaignPlan]
    other_campaigns: list[CampaignPlan]

    @property
    def rows(self) -> int:
        return sum(c.rows for c in self.campaigns)

    def marker(self, head: str) -> dict[str, Any]:
        return {
            "benchmark": "dashboard",
            "generator": GENERATOR,
            "seed": self.seed,
            "rows_target": self.rows_target,
            "rows": self.rows,
            "other_rows": sum(c.rows for c in self.other_campaigns),
            "org_id": str(self.org_id),
            "data_last": DATA_LAST.isoformat(),
            "alembic_head": head,
        }


def _campaign(
    rng: random.Random, index: int, org_id: uuid.UUID, channel: str, daily_share: float
) -> CampaignPlan:
    kind = _KINDS[channel]
    weak = rng.random() < 1 / 12
    if rng.random() < 0.7:  # always on: from the first day, or since a day in the year
        first = DATA_FIRST if rng.random() < 0.75 else DATA_FIRST + timedelta(rng.randrange(200))
        last = DATA_LAST
    else:  # a flight of two weeks to four months
        length = rng.randrange(14, 121)
        first = DATA_FIRST + timedelta(days=rng.randrange(DATA_DAYS - length + 1))
        last = first + timedelta(days=length - 1)
    return CampaignPlan(
        index=index,
        id=_uuid(rng),
        org_id=org_id,
        channel=channel,
        first=first,
        last=last,
        hourly=rng.random() >= daily_share,
        impressions=rng.lognormvariate(10.8, 0.8),
        ctr=_benchmark(kind, "ctr") * rng.lognormvariate(0, 0.2) * (0.5 if weak else 1.0),
        cvr=_benchmark(kind, "cvr") * rng.lognormvariate(0, 0.25) * (0.6 if weak else 1.0),
        cpc_cents=100 * _benchmark(kind, "cpc") * rng.lognormvariate(0, 0.2),
        order_value_cents=0.0 if rng.random() < 0.08 else 100 * rng.uniform(80, 400),
    )


def make_plan(seed: int, rows_target: int, members: int) -> Plan:
    """Everything but the metric rows, from one generator: two organisations with members
    (the first's admin logs in), their channels, 40 projects, and campaigns added until their
    records reach `rows_target`."""
    rng = random.Random(f"{seed}:dashboard")
    orgs, users, memberships = people_rows(rng, 2, members, hash_password("bench-password-1234"))
    token = "bench_" + rng.randbytes(32).hex()
    at = datetime(2025, 11, 20, 1, 30, tzinfo=UTC)
    org_id, other_org_id = (o["id"] for o in orgs)
    admin = memberships[0]
    channels: list[dict[str, Any]] = []
    channel_ids: dict[tuple[uuid.UUID, str], uuid.UUID] = {}
    for org in (org_id, other_org_id):
        for key, _share, _daily in CHANNEL_MIX:
            channel_ids[(org, key)] = _uuid(rng)
            row = {"id": channel_ids[(org, key)], "org_id": org, "key": key}
            row |= {"name": _CHANNEL_NAMES[key], "kind": _KINDS[key], "active": True}
            channels.append(_stamped(row, at))
    managers = [
        m
        for m in memberships
        if m["org_id"] == org_id and m["role"] in ("admin", "director", "project_manager")
    ]
    projects = []
    for p in range(PROJECTS):
        starts = DATA_FIRST + timedelta(days=rng.randrange(-60, 300))
        projects.append(
            _stamped(
                {
                    "id": _uuid(rng),
                    "org_id": org_id,
                    "code": f"P2026-{p + 1:03d}",
                    "name": f"{rng.choice(_THEMES)}整合营销 {p + 1:02d}",
                    "type": "promotion",
                    "status": "active",
                    "owner_member_id": rng.choice(managers)["id"],
                    "starts_on": starts,
                    "ends_on": starts + timedelta(days=rng.randrange(60, 240)),
                    "currency": "CNY",
                    "total_budget": Decimal(rng.randrange(200, 5000) * 1000),
                },
                at,
            )
        )
    keys = [key for key, _s, _d in CHANNEL_MIX]
    weights = [share for _k, share, _d in CHANNEL_MIX]
    daily_share = {key: d for key, _s, d in CHANNEL_MIX}
    campaigns: list[CampaignPlan] = []
    planned = 0
    while planned < rows_target:
        key = rng.choices(keys, weights)[0]
        c = _campaign(rng, len(campaigns), org_id, key, daily_share[key])
        campaigns.append(c)
        planned += c.rows
    other = []
    for i in range(OTHER_ORG_CAMPAIGNS):
        c = _campaign(rng, 100_000 + i, other_org_id, keys[i % len(keys)], 1.0)
        other.append(c)
    campaign_rows = []
    for c in [*campaigns, *other]:
        in_project = c.org_id == org_id and rng.random() < 0.6
        campaign_rows.append(
            _stamped(
                {
                    "id": c.id,
                    "org_id": c.org_id,
                    "channel_id": channel_ids[(c.org_id, c.channel)],
                    "external_id": str(1_760_000_000_000 + c.index * 7919),
                    "name": f"{rng.choice(_THEMES)}·{_CHANNEL_NAMES[c.channel]}·{c.index:04d}",
                    "project_id": rng.choice(projects)["id"] if in_project else None,
                    "status": "active" if c.last == DATA_LAST else "ended",
                    "sync_spend": True,
                },
                at,
            )
        )
    tables: list[tuple[str, list[dict[str, Any]]]] = [
        ("organizations", orgs),
        ("users", users),
        ("memberships", memberships),
        ("channels", channels),
        ("projects", projects),
        ("ad_campaigns", campaign_rows),
        (
            "auth_sessions",
            [
                {
                    "id": _uuid(rng),
                    "token_hash": token_hash(token),
                    "membership_id": admin["id"],
                    "created_at": at,
                    "expires_at": at,  # set to a month from now when written
                    "ip": "127.0.0.1",
                    "user_agent": "mems-bench-dashboard",
                }
            ],
        ),
    ]
    return Plan(
        seed=seed,
        rows_target=rows_target,
        org_id=org_id,
        other_org_id=other_org_id,
        admin_member_id=admin["id"],
        token=token,
        channel_ids={key: channel_ids[(org_id, key)] for key in keys},
        tables=tables,
        campaigns=campaigns,
        other_campaigns=other,
    )


def campaign_days(seed: int, c: CampaignPlan) -> Iterator[list[tuple[Any, ...]]]:
    """A campaign's records, one list a day from its first day (24 hourly records, or one
    for the whole day), from its own generator: the same rows whatever else is generated."""
    rng = random.Random(f"{seed}:records:{c.index}")
    rand = rng.random
    dec = Decimal
    org, cid = c.org_id, c.id
    ctr, cvr, cpc, value = c.ctr, c.cvr, c.cpc_cents, c.order_value_cents
    hours = tuple(enumerate(HOUR_SHARES)) if c.hourly else ((-1, 1.0),)
    drift = 1.0
    day = c.first
    ramp = 0
    while day <= c.last:
        batch_id = uuid.uuid5(uuid.NAMESPACE_URL, f"mems-bench-dashboard:{seed}:{day}")
        drift = min(2.0, max(0.5, drift * math.exp(rng.gauss(0, 0.03))))
        ramp += 1
        level = c.impressions * DAY_FACTORS[day] * drift * (0.85 + 0.3 * rand())
        if ramp <= 3:  # a campaign takes a few days to reach its audience
            level *= ramp / 4
        rows = []
        for hour, share in hours:
            impressions = int(level * share * (0.8 + 0.4 * rand()))
            clicks = min(impressions, int(impressions * ctr * (0.75 + 0.5 * rand()) + rand()))
            conversions = min(clicks, int(clicks * cvr * (0.6 + 0.8 * rand()) + rand()))
            rows.append(
                (
                    org,
                    cid,
                    "",
                    day,
                    hour,
                    impressions,
                    clicks,
                    conversions,
                    int(conversions * (0.2 + 0.4 * rand()) + rand()),
                    int(clicks * (0.01 + 0.04 * rand()) + rand()),
                    dec(int(clicks * cpc * (0.9 + 0.2 * rand()) + 0.5)).scaleb(-2),
                    dec(int(conversions * value * (0.8 + 0.4 * rand()) + 0.5)).scaleb(-2),
                    None,
                    None,
                    batch_id,
                )
            )
        yield rows
        day += timedelta(days=1)


def days_of_records(plan: Plan) -> Iterator[list[tuple[Any, ...]]]:
    """Every campaign's records (both organisations), a day at a time in the order of days,
    as the daily ingestion writes them: the table's rows lie in the order they arrived, not
    grouped by campaign."""
    starting: dict[date, list[CampaignPlan]] = collections.defaultdict(list)
    for c in [*plan.campaigns, *plan.other_campaigns]:
        starting[c.first].append(c)
    live: list[tuple[CampaignPlan, Iterator[list[tuple[Any, ...]]]]] = []
    for i in range(DATA_DAYS):
        day = DATA_FIRST + timedelta(days=i)
        live += [(c, campaign_days(plan.seed, c)) for c in starting[day]]
        rows: list[tuple[Any, ...]] = []
        for _c, days in live:
            rows += next(days)
        live = [(c, days) for c, days in live if c.last > day]
        yield rows


# ---- the database -----------------------------------------------------------------------------


def alembic_head() -> str:
    return str(ScriptDirectory.from_config(alembic_config()).get_current_head())


async def _marker(url: str) -> dict[str, Any] | None:
    conn = await asyncpg.connect(_dsn(url))
    try:
        comment = await conn.fetchval(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = current_database()"
        )
    finally:
        await conn.close()
    try:
        value = json.loads(comment) if comment else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


async def _set_marker(conn: asyncpg.Connection, marker: dict[str, Any] | None) -> None:
    name = await conn.fetchval("SELECT current_database()")
    value = "NULL" if marker is None else "'" + json.dumps(marker).replace("'", "''") + "'"
    await conn.execute(f'COMMENT ON DATABASE "{name}" IS {value}')


async def row_counts(conn: asyncpg.Connection, org_id: uuid.UUID) -> dict[str, int]:
    out = {}
    for table in ("metric_records", "metric_daily", "metric_channel_daily", "ad_campaigns"):
        out[table] = int(
            await conn.fetchval(f"SELECT count(*) FROM {table} WHERE org_id = $1", org_id)  # noqa: S608
        )
    out["metric_records (all organisations)"] = int(
        await conn.fetchval("SELECT count(*) FROM metric_records")
    )
    return out


async def reusable(url: str, plan: Plan) -> str | None:
    """None when the database holds this plan's data, complete; else why not."""
    try:
        marker = await _marker(url)
    except (OSError, asyncpg.PostgresError) as exc:
        return f"no database ({exc.__class__.__name__})"
    if marker is None:
        return "no marker (never finished, or another benchmark's)"
    want = plan.marker(alembic_head())
    if marker != want:
        diff = {k: (marker.get(k), v) for k, v in want.items() if marker.get(k) != v}
        return f"marker differs: {diff}"
    conn = await asyncpg.connect(_dsn(url))
    try:
        version = await conn.fetchval("SELECT version_num FROM alembic_version")
        count = await conn.fetchval(
            "SELECT count(*) FROM metric_records WHERE org_id = $1", plan.org_id
        )
    finally:
        await conn.close()
    if version != want["alembic_head"]:
        return f"migrated to {version}, head is {want['alembic_head']}"
    if count != plan.rows:
        return f"{count:,} metric records, expected {plan.rows:,}"
    return None


async def generate(url: str, plan: Plan) -> dict[str, float]:
    """Reset, migrate, write the plan's rows, COPY the records, build both rollups, VACUUM
    ANALYZE; the seconds of each step."""
    _check_bench_database(url)
    await ensure_database(url)
    steps: dict[str, float] = {}
    t = time.perf_counter()
    conn = await asyncpg.connect(_dsn(url))
    try:
        await _set_marker(conn, None)
    finally:
        await conn.close()
    db = Database.from_url(url, pool_size=2)
    try:
        async with db.engine.begin() as c:
            await c.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await c.execute(text("CREATE SCHEMA public"))
        await upgrade(db.engine)
        steps["reset and migrate"] = time.perf_counter() - t
        t = time.perf_counter()
        async with db.sessionmaker() as session:
            for name, rows in plan.tables:
                if name == "auth_sessions":
                    rows = [{**r, "expires_at": utcnow() + timedelta(days=30)} for r in rows]
                await _insert(session, name, rows)
            await session.commit()
    finally:
        await db.engine.dispose()
    steps["organisations, channels, projects, campaigns"] = time.perf_counter() - t
    print(
        f"  schema and {len(plan.campaigns) + len(plan.other_campaigns):,} campaigns written "
        f"({sum(steps.values()):.1f}s)",
        flush=True,
    )
    conn = await asyncpg.connect(_dsn(url))
    try:
        await conn.execute("SET synchronous_commit = off")
        await conn.execute("SET maintenance_work_mem = '256MB'")
        await conn.execute("SET work_mem = '256MB'")
        t = time.perf_counter()
        written = 0
        total = plan.rows + sum(c.rows for c in plan.other_campaigns)
        days = days_of_records(plan)
        more = True
        while more:
            counted = [0]

            def chunk(counted: list[int] = counted) -> Iterator[tuple[Any, ...]]:
                nonlocal more
                for rows in days:
                    yield from rows
                    counted[0] += len(rows)
                    if counted[0] >= COPY_CHUNK_ROWS:
                        return
                more = False

            await conn.copy_records_to_table(
                "metric_records", records=chunk(), columns=list(METRIC_COLUMNS)
            )
            written += counted[0]
            elapsed = time.perf_counter() - t
            print(
                f"\r  metric_records: {written:,} / {total:,} rows, {elapsed:.0f}s "
                f"({written / elapsed:,.0f} rows/s; load {os.getloadavg()[0]:.1f})   ",
                end="",
                flush=True,
            )
        print(flush=True)
        steps["COPY metric_records"] = time.perf_counter() - t
        # The rollups as the ingest job builds them (repository.refresh_daily), for every
        # campaign and day at once: campaign days (and their running totals) from the records,
        # channel days from those.
        t = time.perf_counter()
        await conn.execute(
            """
            INSERT INTO metric_daily (org_id, campaign_id, day, channel_id, impressions, clicks,
                conversions, leads, followers, spend, revenue, records, spend_to_date,
                impressions_to_date)
            SELECT r.org_id, r.campaign_id, r.day, c.channel_id, sum(r.impressions),
                sum(r.clicks), sum(r.conversions), sum(r.leads), sum(r.followers), sum(r.spend),
                sum(r.revenue), count(*),
                sum(sum(r.spend)) OVER (PARTITION BY r.org_id, r.campaign_id ORDER BY r.day),
                sum(sum(r.impressions)) OVER (PARTITION BY r.org_id, r.campaign_id ORDER BY r.day)
            FROM metric_records r JOIN ad_campaigns c ON c.id = r.campaign_id
            GROUP BY r.org_id, r.campaign_id, r.day, c.channel_id
            """
        )
        steps["rollup metric_daily"] = time.perf_counter() - t
        print(f"  metric_daily built ({steps['rollup metric_daily']:.1f}s)", flush=True)
        t = time.perf_counter()
        await conn.execute(
            """
            INSERT INTO metric_channel_daily (org_id, channel_id, day, impressions, clicks,
                conversions, leads, followers, spend, revenue)
            SELECT org_id, channel_id, day, sum(impressions), sum(clicks), sum(conversions),
                sum(leads), sum(followers), sum(spend), sum(revenue)
            FROM metric_daily
            GROUP BY org_id, channel_id, day
            """
        )
        steps["rollup metric_channel_daily"] = time.perf_counter() - t
        t = time.perf_counter()
        await conn.execute("VACUUM ANALYZE")
        steps["VACUUM ANALYZE"] = time.perf_counter() - t
        print(f"  rollups and VACUUM ANALYZE done ({sum(steps.values()):.0f}s in all)", flush=True)
        await _set_marker(conn, plan.marker(alembic_head()))
    finally:
        await conn.close()
    return steps


async def refresh_session(url: str, plan: Plan) -> None:
    """A reused database: the login session valid again."""
    conn = await asyncpg.connect(_dsn(url))
    try:
        done = await conn.execute(
            "UPDATE auth_sessions SET expires_at = $2, revoked_at = NULL WHERE token_hash = $1",
            token_hash(plan.token),
            utcnow() + timedelta(days=30),
        )
    finally:
        await conn.close()
    if done != "UPDATE 1":
        raise BenchError("the reused database has no login session for this seed")


# ---- the ranges -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    name: str
    first: date
    last: date
    channel: str | None = None

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def previous(self) -> tuple[date, date]:
        return self.first - timedelta(days=self.days), self.first - timedelta(days=1)


def range_kinds(channel: str) -> list[Kind]:
    """The last 7, 30 and 90 days (to the data's last day: "today" of a dashboard opened the
    next morning) and a quarter (2026 Q3), over every channel and over one."""
    ranges = [
        ("7 days", DATA_LAST - timedelta(days=6), DATA_LAST),
        ("30 days", DATA_LAST - timedelta(days=29), DATA_LAST),
        ("90 days", DATA_LAST - timedelta(days=89), DATA_LAST),
        ("quarter (2026 Q3)", date(2026, 7, 1), date(2026, 9, 30)),
    ]
    out = [Kind(name, first, last) for name, first, last in ranges]
    out += [Kind(f"{name}, one channel", first, last, channel) for name, first, last in ranges]
    return out


def dashboard_path(kind: Kind, channel_ids: dict[str, uuid.UUID]) -> str:
    path = f"{API}/channel-dashboard?from={kind.first.isoformat()}&to={kind.last.isoformat()}"
    if kind.channel:
        path += f"&channel_id={channel_ids[kind.channel]}"
    return path


# ---- figures compared (MEMS's JSON and the twin's rows, in one shape) -------------------------


Sums = dict[str, Decimal]


@dataclass
class Figures:
    totals: Sums
    previous: Sums
    channels: dict[str, Sums]
    campaigns: list[tuple[str, str, str, str | None, Sums]]  # id, name, channel, project
    trend: list[tuple[str, Sums]]  # every day of the range
    channel_trend: dict[str, dict[str, tuple[Decimal, ...]]]  # channel -> day -> POINT


def _sums(obj: dict[str, Any]) -> Sums:
    return {name: Decimal(str(obj[name])) for name in SUMMED}


def from_mems(body: dict[str, Any]) -> Figures:
    return Figures(
        totals=_sums(body["totals"]),
        previous=_sums(body["previous"]),
        channels={c["channel_id"]: _sums(c["figures"]) for c in body["channels"]},
        campaigns=[
            (c["campaign_id"], c["name"], c["channel_id"], c["project_id"], _sums(c["figures"]))
            for c in body["campaigns"]
        ],
        trend=[(t["day"], _sums(t["figures"])) for t in body["trend"]],
        channel_trend={
            t["channel_id"]: {
                p["day"]: tuple(Decimal(str(p[name])) for name in POINT) for p in t["points"]
            }
            for t in body["channel_trend"]
        },
    )


def differences(mems: Figures, twin: Figures, limit: int = 8) -> list[str]:
    out: list[str] = []

    def check(where: str, a: Any, b: Any) -> None:
        if a != b and len(out) < limit:
            out.append(f"{where}: MEMS {a!r} != twin {b!r}")

    check("totals", mems.totals, twin.totals)
    check("previous", mems.previous, twin.previous)
    check("channels (ids)", sorted(mems.channels), sorted(twin.channels))
    for cid in sorted(set(mems.channels) & set(twin.channels)):
        check(f"channel {cid}", mems.channels[cid], twin.channels[cid])
    check(
        "campaigns (ids, in order)", [c[0] for c in mems.campaigns], [c[0] for c in twin.campaigns]
    )
    for a, b in zip(mems.campaigns, twin.campaigns, strict=False):
        check(f"campaign {a[0]}", a, b)
    check("trend (days)", [d for d, _s in mems.trend], [d for d, _s in twin.trend])
    for (day, a), (_d, b) in zip(mems.trend, twin.trend, strict=False):
        check(f"trend {day}", a, b)
    check("channel trend (channels)", sorted(mems.channel_trend), sorted(twin.channel_trend))
    for cid in sorted(set(mems.channel_trend) & set(twin.channel_trend)):
        check(f"channel trend {cid}", mems.channel_trend[cid], twin.channel_trend[cid])
    return out


# ---- the raw twin -----------------------------------------------------------------------------

_SUMS = ", ".join(f"sum(r.{n}) AS {n}" for n in SUMMED)
_RESUM = ", ".join(f"sum({n}) AS {n}" for n in SUMMED)
_DAY_SUMS = ", ".join(f"sum(d.{n}) AS {n}" for n in SUMMED)
_TOP = ", ".join(f"t.{n}" for n in SUMMED)


def twin_sql(one_channel: bool, by_index: bool) -> str:
    """One statement: the range's records summed per campaign and day (one pass over them),
    then per channel and day and per campaign (the top 50 by spend, then impressions, then
    id, as MEMS orders them) from those sums; the previous period's totals. The organisation's
    campaigns (or one channel's) are the scope. `by_index`: each campaign's records read
    through the (campaign, day) index (a lateral subquery per campaign: the plan for a short
    range); else one scan of the range's partitions joined to the scope (the plan PostgreSQL
    picks, best for longer ranges). $1 org, $2 first, $3 last, $4 the previous period's first
    day, $5 channel."""
    channel = "AND c.channel_id = $5" if one_channel else ""
    if by_index:
        days = f"""
        SELECT s.id AS campaign_id, x.*
        FROM scope s CROSS JOIN LATERAL (
            SELECT r.day, {_SUMS} FROM metric_records r
            WHERE r.campaign_id = s.id AND r.org_id = $1 AND r.day BETWEEN $2 AND $3
            GROUP BY r.day
        ) x"""  # noqa: S608 - constant SQL
        before = f"""
        SELECT 1, NULL::uuid, NULL::date, NULL::uuid, NULL::text, NULL::uuid, 0::bigint,
               {_RESUM}
        FROM scope s CROSS JOIN LATERAL (
            SELECT {_SUMS} FROM metric_records r
            WHERE r.campaign_id = s.id AND r.org_id = $1 AND r.day BETWEEN $4 AND $2 - 1
        ) x"""  # noqa: S608 - constant SQL
    else:
        days = f"""
        SELECT r.campaign_id, r.day, {_SUMS}
        FROM metric_records r JOIN scope s ON s.id = r.campaign_id
        WHERE r.org_id = $1 AND r.day BETWEEN $2 AND $3
        GROUP BY r.campaign_id, r.day"""  # noqa: S608 - constant SQL
        before = f"""
        SELECT 1, NULL::uuid, NULL::date, NULL::uuid, NULL::text, NULL::uuid, 0::bigint,
               {_SUMS}
        FROM metric_records r JOIN scope s ON s.id = r.campaign_id
        WHERE r.org_id = $1 AND r.day BETWEEN $4 AND $2 - 1"""  # noqa: S608 - constant SQL
    return f"""
    WITH scope AS (
        SELECT c.id, c.channel_id FROM ad_campaigns c WHERE c.org_id = $1 {channel}
    ), days AS ({days}
    ), top AS (
        SELECT campaign_id, {_RESUM},
               row_number() OVER (ORDER BY sum(spend) DESC, sum(impressions) DESC, campaign_id)
                   AS rank
        FROM days GROUP BY campaign_id
        ORDER BY sum(spend) DESC, sum(impressions) DESC, campaign_id LIMIT 50
    )
    SELECT 0 AS part, s.channel_id, d.day, NULL::uuid AS campaign_id, NULL::text AS name,
           NULL::uuid AS project_id, 0::bigint AS rank, {_DAY_SUMS}
    FROM days d JOIN scope s ON s.id = d.campaign_id
    GROUP BY s.channel_id, d.day
    UNION ALL{before}
    UNION ALL
    SELECT 2, c.channel_id, NULL, t.campaign_id, c.name, c.project_id, t.rank, {_TOP}
    FROM top t JOIN ad_campaigns c ON c.id = t.campaign_id
    """  # noqa: S608 - constant SQL


def _zero() -> Sums:
    return dict.fromkeys(SUMMED, Decimal(0))


def _add(into: Sums, row: Any) -> None:
    for name in SUMMED:
        into[name] += row[name]


def twin_figures(rows: list[asyncpg.Record], kind: Kind) -> Figures:
    """The dashboard's sums from the statement's rows (what a hand-written endpoint would do
    before computing ratios)."""
    per_day = {kind.first + timedelta(days=i): _zero() for i in range(kind.days)}
    channels: dict[str, Sums] = {}
    channel_trend: dict[str, dict[str, tuple[Decimal, ...]]] = collections.defaultdict(dict)
    previous = _zero()
    top = []
    for row in rows:
        part = row["part"]
        if part == 0:
            cid = str(row["channel_id"])
            _add(per_day[row["day"]], row)
            _add(channels.setdefault(cid, _zero()), row)
            channel_trend[cid][row["day"].isoformat()] = tuple(Decimal(row[n]) for n in POINT)
        elif part == 1:
            for name in SUMMED:
                previous[name] = Decimal(row[name] or 0)
        else:
            top.append(row)
    totals = _zero()
    for sums in channels.values():
        for name in SUMMED:
            totals[name] += sums[name]
    top.sort(key=lambda r: r["rank"])
    return Figures(
        totals={n: Decimal(v) for n, v in totals.items()},
        previous=previous,
        channels={k: {n: Decimal(v) for n, v in s.items()} for k, s in channels.items()},
        campaigns=[
            (
                str(r["campaign_id"]),
                r["name"],
                str(r["channel_id"]),
                str(r["project_id"]) if r["project_id"] else None,
                {n: Decimal(r[n]) for n in SUMMED},
            )
            for r in top
        ],
        trend=[
            (d.isoformat(), {n: Decimal(v) for n, v in s.items()})
            for d, s in sorted(per_day.items())
        ],
        channel_trend=dict(channel_trend),
    )


async def twin(
    conn: asyncpg.Connection, plan: Plan, kind: Kind, by_index: bool
) -> tuple[float, Figures]:
    """One dashboard computed from the raw records: milliseconds and the figures."""
    args: list[Any] = [plan.org_id, kind.first, kind.last, kind.previous[0]]
    if kind.channel:
        args.append(plan.channel_ids[kind.channel])
    t = time.perf_counter()
    rows = await conn.fetch(twin_sql(kind.channel is not None, by_index), *args)
    figures = twin_figures(rows, kind)
    return 1000 * (time.perf_counter() - t), figures


# ---- MEMS over HTTP ---------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    ms: float
    status: int
    size: int


class LoadWatch:
    """The 1-minute load average, sampled every second while a phase runs."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            self.values.append(os.getloadavg()[0])
            await asyncio.sleep(1.0)

    def __enter__(self) -> LoadWatch:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *_a: Any) -> None:
        if self._task:
            self._task.cancel()


class Lean:
    """Kept-alive connections to the API and each path's request, written once: the requests
    MEMS is timed on go through `ingest.http_exchange` (the checks before use httpx)."""

    def __init__(self, api: Server, paths: dict[str, str], token: str) -> None:
        self.port = api.port
        self.requests = {
            name: (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{api.port}\r\n"
                f"Authorization: Bearer {token}\r\nAccept: application/json\r\n\r\n"
            ).encode()
            for name, path in paths.items()
        }
        self.idle: list[Any] = []

    async def get(self, name: str) -> tuple[int, bytes]:
        if not self.idle:
            return await self._on_new(name)
        connection = self.idle.pop()
        try:
            status, close, body = await http_exchange(connection, self.requests[name])
        except (ConnectionResetError, asyncio.IncompleteReadError):
            # Closed by the server while idle (uvicorn's 5 s keep-alive, during the twin's
            # runs): again on a new connection, as HTTP clients do.
            connection[1].close()
            return await self._on_new(name)
        return self._kept(connection, close, status, body)

    async def _on_new(self, name: str) -> tuple[int, bytes]:
        connection = await asyncio.open_connection("127.0.0.1", self.port)
        status, close, body = await http_exchange(connection, self.requests[name])
        return self._kept(connection, close, status, body)

    def _kept(self, connection: Any, close: bool, status: int, body: bytes) -> tuple[int, bytes]:
        if close:
            connection[1].close()
        else:
            self.idle.append(connection)
        return status, body

    def close(self) -> None:
        for _reader, writer in self.idle:
            writer.close()
        self.idle.clear()


async def mems_round(lean: Lean, order: list[str], concurrency: int) -> list[Sample]:
    """Requests for the kinds in `order`, `concurrency` at a time (each worker takes the next
    one as soon as its previous answer is read)."""
    queue = collections.deque(order)
    samples: list[Sample] = []

    async def worker() -> None:
        while queue:
            name = queue.popleft()
            t = time.perf_counter()
            status, body = await lean.get(name)
            ms = 1000 * (time.perf_counter() - t)
            samples.append(Sample(name, ms, status, len(body)))
            if status != 200:
                raise BenchError(f"GET {name}: {status} {body[:500]!r}")

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return samples


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "n": len(ordered),
        "p50_ms": _percentile(ordered, 50),
        "p95_ms": _percentile(ordered, 95),
        "p99_ms": _percentile(ordered, 99),
        "max_ms": ordered[-1] if ordered else float("nan"),
        "mean_ms": sum(ordered) / len(ordered) if ordered else float("nan"),
    }


# ---- the run ----------------------------------------------------------------------------------


async def measure(plan: Plan, args: argparse.Namespace) -> dict[str, Any]:
    kinds = range_kinds("douyin")
    paths = {k.name: dashboard_path(k, plan.channel_ids) for k in kinds}
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    var_dir = tempfile.mkdtemp(prefix="mems-bench-dashboard-var-")
    env = _env(
        SimpleNamespace(database_url=args.database_url),  # type: ignore[arg-type]
        SimpleNamespace(redis_url=args.redis_url),  # type: ignore[arg-type]
        var_dir,
    )
    api = Server(
        "mems", args.port or _free_port(), API, {}, log_path=RESULTS_DIR / "dashboard-api.log"
    )
    conn = await asyncpg.connect(_dsn(args.database_url), server_settings=TWIN_SETTINGS)
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    client = httpx.AsyncClient(
        timeout=120.0, limits=limits, headers={"Authorization": f"Bearer {plan.token}"}
    )
    samples: dict[str, list[float]] = {k.name: [] for k in kinds}
    twin_ms: dict[str, list[float]] = {k.name: [] for k in kinds}
    sizes: dict[str, int] = {}
    checked: dict[str, Any] = {}
    forms: dict[str, str] = {}
    alone: dict[str, list[float]] = {k.name: [] for k in kinds}
    rounds: list[dict[str, Any]] = []
    rng = random.Random(f"{args.seed}:order")
    lean = Lean(api, paths, plan.token)
    try:
        _start(api, ["mems.main:create_app", "--factory"], env)
        _wait_ready(api, f"{API}/health")
        # Equal results first (and the warm-up of both sides).
        print("Checking MEMS's figures against the raw twin's, per range...", flush=True)
        for k in kinds:
            r = await client.get(api.base_url + paths[k.name])
            if r.status_code != 200:
                raise BenchError(f"GET {paths[k.name]}: {r.status_code} {r.text[:500]}")
            sizes[k.name] = len(r.content)
            mems = from_mems(orjson.loads(r.content))
            # Both of the twin's plans, twice each (the first read may come from disk): the
            # faster is the one timed below. Both must give MEMS's figures.
            tried: dict[str, list[float]] = {"scan": [], "index": []}
            for _ in range(2):
                for form in tried:
                    ms, figures = await twin(conn, plan, k, form == "index")
                    tried[form].append(ms)
                    diff = differences(mems, figures)
                    if diff:
                        raise BenchError(
                            f"{k.name} ({paths[k.name]}): MEMS and the raw twin ({form}) "
                            "differ:\n  " + "\n  ".join(diff)
                        )
            forms[k.name] = min(tried, key=lambda f: min(tried[f]))
            checked[k.name] = {
                "equal": True,
                "channels": len(mems.channels),
                "campaigns": len(mems.campaigns),
                "days": len(mems.trend),
                "spend": str(mems.totals["spend"]),
                "impressions": int(mems.totals["impressions"]),
                "previous_spend": str(mems.previous["spend"]),
                "body_bytes": sizes[k.name],
                "twin_forms_ms": tried,
                "twin_form": forms[k.name],
            }
            print(
                f"  {k.name:28} equal: {len(mems.channels)} channels, {len(mems.campaigns)} "
                f"campaigns, {len(mems.trend)} days, spend ¥{mems.totals['spend']:,} "
                f"(before ¥{mems.previous['spend']:,}); {sizes[k.name] / 1024:.0f} kB; "
                f"twin by scan {' / '.join(f'{v:,.0f}' for v in tried['scan'])} ms, by index "
                f"{' / '.join(f'{v:,.0f}' for v in tried['index'])} ms: {forms[k.name]}",
                flush=True,
            )
        warm = [k.name for k in kinds for _ in range(args.warmup)]
        rng.shuffle(warm)
        await mems_round(lean, warm, args.concurrency)
        # Rounds: a share of MEMS's requests (every kind, shuffled, concurrent), then one twin
        # run per kind, one at a time.
        per_round = [args.requests // args.twin_runs] * args.twin_runs
        for i in range(args.requests % args.twin_runs):
            per_round[i] += 1
        # The same requests one at a time, a share in each round beside the twin's runs (so a
        # machine that slows down or speeds up during the run moves both): each one's own
        # time, without waiting for the requests ahead of it in the API's one process.
        alone_per_round = [(args.alone or 0) // args.twin_runs] * args.twin_runs
        for i in range((args.alone or 0) % args.twin_runs):
            alone_per_round[i] += 1
        alone_cpu_total, alone_requests, alone_loads = 0.0, 0, []
        cpu_total, requests_total = 0.0, 0
        for i, n in enumerate(per_round):
            order = [k.name for k in kinds for _ in range(n)]
            rng.shuffle(order)
            with LoadWatch() as mems_load:
                cpu = _cpu_seconds(api)
                t = time.perf_counter()
                got = await mems_round(lean, order, args.concurrency)
                wall = time.perf_counter() - t
                cpu = _cpu_seconds(api) - cpu
            cpu_total += cpu
            requests_total += len(got)
            for s in got:
                samples[s.kind].append(s.ms)
            with LoadWatch() as twin_load:
                done = {}
                for k in kinds:
                    ms, _figures = await twin(conn, plan, k, forms[k.name] == "index")
                    twin_ms[k.name].append(ms)
                    done[k.name] = ms
            if alone_per_round[i]:
                one_by_one = [k.name for k in kinds for _ in range(alone_per_round[i])]
                rng.shuffle(one_by_one)
                with LoadWatch() as alone_load:
                    before = _cpu_seconds(api)
                    by_one = await mems_round(lean, one_by_one, 1)
                    alone_cpu_total += _cpu_seconds(api) - before
                alone_requests += len(by_one)
                alone_loads.extend(alone_load.values)
                for s in by_one:
                    alone[s.kind].append(s.ms)
            ordered = sorted(s.ms for s in got)
            rounds.append(
                {
                    "mems_requests": len(got),
                    "mems_wall_s": wall,
                    "mems_req_per_s": len(got) / wall,
                    "mems_p50_ms": _percentile(ordered, 50),
                    "mems_p95_ms": _percentile(ordered, 95),
                    "mems_api_cpu_ms_per_request": 1000 * cpu / len(got),
                    "twin_ms": done,
                    "loadavg_mems": mems_load.values,
                    "loadavg_twin": twin_load.values,
                }
            )
            print(
                f"  round {i + 1}/{len(per_round)}: MEMS {len(got)} requests in {wall:.1f}s "
                f"(p50 {rounds[-1]['mems_p50_ms']:.1f}, p95 {rounds[-1]['mems_p95_ms']:.1f} ms, "
                f"API CPU {rounds[-1]['mems_api_cpu_ms_per_request']:.1f} ms/req; load "
                f"{_span(mems_load.values)})  twin "
                + ", ".join(f"{v:,.0f}" for v in done.values())
                + f" ms (load {_span(twin_load.values)})",
                flush=True,
            )
        if args.alone:
            alone_cpu = 1000 * alone_cpu_total / alone_requests
            every = sorted(ms for v in alone.values() for ms in v)
            print(
                f"  one at a time (in the rounds): {alone_requests} requests, p50 "
                f"{_percentile(every, 50):.1f} ms, API CPU {alone_cpu:.1f} ms/req (load "
                f"{_span(alone_loads)})",
                flush=True,
            )
    finally:
        lean.close()
        await client.aclose()
        await conn.close()
        _stop(api)
        shutil.rmtree(var_dir, ignore_errors=True)

    per_kind = {}
    for k in kinds:
        m = _stats(samples[k.name])
        tw = _stats(twin_ms[k.name])
        tw["median_ms"] = _median(twin_ms[k.name])
        per_kind[k.name] = {
            "from": k.first.isoformat(),
            "to": k.last.isoformat(),
            "days": k.days,
            "channel": k.channel,
            "path": paths[k.name],
            "mems": m,
            "twin": tw,
            "twin_runs_ms": twin_ms[k.name],
            "ratio_median": tw["median_ms"] / m["p50_ms"],
            "ratio_p95": tw["p95_ms"] / m["p95_ms"],
            "check": checked[k.name],
            "twin_form": forms[k.name],
            "mems_alone": _stats(alone[k.name]) if alone[k.name] else None,
            # Like for like: the twin, one at a time, against MEMS one at a time.
            "ratio_alone_median": tw["median_ms"] / _median(alone[k.name])
            if alone[k.name]
            else None,
            "ratio_alone_p95": tw["p95_ms"] / _stats(alone[k.name])["p95_ms"]
            if alone[k.name]
            else None,
            "records_in_range": None,
        }
    everything = [ms for k in kinds for ms in samples[k.name]]
    overall = _stats(everything)
    loads = [v for r in rounds for v in (*r["loadavg_mems"], *r["loadavg_twin"])]
    out = {
        "kinds": per_kind,
        "overall": overall,
        "mems_api_cpu_ms_per_request": 1000 * cpu_total / requests_total,
        "rounds": rounds,
        "alone_api_cpu_ms_per_request": alone_cpu if args.alone else None,
        "loadavg_alone": alone_loads if args.alone else None,
        "loadavg_1m": {"min": min(loads), "max": max(loads), "median": _median(loads)},
        "target_p95_ms": TARGET_P95_MS,
        "target_ratio": TARGET_RATIO,
    }
    out["p95_target_met"] = overall["p95_ms"] < TARGET_P95_MS and all(
        v["mems"]["p95_ms"] < TARGET_P95_MS for v in per_kind.values()
    )
    # The 10x is judged like for like: both one at a time (MEMS at 4 in flight also waits for
    # the requests queued ahead of it in the API's one process; the twin never does).
    out["ratio_target_met"] = all(
        (v["ratio_alone_median"] or 0) >= TARGET_RATIO for v in per_kind.values()
    )
    out["ratio_p95_target_met"] = all(
        (v["ratio_alone_p95"] or 0) >= TARGET_RATIO for v in per_kind.values()
    )
    return out


def _span(values: list[float]) -> str:
    if not values:
        return "?"
    lo, hi = min(values), max(values)
    return f"{lo:.1f}" if round(lo, 1) == round(hi, 1) else f"{lo:.1f}–{hi:.1f}"


async def records_in_ranges(url: str, plan: Plan) -> dict[str, dict[str, int]]:
    """How many records each range (and its previous period) covers: what the twin sums."""
    out = {}
    conn = await asyncpg.connect(_dsn(url))
    try:
        for k in range_kinds("douyin"):
            channel = "AND c.channel_id = $4" if k.channel else ""
            sql = (
                "SELECT count(*) FROM metric_records r JOIN ad_campaigns c "  # noqa: S608
                f"ON c.id = r.campaign_id WHERE r.org_id = $1 AND r.day BETWEEN $2 AND $3 "
                f"{channel}"
            )
            extra = [plan.channel_ids[k.channel]] if k.channel else []
            out[k.name] = {
                "range": int(await conn.fetchval(sql, plan.org_id, k.first, k.last, *extra)),
                "previous": int(await conn.fetchval(sql, plan.org_id, *k.previous, *extra)),
            }
    finally:
        await conn.close()
    return out


async def explain_twin(url: str, plan: Plan, forms: dict[str, str]) -> dict[str, str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the twin's statement, in the form timed, for two kinds
    (recorded in the JSON)."""
    out = {}
    conn = await asyncpg.connect(_dsn(url), server_settings=TWIN_SETTINGS)
    try:
        for k in range_kinds("douyin"):
            if k.name not in ("7 days", "90 days"):
                continue
            args: list[Any] = [plan.org_id, k.first, k.last, k.previous[0]]
            sql = twin_sql(False, forms[k.name] == "index")
            rows = await conn.fetch("EXPLAIN (ANALYZE, BUFFERS) " + sql, *args)
            out[k.name] = "\n".join(r[0] for r in rows)
    finally:
        await conn.close()
    return out


async def mems_statements(url: str, plan: Plan, runs: int = 5) -> dict[str, Any]:
    """MEMS's read of the rollups (`rollups.dashboard_reads`: one statement for the channels
    with the organisation's currency, industry and own benchmarks, the channel days and the top
    campaigns), in this process as the view runs it (on the driver), timed (median of `runs`),
    for every kind over all channels; with its EXPLAIN (ANALYZE, BUFFERS) over the quarter."""

    from sqlalchemy import event

    from mems.channels import rollups
    from mems.core.db import SessionReader
    from mems.core.tenancy import in_tenant

    db = Database.from_url(url, pool_size=1)
    captured: list[tuple[str, Any]] = []

    def before(_c: Any, _cur: Any, statement: str, parameters: Any, *_a: Any) -> None:
        captured.append((statement, parameters))

    out: dict[str, Any] = {}
    event.listen(db.engine.sync_engine, "before_cursor_execute", before)
    try:
        async with db.sessionmaker() as session:
            in_tenant(session, plan.org_id)
            reader = SessionReader(session)
            for k in range_kinds("douyin"):
                if k.channel:
                    continue
                timings: list[float] = []
                for _ in range(runs + 1):  # the first one warms up
                    captured.clear()
                    t = time.perf_counter()
                    await rollups.dashboard_reads(
                        reader, plan.org_id, k.previous[0], k.first, k.last
                    )
                    timings.append(1000 * (time.perf_counter() - t))
                out[k.name] = {"dashboard_reads": _median(timings[1:])}
                read_sql, read_params = captured[-1]
            await session.rollback()
    finally:
        await db.engine.dispose()
    conn = await asyncpg.connect(_dsn(url))
    try:
        rows = await conn.fetch("EXPLAIN (ANALYZE, BUFFERS) " + read_sql, *read_params)
        out["dashboard_read_explain (quarter)"] = "\n".join(r[0] for r in rows)
    finally:
        await conn.close()
    return out


async def amain(args: argparse.Namespace) -> dict[str, Any]:
    _check_bench_database(args.database_url)
    plan = make_plan(args.seed, args.rows, args.members)
    print(
        f"Plan: {len(plan.campaigns):,} campaigns on {len(CHANNEL_MIX)} channels, "
        f"{plan.rows:,} metric records ({sum(c.hourly for c in plan.campaigns):,} campaigns "
        f"hourly), {DATA_FIRST} to {DATA_LAST}",
        flush=True,
    )
    steps: dict[str, float] | None = None
    why = await reusable(args.database_url, plan) if args.reuse else "--reuse not given"
    if why is None:
        print("Reusing the database's data (same seed, size and migrations).", flush=True)
        await refresh_session(args.database_url, plan)
    else:
        print(f"Generating the data ({why})...", flush=True)
        steps = await generate(args.database_url, plan)
        for name, s in steps.items():
            print(f"  {name}: {s:.1f}s", flush=True)
    conn = await asyncpg.connect(_dsn(args.database_url))
    try:
        counts = await row_counts(conn, plan.org_id)
    finally:
        await conn.close()
    print(f"  rows: {counts}", flush=True)
    in_ranges = await records_in_ranges(args.database_url, plan)
    report: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "benchmark": "channel dashboard over the rollups vs the raw records (issue 11)",
        "settings": {k: v for k, v in vars(args).items() if k not in ("output", "database_url")},
        "data": {
            "seed": plan.seed,
            "campaigns": len(plan.campaigns),
            "hourly_campaigns": sum(c.hourly for c in plan.campaigns),
            "channels": len(CHANNEL_MIX),
            "projects": PROJECTS,
            "first_day": DATA_FIRST.isoformat(),
            "last_day": DATA_LAST.isoformat(),
            "row_counts": counts,
            "generation_s": steps,
            "reused": steps is None,
            "records_in_ranges": in_ranges,
        },
        "machine": {
            **machine(),
            "postgresql": await _postgres_version(args.database_url),
        },
    }
    report["dashboard"] = await measure(plan, args)
    for name, n in in_ranges.items():
        report["dashboard"]["kinds"][name]["records_in_range"] = n
    forms = {name: k["twin_form"] for name, k in report["dashboard"]["kinds"].items()}
    report["twin_explain"] = await explain_twin(args.database_url, plan, forms)
    print("MEMS's reads of the rollups, in-process (median ms):", flush=True)
    report["mems_statements"] = await mems_statements(args.database_url, plan)
    for name, v in report["mems_statements"].items():
        if isinstance(v, dict):
            print(f"  {name:20} " + ", ".join(f"{k} {ms:.1f}" for k, ms in v.items()), flush=True)
    return report


def table(report: dict[str, Any]) -> str:
    d = report["dashboard"]
    lines = [
        "| range | records the twin sums (range + before) | MEMS p50 / **p95** / p99 ms "
        "| MEMS one at a time p50 / p95 ms | raw twin median / p95 ms (plan) "
        "| raw / MEMS at 4 in flight, median / p95 | raw / MEMS one at a time, median / p95 "
        "| p95 < 100 ms | ≥ 10× (one at a time) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, k in d["kinds"].items():
        m, t, a = k["mems"], k["twin"], k["mems_alone"]
        n = k["records_in_range"] or {}
        alone = f"{a['p50_ms']:.1f} / {a['p95_ms']:.1f}" if a else "–"
        like = (
            f"**{k['ratio_alone_median']:,.1f}×** / {k['ratio_alone_p95']:,.1f}×"
            if k["ratio_alone_median"]
            else "–"
        )
        like_met = (k["ratio_alone_median"] or 0) >= TARGET_RATIO
        lines.append(
            f"| {name} ({k['from']} – {k['to']}) "
            f"| {n.get('range', 0):,} + {n.get('previous', 0):,} "
            f"| {m['p50_ms']:.1f} / **{m['p95_ms']:.1f}** / {m['p99_ms']:.1f} | {alone} "
            f"| {t['median_ms']:,.0f} / {t['p95_ms']:,.0f} ({k['twin_form']}) "
            f"| {k['ratio_median']:,.1f}× / {k['ratio_p95']:,.1f}× | {like} "
            f"| {'met' if m['p95_ms'] < TARGET_P95_MS else '**not met**'} "
            f"| {'met' if like_met else '**not met**'} |"
        )
    o = d["overall"]
    lines.append(
        f"| **all {o['n']:,} requests** | | {o['p50_ms']:.1f} / **{o['p95_ms']:.1f}** / "
        f"{o['p99_ms']:.1f} | | | | | {'met' if o['p95_ms'] < TARGET_P95_MS else '**not met**'} "
        "| |"
    )
    load = d["loadavg_1m"]
    lines.append("")
    lines.append(
        f"MEMS: {report['settings']['concurrency']} requests in flight, API CPU "
        f"{d['mems_api_cpu_ms_per_request']:.1f} ms per request; twin: one at a time. "
        f"Load average (1 min) {load['min']:.1f}–{load['max']:.1f} (median {load['median']:.1f})."
    )
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--quick", action="store_true", help="a smoke run: 1M records, 30 requests, 2 twin runs"
    )
    p.add_argument("--rows", type=int, default=None, help="metric records (10,000,000)")
    p.add_argument("--requests", type=int, default=None, help="MEMS requests per range (200)")
    p.add_argument("--concurrency", type=int, default=4, help="MEMS requests in flight (4)")
    p.add_argument(
        "--alone", type=int, default=None, help="then requests per range one at a time (25)"
    )
    p.add_argument("--warmup", type=int, default=None, help="warm-up requests per range (10)")
    p.add_argument("--twin-runs", type=int, default=None, help="raw twin runs per range (5)")
    p.add_argument("--members", type=int, default=20, help="members per organisation (20)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument(
        "--reuse", action="store_true", help="keep the database's data if it is this seed's"
    )
    p.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    p.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    p.add_argument("--port", type=int, default=0, help="the API's port (default: a free one)")
    p.add_argument("--output", default=str(RESULTS_DIR / "dashboard.json"))
    args = p.parse_args(argv)
    for name, default, quick in (
        ("rows", 10_000_000, 1_000_000),
        ("requests", 200, 30),
        ("warmup", 10, 3),
        ("alone", 25, 5),
        ("twin_runs", 5, 2),
    ):
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else default)
    if args.twin_runs < 1 or args.requests < args.twin_runs or args.concurrency < 1:
        p.error("need --twin-runs >= 1, --requests >= --twin-runs, --concurrency >= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        import uvloop

        report = uvloop.run(amain(args))
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    text_table = table(report)
    print()
    print(text_table)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
    out.with_suffix(".md").write_text(text_table)
    print(f"Results written to {out} (table: {out.with_suffix('.md')})")
    d = report["dashboard"]
    print(
        f"p95 < {TARGET_P95_MS:g} ms: {'met' if d['p95_target_met'] else 'NOT MET'}; "
        f"≥ {TARGET_RATIO:g}× the raw twin (medians, one at a time): "
        f"{'met' if d['ratio_target_met'] else 'NOT MET'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
