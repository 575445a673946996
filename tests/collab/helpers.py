"""Subjects to discuss, made the way their own domains store them."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.identity.permissions import Role
from mems.notifications.models import Notification
from mems.orders.models import WorkOrder
from mems.projects.models import Project, ProjectStatus, ProjectType
from mems.risks.models import IssueKind, WorkIssue
from mems.work.models import Task
from tests.factories import OrgWithMembers

API = "/api/v1"


async def make_project(
    session: AsyncSession, org: OrgWithMembers, owner: Role = Role.PROJECT_MANAGER
) -> Project:
    suffix = uuid.uuid4().hex[:8]
    project = Project(
        id=uuid.uuid4(),
        org_id=org.org.id,
        code=f"C{suffix}",
        name=f"讨论项目 {suffix}",
        type=ProjectType.PROMOTION,
        status=ProjectStatus.ACTIVE,
        owner_member_id=org.members[owner].id,
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 11, 15),
    )
    session.add(project)
    await session.commit()
    return project


async def make_task(session: AsyncSession, project: Project) -> Task:
    task = Task(
        id=uuid.uuid4(),
        org_id=project.org_id,
        project_id=project.id,
        title="设计主视觉",
        position=0,
        duration_days=3,
        starts_on=date(2026, 10, 8),
        due_on=date(2026, 10, 10),
    )
    session.add(task)
    await session.commit()
    return task


async def make_issue(session: AsyncSession, project: Project) -> WorkIssue:
    issue = WorkIssue(
        id=uuid.uuid4(),
        org_id=project.org_id,
        project_id=project.id,
        kind=IssueKind.ISSUE,
        title="物料延期",
    )
    session.add(issue)
    await session.commit()
    return issue


async def make_order(
    session: AsyncSession,
    org: OrgWithMembers,
    requester: Role = Role.PROJECT_MANAGER,
    assignee: Role = Role.MEMBER,
) -> WorkOrder:
    order = WorkOrder(
        id=uuid.uuid4(),
        org_id=org.org.id,
        number=int(uuid.uuid4().int % 1_000_000),
        title="请设计海报",
        requester_member_id=org.members[requester].id,
        assignee_member_id=org.members[assignee].id,
    )
    session.add(order)
    await session.commit()
    return order


def mention(org: OrgWithMembers, role: Role, name: str | None = None) -> str:
    member = org.members[role]
    return f"@[{name or member.user.name}]({member.id})"


async def mentions_of(session: AsyncSession, subject_id: uuid.UUID) -> list[uuid.UUID]:
    """Who has been notified of a mention about the subject (sorted)."""
    rows = await session.scalars(
        select(Notification.recipient_member_id).where(
            Notification.kind == "comment.mention", Notification.link_id == subject_id
        )
    )
    return sorted(rows.all(), key=str)


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def upload(
    c: httpx.AsyncClient,
    subject_type: str,
    subject_id: Any,
    filename: str,
    content: bytes,
    content_type: str = "application/octet-stream",
) -> httpx.Response:
    return await c.post(
        f"{API}/discussions/{subject_type}/{subject_id}/attachments",
        files={"file": (filename, content, content_type)},
    )
