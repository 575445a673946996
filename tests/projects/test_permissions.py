"""Projects' role matrix: everyone reads; admins, directors and project managers plan (a
project manager only the projects they manage: every project here is managed by the caller;
tests/projects/test_project_rights.py covers the projects of others). Every operation × every
role, allowed and refused both asserted (harness: tests/permission_matrix.py)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.jobs import InProcessQueue
from mems.identity.permissions import Role
from mems.projects.lifecycle import ProjectStatus
from mems.projects.models import Project, ProjectGoalLink, ProjectTemplate, ProjectType
from mems.strategy.models import GoalLevel, Objective, PeriodKind, StrategyPeriod
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.permission_matrix import API, Row, Setup, by_role, check_no_credential, check_roles, ids

# by_role(admin, director, project_manager, member, finance, viewer)
MATRIX: list[Row] = [
    Row("GET", f"{API}/naming-convention", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "PUT",
        f"{API}/naming-convention",
        lambda c: {
            "revision": c["naming_revision"],
            "pattern": "{period}-{campaign}",
            "parts": {
                "period": {"kind": "period", "label": "期间"},
                "campaign": {"kind": "text", "label": "活动名"},
            },
        },
        by_role(200, 403, 403, 403, 403, 403),
    ),
    Row(
        "POST",
        f"{API}/naming-convention/check",
        lambda c: {"name": "2026Q4-双十一"},
        by_role(200, 200, 200, 200, 200, 200),
    ),
    Row("GET", f"{API}/project-templates", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "DELETE",
        f"{API}/project-templates/{{template_id}}",
        None,
        by_role(204, 403, 403, 403, 403, 403),  # saved by someone else: admins only
    ),
    Row("GET", f"{API}/projects", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/projects",
        lambda c: {
            "name": f"新项目-{c['unique']}",
            "type": "promotion",
            "template": "builtin:holiday_promotion",
            "starts_on": "2026-10-01",
            "ends_on": "2026-11-15",
            "goal_links": [{"objective_id": str(c["goal_id"])}],
        },
        by_role(201, 201, 201, 403, 403, 403),
    ),
    Row("GET", f"{API}/projects/{{project_id}}", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "PATCH",
        f"{API}/projects/{{project_id}}",
        lambda c: {"name": f"改名-{c['unique']}", "total_budget": "1000", "version": 1},
        by_role(200, 200, 200, 403, 403, 403),
    ),
    Row(
        "PUT",
        f"{API}/projects/{{project_id}}/goal-links",
        lambda c: {"goal_links": [{"objective_id": str(c["leaf_goal_id"])}], "version": 1},
        by_role(200, 200, 200, 403, 403, 403),
    ),
    Row(
        "PUT",
        f"{API}/projects/{{project_id}}/members",
        lambda c: {"members": [{"member_id": str(c["member_id"]), "role": "core"}], "version": 1},
        by_role(200, 200, 200, 403, 403, 403),
    ),
    Row(
        "POST",
        f"{API}/projects/{{project_id}}/transitions",
        lambda c: {"action": "submit", "version": 1},
        by_role(200, 200, 200, 403, 403, 403),
    ),
    Row(
        "PUT",
        f"{API}/projects/{{project_id}}/retrospective",
        lambda c: {"summary": "总结", "went_well": "顺利", "problems": "问题", "lessons": "经验"},
        by_role(200, 200, 200, 403, 403, 403),
        use={"project_id": "active_project_id"},
    ),
    Row(
        "POST",
        f"{API}/projects/{{project_id}}/save-as-template",
        lambda c: {"name": f"模板-{c['unique']}"},
        by_role(201, 201, 201, 403, 403, 403),
    ),
]


async def prepare(s: Setup) -> dict[str, Any]:
    """Projects managed by the caller (a draft linked to a goal, an active one), goals to link,
    a template saved by someone else, and the naming convention's revision as a client reads
    it."""
    org_id = s.org.org.id
    period = StrategyPeriod(
        id=uuid.uuid4(),
        org_id=org_id,
        name=f"Y-{s.unique}",
        kind=PeriodKind.YEAR,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    goal = Objective(
        id=uuid.uuid4(), org_id=org_id, period_id=period.id, level=GoalLevel.COMPANY, title="目标"
    )
    leaf = Objective(org_id=org_id, period_id=period.id, level=GoalLevel.TEAM, title="叶子")
    template = ProjectTemplate(
        org_id=org_id,
        name=f"模板-{s.unique}-saved",
        project_type=ProjectType.PROMOTION,
        content={"duration_days": 10, "phases": [], "budget_categories": ["其他"]},
    )

    def project(code: str, status: ProjectStatus) -> Project:
        return Project(
            id=uuid.uuid4(),
            org_id=org_id,
            code=f"M{s.unique}{code}",
            name=f"矩阵项目 {s.unique}{code}",  # names are unique among live projects
            type=ProjectType.PROMOTION,
            status=status,
            owner_member_id=s.caller,
            starts_on=date(2026, 10, 1),
            ends_on=date(2026, 11, 15),
        )

    draft = project("D", ProjectStatus.DRAFT)
    active = project("A", ProjectStatus.ACTIVE)
    s.session.add_all([period, template])
    await s.session.flush()
    s.session.add_all([goal, leaf, draft, active])
    await s.session.flush()
    s.session.add(ProjectGoalLink(org_id=org_id, project_id=draft.id, objective_id=goal.id))
    await s.session.commit()
    convention = await s.client.get(f"{API}/naming-convention")
    assert convention.status_code == 200, convention.text
    return {
        "unique": s.unique,
        "goal_id": goal.id,
        "leaf_goal_id": leaf.id,
        "member_id": s.org.members[Role.MEMBER].id,
        "template_id": template.id,
        "project_id": draft.id,
        "active_project_id": active.id,
        "naming_revision": convention.json()["revision"],
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
