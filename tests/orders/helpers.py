"""Shared arrangements for the work-order tests."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.audit import AuditLog
from mems.identity.models import Team, TeamMember
from mems.identity.permissions import Role
from mems.orders.models import WorkOrder, WorkOrderStatus
from mems.projects.lifecycle import ProjectStatus
from mems.projects.models import Project, ProjectMember, ProjectRole, ProjectType
from mems.work.models import Task
from tests.factories import OrgWithMembers

API = "/api/v1"


def in_days(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


async def raise_order(c: httpx.AsyncClient, **values: Any) -> dict[str, Any]:
    body = {"title": "设计双十一主视觉", "sla_hours": 48, "due_at": in_days(3), **values}
    r = await c.post(f"{API}/work-orders", json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def act(
    c: httpx.AsyncClient, order: dict[str, Any], action: str, **body: Any
) -> httpx.Response:
    return await c.post(
        f"{API}/work-orders/{order['id']}/transitions",
        json={"action": action, "version": order["version"], **body},
    )


async def audit_rows(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(AuditLog)) or 0)


async def make_team(
    session: AsyncSession, org: OrgWithMembers, *roles: Role, name: str | None = None
) -> Team:
    team = Team(id=uuid.uuid4(), org_id=org.org.id, name=name or f"团队-{uuid.uuid4().hex[:6]}")
    session.add(team)
    await session.flush()
    for role in roles:
        session.add(TeamMember(org_id=org.org.id, team_id=team.id, member_id=org.members[role].id))
    await session.commit()
    return team


async def make_project(
    session: AsyncSession, org: OrgWithMembers, *team: Role, owner: Role = Role.PROJECT_MANAGER
) -> Project:
    """An active project managed by `owner`, with `team` as contributors."""
    project = Project(
        id=uuid.uuid4(),
        org_id=org.org.id,
        code=f"P-{uuid.uuid4().hex[:8]}",
        name=f"双十一大促 {uuid.uuid4().hex[:6]}",
        type=ProjectType.PROMOTION,
        status=ProjectStatus.ACTIVE,
        owner_member_id=org.members[owner].id,
        starts_on=date.today() - timedelta(days=30),
        ends_on=date.today() + timedelta(days=60),
    )
    session.add(project)
    await session.flush()
    session.add(
        ProjectMember(
            org_id=org.org.id,
            project_id=project.id,
            membership_id=org.members[owner].id,
            role=ProjectRole.MANAGER,
        )
    )
    for role in team:
        session.add(
            ProjectMember(
                org_id=org.org.id,
                project_id=project.id,
                membership_id=org.members[role].id,
                role=ProjectRole.CONTRIBUTOR,
            )
        )
    await session.commit()
    return project


async def make_task(session: AsyncSession, project: Project, title: str = "海报设计") -> Task:
    task = Task(
        id=uuid.uuid4(),
        org_id=project.org_id,
        project_id=project.id,
        position=1,
        title=title,
        starts_on=project.starts_on,
        due_on=project.starts_on,
        duration_days=1,
    )
    session.add(task)
    await session.commit()
    return task


async def make_order(
    session: AsyncSession,
    org: OrgWithMembers,
    requester: Role,
    assignee: Role | None = None,
    *,
    team: Team | None = None,
    status: WorkOrderStatus = WorkOrderStatus.REQUESTED,
    number: int | None = None,
    project: Project | None = None,
) -> WorkOrder:
    """An order written straight to the database (any requester, even one who could not
    raise it through the API)."""
    order = WorkOrder(
        id=uuid.uuid4(),
        org_id=org.org.id,
        number=number or int(uuid.uuid4().int % 10**8) + 10**6,
        title="直接写入的工单",
        requester_member_id=org.members[requester].id,
        assignee_member_id=org.members[assignee].id if assignee else None,
        assignee_team_id=team.id if team else None,
        project_id=project.id if project else None,
        status=status,
        sla_hours=24,
    )
    session.add(order)
    await session.commit()
    return order
