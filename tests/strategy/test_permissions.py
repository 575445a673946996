"""Strategy's role matrix: everyone reads; admins and directors shape it; KPI owners check
in. Every operation × every role, allowed and refused both asserted (harness:
tests/permission_matrix.py)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.jobs import InProcessQueue
from mems.strategy.models import (
    Direction,
    GoalLevel,
    KeyResult,
    Objective,
    PeriodKind,
    StrategyPeriod,
)
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.permission_matrix import API, Row, Setup, by_role, check_no_credential, check_roles, ids

# by_role(admin, director, project_manager, member, finance, viewer)
MATRIX: list[Row] = [
    Row("GET", f"{API}/strategy-periods", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/strategy-periods",
        lambda c: {
            "name": f"P-{c['unique']}",
            "kind": "year",
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
        },
        by_role(201, 201, 403, 403, 403, 403),
    ),
    Row(
        "GET", f"{API}/strategy-periods/{{period_id}}", None, by_role(200, 200, 200, 200, 200, 200)
    ),
    Row(
        "PATCH",
        f"{API}/strategy-periods/{{period_id}}",
        lambda c: {"name": f"R-{c['unique']}", "version": 1},
        by_role(200, 200, 403, 403, 403, 403),
    ),
    Row(
        "DELETE",
        f"{API}/strategy-periods/{{period_id}}",
        None,
        by_role(204, 204, 403, 403, 403, 403),
        use={"period_id": "empty_period_id"},
    ),
    Row("GET", f"{API}/goals", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/goals",
        lambda c: {"period_id": str(c["period_id"]), "level": "company", "title": "新目标"},
        by_role(201, 201, 403, 403, 403, 403),
    ),
    Row("GET", f"{API}/goals/{{goal_id}}", None, by_role(200, 200, 200, 200, 200, 200)),
    Row("GET", f"{API}/goals/{{goal_id}}/tree", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "PATCH",
        f"{API}/goals/{{goal_id}}",
        lambda c: {"title": "改过的目标", "version": 1},
        by_role(200, 200, 403, 403, 403, 403),
    ),
    Row(
        "DELETE",
        f"{API}/goals/{{goal_id}}",
        None,
        by_role(204, 204, 403, 403, 403, 403),
        use={"goal_id": "leaf_goal_id"},
    ),
    Row("GET", f"{API}/kpis", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/kpis",
        lambda c: {
            "objective_id": str(c["goal_id"]),
            "name": "新增粉丝",
            "unit": "人",
            "baseline": "0",
            "target": "1000",
            "direction": "increase",
        },
        by_role(201, 201, 403, 403, 403, 403),
    ),
    Row("GET", f"{API}/kpis/{{kpi_id}}", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "PATCH",
        f"{API}/kpis/{{kpi_id}}",
        lambda c: {"name": "改名的KPI", "version": 1},
        by_role(200, 200, 403, 403, 403, 403),
    ),
    Row("DELETE", f"{API}/kpis/{{kpi_id}}", None, by_role(204, 204, 403, 403, 403, 403)),
    Row("GET", f"{API}/kpis/{{kpi_id}}/check-ins", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/kpis/{{kpi_id}}/check-ins",
        lambda c: {"value": "12.5"},
        by_role(201, 201, 201, 201, 201, 403),
    ),
]


async def prepare(s: Setup) -> dict[str, Any]:
    """A period with a goal (and a KPI the caller owns, so checking in is decided by the role
    alone) and a leaf goal, and an empty period to delete."""
    org_id = s.org.org.id
    period = StrategyPeriod(
        id=uuid.uuid4(),
        org_id=org_id,
        name=f"Y-{s.unique}",
        kind=PeriodKind.YEAR,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    empty_period = StrategyPeriod(
        org_id=org_id,
        name=f"E-{s.unique}",
        kind=PeriodKind.YEAR,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
    )
    goal = Objective(
        id=uuid.uuid4(), org_id=org_id, period_id=period.id, level=GoalLevel.COMPANY, title="目标"
    )
    leaf = Objective(org_id=org_id, period_id=period.id, level=GoalLevel.TEAM, title="叶子")
    kpi = KeyResult(
        org_id=org_id,
        objective_id=goal.id,
        name="曝光",
        unit="次",
        baseline=Decimal(0),
        target=Decimal(100),
        direction=Direction.INCREASE,
        owner_member_id=s.caller,
    )
    s.session.add_all([period, empty_period])
    await s.session.flush()
    s.session.add_all([goal, leaf])
    await s.session.flush()
    s.session.add(kpi)
    await s.session.commit()
    return {
        "unique": s.unique,
        "period_id": period.id,
        "empty_period_id": empty_period.id,
        "goal_id": goal.id,
        "leaf_goal_id": leaf.id,
        "kpi_id": kpi.id,
    }


@pytest.mark.parametrize("row", MATRIX, ids=ids(MATRIX))
async def test_role_matrix(
    row: Row, api: ApiFactory, org: OrgWithMembers, session: AsyncSession, jobs: InProcessQueue
) -> None:
    await check_roles(row, prepare, api, org, session, jobs)


@pytest.mark.parametrize("row", MATRIX, ids=ids(MATRIX))
async def test_no_credential_is_401(
    row: Row, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await check_no_credential(row, client, session)
