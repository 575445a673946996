"""Jobs that are never lost: a worker killed in the middle of a job (SIGKILL, no clean-up of
any kind) leaves it in Redis, and another worker runs it again once arq's in-progress key
expires (the job timeout plus 10 s) — once, to completion, with the effect written once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from arq import create_pool
from arq.connections import RedisSettings
from arq.constants import in_progress_key_prefix
from arq.jobs import Job
from redis.asyncio import Redis
from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from mems.config import PROJECT_ROOT
from mems.core.db import Database, commit_and_dispatch
from mems.core.jobs import ArqQueue, enqueue_after_commit
from mems.core.models import OutboxJob
from tests.conftest import TEST_DATABASE_URL, TEST_REDIS_URL
from tests.system import slow_job

pytestmark = pytest.mark.worker

# A Redis database of its own: no other worker may take this test's job.
KILL_REDIS_URL = TEST_REDIS_URL.rsplit("/", 1)[0] + "/14"
JOB_TIMEOUT = 4  # seconds; arq re-runs a dead worker's job JOB_TIMEOUT + 10 s after it began
JOB_SECONDS = 2.0  # how long each attempt of the job takes (well inside JOB_TIMEOUT)

Worker = subprocess.Popen[bytes]


@pytest.fixture
async def committed_db(engine: AsyncEngine) -> AsyncIterator[Database]:
    """Real commits: the workers are other processes and must see the data."""
    db = Database.from_url(TEST_DATABASE_URL)
    async with db.engine.begin() as conn:
        await conn.execute(
            text(
                "CREATE TABLE test_slow_job_runs "
                "(job_key TEXT NOT NULL, stage TEXT NOT NULL, worker TEXT NOT NULL)"
            )
        )
    yield db
    async with db.engine.begin() as conn:
        await conn.execute(text("DROP TABLE test_slow_job_runs"))
    await db.engine.dispose()


@pytest.fixture
def registered() -> Iterator[None]:
    slow_job.register()  # the worker processes register it the same way
    yield
    slow_job.unregister()


@pytest.fixture
async def start_worker(var_dir: Path) -> AsyncIterator[Callable[[], Worker]]:
    """`start_worker()`: a real arq worker process (production jobs and the slow job)."""
    redis = Redis.from_url(KILL_REDIS_URL)
    await redis.flushdb()
    await redis.aclose()
    env = {
        **os.environ,
        "DATABASE_URL": TEST_DATABASE_URL,
        "REDIS_URL": KILL_REDIS_URL,
        "ENVIRONMENT": "test",
        "SECRET_KEY": "worker-test-secret-" + "x" * 32,
        "VAR_DIR": str(var_dir),
        "JOB_TIMEOUT_SECONDS": str(JOB_TIMEOUT),
    }
    started: list[Worker] = []

    def start() -> Worker:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.system.slow_job"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


async def _runs(db: Database, key: str) -> list[tuple[str, str]]:
    async with db.sessionmaker() as s:
        rows = await s.execute(
            text(
                "SELECT stage, worker FROM test_slow_job_runs "
                "WHERE job_key = :k ORDER BY stage, worker"
            ),
            {"k": key},
        )
        return [(r.stage, r.worker) for r in rows]


async def _wait_for(
    check: Callable[[], Awaitable[bool]], workers: list[Worker], within: float, what: str
) -> None:
    for _ in range(int(within / 0.05)):
        if await check():
            return
        dead = [w for w in workers if w.poll() is not None]
        if dead:
            output = dead[0].stdout.read() if dead[0].stdout else b""
            pytest.fail(f"worker died while waiting for {what}: {output.decode(errors='replace')}")
        await asyncio.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


async def test_a_job_whose_worker_is_killed_runs_again_once_to_completion(
    committed_db: Database, registered: None, start_worker: Callable[[], Worker]
) -> None:
    key = uuid.uuid4().hex
    queue = ArqQueue(KILL_REDIS_URL)
    await queue.start()
    arq_redis = await create_pool(RedisSettings.from_dsn(KILL_REDIS_URL))
    first = start_worker()
    row_id: uuid.UUID | None = None
    try:
        # Queued the app's way: an outbox row committed with the write, then handed to arq.
        async with committed_db.sessionmaker() as s:
            enqueue_after_commit(s, slow_job.SLOW_JOB, key=key, seconds=JOB_SECONDS)
            await commit_and_dispatch(s, queue)
        async with committed_db.sessionmaker() as s:
            outbox = (
                await s.scalars(
                    select(OutboxJob.id).where(OutboxJob.kwargs["key"].as_string() == key)
                )
            ).all()
        assert len(outbox) == 1
        row_id = outbox[0]
        in_progress = in_progress_key_prefix + str(row_id)

        # The first worker has started the job: kill it, mid-job.
        async def started() -> bool:
            return bool(await _runs(committed_db, key))

        await _wait_for(started, [first], 20, "the first worker to start the job")
        assert await arq_redis.exists(in_progress)  # arq holds the job for that worker
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert first.returncode == -signal.SIGKILL
        first_name = (await _runs(committed_db, key))[0][1]
        assert first_name.endswith(f":{first.pid}")

        # The killed attempt had written its effect, uncommitted: it is gone, and the outbox
        # row is still pending.
        assert await _runs(committed_db, key) == [("started", first_name)]
        async with committed_db.sessionmaker() as s:
            row = await s.get(OutboxJob, row_id)
            assert row is not None
            assert (row.status, row.done_at) == ("pending", None)

        # A new worker: it leaves the job alone while the dead worker's in-progress key lives,
        # then runs it again, to completion.
        second = start_worker()

        async def done() -> bool:
            async with committed_db.sessionmaker() as s:
                row = await s.get(OutboxJob, row_id)
                return row is not None and row.status == "done"

        await _wait_for(done, [second], JOB_TIMEOUT + 10 + 15, "the second worker to finish")
        second_name = f"{first_name.rsplit(':', 1)[0]}:{second.pid}"
        # Two attempts started, one on each worker; the effect was committed once, by the
        # attempt that completed (the killed attempt's flushed effect was rolled back).
        assert sorted(await _runs(committed_db, key)) == sorted(
            [("started", first_name), ("started", second_name), ("effect", second_name)]
        )
        async with committed_db.sessionmaker() as s:
            row = await s.get(OutboxJob, row_id)
            assert row is not None
            assert row.status == "done"
            assert row.done_at is not None
        # arq ran it on its second try, successfully, and no longer holds it.
        info = await Job(str(row_id), arq_redis).result_info()
        assert info is not None
        assert (info.success, info.job_try) == (True, 2)
        assert not await arq_redis.exists(in_progress)

        # Handed over again (a sweep, a redelivery): nothing runs a third time.
        await queue.enqueue(slow_job.SLOW_JOB, job_id=str(row_id), key=key, seconds=JOB_SECONDS)
        await asyncio.sleep(1.5)
        assert len(await _runs(committed_db, key)) == 3
    finally:
        await queue.close()
        await arq_redis.aclose()
        if row_id is not None:
            async with committed_db.sessionmaker() as s:
                await s.execute(delete(OutboxJob).where(OutboxJob.id == row_id))
                await s.commit()
