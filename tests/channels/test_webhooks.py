"""Signed webhooks from ad platforms: MEMS's own format (HMAC-SHA256 over timestamp and raw
body, 5 minutes, replays refused) and Meta's (X-Hub-Signature-256, the GET handshake, retries
recognised). A delivery that does not check out is 401 and stores nothing."""

from __future__ import annotations

import hashlib
import hmac
import time
from decimal import Decimal
from typing import Any

import httpx
import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from mems.channels.models import IngestBatch, MetricDaily
from mems.core.jobs import InProcessQueue
from mems.identity.permissions import Role
from tests.channels.helpers import record, with_channels
from tests.checkins.helpers import API, count, fields_of, problem
from tests.conftest import ApiFactory


def signed(secret: str, body: bytes, at: int | None = None) -> dict[str, str]:
    ts = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
    return {
        "X-MEMS-Timestamp": str(ts),
        "X-MEMS-Signature": f"sha256={mac}",
        "content-type": "application/json",
    }


async def make_source(
    admin: httpx.AsyncClient, **fields: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    r = await admin.post(f"{API}/data-sources", json=fields)
    assert r.status_code == 201, r.text
    source = r.json()
    secret = (await admin.get(f"{API}/data-sources/{source['id']}/secret")).json()
    return source, secret


async def test_a_signed_delivery_is_accepted_and_written_once(
    api: ApiFactory, client: httpx.AsyncClient, session: AsyncSession, jobs: InProcessQueue
) -> None:
    admin = await api(Role.ADMIN)
    channels = await with_channels(admin)
    source, secret = await make_source(
        admin, name="抖音推送", kind="webhook", channel_id=channels["douyin"]
    )
    assert source["webhook_path"] == f"{API}/hooks/{source['id']}"
    url = source["webhook_path"]
    body = orjson.dumps({"records": [record(channel=None)]})
    headers = signed(secret["secret"], body)
    r = await client.post(url, content=body, headers=headers)
    assert r.status_code == 202, r.text
    await jobs.drain()
    batch = (await admin.get(f"{API}/channel-data/batches/{r.json()['id']}")).json()
    assert (batch["status"], batch["via"], batch["source_id"]) == ("done", "webhook", source["id"])
    day = await session.scalar(select(MetricDaily))
    assert day is not None
    assert (day.impressions, str(day.channel_id)) == (10_000, channels["douyin"])
    listed = (await admin.get(f"{API}/data-sources/{source['id']}")).json()
    assert listed["last_received_at"] is not None

    # The same signed request again: a replay.
    again = problem(await client.post(url, content=body, headers=headers), 409, "conflict")
    assert again["reason"] == "replayed"
    assert again["batch_id"] == r.json()["id"]
    assert await count(session, IngestBatch) == 1


async def test_deliveries_that_do_not_check_out_store_nothing(
    api: ApiFactory, client: httpx.AsyncClient, session: AsyncSession, jobs: InProcessQueue
) -> None:
    admin = await api(Role.ADMIN)
    await with_channels(admin)
    source, secret = await make_source(admin, name="推送", kind="webhook")
    url = source["webhook_path"]
    body = orjson.dumps({"records": [record()]})
    good = signed(secret["secret"], body)
    now = int(time.time())
    refused = [
        (body, {"content-type": "application/json"}),  # unsigned
        (body, signed("not-the-secret-at-all", body)),  # wrongly signed
        # Stale, and from the future: a minute past the five allowed (301 s failed now and
        # then: `now` is truncated, and time passes before the server checks).
        (body, signed(secret["secret"], body, at=now - 360)),
        (body, signed(secret["secret"], body, at=now + 360)),
        (body.replace(b"10000", b"99999"), good),  # tampered
        (body, {**good, "X-MEMS-Signature": "sha256=xyz"}),  # malformed
        (body, {**good, "X-MEMS-Timestamp": "soon"}),
    ]
    for content, headers in refused:
        problem(await client.post(url, content=content, headers=headers), 401, "unauthorized")
    # Signed but not a batch: malformed JSON, or a bad record (each named).
    junk = b'{"records": ['
    problem(
        await client.post(url, content=junk, headers=signed(secret["secret"], junk)),
        400,
        "malformed-body",
    )
    bad = orjson.dumps({"records": [record(clicks=-5)]})
    answer = problem(
        await client.post(url, content=bad, headers=signed(secret["secret"], bad)),
        422,
        "validation-failed",
    )
    assert fields_of(answer) == ["records[0].clicks"]
    unknown = orjson.dumps({"records": [record(channel="nope")]})
    answer = problem(
        await client.post(url, content=unknown, headers=signed(secret["secret"], unknown)),
        422,
        "validation-failed",
    )
    assert fields_of(answer) == ["records[0].channel"]
    # No such source, or not a webhook source.
    problem(
        await client.post(
            f"{API}/hooks/00000000-0000-0000-0000-000000000000", content=body, headers=good
        ),
        404,
        "not-found",
    )
    api_source, _ = await make_source(admin, name="接口", kind="api")
    problem(
        await client.post(f"{API}/hooks/{api_source['id']}", content=body, headers=good),
        404,
        "not-found",
    )
    # Paused: refused after the signature checks out.
    r = await admin.patch(
        f"{API}/data-sources/{source['id']}", json={"active": False, "version": source["version"]}
    )
    assert r.status_code == 200, r.text
    paused = problem(await client.post(url, content=body, headers=good), 409, "conflict")
    assert paused["reason"] == "source_paused"
    # A rotated secret: the old one no longer works.
    await admin.patch(
        f"{API}/data-sources/{source['id']}", json={"active": True, "version": r.json()["version"]}
    )
    rotated = (await admin.post(f"{API}/data-sources/{source['id']}/secret")).json()
    assert rotated["secret"] != secret["secret"]
    problem(await client.post(url, content=body, headers=good), 401, "unauthorized")
    await jobs.drain()
    assert await count(session, IngestBatch) == 0


def meta_delivery(*, purchases: str = "3", entry_time: int = 1764547200) -> bytes:
    row = {
        "account_id": "act_1",
        "campaign_id": "23850001",
        "campaign_name": "Black Friday – Reels",
        "ad_id": "23850009",
        "ad_name": "Reel A",
        "date_start": "2026-11-28",
        "date_stop": "2026-11-28",
        "impressions": "12000",
        "clicks": "240",
        "spend": "150.75",
        "ctr": "2.0",
        "actions": [
            {"action_type": "link_click", "value": "240"},
            {"action_type": "offsite_conversion.fb_pixel_purchase", "value": purchases},
            {"action_type": "lead", "value": "7"},
        ],
        "action_values": [
            {"action_type": "offsite_conversion.fb_pixel_purchase", "value": "420.50"}
        ],
        "account_currency": "USD",
    }
    return orjson.dumps(
        {
            "object": "ad_account",
            "entry": [
                {
                    "id": "act_1",
                    "time": entry_time,
                    "changes": [{"field": "insights", "value": {"data": [row]}}],
                }
            ],
        }
    )


def meta_signed(secret: str, body: bytes) -> dict[str, str]:
    mac = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={mac}", "content-type": "application/json"}


async def test_meta_handshake_deliveries_and_retries(
    api: ApiFactory, client: httpx.AsyncClient, session: AsyncSession, jobs: InProcessQueue
) -> None:
    admin = await api(Role.ADMIN)
    channels = await with_channels(admin)
    source, secret = await make_source(
        admin,
        name="Meta",
        kind="meta",
        channel_id=channels["meta"],
        currency="USD",
        rate="7.2",
        secret="meta-app-secret-0123456789",
    )
    url = source["webhook_path"]
    assert url == f"{API}/hooks/meta/{source['id']}"
    assert secret["secret"] == "meta-app-secret-0123456789"
    hub = {
        "hub.mode": "subscribe",
        "hub.verify_token": secret["verify_token"],
        "hub.challenge": "8675309",
    }
    r = await client.get(url, params=hub)
    assert r.status_code == 200
    assert r.text == "8675309"
    assert r.headers["content-type"].startswith("text/plain")
    problem(await client.get(url, params={**hub, "hub.verify_token": "guess"}), 403, "forbidden")
    problem(await client.get(url, params={**hub, "hub.mode": "unsubscribe"}), 403, "forbidden")

    body = meta_delivery()
    r = await client.post(url, content=body, headers=meta_signed(secret["secret"], body))
    assert r.status_code == 202, r.text
    await jobs.drain()
    day = await session.scalar(select(MetricDaily))
    assert day is not None
    assert (day.impressions, day.clicks, day.conversions, day.leads) == (12000, 240, 3, 7)
    assert (day.spend, day.revenue) == (Decimal("1085.40"), Decimal("3027.60"))  # at 7.2
    # Meta retries the same delivery: answered with the batch it made, nothing new.
    retry = await client.post(url, content=body, headers=meta_signed(secret["secret"], body))
    assert retry.status_code == 200, retry.text
    assert retry.json()["id"] == r.json()["id"]
    # A later event correcting the day replaces the counts.
    later = meta_delivery(purchases="4", entry_time=1764550800)
    assert (
        await client.post(url, content=later, headers=meta_signed(secret["secret"], later))
    ).status_code == 202
    await jobs.drain()
    await session.refresh(day)
    assert day.conversions == 4
    # Signed wrongly, or not at all: 401, nothing stored.
    problem(
        await client.post(url, content=later, headers=meta_signed("wrong", later)),
        401,
        "unauthorized",
    )
    problem(
        await client.post(url, content=later, headers={"content-type": "application/json"}),
        401,
        "unauthorized",
    )
    # Signed, but not Meta's shape.
    odd = orjson.dumps({"object": "page"})
    problem(
        await client.post(url, content=odd, headers=meta_signed(secret["secret"], odd)),
        400,
        "malformed-body",
    )
    assert await count(session, IngestBatch) == 2


async def test_a_meta_sources_app_secret_is_set_not_rotated(
    api: ApiFactory, client: httpx.AsyncClient, jobs: InProcessQueue
) -> None:
    admin = await api(Role.ADMIN)
    channels = await with_channels(admin)
    source, _secret = await make_source(
        admin,
        name="Meta 广告账户",
        kind="meta",
        channel_id=channels["meta"],
        currency="USD",
        rate="7.2",
        secret="meta-app-secret-0123456789",
    )
    refused = problem(
        await admin.post(f"{API}/data-sources/{source['id']}/secret"), 409, "conflict"
    )
    assert refused["reason"] == "meta_app_secret"
    r = await admin.patch(
        f"{API}/data-sources/{source['id']}",
        json={"secret": "the-new-meta-app-secret", "version": source["version"]},
    )
    assert r.status_code == 200, r.text
    body = meta_delivery()
    ok = await client.post(
        source["webhook_path"], content=body, headers=meta_signed("the-new-meta-app-secret", body)
    )
    assert ok.status_code == 202, ok.text
    await jobs.drain()
    problem(
        await client.post(
            source["webhook_path"],
            content=body,
            headers=meta_signed("meta-app-secret-0123456789", body),
        ),
        401,
        "unauthorized",
    )
    api_source, _ = await make_source(admin, name="接口源", kind="api")
    answer = problem(
        await admin.patch(
            f"{API}/data-sources/{api_source['id']}", json={"secret": "x" * 20, "version": 1}
        ),
        422,
        "validation-failed",
    )
    assert fields_of(answer) == ["secret"]


async def test_a_delivery_is_acknowledged_in_a_handful_of_statements(
    api: ApiFactory, client: httpx.AsyncClient, engine: AsyncEngine, jobs: InProcessQueue
) -> None:
    """The acknowledgement is the hot path (platforms post many a second): the source with its
    channel, the campaigns, the batch (its INSERT refusing a delivery seen before), its rows and
    its organisation's job — and the source's last delivery time at most once a minute."""
    from tests.core.test_statement_counts import counted

    admin = await api(Role.ADMIN)
    channels = await with_channels(admin)
    source, secret = await make_source(
        admin, name="抖音推送", kind="webhook", channel_id=channels["douyin"]
    )
    url = source["webhook_path"]

    async def deliver(hour: int) -> list[str]:
        body = orjson.dumps({"records": [record(channel=None, hour=hour)]})
        with counted(engine) as statements:
            r = await client.post(url, content=body, headers=signed(secret["secret"], body))
        assert r.status_code == 202, r.text
        await jobs.drain()
        return [s.split()[0] + " " + _table_of(s) for s in statements]

    first = await deliver(1)  # the campaign is new; the source's time is written
    assert "UPDATE data_sources" in first
    second = await deliver(2)
    # The batch and its rows: one statement on PostgreSQL (WITH batch AS (INSERT …) INSERT
    # INTO ingest_rows …), two on SQLite. The organisation's job: on PostgreSQL one waiting
    # would take this delivery too (the SELECT … FOR SHARE SKIP LOCKED); here none waits, so
    # one is queued.
    if engine.dialect.name == "postgresql":
        stored, coalescing = ["WITH ingest_batches"], ["SELECT job_outbox"]
    else:
        stored, coalescing = ["INSERT ingest_batches", "INSERT ingest_rows"], []
    assert second == [
        "SELECT data_sources",
        "SELECT ad_campaigns",
        *stored,
        *coalescing,
        "INSERT job_outbox",
    ], second
    listed = (await admin.get(f"{API}/data-sources/{source['id']}")).json()
    assert listed["last_received_at"] is not None


def _table_of(statement: str) -> str:
    words = statement.replace("\n", " ").split()
    after = {"SELECT": "FROM", "INSERT": "INTO", "UPDATE": "UPDATE", "WITH": "INTO"}.get(
        words[0].upper(), ""
    )
    return words[words.index(after) + 1] if after in words else "?"
