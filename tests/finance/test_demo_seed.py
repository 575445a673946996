"""The demo's money: the registered campaigns have approved budgets and ledgers, the running
campaign's venue line is past 80 % on a fresh start (told to the PM, finance and the
director), a budget change waits for finance, and seeding again adds nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.demo.seed import DEMO_PASSWORD, WORK_PROJECT, seed_demo
from mems.finance.models import BudgetRequest, CostEntry, CostSource
from mems.notifications.models import Notification

TODAY = date(2026, 12, 2)


async def _headers(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    r = await client.post("/api/v1/auth/token", json={"email": email, "password": DEMO_PASSWORD})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def test_the_demo_has_budgets_costs_and_a_venue_warning(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    assert await seed_demo(session, today=TODAY) is True
    await session.commit()
    entries = int(await session.scalar(select(func.count()).select_from(CostEntry)) or 0)
    assert entries >= 15
    labour = (
        await session.scalars(select(CostEntry).where(CostEntry.source == CostSource.LABOUR))
    ).all()
    assert labour, "the people's hours are priced"
    assert await seed_demo(session, today=TODAY) is False
    await session.commit()
    assert int(await session.scalar(select(func.count()).select_from(CostEntry)) or 0) == entries

    pm = await _headers(client, "pm@demo.mems")
    found = (await client.get("/api/v1/projects", params={"q": WORK_PROJECT}, headers=pm)).json()
    project = next(p for p in found["items"] if p["name"] == WORK_PROJECT)
    summary = (await client.get(f"/api/v1/projects/{project['id']}/budget", headers=pm)).json()
    venue = next(line for line in summary["lines"] if line["name"] == "拍摄场地")
    assert venue["level"] == "warn"
    assert Decimal(venue["used_percent"]) > 80
    assert Decimal(summary["project"]["budget"]) == Decimal("180000.00")
    detail = (await client.get(f"/api/v1/projects/{project['id']}", headers=pm)).json()
    assert Decimal(detail["approved_budget"]) == Decimal("180000.00")

    director = await _headers(client, "director@demo.mems")
    over = (await client.get("/api/v1/finance/overspend", headers=director)).json()
    names = [p["name"] for p in over]
    assert WORK_PROJECT in names
    assert over[0]["lines"][0]["level"] == "critical"  # double-11's 平台广告, past 100 %
    told = (
        await session.scalars(select(Notification.params).where(Notification.kind.like("budget.%")))
    ).all()
    assert any(params.get("line") == "拍摄场地" for params in told), told

    finance = await _headers(client, "finance@demo.mems")
    inbox = (await client.get("/api/v1/approvals", params={"box": "inbox"}, headers=finance)).json()
    assert [a["request_type"] for a in inbox["items"]].count("budget_request") == 1
    pending = (
        await session.scalars(select(BudgetRequest).where(BudgetRequest.state == "pending"))
    ).all()
    assert len(pending) == 1
    transparency = (
        await client.get(
            "/api/v1/finance/transparency",
            params={"first": "2026-01-01", "last": "2026-12-31"},
            headers=finance,
        )
    ).json()
    share = Decimal(transparency["currencies"][0]["share_percent"])
    assert 95 <= share < 100  # one taxi ride on no line
