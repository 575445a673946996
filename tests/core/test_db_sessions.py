"""Sessions of safe-method requests run outside a transaction; pooled connections idle for a
while are pinged before use (core/db.py)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from mems.core.db import Database, ReadStatement, _ping_when_idle
from mems.identity.models import Organization

pytestmark = pytest.mark.postgres


@pytest.fixture
async def database(database_url: str, engine: AsyncEngine) -> AsyncIterator[Database]:
    db = Database.from_url(database_url, pool_size=2)  # `engine` has migrated the database
    yield db
    await db.engine.dispose()


async def _two_nows(session: object) -> tuple[object, object]:
    first = await session.scalar(text("SELECT now()"))  # type: ignore[attr-defined]
    await asyncio.sleep(0.02)
    second = await session.scalar(text("SELECT now()"))  # type: ignore[attr-defined]
    return first, second


async def test_read_sessions_run_outside_a_transaction(database: Database) -> None:
    assert database.read_sessionmaker is not None
    async with database.read_sessionmaker() as session:
        first, second = await _two_nows(session)  # now() is per transaction
        await session.commit()
    assert first != second
    async with database.sessionmaker() as session:  # the same pooled connection, transactional
        first, second = await _two_nows(session)
        await session.rollback()
    assert first == second


async def test_read_sessions_refuse_orm_writes(database: Database) -> None:
    assert database.read_sessionmaker is not None
    async with database.read_sessionmaker() as session:
        session.add(Organization(name="x", slug="read-session-write"))
        with pytest.raises(RuntimeError, match="must not write"):
            await session.flush()
    async with database.sessionmaker() as session:
        found = await session.scalar(
            select(Organization.id).where(Organization.slug == "read-session-write")
        )
    assert found is None


async def test_an_idle_dead_connection_is_replaced(database_url: str, engine: AsyncEngine) -> None:
    pooled = create_async_engine(database_url, pool_size=1, max_overflow=0)
    _ping_when_idle(pooled.sync_engine, idle_seconds=0.2)
    try:
        async with pooled.connect() as conn:
            pid = await conn.scalar(text("SELECT pg_backend_pid()"))
        async with engine.connect() as other:  # as a database restart would
            await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        await asyncio.sleep(0.3)
        async with pooled.connect() as conn:
            assert await conn.scalar(text("SELECT pg_backend_pid()")) != pid
    finally:
        await pooled.dispose()


def test_sqlite_keeps_one_transaction_per_request(tmp_path: object) -> None:
    db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/x.db")
    assert db.read_sessionmaker is None


async def test_read_statements_borrow_a_pooled_connection_outside_transactions(
    database: Database,
) -> None:
    """In a read session on PostgreSQL a ReadStatement runs on a connection borrowed from the
    pool just for the query, and gives it back."""
    statement = ReadStatement(
        select(Organization.name, Organization.created_at).where(
            Organization.slug == bindparam("slug")
        )
    )
    slug = f"read-statement-{uuid.uuid4().hex[:8]}"
    async with database.sessionmaker() as session:
        session.add(Organization(name="只读品牌", slug=slug))
        await session.commit()
    try:
        assert database.read_sessionmaker is not None
        async with database.read_sessionmaker() as session:
            row = await statement.first(session, slug=slug)
            assert not session.in_transaction()  # the session itself never took a connection
            assert database.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
        assert row is not None
        assert row["name"] == "只读品牌"
        assert row["created_at"].tzinfo is not None
    finally:
        async with database.sessionmaker() as session:
            await session.execute(delete(Organization).where(Organization.slug == slug))
            await session.commit()
