"""Approvals' role matrix: everyone reads; admins set the flows; each step is decided by its
role. Every operation × every role, allowed and refused both asserted (harness:
tests/permission_matrix.py)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.approvals.flow import RequestState, RequestType
from mems.approvals.models import ApprovalRequest
from mems.core.jobs import InProcessQueue
from mems.identity.models import Membership
from mems.identity.permissions import Role
from mems.projects.lifecycle import ProjectStatus
from mems.projects.models import Project, ProjectType
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers, make_user
from tests.permission_matrix import API, Row, Setup, by_role, check_no_credential, check_roles, ids

# by_role(admin, director, project_manager, member, finance, viewer)
MATRIX: list[Row] = [
    Row("GET", f"{API}/approval-flows", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "PUT",
        f"{API}/approval-flows/{{request_type}}",
        lambda c: {
            "revision": c["flow_revision"],
            "steps": [{"role": "director"}, {"role": "finance", "min_amount": "100000"}],
        },
        by_role(200, 403, 403, 403, 403, 403),
    ),
    Row("GET", f"{API}/approvals", None, by_role(200, 200, 200, 200, 200, 200)),
    Row("GET", f"{API}/approvals/{{approval_id}}", None, by_role(200, 200, 200, 200, 200, 200)),
    # The pending request was made by someone else and waits for the caller's role, or for
    # the director when the caller decides nothing; admins act for any role.
    Row(
        "POST",
        f"{API}/approvals/{{approval_id}}/decisions",
        lambda c: {"decision": "approve", "comment": "同意"},
        by_role(201, 201, 403, 403, 201, 403),
    ),
]


async def prepare(s: Setup) -> dict[str, Any]:
    """Someone else's project waiting for approval, its step decided by the caller's role (the
    director's when the caller decides nothing), and the flow's revision as a client reads
    it."""
    org_id = s.org.org.id
    requester_user = await make_user(s.session, name="申请人")
    requester = Membership(
        id=uuid.uuid4(),
        org_id=org_id,
        user_id=requester_user.id,
        role=Role.PROJECT_MANAGER,
        user=requester_user,
    )
    submitted = Project(
        id=uuid.uuid4(),
        org_id=org_id,
        code=f"M{s.unique}S",
        name=f"矩阵项目 {s.unique}S",
        type=ProjectType.PROMOTION,
        status=ProjectStatus.SUBMITTED,
        owner_member_id=requester.id,
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 11, 15),
    )
    deciding = s.role.value if s.role in (Role.DIRECTOR, Role.FINANCE) else Role.DIRECTOR.value
    request = ApprovalRequest(
        org_id=org_id,
        request_type=RequestType.PROJECT_INITIATION,
        subject_id=submitted.id,
        title=submitted.name,
        amount=Decimal(1000),
        currency="CNY",
        requested_by_member_id=requester.id,
        state=RequestState.PENDING.value,
        steps={"items": [{"role": deciding, "min_amount": None}]},
        current_step=0,
        waiting_for_role=deciding,
    )
    s.session.add(requester)
    await s.session.flush()
    s.session.add(request)
    await s.session.flush()
    submitted.approval_request_id = request.id
    s.session.add(submitted)
    await s.session.commit()
    flows = await s.client.get(f"{API}/approval-flows")
    assert flows.status_code == 200, flows.text
    request_type = RequestType.PROJECT_INITIATION.value
    return {
        "approval_id": request.id,
        "request_type": request_type,
        "flow_revision": next(
            f["revision"] for f in flows.json() if f["request_type"] == request_type
        ),
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
    await check_no_credential(
        row, client, session, request_type=RequestType.PROJECT_INITIATION.value
    )
