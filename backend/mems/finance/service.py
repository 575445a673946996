"""Finance: a project's budget lines — the one source of its budget (issue 10 builds costs,
requests and warnings on them). Other domains use finance through this module."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import ScalarSelect, SQLColumnExpression
from sqlalchemy.ext.asyncio import AsyncSession

from mems.finance import costs
from mems.finance import repository as repo
from mems.finance.categories import BudgetCategory, category_for
from mems.finance.models import BudgetLine, BudgetLineState
from mems.finance.money import CENT, ZERO
from mems.identity.principal import Principal


def lines_json_of(
    project_id: SQLColumnExpression[uuid.UUID], org_id: SQLColumnExpression[uuid.UUID]
) -> ScalarSelect[Any]:
    """SQL: a project's budget lines as a JSON array (amounts as text, never floats)."""
    return repo.lines_json_of(project_id, org_id)


async def cost_project_for(
    session: AsyncSession, principal: Principal, cost_id: uuid.UUID, *, write: bool
) -> uuid.UUID:
    """For receipts (collab): the project of cost `cost_id`, for a caller who may read the
    project's budget (or, `write`, record costs on it); 404 / 403 otherwise."""
    return await costs.cost_project_for(session, principal, cost_id, write=write)


async def lines_of(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID
) -> list[BudgetLine]:
    return await repo.lines_of(session, org_id, project_id)


async def lay_out_lines(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID, names: Iterable[str]
) -> None:
    """A new project's budget lines from its template's labels: plans of nothing yet, each in
    the category its label names (展位费 → venue)."""
    position = await repo.next_position(session, org_id, project_id)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            continue
        seen.add(name)
        session.add(
            BudgetLine(
                org_id=org_id,
                project_id=project_id,
                position=position,
                category=category_for(name),
                name=name,
                amount=ZERO,
                state=BudgetLineState.PLAN,
            )
        )
        position += 1
    await session.flush()


async def lines_total(session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID) -> Decimal:
    """What a project's budget lines add up to, planned and approved."""
    return sum((line.amount for line in await repo.lines_of(session, org_id, project_id)), ZERO)


def line_views(rows: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """`lines_json_of`'s rows as API values, in order."""
    return [
        {
            "id": uuid.UUID(str(row["id"])),
            "position": int(row["position"]),
            "category": BudgetCategory(row["category"]),
            "name": row["name"],
            "phase_id": None if row["phase_id"] is None else uuid.UUID(str(row["phase_id"])),
            "amount": Decimal(str(row["amount"])).quantize(CENT),
            "state": BudgetLineState(row["state"]),
        }
        for row in sorted(rows or [], key=lambda r: int(r["position"]))
    ]


def approved_total(views: list[dict[str, Any]]) -> Decimal:
    """A project's budget: what its approved lines (`line_views`) add up to."""
    return sum(
        (v["amount"] for v in views if v["state"] == BudgetLineState.APPROVED), ZERO
    ).quantize(CENT)
