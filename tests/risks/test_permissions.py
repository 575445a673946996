"""Issues' role matrix: everyone reads a project's issue log; everyone who works (not
viewers) raises and handles issues on the projects they work on (here: everyone is on the
team). Every operation × every role, allowed and refused both asserted (harness:
tests/permission_matrix.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.jobs import InProcessQueue
from mems.identity.permissions import Role
from mems.projects.models import ProjectRole
from mems.risks.models import IssueKind, IssueStatus, WorkIssue
from tests.checkins.helpers import make_project, make_task
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.permission_matrix import API, Row, Setup, by_role, check_no_credential, check_roles, ids

# by_role(admin, director, project_manager, member, finance, viewer)
MATRIX: list[Row] = [
    Row(
        "GET",
        f"{API}/projects/{{project_id}}/issues",
        None,
        by_role(200, 200, 200, 200, 200, 200),
    ),
    Row(
        "POST",
        f"{API}/projects/{{project_id}}/issues",
        lambda c: {
            "kind": "risk",
            "title": "天气影响外场",
            "probability": 2,
            "impact": 3,
            "owner_member_id": str(c["owner_member_id"]),
            "task_id": str(c["task_id"]),
        },
        by_role(201, 201, 201, 201, 201, 403),
    ),
    Row("GET", f"{API}/issues/{{issue_id}}", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "PATCH",
        f"{API}/issues/{{issue_id}}",
        lambda c: {
            "severity": "high",
            "owner_member_id": str(c["owner_member_id"]),
            "task_id": str(c["task_id"]),
            "version": 1,
        },
        by_role(200, 200, 200, 200, 200, 403),
    ),
    Row(
        "POST",
        f"{API}/issues/{{issue_id}}/resolve",
        lambda c: {"resolution": "已处理"},
        by_role(200, 200, 200, 200, 200, 403),
    ),
    Row(
        "POST",
        f"{API}/issues/{{issue_id}}/close",
        lambda c: {},
        by_role(200, 200, 200, 200, 200, 403),
    ),
    Row(
        "POST",
        f"{API}/issues/{{issue_id}}/reopen",
        lambda c: {},
        by_role(200, 200, 200, 200, 200, 403),
        use={"issue_id": "resolved_issue_id"},
    ),
]

_TEAM = {
    role: ProjectRole.CONTRIBUTOR
    for role in (Role.ADMIN, Role.DIRECTOR, Role.MEMBER, Role.FINANCE, Role.VIEWER)
}


async def prepare(s: Setup) -> dict[str, Any]:
    """A project everyone works on, with a task, an open issue and a resolved one."""
    project = await make_project(s.session, s.org, team=_TEAM, commit=False)
    task = await make_task(s.session, project, None, commit=False)
    issue = WorkIssue(
        org_id=s.org.org.id, project_id=project.id, kind=IssueKind.ISSUE, title="物料延误"
    )
    resolved = WorkIssue(
        org_id=s.org.org.id,
        project_id=project.id,
        kind=IssueKind.ISSUE,
        title="场地变更",
        status=IssueStatus.RESOLVED,
        resolution="换了场地",
    )
    s.session.add_all([issue, resolved])
    await s.session.commit()
    return {
        "unique": s.unique,
        "project_id": project.id,
        "issue_id": issue.id,
        "resolved_issue_id": resolved.id,
        "task_id": task.id,
        "owner_member_id": s.org.members[Role.MEMBER].id,
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
