"""Engine, sessions and the single commit point.

A request gets at most one session and one transaction (`UnitOfWorkRoute`). Services flush,
never commit: the route commits after the handler returns and only then sends the jobs the
request queued (so a rolled-back request sends none).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Iterable,
    Mapping,
    Sequence,
)
from contextlib import asynccontextmanager
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Protocol

import asyncpg
from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import ARRAY, Float, Numeric, Select, all_, any_, bindparam, event, text
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import DisconnectionError, IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BindParameter
from sqlalchemy.sql.visitors import replacement_traverse
from sqlalchemy.types import TypeEngine

from mems.core.errors import ProblemError
from mems.core.tenancy import ALL_TENANTS, TENANT, TENANT_PARAM, tenant_filtered, tenant_of

log = logging.getLogger("mems.db")

if TYPE_CHECKING:
    from mems.core.jobs import JobQueue


SQLITE_IMMEDIATE = "mems_sqlite_immediate"  # execution option: BEGIN IMMEDIATE on SQLite
SQLITE_QUERY_ONLY = "mems_sqlite_query_only"  # execution option: a read-only SQLite transaction


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, open transactions (needed for SAVEPOINTs in tests).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A write transaction takes the write lock when it begins (IMMEDIATE), waiting up to
        # busy_timeout for it. A deferred one that writes later cannot wait: SQLite refuses
        # the upgrade at once ("database is locked") when another writer got there first.
        options = conn.get_execution_options()
        # query_only is the connection's: set it for each transaction (pooled connections
        # serve reads and writes alike).
        conn.exec_driver_sql(f"PRAGMA query_only={1 if options.get(SQLITE_QUERY_ONLY) else 0}")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get(SQLITE_IMMEDIATE) else "BEGIN")


# A pooled connection idle for longer than this is pinged before it is handed out, so one that
# a database restart or a firewall dropped is replaced instead of failing a request. A busy
# pool (connections back within seconds) pays no round trip for it, unlike `pool_pre_ping`,
# which costs three (BEGIN, ping, ROLLBACK) on every checkout.
IDLE_PING_SECONDS = 10.0


def _ping_when_idle(engine: Engine, idle_seconds: float = IDLE_PING_SECONDS) -> None:
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        checked_in_at = record.info.get("checked_in_at")
        if checked_in_at is None or time.monotonic() - checked_in_at < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            # The pool discards this connection and checks out another (up to three times).
            raise DisconnectionError("pooled connection failed its ping") from exc


def create_engine(url: str, *, pool_size: int = 20, pool_timeout: float = 30.0) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(url)
        _sqlite_pragmas(engine.sync_engine)
        return engine
    # No overflow: under a burst, overflow connections are opened and closed again at once
    # (a TCP connect, authentication and type introspection each); a fixed pool reuses them.
    engine = create_async_engine(
        url, pool_size=pool_size, max_overflow=0, pool_timeout=pool_timeout
    )
    _ping_when_idle(engine.sync_engine)
    return engine


def create_sessionmaker(bind: Any, **kwargs: Any) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(bind, expire_on_commit=False, **kwargs)


READ_ONLY = "read_only"  # session.info key of the sessions safe-method requests get
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})  # requests that must not write


async def advisory_xact_lock(session: AsyncSession, key: str) -> None:
    """Serialise transactions that share `key` on PostgreSQL (held until the transaction ends);
    SQLite serialises writers anyway, so there it does nothing."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key}
        )


async def try_advisory_xact_lock(session: AsyncSession, key: str) -> bool:
    """`advisory_xact_lock` without waiting: False when another transaction holds `key`."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    taken = await session.scalar(
        text("SELECT pg_try_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key}
    )
    return bool(taken)


@event.listens_for(Session, "before_flush")
def _refuse_writes_in_read_sessions(session: Session, _ctx: Any, _instances: Any) -> None:
    if session.info.get(READ_ONLY) and (session.new or session.dirty or session.deleted):
        raise RuntimeError(
            "A GET/HEAD/OPTIONS request must not write: its transaction is read-only. "
            "Make the endpoint a POST/PUT/PATCH/DELETE."
        )


@dataclass
class Database:
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    # Sessions for safe-method requests: one read-only transaction that sees one snapshot
    # (PostgreSQL: REPEATABLE READ READ ONLY; SQLite: a deferred transaction, which reads a
    # snapshot without taking the write lock, with writes refused by `PRAGMA query_only`).
    # None: safe-method requests use `sessionmaker` too.
    read_sessionmaker: async_sessionmaker[AsyncSession] | None = None
    # PostgreSQL: a safe-method request's ReadStatements begin its read-only transaction on
    # the driver itself, without an ORM session (which joins it if the request needs one).
    raw_reads: bool = False

    @classmethod
    def from_url(cls, url: str, *, pool_size: int = 20, pool_timeout: float = 30.0) -> Database:
        engine = create_engine(url, pool_size=pool_size, pool_timeout=pool_timeout)
        if engine.dialect.name == "sqlite":
            writes = create_sessionmaker(engine.execution_options(**{SQLITE_IMMEDIATE: True}))
            reads = engine.execution_options(**{SQLITE_QUERY_ONLY: True})
        else:
            writes = create_sessionmaker(engine)
            reads = engine.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        raw_reads = engine.dialect.name == "postgresql"
        return cls(engine, writes, create_sessionmaker(reads, info={READ_ONLY: True}), raw_reads)


async def commit_and_dispatch(session: AsyncSession, queue: JobQueue) -> None:
    """Commit, then hand the jobs queued in this transaction to the queue."""

    await session.commit()
    await _dispatch(session, queue)


async def _dispatch(session: AsyncSession, queue: JobQueue) -> None:
    """After a commit: run the callbacks, then hand the committed outbox rows to the runner.
    Neither may fail the request: its write is already committed (a job not handed over is
    handed over by the outbox sweeper)."""
    from mems.core.jobs import hand_over, take_pending_jobs

    for callback in session.info.pop("after_commit", []):
        try:
            callback()
        except Exception:
            log.exception("after-commit callback failed")
    jobs = take_pending_jobs(session)
    if jobs:
        await hand_over(queue, jobs)


def after_commit(session: AsyncSession, callback: Callable[[], None]) -> None:
    """Run `callback` once this transaction has committed (never if it rolls back)."""
    session.info.setdefault("after_commit", []).append(callback)


async def driver_for(session: AsyncSession, sql: str, args: Sequence[Any]) -> Any:
    """The asyncpg connection of the session's transaction (begun if need be), to run `sql`
    on it straight — a hot path's statement, without SQLAlchemy's per-statement work.
    SQLAlchemy's `before_cursor_execute` listeners are told of it (the tests count
    statements with them). PostgreSQL only."""
    connection = await session.connection()
    dispatch = connection.sync_connection.dispatch  # type: ignore[union-attr]
    if dispatch.before_cursor_execute:
        for listener in dispatch.before_cursor_execute:
            listener(connection.sync_connection, None, sql, args, None, False)
    pooled = await connection.get_raw_connection()
    adapter = pooled.dbapi_connection
    if adapter._transaction is None and not adapter.autocommit:  # type: ignore[union-attr]
        # SQLAlchemy's asyncpg adapter sends BEGIN with the first statement it runs; this
        # statement bypasses it, so begin here (with the session's isolation).
        await adapter._start_transaction()  # type: ignore[union-attr]
    return pooled.driver_connection


@asynccontextmanager
async def driver_errors(sql: str, args: Sequence[Any]) -> AsyncIterator[None]:
    """Statements run on the driver (`driver_for`) fail as SQLAlchemy's would: a refused
    constraint as `IntegrityError` (answered 409 like any other), anything else from
    PostgreSQL as `OperationalError` — never a bare asyncpg error past the error handlers."""
    try:
        yield
    except asyncpg.IntegrityConstraintViolationError as exc:
        raise IntegrityError(sql, args, exc) from exc
    except asyncpg.PostgresError as exc:
        raise OperationalError(sql, args, exc) from exc


class Shape(Enum):
    """How a `ReadStatement`'s rows come back."""

    ONE = "one"  # the first row as a dict (or none)
    DICTS = "dicts"  # every row as a dict
    RECORDS = "records"  # every row as the driver's record, read by column name


class Record(Protocol):
    """A row read by column name (asyncpg's `Record`, SQLAlchemy's `RowMapping`)."""

    def __getitem__(self, key: str) -> Any: ...

    def get(self, key: str, default: Any = None) -> Any: ...

    def keys(self) -> Iterable[str]: ...


class ReadStatement:
    """A read compiled once and run on the database driver itself on PostgreSQL.

    Going through the ORM session costs several times a small query's own round trip in
    Python work (ORM compile state, execution context, result object); this runs the
    statement's SQL, compiled once per dialect, straight on asyncpg, in the session's own
    transaction (so it sees the request's snapshot, and a test's uncommitted writes), and
    applies the same bind and result conversions (type decorators included) the session
    would. Rows come back as dicts. Tenant rows are filtered like every ORM statement
    (`mems.core.tenancy.tenant_filtered`), bound to the session's organisation. Other
    dialects run it through the session. SQLAlchemy's `before_cursor_execute` listeners
    still see each statement (the tests count statements with them).

        _MEMBER = ReadStatement(select(...).where(Membership.id == bindparam("member_id")))
        row = await _MEMBER.first(session, member_id=member_id)  # a dict, or None
        rows = await _MEMBERS.all(session, ids=[...])  # `ids` bound as `= ANY(...)`-ready list
        rows = await _MEMBERS.all(session, mems_tenant=org_id, ids=[...])  # a given organisation
    """

    def __init__(
        self, statement: Select[*tuple[Any, ...]], *, across_tenants: bool = False
    ) -> None:
        """`across_tenants`: no tenant filter (a read that finds the organisation, as a
        webhook's source does by the id in its URL); the session needs none."""
        self.across_tenants = across_tenants
        if across_tenants:
            self.statement = statement.execution_options(**{TENANT: ALL_TENANTS})
            self._driver_statement = _any_for_in(statement)
        else:
            self.statement = tenant_filtered(statement)
            self._driver_statement = tenant_filtered(_any_for_in(statement))
        self.keys = list(statement.selected_columns.keys())
        self._compiled: dict[str, _CompiledRead] = {}

    async def first(self, session: AsyncSession, **params: Any) -> dict[str, Any] | None:
        rows = await self._run(session, params, Shape.ONE)
        return rows[0] if rows else None

    async def all(self, session: AsyncSession, **params: Any) -> list[dict[str, Any]]:
        return await self._run(session, params, Shape.DICTS)

    async def records(self, session: AsyncSession, **params: Any) -> Sequence[Record]:
        return await self._run(session, params, Shape.RECORDS)

    async def _run(self, session: AsyncSession, params: dict[str, Any], shape: Shape) -> list[Any]:
        statement = self.statement
        if TENANT_PARAM in params:  # the caller's organisation, not the session's
            statement = statement.execution_options(**{TENANT: params[TENANT_PARAM]})
        elif not self.across_tenants:
            tenant = tenant_of(session)
            if not isinstance(tenant, uuid.UUID):
                raise RuntimeError(
                    f"ReadStatement needs a session in one organisation, not {tenant}"
                )
            params[TENANT_PARAM] = tenant
        bind = session.bind
        if bind is None or bind.dialect.name != "postgresql":
            result = await session.execute(statement, params)
            if shape is Shape.RECORDS:
                return list(result.mappings().all())
            rows = [result.first()] if shape is Shape.ONE else result.all()
            return [dict(zip(self.keys, row, strict=True)) for row in rows if row is not None]
        compiled = self._compiled.get(bind.dialect.name) or self._compile(bind.dialect)
        args = compiled.arguments(params)
        driver = await driver_for(session, compiled.sql, args)
        async with driver_errors(compiled.sql, args):
            return await compiled.fetch(driver, args, shape)

    async def run_on_driver(
        self, driver: Any, dialect: Dialect, tenant: uuid.UUID, params: dict[str, Any], shape: Shape
    ) -> list[Any]:
        """Run on an asyncpg connection (in the request's transaction, or alone for a one-read
        route); its errors are SQLAlchemy's, as everywhere else."""
        params[TENANT_PARAM] = tenant
        compiled = self._compiled.get(dialect.name) or self._compile(dialect)
        args = compiled.arguments(params)
        async with driver_errors(compiled.sql, args):
            return await compiled.fetch(driver, args, shape)

    def _compile(self, dialect: Dialect) -> _CompiledRead:
        # `col IN :list` (an expanding parameter) is rendered per call by SQLAlchemy; compiled
        # once for the driver it is `col = ANY(:list)`, one array parameter.
        compiled = self._driver_statement.compile(dialect=dialect)
        names = list(compiled.positiontup or ())
        binds: list[tuple[str, Any, Any]] = []
        for name in names:
            param = compiled.binds[name]
            convert = param.type.dialect_impl(dialect).bind_processor(dialect)
            binds.append((name, compiled.params.get(name), convert))
        results: list[Any] = []
        for column in self.statement.selected_columns:
            try:
                results.append(_result_processor(column.type, dialect))
            except Exception as exc:  # e.g. a type that needs the driver's column type
                raise TypeError(f"ReadStatement cannot read column {column!r}: {exc}") from exc
        self._compiled[dialect.name] = done = _CompiledRead(
            compiled.string, binds, self.keys, results
        )
        return done


def _any_for_in(statement: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    def replace(element: Any) -> Any:
        if (
            isinstance(element, BinaryExpression)
            and element.operator in (operators.in_op, operators.not_in_op)
            and isinstance(element.right, BindParameter)
            and element.right.expanding
        ):
            values = bindparam(element.right.key, type_=ARRAY(element.left.type))
            if element.operator is operators.in_op:
                return element.left == any_(values)
            return element.left != all_(values)
        return None

    return replacement_traverse(statement, {}, replace)  # type: ignore[call-overload,no-any-return]


_PG_NUMERIC = 1700  # the type oid PostgreSQL reports for a NUMERIC result column


def _result_processor(type_: TypeEngine[Any], dialect: Dialect) -> Any:
    impl = type_.dialect_impl(dialect)
    # asyncpg's numerics convert by the type the server reports (unknown before the statement
    # runs): a NUMERIC column (money, weights) is reported as NUMERIC.
    if dialect.name == "postgresql" and isinstance(impl, Numeric) and not isinstance(impl, Float):
        return impl.result_processor(dialect, _PG_NUMERIC)  # type: ignore[no-untyped-call]
    return impl.result_processor(dialect, None)


class _CompiledRead:
    __slots__ = ("binds", "converted", "keys", "results", "sql")

    def __init__(
        self,
        sql: str,
        binds: list[tuple[str, Any, Any]],
        keys: list[str],
        results: list[Any],
    ) -> None:
        self.sql, self.binds, self.keys, self.results = sql, binds, keys, results
        # The columns that need a conversion (most need none: asyncpg's values are final).
        self.converted = [(k, c) for k, c in zip(keys, results, strict=True) if c is not None]

    def arguments(self, params: Mapping[str, Any]) -> list[Any]:
        args = []
        for name, default, convert in self.binds:
            value = params.get(name, default)
            args.append(value if convert is None else convert(value))
        return args

    def row(self, record: Any) -> dict[str, Any]:
        row = dict(zip(self.keys, record, strict=True))
        for key, convert in self.converted:
            row[key] = convert(row[key])
        return row

    async def fetch(self, driver: Any, args: list[Any], shape: Shape) -> list[Any]:
        if shape is Shape.ONE:
            record = await driver.fetchrow(self.sql, *args)
            return [] if record is None else [self.row(record)]
        records: list[Any] = await driver.fetch(self.sql, *args)
        if shape is Shape.RECORDS and not self.converted:
            return records  # asyncpg's own: read by key, no dict made per row
        if not self.converted:  # a large read (a Gantt's thousands of tasks) pays per row
            keys = self.keys
            return [dict(zip(keys, r, strict=True)) for r in records]
        return [self.row(r) for r in records]


class _UnitOfWork:
    """One request's session, opened when first asked for and finished by the route."""

    __slots__ = (
        "_connection",
        "_db",
        "_info",
        "_later",
        "_maker",
        "_one_read",
        "_pooled",
        "_queue",
        "_raw_reads",
        "_read_only",
        "_reads",
        "session",
    )

    def __init__(self, request: Request) -> None:
        db: Database = request.app.state.db
        self._db = db
        self._queue: JobQueue = request.app.state.jobs
        self._later: list[Callable[[AsyncSession], Awaitable[None]]] | None = None
        self._read_only = request.method in SAFE_METHODS and db.read_sessionmaker is not None
        self._maker = db.read_sessionmaker if self._read_only else db.sessionmaker
        self._raw_reads = self._read_only and db.raw_reads
        self._info: dict[str, Any] = {}
        self.session: AsyncSession | None = None
        # PostgreSQL reads: the pooled connection of the request's read-only transaction,
        # begun on the driver by the first ReadStatement (no ORM session needed), and the
        # SQLAlchemy connection over it once the ORM is needed too.
        self._pooled: Any = None
        self._connection: AsyncConnection | None = None
        # A route that reads with one statement (`OneReaderDep`) needs no transaction for a
        # consistent answer: one statement sees one snapshot. A second one is a bug.
        self._one_read = False
        self._reads = 0

    def open(self) -> AsyncSession:
        if self.session is None:
            assert self._maker is not None
            if self._one_read and self._reads:
                raise RuntimeError("a one-read route (OneReaderDep) opened the ORM after its read")
            if self._pooled is not None:
                # Reads ran on the driver already: the ORM joins the same transaction.
                engine = self._db.engine
                sync = Connection(engine.sync_engine, connection=self._pooled)
                self._connection = AsyncConnection(engine, sync)
                self.session = self._maker(bind=self._connection, info=self._info)
            else:
                self.session = self._maker(info=self._info)  # merged into the maker's own info
        return self.session

    async def first(self, statement: ReadStatement, **params: Any) -> dict[str, Any] | None:
        rows = await self._read(statement, params, Shape.ONE)
        return rows[0] if rows else None

    async def all(self, statement: ReadStatement, **params: Any) -> list[dict[str, Any]]:
        return await self._read(statement, params, Shape.DICTS)

    async def records(self, statement: ReadStatement, **params: Any) -> Sequence[Record]:
        return await self._read(statement, params, Shape.RECORDS)

    async def _read(
        self, statement: ReadStatement, params: dict[str, Any], shape: Shape
    ) -> list[Any]:
        if self._raw_reads and self.session is None:
            return await self._on_driver(statement, params, shape)
        session = self.open()
        self._count_read()
        return await statement._run(session, params, shape)

    @property
    def dialect_name(self) -> str:
        return self._db.engine.dialect.name

    def declare_one_read(self) -> None:
        self._one_read = True

    def _count_read(self) -> None:
        if self._one_read and self._reads:
            raise RuntimeError("a one-read route (OneReaderDep) made a second read")
        self._reads += 1

    async def _on_driver(
        self, statement: ReadStatement, params: dict[str, Any], shape: Shape
    ) -> list[Any]:
        tenant = self._info.get(TENANT)
        if not isinstance(tenant, uuid.UUID):
            raise RuntimeError(f"ReadStatement needs a request in one organisation, not {tenant}")
        self._count_read()
        dialect = self._db.engine.dialect
        if self._one_read:  # the only statement: its own snapshot, no transaction around it
            pooled = await self._db.engine.raw_connection()
            try:
                driver = pooled.driver_connection
                return await statement.run_on_driver(driver, dialect, tenant, params, shape)
            finally:
                pooled.close()
        if self._pooled is None:
            pooled = await self._db.engine.raw_connection()
            try:
                adapter = pooled.dbapi_connection
                # Through the adapter's own transaction slot, so SQLAlchemy sees it if the
                # ORM joins later (and does not BEGIN twice).
                transaction = adapter._connection.transaction(  # type: ignore[union-attr]
                    isolation="repeatable_read", readonly=True
                )
                await transaction.start()
                adapter._transaction = transaction  # type: ignore[union-attr]
            except BaseException:
                pooled.invalidate()
                raise
            self._pooled = pooled
        driver = self._pooled.driver_connection
        return await statement.run_on_driver(driver, self._db.engine.dialect, tenant, params, shape)

    async def _end_raw(self) -> None:
        """End the driver-level read transaction and give the connection back."""
        pooled, self._pooled = self._pooled, None
        if self._connection is not None:
            connection, self._connection = self._connection, None
            await connection.close()  # rolls back, and gives the pooled connection back
            return
        try:
            adapter = pooled.dbapi_connection
            transaction, adapter._transaction = adapter._transaction, None
            if transaction is not None:
                await transaction.rollback()
        except BaseException:
            pooled.invalidate()
            raise
        finally:
            pooled.close()

    def set_info(self, key: str, value: Any) -> None:
        self._info[key] = value
        if self.session is not None:
            self.session.info[key] = value

    async def write_soon(self, write: Callable[[AsyncSession], Awaitable[None]]) -> None:
        if not self._read_only:
            await write(self.open())
        elif self._later is None:
            self._later = [write]
        else:
            self._later.append(write)

    async def _write_later(self) -> None:
        """After a read-only request: its bookkeeping writes, each in its own transaction."""
        for write in self._later or ():
            try:
                async with self._db.sessionmaker(info=dict(self._info)) as session:
                    await write(session)
                    await session.commit()
            except Exception:
                log.exception("bookkeeping write after a read failed")

    async def succeed(self) -> None:
        session = self.session
        try:
            if session is not None:
                try:
                    if self._read_only:
                        # A read-only transaction has nothing to commit: end it, then run the
                        # callbacks.
                        await session.rollback()
                        await _dispatch(session, self._queue)
                    else:
                        await commit_and_dispatch(session, self._queue)
                finally:
                    await _close(session)
        finally:
            if self._pooled is not None:
                await self._end_raw()
        if self._later:
            await self._write_later()

    async def fail(self, keep_writes: bool) -> None:
        session = self.session
        try:
            if session is not None:
                try:
                    if keep_writes and not self._read_only:
                        await commit_and_dispatch(session, self._queue)
                    else:
                        session.info.pop("after_commit", None)
                        await session.rollback()
                finally:
                    await _close(session)
        finally:
            if self._pooled is not None:
                await self._end_raw()
        if self._later:
            await self._write_later()


async def _close(session: AsyncSession) -> None:
    # A session outside a transaction holds no connection; closing it would only empty its
    # identity map (the garbage collector does that) at the price of a greenlet switch.
    if session.in_transaction():
        await session.close()


_UNIT = "mems.unit_of_work"  # the request scope key of the request's _UnitOfWork


class UnitOfWorkRoute(APIRoute):
    """The route class of every API router: one session and one commit point per request.

    The session is opened only when a dependency asks for it (`SessionDep`). After the
    handler returns, and before the response is sent, the session commits and only then hands
    the jobs the request queued to the queue; so a failed commit is reported to the client
    instead of a success that was lost, and a rolled-back request sends no job. A
    `ProblemError` rolls back unless it says to keep the writes (`keep_writes`). Streaming
    responses must read what they need before they return: the session is closed by then.

    A plain function around the handler, unlike a dependency with `yield`, costs no exit
    stack, context manager or cancel scope per request.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run_in_unit_of_work(request: Request) -> Response:
            unit = request.scope[_UNIT] = _UnitOfWork(request)
            try:
                response = await handler(request)
            except ProblemError as exc:
                await unit.fail(exc.keep_writes)
                raise
            except BaseException:
                await unit.fail(False)
                raise
            await unit.succeed()
            return response

        return run_in_unit_of_work


def _unit(request: Request) -> _UnitOfWork:
    unit: _UnitOfWork | None = request.scope.get(_UNIT)
    if unit is None:
        raise RuntimeError(
            f"{request.url.path}: its router must use `route_class=UnitOfWorkRoute` "
            "(mems.core.db) to get a session."
        )
    return unit


def open_request_session(request: Request) -> AsyncSession:
    """The request's session, opened now if it is not yet (for dependencies that need it
    only sometimes, e.g. authentication on a cache miss)."""
    return _unit(request).open()


async def write_soon(request: Request, write: Callable[[AsyncSession], Awaitable[None]]) -> None:
    """Bookkeeping a request does whatever its method (e.g. a token's last use): in a write
    request, now, in its transaction; in a read-only one (GET), after its read transaction
    ends, in a transaction of its own (a failure there is logged, not reported)."""
    await _unit(request).write_soon(write)


def set_request_session_info(request: Request, key: str, value: Any) -> None:
    """Put `value` in the request session's `info`, now or whenever the session opens."""
    _unit(request).set_info(key, value)


async def request_session(request: Request) -> AsyncSession:
    return _unit(request).open()


class Reader(Protocol):
    """What runs `ReadStatement`s for a request (`ReaderDep`); outside requests, a
    `SessionReader` over a session."""

    @property
    def dialect_name(self) -> str: ...

    async def first(self, statement: ReadStatement, **params: Any) -> dict[str, Any] | None: ...

    async def all(self, statement: ReadStatement, **params: Any) -> list[dict[str, Any]]: ...

    async def records(self, statement: ReadStatement, **params: Any) -> Sequence[Record]:
        """The rows as the driver gives them (asyncpg's records; SQLAlchemy's row mappings),
        read by column name, with no dict made per row: for large reads that are only read."""
        ...


class SessionReader:
    """A `Reader` over a session (jobs, scripts and tests; requests get theirs from the unit of
    work)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def dialect_name(self) -> str:
        return self.session.get_bind().dialect.name

    async def first(self, statement: ReadStatement, **params: Any) -> dict[str, Any] | None:
        return await statement.first(self.session, **params)

    async def all(self, statement: ReadStatement, **params: Any) -> list[dict[str, Any]]:
        return await statement.all(self.session, **params)

    async def records(self, statement: ReadStatement, **params: Any) -> Sequence[Record]:
        return await statement.records(self.session, **params)


async def request_reader(request: Request) -> Reader:
    return _unit(request)


async def request_one_reader(request: Request) -> Reader:
    unit = _unit(request)
    unit.declare_one_read()
    return unit


SessionDep = Annotated[AsyncSession, Depends(request_session)]
ReaderDep = Annotated[Reader, Depends(request_reader)]
# For routes that answer from one statement (e.g. one object by id): on PostgreSQL it runs
# without BEGIN/ROLLBACK around it (a statement is its own snapshot); a second read fails.
OneReaderDep = Annotated[Reader, Depends(request_one_reader)]
