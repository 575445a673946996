"""System's role matrix (job checks, the audit log): every operation × every role, allowed
and refused both asserted (harness: tests/permission_matrix.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.jobs import InProcessQueue
from mems.system.models import JobCheck
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.permission_matrix import API, Row, Setup, by_role, check_no_credential, check_roles, ids

# by_role(admin, director, project_manager, member, finance, viewer)
MATRIX: list[Row] = [
    Row("POST", f"{API}/system/job-checks", None, by_role(202, 403, 403, 403, 403, 403)),
    Row(
        "GET", f"{API}/system/job-checks/{{check_id}}", None, by_role(200, 403, 403, 403, 403, 403)
    ),
    Row("GET", f"{API}/audit-logs", None, by_role(200, 403, 403, 403, 403, 403)),
    Row("GET", f"{API}/audit-logs/entity-types", None, by_role(200, 403, 403, 403, 403, 403)),
]


async def prepare(s: Setup) -> dict[str, Any]:
    """A job check to read."""
    check = JobCheck(org_id=s.org.org.id, queue_mode="in-process")
    s.session.add(check)
    await s.session.commit()
    return {"check_id": check.id}


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
