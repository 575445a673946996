"""Who the approval workflow tells what, through the notifications domain.

When a request reaches a step, the people who may decide it are told it awaits them; when it is
finished, its requester (and whoever submitted it for them) is told the outcome. Everything is
written in the transaction of the change that caused it.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from mems.approvals.flow import RequestState
from mems.approvals.models import ApprovalRequest
from mems.core.i18n import _
from mems.identity import service as identity
from mems.identity.permissions import Role
from mems.notifications import service as notifications

LINK = "approval_request"
AWAITING, APPROVED, REJECTED = "approval.awaiting", "approval.approved", "approval.rejected"


def _involved(request: ApprovalRequest, deciders: set[uuid.UUID]) -> set[uuid.UUID]:
    """Who may not decide the next step (as `service.recused` and one step per person): the
    requester, the submitter, the subject's author and earlier deciders."""
    people = {request.requested_by_member_id, *deciders}
    for p in (request.submitted_by_member_id, request.subject_author_member_id):
        if p is not None:
            people.add(p)
    return people


async def tell_deciders(
    session: AsyncSession, request: ApprovalRequest, deciders: set[uuid.UUID]
) -> None:
    """The request waits for a step: tell the holders of its role (admins, who may act for any
    step, only when nobody else can)."""
    role = request.waiting_for_role
    if request.state != RequestState.PENDING.value or role is None:
        return
    excluded = _involved(request, deciders)
    recipients = [
        m
        for m in await identity.active_member_ids_with_role(session, request.org_id, {role})
        if m not in excluded
    ]
    if not recipients and role != Role.ADMIN.value:
        recipients = [
            m
            for m in await identity.active_member_ids_with_role(
                session, request.org_id, {Role.ADMIN.value}
            )
            if m not in excluded
        ]
    if not recipients:
        return
    names = await identity.member_names(session, request.org_id, {request.requested_by_member_id})
    await notifications.notify(
        session,
        request.org_id,
        recipients,
        AWAITING,
        title=_("{title} awaits your approval", title=request.title),
        body=_(
            "Requested by {requester}; step {step} of {steps}.",
            requester=names.get(request.requested_by_member_id, ""),
            step=(request.current_step or 0) + 1,
            steps=len(request.steps["items"]),
        ),
        link=(LINK, request.id),
    )


async def step_settled(session: AsyncSession, request: ApprovalRequest) -> None:
    """The step the deciders were told of is decided (or the request withdrawn): their
    "awaits you" notices need nothing more and count as read."""
    await notifications.settle(session, request.org_id, AWAITING, (LINK, request.id))


async def tell_outcome(
    session: AsyncSession, request: ApprovalRequest, decided_by: uuid.UUID, comment: str
) -> None:
    """The request is approved or rejected: tell its requester (and its submitter)."""
    if request.state not in (RequestState.APPROVED.value, RequestState.REJECTED.value):
        return
    recipients = {request.requested_by_member_id}
    if request.submitted_by_member_id is not None:
        recipients.add(request.submitted_by_member_id)
    recipients.discard(decided_by)
    if not recipients:
        return
    decider = (await identity.member_names(session, request.org_id, {decided_by})).get(
        decided_by, ""
    )
    if request.state == RequestState.APPROVED.value:
        kind = APPROVED
        title = _("Approved: {title}", title=request.title)
        body = _("{decider} approved the last step.", decider=decider)
    else:
        kind = REJECTED
        title = _("Rejected: {title}", title=request.title)
        body = _("{decider} rejected it: {comment}", decider=decider, comment=comment)
    await notifications.notify(
        session,
        request.org_id,
        sorted(recipients),
        kind,
        title=title,
        body=body,
        link=(LINK, request.id),
    )
