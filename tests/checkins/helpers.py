"""Rows the check-in and issue tests work on: a project with a team, tasks, teams."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.identity.models import Team, TeamMember
from mems.identity.permissions import Role
from mems.projects.models import Project, ProjectMember, ProjectRole, ProjectType
from mems.work.models import Task
from tests.factories import OrgWithMembers

API = "/api/v1"
PROBLEM = "application/problem+json"


def org_today(org: OrgWithMembers) -> date:
    return datetime.now(ZoneInfo(org.org.timezone)).date()


def problem(r: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body: dict[str, Any] = r.json()
    assert body["type"] == f"urn:mems:problem:{slug}", body
    return body


def fields_of(body: dict[str, Any]) -> list[str]:
    return [e["field"] for e in body.get("errors", [])]


async def count(session: AsyncSession, model: type, *where: Any) -> int:
    stmt = select(func.count()).select_from(model)
    if where:
        stmt = stmt.where(*where)
    return int(await session.scalar(stmt) or 0)


async def make_project(
    session: AsyncSession,
    org: OrgWithMembers,
    *,
    team: dict[Role, ProjectRole] | None = None,
    commit: bool = True,
) -> Project:
    """A project managed by the org's project manager, with the member on its team as a
    contributor (unless `team` says otherwise)."""
    project = Project(
        id=uuid.uuid4(),
        org_id=org.org.id,
        code=f"T-{uuid.uuid4().hex[:8]}",
        name=f"测试项目-{uuid.uuid4().hex[:8]}",
        type=ProjectType.OTHER,
        owner_member_id=org.members[Role.PROJECT_MANAGER].id,
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 12, 31),
    )
    session.add(project)
    await session.flush()
    for role, project_role in (team or {Role.MEMBER: ProjectRole.CONTRIBUTOR}).items():
        session.add(
            ProjectMember(
                org_id=org.org.id,
                project_id=project.id,
                membership_id=org.members[role].id,
                role=project_role,
            )
        )
    await session.flush()
    if commit:
        await session.commit()
    return project


async def make_task(
    session: AsyncSession,
    project: Project,
    assignee_id: uuid.UUID | None,
    *,
    title: str = "写推文",
    due_in_days: int = 3,
    commit: bool = True,
) -> Task:
    start = date.today()
    task = Task(
        id=uuid.uuid4(),
        org_id=project.org_id,
        project_id=project.id,
        position=0,
        title=title,
        assignee_member_id=assignee_id,
        starts_on=start,
        due_on=start + timedelta(days=due_in_days),
        duration_days=due_in_days,
    )
    session.add(task)
    await session.flush()
    if commit:
        await session.commit()
    return task


async def make_team(
    session: AsyncSession,
    org: OrgWithMembers,
    roles: list[Role],
    *,
    name: str | None = None,
    lead: Role | None = None,
) -> Team:
    team = Team(
        id=uuid.uuid4(),
        org_id=org.org.id,
        name=name or f"团队-{uuid.uuid4().hex[:6]}",
        lead_member_id=org.members[lead].id if lead else None,
    )
    session.add(team)
    await session.flush()
    for role in roles:
        session.add(TeamMember(org_id=org.org.id, team_id=team.id, member_id=org.members[role].id))
    await session.commit()
    return team
