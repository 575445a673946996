"""Engine, sessions and the single commit point.

A request gets at most one session and one transaction (`UnitOfWorkRoute`). Services flush,
never commit: the route commits after the handler returns and only then sends the jobs the
request queued (so a rolled-back request sends none).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Protocol

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import Select, event
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session

from mems.core.errors import ProblemError

log = logging.getLogger("mems.db")

if TYPE_CHECKING:
    from mems.core.jobs import JobQueue


SQLITE_IMMEDIATE = "mems_sqlite_immediate"  # execution option: BEGIN IMMEDIATE on SQLite


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
        immediate = conn.get_execution_options().get(SQLITE_IMMEDIATE)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


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


def create_engine(url: str, *, pool_size: int = 20) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(url)
        _sqlite_pragmas(engine.sync_engine)
        return engine
    # No overflow: under a burst, overflow connections are opened and closed again at once
    # (a TCP connect, authentication and type introspection each); a fixed pool reuses them.
    engine = create_async_engine(url, pool_size=pool_size, max_overflow=0)
    _ping_when_idle(engine.sync_engine)
    return engine


def create_sessionmaker(bind: Any, **kwargs: Any) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(bind, expire_on_commit=False, **kwargs)


READ_ONLY = "read_only"  # session.info key of the sessions safe-method requests get
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})  # requests that must not write


@event.listens_for(Session, "before_flush")
def _refuse_writes_in_read_sessions(session: Session, _ctx: Any, _instances: Any) -> None:
    if session.info.get(READ_ONLY) and (session.new or session.dirty or session.deleted):
        raise RuntimeError(
            "A GET/HEAD/OPTIONS request must not write through the ORM: its session has no "
            "transaction. Make the endpoint a POST/PUT/PATCH/DELETE."
        )


@dataclass
class Database:
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    # Sessions for safe-method requests: statements run outside a transaction (PostgreSQL
    # autocommit), which saves the BEGIN and COMMIT round trips of a read. None: every request
    # gets a transaction (SQLite, and tests that bind sessions to their own transaction).
    read_sessionmaker: async_sessionmaker[AsyncSession] | None = None
    # SQLite: sessions for safe-method requests, whose deferred transactions read a snapshot
    # without taking the write lock (`sessionmaker`'s begin IMMEDIATE, see _sqlite_pragmas).
    snapshot_sessionmaker: async_sessionmaker[AsyncSession] | None = None

    @classmethod
    def from_url(cls, url: str, *, pool_size: int = 20) -> Database:
        engine = create_engine(url, pool_size=pool_size)
        if engine.dialect.name == "sqlite":
            writes = create_sessionmaker(engine.execution_options(**{SQLITE_IMMEDIATE: True}))
            return cls(engine, writes, snapshot_sessionmaker=create_sessionmaker(engine))
        read = create_sessionmaker(
            engine.execution_options(isolation_level="AUTOCOMMIT"), info={READ_ONLY: True}
        )
        return cls(engine, create_sessionmaker(engine), read)


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


class ReadStatement:
    """A hot read, compiled once and run on the database driver itself on PostgreSQL.

    For the few reads every client makes all the time (one object by id). Going through the
    ORM session costs several times the query's own round trip in Python work (session
    transaction, connection wrapper, execution context, result object); this runs the
    statement's SQL, compiled once per dialect, straight on asyncpg, and applies the same
    bind and result conversions (type decorators included) the session would. In a request
    without a transaction (safe methods on PostgreSQL) it borrows a pooled connection just for
    the query; in a transaction it runs on the session's own connection, so it sees the
    request's (and a test's) uncommitted writes. Other dialects use the session.

        _MEMBER = ReadStatement(select(...).where(Membership.id == bindparam("member_id")))
        row = await _MEMBER.first(session, member_id=member_id)  # a dict, or None
    """

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self.keys = list(statement.selected_columns.keys())
        self._compiled: dict[str, _CompiledRead] = {}

    async def first(self, session: AsyncSession, **params: Any) -> dict[str, Any] | None:
        bind = session.bind
        if bind is None or bind.dialect.name != "postgresql":
            row = (await session.execute(self.statement, params)).first()
            return None if row is None else dict(zip(self.keys, row, strict=True))
        borrow = session.info.get(READ_ONLY) and not session.in_transaction()
        if borrow and isinstance(bind, AsyncEngine):
            return await self.first_outside_transaction(bind, **params)
        compiled = self._compiled.get(bind.dialect.name) or self._compile(bind.dialect)
        connection = await session.connection()
        pooled = await connection.get_raw_connection()
        record = await pooled.driver_connection.fetchrow(compiled.sql, *compiled.arguments(params))  # type: ignore[union-attr]
        return None if record is None else compiled.row(record)

    async def first_outside_transaction(
        self, engine: AsyncEngine, **params: Any
    ) -> dict[str, Any] | None:
        """PostgreSQL: run on a connection borrowed from the pool just for this query."""
        compiled = self._compiled.get(engine.dialect.name) or self._compile(engine.dialect)
        args = compiled.arguments(params)
        pooled = await engine.raw_connection()
        try:
            record = await pooled.driver_connection.fetchrow(compiled.sql, *args)  # type: ignore[union-attr]
        finally:
            pooled.close()  # back to the pool
        return None if record is None else compiled.row(record)

    def _compile(self, dialect: Dialect) -> _CompiledRead:
        compiled = self.statement.compile(dialect=dialect)
        names = list(compiled.positiontup or ())
        binds: list[tuple[str, Any, Any]] = []
        for name in names:
            param = compiled.binds[name]
            convert = param.type.dialect_impl(dialect).bind_processor(dialect)
            binds.append((name, compiled.params.get(name), convert))
        results: list[Any] = []
        for column in self.statement.selected_columns:
            try:
                results.append(column.type.dialect_impl(dialect).result_processor(dialect, None))
            except Exception as exc:  # e.g. a type that needs the driver's column type
                raise TypeError(f"ReadStatement cannot read column {column!r}: {exc}") from exc
        self._compiled[dialect.name] = done = _CompiledRead(
            compiled.string, binds, self.keys, results
        )
        return done


class _CompiledRead:
    __slots__ = ("binds", "keys", "results", "sql")

    def __init__(
        self,
        sql: str,
        binds: list[tuple[str, Any, Any]],
        keys: list[str],
        results: list[Any],
    ) -> None:
        self.sql, self.binds, self.keys, self.results = sql, binds, keys, results

    def arguments(self, params: Mapping[str, Any]) -> list[Any]:
        args = []
        for name, default, convert in self.binds:
            value = params.get(name, default)
            args.append(value if convert is None else convert(value))
        return args

    def row(self, record: Any) -> dict[str, Any]:
        return {
            key: value if convert is None else convert(value)
            for key, value, convert in zip(self.keys, record, self.results, strict=True)
        }


class _UnitOfWork:
    """One request's session, opened when first asked for and finished by the route."""

    __slots__ = ("_db", "_info", "_maker", "_queue", "_read_only", "session")

    def __init__(self, request: Request) -> None:
        self._db: Database = request.app.state.db
        self._queue: JobQueue = request.app.state.jobs
        safe = request.method in SAFE_METHODS
        self._read_only = safe and self._db.read_sessionmaker is not None
        self._maker = (
            self._db.read_sessionmaker
            if self._read_only
            else (safe and self._db.snapshot_sessionmaker) or self._db.sessionmaker
        )
        self._info: dict[str, Any] = {}
        self.session: AsyncSession | None = None

    def open(self) -> AsyncSession:
        if self.session is None:
            assert self._maker is not None
            self.session = self._maker(info=self._info)  # merged into the maker's own info
        return self.session

    async def first(self, statement: ReadStatement, **params: Any) -> dict[str, Any] | None:
        if self._read_only and self.session is None:
            # No transaction to see: no session is needed for the read either.
            return await statement.first_outside_transaction(self._db.engine, **params)
        return await statement.first(self.open(), **params)

    def set_info(self, key: str, value: Any) -> None:
        self._info[key] = value
        if self.session is not None:
            self.session.info[key] = value

    async def succeed(self) -> None:
        session = self.session
        if session is None:
            return
        try:
            if session.info.get(READ_ONLY):
                # Statements ran in autocommit: nothing to commit, only work to hand on.
                await _dispatch(session, self._queue)
            else:
                await commit_and_dispatch(session, self._queue)
        finally:
            await _close(session)

    async def fail(self, keep_writes: bool) -> None:
        session = self.session
        if session is None:
            return
        try:
            if keep_writes:
                await commit_and_dispatch(session, self._queue)
            else:
                session.info.pop("after_commit", None)
                await session.rollback()
        finally:
            await _close(session)


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


def set_request_session_info(request: Request, key: str, value: Any) -> None:
    """Put `value` in the request session's `info`, now or whenever the session opens."""
    _unit(request).set_info(key, value)


async def request_session(request: Request) -> AsyncSession:
    return _unit(request).open()


class Reader(Protocol):
    """What runs `ReadStatement`s for a request (`ReaderDep`); outside requests call
    `ReadStatement.first(session)` directly."""

    async def first(self, statement: ReadStatement, **params: Any) -> dict[str, Any] | None: ...


async def request_reader(request: Request) -> Reader:
    return _unit(request)


SessionDep = Annotated[
    AsyncSession, Depends(request_session)
]  # For endpoints that only run ReadStatements: on PostgreSQL a safe-method request then opens
# no ORM session at all.
ReaderDep = Annotated[Reader, Depends(request_reader)]
