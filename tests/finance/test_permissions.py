"""The cost ledger's role matrix: admins, directors, project managers, finance and viewers
read budgets and costs (members do not); admins, directors, finance and the project's manager
record costs; admins and finance verify them. Every operation × every role, allowed and
refused both asserted (harness: tests/permission_matrix.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.jobs import InProcessQueue
from mems.finance.categories import BudgetCategory
from mems.finance.figures import CostKind
from mems.finance.models import (
    BudgetRequest,
    BudgetRequestKind,
    BudgetRequestState,
    CostEntry,
)
from mems.identity.permissions import Role
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.finance.test_costs_api import budgeted_project
from tests.permission_matrix import API, Row, Setup, by_role, check_no_credential, check_roles, ids

# by_role(admin, director, project_manager, member, finance, viewer)
MATRIX: list[Row] = [
    Row(
        "GET",
        f"{API}/projects/{{project_id}}/costs",
        None,
        by_role(200, 200, 200, 403, 200, 200),
    ),
    Row(
        "POST",
        f"{API}/projects/{{project_id}}/costs",
        lambda c: {
            "kind": "actual",
            "amount": "120.00",
            "incurred_on": "2026-03-02",
            "line_id": str(c["line_id"]),
        },
        by_role(201, 201, 201, 403, 201, 403),
    ),
    Row(
        "POST",
        f"{API}/costs/{{cost_id}}/verify",
        None,
        by_role(200, 403, 403, 403, 200, 403),
    ),
    Row(
        "POST",
        f"{API}/projects/{{project_id}}/costs/import",
        None,
        by_role(201, 201, 201, 403, 201, 403),
        files=lambda c: {
            "file": (
                "费用.csv",
                "日期,金额,预算科目\n2026-03-02,120.00,场地费\n".encode(),
                "text/csv",
            ),
            "commit": (None, "true"),
        },
    ),
    Row("GET", f"{API}/costs", None, by_role(200, 403, 403, 403, 200, 403)),
    Row(
        "GET",
        f"{API}/projects/{{project_id}}/budget",
        None,
        by_role(200, 200, 200, 403, 200, 200),
    ),
    Row(
        "PUT",
        f"{API}/projects/{{project_id}}/budget-settings",
        lambda c: {"warn_percent": "70", "critical_percent": None},
        by_role(200, 200, 200, 403, 200, 403),
    ),
    Row(
        "POST",
        f"{API}/projects/{{project_id}}/budget-requests",
        lambda c: {
            "reason": "展位加大",
            "items": [{"line_id": str(c["line_id"]), "amount": "12000"}],
        },
        by_role(201, 201, 201, 403, 403, 403),
    ),
    Row(
        "GET",
        f"{API}/projects/{{project_id}}/budget-requests",
        None,
        by_role(200, 200, 200, 403, 200, 200),
    ),
    Row(
        "GET",
        f"{API}/budget-requests/{{request_id}}",
        None,
        by_role(200, 200, 200, 403, 200, 200),
    ),
    Row(
        "POST",
        f"{API}/budget-requests/{{request_id}}/withdraw",
        None,
        by_role(200, 200, 200, 403, 403, 403),
    ),
    Row(
        "POST",
        f"{API}/projects/{{project_id}}/labour-costs/sync",
        None,
        by_role(200, 200, 200, 403, 200, 403),
    ),
    Row("GET", f"{API}/costs/{{cost_id}}", None, by_role(200, 200, 200, 403, 200, 200)),
    Row("GET", f"{API}/finance/overspend", None, by_role(200, 200, 200, 403, 200, 200)),
    Row("GET", f"{API}/finance-settings", None, by_role(200, 200, 200, 403, 200, 200)),
    Row(
        "PUT",
        f"{API}/finance-settings",
        lambda c: {"warn_percent": "75", "critical_percent": "95", "revision": 0},
        by_role(200, 403, 403, 403, 403, 403),
    ),
    Row("GET", f"{API}/finance/transparency", None, by_role(200, 200, 200, 403, 200, 200)),
]


async def prepare(s: Setup) -> dict[str, Any]:
    """An active project the org's project manager manages, with its lines and one cost."""
    project, venue, _travel, _phase = await budgeted_project(s.session, s.org, commit=False)
    entry = CostEntry(
        org_id=s.org.org.id,
        project_id=project.id,
        line_id=venue.id,
        category=BudgetCategory.VENUE,
        kind=CostKind.ACTUAL,
        amount=Decimal(10),
        currency="CNY",
        rate=Decimal(1),
        amount_project=Decimal(10),
        incurred_on=date(2026, 3, 1),
    )
    s.session.add(entry)
    await s.session.flush()
    # A pending change the project manager asked for on another of their projects (its
    # approval is not needed here).
    other, _v, _t, _p = await budgeted_project(s.session, s.org, commit=False)
    request = BudgetRequest(
        org_id=s.org.org.id,
        project_id=other.id,
        kind=BudgetRequestKind.CHANGE,
        state=BudgetRequestState.PENDING,
        reason="场地加价",
        amount=Decimal(100),
        total_before=Decimal(15000),
        total_after=Decimal(15100),
        items=[],
        requested_by_member_id=s.org.members[Role.PROJECT_MANAGER].id,
    )
    s.session.add(request)
    await s.session.commit()
    return {
        "project_id": project.id,
        "line_id": venue.id,
        "cost_id": entry.id,
        "request_id": request.id,
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
