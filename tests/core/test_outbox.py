"""The transactional outbox: a job exists exactly when the write that queued it committed, a
queue that is down never fails that write, and the sweeper hands the job over later, to run
once."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mems.config import Settings
from mems.core.clock import utcnow
from mems.core.db import Database
from mems.core.jobs import (
    ArqQueue,
    InProcessQueue,
    JobContext,
    enqueue_after_commit,
    run_job,
    sweep_outbox,
    take_pending_jobs,
)
from mems.core.models import OutboxJob
from mems.identity.permissions import Role
from mems.jobs import MissingHandler, check_registrations
from mems.main import create_app
from mems.system.models import JobCheck
from tests.conftest import ENGLISH
from tests.factories import OrgWithMembers, make_session_token

# Nothing listens here: a Redis that is down, for real (no fake).
DOWN_REDIS = "redis://127.0.0.1:6399/0"


async def _outbox(session: AsyncSession) -> list[OutboxJob]:
    return list((await session.scalars(select(OutboxJob).order_by(OutboxJob.created_at))).all())


async def test_a_job_queued_in_a_rolled_back_savepoint_is_dropped(session: AsyncSession) -> None:
    before = len(await _outbox(session))
    enqueue_after_commit(session, "core.sweep_outbox")
    nested = await session.begin_nested()
    enqueue_after_commit(session, "system.complete_job_check", check_id="x")
    await session.flush()
    await nested.rollback()  # the inner step failed
    await session.commit()
    kept = take_pending_jobs(session)
    assert [j.name for j in kept] == ["core.sweep_outbox"]
    rows = await _outbox(session)
    assert len(rows) == before + 1
    assert rows[-1].name == "core.sweep_outbox"
    assert rows[-1].status == "pending"


async def test_an_unknown_job_is_refused_when_queued(session: AsyncSession) -> None:
    with pytest.raises(KeyError):
        enqueue_after_commit(session, "nobody.knows_this")


async def test_with_the_queue_down_the_write_commits_and_the_sweeper_runs_the_job_once(
    settings: Settings, db: Database, session: AsyncSession, org: OrgWithMembers
) -> None:
    import httpx

    token = await make_session_token(session, org.members[Role.ADMIN].id)
    await session.commit()
    app = create_app(settings, db=db, jobs=ArqQueue(DOWN_REDIS))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://t",
            headers={"Authorization": f"Bearer {token}", **ENGLISH},
        ) as c:
            r = await c.post("/api/v1/system/job-checks")
    assert r.status_code == 202, r.text  # committed, though the queue is down
    check_id = r.json()["id"]
    row = (await _outbox(session))[-1]
    assert (row.name, row.status, row.kwargs) == (
        "system.complete_job_check",
        "pending",
        {"check_id": check_id},
    )

    # The queue is back: the sweeper hands the job over, and it runs once.
    queue = InProcessQueue(db, run_crons=False)
    ctx = JobContext(db, queue, "in-process")
    assert await sweep_outbox(ctx, session) == 0  # too young: it may still be on its way
    await session.execute(
        update(OutboxJob)
        .where(OutboxJob.id == row.id)
        .values(created_at=utcnow() - timedelta(minutes=2))
    )
    await session.commit()
    assert await sweep_outbox(ctx, session) == 1
    await queue.drain()
    await session.refresh(row)
    assert row.status == "done"
    assert row.attempts == 1
    check = await session.get(JobCheck, uuid.UUID(check_id))
    assert check is not None
    assert check.status == "done"
    completed_at = check.completed_at
    # Delivered again (a second hand-over, a redelivery): nothing runs, nothing changes.
    assert await run_job(ctx, row.name, dict(row.kwargs), str(row.id)) is None
    assert await sweep_outbox(ctx, session) == 0
    await session.refresh(check)
    assert check.completed_at == completed_at


async def test_start_up_fails_loudly_without_a_needed_handler(monkeypatch: Any) -> None:
    from mems.approvals import service as approvals

    monkeypatch.setattr(approvals, "_OUTCOME_HANDLERS", {})
    with pytest.raises(MissingHandler, match="project_initiation"):
        check_registrations()
    with pytest.raises(MissingHandler):
        create_app(Settings(environment="test"))
