"""Benchmark data: N organisations × M members, a realistic first organisation, a login.

The first organisation is the one the main pages are measured on (`bench/orgdata.py`: five
strategy years with their goal trees, 1,000 projects with teams, phases, tasks, budget lines,
goal links and approvals, requests waiting in the inbox, ~40,000 audit rows; more running
projects so that 2,000 run, and a cost ledger of ~135,000 entries); the others only
have members (they are there so that every query really filters by organisation). Its admin
logs in. Rows are written with the app's own tables (bulk INSERTs, so the audit hook stays out
of it) into a separate benchmark database, which is first reset and migrated to head with
`mems.migrate.upgrade`. Every id, name and timestamp comes from one seeded generator, so the
same seed gives the same data; all users share one argon2 hash (hashing is slow on purpose).

    .venv/bin/python bench/datagen.py [--orgs 20] [--members 200] [--seed 42]

prints the ids the benchmark needs as JSON. The database is reset only if its name contains
"bench" (never the test suite's database).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

import mems.models_registry  # noqa: F401 - every table in Base.metadata
import orgdata
from mems.core.clock import utcnow
from mems.core.db import create_engine, create_sessionmaker
from mems.core.models import Base
from mems.core.security import hash_password, token_hash
from mems.identity.models import AuthSession
from mems.identity.permissions import Role
from mems.migrate import upgrade

DEFAULT_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/mems_bench"
)
PASSWORD = "bench-password-1234"  # noqa: S105 - the shared password of generated users
BATCH = 1000
# Written with COPY, as the app writes volume data: the ledger's ~135,000 rows took ~9 s as
# INSERTs of a thousand rows each, ~1 s this way (plain columns only: no JSON to encode).
COPIED = frozenset({"cost_entries"})

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛"]
# A plausible mix: a few admins and directors, mostly members.
_ROLE_WEIGHTS = {
    Role.ADMIN: 1,
    Role.DIRECTOR: 2,
    Role.PROJECT_MANAGER: 4,
    Role.MEMBER: 10,
    Role.FINANCE: 2,
    Role.VIEWER: 3,
}


@dataclass
class BenchData:
    """What the benchmark needs to know about the generated data (ids as strings)."""

    database_url: str
    seed: int
    orgs: int
    members_per_org: int
    org_id: str  # the organisation the logged-in member belongs to
    viewer_member_id: str  # the logged-in member
    token: str  # its bearer token (an auth session)
    member_ids: list[str]  # every member of org_id: the GET targets
    foreign_member_id: str  # a member of another organisation: MEMS must answer 404
    project_ids: list[str]  # org_id's projects, in creation order
    root_goal_ids: list[str]  # the top of each year's goal tree
    year_period_ids: list[str]  # the strategy years, oldest first
    pending_requests: int  # requests waiting in the logged-in admin's inbox
    largest_project_id: str  # the 5,000-task project: the Gantt and the battle map
    home_tasks: int  # the logged-in member's open tasks (my tasks)
    running_projects: int  # registered projects still running (the overspend list's scope)
    over_warning: int  # of which at or past a warning threshold (the overspend list's length)
    row_counts: dict[str, int]  # rows written per table


def _check_bench_database(url: str) -> str:
    name = make_url(url).database or ""
    if "bench" not in name:
        raise SystemExit(
            f"Refusing to reset database {name!r}: the benchmark database's name must contain "
            "'bench' (e.g. mems_bench), so the test suite's database is never touched."
        )
    return name


async def ensure_database(url: str) -> None:
    """CREATE DATABASE when it does not exist yet (connecting to the `postgres` database)."""
    u = make_url(url)
    name = _check_bench_database(url)
    conn = await asyncpg.connect(
        user=u.username or "postgres",
        password=u.password,
        host=u.host or "127.0.0.1",
        port=u.port or 5432,
        database="postgres",
    )
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _rows(
    rng: random.Random, orgs: int, members: int, password_hash: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    base = datetime(2026, 1, 5, 1, 30, tzinfo=UTC)
    roles = list(_ROLE_WEIGHTS)
    weights = list(_ROLE_WEIGHTS.values())
    org_rows: list[dict[str, Any]] = []
    user_rows: list[dict[str, Any]] = []
    member_rows: list[dict[str, Any]] = []
    for o in range(orgs):
        created = base + timedelta(days=o)
        org_id = _uuid(rng)
        org_rows.append(
            {
                "id": org_id,
                "name": f"压测品牌 {o:02d} (Bench Co. {o:02d})",
                "slug": f"bench-{o:03d}",
                "timezone": "Asia/Shanghai",
                "locale": "zh-CN",
                "currency": "CNY",
                "created_at": created,
                "updated_at": created,
                "version": 1,
            }
        )
        for m in range(members):
            at = created + timedelta(minutes=m, seconds=rng.randrange(60))
            user_id = _uuid(rng)
            name = rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.randint(1, 2)))
            user_rows.append(
                {
                    "id": user_id,
                    "email": f"bench-{o:03d}-{m:04d}@bench.example.cn",
                    "name": name,
                    "password_hash": password_hash,
                    "locale": "zh-CN",
                    "is_active": True,
                    "created_at": at,
                    "updated_at": at,
                    "version": 1,
                }
            )
            role = Role.ADMIN if m == 0 else rng.choices(roles, weights)[0]
            member_rows.append(
                {
                    "id": _uuid(rng),
                    "org_id": org_id,
                    "user_id": user_id,
                    "role": role,
                    "is_active": m == 0 or rng.random() > 0.05,
                    "created_at": at,
                    "updated_at": at + timedelta(hours=rng.randrange(48)),
                    "version": 1 + rng.randrange(3),
                }
            )
    return org_rows, user_rows, member_rows


async def _copy(session: Any, name: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
    """`rows` into table `name` with COPY, on the session's connection (its transaction)."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    await raw.driver_connection.copy_records_to_table(
        name, records=[tuple(r[c] for c in columns) for r in rows], columns=columns
    )


async def generate(
    database_url: str = DEFAULT_DATABASE_URL,
    *,
    orgs: int = 20,
    members: int = 200,
    seed: int = 42,
) -> BenchData:
    """Reset and migrate the benchmark database, then fill it. Returns the benchmark's ids."""
    if orgs < 2 or members < 1:
        raise ValueError("need at least 2 organisations (one is the 'foreign' one) and 1 member")
    _check_bench_database(database_url)
    await ensure_database(database_url)
    rng = random.Random(seed)
    org_rows, user_rows, member_rows = _rows(rng, orgs, members, hash_password(PASSWORD))
    token = "bench_" + rng.randbytes(32).hex()

    members_by_user = {u["id"]: u for u in user_rows[:members]}
    today = datetime.now(ZoneInfo(org_rows[0]["timezone"])).date()
    org = orgdata.build(rng, org_rows[0], member_rows[:members], members_by_user, today)
    tables: list[tuple[str, list[dict[str, Any]]]] = [
        ("organizations", org_rows),
        ("users", user_rows),
        ("memberships", member_rows),
        *org.tables.items(),
    ]
    # Projects and approval requests refer to each other: requests go in before projects.
    order = [
        "organizations",
        "users",
        "memberships",
        "teams",
        "team_members",
        "strategy_periods",
        "objectives",
        "key_results",
        "key_result_check_ins",
        "approval_requests",
        "approval_records",
        "projects",
        "phases",
        "tasks",
        "budget_lines",  # a line may name its phase
        "project_budgets",
        "cost_entries",  # an entry names its line and phase
    ]
    tables.sort(key=lambda t: order.index(t[0]) if t[0] in order else len(order))

    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await upgrade(engine)
        sessionmaker = create_sessionmaker(engine)
        async with sessionmaker() as session:
            for name, rows in tables:
                table = Base.metadata.tables[name]
                columns = set(table.columns.keys())
                keys = set(rows[0]) if rows else set()
                # An executemany takes its columns from the first row: every row has the same.
                assert all(set(r) == keys for r in rows), f"{name}: rows differ in their keys"
                if name in COPIED:
                    await _copy(
                        session, name, [c.key for c in table.columns if c.key in keys], rows
                    )
                    continue
                for i in range(0, len(rows), BATCH):
                    # Only the table's columns: a column a migration dropped is left out.
                    batch = [
                        {k: v for k, v in r.items() if k in columns} for r in rows[i : i + BATCH]
                    ]
                    await session.execute(insert(table), batch)
            viewer = member_rows[0]  # the admin of the first organisation
            await session.execute(
                insert(AuthSession),
                [
                    {
                        "id": _uuid(rng),
                        "token_hash": token_hash(token),
                        "membership_id": viewer["id"],
                        "created_at": utcnow(),
                        "expires_at": utcnow() + timedelta(days=30),
                        "ip": "127.0.0.1",
                        "user_agent": "mems-bench",
                    }
                ],
            )
            await session.commit()
        async with engine.begin() as conn:  # fresh planner statistics for the new rows
            await conn.execute(text("ANALYZE"))
    finally:
        await engine.dispose()

    return BenchData(
        database_url=database_url,
        seed=seed,
        orgs=orgs,
        members_per_org=members,
        org_id=str(org_rows[0]["id"]),
        viewer_member_id=str(member_rows[0]["id"]),
        token=token,
        member_ids=[str(r["id"]) for r in member_rows[:members]],
        foreign_member_id=str(member_rows[members]["id"]),
        project_ids=org.project_ids,
        root_goal_ids=org.root_goal_ids,
        year_period_ids=org.year_period_ids,
        pending_requests=org.pending_requests,
        largest_project_id=org.largest_project_id,
        home_tasks=org.home_tasks,
        running_projects=org.running_projects,
        over_warning=org.over_warning,
        row_counts={name: len(rows) for name, rows in tables},
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--orgs", type=int, default=20)
    parser.add_argument("--members", type=int, default=200, help="members per organisation")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    data = asyncio.run(
        generate(args.database_url, orgs=args.orgs, members=args.members, seed=args.seed)
    )
    print(json.dumps(asdict(data), indent=2))


if __name__ == "__main__":
    main()
