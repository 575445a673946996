"""Channel data through the REST batch API: accepted (202) and stored in the request, written
by the job into metric records and the daily rollup; the same record again replaces it; bad
batches are refused whole and write nothing."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import asyncpg
import httpx
import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.channels import ingest
from mems.channels.models import (
    AdCampaign,
    Channel,
    Creative,
    IngestBatch,
    IngestRow,
    MetricChannelDaily,
    MetricDaily,
    MetricRecord,
    SourceKind,
)
from mems.channels.schemas import MetricRecordIn
from mems.core.jobs import InProcessQueue
from mems.core.models import OutboxJob
from mems.core.tenancy import in_tenant
from mems.identity.permissions import Role
from tests.channels.helpers import record, send, with_channels
from tests.checkins.helpers import API, count, fields_of, problem
from tests.conftest import TEST_DATABASE_URL, ApiFactory
from tests.factories import OrgWithMembers


async def channels_org(
    admin: httpx.AsyncClient, session: AsyncSession
) -> tuple[uuid.UUID, dict[str, str]]:
    """The admin's organisation given the default channels (key -> id); the test's session
    works in it from now on."""
    channels = await with_channels(admin)
    org_id = await session.scalar(
        select(Channel.org_id).where(Channel.id == uuid.UUID(channels["douyin"]))
    )
    assert org_id is not None
    in_tenant(session, org_id)
    return org_id, channels


async def daily(session: AsyncSession) -> list[MetricDaily]:
    return list((await session.scalars(select(MetricDaily).order_by(MetricDaily.day))).all())


async def test_a_batch_is_accepted_then_written_with_its_rollup(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue
) -> None:
    channels = await with_channels(await api(Role.ADMIN))
    pm = await api(Role.PROJECT_MANAGER)
    records = [
        record(hour=9, creative="v1", creative_name="开箱视频"),
        record(hour=10, creative="v1", impressions=5000, clicks=40, spend="100"),
        record(hour=10, creative="v2", impressions=2000, clicks=10, spend="50.25"),
        record(date="2026-11-21", campaign_name=None),
    ]
    r = await send(pm, records)
    assert r.status_code == 202, r.text
    batch = r.json()
    assert batch["status"] == "pending"
    assert batch["record_count"] == 4
    assert r.headers["location"] == f"{API}/channel-data/batches/{batch['id']}"
    await jobs.drain()

    done = (await pm.get(f"{API}/channel-data/batches/{batch['id']}")).json()
    assert done["status"] == "done"
    assert done["written"] == 4
    assert done["flagged"] == 0
    campaign = await session.scalar(select(AdCampaign))
    assert campaign is not None
    assert campaign.name == "双十一短视频"
    assert str(campaign.channel_id) == channels["douyin"]
    creatives = {c.external_id: c.name for c in (await session.scalars(select(Creative))).all()}
    assert creatives == {"v1": "开箱视频", "v2": None}
    days = await daily(session)
    assert [(d.day.isoformat(), d.impressions, d.clicks, d.spend, d.records) for d in days] == [
        ("2026-11-20", 17_000, 200, Decimal("450.75"), 3),
        ("2026-11-21", 10_000, 150, Decimal("300.50"), 1),
    ]
    rows = (
        await pm.get(
            f"{API}/campaigns/{campaign.id}/records",
            params={"from": "2026-11-20", "to": "2026-11-21"},
        )
    ).json()
    assert [(x["day"], x["hour"], x["creative"]) for x in rows] == [
        ("2026-11-20", 9, "v1"),
        ("2026-11-20", 10, "v1"),
        ("2026-11-20", 10, "v2"),
        ("2026-11-21", None, ""),
    ]


async def test_the_same_batch_twice_and_a_correction_leave_one_row_with_the_latest_values(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue
) -> None:
    await with_channels(await api(Role.ADMIN))
    pm = await api(Role.PROJECT_MANAGER)
    for _ in range(2):
        assert (await send(pm, [record()])).status_code == 202
        await jobs.drain()
    assert await count(session, MetricRecord) == 1
    assert (await daily(session))[0].impressions == 10_000
    # A correction: the platform recounted the day.
    assert (await send(pm, [record(impressions=9_000, spend="280")])).status_code == 202
    await jobs.drain()  # (tests share one connection: one job at a time)
    # Within one batch, the last record for a key wins.
    assert (
        await send(pm, [record(date="2026-11-22", clicks=1), record(date="2026-11-22", clicks=2)])
    ).status_code == 202
    await jobs.drain()
    assert await count(session, MetricRecord) == 2
    days = await daily(session)
    assert [(d.impressions, d.spend, d.clicks) for d in days] == [
        (9_000, Decimal("280.00"), 150),
        (10_000, Decimal("300.50"), 2),
    ]
    assert await count(session, IngestBatch) == 4


async def test_contradicting_counts_are_kept_with_a_quality_flag(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue
) -> None:
    await with_channels(await api(Role.ADMIN))
    pm = await api(Role.PROJECT_MANAGER)
    r = await send(pm, [record(impressions=100, clicks=150), record(date="2026-11-21")])
    assert r.status_code == 202, r.text
    await jobs.drain()
    batch = (await pm.get(f"{API}/channel-data/batches/{r.json()['id']}")).json()
    assert batch["flagged"] == 1
    campaign = await session.scalar(select(AdCampaign))
    assert campaign is not None
    rows = (
        await pm.get(
            f"{API}/campaigns/{campaign.id}/records",
            params={"from": "2026-11-20", "to": "2026-11-21"},
        )
    ).json()
    assert [x["quality"] for x in rows] == [["clicks_over_impressions"], []]


async def test_a_bad_batch_is_refused_whole_and_writes_nothing(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue
) -> None:
    await with_channels(await api(Role.ADMIN))
    pm = await api(Role.PROJECT_MANAGER)
    cases = [
        ([record(channel="myspace")], "records[0].channel"),
        ([record(), record(campaign="c-200", campaign_name=None)], "records[1].campaign_name"),
        ([record(clicks=-1)], "records[0].clicks"),
        ([record(impressions=10**16)], "records[0].impressions"),
        ([record(spend="1e30")], "records[0].spend"),
        ([record(spend=1.5)], "records[0].spend"),
        ([record(campaign="c\x00")], "records[0].campaign"),
        ([record(date=1_700_000_000)], "records[0].date"),
        ([record(date="2026-02-30")], "records[0].date"),
        ([record(hour=24)], "records[0].hour"),
        ([record(currency="USD")], "records[0].currency"),
        ([record(bogus=1)], "records[0].bogus"),
        ([], "records"),
    ]
    for records, field in cases:
        body = problem(await send(pm, records), 422, "validation-failed")
        assert field in fields_of(body), (field, body)
    # Checked by pydantic-core alone, the errors are still the ones every other body gives, in
    # Chinese: a NUL anywhere (a custom metric's name too), a number for a day, a huge count.
    hostile = [record(campaign="c\x00", custom={"赞\x00": 1}, date=1_700_000_000, impressions=1e30)]
    zh = await pm.post(
        f"{API}/channel-data", json={"records": hostile}, headers={"accept-language": "zh-CN"}
    )
    errors = problem(zh, 422, "validation-failed")["errors"]
    assert {(e["field"], e["type"], e["message"]) for e in errors} == {
        ("records[0].campaign", "value_not_nul", "不能包含空字符（NUL）"),
        ("records[0].custom.赞\x00.[key]", "value_not_nul", "不能包含空字符（NUL）"),
        ("records[0].date", "date_type", "应为 ISO 日期字符串，如 2026-11-30"),
        ("records[0].impressions", "int_parsing_size", "数字过大，无法作为整数处理"),
    }
    problem(
        await pm.post(
            f"{API}/channel-data",
            content=b'{"records": [',
            headers={"content-type": "application/json"},
        ),
        400,
        "malformed-body",
    )
    too_many = [record(date="2026-11-20", hour=None)] * 10_001
    body = problem(await send(pm, too_many), 413, "payload-too-large")
    assert body["limit"] == 10_000
    await jobs.drain()
    assert await count(session, IngestBatch) == 0
    assert await count(session, AdCampaign) == 0
    assert await count(session, MetricRecord) == 0


async def test_who_may_send_and_see_and_other_organisations(
    api: ApiFactory,
    session: AsyncSession,
    jobs: InProcessQueue,
    org: OrgWithMembers,
    other_org: OrgWithMembers,
) -> None:
    await with_channels(await api(Role.ADMIN))
    member = await api(Role.MEMBER)
    problem(await send(member, [record()]), 403, "forbidden")
    pm = await api(Role.PROJECT_MANAGER)
    sent = (await send(pm, [record()])).json()
    await jobs.drain()
    assert (await member.get(f"{API}/channel-data/batches/{sent['id']}")).status_code == 200

    stranger_admin = await api(Role.ADMIN, other_org)
    await with_channels(stranger_admin)
    problem(await stranger_admin.get(f"{API}/channel-data/batches/{sent['id']}"), 404, "not-found")
    theirs = await stranger_admin.post(
        f"{API}/data-sources", json={"name": "他们的接口", "kind": "api"}
    )
    assert theirs.status_code == 201, theirs.text
    problem(await send(pm, [record()], source_id=theirs.json()["id"]), 404, "not-found")
    listed = (await stranger_admin.get(f"{API}/channel-data/batches")).json()
    assert listed["total"] == 0
    campaign = await session.scalar(select(AdCampaign))
    assert campaign is not None
    problem(await stranger_admin.get(f"{API}/campaigns/{campaign.id}"), 404, "not-found")


async def test_a_source_sets_the_channel_and_converts_its_currency(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue
) -> None:
    admin = await api(Role.ADMIN)
    channels = await with_channels(admin)
    source = await admin.post(
        f"{API}/data-sources",
        json={
            "name": "Meta 美元账户",
            "kind": "api",
            "channel_id": channels["meta"],
            "currency": "USD",
            "rate": "7.1234",
        },
    )
    assert source.status_code == 201, source.text
    r = await send(
        admin,
        [record(channel=None, spend="100.00", revenue="10.01", currency="USD")],
        source_id=source.json()["id"],
    )
    assert r.status_code == 202, r.text
    await jobs.drain()
    # The organisation's currency is not the source's.
    body = problem(
        await send(admin, [record(channel=None, currency="CNY")], source_id=source.json()["id"]),
        422,
        "validation-failed",
    )
    assert fields_of(body) == ["records[0].currency"]
    await jobs.drain()
    day = (await daily(session))[0]
    assert (day.spend, day.revenue) == (Decimal("712.34"), Decimal("71.31"))
    assert str(day.channel_id) == channels["meta"]
    # A source with no channel needs records that name one.
    plain = await admin.post(f"{API}/data-sources", json={"name": "通用接口", "kind": "api"})
    body = problem(
        await send(admin, [record(channel=None)], source_id=plain.json()["id"]),
        422,
        "validation-failed",
    )
    assert fields_of(body) == ["records[0].channel"]


async def test_the_daily_rollup_equals_the_records_whatever_the_batches_spans(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue
) -> None:
    """A batch's campaigns over the same days (one rectangle, recomputed as one) and a batch
    scattered over far-apart days (each campaign's own span) leave the rollup equal to the
    sums of the records, day by day, including days a batch did not touch."""
    from collections import defaultdict

    admin = await api(Role.ADMIN)
    await with_channels(admin)

    def rows(campaign: str, days: list[str], impressions: int) -> list[dict[str, object]]:
        return [
            record(campaign=campaign, campaign_name=f"计划 {campaign}", date=d, impressions=i)
            for i, d in enumerate(days, start=impressions)
        ]

    march = [f"2026-03-{d:02d}" for d in range(1, 11)]
    batches = [
        rows("r-1", march, 1000) + rows("r-2", march, 2000),  # a rectangle
        rows("r-1", ["2026-03-04"], 7000) + rows("r-2", ["2026-10-30"], 9000),  # scattered
        rows("r-1", march[2:5], 5000) + rows("r-2", march[:2], 3000),  # near a rectangle
    ]
    for batch in batches:
        assert (await send(admin, batch)).status_code == 202
        await jobs.drain()

    expected: dict[tuple[object, object], int] = defaultdict(int)
    for r in (await session.scalars(select(MetricRecord))).all():
        expected[(r.campaign_id, r.day)] += r.impressions
    rolled = {
        (d.campaign_id, d.day): d.impressions
        for d in (await session.scalars(select(MetricDaily))).all()
    }
    assert rolled == dict(expected)
    assert len(rolled) == 21  # 10 + 10 days of March, and one day of October
    by_channel: dict[tuple[object, object], int] = defaultdict(int)
    for d in (await session.scalars(select(MetricDaily))).all():
        by_channel[(d.channel_id, d.day)] += d.impressions
    channel_days = {
        (c.channel_id, c.day): c.impressions
        for c in (await session.scalars(select(MetricChannelDaily))).all()
    }
    assert channel_days == dict(by_channel)


async def test_a_batch_waits_as_staged_rows_one_per_key_until_written(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue
) -> None:
    """Accepted, a batch is its rows (one per key, the later record winning but keeping a name
    an earlier one gave); written, the rows are gone from the staging table."""
    await with_channels(await api(Role.ADMIN))
    pm = await api(Role.PROJECT_MANAGER)
    records = [
        record(campaign="c-new", campaign_name="新品首发", clicks=1),
        record(campaign="c-new", campaign_name=None, clicks=2),
        record(campaign="c-new", campaign_name=None, date="2026-11-21", clicks=1, impressions=0),
    ]
    r = await send(pm, records)
    assert r.status_code == 202, r.text
    staged = (await session.execute(select(IngestRow).order_by(IngestRow.seq))).scalars().all()
    assert [(s.seq, s.campaign_name, s.clicks, s.quality) for s in staged] == [
        (0, "新品首发", 2, None),
        (1, None, 1, "clicks_over_impressions"),
    ]
    assert r.json()["flagged"] == 1
    await jobs.drain()
    done = (await pm.get(f"{API}/channel-data/batches/{r.json()['id']}")).json()
    assert (done["status"], done["written"], done["record_count"]) == ("done", 2, 3)
    campaign = await session.scalar(select(AdCampaign))
    assert campaign is not None
    assert campaign.name == "新品首发"
    assert await count(session, IngestRow) == 0
    assert await count(session, MetricRecord) == 2


async def test_a_batch_whose_channel_was_deleted_before_the_job_fails_and_writes_nothing(
    api: ApiFactory, session: AsyncSession
) -> None:
    """Accepted (a new campaign on 微博), then the channel deleted — as DELETE /channels/{id}
    may, no campaign using it yet — before the job writes the batch: it fails, says why in
    the organisation's language, and writes nothing."""
    admin = await api(Role.ADMIN)
    org_id, channels = await channels_org(admin, session)
    weibo = uuid.UUID(channels["weibo"])
    checked = MetricRecordIn.model_validate(
        record(channel="weibo", campaign="w-1", campaign_name="微博话题")
    )
    batch = await ingest.accept(session, org_id, [checked], via=SourceKind.API)
    await session.execute(delete(Channel).where(Channel.id == weibo))
    await session.commit()  # (its job is left in the outbox: run by hand below)
    assert await ingest.process(session, batch.id) == 0
    await session.commit()
    failed = (await admin.get(f"{API}/channel-data/batches/{batch.id}")).json()
    assert failed["status"] == "failed"
    assert failed["error"] == "该批次中有 1 个渠道在接收后被删除。"
    assert await count(session, MetricRecord) == 0
    assert await count(session, AdCampaign) == 0
    assert await count(session, IngestRow) == 0


async def test_a_job_writes_its_batch_with_the_other_pending_ones_in_order(
    api: ApiFactory, session: AsyncSession
) -> None:
    """Small deliveries waiting together are written by the first job that runs: each batch
    in its turn (a key in two batches ends with the later one's values, each batch counts its
    own rows), one rollup refresh, one round of follow-up jobs; a batch whose channel went
    fails alone. The other batches' jobs then find them done."""
    admin = await api(Role.ADMIN)
    org_id, channels = await channels_org(admin, session)
    weibo = uuid.UUID(channels["weibo"])

    def checked(**fields: object) -> MetricRecordIn:
        return MetricRecordIn.model_validate(record(**{"date": "2026-11-01", **fields}))

    first = await ingest.accept(
        session,
        org_id,
        [checked(campaign="c-1", campaign_name="第一版", impressions=100, clicks=1)],
        via=SourceKind.API,
    )
    second = await ingest.accept(
        session,
        org_id,
        [
            checked(campaign="c-1", campaign_name="第二版", impressions=200, clicks=2),
            checked(campaign="c-2", campaign_name="新计划", date="2026-11-02", impressions=7),
            checked(campaign="c-2", campaign_name=None, creative="v-1", impressions=3),
        ],
        via=SourceKind.API,
    )
    gone = await ingest.accept(
        session,
        org_id,
        [checked(channel="weibo", campaign="w-1", campaign_name="微博话题")],
        via=SourceKind.API,
    )
    await session.execute(delete(Channel).where(Channel.id == weibo))
    await session.execute(delete(OutboxJob))  # run by hand below, as a worker would
    await session.commit()

    assert await ingest.process(session, second.id) == 4  # 1 of the first's + 3 of its own
    await session.commit()
    batches = {b.id: b for b in (await session.scalars(select(IngestBatch))).all()}
    assert (batches[first.id].status, batches[first.id].written) == ("done", 1)
    assert (batches[second.id].status, batches[second.id].written) == ("done", 3)
    assert batches[gone.id].status == "failed"
    assert batches[gone.id].error == "该批次中有 1 个渠道在接收后被删除。"
    assert await ingest.process(session, first.id) == 0  # its own job: already written
    assert await ingest.process(session, gone.id) == 0

    by_campaign = {c.external_id: c for c in (await session.scalars(select(AdCampaign))).all()}
    assert by_campaign["c-1"].name == "第二版"  # the later batch's name
    assert by_campaign["c-2"].name == "新计划"
    assert "w-1" not in by_campaign
    c1_day = await session.scalar(
        select(MetricDaily).where(MetricDaily.campaign_id == by_campaign["c-1"].id)
    )
    assert c1_day is not None
    assert (c1_day.impressions, c1_day.clicks) == (200, 2)  # the later delivery wins
    assert await count(session, MetricRecord) == 3  # c-1 once: the second replaced it
    assert await count(session, Creative) == 1
    assert await count(session, IngestRow) == 0
    follow_ups = sorted(j.name for j in (await session.scalars(select(OutboxJob))).all())
    assert follow_ups == [
        "alerts.evaluate_org",
        "channels.refresh_kpis",
        "finance.sync_ad_spend",
    ]


async def test_batches_arriving_while_their_job_waits_share_it(
    api: ApiFactory, session: AsyncSession
) -> None:
    """On PostgreSQL an organisation has one waiting ingest job however many batches arrive
    meanwhile (SQLite queues one each); that job writes them all."""
    admin = await api(Role.ADMIN)
    org_id, _channels = await channels_org(admin, session)
    batches = []
    for hour in range(3):
        checked = MetricRecordIn.model_validate(record(hour=hour))
        batches.append(await ingest.accept(session, org_id, [checked], via=SourceKind.API))
        await session.commit()  # each its own request (the jobs are run by hand below)
    jobs = (
        await session.scalars(select(OutboxJob).where(OutboxJob.name == ingest.PROCESS_JOB))
    ).all()
    postgres = session.get_bind().dialect.name == "postgresql"
    assert len(jobs) == (1 if postgres else 3)
    assert {j.kwargs["org_id"] for j in jobs} == {str(org_id)}
    assert await ingest.process_org(session, org_id) == 3
    await session.commit()
    statuses = (await session.scalars(select(IngestBatch.status))).all()
    assert statuses == ["done"] * 3
    assert await ingest.process_org(session, org_id) == 0  # nothing left for the others


async def test_a_small_batchs_job_waits_for_others_to_join_it_a_large_ones_starts_at_once(
    api: ApiFactory, session: AsyncSession
) -> None:
    """A batch of fewer than `GATHER_BELOW` records (a webhook's delivery) queues its job to
    start `GATHER` after the commit, so deliveries arriving meanwhile are written with it; a
    batch of that many records or more is worth a job of its own at once."""
    admin = await api(Role.ADMIN)
    org_id, _channels = await channels_org(admin, session)
    small = [MetricRecordIn.model_validate(record(hour=1))]
    large = [
        MetricRecordIn.model_validate(record(campaign=f"c-{i}")) for i in range(ingest.GATHER_BELOW)
    ]
    starts = []
    for records in (small, large):
        batch = await ingest.accept(session, org_id, records, via=SourceKind.API)
        await session.commit()
        job = await session.scalar(
            select(OutboxJob).where(
                OutboxJob.name == ingest.PROCESS_JOB, OutboxJob.status == "pending"
            )
        )
        assert job is not None
        starts.append((batch.received_at, job.run_after))
        job.status = "done"  # run: the next batch queues a job of its own
        await session.commit()
    (received, run_after), (_, at_once) = starts
    assert run_after is not None
    assert abs((run_after - received) - ingest.GATHER).total_seconds() < 0.5
    assert at_once is None


async def test_every_value_of_a_small_batch_arrives_as_sent(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue
) -> None:
    """A small batch and its rows are stored in one statement on PostgreSQL (an array per
    column): names with quotes, Chinese and commas, custom metrics, an hour, money."""
    await with_channels(await api(Role.ADMIN))
    pm = await api(Role.PROJECT_MANAGER)
    sent = record(
        hour=7,
        campaign='c-"1",{2}',
        campaign_name="双十一 '预热', {A}",
        creative="v'1",
        creative_name='封面 "A"',
        custom={"点赞": 12, "shares": "3.5"},
        spend="12.34",
        leads=3,
    )
    r = await send(pm, [sent])
    assert r.status_code == 202, r.text
    await jobs.drain()
    row = await session.scalar(select(MetricRecord))
    assert row is not None
    campaign = await session.get(AdCampaign, row.campaign_id)
    creative = await session.scalar(select(Creative))
    assert campaign is not None
    assert creative is not None
    assert (campaign.external_id, campaign.name) == ('c-"1",{2}', "双十一 '预热', {A}")
    assert (creative.external_id, creative.name) == ("v'1", '封面 "A"')
    assert (row.hour, row.impressions, row.clicks, row.leads) == (7, 10_000, 150, 3)
    assert row.spend == Decimal("12.34")
    assert row.custom == {"点赞": "12", "shares": "3.5"}  # exact decimals, as text


async def test_a_job_finding_another_writing_leaves_its_batches_to_the_next(
    api: ApiFactory, session: AsyncSession, db_kind: str
) -> None:
    """On PostgreSQL an organisation's batches are written by one job at a time: a job that
    finds another writing does not wait (its claimed row would make each delivery arriving
    meanwhile queue a job of its own) — it queues the next, a second out, and ends. SQLite
    serialises writers anyway."""
    admin = await api(Role.ADMIN)
    org_id, _channels = await channels_org(admin, session)
    checked = MetricRecordIn.model_validate(record(hour=5))
    await ingest.accept(session, org_id, [checked], via=SourceKind.API)
    await session.commit()
    await session.execute(delete(OutboxJob))
    if db_kind == "postgres":
        other = await asyncpg.connect(TEST_DATABASE_URL.replace("+asyncpg", ""))
        try:
            async with other.transaction():
                await other.execute(
                    "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"ingest:{org_id}"
                )
                assert await ingest.process_org(session, org_id) == 0
            await session.commit()
        finally:
            await other.close()
        [job] = (await session.scalars(select(OutboxJob))).all()
        assert job.name == ingest.PROCESS_JOB
        assert job.kwargs == {"org_id": str(org_id)}
        assert job.run_after is not None
        assert (await session.scalars(select(IngestBatch.status))).all() == ["pending"]
    assert await ingest.process_org(session, org_id) == 1
    await session.commit()
    assert (await session.scalars(select(IngestBatch.status))).all() == ["done"]


async def test_a_source_deleted_as_its_delivery_is_stored_is_a_conflict_not_a_crash(
    api: ApiFactory, session: AsyncSession
) -> None:
    """The batch and its rows go in on the driver (PostgreSQL) or through SQLAlchemy
    (SQLite): a foreign key refused either way is SQLAlchemy's IntegrityError, which the API
    answers 409 — as when a source is deleted between a delivery's lookup and its store."""
    from datetime import UTC, datetime

    from sqlalchemy.exc import IntegrityError

    from mems.channels import repository as repo
    from mems.channels.models import BatchStatus
    from mems.core.errors import integrity_kind

    admin = await api(Role.ADMIN)
    org_id, channels = await channels_org(admin, session)
    batch_id = uuid.uuid4()
    batch = IngestBatch(
        id=batch_id,
        org_id=org_id,
        source_id=uuid.uuid4(),  # no such source (any more)
        via=SourceKind.WEBHOOK,
        status=BatchStatus.PENDING,
        record_count=1,
        written=0,
        flagged=0,
        dedup_key="d-1",
        received_at=datetime.now(UTC),
    )
    row = (batch_id, 0, uuid.UUID(channels["douyin"]), "c-1", None, "计划", "", None)
    row += (date(2026, 11, 1), -1, 10, 1, 0, 0, 0, Decimal("1.00"), Decimal("0"), None, None)
    with pytest.raises(IntegrityError) as refused:
        await repo.store_batch(session, batch, [row])
    assert integrity_kind(refused.value)[0] == "foreign_key"
    await session.rollback()
