"""One job interface: queued with the transaction, run in-process or by arq, crons declared once."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.db import Database, SessionDep
from mems.core.errors import Conflict, install_error_handlers
from mems.core.jobs import InProcessQueue, JobContext, arq_functions, enqueue_after_commit, registry
from mems.core.routing import API_PREFIX, api_router
from mems.system.models import JobCheck
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers


async def test_job_check_runs_in_process(api: ApiFactory, jobs: InProcessQueue) -> None:
    c = await api("admin")
    r = await c.post("/api/v1/system/job-checks")
    assert r.status_code == 202, r.text
    assert r.json()["status"] == "pending"
    assert r.json()["queue_mode"] == "in-process"
    await jobs.drain()
    done = (await c.get(f"/api/v1/system/job-checks/{r.json()['id']}")).json()
    assert done["status"] == "done"
    assert done["ran_in_mode"] == "in-process"
    assert done["worker"]
    assert done["completed_at"] is not None


async def test_jobs_are_sent_only_after_commit(
    db: Database, org: OrgWithMembers, session: AsyncSession
) -> None:
    """A request that fails after queueing a job sends nothing and writes nothing."""
    queue = InProcessQueue(db, run_crons=False)
    app = FastAPI()
    app.state.db, app.state.jobs = db, queue
    install_error_handlers(app)
    router = api_router()

    @router.post("/fails")
    async def fails(s: SessionDep) -> None:
        check = JobCheck(org_id=org.org.id, queue_mode="in-process")
        s.add(check)
        await s.flush()
        enqueue_after_commit(s, "system.complete_job_check", check_id=str(check.id))
        raise Conflict("changed my mind")

    @router.post("/works")
    async def works(s: SessionDep) -> str:
        check = JobCheck(org_id=org.org.id, queue_mode="in-process")
        s.add(check)
        await s.flush()
        enqueue_after_commit(s, "system.complete_job_check", check_id=str(check.id))
        return str(check.id)

    app.include_router(router)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        assert (await c.post(f"{API_PREFIX}/fails")).status_code == 409
        assert not queue._tasks  # nothing was sent
        assert await session.scalar(select(func.count()).select_from(JobCheck)) == 0

        check_id = (await c.post(f"{API_PREFIX}/works")).json()
        await queue.drain()
    check = await session.get(JobCheck, uuid.UUID(check_id))
    assert check is not None
    await session.refresh(check)
    assert check.status == "done"


async def test_job_is_idempotent(db: Database, org: OrgWithMembers, session: AsyncSession) -> None:
    check = JobCheck(org_id=org.org.id, queue_mode="arq")
    session.add(check)
    await session.commit()
    ctx = JobContext(db, InProcessQueue(db, run_crons=False), "arq")
    from mems.core.jobs import run_job

    assert await run_job(ctx, "system.complete_job_check", {"check_id": str(check.id)}) is True
    first = (
        await session.scalars(select(JobCheck.completed_at).where(JobCheck.id == check.id))
    ).one()
    # Redelivered (at-least-once): nothing changes.
    assert await run_job(ctx, "system.complete_job_check", {"check_id": str(check.id)}) is False
    again = (
        await session.scalars(select(JobCheck.completed_at).where(JobCheck.id == check.id))
    ).one()
    assert first == again


async def test_crons_are_declared_once_for_both_runners(db: Database) -> None:
    ran: list[str] = []

    @registry.cron("test.note_startup", minute=0, run_at_startup=True)
    async def note_startup(ctx: JobContext, session: AsyncSession, **_: Any) -> None:
        ran.append(ctx.mode)

    try:
        # The arq worker gets every registered job and every cron, under the same names.
        functions, crons, _, _ = arq_functions(lambda: db)
        assert {f.name for f in functions} == set(registry.jobs)
        assert {c.name for c in crons} == {f"cron:{name}" for name in registry.crons}
        assert "cron:identity.prune_expired_sessions" in {c.name for c in crons}

        # The in-process runner schedules the same crons itself.
        queue = InProcessQueue(db, run_crons=True)
        await queue.start()
        for _ in range(100):
            if ran:
                break
            await asyncio.sleep(0.02)
        cron_tasks = [t for t in queue._cron_tasks if not t.done()]
        assert len(cron_tasks) == len(registry.crons)  # one loop per cron, still waiting
        await queue.close()
        assert ran == ["in-process"]
    finally:
        registry.jobs.pop("test.note_startup")
        registry.crons.pop("test.note_startup")


async def test_prune_cron_removes_only_old_rows(
    db: Database, org: OrgWithMembers, session: AsyncSession
) -> None:
    from datetime import timedelta

    from mems.core.clock import utcnow
    from mems.core.jobs import run_job
    from mems.identity.models import AuthSession, LoginAttempt

    now = utcnow()
    member = org.members["member"]  # type: ignore[index]
    session.add_all(
        [
            AuthSession(
                token_hash="old" + "0" * 61,
                membership_id=member.id,
                expires_at=now - timedelta(days=2),
            ),
            AuthSession(
                token_hash="new" + "0" * 61,
                membership_id=member.id,
                expires_at=now + timedelta(days=2),
            ),
            LoginAttempt(
                email="a@b.cn", ip="1.1.1.1", succeeded=False, created_at=now - timedelta(days=3)
            ),
            LoginAttempt(email="a@b.cn", ip="1.1.1.1", succeeded=False, created_at=now),
        ]
    )
    await session.commit()
    ctx = JobContext(db, InProcessQueue(db, run_crons=False), "in-process")
    result = await run_job(ctx, "identity.prune_expired_sessions", {})
    assert result == {"sessions": 1, "login_attempts": 1}
    assert await session.scalar(select(func.count()).select_from(AuthSession)) == 1
    assert await session.scalar(select(func.count()).select_from(LoginAttempt)) == 1
