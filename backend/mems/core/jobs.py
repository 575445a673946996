"""One job interface, two runners; the only module that knows arq.

A job is an async function `(ctx, session, **kwargs)` registered under a stable name
`domain.verb_object`. It takes ids, opens its own session (given to it here), and is
idempotent. Code queues jobs with `enqueue_after_commit(session, ...)`; they are sent when
the transaction commits and dropped when it rolls back.

- With REDIS_URL, `ArqQueue` sends jobs to Redis and `mems.worker` runs them (and the cron
  jobs) in the arq worker.
- Without it, `InProcessQueue` runs the same functions as asyncio tasks in the API process,
  and runs the cron jobs on the same schedule.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.clock import utcnow
from mems.core.db import Database, commit_and_dispatch

log = logging.getLogger("mems.jobs")


@dataclass
class JobContext:
    db: Database
    queue: JobQueue
    mode: str  # "arq" or "in-process"

    @property
    def worker_name(self) -> str:
        return f"{socket.gethostname()}:{os.getpid()}"


JobFunc = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class CronSpec:
    name: str
    func: JobFunc
    hour: set[int] | int | None = None
    minute: set[int] | int | None = None
    second: int = 0
    run_at_startup: bool = False


@dataclass(frozen=True)
class PendingJob:
    name: str
    kwargs: dict[str, Any]


@dataclass
class JobRegistry:
    jobs: dict[str, JobFunc] = field(default_factory=dict)
    crons: dict[str, CronSpec] = field(default_factory=dict)

    def job(self, name: str) -> Callable[[JobFunc], JobFunc]:
        def register(func: JobFunc) -> JobFunc:
            if name in self.jobs:
                raise ValueError(f"job {name!r} registered twice")
            self.jobs[name] = func
            return func

        return register

    def cron(
        self,
        name: str,
        *,
        hour: set[int] | int | None = None,
        minute: set[int] | int | None = None,
        run_at_startup: bool = False,
    ) -> Callable[[JobFunc], JobFunc]:
        def register(func: JobFunc) -> JobFunc:
            self.job(name)(func)
            self.crons[name] = CronSpec(name, func, hour, minute, 0, run_at_startup)
            return func

        return register


# Domains register their jobs here at import time (see mems.jobs for the list of modules).
registry = JobRegistry()


def enqueue_after_commit(session: AsyncSession, name: str, **kwargs: Any) -> None:
    if name not in registry.jobs:
        raise KeyError(f"unknown job {name!r}")
    session.info.setdefault("pending_jobs", []).append(PendingJob(name, kwargs))


def take_pending_jobs(session: AsyncSession) -> list[PendingJob]:
    pending: list[PendingJob] = session.info.pop("pending_jobs", [])
    return pending


async def run_job(ctx: JobContext, name: str, kwargs: dict[str, Any]) -> Any:
    """Run one job in its own transaction; jobs it queues are sent after it commits."""
    func = registry.jobs[name]
    async with ctx.db.sessionmaker() as session:
        session.info["actor"] = None  # the system acts; audit rows have no user
        try:
            result = await func(ctx, session, **kwargs)
        except BaseException:
            await session.rollback()
            raise
        await commit_and_dispatch(session, ctx.queue)
    log.info("job done", extra={"job": name})
    return result


class JobQueue(Protocol):
    mode: str

    async def enqueue(self, name: str, **kwargs: Any) -> None: ...

    async def start(self) -> None: ...

    async def close(self) -> None: ...


class InProcessQueue:
    """Runs jobs as tasks of the API process (embedded mode), crons included."""

    mode = "in-process"

    def __init__(self, db: Database, *, run_crons: bool = True) -> None:
        self.ctx = JobContext(db, self, self.mode)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._cron_tasks: set[asyncio.Task[Any]] = set()
        self._run_crons = run_crons

    async def enqueue(self, name: str, **kwargs: Any) -> None:
        self._spawn(self._run(name, kwargs))

    def _spawn(self, coro: Awaitable[Any], tasks: set[asyncio.Task[Any]] | None = None) -> None:
        into = self._tasks if tasks is None else tasks
        task = asyncio.ensure_future(coro)
        into.add(task)
        task.add_done_callback(into.discard)

    async def _run(self, name: str, kwargs: dict[str, Any]) -> None:
        try:
            await run_job(self.ctx, name, kwargs)
        except Exception:
            log.exception("job failed", extra={"job": name})

    async def _cron_loop(self, spec: CronSpec) -> None:
        from arq.cron import next_cron

        if spec.run_at_startup:
            await self._run(spec.name, {})
        while True:
            now: datetime = utcnow()
            at = next_cron(
                now, hour=spec.hour, minute=spec.minute, second=spec.second, microsecond=0
            )
            await asyncio.sleep(max((at - now).total_seconds(), 0))
            await self._run(spec.name, {})

    async def start(self) -> None:
        if self._run_crons:
            for spec in registry.crons.values():
                self._spawn(self._cron_loop(spec), self._cron_tasks)

    async def drain(self) -> None:
        """Wait for queued (non-cron) work; used at shutdown and by tests."""
        while pending := [t for t in self._tasks if not t.done()]:
            await asyncio.wait(pending)

    async def close(self) -> None:
        for task in list(self._cron_tasks):
            task.cancel()
        await asyncio.gather(*self._cron_tasks, return_exceptions=True)
        await self.drain()


class ArqQueue:
    """Sends jobs to Redis for the arq worker (production)."""

    mode = "arq"

    def __init__(self, redis_url: str) -> None:
        self.redis_url = redis_url
        self._pool: Any = None

    async def start(self) -> None:
        from arq import create_pool
        from arq.connections import RedisSettings

        self._pool = await create_pool(RedisSettings.from_dsn(self.redis_url))

    async def enqueue(self, name: str, **kwargs: Any) -> None:
        if self._pool is None:
            await self.start()
        await self._pool.enqueue_job(name, **kwargs)

    async def ping(self) -> bool:
        if self._pool is None:
            await self.start()
        return bool(await self._pool.ping())

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()
            self._pool = None


def arq_functions(db_factory: Callable[[], Database]) -> tuple[list[Any], list[Any], Any, Any]:
    """arq `functions`, `cron_jobs`, `on_startup` and `on_shutdown` for the worker."""
    from arq import cron, func

    def wrap(name: str) -> Any:  # an arq WorkerCoroutine
        async def call(arq_ctx: dict[str, Any], **kwargs: Any) -> Any:
            return await run_job(arq_ctx["mems"], name, kwargs)

        call.__qualname__ = call.__name__ = name.replace(".", "__")
        return call

    functions = [func(wrap(name), name=name) for name in registry.jobs]
    crons = [
        cron(
            wrap(spec.name),
            name=f"cron:{spec.name}",
            hour=spec.hour,
            minute=spec.minute,
            second=spec.second,
            run_at_startup=spec.run_at_startup,
            unique=True,
        )
        for spec in registry.crons.values()
    ]

    async def on_startup(arq_ctx: dict[str, Any]) -> None:
        db = db_factory()
        queue = _WorkerQueue(arq_ctx["redis"])
        arq_ctx["mems"] = JobContext(db, queue, "arq")

    async def on_shutdown(arq_ctx: dict[str, Any]) -> None:
        ctx: JobContext | None = arq_ctx.get("mems")
        if ctx is not None:
            await ctx.db.engine.dispose()

    return functions, crons, on_startup, on_shutdown


class _WorkerQueue:
    """Inside the worker, jobs queue follow-up jobs on the worker's own Redis pool."""

    mode = "arq"

    def __init__(self, pool: Any) -> None:
        self._pool = pool

    async def enqueue(self, name: str, **kwargs: Any) -> None:
        await self._pool.enqueue_job(name, **kwargs)

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None
