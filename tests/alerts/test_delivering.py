"""A delivery's later rounds, through the job as the runner runs it, against a real HTTP
receiver on 127.0.0.1: a round that fails in a way that may pass (a throttling platform here,
whose long Retry-After ends the round at once) leaves the delivery pending with the time of
the next round and that round's job queued to start then; the next round delivers it. The
last round's failure, a test message's and a refusal that stays are failures at once."""

from __future__ import annotations

import smtplib
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.alerts import notify
from mems.alerts.delivering import LATER_ROUNDS, LONGEST_WAIT, _may_pass
from mems.alerts.models import Delivery, DeliveryStatus, NotificationChannel
from mems.core.clock import utcnow
from mems.core.db import Database
from mems.core.jobs import InProcessQueue, JobContext, enqueue_after_commit, run_job
from mems.core.models import OutboxJob
from tests.alerts.receiver import Answer, Receiver, serve
from tests.factories import OrgWithMembers


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with serve() as running:
        yield running


@pytest.fixture
async def ctx(db: Database) -> AsyncIterator[JobContext]:
    queue = InProcessQueue(db, run_crons=False)
    yield JobContext(db, queue, "in-process")
    await queue.close()


def throttled(seconds: int) -> Answer:
    return Answer(429, b"slow down", {"Retry-After": str(seconds)})


async def _delivery(
    session: AsyncSession, org: OrgWithMembers, url: str, event: str = notify.FIRED, rounds: int = 0
) -> tuple[Delivery, OutboxJob]:
    channel = NotificationChannel(
        org_id=org.org.id,
        name=f"回调 {uuid.uuid4().hex[:6]}",
        kind="webhook",
        url=url,
        secret="hook-secret",
        allow_private=True,
    )
    session.add(channel)
    await session.flush()
    delivery = Delivery(org_id=org.org.id, channel_id=channel.id, event=event, rounds=rounds)
    session.add(delivery)
    await session.flush()
    enqueue_after_commit(session, notify.DELIVER_JOB, delivery_id=str(delivery.id))
    await session.commit()
    return delivery, await _job_of(session, delivery, "pending")


async def _job_of(session: AsyncSession, delivery: Delivery, status: str) -> OutboxJob:
    rows = (
        await session.scalars(
            select(OutboxJob)
            .where(OutboxJob.name == notify.DELIVER_JOB, OutboxJob.status == status)
            .order_by(OutboxJob.created_at)
        )
    ).all()
    mine = [r for r in rows if r.kwargs == {"delivery_id": str(delivery.id)}]
    assert len(mine) == 1, mine
    return mine[0]


async def _run(ctx: JobContext, job: OutboxJob) -> None:
    await run_job(ctx, job.name, dict(job.kwargs), str(job.id))


async def test_a_throttled_round_is_tried_later_and_the_next_round_delivers(
    ctx: JobContext, session: AsyncSession, org: OrgWithMembers, receiver: Receiver
) -> None:
    receiver.script = [throttled(600)]  # DingTalk's ten-minute throttle
    delivery, first = await _delivery(session, org, receiver.url())
    before = utcnow()
    await _run(ctx, first)
    await session.refresh(delivery)
    assert (delivery.status, delivery.rounds, delivery.attempts) == (DeliveryStatus.PENDING, 1, 1)
    assert (delivery.status_code, delivery.error) == (429, "http 429")
    assert delivery.next_attempt_at is not None
    # The wait the platform asked for, longer than the first round's own (a minute).
    assert LATER_ROUNDS[0] < timedelta(seconds=600)
    wait = delivery.next_attempt_at - before
    assert timedelta(seconds=599) <= wait <= timedelta(seconds=610)
    later = await _job_of(session, delivery, "pending")
    assert later.run_after == delivery.next_attempt_at
    await session.refresh(first)
    assert first.status == "done"
    # The in-process runner keeps the wait: nothing more was sent.
    await ctx.queue.drain()  # type: ignore[attr-defined]
    assert len(receiver.requests) == 1

    # Its time comes, the platform answers: delivered by the second round.
    await _run(ctx, later)
    await session.refresh(delivery)
    assert (delivery.status, delivery.rounds, delivery.attempts) == (DeliveryStatus.SENT, 2, 2)
    assert (delivery.status_code, delivery.error, delivery.next_attempt_at) == (200, None, None)
    assert delivery.sent_at is not None
    assert len(receiver.requests) == 2
    assert receiver.requests[0].body != b""
    # Run again (a second hand-over): sent once.
    await _run(ctx, later)
    assert len(receiver.requests) == 2


async def test_the_last_round_fails_and_a_long_wait_is_capped(
    ctx: JobContext, session: AsyncSession, org: OrgWithMembers, receiver: Receiver
) -> None:
    receiver.script = [throttled(9 * 3600), throttled(600)]
    # The second round: a platform asking for nine hours is tried again after LONGEST_WAIT.
    delivery, job = await _delivery(session, org, receiver.url(), rounds=1)
    before = utcnow()
    await _run(ctx, job)
    await session.refresh(delivery)
    assert (delivery.status, delivery.rounds) == (DeliveryStatus.PENDING, 2)
    assert delivery.next_attempt_at is not None
    assert LONGEST_WAIT <= delivery.next_attempt_at - before <= LONGEST_WAIT + timedelta(seconds=10)
    # The last round: failed, with nothing planned.
    delivery.rounds = len(LATER_ROUNDS)
    await session.commit()
    await _run(ctx, await _job_of(session, delivery, "pending"))
    await session.refresh(delivery)
    assert (delivery.status, delivery.rounds) == (DeliveryStatus.FAILED, len(LATER_ROUNDS) + 1)
    assert (delivery.status_code, delivery.next_attempt_at) == (429, None)
    pending = (
        await session.scalars(
            select(OutboxJob).where(
                OutboxJob.name == notify.DELIVER_JOB, OutboxJob.status == "pending"
            )
        )
    ).all()
    assert [r for r in pending if r.kwargs == {"delivery_id": str(delivery.id)}] == []


@pytest.mark.parametrize(
    ("event", "answer"),
    [
        (notify.TEST, throttled(600)),  # a test answers now or not at all
        (notify.FIRED, Answer(400, b'{"error":"invalid_payload"}')),  # a refusal that stays
        (notify.FIRED, Answer(200, b'{"errcode":310000,"errmsg":"sign not match"}')),
    ],
)
async def test_failures_that_stay_or_a_test_are_not_tried_later(
    ctx: JobContext,
    session: AsyncSession,
    org: OrgWithMembers,
    receiver: Receiver,
    event: str,
    answer: Answer,
) -> None:
    receiver.script = [answer]
    url = receiver.url()
    delivery, job = await _delivery(session, org, url, event=event)
    if answer.body.startswith(b'{"errcode"'):
        channel = await session.get(NotificationChannel, delivery.channel_id)
        assert channel is not None
        channel.kind = "dingtalk"
        await session.commit()
    await _run(ctx, job)
    await session.refresh(delivery)
    assert (delivery.status, delivery.rounds, delivery.next_attempt_at) == (
        DeliveryStatus.FAILED,
        1,
        None,
    )
    assert len(receiver.requests) == 1


@pytest.mark.parametrize(
    ("exc", "may_pass"),
    [
        (ConnectionRefusedError(111, "Connection refused"), True),
        (TimeoutError(), True),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (smtplib.SMTPResponseException(451, b"try again later"), True),
        (smtplib.SMTPResponseException(550, b"mailbox unavailable"), False),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), False),
        (smtplib.SMTPRecipientsRefused({"ops@example.com": (550, b"no such user")}), False),
        (smtplib.SMTPNotSupportedError("no STARTTLS"), False),
    ],
)
def test_which_smtp_failures_may_pass(exc: OSError, may_pass: bool) -> None:
    assert _may_pass(exc) is may_pass
