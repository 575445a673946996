"""Channel data the production way: real PostgreSQL, real Redis, real arq worker processes.

1. A signed webhook is accepted (202), the worker writes the batch into metric records and
   the rollups, a rule fires on the new data, and a signed notice reaches a local HTTP
   receiver.
2. A worker killed in the middle of a batch, and Redis losing its queue: nothing accepted is
   lost, nothing is doubled — the next worker's start-up sweep hands the batch over again
   and it is written once.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import orjson
import pytest
from redis.asyncio import Redis
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from mems.alerts.models import Alert
from mems.channels.models import IngestBatch, MetricChannelDaily, MetricDaily, MetricRecord
from mems.config import Settings
from mems.core.clock import utcnow
from mems.core.db import Database
from mems.core.jobs import ArqQueue
from mems.core.models import OutboxJob
from mems.core.signing import verify_generic
from mems.core.tenancy import ALL_TENANTS, in_tenant
from mems.identity.models import Organization, User
from mems.identity.permissions import Role
from mems.main import create_app
from tests.alerts.receiver import serve
from tests.conftest import TEST_DATABASE_URL, TEST_REDIS_URL
from tests.factories import OrgWithMembers, make_org_with_members, make_session_token

pytestmark = pytest.mark.worker

REDIS_URL = TEST_REDIS_URL.rsplit("/", 1)[0] + "/12"  # this test's own queue
Worker = subprocess.Popen[bytes]
# Advisory locks in this test's database (pg_locks shows the whole cluster's).
# Another session's locks on the metric records (the worker's job, writing them).
LOCKS_HERE = (
    "SELECT count(*) FROM pg_locks WHERE locktype = 'relation' AND "
    "relation = 'metric_records'::regclass AND pid <> pg_backend_pid()"
)


@pytest.fixture
async def committed_db(engine: AsyncEngine) -> AsyncIterator[Database]:
    db = Database.from_url(TEST_DATABASE_URL)
    yield db
    await db.engine.dispose()


@pytest.fixture
async def start_worker(var_dir: Path) -> AsyncIterator[Callable[[], Worker]]:
    redis = Redis.from_url(REDIS_URL)
    await redis.flushdb()
    await redis.aclose()
    env = {
        **os.environ,
        "DATABASE_URL": TEST_DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "ENVIRONMENT": "test",
        "SECRET_KEY": "worker-test-secret-" + "x" * 32,
        "VAR_DIR": str(var_dir),
    }
    started: list[Worker] = []

    def start() -> Worker:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mems", "worker"],
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


@pytest.fixture
async def org(committed_db: Database) -> AsyncIterator[tuple[OrgWithMembers, str]]:
    async with committed_db.sessionmaker() as s:
        in_tenant(s, ALL_TENANTS)
        made = await make_org_with_members(s, name="渠道数据 worker test")
        token = await make_session_token(s, made.members[Role.ADMIN].id)
        user_ids = [m.user_id for m in made.members.values()]
        await s.commit()
    yield made, token
    async with committed_db.sessionmaker() as s:
        in_tenant(s, ALL_TENANTS)
        for table in (MetricRecord, MetricDaily, MetricChannelDaily):
            await s.execute(delete(table).where(table.org_id == made.org.id))
        batches = (
            await s.scalars(select(IngestBatch.id).where(IngestBatch.org_id == made.org.id))
        ).all()
        for key, values in (("org_id", [made.org.id]), ("batch_id", batches)):
            await s.execute(
                delete(OutboxJob).where(
                    OutboxJob.kwargs[key].as_string().in_([str(v) for v in values])
                )
            )
        await s.execute(delete(Organization).where(Organization.id == made.org.id))
        await s.execute(delete(User).where(User.id.in_(user_ids)))
        await s.commit()


def app_for(committed_db: Database, var_dir: Path) -> Any:
    settings = Settings(
        environment="test",
        var_dir=var_dir,
        spa_dir=var_dir / "no-spa",
        secret_key="worker-test-secret-" + "x" * 32,
        redis_url=REDIS_URL,
        database_url=TEST_DATABASE_URL,
        max_body_bytes=64 * 1024,
    )
    return create_app(settings, db=committed_db)  # jobs: the app's own ArqQueue


def signed(secret: str, body: bytes) -> dict[str, str]:
    ts = int(time.time())
    mac = hmac.new(secret.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
    return {
        "X-MEMS-Timestamp": str(ts),
        "X-MEMS-Signature": f"sha256={mac}",
        "content-type": "application/json",
    }


async def until(
    check: Callable[[], Awaitable[bool]], workers: list[Worker], what: str, within: float = 60
) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await check():
            return
        dead = [w for w in workers if w.poll() is not None]
        if dead:
            out = dead[0].stdout.read() if dead[0].stdout else b""
            pytest.fail(f"a worker died waiting for {what}: {out.decode(errors='replace')[-3000:]}")
        await asyncio.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def week(today: Any, clicks: int) -> list[dict[str, Any]]:
    return [
        {
            "campaign": "c-1",
            "campaign_name": "双十一短视频",
            "date": (today - timedelta(days=d)).isoformat(),
            "impressions": 10_000,
            "clicks": clicks,
            "spend": "300",
        }
        for d in range(7)
    ]


async def test_a_signed_webhook_is_written_by_the_worker_and_its_alert_delivered(
    committed_db: Database,
    start_worker: Callable[[], Worker],
    org: tuple[OrgWithMembers, str],
    var_dir: Path,
) -> None:
    made, token = org
    worker = start_worker()
    app = app_for(committed_db, var_dir)
    async with (
        serve() as receiver,
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://t",
            headers={"Authorization": f"Bearer {token}"},
        ) as admin,
    ):
        channels = {
            c["key"]: c["id"] for c in (await admin.post("/api/v1/channel-defaults")).json()
        }
        source = (
            await admin.post(
                "/api/v1/data-sources",
                json={"name": "抖音推送", "kind": "webhook", "channel_id": channels["douyin"]},
            )
        ).json()
        secret = (await admin.get(f"/api/v1/data-sources/{source['id']}/secret")).json()["secret"]
        hook = await admin.post(
            "/api/v1/notification-channels",
            json={
                "name": "回调",
                "kind": "webhook",
                "url": receiver.url(),
                "secret": "hook-secret",
                "allow_private": True,
            },
        )
        assert hook.status_code == 201, hook.text
        rule = await admin.post(
            "/api/v1/alert-rules",
            json={
                "name": "CTR 低",
                "metric": "ctr",
                "comparator": "lt",
                "threshold": "80",
                "relative": True,
                "scope_kind": "channel",
                "min_volume": "1000",
            },
        )
        assert rule.status_code == 201, rule.text
        today = datetime.now(ZoneInfo(made.org.timezone)).date()
        body = orjson.dumps({"records": week(today, clicks=50)})
        r = await admin.post(source["webhook_path"], content=body, headers=signed(secret, body))
        assert r.status_code == 202, r.text
        batch_id = r.json()["id"]

        async def written() -> bool:
            got = (await admin.get(f"/api/v1/channel-data/batches/{batch_id}")).json()
            return bool(got["status"] == "done")

        await until(written, [worker], "the worker to write the batch")

        async def alerted() -> bool:
            return bool((await admin.get("/api/v1/alerts")).json()["total"] == 1)

        await until(alerted, [worker], "the rule to fire")

        async def delivered() -> bool:
            return len(receiver.requests) == 1

        await until(delivered, [worker], "the notice to reach the receiver")
    got = receiver.requests[0]
    verify_generic(
        "hook-secret",
        got.headers["x-mems-timestamp"],
        got.headers["x-mems-signature"],
        got.body,
        datetime.now(UTC),
    )
    assert orjson.loads(got.body)["data"]["metric"] == "ctr"
    async with committed_db.sessionmaker() as s:
        in_tenant(s, made.org.id)
        rows = await s.scalar(
            select(func.count()).select_from(MetricRecord).where(MetricRecord.org_id == made.org.id)
        )
        impressions = await s.scalar(
            select(func.sum(MetricDaily.impressions)).where(MetricDaily.org_id == made.org.id)
        )
        alert = await s.scalar(select(Alert).where(Alert.org_id == made.org.id))
    assert (rows, impressions) == (7, 70_000)
    assert alert is not None
    assert alert.suggestion == "low_ctr"


async def test_a_worker_killed_mid_batch_and_a_lost_queue_lose_and_double_nothing(
    committed_db: Database,
    start_worker: Callable[[], Worker],
    org: tuple[OrgWithMembers, str],
    var_dir: Path,
) -> None:
    made, token = org
    app = app_for(committed_db, var_dir)
    records = [
        {
            "channel": "douyin" if i % 2 else "xiaohongshu",
            "campaign": f"c-{i % 40}",
            "campaign_name": f"计划 {i % 40}",
            "date": (datetime(2026, 6, 1) + timedelta(days=i // 40)).date().isoformat(),
            "impressions": 1_000 + i,
            "clicks": 10,
            "spend": "12.34",
        }
        for i in range(4_000)
    ]
    # Hold a lock on the metric records: the worker's job will wait on it mid-batch, its
    # campaigns and creatives created, its rows about to go in.
    blocker = await committed_db.engine.connect()
    await blocker.execute(text("LOCK TABLE metric_records IN SHARE MODE"))
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app),
                base_url="http://t",
                headers={"Authorization": f"Bearer {token}"},
            ) as admin,
        ):
            await admin.post("/api/v1/channel-defaults")
            r = await admin.post("/api/v1/channel-data", json={"records": records})
            assert r.status_code == 202, r.text
            batch_id = uuid.UUID(r.json()["id"])
        first = start_worker()

        async def waiting_on_the_lock() -> bool:
            row = await blocker.execute(text(LOCKS_HERE + " AND NOT granted"))
            return bool(row.scalar())

        await until(waiting_on_the_lock, [first], "the worker to be mid-batch")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        # Let the killed worker's backend go: PostgreSQL notices its client is gone only once
        # the lock it waits for is granted; then it rolls back what the job had done.
        await blocker.rollback()

    async def orphan_gone() -> bool:
        row = await blocker.execute(text(LOCKS_HERE))
        await blocker.commit()
        return not row.scalar()

    await until(orphan_gone, [], "the killed worker's transaction to end")
    await blocker.close()
    # Redis restarts empty: the queued and in-progress job are gone with it.
    redis = Redis.from_url(REDIS_URL)
    await redis.flushdb()
    await redis.aclose()
    async with committed_db.sessionmaker() as s:
        in_tenant(s, ALL_TENANTS)
        batch = await s.get(IngestBatch, batch_id)
        assert batch is not None
        assert batch.status == "pending"  # accepted, kept, not written
        written = await s.scalar(
            select(func.count()).select_from(MetricRecord).where(MetricRecord.org_id == made.org.id)
        )
        assert written == 0
        # As if a minute had passed: the next worker's start-up sweep hands it over.
        await s.execute(
            update(OutboxJob)
            .where(OutboxJob.kwargs["org_id"].as_string() == str(made.org.id))
            .values(
                created_at=utcnow() - timedelta(minutes=2),
                handed_at=utcnow() - timedelta(minutes=2),
            )
        )
        await s.commit()

    second = start_worker()

    async def done() -> bool:
        async with committed_db.sessionmaker() as s:
            in_tenant(s, ALL_TENANTS)
            batch = await s.get(IngestBatch, batch_id)
            return batch is not None and batch.status == "done"

    await until(done, [second], "the second worker to write the batch", within=90)
    async with committed_db.sessionmaker() as s:
        in_tenant(s, ALL_TENANTS)
        count = await s.scalar(
            select(func.count()).select_from(MetricRecord).where(MetricRecord.org_id == made.org.id)
        )
        impressions = await s.scalar(
            select(func.sum(MetricDaily.impressions)).where(MetricDaily.org_id == made.org.id)
        )
        spend = await s.scalar(
            select(func.sum(MetricChannelDaily.spend)).where(
                MetricChannelDaily.org_id == made.org.id
            )
        )
    assert count == 4_000  # every record, once
    assert impressions == sum(r["impressions"] for r in records)
    assert spend == Decimal("12.34") * 4_000
    # Handed over once more (a late redelivery): nothing is written twice.
    queue = ArqQueue(REDIS_URL)
    await queue.start()
    async with committed_db.sessionmaker() as s:
        in_tenant(s, ALL_TENANTS)
        row = await s.scalar(
            select(OutboxJob).where(
                OutboxJob.name == "channels.process_batch",
                OutboxJob.kwargs["org_id"].as_string() == str(made.org.id),
            )
        )
        assert row is not None
        assert row.status == "done"
    for again in ({"org_id": str(made.org.id)}, {"batch_id": str(batch_id)}):  # either form
        await queue.enqueue("channels.process_batch", job_id=str(uuid.uuid4()), **again)
    await queue.close()
    await asyncio.sleep(2)
    async with committed_db.sessionmaker() as s:
        in_tenant(s, ALL_TENANTS)
        again = await s.scalar(
            select(func.sum(MetricDaily.impressions)).where(MetricDaily.org_id == made.org.id)
        )
    assert again == impressions
