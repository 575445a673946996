"""The production way: jobs go through real Redis to a real arq worker process."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from mems.config import Settings
from mems.core.db import Database
from mems.core.tenancy import ALL_TENANTS, in_tenant
from mems.identity.models import User
from mems.main import create_app
from tests.conftest import TEST_DATABASE_URL, TEST_REDIS_URL
from tests.factories import make_org_with_members, make_session_token

pytestmark = pytest.mark.worker

# A Redis database of its own, so a developer's queue is never touched.
WORKER_REDIS_URL = TEST_REDIS_URL.rsplit("/", 1)[0] + "/13"


@pytest.fixture
async def committed_db(engine: AsyncEngine) -> AsyncIterator[Database]:
    """Real commits: the worker is another process and must see the data."""
    db = Database.from_url(TEST_DATABASE_URL)
    yield db
    await db.engine.dispose()


@pytest.fixture
async def worker(var_dir: Path) -> AsyncIterator[subprocess.Popen[bytes]]:
    redis = Redis.from_url(WORKER_REDIS_URL)
    await redis.flushdb()
    await redis.aclose()
    env = {
        **os.environ,
        "DATABASE_URL": TEST_DATABASE_URL,
        "REDIS_URL": WORKER_REDIS_URL,
        "ENVIRONMENT": "test",
        "SECRET_KEY": "worker-test-secret-" + "x" * 32,
        "VAR_DIR": str(var_dir),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "mems", "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


async def test_job_enqueued_through_the_api_runs_in_the_arq_worker(
    committed_db: Database, worker: subprocess.Popen[bytes], var_dir: Path
) -> None:
    async with committed_db.sessionmaker() as s:
        in_tenant(s, ALL_TENANTS)  # the test inspects every organisation
        org = await make_org_with_members(s, name="worker test")
        token = await make_session_token(s, org.members["admin"].id)  # type: ignore[index]
        user_ids = [m.user_id for m in org.members.values()]
        await s.commit()
    settings = Settings(
        environment="test",
        var_dir=var_dir,
        spa_dir=var_dir / "no-spa",
        secret_key="worker-test-secret-" + "x" * 32,
        redis_url=WORKER_REDIS_URL,
        database_url=TEST_DATABASE_URL,
    )
    app = create_app(settings, db=committed_db)  # jobs: the app's own ArqQueue from REDIS_URL
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport,
                base_url="http://t",
                headers={"Authorization": f"Bearer {token}"},
            ) as c:
                health = (await c.get("/api/v1/health")).json()
                assert health["jobs"] == "arq"
                assert health["redis"] == {
                    "configured": True,
                    "ok": True,
                    "latency_ms": health["redis"]["latency_ms"],
                    "error": None,
                }

                r = await c.post("/api/v1/system/job-checks")
                assert r.status_code == 202, r.text
                assert r.json()["queue_mode"] == "arq"
                check = r.json()
                for _ in range(150):
                    check = (await c.get(f"/api/v1/system/job-checks/{check['id']}")).json()
                    if check["status"] == "done" or worker.poll() is not None:
                        break
                    await asyncio.sleep(0.2)
        output = b""
        if worker.poll() is not None and worker.stdout:
            output = worker.stdout.read()
        assert check["status"] == "done", output.decode(errors="replace")
        assert check["ran_in_mode"] == "arq"
        assert check["worker"].endswith(f":{worker.pid}")  # that very process ran it
    finally:
        async with committed_db.sessionmaker() as s:
            in_tenant(s, ALL_TENANTS)  # the test inspects every organisation
            await s.delete(org.org)
            await s.execute(delete(User).where(User.id.in_(user_ids)))
            await s.commit()


async def test_with_redis_down_the_write_commits_and_the_job_runs_once_when_it_is_back(
    committed_db: Database, worker: subprocess.Popen[bytes], var_dir: Path
) -> None:
    """Redis down at commit time: the API still answers 2xx (the job waits in the outbox).
    Redis back: the sweeper hands the row over to the real arq worker, which runs it once; a
    second sweep and a second hand-over change nothing."""
    from datetime import timedelta

    from sqlalchemy import update

    from mems.core.clock import utcnow
    from mems.core.jobs import ArqQueue, JobContext, sweep_outbox
    from mems.core.models import OutboxJob
    from mems.system.models import JobCheck

    async with committed_db.sessionmaker() as s:
        in_tenant(s, ALL_TENANTS)  # the test inspects every organisation
        org = await make_org_with_members(s, name="outbox test")
        token = await make_session_token(s, org.members["admin"].id)  # type: ignore[index]
        user_ids = [m.user_id for m in org.members.values()]
        await s.commit()
    settings = Settings(
        environment="test",
        var_dir=var_dir,
        spa_dir=var_dir / "no-spa",
        secret_key="worker-test-secret-" + "x" * 32,
        database_url=TEST_DATABASE_URL,
    )
    down = ArqQueue("redis://127.0.0.1:6399/0")  # nothing listens there
    app = create_app(settings, db=committed_db, jobs=down)
    up = ArqQueue(WORKER_REDIS_URL)
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app),
                base_url="http://t",
                headers={"Authorization": f"Bearer {token}"},
            ) as c,
        ):
            r = await c.post("/api/v1/system/job-checks")
        assert r.status_code == 202, r.text
        check_id = uuid.UUID(r.json()["id"])
        async with committed_db.sessionmaker() as s:
            in_tenant(s, ALL_TENANTS)  # the test inspects every organisation
            row = await s.scalar(
                select(OutboxJob).where(OutboxJob.kwargs["check_id"].as_string() == str(check_id))
            )
            assert row is not None
            assert row.status == "pending"
            row_id = row.id
            await s.execute(
                update(OutboxJob)
                .where(OutboxJob.id == row_id)
                .values(created_at=utcnow() - timedelta(minutes=2))
            )
            await s.commit()

        await up.start()
        ctx = JobContext(committed_db, up, "arq")
        async with committed_db.sessionmaker() as s:
            in_tenant(s, ALL_TENANTS)  # the test inspects every organisation
            assert await sweep_outbox(ctx, s) >= 1
        for _ in range(150):
            async with committed_db.sessionmaker() as s:
                in_tenant(s, ALL_TENANTS)  # the test inspects every organisation
                check = await s.get(JobCheck, check_id)
                done = check is not None and check.status == "done"
            if done or worker.poll() is not None:
                break
            await asyncio.sleep(0.2)
        async with committed_db.sessionmaker() as s:
            in_tenant(s, ALL_TENANTS)  # the test inspects every organisation
            check = await s.get(JobCheck, check_id)
            row = await s.get(OutboxJob, row_id)
        output = b""
        if worker.poll() is not None and worker.stdout:
            output = worker.stdout.read()
        assert check is not None
        assert check.status == "done", output.decode(errors="replace")
        assert check.worker is not None
        assert check.worker.endswith(f":{worker.pid}")
        assert row is not None
        assert row.status == "done"
        # Handed over again (the same job id): arq does not queue it twice, nor does the row
        # run again; the check keeps the moment it was first completed.
        await up.enqueue("system.complete_job_check", job_id=str(row_id), check_id=str(check_id))
        async with committed_db.sessionmaker() as s:
            in_tenant(s, ALL_TENANTS)  # the test inspects every organisation
            assert await sweep_outbox(ctx, s) == 0
        await asyncio.sleep(1)
        async with committed_db.sessionmaker() as s:
            in_tenant(s, ALL_TENANTS)  # the test inspects every organisation
            again = await s.get(JobCheck, check_id)
        assert again is not None
        assert again.completed_at == check.completed_at
    finally:
        await up.close()
        async with committed_db.sessionmaker() as s:
            in_tenant(s, ALL_TENANTS)  # the test inspects every organisation
            await s.execute(delete(OutboxJob))
            await s.delete(await s.get(type(org.org), org.org.id))
            await s.execute(delete(User).where(User.id.in_(user_ids)))
            await s.commit()


async def test_a_job_with_a_start_time_is_run_by_the_worker_no_sooner(
    committed_db: Database, worker: subprocess.Popen[bytes]
) -> None:
    """An outbox row with `run_after` (an ingest job's gathering window) is handed to arq
    deferred: the real worker runs it once that moment has passed, not before."""
    from datetime import timedelta

    from mems.core.clock import utcnow
    from mems.core.jobs import ArqQueue, hand_over
    from mems.core.models import OutboxJob
    from mems.system.models import JobCheck

    async with committed_db.sessionmaker() as s:
        in_tenant(s, ALL_TENANTS)  # the test inspects every organisation
        org = await make_org_with_members(s, name="deferred job test")
        user_ids = [m.user_id for m in org.members.values()]
        check = JobCheck(org_id=org.org.id, queue_mode="arq")
        s.add(check)
        await s.flush()
        start = utcnow() + timedelta(seconds=2)
        row = OutboxJob(
            name="system.complete_job_check",
            kwargs={"check_id": str(check.id)},
            status="pending",
            attempts=0,
            run_after=start,
        )
        s.add(row)
        await s.commit()
        check_id, row_id = check.id, row.id
    up = ArqQueue(WORKER_REDIS_URL)
    try:
        assert await hand_over(up, [row]) == 1
        completed = None
        for _ in range(100):
            await asyncio.sleep(0.1)
            async with committed_db.sessionmaker() as s:
                in_tenant(s, ALL_TENANTS)  # the test inspects every organisation
                completed = await s.scalar(
                    select(JobCheck.completed_at).where(JobCheck.id == check_id)
                )
            if completed is not None or worker.poll() is not None:
                break
        assert completed is not None, "the deferred job never ran"
        assert completed >= start
        assert completed - start < timedelta(seconds=5)
    finally:
        await up.close()
        async with committed_db.sessionmaker() as s:
            in_tenant(s, ALL_TENANTS)  # the test inspects every organisation
            await s.execute(delete(OutboxJob).where(OutboxJob.id == row_id))
            await s.delete(await s.get(type(org.org), org.org.id))
            await s.execute(delete(User).where(User.id.in_(user_ids)))
            await s.commit()
