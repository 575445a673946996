"""Migrations build the schema from nothing, and agree with the models."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from mems.core.db import create_engine
from mems.core.models import UTCDateTime
from mems.migrate import alembic_config, upgrade
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


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    cfg = alembic_config()

    def down(connection: Any) -> None:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)

    async with engine.begin() as conn:
        await conn.run_sync(down)


def _diff(connection: Any) -> list[Any]:
    ctx = MigrationContext.configure(
        connection, opts={"compare_type": True, "render_as_batch": True}
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
    cfg = alembic_config()

    def down(connection: Any) -> None:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "base")

    async with empty_engine.begin() as conn:
        await conn.run_sync(down)
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
        return UTCDateTime() if isinstance(value, datetime) else None

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
