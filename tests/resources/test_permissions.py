"""The resources role matrix: everyone reads the catalogue, allocations, conflicts and the
workload; admins, directors, project managers and finance keep the catalogue; admins,
directors and the project's manager book resources for projects. Every operation × every
role, allowed and refused both asserted (harness: tests/permission_matrix.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.jobs import InProcessQueue
from mems.resources.models import ResourceKind
from tests.checkins.helpers import make_task
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.permission_matrix import API, Row, Setup, by_role, check_no_credential, check_roles, ids
from tests.resources.helpers import MON, make_allocation, make_project, make_resource

EVERYONE = by_role(200, 200, 200, 200, 200, 200)
KEEPERS = by_role(200, 200, 200, 403, 200, 403)
BOOKERS = by_role(200, 200, 200, 403, 403, 403)

# by_role(admin, director, project_manager, member, finance, viewer)
MATRIX: list[Row] = [
    Row("GET", f"{API}/resources", None, EVERYONE),
    Row(
        "POST",
        f"{API}/resources",
        lambda c: {"kind": "person", "name": f"外聘-{c['unique']}", "cost_rate": "200"},
        by_role(201, 201, 201, 403, 201, 403),
    ),
    Row("GET", f"{API}/resource-conflicts", None, EVERYONE),
    Row("GET", f"{API}/resources/{{resource_id}}", None, EVERYONE),
    Row(
        "PATCH",
        f"{API}/resources/{{resource_id}}",
        lambda c: {"role_title": "设计", "version": 1},
        KEEPERS,
    ),
    Row(
        "DELETE",
        f"{API}/resources/{{resource_id}}",
        None,
        by_role(204, 204, 204, 403, 204, 403),
        use={"resource_id": "free_id"},
    ),
    Row("GET", f"{API}/resources/{{resource_id}}/allocations", None, EVERYONE),
    Row("GET", f"{API}/projects/{{project_id}}/allocations", None, EVERYONE),
    Row(
        "POST",
        f"{API}/projects/{{project_id}}/allocations",
        lambda c: {
            "resource_id": str(c["resource_id"]),
            "task_id": str(c["task_id"]),
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-03",
            "hours_per_day": "4",
        },
        by_role(201, 201, 201, 403, 403, 403),
    ),
    Row("GET", f"{API}/allocations/{{allocation_id}}", None, EVERYONE),
    Row(
        "PATCH",
        f"{API}/allocations/{{allocation_id}}",
        lambda c: {"hours_per_day": "3", "task_id": str(c["task_id"]), "version": 1},
        BOOKERS,
    ),
    Row(
        "DELETE",
        f"{API}/allocations/{{allocation_id}}",
        None,
        by_role(204, 204, 204, 403, 403, 403),
    ),
    Row("GET", f"{API}/workload", None, EVERYONE),
]


async def prepare(s: Setup) -> dict[str, Any]:
    """A running project the org's project manager manages, with a task; a person booked on
    it; a venue nothing books."""
    project = await make_project(s.session, s.org, commit=False)
    person = await make_resource(
        s.session,
        s.org,
        ResourceKind.PERSON,
        f"人员-{s.unique}",
        cost_rate=Decimal(100),
        commit=False,
    )
    free = await make_resource(
        s.session, s.org, ResourceKind.VENUE, f"场地-{s.unique}", commit=False
    )
    allocation = await make_allocation(
        s.session, project, person, MON, MON, hours="2", commit=False
    )
    task = await make_task(s.session, project, None, commit=False)
    await s.session.commit()
    return {
        "project_id": project.id,
        "resource_id": person.id,
        "free_id": free.id,
        "allocation_id": allocation.id,
        "task_id": task.id,
        "unique": s.unique,
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
