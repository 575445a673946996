"""Test harness: a migrated database per run, each test inside a rolled-back transaction.

`--db=sqlite` (default) or `--db=postgres` (TEST_DATABASE_URL) picks the database; the same
tests run on both. Clients talk to the real app over ASGI; `api(role)` gives a client logged
in as a member of a fresh organisation with that role.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Connection, event, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.orm import Session

from mems.config import Settings
from mems.core.db import READ_ONLY, Database, create_engine, create_sessionmaker
from mems.core.jobs import InProcessQueue
from mems.core.tenancy import ALL_TENANTS, in_tenant
from mems.identity.permissions import Role
from mems.main import create_app
from mems.migrate import upgrade
from tests.factories import OrgWithMembers, make_org_with_members, make_session_token

TEST_DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


# Test clients read the API's English messages (zh-CN is the default without the header);
# tests of the Chinese texts send their own Accept-Language.
ENGLISH = {"Accept-Language": "en"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db", choices=["sqlite", "postgres"], default="sqlite", help="database to test on"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Redis/arq and PostgreSQL-only tests run in the --db=postgres pass, tests of the embedded
    app on its own SQLite file in the --db=sqlite pass (make test runs both)."""
    if config.getoption("--db") != "sqlite":
        embedded = [i for i in items if i.get_closest_marker("embedded")]
        if embedded:
            config.hook.pytest_deselected(items=embedded)
            items[:] = [i for i in items if i not in embedded]
        return
    keep = [
        i for i in items if not (i.get_closest_marker("worker") or i.get_closest_marker("postgres"))
    ]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


@pytest.fixture(scope="session")
def db_kind(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--db"))


@pytest.fixture(scope="session")
def database_url(db_kind: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    if db_kind == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    return TEST_DATABASE_URL


async def reset_postgres(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
async def engine(database_url: str, db_kind: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    if db_kind == "postgres":
        await reset_postgres(engine)
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as conn:
        trans = await conn.begin()
        try:
            yield conn
        finally:
            await trans.rollback()


READ_ONLY_SAVEPOINT = "tests.read_only_savepoint"


@event.listens_for(Session, "after_begin")
def _read_only_savepoint(session: Session, _transaction: Any, connection: Connection) -> None:
    """A GET's savepoint in the test's transaction is read-only, as a GET's own transaction is
    in production (PostgreSQL: REPEATABLE READ READ ONLY): a write inside a GET fails the
    test. `SET LOCAL` ends with the savepoint, which a read-only unit of work rolls back."""
    if session.info.get(READ_ONLY_SAVEPOINT) and connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL transaction_read_only = on")


@pytest.fixture
def db(connection: AsyncConnection) -> Database:
    """Sessions bound to the test's transaction: their commits only release a savepoint. Safe
    methods get the production read path (`read_sessionmaker`), read-only."""
    return Database(
        connection.engine,  # type: ignore[arg-type]
        create_sessionmaker(connection, join_transaction_mode="create_savepoint"),
        create_sessionmaker(
            connection,
            join_transaction_mode="create_savepoint",
            info={READ_ONLY: True, READ_ONLY_SAVEPOINT: True},
        ),
    )


@pytest.fixture
async def session(db: Database) -> AsyncIterator[AsyncSession]:
    """The test's own session: it arranges and inspects every organisation's data."""
    async with db.sessionmaker() as s:
        in_tenant(s, ALL_TENANTS)
        yield s


@pytest.fixture(scope="session")
def var_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="mems-test-var-"))


@pytest.fixture
def settings(var_dir: Path) -> Settings:
    return Settings(
        environment="test",
        var_dir=var_dir,
        spa_dir=var_dir / "no-spa",
        secret_key="test-secret-key-" + "x" * 32,
        log_json=True,
        principal_cache_seconds=0,
        max_body_bytes=64 * 1024,
    )


@pytest.fixture
async def jobs(db: Database) -> AsyncIterator[InProcessQueue]:
    queue = InProcessQueue(db, run_crons=False)
    yield queue
    await queue.drain()


@pytest.fixture
async def app(settings: Settings, db: Database, jobs: InProcessQueue) -> AsyncIterator[object]:
    application = create_app(settings, db=db, jobs=jobs)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: object) -> AsyncIterator[httpx.AsyncClient]:
    """An anonymous client."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers=ENGLISH
    ) as c:
        yield c


@pytest.fixture
async def org(session: AsyncSession) -> OrgWithMembers:
    """A fresh organisation with one member per role (password `demo1234`)."""
    result = await make_org_with_members(session)
    await session.commit()
    return result


@pytest.fixture
async def other_org(session: AsyncSession) -> OrgWithMembers:
    result = await make_org_with_members(session, name="竞品公司 (Other Co.)")
    await session.commit()
    return result


ApiFactory = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def api(app: object, session: AsyncSession, org: OrgWithMembers) -> AsyncIterator[ApiFactory]:
    """`await api("director")`: a client with a bearer token of that role in `org`."""
    clients: list[httpx.AsyncClient] = []

    async def make(
        role: Role | str = Role.ADMIN, in_org: OrgWithMembers | None = None
    ) -> httpx.AsyncClient:
        target = in_org or org
        token = await make_session_token(session, target.members[Role(role)].id)
        await session.commit()
        c = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]
            base_url="http://testserver",
            headers={"Authorization": f"Bearer {token}", **ENGLISH},
        )
        clients.append(c)
        return c

    yield make
    for c in clients:
        await c.aclose()


FileApp = tuple[object, OrgWithMembers]


async def _committed_app(settings: Settings, db: Database) -> AsyncIterator[FileApp]:
    async with db.sessionmaker() as s:
        in_tenant(s, ALL_TENANTS)
        org = await make_org_with_members(s)
        await s.commit()
    application = create_app(settings, db=db, jobs=InProcessQueue(db, run_crons=False))
    async with application.router.lifespan_context(application):
        yield application, org
    await db.engine.dispose()


@pytest.fixture
async def file_app(settings: Settings, tmp_path: Path) -> AsyncIterator[FileApp]:
    """The app on its own SQLite file with committed data and a real connection pool: for
    tests of concurrent requests (the rolled-back test transaction has one connection).
    Uses the embedded default's own engine set-up (`Database.from_url`)."""
    db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path / 'mems.db'}")
    await upgrade(db.engine)
    async for pair in _committed_app(settings, db):
        yield pair


@pytest.fixture(scope="session")
async def races_database_url(db_kind: str) -> str:
    """PostgreSQL: a database of its own (`<test>_races`), migrated once per run, for races
    that need committed data; the main test database stays clean for rolled-back tests."""
    if db_kind != "postgres":
        pytest.skip("races run on PostgreSQL (make test runs both databases)")
    base, _, name = TEST_DATABASE_URL.rpartition("/")
    races = f"{name}_races"
    admin = create_engine(TEST_DATABASE_URL).execution_options(isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{races}" WITH (FORCE)'))
        await conn.execute(text(f'CREATE DATABASE "{races}"'))
    await admin.dispose()
    url = f"{base}/{races}"
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()
    return url


@pytest.fixture
async def pg_app(settings: Settings, races_database_url: str) -> AsyncIterator[FileApp]:
    """The app on PostgreSQL with committed data and a real pool, as in production."""
    async for pair in _committed_app(settings, Database.from_url(races_database_url)):
        yield pair


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"
