"""Sessions of safe-method requests run outside a transaction; pooled connections idle for a
while are pinged before use (core/db.py)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from mems.config import Settings
from mems.core.db import Database, ReadStatement, _ping_when_idle
from mems.core.jobs import InProcessQueue
from mems.identity.models import AuthSession, Membership, Organization, User
from mems.identity.permissions import Role
from mems.identity.principal import principal_cache
from mems.main import create_app
from tests.factories import make_org_with_members, make_session_token

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


async def test_a_get_request_reads_committed_data_without_a_session(
    database: Database, settings: Settings
) -> None:
    """The production read path end to end: a real pool, committed rows, a GET answered by a
    ReadStatement on a borrowed connection; another organisation's member is still 404."""
    async with database.sessionmaker() as session:
        mine = await make_org_with_members(session, name="读路径品牌")
        theirs = await make_org_with_members(session, name="别家品牌")
        token = await make_session_token(session, mine.members[Role.VIEWER].id)
        await session.commit()
    # With the principal cached, a GET needs no session for authentication either.
    cached = settings.model_copy(update={"principal_cache_seconds": 60})
    app = create_app(cached, db=database, jobs=InProcessQueue(database, run_crons=False))
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app),
                base_url="http://t",
                headers={"Authorization": f"Bearer {token}"},
            ) as client,
        ):
            assert (await client.get("/api/v1/me")).status_code == 200  # caches the principal
            director = mine.members[Role.DIRECTOR]
            r = await client.get(f"/api/v1/members/{director.id}")
            assert r.status_code == 200, r.text
            assert r.json()["email"] == director.user.email
            assert r.json()["role"] == "director"
            assert r.headers["etag"] == f'"{director.version}"'
            foreign = theirs.members[Role.DIRECTOR]
            assert (await client.get(f"/api/v1/members/{foreign.id}")).status_code == 404
        assert database.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    finally:
        principal_cache.clear()
        async with database.sessionmaker() as session:
            for org in (mine, theirs):
                member_ids = [m.id for m in org.members.values()]
                user_ids = [m.user_id for m in org.members.values()]
                await session.execute(
                    delete(AuthSession).where(AuthSession.membership_id.in_(member_ids))
                )
                await session.execute(delete(Membership).where(Membership.id.in_(member_ids)))
                await session.execute(delete(User).where(User.id.in_(user_ids)))
                await session.execute(delete(Organization).where(Organization.id == org.org.id))
            await session.commit()
