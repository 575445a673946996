"""The approval workflow with persistence: flows per organisation, requests, decisions.

Domains open requests (`open_request`) and learn the outcome through a handler they register
for their request type (`on_outcome`); the decision itself always goes through `decide`.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeAlias

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from mems.approvals import notices
from mems.approvals import repository as repo
from mems.approvals.flow import (
    Decision,
    NotAllowed,
    Recorded,
    RequestState,
    RequestType,
    StepRule,
    applicable_steps,
    may_decide,
    progress,
)
from mems.approvals.flow import (
    decide as decide_rule,
)
from mems.approvals.models import ApprovalRecord, ApprovalRequest, ApprovalStep
from mems.approvals.schemas import ApprovalRead, StepRead
from mems.core.clock import utcnow
from mems.core.db import Reader
from mems.core.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from mems.core.i18n import Message, _, term
from mems.core.pagination import PageParams, page_of
from mems.core.versioning import check_revision, content_revision
from mems.identity.permissions import Permission, Role, role_allows
from mems.identity.principal import Principal

DEFAULT_FLOWS: dict[RequestType, list[StepRule]] = {
    RequestType.PROJECT_INITIATION: [
        StepRule(Role.DIRECTOR.value),
        StepRule(Role.FINANCE.value, Decimal(500_000)),
    ],
    # Budget: the director, then finance when the money added exceeds ¥50,000.
    RequestType.BUDGET_REQUEST: [
        StepRule(Role.DIRECTOR.value),
        StepRule(Role.FINANCE.value, Decimal(50_000)),
    ],
}

# A request as other domains name it: they get requests from this service, never from
# approvals.models (see the import contracts in pyproject.toml).
Request: TypeAlias = ApprovalRequest
OutcomeHandler = Callable[[AsyncSession, ApprovalRequest], Awaitable[None]]
_OUTCOME_HANDLERS: dict[RequestType, OutcomeHandler] = {}


def on_outcome(request_type: RequestType) -> Callable[[OutcomeHandler], OutcomeHandler]:
    """Register what happens when a request of this type is approved or rejected."""

    def register(handler: OutcomeHandler) -> OutcomeHandler:
        _OUTCOME_HANDLERS[request_type] = handler
        return handler

    return register


def has_outcome_handler(request_type: RequestType) -> bool:
    return request_type in _OUTCOME_HANDLERS


class Box(StrEnum):
    INBOX = "inbox"  # waiting for me
    MINE = "mine"  # requested by me
    ALL = "all"  # everything (deciders only)


# ---- flows ---------------------------------------------------------------------------------


async def flow_rules(
    session: AsyncSession, org_id: uuid.UUID, request_type: RequestType
) -> tuple[list[StepRule], bool]:
    """The organisation's steps for this request type, and whether they are the default."""
    rows = await repo.flow_steps(session, org_id, request_type)
    if not rows:
        return list(DEFAULT_FLOWS[request_type]), True
    return [StepRule(r.role, r.min_amount) for r in rows], False


def flow_revision(rules: list[StepRule], is_default: bool) -> str:
    return content_revision(
        {
            "default": is_default,
            "steps": [
                [r.role, None if r.min_amount is None else f"{r.min_amount:.2f}"] for r in rules
            ],
        }
    )


async def set_flow(
    session: AsyncSession,
    principal: Principal,
    request_type: RequestType,
    steps: list[StepRule],
    revision: str,
) -> list[StepRule]:
    current, is_default = await flow_rules(session, principal.org_id, request_type)
    check_revision(flow_revision(current, is_default), revision)
    for i, step in enumerate(steps):
        if not role_allows(Role(step.role), Permission.APPROVALS_DECIDE):
            raise ValidationFailed.on(
                f"steps[{i}].role",
                _("the role '{role}' does not decide approvals", role=step.role),
                "role_cannot_decide",
            )
    if all(s.min_amount is not None for s in steps):
        raise ValidationFailed(
            _("At least one step must apply to every amount."),
            errors=[
                FieldError(
                    field="steps",
                    message="at least one step needs no min_amount",
                    type="no_unconditional_step",
                )
            ],
        )
    await repo.delete_flow_steps(session, principal.org_id, request_type)
    for position, step in enumerate(steps):
        session.add(
            ApprovalStep(
                org_id=principal.org_id,
                request_type=request_type,
                position=position,
                role=step.role,
                min_amount=step.min_amount,
            )
        )
    await session.flush()
    return steps


# ---- requests ------------------------------------------------------------------------------


def step_rules(request: ApprovalRequest) -> list[StepRule]:
    return [
        StepRule(s["role"], None if s["min_amount"] is None else Decimal(s["min_amount"]))
        for s in request.steps["items"]
    ]


async def open_request(
    session: AsyncSession,
    principal: Principal,
    request_type: RequestType,
    subject_id: uuid.UUID,
    title: str,
    amount: Decimal | None,
    currency: str,
    requested_by: uuid.UUID | None = None,
    subject_author: uuid.UUID | None = None,
) -> ApprovalRequest:
    """`requested_by`: whose request it is when not the caller's (e.g. the project's manager
    when someone else submits it); `subject_author`: who made the subject (e.g. created the
    project). They, and the caller who submits, never decide it."""
    rules, _ = await flow_rules(session, principal.org_id, request_type)
    steps = applicable_steps(rules, amount)
    request = ApprovalRequest(
        org_id=principal.org_id,
        request_type=request_type,
        subject_id=subject_id,
        title=title,
        amount=amount,
        currency=currency,
        requested_by_member_id=requested_by or principal.membership_id,
        submitted_by_member_id=principal.membership_id,
        subject_author_member_id=subject_author,
        state=RequestState.PENDING.value,
        steps={
            "items": [
                {"role": s.role, "min_amount": None if s.min_amount is None else str(s.min_amount)}
                for s in steps
            ]
        },
        current_step=0,
        waiting_for_role=steps[0].role,
    )
    session.add(request)
    await session.flush()
    await notices.tell_deciders(session, request, set())
    return request


async def withdraw(session: AsyncSession, request: ApprovalRequest) -> None:
    if request.state == RequestState.PENDING.value:
        request.state = RequestState.WITHDRAWN.value
        request.current_step = None
        request.waiting_for_role = None
        request.decided_at = utcnow()
        await session.flush()
        await notices.step_settled(session, request)


async def get_request(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID
) -> ApprovalRequest:
    request = await repo.get_request(session, principal.org_id, request_id)
    if request is None:
        raise NotFound(_("Approval request {request_id} not found.", request_id=request_id))
    return request


async def find_request(session: AsyncSession, request_id: uuid.UUID) -> ApprovalRequest | None:
    """A request by the id its subject keeps (e.g. a project's `approval_request_id`)."""
    return await repo.request_by_id(session, request_id)


async def history(session: AsyncSession, request: ApprovalRequest) -> list[ApprovalRecord]:
    return await repo.records(session, request)


_EVERY_ROLE = frozenset(r.value for r in Role)


def decider_roles(principal: Principal) -> frozenset[str]:
    """Whoever may act for any step (admins) decides every step; everyone else the steps of
    their own role."""
    if not principal.can(Permission.APPROVALS_DECIDE):
        return frozenset()
    if principal.can(Permission.APPROVALS_DECIDE_ANY_STEP):
        return _EVERY_ROLE
    return frozenset({principal.role.value})


def recused(request: ApprovalRequest) -> frozenset[uuid.UUID]:
    """Who never decides this request: whoever asked for it, submitted it or made its subject."""
    return _recused(
        request.requested_by_member_id,
        request.submitted_by_member_id,
        request.subject_author_member_id,
    )


def _recused(*people: uuid.UUID | None) -> frozenset[uuid.UUID]:
    return frozenset(p for p in people if p is not None)


def can_decide(principal: Principal, request: ApprovalRequest, decided_a_step: bool) -> bool:
    """Whether the caller may decide the request's current step (see approvals.flow);
    `decided_a_step`: whether they decided an earlier one."""
    return may_decide(
        request.state,
        request.waiting_for_role,
        recused=recused(request),
        decided_a_step=decided_a_step,
        decider=principal.membership_id,
        decider_roles=decider_roles(principal),
    )


def read(
    request: ApprovalRequest,
    principal: Principal,
    names: dict[uuid.UUID, str],
    decided: frozenset[uuid.UUID],
) -> ApprovalRead:
    """The request as the caller sees it (the approvals API and a project's detail page).
    `names`: member names by id; `decided`: ids of requests the caller decided a step of
    (`request_as_seen`)."""
    return ApprovalRead(
        id=request.id,
        request_type=request.request_type,
        subject_id=request.subject_id,
        title=request.title,
        amount=request.amount,
        currency=request.currency,
        requested_by_member_id=request.requested_by_member_id,
        requested_by_name=names.get(request.requested_by_member_id, ""),
        state=RequestState(request.state),
        steps=step_reads(step_rules(request)),
        current_step=request.current_step,
        waiting_for_role=request.waiting_for_role,
        can_decide=can_decide(principal, request, request.id in decided),
        created_at=request.created_at,
        decided_at=request.decided_at,
        version=request.version,
    )


def step_reads(rules: list[StepRule]) -> list[StepRead]:
    return [StepRead(role=r.role, min_amount=r.min_amount) for r in rules]


async def decide(
    session: AsyncSession,
    principal: Principal,
    request_id: uuid.UUID,
    decision: Decision,
    comment: str,
) -> ApprovalRequest:
    """Two deciders at once: the second flush fails the request row's version check and is
    answered 409 (core.errors), so a step is never approved twice."""
    request = await get_request(session, principal, request_id)
    if request.state != RequestState.PENDING.value:
        raise Conflict(_("The request is already {state}.", state=term(request.state, "request")))
    records = await history(session, request)
    steps = step_rules(request)
    past = [Recorded(r.step, r.decided_by_member_id, r.decision, r.comment) for r in records]
    try:
        decide_rule(
            steps,
            past,
            recused=recused(request),
            decider=principal.membership_id,
            decider_roles=decider_roles(principal),
            decision=decision,
            comment=comment,
        )
    except NotAllowed as exc:
        if exc.reason == "comment_required":
            raise ValidationFailed(
                _("A rejection needs a comment saying why."),
                errors=[
                    FieldError(
                        field="comment",
                        message="a rejection needs a comment saying why",
                        type="required",
                    )
                ],
            ) from exc
        if exc.reason == "finished":
            raise Conflict(
                _("The request is already {state}.", state=term(request.state, "request")),
                current_status=request.state,
            ) from exc
        raise Forbidden(_refusal(exc.reason, request), reason=exc.reason) from exc
    step = request.current_step or 0
    session.add(
        ApprovalRecord(
            org_id=request.org_id,
            request_id=request.id,
            step=step,
            decided_by_member_id=principal.membership_id,
            decision=decision,
            comment=comment,
        )
    )
    past.append(Recorded(step, principal.membership_id, decision, comment))
    now = progress(steps, past)
    request.state = now.state.value
    request.current_step = now.current_step
    request.waiting_for_role = now.waiting_for_role
    if now.state != RequestState.PENDING:
        request.decided_at = utcnow()
    await session.flush()
    await notices.step_settled(session, request)
    if now.state == RequestState.PENDING:
        deciders = {r.decided_by_member_id for r in records} | {principal.membership_id}
        await notices.tell_deciders(session, request, deciders)
    else:
        await notices.tell_outcome(session, request, principal.membership_id, comment)
        handler = _OUTCOME_HANDLERS.get(request.request_type)
        if handler is not None:
            await handler(session, request)
    return request


def _refusal(reason: str, request: ApprovalRequest) -> Message:
    if reason == "own_request":
        return _(
            "You asked for, submitted or created what this request is about, so someone else "
            "decides it."
        )
    if reason == "second_step":
        return _("You decided an earlier step of this request; someone else decides this one.")
    return _(
        "Step {step} of this request is decided by the role '{role}'.",
        step=(request.current_step or 0) + 1,
        role=term(request.waiting_for_role or ""),
    )


async def view_requests(
    reader: Reader,
    principal: Principal,
    params: PageParams,
    *,
    box: Box,
    state: RequestState | None,
    request_type: RequestType | None,
) -> dict[str, Any]:
    """A page of requests as the caller sees them (`Page[ApprovalRead]`), newest first: the
    inbox (waiting for the caller's decision: the steps of their roles, less the requests
    their duties keep them from deciding), their own requests, or every request (approvers
    only). One statement."""
    if box == Box.ALL and not principal.can(Permission.APPROVALS_DECIDE):
        raise Forbidden(_("Only approvers see every request; use box=inbox or box=mine."))
    roles = decider_roles(principal)
    if box == Box.INBOX and not roles:
        return page_of([], params, dict)
    rows = await repo.view_requests(
        reader,
        principal.membership_id,
        params,
        decidable_by=sorted(roles) if box == Box.INBOX else None,
        requested_by_me=box == Box.MINE,
        state=state,
        request_type=request_type,
    )
    return page_of(rows, params, lambda row: view(row, principal, roles))


def view(
    row: Mapping[str, Any], principal: Principal, roles: frozenset[str] | None = None
) -> dict[str, Any]:
    """`read` for a row of a read statement (the request's columns, its steps as JSON text
    `steps_json`, the requester's name and `decided`: whether the caller decided a step of
    it), as the JSON of `ApprovalRead`.
    `roles`: the caller's `decider_roles` (when already known)."""
    return {
        "id": row["id"],
        "request_type": row["request_type"],
        "subject_id": row["subject_id"],
        "title": row["title"],
        "amount": row["amount"],
        "currency": row["currency"],
        "requested_by_member_id": row["requested_by_member_id"],
        "requested_by_name": row["requested_by_name"],
        "state": row["state"],
        "steps": [
            {"role": s["role"], "min_amount": s["min_amount"]}
            for s in orjson.loads(row["steps_json"])["items"]
        ],
        "current_step": row["current_step"],
        "waiting_for_role": row["waiting_for_role"],
        "can_decide": may_decide(
            row["state"],
            row["waiting_for_role"],
            recused=_recused(
                row["requested_by_member_id"],
                row["submitted_by_member_id"],
                row["subject_author_member_id"],
            ),
            decided_a_step=bool(row["decided"]),
            decider=principal.membership_id,
            decider_roles=decider_roles(principal) if roles is None else roles,
        ),
        "created_at": row["created_at"],
        "decided_at": row["decided_at"],
        "version": row["version"],
    }


async def view_request(
    reader: Reader, principal: Principal, request_id: uuid.UUID
) -> dict[str, Any] | None:
    """A request another domain points to (e.g. a project's 立项 request) as the caller sees
    it (`view`), for reads; one statement. None: not in the caller's organisation."""
    row = await repo.view_request(reader, request_id, principal.membership_id)
    return None if row is None else view(row, principal)


async def request_as_seen(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID
) -> tuple[ApprovalRequest, frozenset[uuid.UUID]] | None:
    """A request another domain points to (e.g. a project's 立项 request) with what `read`
    needs of the caller: the request ids they decided a step of. One query."""
    found = await repo.request_with_decided(
        session, principal.org_id, request_id, principal.membership_id
    )
    if found is None:
        return None
    request, decided = found
    return request, frozenset({request.id} if decided else ())
