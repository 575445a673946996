"""Spend from channel data posts to the linked project's ad-spend line as actual cost, once per
day and campaign; a correction changes the entry, a move to another project moves it, and
the overspend warning fires from real spend."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.jobs import InProcessQueue
from mems.finance.categories import BudgetCategory
from mems.finance.models import BudgetLine, BudgetLineState, CostEntry, CostSource
from mems.identity.permissions import Role
from mems.notifications.models import Notification
from tests.channels.helpers import record, send, with_channels
from tests.checkins.helpers import API, count
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.finance.test_costs_api import budgeted_project


async def entries(session: AsyncSession) -> list[Any]:
    """The derived entries as the database holds them now (columns: the test session's objects
    would be its own, older copies; the jobs changed the rows underneath)."""
    c = CostEntry.__table__.c
    stmt = (
        select(c.incurred_on, c.amount, c.line_id, c.kind, c.description)
        .where(c.source == CostSource.CHANNEL)
        .order_by(c.incurred_on)
    )
    return list((await session.execute(stmt)).all())


async def test_linked_spend_becomes_actual_cost_once_per_day_and_warns(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue, org: OrgWithMembers
) -> None:
    project, _venue, _travel, _phase = await budgeted_project(session, org)
    ads = BudgetLine(
        org_id=org.org.id,
        project_id=project.id,
        position=2,
        category=BudgetCategory.AD_SPEND,
        name="平台广告",
        amount=Decimal("1000.00"),
        state=BudgetLineState.APPROVED,
    )
    session.add(ads)
    await session.commit()
    admin = await api(Role.ADMIN)
    await with_channels(admin)
    pm = await api(Role.PROJECT_MANAGER)
    assert (
        await send(pm, [record(spend="300.50"), record(date="2026-11-21", spend="200")])
    ).status_code == 202
    await jobs.drain()
    assert await entries(session) == []  # not linked yet: no cost
    campaign = (await pm.get(f"{API}/campaigns")).json()["items"][0]
    r = await pm.patch(
        f"{API}/campaigns/{campaign['id']}",
        json={"project_id": str(project.id), "version": campaign["version"]},
    )
    assert r.status_code == 200, r.text
    await jobs.drain()
    made = await entries(session)
    assert [(e.incurred_on.isoformat(), e.amount, e.line_id, e.kind) for e in made] == [
        ("2026-11-20", Decimal("300.50"), ads.id, "actual"),
        ("2026-11-21", Decimal("200.00"), ads.id, "actual"),
    ]
    assert made[0].description == "双十一短视频"
    # The platform corrects the 20th, and adds the 22nd: past 80 % of the line.
    assert (
        await send(pm, [record(spend="350"), record(date="2026-11-22", spend="300")])
    ).status_code == 202
    await jobs.drain()
    await session.commit()
    now = await entries(session)
    assert [e.amount for e in now] == [Decimal("350.00"), Decimal("200.00"), Decimal("300.00")]
    warned = await count(session, Notification, Notification.kind == "budget.warn")
    assert warned >= 1
    budget = (await pm.get(f"{API}/projects/{project.id}/budget")).json()
    line = next(x for x in budget["lines"] if x["id"] == str(ads.id))
    assert Decimal(line["actual"]) == Decimal("850.00")
    # Unlinked: the entries go.
    campaign = (await pm.get(f"{API}/campaigns/{campaign['id']}")).json()
    r = await pm.patch(
        f"{API}/campaigns/{campaign['id']}",
        json={"project_id": None, "version": campaign["version"]},
    )
    assert r.status_code == 200, r.text
    await jobs.drain()
    assert await entries(session) == []
