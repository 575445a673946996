"""The demo's resources: its people with their rates, a venue, a vendor, materials and
channels, and bookings around today that overload the demo member in the current week (the
heat map shows red on a fresh start). Seeding again adds nothing."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.demo.seed import DEMO_PASSWORD, seed_demo
from mems.resources.models import Allocation, Resource

TODAY = date(2026, 12, 2)  # a Wednesday


async def _count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_the_demo_books_its_people_and_shows_one_red_week(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    assert await seed_demo(session, today=TODAY) is True
    await session.commit()
    resources, allocations = await _count(session, Resource), await _count(session, Allocation)
    assert resources >= 10
    assert allocations >= 8
    assert await seed_demo(session, today=TODAY) is False
    await session.commit()
    assert (await _count(session, Resource), await _count(session, Allocation)) == (
        resources,
        allocations,
    )

    r = await client.post(
        "/api/v1/auth/token", json={"email": "pm@demo.mems", "password": DEMO_PASSWORD}
    )
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    catalogue = (await client.get("/api/v1/resources?limit=200", headers=headers)).json()
    kinds = {i["kind"] for i in catalogue["items"]}
    assert kinds == {"person", "material", "channel", "vendor", "venue"}
    chen = next(i for i in catalogue["items"] if i["name"] == "陈晨")
    assert (chen["role_title"], chen["cost_rate"]) == ("内容运营", "150.00")

    load = (
        await client.get(
            "/api/v1/workload", params={"from": TODAY.isoformat(), "weeks": 4}, headers=headers
        )
    ).json()
    assert load["starts_on"] == (TODAY - timedelta(days=TODAY.weekday())).isoformat()
    red = [(p["name"], w["week_start"]) for p in load["people"] for w in p["weeks"] if w["over"]]
    assert red == [("陈晨", load["starts_on"])]
    conflicts = (
        await client.get(
            "/api/v1/resource-conflicts",
            params={"from": TODAY.isoformat(), "to": (TODAY + timedelta(days=27)).isoformat()},
            headers=headers,
        )
    ).json()
    assert [c["kind"] for c in conflicts] == ["over_capacity"]
