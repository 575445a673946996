"""The transactional outbox: a job exists exactly when the write that queued it committed, a
queue that is down never fails that write, and the sweeper hands the job over later, to run
once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from mems.config import Settings
from mems.core.clock import utcnow
from mems.core.db import Database
from mems.core.jobs import (
    ArqQueue,
    Coalesced,
    InProcessQueue,
    JobContext,
    enqueue_after_commit,
    enqueue_all_coalesced,
    enqueue_coalesced,
    hand_over,
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


async def _spend_jobs(session: AsyncSession, org_id: str) -> list[OutboxJob]:
    return [
        job
        for job in await _outbox(session)
        if job.name == "finance.sync_ad_spend" and job.kwargs.get("org_id") == org_id
    ]


async def test_coalesced_jobs_wait_as_one_with_their_lists_merged(
    session: AsyncSession, db_kind: str
) -> None:
    """Batch after batch queues the organisation's spend sync: on PostgreSQL the one waiting
    takes them all (campaign ids merged); another organisation's is its own. SQLite queues
    each (it cannot skip a running job's locked row)."""
    org, other = str(uuid.uuid4()), str(uuid.uuid4())
    for org_id, ids in ((org, ["b", "a"]), (org, ["c", "a"]), (other, ["x"])):
        await enqueue_coalesced(
            session, "finance.sync_ad_spend", merge="campaign_ids", org_id=org_id, campaign_ids=ids
        )
        await session.commit()
    mine = await _spend_jobs(session, org)
    if db_kind == "postgres":
        assert [j.kwargs["campaign_ids"] for j in mine] == [["a", "b", "c"]]
    else:
        assert [j.kwargs["campaign_ids"] for j in mine] == [["b", "a"], ["c", "a"]]
    assert [j.kwargs["campaign_ids"] for j in await _spend_jobs(session, other)] == [["x"]]


async def test_several_coalesced_jobs_find_their_waiting_rows_in_one_statement(
    session: AsyncSession, engine: AsyncEngine, db_kind: str
) -> None:
    """What a written batch queues (the rule evaluation, the KPIs, the spend sync) is looked
    up together: one SELECT for all three, each merged into its own waiting job."""
    from tests.core.test_statement_counts import counted

    org = str(uuid.uuid4())

    def jobs(ids: list[str]) -> list[Coalesced]:
        return [
            Coalesced("alerts.evaluate_org", {"org_id": org}),
            Coalesced("channels.refresh_kpis", {"org_id": org}),
            Coalesced(
                "finance.sync_ad_spend", {"org_id": org, "campaign_ids": ids}, merge="campaign_ids"
            ),
        ]

    await enqueue_all_coalesced(session, jobs(["b"]))
    await session.commit()
    with counted(engine) as statements:
        await enqueue_all_coalesced(session, jobs(["a"]))
        await session.commit()
    names = sorted(j.name for j in await _outbox(session) if j.kwargs.get("org_id") == org)
    if db_kind == "postgres":
        assert [s.split()[0] for s in statements if "job_outbox" in s] == ["SELECT", "UPDATE"]
        assert names == ["alerts.evaluate_org", "channels.refresh_kpis", "finance.sync_ad_spend"]
        assert [j.kwargs["campaign_ids"] for j in await _spend_jobs(session, org)] == [["a", "b"]]
    else:
        assert len(names) == 6  # SQLite queues every one


@pytest.fixture
async def races(races_database_url: str) -> AsyncIterator[tuple[Database, str]]:
    """PostgreSQL's races database and a new organisation id, whose jobs are dropped after."""
    db = Database.from_url(races_database_url)
    org = str(uuid.uuid4())
    try:
        yield db, org
    finally:
        async with db.sessionmaker() as s:
            await s.execute(delete(OutboxJob).where(OutboxJob.coalesce_key.contains(org)))
            await s.commit()
        await db.engine.dispose()


async def test_a_running_job_is_not_joined_a_new_one_waits(races: tuple[Database, str]) -> None:
    """A job whose run has begun holds its row's lock (`_claim`): it may have read the data
    before the new batch, so the next batch queues a job of its own."""
    db, org = races

    async def queue(ids: list[str]) -> None:
        async with db.sessionmaker() as s:
            await enqueue_coalesced(
                s, "finance.sync_ad_spend", merge="campaign_ids", org_id=org, campaign_ids=ids
            )
            await s.commit()

    await queue(["a"])
    async with db.sessionmaker() as running:
        waiting = (await _spend_jobs(running, org))[0]
        await running.scalar(select(OutboxJob).where(OutboxJob.id == waiting.id).with_for_update())
        await queue(["b"])  # not blocked: the locked row is skipped
        await running.rollback()
    await queue(["c"])
    async with db.sessionmaker() as s:
        jobs = await _spend_jobs(s, org)
        assert sorted(j.kwargs["campaign_ids"] for j in jobs) == [["a", "c"], ["b"]]


async def test_transactions_queueing_at_once_share_one_waiting_job(
    races: tuple[Database, str],
) -> None:
    """Deliveries committing together each find their organisation's waiting ingest job and
    share it (share locks: neither skips the row the other holds and queues a job of its
    own); a job starting meanwhile cannot claim the row until both have committed, so it sees
    their batches."""
    db, org = races
    job = Coalesced("channels.process_batch", {"org_id": org})

    async def waiting(s: AsyncSession) -> list[OutboxJob]:
        return list(
            (
                await s.scalars(
                    select(OutboxJob).where(
                        OutboxJob.coalesce_key.contains(org), OutboxJob.status == "pending"
                    )
                )
            ).all()
        )

    async with db.sessionmaker() as s:
        await enqueue_all_coalesced(s, [job])
        await s.commit()
        [row] = await waiting(s)
    async with db.sessionmaker() as a, db.sessionmaker() as b, db.sessionmaker() as claim:
        await enqueue_all_coalesced(a, [job])
        await enqueue_all_coalesced(b, [job])
        assert "outbox" not in a.info  # both joined the waiting job
        assert "outbox" not in b.info
        with pytest.raises(DBAPIError, match="could not obtain lock"):
            await claim.execute(
                select(OutboxJob).where(OutboxJob.id == row.id).with_for_update(nowait=True)
            )
        await claim.rollback()
        await a.commit()
        await b.commit()
        claimed = await claim.scalar(
            select(OutboxJob).where(OutboxJob.id == row.id).with_for_update(nowait=True)
        )
        assert claimed is not None
        await claim.rollback()
    async with db.sessionmaker() as s:
        assert [r.id for r in await waiting(s)] == [row.id]


async def test_a_job_runs_with_its_rows_arguments(
    db: Database, org: OrgWithMembers, session: AsyncSession
) -> None:
    """A coalesced job's arguments may grow after it was handed over: the run takes them from
    its outbox row, not from what the queue was handed."""
    check = JobCheck(org_id=org.org.id, queue_mode="arq")
    session.add(check)
    await session.flush()
    row = OutboxJob(
        name="system.complete_job_check",
        kwargs={"check_id": str(check.id)},
        status="pending",
        attempts=1,
    )
    session.add(row)
    await session.commit()
    ctx = JobContext(db, InProcessQueue(db, run_crons=False), "arq")
    stale = {"check_id": str(uuid.uuid4())}
    assert await run_job(ctx, "system.complete_job_check", stale, str(row.id)) is True
    done = await session.scalar(select(JobCheck.completed_at).where(JobCheck.id == check.id))
    assert done is not None


async def test_a_later_try_waits_in_process_and_the_sweeper_hands_it_over_only_when_due(
    db: Database, org: OrgWithMembers, session: AsyncSession
) -> None:
    """A job put off for minutes (a delivery's later round) is not started at once by the
    in-process runner, nor drained; closing the runner leaves its row pending, and the sweeper
    hands it over again only when it is due (not every minute meanwhile). A short wait (a
    gathering window) is started at once."""
    queue = InProcessQueue(db, run_crons=False)
    ctx = JobContext(db, queue, "in-process")
    later, soon = (JobCheck(org_id=org.org.id, queue_mode="in-process") for _ in range(2))
    session.add_all([later, soon])
    await session.flush()
    enqueue_after_commit(
        session,
        "system.complete_job_check",
        run_after=utcnow() + timedelta(minutes=10),
        check_id=str(later.id),
    )
    enqueue_after_commit(
        session,
        "system.complete_job_check",
        run_after=utcnow() + timedelta(seconds=1),
        check_id=str(soon.id),
    )
    await session.commit()
    assert await hand_over(queue, take_pending_jobs(session)) == 2
    await queue.drain()
    await session.refresh(later)
    await session.refresh(soon)
    assert (soon.status, later.status) == ("done", "pending")
    await queue.close()  # the process stops: the waiting run is dropped, its row pending
    row = (await _outbox(session))[-2]
    assert (row.kwargs, row.status) == ({"check_id": str(later.id)}, "pending")

    # Old enough to sweep, not due: left alone.
    await session.execute(
        update(OutboxJob)
        .where(OutboxJob.id == row.id)
        .values(created_at=utcnow() - timedelta(minutes=2), handed_at=None)
    )
    await session.commit()
    queue = InProcessQueue(db, run_crons=False)
    ctx = JobContext(db, queue, "in-process")
    assert await sweep_outbox(ctx, session) == 0
    # Its time comes: handed over, run once.
    await session.execute(
        update(OutboxJob).where(OutboxJob.id == row.id).values(run_after=utcnow())
    )
    await session.commit()
    assert await sweep_outbox(ctx, session) == 1
    await queue.drain()
    await session.refresh(later)
    assert later.status == "done"
    await queue.close()


async def test_a_later_try_runs_in_process_when_its_time_comes(
    db: Database, org: OrgWithMembers, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The in-process runner starts a put-off job when its wait is over (shortened here: the
    gathering window a tenth of a second, the wait 0.3 s), and drains it like any other."""
    import mems.core.jobs as jobs

    monkeypatch.setattr(jobs, "GATHERING_AT_MOST", timedelta(seconds=0.1))
    queue = InProcessQueue(db, run_crons=False)
    check = JobCheck(org_id=org.org.id, queue_mode="in-process")
    session.add(check)
    await session.commit()
    await queue.enqueue("system.complete_job_check", defer_s=0.3, check_id=str(check.id))
    await queue.drain()
    await session.refresh(check)
    assert check.status == "pending"  # still waiting
    await asyncio.sleep(0.5)
    await queue.drain()
    await session.refresh(check)
    assert check.status == "done"
    await queue.close()
