"""Budget requests and changes (预算申请 / 预算变更) through the approval workflow (issue 10).

A registered project (approved, active or closing) asks for money line by line: a plan line
becomes an approved amount, an approved line changes, a new line is added. The request walks
the organisation's budget flow (by default the director, then finance above ¥50,000 of added
money); nobody who asked decides it. Approved, its items become the lines' approved amounts
in the same transaction as the last decision — the project's budget is the sum of its approved
lines, so it follows at once — and a crossing of a threshold that the new amounts cause is
announced like one a cost causes. One request per project is pending at a time: the project
row is locked while a request is opened or applied, and a partial unique index backs it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mems.approvals import service as approvals
from mems.approvals.flow import RequestState, RequestType
from mems.core.clock import utcnow
from mems.core.errors import Conflict, NotFound, ValidationFailed
from mems.core.i18n import Message, _
from mems.core.pagination import PageParams
from mems.finance import changes, costs
from mems.finance import repository as repo
from mems.finance.changes import Ask
from mems.finance.models import (
    BudgetLine,
    BudgetLineState,
    BudgetRequest,
    BudgetRequestKind,
    BudgetRequestState,
)
from mems.identity.principal import Principal
from mems.projects import service as projects
from mems.projects.policy import ProjectRight
from mems.work import service as work


def _refusal(reason: str) -> Message:
    return {
        "unknown_line": _("The budget line is not one of this project's."),
        "duplicate_line": _("This line is asked for twice in the request."),
        "duplicate_name": _("Two new lines of the request have this name."),
        "name_taken": _("The project has a budget line of this name; ask for that line."),
        "unchanged": _("The line is approved at this amount already."),
        "required": _("A new line needs its category and name."),
    }[reason]


async def open_request(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    reason: str,
    asks: Sequence[Ask],
) -> BudgetRequest:
    """Ask for budget on a project the caller manages."""
    project = await projects.project_for(session, principal, project_id, ProjectRight.MANAGE)
    await projects.ensure_can_request_budget(session, principal.org_id, project.id)
    await projects.lock_plan(session, project)
    if await repo.pending_request(session, principal.org_id, project.id) is not None:
        raise Conflict(
            _(
                "The project has a budget request waiting for approval; withdraw it or wait "
                "for its decision first."
            )
        )
    for i, ask in enumerate(asks):
        if ask.phase_id is None:
            continue
        if not await work.phase_in_project(session, principal.org_id, project.id, ask.phase_id):
            raise ValidationFailed.on(
                f"items[{i}].phase_id", _("The phase is not one of this project's."), "not_found"
            )
        if ask.line_id is not None:
            raise ValidationFailed.on(
                f"items[{i}].phase_id",
                _("An existing line keeps its phase; a phase is given to a new line."),
                "not_for_existing_line",
            )
    lines = await repo.lines_of(session, principal.org_id, project.id)
    try:
        plan = changes.plan([_current(line) for line in lines], asks)
    except changes.Refused as exc:
        raise ValidationFailed.on(
            f"items[{exc.index}].{exc.field}", _refusal(exc.reason), exc.reason
        ) from exc
    request = BudgetRequest(
        org_id=principal.org_id,
        project_id=project.id,
        kind=BudgetRequestKind.INITIAL if plan.initial else BudgetRequestKind.CHANGE,
        state=BudgetRequestState.PENDING,
        reason=reason,
        amount=plan.amount,
        total_before=plan.total_before,
        total_after=plan.total_after,
        items=[
            {
                "line_id": None if c.line_id is None else str(c.line_id),
                "category": c.category,
                "name": c.name,
                "phase_id": None if c.phase_id is None else str(c.phase_id),
                "before": str(c.before),
                "after": str(c.after),
            }
            for c in plan.changes
        ],
        requested_by_member_id=principal.membership_id,
    )
    session.add(request)
    await session.flush()
    approval = await approvals.open_request(
        session,
        principal,
        RequestType.BUDGET_REQUEST,
        request.id,
        f"{project.code} {project.name}",
        plan.amount,
        project.currency,
    )
    request.approval_request_id = approval.id
    await session.flush()
    return request


def _current(line: BudgetLine) -> changes.CurrentLine:
    return changes.CurrentLine(
        id=line.id,
        category=str(line.category),
        name=line.name,
        phase_id=line.phase_id,
        approved=line.amount if line.state == BudgetLineState.APPROVED else None,
    )


async def get(session: AsyncSession, principal: Principal, request_id: uuid.UUID) -> BudgetRequest:
    request = await repo.get_request(session, principal.org_id, request_id)
    if request is None:
        raise NotFound(_("Budget request {request_id} not found.", request_id=request_id))
    await projects.project_for(session, principal, request.project_id)
    return request


async def any_request_in(session: AsyncSession, org_id: uuid.UUID) -> bool:
    """Whether the organisation ever asked for budget (the demo seed's check)."""
    return await repo.any_request_in(session, org_id)


async def list_requests(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, page: PageParams
) -> tuple[list[BudgetRequest], int]:
    project = await projects.project_for(session, principal, project_id)
    return await repo.requests_of(session, principal.org_id, project.id, page)


async def withdraw(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID
) -> BudgetRequest:
    """The requester (or whoever manages the project) takes a pending request back."""
    request = await get(session, principal, request_id)
    project = await projects.project_for(session, principal, request.project_id)
    if request.requested_by_member_id != principal.membership_id:
        await projects.project_for(session, principal, project.id, ProjectRight.MANAGE)
    await projects.lock_plan(session, project)
    if request.state != BudgetRequestState.PENDING:
        raise Conflict(
            _("Only a pending budget request can be withdrawn."),
            current_status=request.state.value,
        )
    request.state = BudgetRequestState.WITHDRAWN
    request.decided_at = utcnow()
    if request.approval_request_id is not None:
        approval = await approvals.find_request(session, request.approval_request_id)
        if approval is not None:
            await approvals.withdraw(session, approval)
    await session.flush()
    return request


@approvals.on_outcome(RequestType.BUDGET_REQUEST)
async def _decided(session: AsyncSession, approval: approvals.Request) -> None:
    request = await repo.get_request(session, approval.org_id, approval.subject_id)
    if request is None or request.state != BudgetRequestState.PENDING:
        return
    request.decided_at = utcnow()
    if approval.state != RequestState.APPROVED.value:
        request.state = BudgetRequestState.REJECTED
        await session.flush()
        return
    request.state = BudgetRequestState.APPROVED
    project = await projects.project_by_id(session, approval.org_id, request.project_id)
    if project is None:  # pragma: no cover - projects are never deleted
        return
    await projects.lock_plan(session, project)
    await _apply(session, project, request)


async def _apply(session: AsyncSession, project: Any, request: BudgetRequest) -> None:
    lines = {line.id: line for line in await repo.lines_of(session, project.org_id, project.id)}
    by_name = {line.name.strip().casefold(): line for line in lines.values()}
    position = max((line.position for line in lines.values()), default=-1) + 1
    touched: list[BudgetLine] = []
    for item in request.items:
        line = lines.get(uuid.UUID(item["line_id"])) if item["line_id"] else None
        if line is None:
            line = by_name.get(item["name"].strip().casefold())
        if line is None:
            line = BudgetLine(
                org_id=project.org_id,
                project_id=project.id,
                position=position,
                category=item["category"],
                name=item["name"],
                phase_id=uuid.UUID(item["phase_id"]) if item["phase_id"] else None,
            )
            position += 1
            session.add(line)
        line.amount = Decimal(item["after"])
        line.state = BudgetLineState.APPROVED
        touched.append(line)
    await session.flush()
    await costs.announce_levels(session, project, touched)


def may_withdraw(principal: Principal, request: BudgetRequest) -> bool:
    return (
        request.state == BudgetRequestState.PENDING
        and request.requested_by_member_id == principal.membership_id
    )
