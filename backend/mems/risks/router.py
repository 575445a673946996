"""Issue and risk endpoints (问题上报)."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import Response, status

from mems.core.db import SessionDep
from mems.core.errors import (
    GUARDED,
    ONE,
    Conflict,
    NotFound,
    PreconditionFailed,
    StaleVersion,
    problem_responses,
)
from mems.core.pagination import Page, PageParamsDep
from mems.core.routing import api_router
from mems.core.versioning import IfMatchHeader, set_etag
from mems.identity.auth import Requires
from mems.identity.permissions import Permission
from mems.identity.principal import Principal
from mems.risks import service
from mems.risks.models import IssueKind, IssueStatus, WorkIssue
from mems.risks.repository import IssueFilter
from mems.risks.schemas import IssueCreate, IssueRead, IssueResolve, IssueStep, IssueUpdate

router = api_router(
    tags=["issues"],
    responses=GUARDED,
)
Read = Requires(Permission.PROJECTS_READ)
Write = Requires(Permission.WORK_WRITE)
_STEP = problem_responses(NotFound, Conflict, StaleVersion)


def issue_read(issue: WorkIssue, names: dict[uuid.UUID, str], today: date) -> IssueRead:
    return IssueRead(
        id=issue.id,
        project_id=issue.project_id,
        task_id=issue.task_id,
        kind=issue.kind,
        title=issue.title,
        description=issue.description,
        severity=issue.severity,
        probability=issue.probability,
        impact=issue.impact,
        risk_score=service.risk_score(issue),
        owner_member_id=issue.owner_member_id,
        owner_name=names.get(issue.owner_member_id) if issue.owner_member_id else None,
        raised_by_member_id=issue.raised_by_member_id,
        due_on=issue.due_on,
        status=issue.status,
        overdue=service.is_overdue(issue, today),
        escalation=issue.escalation,
        escalated_at=issue.escalated_at,
        resolved_at=issue.resolved_at,
        resolution=issue.resolution,
        created_at=issue.created_at,
        updated_at=issue.updated_at,
        version=issue.version,
    )


async def _read(session: SessionDep, principal: Principal, issue: WorkIssue) -> IssueRead:
    names = await service.owner_names(session, principal, [issue])
    return issue_read(issue, names, await service.org_today(session, principal))


@router.get("/projects/{project_id}/issues", response_model=Page[IssueRead], responses=ONE)
async def list_issues(
    project_id: uuid.UUID,
    session: SessionDep,
    page: PageParamsDep,
    kind: IssueKind | None = None,
    status: IssueStatus | None = None,
    owner_member_id: uuid.UUID | None = None,
    principal: Principal = Read,
) -> Page[IssueRead]:
    """The project's issues and risks, newest first, with each risk's score (probability ×
    impact) and whether it is overdue."""
    filters = IssueFilter(kind, status, owner_member_id)
    items, total = await service.list_of_project(session, principal, project_id, filters, page)
    names = await service.owner_names(session, principal, items)
    today = await service.org_today(session, principal)
    return Page(
        items=[issue_read(i, names, today) for i in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "/projects/{project_id}/issues",
    response_model=IssueRead,
    status_code=status.HTTP_201_CREATED,
    responses=ONE,
)
async def raise_issue(
    project_id: uuid.UUID, body: IssueCreate, session: SessionDep, principal: Principal = Write
) -> IssueRead:
    """Raise an issue (it happened) or a risk (it may: probability and impact 1–5) on a
    project the caller works on; its owner, who must work on the project, is notified."""
    issue = await service.create(session, principal, project_id, body)
    return await _read(session, principal, issue)


@router.get("/issues/{issue_id}", response_model=IssueRead, responses=ONE)
async def get_issue(
    issue_id: uuid.UUID, response: Response, session: SessionDep, principal: Principal = Read
) -> IssueRead:
    """One issue or risk."""
    issue = await service.get(session, principal, issue_id)
    set_etag(response, issue.version)
    return await _read(session, principal, issue)


@router.patch(
    "/issues/{issue_id}",
    response_model=IssueRead,
    responses=problem_responses(NotFound, Conflict, StaleVersion, PreconditionFailed),
)
async def update_issue(
    issue_id: uuid.UUID,
    body: IssueUpdate,
    response: Response,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Write,
) -> IssueRead:
    """Edit an open issue: its text, severity, scores, owner (notified), due day (a new one
    starts the escalation over), task, or open / in progress."""
    issue = await service.update(session, principal, issue_id, body, if_match)
    set_etag(response, issue.version)
    return await _read(session, principal, issue)


@router.post("/issues/{issue_id}/resolve", response_model=IssueRead, responses=_STEP)
async def resolve_issue(
    issue_id: uuid.UUID, body: IssueResolve, session: SessionDep, principal: Principal = Write
) -> IssueRead:
    """Resolve an open issue, saying how."""
    issue = await service.resolve(session, principal, issue_id, body.resolution, body.version)
    return await _read(session, principal, issue)


@router.post("/issues/{issue_id}/close", response_model=IssueRead, responses=_STEP)
async def close_issue(
    issue_id: uuid.UUID, body: IssueStep, session: SessionDep, principal: Principal = Write
) -> IssueRead:
    """Close an issue (resolved, or not worth pursuing)."""
    issue = await service.close(session, principal, issue_id, body.version)
    return await _read(session, principal, issue)


@router.post("/issues/{issue_id}/reopen", response_model=IssueRead, responses=_STEP)
async def reopen_issue(
    issue_id: uuid.UUID, body: IssueStep, session: SessionDep, principal: Principal = Write
) -> IssueRead:
    """Reopen a resolved or closed issue; its escalation starts over."""
    issue = await service.reopen(session, principal, issue_id, body.version)
    return await _read(session, principal, issue)
