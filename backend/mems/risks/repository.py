"""SQL for issues and risks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.pagination import PageParams, paginate
from mems.core.tenancy import scoped
from mems.risks.models import Escalation, IssueKind, IssueStatus, WorkIssue

OPEN = (IssueStatus.OPEN, IssueStatus.IN_PROGRESS)


async def get(session: AsyncSession, org_id: uuid.UUID, issue_id: uuid.UUID) -> WorkIssue | None:
    return await session.scalar(scoped(WorkIssue, org_id, WorkIssue.id == issue_id))


@dataclass(frozen=True)
class IssueFilter:
    kind: IssueKind | None = None
    status: IssueStatus | None = None
    owner_member_id: uuid.UUID | None = None


async def of_project(
    session: AsyncSession,
    org_id: uuid.UUID,
    project_id: uuid.UUID,
    filters: IssueFilter,
    params: PageParams,
) -> tuple[list[WorkIssue], int]:
    stmt = scoped(WorkIssue, org_id, WorkIssue.project_id == project_id)
    if filters.kind is not None:
        stmt = stmt.where(WorkIssue.kind == filters.kind)
    if filters.status is not None:
        stmt = stmt.where(WorkIssue.status == filters.status)
    if filters.owner_member_id is not None:
        stmt = stmt.where(WorkIssue.owner_member_id == filters.owner_member_id)
    stmt = stmt.order_by(WorkIssue.created_at.desc(), WorkIssue.id)
    return await paginate(session, stmt, params)


async def escalation_candidates(session: AsyncSession, due_before: date) -> list[WorkIssue]:
    """Every open issue due before `due_before` not yet escalated to the directors, in every
    organisation (the escalation job decides which are overdue in their organisation's time
    zone), by organisation."""
    stmt = (
        select(WorkIssue)
        .where(
            WorkIssue.status.in_(OPEN),
            WorkIssue.due_on < due_before,
            WorkIssue.escalation != Escalation.DIRECTOR,
        )
        .order_by(WorkIssue.org_id, WorkIssue.due_on, WorkIssue.id)
    )
    return list((await session.scalars(stmt)).all())


async def open_of_project(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID, limit: int
) -> list[WorkIssue]:
    """The project's open issues and risks (open or in progress), the most severe first."""
    stmt = scoped(
        WorkIssue,
        org_id,
        WorkIssue.project_id == project_id,
        WorkIssue.status.in_([IssueStatus.OPEN, IssueStatus.IN_PROGRESS]),
    ).limit(limit)
    return list((await session.scalars(stmt)).all())
