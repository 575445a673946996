"""Engine, sessions and the single commit point.

A request gets one session and one transaction. Services flush, never commit: the session
dependency commits after the handler returns and only then sends the jobs the request
queued (so a rolled-back request sends none).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session

from mems.core.errors import ProblemError

if TYPE_CHECKING:
    from mems.core.jobs import JobQueue


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
        conn.exec_driver_sql("BEGIN")


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

    @classmethod
    def from_url(cls, url: str, *, pool_size: int = 20) -> Database:
        engine = create_engine(url, pool_size=pool_size)
        read = None
        if engine.dialect.name == "postgresql":
            read = create_sessionmaker(
                engine.execution_options(isolation_level="AUTOCOMMIT"), info={READ_ONLY: True}
            )
        return cls(engine, create_sessionmaker(engine), read)


async def commit_and_dispatch(session: AsyncSession, queue: JobQueue) -> None:
    """Commit, then hand the jobs queued in this transaction to the queue."""

    await session.commit()
    await _dispatch(session, queue)


async def _dispatch(session: AsyncSession, queue: JobQueue) -> None:
    from mems.core.jobs import take_pending_jobs

    for callback in session.info.pop("after_commit", []):
        callback()
    for pending in take_pending_jobs(session):
        await queue.enqueue(pending.name, **pending.kwargs)


def after_commit(session: AsyncSession, callback: Callable[[], None]) -> None:
    """Run `callback` once this transaction has committed (never if it rolls back)."""
    session.info.setdefault("after_commit", []).append(callback)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    db: Database = request.app.state.db
    queue: JobQueue = request.app.state.jobs
    maker = db.sessionmaker
    if db.read_sessionmaker is not None and request.method in SAFE_METHODS:
        maker = db.read_sessionmaker
    async with maker() as session:
        try:
            yield session
        except ProblemError as exc:
            if exc.keep_writes:
                await commit_and_dispatch(session, queue)
            else:
                session.info.pop("after_commit", None)
                await session.rollback()
            raise
        except BaseException:
            session.info.pop("after_commit", None)
            await session.rollback()
            raise
        else:
            if session.info.get(READ_ONLY):
                # Statements ran in autocommit: nothing to commit, only work to hand on.
                await _dispatch(session, queue)
            else:
                await commit_and_dispatch(session, queue)


# scope="function": commit after the handler returns but before the response is sent, so a
# failed commit is reported to the client instead of a success that was lost.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
