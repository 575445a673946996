"""The channel dashboard: totals and ratios from sums (never averaged ratios), the period
before, channels against their benchmarks and in quadrants, top campaigns, a trend with every
day; filtered by channel or project; equal to the same aggregate over the raw records."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.channels import dashboard as board
from mems.channels import rollups
from mems.channels.models import AdCampaign, MetricDaily, MetricRecord
from mems.core.db import SessionReader
from mems.core.jobs import InProcessQueue
from mems.core.tenancy import in_tenant
from mems.identity.permissions import Role
from tests.channels.helpers import record, send, with_channels
from tests.checkins.helpers import API, problem
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.finance.test_costs_api import budgeted_project

START = date(2026, 11, 1)


def days(n: int, **fields: Any) -> list[dict[str, Any]]:
    return [record(date=(START + timedelta(days=i)).isoformat(), **fields) for i in range(n)]


async def test_totals_channels_quadrants_trend_and_filters(
    api: ApiFactory,
    session: AsyncSession,
    jobs: InProcessQueue,
    org: OrgWithMembers,
    other_org: OrgWithMembers,
) -> None:
    admin = await api(Role.ADMIN)
    channels = await with_channels(admin)
    big_and_weak = days(
        10,
        channel="douyin",
        campaign="d-1",
        campaign_name="抖音大盘",
        impressions=100_000,
        clicks=1_000,
        spend="1000",
        revenue="1500",
        conversions=10,
    )
    small_and_strong = days(
        10,
        channel="xiaohongshu",
        campaign="x-1",
        campaign_name="小红书种草",
        impressions=1_000,
        clicks=100,
        spend="100",
        revenue="600",
        conversions=5,
    )
    # One uneven day: a ratio of sums is not the average of the days' ratios.
    uneven = [
        record(
            date="2026-11-11",
            channel="xiaohongshu",
            campaign="x-1",
            impressions=9_000,
            clicks=90,
            spend="0",
            revenue="0",
        )
    ]
    earlier = days(1, channel="douyin", campaign="d-1", impressions=5, clicks=1, spend="7")
    earlier[0]["date"] = "2026-10-31"
    for batch in (big_and_weak, small_and_strong, uneven, earlier):
        assert (await send(admin, batch)).status_code == 202
        await jobs.drain()
    viewer = await api(Role.VIEWER)
    r = await viewer.get(
        f"{API}/channel-dashboard", params={"from": "2026-11-01", "to": "2026-11-12"}
    )
    assert r.status_code == 200, r.text
    dash = r.json()
    assert (dash["from"], dash["to"], dash["currency"], dash["industry"]) == (
        "2026-11-01",
        "2026-11-12",
        "CNY",
        "general",
    )
    totals = dash["totals"]
    assert (totals["impressions"], totals["clicks"], Decimal(totals["spend"])) == (
        1_019_000,
        11_090,
        Decimal("11000.00"),
    )
    assert Decimal(totals["ctr"]) == (Decimal(11_090) / Decimal(1_019_000)).quantize(
        Decimal("0.000001")
    )
    assert Decimal(totals["roas"]) == (Decimal(21_000) / Decimal(11_000)).quantize(
        Decimal("0.000001")
    )
    assert dash["previous"]["impressions"] == 5  # Oct 20 … Oct 31 holds the one earlier day
    by_key = {c["name"]: c for c in dash["channels"]}
    assert [c["name"] for c in dash["channels"]] == ["抖音", "小红书"]  # by spend
    assert by_key["抖音"]["quadrant"] == "inefficient"  # most of the money, ROAS 1.5 < 1.91
    assert by_key["小红书"]["quadrant"] == "potential"  # little money, ROAS 6
    assert dash["basis"] == "roas"
    assert Decimal(by_key["抖音"]["benchmarks"]["ctr"]) == Decimal("0.015")
    xhs = by_key["小红书"]["figures"]
    assert Decimal(xhs["ctr"]) == (Decimal(1_090) / Decimal(19_000)).quantize(Decimal("0.000001"))
    assert len(dash["trend"]) == 12
    assert dash["trend"][-1]["figures"]["impressions"] == 0  # the 12th: nothing, still a day
    assert dash["trend"][10]["figures"]["impressions"] == 9_000
    assert {len(t["points"]) for t in dash["channel_trend"]} == {10, 11}
    assert [c["name"] for c in dash["campaigns"]] == ["抖音大盘", "小红书种草"]
    # Equal to the same aggregate over the raw records.
    raw = (
        await session.execute(
            select(func.sum(MetricRecord.impressions), func.sum(MetricRecord.spend)).where(
                MetricRecord.day >= date(2026, 11, 1), MetricRecord.day <= date(2026, 11, 12)
            )
        )
    ).one()
    assert (totals["impressions"], Decimal(totals["spend"])) == (raw[0], raw[1])

    # One channel; one project's campaigns.
    one = (
        await viewer.get(
            f"{API}/channel-dashboard",
            params={
                "from": "2026-11-01",
                "to": "2026-11-12",
                "channel_id": channels["xiaohongshu"],
            },
        )
    ).json()
    assert one["totals"]["impressions"] == 19_000
    project, *_ = await budgeted_project(session, org)
    pm = await api(Role.PROJECT_MANAGER)
    campaign = next(
        c for c in (await pm.get(f"{API}/campaigns")).json()["items"] if c["external_id"] == "x-1"
    )
    r = await pm.patch(
        f"{API}/campaigns/{campaign['id']}",
        json={"project_id": str(project.id), "version": campaign["version"]},
    )
    assert r.status_code == 200, r.text
    await jobs.drain()
    mine = (
        await pm.get(
            f"{API}/channel-dashboard",
            params={"from": "2026-11-01", "to": "2026-11-12", "project_id": str(project.id)},
        )
    ).json()
    assert mine["totals"]["impressions"] == 19_000
    assert [c["name"] for c in mine["channels"]] == ["小红书"]
    # Bad ranges; another organisation's channel.
    for params in (
        {"from": "2026-11-12", "to": "2026-11-01"},
        {"from": "2025-01-01", "to": "2026-11-01"},
        {"from": "0001-01-01", "to": "0001-01-07"},  # no days before it to compare with
        {"from": "0001-01-01", "to": "0001-01-01"},
    ):
        problem(
            await viewer.get(f"{API}/channel-dashboard", params=params), 422, "validation-failed"
        )
    # The earliest ranges that have their days before, and the latest days: empty, not errors.
    for params in (
        {"from": "0001-01-02", "to": "0001-01-02"},
        {"from": "0001-01-08", "to": "0001-01-14"},
        {"from": "9999-12-25", "to": "9999-12-31"},
    ):
        r = await viewer.get(f"{API}/channel-dashboard", params=params)
        assert r.status_code == 200, r.text
        assert r.json()["totals"]["impressions"] == 0
    for unknown in ("channel_id", "project_id"):
        problem(
            await viewer.get(
                f"{API}/channel-dashboard",
                params={"from": "2026-11-01", "to": "2026-11-02", unknown: str(uuid.uuid4())},
            ),
            404,
            "not-found",
        )
    # Another organisation's project, and its channel, are as unknown as made-up ids.
    theirs, *_ = await budgeted_project(session, other_org)
    stranger_channels = await with_channels(await api(Role.ADMIN, other_org))
    for params in (
        {"project_id": str(theirs.id)},
        {"channel_id": stranger_channels["douyin"]},
        {"project_id": str(project.id), "channel_id": stranger_channels["douyin"]},
    ):
        problem(
            await pm.get(
                f"{API}/channel-dashboard",
                params={"from": "2026-11-01", "to": "2026-11-12", **params},
            ),
            404,
            "not-found",
        )


def test_quadrants_fall_back_to_ctr_against_the_benchmark_without_revenue() -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    sums = {
        a: {"spend": Decimal(900), "impressions": Decimal(100_000), "clicks": Decimal(500)},
        b: {"spend": Decimal(100), "impressions": Decimal(1_000), "clicks": Decimal(30)},
        c: {"spend": Decimal(0), "impressions": Decimal(10), "clicks": Decimal(1)},
    }
    basis, placed = board.quadrants(sums, {a: Decimal("0.01"), b: Decimal("0.015"), c: None})
    assert basis == board.Basis.CTR
    assert placed[a].quadrant == board.Quadrant.INEFFICIENT  # 0.5 % against 1 %
    assert placed[b].quadrant == board.Quadrant.POTENTIAL  # 3 % against 1.5 %
    assert placed[c].quadrant == board.Quadrant.NO_SPEND
    assert placed[a].share == Decimal("0.9000")
    assert placed[b].efficiency == Decimal("2.0000")


async def test_top_campaigns_from_running_totals_equal_the_records_for_any_range(
    api: ApiFactory,
    session: AsyncSession,
    jobs: InProcessQueue,
    org: OrgWithMembers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The campaigns are ranked by their running totals (two rows each, whatever the range):
    after batches arriving out of order, a backfill before the first day and corrections, every
    campaign-day's running totals are its days' sums so far, and the top campaigns of any range
    — their order, their sums — are those of the raw records. A campaign without a row in the
    range is not listed, however much it spent before."""
    admin = await api(Role.ADMIN)
    await with_channels(admin)
    rng = random.Random(11)
    values: dict[tuple[str, int], tuple[int, Decimal]] = {}
    batches: list[list[dict[str, Any]]] = []
    for _round in range(4):  # each round: random campaign-days, later rounds correcting some
        batch = []
        for _ in range(40):
            key = (f"c-{rng.randrange(12)}", rng.randrange(24))
            impressions, spend = rng.randrange(0, 5_000), Decimal(rng.randrange(0, 9_000)) / 100
            if rng.random() < 0.1:
                spend = Decimal(0)  # ties on spend: impressions, then id decide
            values[key] = (impressions, spend)
            batch.append(
                record(
                    campaign=key[0],
                    date=(START + timedelta(days=key[1])).isoformat(),
                    impressions=impressions,
                    clicks=0,
                    conversions=0,
                    spend=str(spend),
                    revenue="0",
                )
            )
        batches.append(batch)
    for batch in batches:
        by_key = {(r["campaign"], r["date"]): r for r in batch}  # one record per key a batch
        assert (await send(admin, list(by_key.values()))).status_code == 202
        await jobs.drain()

    rows = (
        await session.execute(
            select(
                MetricDaily.campaign_id,
                MetricDaily.day,
                MetricDaily.spend,
                MetricDaily.impressions,
                MetricDaily.spend_to_date,
                MetricDaily.impressions_to_date,
            ).order_by(MetricDaily.campaign_id, MetricDaily.day)
        )
    ).all()
    assert len(rows) == len(values)
    running: dict[uuid.UUID, tuple[int, Decimal]] = {}
    for r in rows:
        impressions, spend = running.get(r.campaign_id, (0, Decimal(0)))
        running[r.campaign_id] = (impressions + r.impressions, spend + r.spend)
        assert (int(r.impressions_to_date), Decimal(r.spend_to_date)) == running[r.campaign_id]

    ids = {
        c.external_id: c.id
        for c in (await session.execute(select(AdCampaign).where(AdCampaign.org_id == org.org.id)))
        .scalars()
        .all()
    }
    in_tenant(session, org.org.id)
    cut = False  # some range has more campaigns than are listed
    every = rollups.MAX_LISTED_CAMPAIGNS
    for first, last in ((0, 23), (3, 9), (10, 10), (20, 23), (5, 17)):
        sums: dict[str, tuple[Decimal, int]] = {}
        for (campaign, day), (impressions, spend) in values.items():
            if first <= day <= last:
                s, i = sums.get(campaign, (Decimal(0), 0))
                sums[campaign] = (s + spend, i + impressions)
        ranked = sorted(sums, key=lambda c: (-sums[c][0], -sums[c][1], ids[c]))
        for listed in (every, 5):  # all of them; the first five
            monkeypatch.setattr(rollups, "MAX_LISTED_CAMPAIGNS", listed)
            read = await rollups.dashboard_reads(
                SessionReader(session),
                org.org.id,
                START + timedelta(days=first),
                START + timedelta(days=first),
                START + timedelta(days=last),
            )
            got, expected = read.campaigns, ranked[:listed]
            assert [ids[c] for c in expected] == [t["campaign_id"] for t in got], (first, last)
            assert [(sums[c][0], sums[c][1]) for c in expected] == [
                (t["spend"], t["impressions"]) for t in got
            ]
            cut |= len(sums) > listed
    assert cut


async def test_the_dashboard_compares_with_the_organisations_industry_and_own_cells(
    api: ApiFactory, jobs: InProcessQueue
) -> None:
    """The benchmarks in force: the organisation's industry's shipped grid with its own cells
    over it (a cell of another industry is not in force); an organisation with no channel yet
    still gets its currency and industry."""
    from mems.channels.benchmarks import shipped_grid
    from mems.channels.models import ChannelKind

    admin = await api(Role.ADMIN)
    empty = (await admin.get(f"{API}/channel-dashboard?from=2026-11-01&to=2026-11-07")).json()
    assert (empty["currency"], empty["industry"], empty["channels"]) == ("CNY", "general", [])
    await with_channels(admin)
    director = await api(Role.DIRECTOR)
    changed = await director.put(
        f"{API}/channel-settings", json={"industry": "beauty", "revision": 0}
    )
    assert changed.status_code == 200, changed.text
    for industry, value in (("beauty", "0.0042"), ("general", "0.0099")):
        body = {
            "industry": industry,
            "items": [{"channel_kind": "short_video", "metric": "ctr", "value": value}],
        }
        assert (await director.put(f"{API}/benchmarks", json=body)).status_code == 200
    assert (await send(admin, days(3, channel="douyin"))).status_code == 202
    await jobs.drain()
    dash = (await admin.get(f"{API}/channel-dashboard?from=2026-11-01&to=2026-11-07")).json()
    assert (dash["currency"], dash["industry"]) == ("CNY", "beauty")
    [douyin] = dash["channels"]
    assert Decimal(douyin["benchmarks"]["ctr"]) == Decimal("0.0042")  # its own beauty cell
    shipped_cvr = shipped_grid("beauty")[(ChannelKind.SHORT_VIDEO, "cvr")]
    assert Decimal(douyin["benchmarks"]["cvr"]) == shipped_cvr
