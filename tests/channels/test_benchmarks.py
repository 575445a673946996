"""Industry benchmarks: a shipped grid for every industry, an organisation's own cells over it
(set, imported, reset), its industry as a setting — and relative alert rules follow both."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from mems.channels.benchmarks import INDUSTRIES, METRICS, shipped
from mems.channels.models import ChannelKind
from mems.core.jobs import InProcessQueue
from mems.identity.permissions import Role
from tests.channels.helpers import record, send, with_channels
from tests.checkins.helpers import API, fields_of, org_today, problem
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers


def cell(grid: dict, kind: str, metric: str) -> dict:
    return next(i for i in grid["items"] if i["channel_kind"] == kind and i["metric"] == metric)


def test_the_shipped_grid_is_complete_positive_and_consistent() -> None:
    for industry in INDUSTRIES:
        for kind in ChannelKind:
            values = {m: shipped(industry, kind, m) for m in METRICS}
            assert all(v is not None and v > 0 for v in values.values()), (industry, kind)
            # CPM = CPC × CTR × 1000 and CPA = CPC ÷ CVR, to the stored precision.
            ctr, cvr, cpc, cpm, cpa = (values[m] for m in ("ctr", "cvr", "cpc", "cpm", "cpa"))
            assert abs(cpm - cpc * ctr * 1000) < Decimal("0.00001")  # type: ignore[operator]
            assert abs(cpa - cpc / cvr) < Decimal("0.00001")  # type: ignore[operator]
    assert shipped("unknown", ChannelKind.FEED, "ctr") is None


async def test_set_import_reset_and_the_industry_setting(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue, org: OrgWithMembers
) -> None:
    viewer = await api(Role.VIEWER)
    grid = (await viewer.get(f"{API}/benchmarks")).json()
    assert grid["industry"] == grid["org_industry"] == "general"
    assert len(grid["items"]) == len(ChannelKind) * len(METRICS)
    assert Decimal(cell(grid, "short_video", "ctr")["value"]) == Decimal("0.015")
    director = await api(Role.DIRECTOR)
    body = {
        "industry": "general",
        "items": [
            {"channel_kind": "short_video", "metric": "ctr", "value": "0.004"},
            {"channel_kind": "search", "metric": "cpc", "value": "4.5"},
        ],
    }
    problem(await viewer.put(f"{API}/benchmarks", json=body), 403, "forbidden")
    r = await director.put(f"{API}/benchmarks", json=body)
    assert r.status_code == 200, r.text
    ctr = cell(r.json(), "short_video", "ctr")
    assert (Decimal(ctr["value"]), Decimal(ctr["shipped"]), ctr["overridden"]) == (
        Decimal("0.004"),
        Decimal("0.015"),
        True,
    )
    for bad, field in (
        ({**body, "industry": "mining"}, "industry"),
        (
            {**body, "items": [{"channel_kind": "feed", "metric": "roi", "value": "1"}]},
            "items[0].metric",
        ),
        (
            {**body, "items": [{"channel_kind": "feed", "metric": "ctr", "value": "0"}]},
            "items[0].value",
        ),
        ({**body, "items": []}, "items"),
    ):
        assert field in fields_of(
            problem(await director.put(f"{API}/benchmarks", json=bad), 422, "validation-failed")
        )

    # A relative rule compares with the organisation's own value: 0.5 % CTR is above 80 % of
    # 0.4 %, so nothing fires; reset the cell and the shipped 1.5 % makes it fire.
    admin = await api(Role.ADMIN)
    await with_channels(admin)
    rule = {
        "name": "CTR 相对基准",
        "metric": "ctr",
        "comparator": "lt",
        "threshold": "80",
        "relative": True,
        "scope_kind": "channel",
        "cooldown_minutes": 0,
    }
    assert (await director.post(f"{API}/alert-rules", json=rule)).status_code == 201
    today = org_today(org)
    week = [
        record(date=(today - timedelta(days=d)).isoformat(), impressions=10_000, clicks=50)
        for d in range(7)
    ]
    assert (await send(director, week)).status_code == 202
    await jobs.drain()
    assert (await director.get(f"{API}/alerts")).json()["total"] == 0
    reset = await director.delete(f"{API}/benchmarks/general/short_video/ctr")
    assert reset.status_code == 200, reset.text
    assert cell(reset.json(), "short_video", "ctr")["overridden"] is False
    # The audit log keeps what the organisation's own value was.
    logged = (await admin.get(f"{API}/audit-logs", params={"entity_type": "benchmarks"})).json()
    latest = logged["items"][0]
    assert (latest["action"], latest["before"]["metric"]) == ("delete", "ctr")
    assert (await director.post(f"{API}/alert-rule-runs")).json()["fired"] == 1

    # The industry: beauty's short-video CTR is 10 % higher than general's.
    settings = (await viewer.get(f"{API}/channel-settings")).json()
    assert settings == {"industry": "general", "revision": 0}
    changed = await director.put(
        f"{API}/channel-settings", json={"industry": "beauty", "revision": 0}
    )
    assert changed.status_code == 200, changed.text
    problem(
        await director.put(f"{API}/channel-settings", json={"industry": "auto", "revision": 0}),
        409,
        "stale-version",
    )
    beauty = (await viewer.get(f"{API}/benchmarks")).json()
    assert beauty["org_industry"] == "beauty"
    assert Decimal(cell(beauty, "short_video", "ctr")["value"]) == Decimal("0.0165")
