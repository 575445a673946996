"""Check-ins' role matrix: everyone who works (not viewers) checks in and sees their teams'
roll-call; planners (admins, directors, project managers) read everyone's check-ins. Every
operation × every role, allowed and refused both asserted (harness: tests/permission_matrix.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.jobs import InProcessQueue
from tests.checkins.helpers import make_project, make_task
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.permission_matrix import API, Row, Setup, by_role, check_no_credential, check_roles, ids

# by_role(admin, director, project_manager, member, finance, viewer)
MATRIX: list[Row] = [
    Row("GET", f"{API}/checkins/me", None, by_role(200, 200, 200, 200, 200, 403)),
    Row("GET", f"{API}/checkins/me/{{day}}", None, by_role(200, 200, 200, 200, 200, 403)),
    Row(
        "PUT",
        f"{API}/checkins/me/{{day}}",
        lambda c: {
            "done": "完成了海报",
            "task_updates": [{"task_id": str(c["task_id"]), "progress": 50}],
        },
        by_role(200, 200, 200, 200, 200, 403),
    ),
    Row("GET", f"{API}/checkins", None, by_role(200, 200, 200, 403, 403, 403)),
    Row("GET", f"{API}/checkins/status", None, by_role(200, 200, 200, 200, 200, 403)),
]


async def prepare(s: Setup) -> dict[str, Any]:
    """A task of the caller's own, to update with the check-in."""
    project = await make_project(s.session, s.org)
    task = await make_task(s.session, project, s.caller)
    return {"unique": s.unique, "day": "today", "task_id": task.id}


@pytest.mark.parametrize("row", MATRIX, ids=ids(MATRIX))
async def test_role_matrix(
    row: Row, api: ApiFactory, org: OrgWithMembers, session: AsyncSession, jobs: InProcessQueue
) -> None:
    await check_roles(row, prepare, api, org, session, jobs)


@pytest.mark.parametrize("row", MATRIX, ids=ids(MATRIX))
async def test_no_credential_is_401(
    row: Row, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await check_no_credential(row, client, session, day="today")
