"""Engine, sessions and the single commit point.

A request gets one session and one transaction. Services flush, never commit: the session
dependency commits after the handler returns and only then sends the jobs the request
queued (so a rolled-back request sends none).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

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


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(url)
        _sqlite_pragmas(engine.sync_engine)
        return engine
    return create_async_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


def create_sessionmaker(bind: Any, **kwargs: Any) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(bind, expire_on_commit=False, **kwargs)


@dataclass
class Database:
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]

    @classmethod
    def from_url(cls, url: str, *, pool_size: int = 10) -> Database:
        engine = create_engine(url, pool_size=pool_size)
        return cls(engine, create_sessionmaker(engine))


async def commit_and_dispatch(session: AsyncSession, queue: JobQueue) -> None:
    """Commit, then hand the jobs queued in this transaction to the queue."""
    from mems.core.jobs import take_pending_jobs

    await session.commit()
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
    async with db.sessionmaker() as session:
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
            await commit_and_dispatch(session, queue)


# scope="function": commit after the handler returns but before the response is sent, so a
# failed commit is reported to the client instead of a success that was lost.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
