"""Migrations build the schema from nothing, and agree with the models."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from mems.core.db import create_engine
from mems.core.models import UTCDateTime
from mems.migrate import downgrade, include_object, upgrade
from mems.models_registry import Base
from tests.conftest import TEST_DATABASE_URL


@pytest.fixture
async def empty_engine(db_kind: str, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An empty database: a new SQLite file, or a new PostgreSQL schema."""
    if db_kind == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
        yield engine
        await engine.dispose()
        return
    schema = f"mig_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(TEST_DATABASE_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_async_engine(
        TEST_DATABASE_URL, connect_args={"server_settings": {"search_path": schema}}
    )
    try:
        yield engine
    finally:
        await engine.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


def _diff(connection: Any) -> list[Any]:
    ctx = MigrationContext.configure(
        connection,
        opts={"compare_type": True, "render_as_batch": True, "include_object": include_object},
    )
    return list(compare_metadata(ctx, Base.metadata))


async def test_upgrade_head_on_an_empty_database_matches_the_models(
    empty_engine: AsyncEngine,
) -> None:
    await upgrade(empty_engine)
    async with empty_engine.connect() as conn:
        tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
        assert set(Base.metadata.tables) <= tables
        assert "alembic_version" in tables
        assert await conn.run_sync(_diff) == []  # no pending autogenerate diff


async def test_downgrade_to_base_and_back(empty_engine: AsyncEngine) -> None:
    await upgrade(empty_engine)
    await downgrade(empty_engine, "base")
    async with empty_engine.connect() as conn:
        tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    assert not (set(Base.metadata.tables) & tables)
    await upgrade(empty_engine)
    async with empty_engine.connect() as conn:
        assert await conn.run_sync(_diff) == []


async def _insert(conn: Any, name: str, values: dict[str, Any]) -> None:
    """One row, with uuids and times typed as the app stores them (SQLite keeps them as text)."""

    def typed(value: Any) -> Any:
        if isinstance(value, uuid.UUID):
            return sa.Uuid()
        if isinstance(value, datetime):
            return UTCDateTime()
        if isinstance(value, Decimal):
            return sa.Numeric()
        return sa.Date() if isinstance(value, date) else None

    table = sa.table(name, *(sa.column(k, typed(v)) for k, v in values.items()))
    await conn.execute(table.insert(), values)


async def test_org_settings_move_to_rows_of_their_own_and_back(empty_engine: AsyncEngine) -> None:
    """54babc36a12f: every key of `organizations.settings` becomes an `org_settings` row at
    revision 1, and the column goes; the downgrade puts them back."""
    before, settings_rev = "1c791f00b0e0", "54babc36a12f"
    await upgrade(empty_engine, before)
    first, second, bare = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    convention = {"enabled": True, "pattern": "{period}-{campaign}", "parts": {"n": [1, "二"]}}
    orgs = sa.table(
        "organizations",
        *(sa.column(c) for c in ("name", "slug", "timezone", "locale", "currency", "version")),
        sa.column("id", sa.Uuid()),
        sa.column("settings", sa.JSON()),
        sa.column("created_at", UTCDateTime()),
        sa.column("updated_at", UTCDateTime()),
    )
    now = datetime.now(UTC)
    common = {"timezone": "Asia/Shanghai", "locale": "zh-CN", "currency": "CNY", "version": 3}
    async with empty_engine.begin() as conn:
        await conn.execute(
            orgs.insert(),
            [
                {
                    "id": org_id,
                    "name": slug,
                    "slug": slug,
                    "settings": settings,
                    "created_at": now,
                    "updated_at": now,
                    **common,
                }
                for org_id, slug, settings in (
                    (first, "first", {"naming_convention": convention, "threshold": 0.25}),
                    (second, "second", {"naming_convention": {"enabled": False}}),
                    (bare, "bare", {}),
                )
            ],
        )

        # A row that refers to an organisation: nothing may cascade-delete it on the way.
        user_id = uuid.uuid4()
        stamps = {"created_at": now, "updated_at": now, "version": 1, "is_active": True}
        await _insert(
            conn,
            "users",
            {"id": user_id, "email": "a@example.cn", "name": "甲", "password_hash": "x"}
            | {"locale": "zh-CN"}
            | stamps,
        )
        await _insert(
            conn,
            "memberships",
            {"id": uuid.uuid4(), "org_id": first, "user_id": user_id, "role": "admin"} | stamps,
        )

    async def members() -> int:
        async with empty_engine.connect() as conn:
            return int(await conn.scalar(sa.text("SELECT count(*) FROM memberships")) or 0)

    await upgrade(empty_engine, settings_rev)
    assert await members() == 1
    rows_table = sa.table(
        "org_settings",
        sa.column("org_id", sa.Uuid()),
        sa.column("key", sa.String()),
        sa.column("value", sa.JSON()),
        sa.column("revision", sa.Integer()),
    )
    async with empty_engine.connect() as conn:
        rows = {
            (r.org_id, r.key): (r.value, r.revision)
            for r in await conn.execute(sa.select(rows_table))
        }
        columns = await conn.run_sync(
            lambda c: {col["name"] for col in inspect(c).get_columns("organizations")}
        )
        version = await conn.scalar(sa.select(orgs.c.version).where(orgs.c.id == first))
    assert rows == {
        (first, "naming_convention"): (convention, 1),
        (first, "threshold"): (0.25, 1),
        (second, "naming_convention"): ({"enabled": False}, 1),
    }
    assert "settings" not in columns
    assert version == 3  # the organisations themselves are untouched

    await downgrade(empty_engine, before)
    assert await members() == 1
    async with empty_engine.connect() as conn:
        back = dict((await conn.execute(sa.select(orgs.c.id, orgs.c.settings))).all())
    assert back == {
        first: {"naming_convention": convention, "threshold": 0.25},
        second: {"naming_convention": {"enabled": False}},
        bare: {},
    }


async def test_same_org_keys_keep_every_row(empty_engine: AsyncEngine) -> None:
    """f53993047fae rebuilds parent and child tables (SQLite batch mode): no row that refers to
    a rebuilt table may be cascade-deleted or nulled on the way, up and down."""
    before, composite = "54babc36a12f", "f53993047fae"
    await upgrade(empty_engine, before)
    now = datetime.now(UTC)
    org, user, member = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    project, phase, period, goal, kr, team = (uuid.uuid4() for _ in range(6))
    stamps = {"created_at": now, "updated_at": now, "version": 1}
    rows: list[tuple[str, dict[str, Any]]] = [
        (
            "organizations",
            {"id": org, "name": "甲", "slug": "jia", "timezone": "Asia/Shanghai"}
            | {"locale": "zh-CN", "currency": "CNY"}
            | stamps,
        ),
        (
            "users",
            {"id": user, "email": "a@example.cn", "name": "甲", "password_hash": "x"}
            | {"locale": "zh-CN", "is_active": True}
            | stamps,
        ),
        (
            "memberships",
            {"id": member, "org_id": org, "user_id": user, "role": "admin"}
            | {"is_active": True}
            | stamps,
        ),
        ("teams", {"id": team, "org_id": org, "name": "组"} | stamps),
        ("team_members", {"id": uuid.uuid4(), "org_id": org, "team_id": team, "member_id": member}),
        (
            "strategy_periods",
            {"id": period, "org_id": org, "name": "2027", "kind": "year"}
            | {"starts_on": date(2027, 1, 1), "ends_on": date(2027, 12, 31)}
            | stamps,
        ),
        (
            "objectives",
            {"id": goal, "org_id": org, "period_id": period, "level": "company"}
            | {"title": "目标", "weight": 1}
            | stamps,
        ),
        (
            "key_results",
            {"id": kr, "org_id": org, "objective_id": goal, "name": "指标"}
            | {"unit": "次", "baseline": 0, "target": 10, "direction": "increase", "weight": 1}
            | {"source": "manual", "source_config": "{}"}
            | stamps,
        ),
        (
            "key_result_check_ins",
            {"id": uuid.uuid4(), "org_id": org, "key_result_id": kr}
            | {"value": 3, "checked_on": date(2027, 2, 1), "created_at": now},
        ),
        (
            "projects",
            {"id": project, "org_id": org, "code": "P-1", "name": "项目"}
            | {"type": "other", "status": "draft", "owner_member_id": member, "currency": "CNY"}
            | {"starts_on": date(2027, 1, 1), "ends_on": date(2027, 2, 1), "total_budget": 0}
            | stamps,
        ),
        (
            "project_members",
            {"id": uuid.uuid4(), "org_id": org, "project_id": project}
            | {"membership_id": member, "role": "manager"},
        ),
        (
            "project_goal_links",
            {"id": uuid.uuid4(), "org_id": org, "project_id": project}
            | {"objective_id": goal, "key_result_id": kr},
        ),
        (
            "project_phases",
            {"id": phase, "org_id": org, "project_id": project, "position": 0}
            | {"name": "策划", "starts_on": date(2027, 1, 1), "ends_on": date(2027, 1, 10)},
        ),
        (
            "project_tasks",
            {"id": uuid.uuid4(), "org_id": org, "project_id": project}
            | {"phase_id": phase, "position": 0, "title": "任务"}
            | {"starts_on": date(2027, 1, 1), "ends_on": date(2027, 1, 2)},
        ),
        (
            "project_budget_lines",
            {"id": uuid.uuid4(), "org_id": org, "project_id": project}
            | {"position": 0, "category": "场地", "planned_amount": 0},
        ),
    ]
    async with empty_engine.begin() as conn:
        for table, values in rows:
            await _insert(conn, table, values)

    async def counts() -> dict[str, int]:
        async with empty_engine.connect() as conn:
            found = {
                table: int(await conn.scalar(sa.text(f"SELECT count(*) FROM {table}")) or 0)  # noqa: S608
                for table in {t for t, _ in rows}
            }
            found["tasks in a phase"] = int(
                await conn.scalar(
                    sa.text("SELECT count(*) FROM project_tasks WHERE phase_id IS NOT NULL")
                )
                or 0
            )
            return found

    expected = {table: 1 for table, _ in rows} | {"tasks in a phase": 1}
    await upgrade(empty_engine, composite)
    assert await counts() == expected
    await downgrade(empty_engine, before)
    assert await counts() == expected


async def test_plans_move_into_the_work_domain_and_back(empty_engine: AsyncEngine) -> None:
    """61447f2f0fa5 moves the template's phases and starter tasks into the work domain's
    tables, ids kept, each task's length counted in working days; down, they move back."""
    before, work = "f53993047fae", "61447f2f0fa5"
    await upgrade(empty_engine, before)
    now = datetime.now(UTC)
    org, user, member, project, phase = (uuid.uuid4() for _ in range(5))
    tasks = [uuid.uuid4(), uuid.uuid4()]
    stamps = {"created_at": now, "updated_at": now, "version": 1}
    rows: list[tuple[str, dict[str, Any]]] = [
        (
            "organizations",
            {"id": org, "name": "甲", "slug": "jia", "timezone": "Asia/Shanghai"}
            | {"locale": "zh-CN", "currency": "CNY"}
            | stamps,
        ),
        (
            "users",
            {"id": user, "email": "a@example.cn", "name": "甲", "password_hash": "x"}
            | {"locale": "zh-CN", "is_active": True}
            | stamps,
        ),
        (
            "memberships",
            {"id": member, "org_id": org, "user_id": user, "role": "admin", "is_active": True}
            | stamps,
        ),
        (
            "projects",
            {"id": project, "org_id": org, "code": "P-1", "name": "项目"}
            | {"type": "other", "status": "draft", "owner_member_id": member, "currency": "CNY"}
            | {"starts_on": date(2027, 1, 1), "ends_on": date(2027, 2, 1), "total_budget": 0}
            | stamps,
        ),
        (
            "project_phases",
            {"id": phase, "org_id": org, "project_id": project, "position": 0}
            | {"name": "策划", "starts_on": date(2027, 1, 1), "ends_on": date(2027, 1, 15)},
        ),
        (
            "project_tasks",  # Friday to the Tuesday after: three weekdays
            {"id": tasks[0], "org_id": org, "project_id": project, "phase_id": phase}
            | {"position": 0, "title": "调研", "starts_on": date(2027, 1, 8)}
            | {"ends_on": date(2027, 1, 12)},
        ),
        (
            "project_tasks",  # a weekend only: still a day's work
            {"id": tasks[1], "org_id": org, "project_id": project, "phase_id": None}
            | {"position": 1, "title": "周末", "starts_on": date(2027, 1, 9)}
            | {"ends_on": date(2027, 1, 10)},
        ),
    ]
    async with empty_engine.begin() as conn:
        for table, values in rows:
            await _insert(conn, table, values)

    await upgrade(empty_engine, work)
    moved = sa.table(
        "tasks",
        sa.column("id", sa.Uuid()),
        sa.column("phase_id", sa.Uuid()),
        sa.column("title"),
        sa.column("not_before", sa.Date()),
        sa.column("due_on", sa.Date()),
        sa.column("duration_days"),
        sa.column("status"),
    )
    async with empty_engine.connect() as conn:
        got = (await conn.execute(sa.select(moved).order_by(moved.c.title))).all()
        phases = await conn.scalar(sa.text("SELECT count(*) FROM phases"))
    assert [tuple(r) for r in got] == [
        (tasks[1], None, "周末", date(2027, 1, 9), date(2027, 1, 10), 1, "todo"),
        (tasks[0], phase, "调研", date(2027, 1, 8), date(2027, 1, 12), 3, "todo"),
    ]
    assert phases == 1

    await downgrade(empty_engine, before)
    back = sa.table(
        "project_tasks",
        sa.column("id", sa.Uuid()),
        sa.column("phase_id", sa.Uuid()),
        sa.column("ends_on", sa.Date()),
    )
    async with empty_engine.connect() as conn:
        restored = set((await conn.execute(sa.select(back))).all())
        phases = await conn.scalar(sa.text("SELECT count(*) FROM project_phases"))
    assert restored == {
        (tasks[0], phase, date(2027, 1, 12)),
        (tasks[1], None, date(2027, 1, 10)),
    }
    assert phases == 1


async def test_budget_lines_move_into_the_finance_domain_and_back(
    empty_engine: AsyncEngine,
) -> None:
    """75dac034707a moves the template budget categories into the finance domain's budget
    lines, ids kept: the label is the name, the category is read from its words, and the
    lines of a registered project start approved; down, they move back."""
    before, finance = "8945e76727cf", "75dac034707a"
    await upgrade(empty_engine, before)
    now = datetime.now(UTC)
    org, user, member = (uuid.uuid4() for _ in range(3))
    draft, active = uuid.uuid4(), uuid.uuid4()
    stamps = {"created_at": now, "updated_at": now, "version": 1}

    def project(project_id: uuid.UUID, code: str, status: str) -> tuple[str, dict[str, Any]]:
        return (
            "projects",
            {"id": project_id, "org_id": org, "code": code, "name": code}
            | {"type": "other", "status": status, "owner_member_id": member, "currency": "CNY"}
            | {"starts_on": date(2027, 1, 1), "ends_on": date(2027, 2, 1), "total_budget": 0}
            | stamps,
        )

    lines = {
        ("展台搭建", draft): uuid.uuid4(),
        ("展位费", draft): uuid.uuid4(),
        ("KOL 合作", active): uuid.uuid4(),
        ("优惠补贴", active): uuid.uuid4(),
    }
    rows: list[tuple[str, dict[str, Any]]] = [
        (
            "organizations",
            {"id": org, "name": "甲", "slug": "jia", "timezone": "Asia/Shanghai"}
            | {"locale": "zh-CN", "currency": "CNY"}
            | stamps,
        ),
        (
            "users",
            {"id": user, "email": "a@example.cn", "name": "甲", "password_hash": "x"}
            | {"locale": "zh-CN", "is_active": True}
            | stamps,
        ),
        (
            "memberships",
            {"id": member, "org_id": org, "user_id": user, "role": "admin", "is_active": True}
            | stamps,
        ),
        project(draft, "P-1", "draft"),
        project(active, "P-2", "active"),
        *(
            (
                "project_budget_lines",
                {"id": line_id, "org_id": org, "project_id": project_id, "position": i}
                | {"category": label, "planned_amount": 1234},
            )
            for i, ((label, project_id), line_id) in enumerate(lines.items())
        ),
    ]
    async with empty_engine.begin() as conn:
        for table, values in rows:
            await _insert(conn, table, values)

    await upgrade(empty_engine, finance)
    moved = sa.table(
        "budget_lines",
        sa.column("id", sa.Uuid()),
        sa.column("name"),
        sa.column("category"),
        sa.column("amount", sa.Numeric(20, 2)),
        sa.column("state"),
    )
    async with empty_engine.connect() as conn:
        got = {
            r.id: (r.name, r.category, r.amount, r.state)
            for r in await conn.execute(sa.select(moved))
        }
    amount = Decimal("1234.00")
    assert got == {
        lines[("展台搭建", draft)]: ("展台搭建", "materials", amount, "plan"),
        lines[("展位费", draft)]: ("展位费", "venue", amount, "plan"),
        lines[("KOL 合作", active)]: ("KOL 合作", "vendors", amount, "approved"),
        lines[("优惠补贴", active)]: ("优惠补贴", "other", amount, "approved"),
    }

    await downgrade(empty_engine, before)
    back = sa.table(
        "project_budget_lines",
        sa.column("id", sa.Uuid()),
        sa.column("category"),
        sa.column("planned_amount", sa.Numeric(20, 2)),
    )
    async with empty_engine.connect() as conn:
        restored = set((await conn.execute(sa.select(back))).all())
    assert restored == {(line_id, label, amount) for (label, _), line_id in lines.items()}


async def test_pending_batches_records_move_into_staged_rows_and_back(
    empty_engine: AsyncEngine,
) -> None:
    """321fa4e14983 moves a pending batch's stored records into `ingest_rows` as the accepting
    request now stages them (the last record for a key wins and keeps an earlier name, money at
    the source's rate, clicks over impressions flagged); a written batch keeps its counts only.
    Down, the pending batch's records come back."""
    before, staged = "5e54c898448c", "321fa4e14983"
    await upgrade(empty_engine, before)
    now = datetime.now(UTC)
    org, channel, source, pending, done = (uuid.uuid4() for _ in range(5))
    stamps = {"created_at": now, "updated_at": now, "version": 1}
    records = [
        {"channel": "douyin", "campaign": "c1", "campaign_name": "春季", "date": "2026-11-01"}
        | {"impressions": 100, "clicks": 5, "spend": "10.00"},
        {"channel": "douyin", "campaign": "c1", "date": "2026-11-01"}  # the same key, later
        | {"impressions": 200, "clicks": 9, "spend": "20.00", "custom": {"likes": "3"}},
        {"channel": "douyin", "campaign": "c1", "date": "2026-11-02", "hour": 5}
        | {"creative": "v1", "impressions": 3, "clicks": 4, "revenue": "1.005"},
        {"channel": "gone", "campaign": "c9", "date": "2026-11-02", "impressions": 1},
    ]
    batches = sa.table(
        "ingest_batches",
        *(sa.column(c, sa.Uuid()) for c in ("id", "org_id", "source_id")),
        *(sa.column(c) for c in ("via", "status", "record_count", "written", "flagged")),
        sa.column("records", sa.JSON()),
        sa.column("received_at", UTCDateTime()),
    )
    async with empty_engine.begin() as conn:
        await _insert(
            conn,
            "organizations",
            {"id": org, "name": "甲", "slug": "jia", "timezone": "Asia/Shanghai"}
            | {"locale": "zh-CN", "currency": "CNY"}
            | stamps,
        )
        await _insert(
            conn,
            "channels",
            {"id": channel, "org_id": org, "key": "douyin", "name": "抖音", "kind": "short_video"}
            | {"active": True}
            | stamps,
        )
        await _insert(
            conn,
            "data_sources",
            {"id": source, "org_id": org, "name": "美元账户", "kind": "api", "currency": "USD"}
            | {"rate": Decimal("7.1"), "mapping": "{}", "active": True}
            | stamps,
        )
        for batch_id, status in ((pending, "pending"), (done, "done")):
            await conn.execute(
                batches.insert(),
                {"id": batch_id, "org_id": org, "source_id": source, "via": "api"}
                | {"status": status, "record_count": 4, "written": 0, "flagged": 0}
                | {"records": records, "received_at": now},
            )

    await upgrade(empty_engine, staged)
    rows_table = sa.table(
        "ingest_rows",
        *(sa.column(c, sa.Uuid()) for c in ("batch_id", "channel_id")),
        *(sa.column(c) for c in ("seq", "campaign", "campaign_name", "creative", "hour")),
        *(sa.column(c) for c in ("impressions", "clicks", "quality")),
        sa.column("day", sa.Date()),
        sa.column("spend", sa.Numeric(20, 2)),
        sa.column("revenue", sa.Numeric(20, 2)),
        sa.column("custom", sa.JSON()),
    )
    async with empty_engine.connect() as conn:
        got = [
            (
                r.batch_id,
                r.seq,
                r.channel_id,
                r.campaign,
                r.campaign_name,
                r.creative,
                r.day,
                r.hour,
                r.impressions,
                r.clicks,
                r.spend,
                r.revenue,
                r.custom,
                r.quality,
            )
            for r in await conn.execute(sa.select(rows_table).order_by(rows_table.c.seq))
        ]
    assert got == [
        (
            pending,
            0,
            channel,
            "c1",
            "春季",
            "",
            date(2026, 11, 1),
            -1,
            200,
            9,
            Decimal("142.00"),
            Decimal("0.00"),
            {"likes": "3"},
            None,
        ),
        (
            pending,
            1,
            channel,
            "c1",
            None,
            "v1",
            date(2026, 11, 2),
            5,
            3,
            4,
            Decimal("0.00"),
            Decimal("7.14"),
            None,
            "clicks_over_impressions",
        ),
    ]

    await downgrade(empty_engine, before)
    async with empty_engine.connect() as conn:
        back = dict((await conn.execute(sa.select(batches.c.id, batches.c.records))).all())
    assert back[done] == []
    assert [(r["campaign"], r["date"], r.get("hour"), r["impressions"]) for r in back[pending]] == [
        ("c1", "2026-11-01", None, 200),
        ("c1", "2026-11-02", 5, 3),
    ]
    assert back[pending][0]["campaign_name"] == "春季"
    assert back[pending][0]["spend"] == "142.00"


async def test_campaign_days_get_their_running_totals(empty_engine: AsyncEngine) -> None:
    """980a7ab1791a fills each campaign-day's running spend and impressions (the campaign's
    own days up to it, whatever order the rows were written in); down, the columns go."""
    before, running = "65fa61096dbe", "980a7ab1791a"
    await upgrade(empty_engine, before)
    now = datetime.now(UTC)
    org, channel, first, second = (uuid.uuid4() for _ in range(4))
    async with empty_engine.begin() as conn:
        await _insert(
            conn,
            "organizations",
            {"id": org, "name": "甲", "slug": "jia", "timezone": "Asia/Shanghai"}
            | {"locale": "zh-CN", "currency": "CNY", "created_at": now, "updated_at": now}
            | {"version": 1},
        )
    daily = sa.table(
        "metric_daily",
        *(sa.column(c, sa.Uuid()) for c in ("org_id", "campaign_id", "channel_id")),
        sa.column("day", sa.Date()),
        *(sa.column(c) for c in ("impressions", "clicks", "conversions", "leads", "followers")),
        sa.column("spend", sa.Numeric(20, 2)),
        sa.column("revenue", sa.Numeric(20, 2)),
        sa.column("records"),
    )
    zero = dict.fromkeys(("clicks", "conversions", "leads", "followers", "records"), 0)
    rows = [  # (campaign, day of November, impressions, spend), deliberately out of order
        (first, 3, 30, "3.30"),
        (first, 1, 10, "1.10"),
        (second, 2, 7, "0.07"),
        (first, 2, 20, "2.20"),
    ]
    async with empty_engine.begin() as conn:
        for campaign, day, impressions, spend in rows:
            await conn.execute(
                daily.insert(),
                {"org_id": org, "campaign_id": campaign, "channel_id": channel}
                | {"day": date(2026, 11, day), "impressions": impressions}
                | {"spend": Decimal(spend), "revenue": Decimal(0)}
                | zero,
            )

    await upgrade(empty_engine, running)
    with_totals = sa.table(
        "metric_daily",
        sa.column("campaign_id", sa.Uuid()),
        sa.column("day", sa.Date()),
        sa.column("spend_to_date", sa.Numeric(38, 2)),
        sa.column("impressions_to_date", sa.Numeric(38, 0)),
    )
    async with empty_engine.connect() as conn:
        got = {
            (r.campaign_id, r.day.day): (r.impressions_to_date, r.spend_to_date)
            for r in await conn.execute(sa.select(with_totals))
        }
    assert got == {
        (first, 1): (10, Decimal("1.10")),
        (first, 2): (30, Decimal("3.30")),
        (first, 3): (60, Decimal("6.60")),
        (second, 2): (7, Decimal("0.07")),
    }
    await downgrade(empty_engine, before)
    async with empty_engine.connect() as conn:
        assert (await conn.execute(sa.select(sa.func.count()).select_from(daily))).scalar() == 4


async def test_the_ingest_queue_tables_are_vacuumed_often(
    empty_engine: AsyncEngine, db_kind: str
) -> None:
    """1bf039d6aee0: on PostgreSQL the tables every delivery passes through are vacuumed
    after a few thousand dead rows, not a fifth of the table; down, the defaults again.
    SQLite has no autovacuum of this kind: nothing changes there."""
    await upgrade(empty_engine, "head")

    async def options() -> dict[str, list[str] | None]:
        async with empty_engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT relname, reloptions FROM pg_class WHERE relname IN "
                    "('ingest_rows', 'ingest_batches', 'job_outbox') "
                    "AND relnamespace = current_schema()::regnamespace"
                )
            )
            return {r.relname: r.reloptions for r in rows}

    if db_kind != "postgres":
        await downgrade(empty_engine, "c5735796052e")  # a no-op there, and it runs
        return
    staged = (await options())["ingest_rows"]
    assert staged is not None
    assert "autovacuum_vacuum_scale_factor=0" in staged
    assert "autovacuum_vacuum_threshold=5000" in staged
    assert (await options())["job_outbox"] is not None
    await downgrade(empty_engine, "c5735796052e")
    assert set((await options()).values()) == {None}
