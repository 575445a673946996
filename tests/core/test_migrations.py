"""Migrations build the schema from nothing, and agree with the models."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from mems.core.db import create_engine
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
