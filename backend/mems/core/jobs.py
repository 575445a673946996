"""One job interface, two runners; the only module that knows arq.

A job is an async function `(ctx, session, **kwargs)` registered under a stable name
`domain.verb_object`. It takes ids, opens its own session (given to it here), and is
idempotent. It acts as the system (`Actor.system(name)`), not as whoever queued it: its audit
rows name no user and say which job wrote them. Code queues jobs with
`enqueue_after_commit(session, ...)`, which writes an `OutboxJob` row in the caller's
transaction (a transactional outbox):

- the job exists exactly when the write that queued it committed: a rollback, or a savepoint
  rolled back around it, drops it with everything else;
- after the commit the row is handed to the runner best-effort (`dispatch_outbox`): a queue
  that is down is logged, never reported to the client, whose write did commit;
- a sweeper (`core.sweep_outbox`, every minute, in both runners) hands over rows still pending;
- the hand-over uses the row id as arq's job id (a second hand-over of a queued job is a no-op),
  and the job marks its row done in its own transaction: a row already done is not run again,
  so at-least-once delivery gives the effect once.

- With REDIS_URL, `ArqQueue` sends jobs to Redis and `mems.worker` runs them (and the cron
  jobs) in the arq worker.
- Without it, `InProcessQueue` runs the same functions as asyncio tasks in the API process,
  and runs the cron jobs on the same schedule.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.audit import Actor
from mems.core.clock import utcnow
from mems.core.db import Database, ReadStatement, commit_and_dispatch
from mems.core.models import OutboxJob
from mems.core.tenancy import ALL_TENANTS, in_tenant

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


OUTBOX_KEY = "mems_outbox_id"  # the kwarg that carries a job's outbox row to the runner
SWEEP_AFTER = timedelta(seconds=30)  # a pending row older than this is handed over again
# A job's start put off by at most this is a gathering window, worth waiting for only to a
# worker pool: the in-process runner starts it at once. A longer wait (a later try) is kept.
GATHERING_AT_MOST = timedelta(seconds=5)


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


def enqueue_after_commit(
    session: AsyncSession, name: str, *, run_after: datetime | None = None, **kwargs: Any
) -> None:
    """Queue a job as part of this transaction (an outbox row); it runs after the commit, and
    not before `run_after` when given (a later try of something that failed)."""
    if name not in registry.jobs:
        raise KeyError(f"unknown job {name!r}")
    job = OutboxJob(name=name, kwargs=kwargs, status="pending", attempts=0, run_after=run_after)
    session.add(job)
    session.info.setdefault("outbox", []).append(job)


async def enqueue_coalesced(
    session: AsyncSession,
    name: str,
    *,
    merge: str | None = None,
    delay: timedelta | None = None,
    **kwargs: Any,
) -> None:
    """Queue a job that need run only once for all the transactions queueing it while it
    waits (an organisation's rule evaluation after each of many batches): on PostgreSQL, a
    waiting job of the same name and arguments takes this one's place — with the list
    argument `merge` (campaign ids) extended by this one's — and nothing new is queued. A
    job already running holds its row's lock (`_claim`), is skipped, and a new one queued:
    it may have read the data before this transaction's. On SQLite, which cannot skip a
    locked row, every job is queued. `delay`: see `Coalesced.delay`."""
    await enqueue_all_coalesced(session, [Coalesced(name, kwargs, merge, delay)])


@dataclass(frozen=True)
class Coalesced:
    """A job for `enqueue_all_coalesced`."""

    name: str
    kwargs: dict[str, Any]
    merge: str | None = None
    # A new job starts no sooner than this after the commit (a runner that can wait: arq),
    # so that what arrives meanwhile joins it; a waiting job keeps its own start.
    delay: timedelta | None = None

    @property
    def key(self) -> str:
        return f"{self.name}:" + ",".join(
            f"{k}={v}" for k, v in sorted(self.kwargs.items()) if k != self.merge
        )


async def enqueue_all_coalesced(session: AsyncSession, jobs: Sequence[Coalesced]) -> None:
    """`enqueue_coalesced` for several jobs, their waiting rows found in one statement."""
    if session.get_bind().dialect.name != "postgresql":
        for job in jobs:
            _queue_new(session, job)
        return
    # The waiting rows stay locked until this transaction ends, so a job that starts meanwhile
    # (`_claim` locks its row for update) waits for this transaction and then sees its data; a
    # row a running job holds is skipped. Share locks when no row's arguments change: many
    # transactions queueing at once (a platform's deliveries) share one waiting job, where
    # each would otherwise skip the row another holds and queue a job of its own.
    sharing = all(job.merge is None for job in jobs)
    waiting: dict[str | None, dict[str, Any]] = {}
    for row in await (_WAITING_SHARED if sharing else _WAITING).all(
        session, keys=[job.key for job in jobs]
    ):
        waiting.setdefault(row["coalesce_key"], row)  # the oldest, when two wait
    for job in jobs:
        found = waiting.get(job.key)
        if found is None:
            _queue_new(session, job).coalesce_key = job.key
            continue
        if job.merge is not None:
            had = found["kwargs"].get(job.merge)
            merged = sorted({*(had or []), *job.kwargs[job.merge]})
            if merged != had:
                await session.execute(
                    update(OutboxJob)
                    .where(OutboxJob.id == found["id"])
                    .values(kwargs={**found["kwargs"], job.merge: merged})
                )
        log.debug("job coalesced", extra={"job": job.name})


def _waiting(*, shared: bool) -> ReadStatement:
    return ReadStatement(
        select(OutboxJob.id, OutboxJob.coalesce_key, OutboxJob.kwargs)
        .where(
            OutboxJob.coalesce_key.in_(bindparam("keys", expanding=True)),
            OutboxJob.status == "pending",
        )
        .order_by(OutboxJob.created_at)
        .with_for_update(skip_locked=True, read=shared),
        across_tenants=True,
    )


_WAITING, _WAITING_SHARED = _waiting(shared=False), _waiting(shared=True)


def _queue_new(session: AsyncSession, job: Coalesced) -> OutboxJob:
    run_after = utcnow() + job.delay if job.delay is not None else None
    enqueue_after_commit(session, job.name, run_after=run_after, **job.kwargs)
    row: OutboxJob = session.info["outbox"][-1]
    return row


def take_pending_jobs(session: AsyncSession) -> list[OutboxJob]:
    """The jobs this session's committed transaction queued: those added inside a savepoint
    that rolled back are no longer in the session and are dropped."""
    queued: list[OutboxJob] = session.info.pop("outbox", [])
    return [job for job in queued if job in session and job.id is not None]


async def hand_over(queue: JobQueue, jobs: list[OutboxJob]) -> int:
    """Give committed outbox rows to the runner; a failure is logged (the sweeper retries)."""
    handed = 0
    now = utcnow()
    for job in jobs:
        wait = (job.run_after - now).total_seconds() if job.run_after is not None else 0.0
        try:
            await queue.enqueue(
                job.name, job_id=str(job.id), defer_s=wait if wait > 0 else None, **job.kwargs
            )
            handed += 1
        except Exception as exc:  # the write committed; the sweeper hands it over later
            log.warning("job not handed over", extra={"job": job.name, "error": repr(exc)})
    return handed


async def run_job(
    ctx: JobContext, name: str, kwargs: dict[str, Any], outbox_id: str | None = None
) -> Any:
    """Run one job in its own transaction; jobs it queues are sent after it commits. A job
    from the outbox runs only while its row is pending, and marks it done in the same
    transaction as its effects."""
    func = registry.jobs[name]
    async with ctx.db.sessionmaker() as session:
        session.info["actor"] = Actor.system(name)  # audit rows: no user, "job:<name>"
        # Jobs are the system's: they work across organisations (a job for one organisation
        # narrows its session with `in_tenant`).
        in_tenant(session, ALL_TENANTS)
        try:
            row = None
            if outbox_id is not None:
                row = await _claim(session, uuid.UUID(outbox_id))
                if row is None:
                    await session.rollback()
                    log.info("job already done", extra={"job": name})
                    return None
            # The row's arguments: a coalesced job's may have grown since it was handed over.
            result = await func(ctx, session, **(row.kwargs if row is not None else kwargs))
            if row is not None:
                row.status, row.done_at = "done", utcnow()
        except BaseException:
            await session.rollback()
            raise
        await commit_and_dispatch(session, ctx.queue)
    log.info("job done", extra={"job": name})
    return result


async def _claim(session: AsyncSession, outbox_id: uuid.UUID) -> OutboxJob | None:
    """The pending row, locked until this transaction ends (PostgreSQL: a second runner of
    the same job waits, then finds it done; SQLite: writes are serialised anyway)."""
    stmt = select(OutboxJob).where(OutboxJob.id == outbox_id, OutboxJob.status == "pending")
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def sweep_outbox(ctx: JobContext, session: AsyncSession, **_: Any) -> int:
    """Hand over jobs left pending (queue down at commit time, a process died): rows older
    than SWEEP_AFTER, not handed over in that time either, and due by the next sweep (a later
    try waiting half an hour is handed over again only when its time comes: a runner that
    lost it meanwhile, an API process restarted, still runs it then)."""
    now = utcnow()
    cutoff = now - SWEEP_AFTER
    rows = list(
        (
            await session.scalars(
                select(OutboxJob)
                .where(
                    OutboxJob.status == "pending",
                    OutboxJob.created_at < cutoff,
                    (OutboxJob.handed_at.is_(None)) | (OutboxJob.handed_at < cutoff),
                    (OutboxJob.run_after.is_(None)) | (OutboxJob.run_after <= now + SWEEP_AFTER),
                )
                .order_by(OutboxJob.created_at)
                .limit(500)
            )
        ).all()
    )
    if not rows:
        return 0
    await session.execute(
        update(OutboxJob)
        .where(OutboxJob.id.in_([r.id for r in rows]))
        .values(handed_at=utcnow(), attempts=OutboxJob.attempts + 1)
    )
    await session.commit()
    handed = await hand_over(ctx.queue, rows)
    log.info("outbox swept", extra={"pending": len(rows), "handed": handed})
    return handed


class JobQueue(Protocol):
    mode: str

    async def enqueue(
        self, name: str, job_id: str | None = None, *, defer_s: float | None = None, **kwargs: Any
    ) -> None:
        """Queue a job; `defer_s`: not to start before this many seconds (a runner that
        cannot wait starts it at once)."""

    async def start(self) -> None: ...

    async def close(self) -> None: ...


class InProcessQueue:
    """Runs jobs as tasks of the API process (embedded mode), crons included."""

    mode = "in-process"

    def __init__(self, db: Database, *, run_crons: bool = True) -> None:
        self.ctx = JobContext(db, self, self.mode)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._later: set[asyncio.Task[Any]] = set()  # waiting for their time (not drained)
        self._cron_tasks: set[asyncio.Task[Any]] = set()
        self._run_crons = run_crons
        self._one_at_a_time = asyncio.Lock()

    async def enqueue(
        self, name: str, job_id: str | None = None, *, defer_s: float | None = None, **kwargs: Any
    ) -> None:
        # No gathering window here (one job runs at a time anyway, and SQLite coalesces none);
        # a longer wait is a later try, kept. Its row stays pending: lost with the process, it
        # is handed over again by the sweeper when due.
        if defer_s is not None and defer_s > GATHERING_AT_MOST.total_seconds():
            self._spawn(self._run_later(defer_s, name, kwargs, job_id), self._later)
            return
        self._spawn(self._run(name, kwargs, job_id))

    async def _run_later(
        self, seconds: float, name: str, kwargs: dict[str, Any], job_id: str | None
    ) -> None:
        await asyncio.sleep(seconds)
        self._spawn(self._run(name, kwargs, job_id))  # running: drained like any other job

    def _spawn(self, coro: Awaitable[Any], tasks: set[asyncio.Task[Any]] | None = None) -> None:
        into = self._tasks if tasks is None else tasks
        task = asyncio.ensure_future(coro)
        into.add(task)
        task.add_done_callback(into.discard)

    async def _run(self, name: str, kwargs: dict[str, Any], job_id: str | None = None) -> None:
        # One job at a time: the embedded database takes one writer anyway, and a request that
        # queues several jobs (an alert's deliveries) has them run in turn.
        async with self._one_at_a_time:
            try:
                await run_job(self.ctx, name, kwargs, job_id)
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
        waiting = [*self._cron_tasks, *self._later]
        for task in waiting:
            task.cancel()
        await asyncio.gather(*waiting, return_exceptions=True)
        await self.drain()


class ArqQueue:
    """Sends jobs to Redis for the arq worker (production)."""

    mode = "arq"

    def __init__(self, redis_url: str) -> None:
        self.redis_url = redis_url
        self._pool: Any = None

    async def start(self) -> None:
        """Connect; Redis being down does not stop the API (jobs wait in the outbox)."""
        try:
            await self._connect()
        except Exception as exc:
            log.warning("Redis unreachable; jobs wait in the outbox", extra={"error": repr(exc)})

    async def _connect(self) -> None:
        from arq import create_pool
        from arq.connections import RedisSettings

        settings = RedisSettings.from_dsn(self.redis_url)
        settings.conn_retries = 0  # a request never waits for Redis: the sweeper retries
        self._pool = await create_pool(settings)

    async def enqueue(
        self, name: str, job_id: str | None = None, *, defer_s: float | None = None, **kwargs: Any
    ) -> None:
        if self._pool is None:
            await self._connect()
        await _arq_enqueue(self._pool, name, job_id, defer_s, kwargs)

    async def ping(self) -> bool:
        if self._pool is None:
            await self._connect()
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
            outbox_id = kwargs.pop(OUTBOX_KEY, None)
            return await run_job(arq_ctx["mems"], name, kwargs, outbox_id)

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
        # As the API does (`main.create_app`): what start-up built lives as long as the
        # process, out of the collector's way (a batch's 10,000 records trigger collections).
        gc.collect()
        gc.freeze()

    async def on_shutdown(arq_ctx: dict[str, Any]) -> None:
        ctx: JobContext | None = arq_ctx.get("mems")
        if ctx is not None:
            await ctx.db.engine.dispose()

    return functions, crons, on_startup, on_shutdown


async def _arq_enqueue(
    pool: Any, name: str, job_id: str | None, defer_s: float | None, kwargs: dict[str, Any]
) -> None:
    # arq's job id: handing the same outbox row over twice queues it once.
    extra: dict[str, Any] = {} if job_id is None else {"_job_id": job_id, OUTBOX_KEY: job_id}
    if defer_s:
        extra["_defer_by"] = timedelta(seconds=defer_s)
    await pool.enqueue_job(name, **kwargs, **extra)


class _WorkerQueue:
    """Inside the worker, jobs queue follow-up jobs on the worker's own Redis pool."""

    mode = "arq"

    def __init__(self, pool: Any) -> None:
        self._pool = pool

    async def enqueue(
        self, name: str, job_id: str | None = None, *, defer_s: float | None = None, **kwargs: Any
    ) -> None:
        await _arq_enqueue(self._pool, name, job_id, defer_s, kwargs)

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None


# Every minute, and at start-up (a restarted process hands over what it left behind).
registry.cron("core.sweep_outbox", run_at_startup=True)(sweep_outbox)
