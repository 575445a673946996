"""Approval endpoints: flows per request type, the inbox, decisions with history."""

from __future__ import annotations

import uuid

from fastapi import Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from mems.approvals import service
from mems.approvals.flow import RequestState, RequestType, StepRule
from mems.approvals.models import ApprovalRecord, ApprovalRequest
from mems.approvals.schemas import (
    ApprovalDetail,
    ApprovalRead,
    DecisionCreate,
    FlowRead,
    FlowUpdate,
    RecordRead,
    SubmissionRead,
)
from mems.core.db import OneReaderDep, SessionDep
from mems.core.errors import (
    GUARDED,
    Conflict,
    NotFound,
    problem_responses,
)
from mems.core.pagination import Page, PageParamsDep
from mems.core.responses import json_response
from mems.core.routing import api_router
from mems.identity import service as identity
from mems.identity.auth import Requires
from mems.identity.permissions import Permission
from mems.identity.principal import Principal

router = api_router(tags=["approvals"], responses=GUARDED)


async def approval_detail(
    session: AsyncSession, request: ApprovalRequest, principal: Principal
) -> ApprovalDetail:
    records: list[ApprovalRecord] = await service.history(session, request)
    submitter = request.submitted_by_member_id or request.requested_by_member_id
    names = await identity.member_names(
        session,
        principal.org_id,
        {request.requested_by_member_id, submitter, *(r.decided_by_member_id for r in records)},
    )
    return ApprovalDetail(
        **service.read(
            request,
            principal,
            names,
            frozenset(
                {request.id}
                if any(r.decided_by_member_id == principal.membership_id for r in records)
                else ()
            ),
        ).model_dump(),
        submission=SubmissionRead(
            submitted_by_member_id=submitter,
            submitted_by_name=names.get(submitter, ""),
            submitted_at=request.created_at,
        ),
        history=[
            RecordRead(
                id=r.id,
                step=r.step,
                decided_by_member_id=r.decided_by_member_id,
                decided_by_name=names.get(r.decided_by_member_id, ""),
                decision=r.decision,
                comment=r.comment,
                created_at=r.created_at,
            )
            for r in records
        ],
    )


@router.get("/approval-flows", response_model=list[FlowRead])
async def list_flows(
    session: SessionDep, principal: Principal = Requires(Permission.APPROVALS_READ)
) -> list[FlowRead]:
    """The approval steps of each request type (the built-in default until configured)."""
    flows = []
    for request_type in RequestType:
        rules, is_default = await service.flow_rules(session, principal.org_id, request_type)
        flows.append(
            FlowRead(
                request_type=request_type,
                revision=service.flow_revision(rules, is_default),
                steps=service.step_reads(rules),
                is_default=is_default,
            )
        )
    return flows


@router.put("/approval-flows/{request_type}", response_model=FlowRead)
async def set_flow(
    request_type: RequestType,
    body: FlowUpdate,
    session: SessionDep,
    principal: Principal = Requires(Permission.ORG_MANAGE),
) -> FlowRead:
    """Replace the steps of a request type, e.g. director, then finance above ¥500,000.
    Requests already under way keep the steps they started with. Send the `revision` you
    read: if someone changed the flow since, this is a 409."""
    rules = [StepRule(s.role.value, s.min_amount) for s in body.steps]
    await service.set_flow(session, principal, request_type, rules, body.revision)
    return FlowRead(
        request_type=request_type,
        revision=service.flow_revision(rules, False),
        steps=service.step_reads(rules),
        is_default=False,
    )


@router.get("/approvals", response_model=Page[ApprovalRead])
async def list_approvals(
    reader: OneReaderDep,
    page: PageParamsDep,
    box: service.Box = service.Box.INBOX,
    state: RequestState | None = None,
    request_type: RequestType | None = None,
    principal: Principal = Requires(Permission.APPROVALS_READ),
) -> Response:
    """`inbox`: waiting for the caller's decision; `mine`: the caller's own requests;
    `all`: every request (approvers only). Newest first."""
    requests = await service.view_requests(
        reader, principal, page, box=box, state=state, request_type=request_type
    )
    return json_response(requests, Page[ApprovalRead])


@router.get(
    "/approvals/{approval_id}", response_model=ApprovalDetail, responses=problem_responses(NotFound)
)
async def get_approval(
    approval_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = Requires(Permission.APPROVALS_READ),
) -> ApprovalDetail:
    """One request with its full decision history."""
    request = await service.get_request(session, principal, approval_id)
    return await approval_detail(session, request, principal)


@router.post(
    "/approvals/{approval_id}/decisions",
    response_model=ApprovalDetail,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(NotFound, Conflict),
)
async def decide(
    approval_id: uuid.UUID,
    body: DecisionCreate,
    session: SessionDep,
    principal: Principal = Requires(Permission.APPROVALS_DECIDE),
) -> ApprovalDetail:
    """Approve or reject the current step (a rejection needs a comment). Nobody decides their
    own request; each step is decided by its role (admins may act for any)."""
    request = await service.decide(session, principal, approval_id, body.decision, body.comment)
    return await approval_detail(session, request, principal)
