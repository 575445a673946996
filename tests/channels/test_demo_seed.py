"""The demo's channel data at `make run`: 90 days across six campaigns, the 抖音 campaign's
tired creative raising a critical CTR alert with its suggestion, its spend in the year-end
project's ledger, and the dashboard's quadrants telling 小红书 (高潜力) from 巨量引擎 (低效)."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.channels.models import MetricDaily
from mems.demo.seed import DEMO_PASSWORD, seed_demo
from mems.finance.models import CostEntry, CostSource

TODAY = date(2026, 11, 30)


async def _headers(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    r = await client.post("/api/v1/auth/token", json={"email": email, "password": DEMO_PASSWORD})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def test_the_demo_raises_the_short_video_ctr_alert(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    assert await seed_demo(session, today=TODAY) is True
    await session.commit()
    days = int(await session.scalar(select(func.count()).select_from(MetricDaily)) or 0)
    assert days == 5 * 90 + 21
    spend_entries = int(
        await session.scalar(
            select(func.count())
            .select_from(CostEntry)
            .where(CostEntry.source == CostSource.CHANNEL)
        )
        or 0
    )
    assert spend_entries == 21  # the 抖音 campaign's days, in the year-end project's ledger
    assert await seed_demo(session, today=TODAY) is False

    director = await _headers(client, "director@demo.mems")
    alerts = (await client.get("/api/v1/alerts", headers=director)).json()["items"]
    ctr = [a for a in alerts if a["metric"] == "ctr"]
    assert len(ctr) == 1
    assert (ctr[0]["state"], ctr[0]["severity"], ctr[0]["scope_label"]) == (
        "open",
        "critical",
        "抖音",
    )
    assert ctr[0]["suggestion"] == "low_ctr"
    assert ctr[0]["benchmark"] is not None
    dash = (
        await client.get(
            "/api/v1/channel-dashboard",
            params={"from": (TODAY - timedelta(days=30)).isoformat(), "to": TODAY.isoformat()},
            headers=director,
        )
    ).json()
    quadrant = {c["name"]: c["quadrant"] for c in dash["channels"]}
    assert quadrant["小红书"] == "potential"
    assert quadrant["巨量引擎"] == "inefficient"
    assert dash["industry"] == "beauty"
    assert len(dash["trend"]) == 31
