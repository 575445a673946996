"""Safe-method requests read one snapshot in a read-only transaction; pooled connections idle
for a while are pinged before use (core/db.py)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, Request
from sqlalchemy import bindparam, delete, func, select, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from mems.config import Settings
from mems.core.db import (
    Database,
    ReaderDep,
    ReadStatement,
    SessionDep,
    _ping_when_idle,
    set_request_session_info,
)
from mems.core.errors import NotFound, install_error_handlers
from mems.core.jobs import InProcessQueue
from mems.core.routing import api_router
from mems.core.tenancy import ALL_TENANTS, TENANT, in_tenant
from mems.identity.models import ApiToken, AuthSession, Membership, Organization, User
from mems.identity.permissions import Role
from mems.identity.principal import principal_cache
from mems.main import create_app
from mems.migrate import upgrade
from tests.factories import make_org_with_members, make_session_token


@pytest.fixture
async def database(database_url: str, engine: AsyncEngine) -> AsyncIterator[Database]:
    db = Database.from_url(database_url, pool_size=2)  # `engine` has migrated the database
    yield db
    await db.engine.dispose()


async def _count_slug(session: object, prefix: str) -> int:
    stmt = (
        select(func.count()).select_from(Organization).where(Organization.slug.like(prefix + "%"))
    )
    return int(await session.scalar(stmt))  # type: ignore[attr-defined]


@pytest.mark.postgres
async def test_a_read_session_sees_one_snapshot(database: Database) -> None:
    """A GET's statements all see the same committed state, even when a write commits
    between them (REPEATABLE READ), and now() is the transaction's."""
    prefix = f"snap-{uuid.uuid4().hex[:8]}"
    assert database.read_sessionmaker is not None
    try:
        async with database.read_sessionmaker() as reader:
            first_now = await reader.scalar(text("SELECT now()"))
            assert await _count_slug(reader, prefix) == 0
            async with database.sessionmaker() as writer:
                writer.add(Organization(name="并发写入", slug=f"{prefix}-a"))
                await writer.commit()
            await asyncio.sleep(0.01)
            assert await _count_slug(reader, prefix) == 0  # still the first snapshot
            assert await reader.scalar(text("SELECT now()")) == first_now
            isolation = await reader.scalar(text("SHOW transaction_isolation"))
            assert isolation == "repeatable read"
        async with database.read_sessionmaker() as reader:  # the next request sees it
            assert await _count_slug(reader, prefix) == 1
    finally:
        async with database.sessionmaker() as session:
            await session.execute(delete(Organization).where(Organization.slug.like(prefix + "%")))
            await session.commit()


@pytest.mark.postgres
async def test_read_sessions_refuse_writes(database: Database) -> None:
    assert database.read_sessionmaker is not None
    async with database.read_sessionmaker() as session:
        session.add(Organization(name="x", slug="read-session-write"))
        with pytest.raises(RuntimeError, match="must not write"):
            await session.flush()
    async with database.read_sessionmaker() as session:
        with pytest.raises(DBAPIError, match="read-only transaction"):
            await session.execute(
                text(
                    "INSERT INTO organizations (id, name, slug, timezone, locale, currency, "
                    "created_at, updated_at, version) VALUES (:id, 'x', 'read-session-core', "
                    "'Asia/Shanghai', 'zh-CN', 'CNY', now(), now(), 1)"
                ),
                {"id": uuid.uuid4()},
            )
    async with database.sessionmaker() as session:
        found = await session.scalar(
            select(Organization.id).where(Organization.slug.like("read-session-%"))
        )
    assert found is None


@pytest.mark.postgres
async def test_a_read_statement_runs_in_the_read_transaction(database: Database) -> None:
    """ReadStatement runs on the driver, but inside the session's read-only transaction: it
    and the ORM statements after it see one snapshot."""
    prefix = f"rs-{uuid.uuid4().hex[:8]}"
    async with database.sessionmaker() as session:
        in_tenant(session, ALL_TENANTS)
        mine = await make_org_with_members(session, name="只读品牌")
        await session.commit()
    members = ReadStatement(select(Membership.id).where(Membership.role == bindparam("role")))
    try:
        assert database.read_sessionmaker is not None
        async with database.read_sessionmaker() as reader:
            in_tenant(reader, mine.org.id)
            rows = await members.all(reader, role=Role.ADMIN)
            assert [r["id"] for r in rows] == [mine.members[Role.ADMIN].id]
            assert reader.in_transaction()
            async with database.sessionmaker() as writer:
                writer.add(Organization(name="并发写入", slug=f"{prefix}-a"))
                await writer.commit()
            in_tenant(reader, ALL_TENANTS)
            assert await _count_slug(reader, prefix) == 0  # the ReadStatement's snapshot
    finally:
        async with database.sessionmaker() as session:
            await session.execute(delete(Organization).where(Organization.slug.like(prefix + "%")))
            await session.commit()
        await _drop_orgs(database, mine)


@pytest.mark.postgres
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


async def test_sqlite_reads_are_read_only_and_writes_still_work(tmp_path: Path) -> None:
    """The embedded default: a GET's deferred transaction runs with `PRAGMA query_only`, and
    the pooled connection writes again in the next write transaction."""
    db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/x.db")
    try:
        await upgrade(db.engine)
        assert db.read_sessionmaker is not None
        async with db.read_sessionmaker() as reader:
            with pytest.raises(OperationalError, match="readonly"):
                await reader.execute(
                    text(
                        "INSERT INTO job_outbox (id, name, kwargs, status, attempts, created_at)"
                        " VALUES ('x', 'n', '{}', 'done', 0, '2026-01-01')"
                    )
                )
        async with db.sessionmaker() as writer:
            writer.add(Organization(name="写入", slug="sqlite-write-after-read"))
            await writer.commit()
        async with db.read_sessionmaker() as reader:
            assert await _count_slug(reader, "sqlite-write-after-read") == 1
    finally:
        await db.engine.dispose()


async def _drop_orgs(database: Database, *orgs: object) -> None:
    async with database.sessionmaker() as session:
        in_tenant(session, ALL_TENANTS)
        for org in orgs:
            members = org.members.values()  # type: ignore[attr-defined]
            member_ids = [m.id for m in members]
            user_ids = [m.user_id for m in members]
            await session.execute(delete(ApiToken).where(ApiToken.membership_id.in_(member_ids)))
            await session.execute(
                delete(AuthSession).where(AuthSession.membership_id.in_(member_ids))
            )
            await session.execute(delete(Membership).where(Membership.id.in_(member_ids)))
            await session.execute(delete(User).where(User.id.in_(user_ids)))
            await session.execute(
                delete(Organization).where(Organization.id == org.org.id)  # type: ignore[attr-defined]
            )
        await session.commit()


@pytest.mark.postgres
async def test_a_get_request_reads_committed_data_in_a_read_transaction(
    database: Database, settings: Settings
) -> None:
    """The production read path end to end: a real pool, committed rows, a GET answered by a
    ReadStatement in the request's read-only transaction; another organisation's member is
    still 404; the connection goes back to the pool."""
    async with database.sessionmaker() as session:
        in_tenant(session, ALL_TENANTS)
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
        await _drop_orgs(database, mine, theirs)


@pytest.mark.postgres
async def test_a_get_reading_on_the_driver_then_through_the_orm_sees_one_snapshot(
    database: Database,
) -> None:
    """Production read path: the first ReadStatement begins the request's read-only
    transaction on the driver; when the request then needs the ORM, the session joins that
    same transaction (one snapshot, one connection), and the connection goes back to the
    pool — after a failing request too."""

    async with database.sessionmaker() as session:
        in_tenant(session, ALL_TENANTS)
        mine = await make_org_with_members(session, name="快读品牌")
        await session.commit()
    prefix = f"drv-{uuid.uuid4().hex[:8]}"
    admins = ReadStatement(select(Membership.id).where(Membership.role == bindparam("role")))
    seen: dict[str, object] = {}

    app = FastAPI()
    app.state.db, app.state.jobs = database, InProcessQueue(database, run_crons=False)
    install_error_handlers(app)
    router = api_router()

    router = api_router()

    @router.get("/snap")
    async def snap(request: Request, reader: ReaderDep, session: SessionDep) -> dict[str, int]:
        set_request_session_info(request, TENANT, mine.org.id)
        rows = await reader.all(admins, role=Role.ADMIN)
        async with database.sessionmaker() as writer:  # commits between the two reads
            writer.add(Organization(name="并发写入", slug=f"{prefix}-a"))
            await writer.commit()
        in_tenant(session, ALL_TENANTS)
        seen["orgs"] = await _count_slug(session, prefix)
        seen["read_only"] = await session.scalar(text("SHOW transaction_read_only"))
        return {"admins": len(rows)}

    @router.get("/fail")
    async def fail(request: Request, reader: ReaderDep) -> None:
        set_request_session_info(request, TENANT, mine.org.id)
        await reader.all(admins, role=Role.ADMIN)
        raise NotFound("nothing here")

    app.router.routes.extend(router.routes)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as client:
            r = await client.get("/api/v1/snap")
            assert r.status_code == 200, r.text
            assert r.json() == {"admins": 1}
            assert seen["orgs"] == 0  # the ORM read the driver's snapshot
            assert seen["read_only"] == "on"
            assert database.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
            assert (await client.get("/api/v1/fail")).status_code == 404
            assert database.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    finally:
        async with database.sessionmaker() as session:
            await session.execute(delete(Organization).where(Organization.slug.like(prefix + "%")))
            await session.commit()
        await _drop_orgs(database, mine)


@pytest.mark.postgres
async def test_a_request_that_finds_no_free_connection_is_told_busy_not_failed(
    database_url: str, engine: AsyncEngine
) -> None:
    """Overload: every pooled connection stays taken past the pool's timeout. The request is
    answered 503 problem+json with Retry-After (try again), not a 500."""
    db = Database.from_url(database_url, pool_size=1, pool_timeout=0.3)
    app = FastAPI()
    app.state.db, app.state.jobs = db, InProcessQueue(db, run_crons=False)
    install_error_handlers(app)
    router = api_router()

    @router.post("/write")
    async def write(session: SessionDep) -> dict[str, int]:
        return {"one": int(await session.scalar(text("SELECT 1")))}

    app.router.routes.extend(router.routes)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as client:
            async with db.engine.connect() as held:  # the only connection, held
                await held.execute(text("SELECT 1"))
                r = await client.post("/api/v1/write", headers={"Accept-Language": "zh-CN"})
            assert r.status_code == 503, r.text
            assert r.headers["content-type"].startswith("application/problem+json")
            assert r.headers["retry-after"] == "1"
            assert r.json()["detail"] == "数据库繁忙，请稍后重试。"
            again = await client.post("/api/v1/write")  # free again: served
            assert again.status_code == 200, again.text
            assert again.json() == {"one": 1}
    finally:
        await db.engine.dispose()
