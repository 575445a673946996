"""One source of truth for a project's money: its budget lines (owned by the finance domain
from issue 10 on) are the plan, and the total may not promise less than they add up to."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from mems.finance.models import BudgetLine
from mems.identity.permissions import Role
from tests.conftest import ApiFactory
from tests.projects.helpers import API, create_project, problem


async def test_the_total_budget_cannot_fall_below_its_lines(
    api: ApiFactory, session: AsyncSession
) -> None:
    c = await api(Role.PROJECT_MANAGER)
    project = await create_project(
        c, template="builtin:holiday_promotion", total_budget="100000.00"
    )
    lines = project["budget_lines"]
    assert len(lines) >= 2
    # Planned amounts come from the finance module (issue 10); set two here.
    project_id = uuid.UUID(project["id"])
    for name, amount in ((lines[0]["name"], 30000), (lines[1]["name"], 20000)):
        await session.execute(
            update(BudgetLine)
            .where(BudgetLine.project_id == project_id, BudgetLine.name == name)
            .values(amount=Decimal(amount))
        )
    await session.commit()

    r = await c.patch(
        f"{API}/projects/{project['id']}",
        json={"total_budget": "49999.99", "version": project["version"]},
    )
    body = problem(r, 422, "validation-failed")
    assert body["errors"][0]["field"] == "total_budget"
    assert body["errors"][0]["type"] == "below_budget_lines"
    assert "50000" in body["detail"]

    r = await c.patch(
        f"{API}/projects/{project['id']}",
        json={"total_budget": "50000.00", "version": project["version"]},
    )
    assert r.status_code == 200, r.text
    assert r.json()["total_budget"] == "50000.00"
