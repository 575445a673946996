"""Approval queries: flows, requests and their decision records."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Select, Text, Uuid, bindparam, cast, exists, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.approvals.flow import RequestState, RequestType
from mems.approvals.models import ApprovalRecord, ApprovalRequest, ApprovalStep
from mems.core.audit import delete_audited
from mems.core.db import Reader, ReadStatement
from mems.core.pagination import PageParams, counted_page
from mems.core.tenancy import scoped
from mems.identity import service as identity


async def flow_steps(
    session: AsyncSession, org_id: uuid.UUID, request_type: RequestType
) -> list[ApprovalStep]:
    """The organisation's configured steps for this request type, in order (none: default)."""
    return list(
        (
            await session.scalars(
                scoped(ApprovalStep, org_id, ApprovalStep.request_type == request_type).order_by(
                    ApprovalStep.position
                )
            )
        ).all()
    )


async def delete_flow_steps(
    session: AsyncSession, org_id: uuid.UUID, request_type: RequestType
) -> None:
    """The steps of a flow about to be replaced, each recorded in the audit log as it was."""
    await delete_audited(session, await flow_steps(session, org_id, request_type))


async def get_request(
    session: AsyncSession, org_id: uuid.UUID, request_id: uuid.UUID
) -> ApprovalRequest | None:
    return await session.scalar(scoped(ApprovalRequest, org_id, ApprovalRequest.id == request_id))


async def request_by_id(session: AsyncSession, request_id: uuid.UUID) -> ApprovalRequest | None:
    """By primary key (from the session when already loaded); the caller knows its org."""
    return await session.get(ApprovalRequest, request_id)


async def records(session: AsyncSession, request: ApprovalRequest) -> list[ApprovalRecord]:
    return list(
        (
            await session.scalars(
                scoped(
                    ApprovalRecord, request.org_id, ApprovalRecord.request_id == request.id
                ).order_by(ApprovalRecord.created_at, ApprovalRecord.step)
            )
        ).all()
    )


# The columns `service.view` reads (beside `decided`: whether `:me` decided a step of it).
_VIEW_COLUMNS = (
    ApprovalRequest.id,
    ApprovalRequest.request_type,
    ApprovalRequest.subject_id,
    ApprovalRequest.title,
    ApprovalRequest.amount,
    ApprovalRequest.currency,
    ApprovalRequest.requested_by_member_id,
    identity.member_name_of(ApprovalRequest.requested_by_member_id).label("requested_by_name"),
    ApprovalRequest.submitted_by_member_id,
    ApprovalRequest.subject_author_member_id,
    ApprovalRequest.state,
    # As stored: the service parses it (orjson), cheaper than the driver's json codec.
    cast(ApprovalRequest.steps, Text).label("steps_json"),
    ApprovalRequest.current_step,
    ApprovalRequest.waiting_for_role,
    ApprovalRequest.created_at,
    ApprovalRequest.decided_at,
    ApprovalRequest.version,
)


def _decided_by(me: Any) -> Any:
    return exists().where(
        ApprovalRecord.request_id == ApprovalRequest.id,
        ApprovalRecord.decided_by_member_id == me,
    )


def _requests_statement(
    roles: int | None, mine: bool, by_state: bool, by_type: bool
) -> ReadStatement:
    """Requests as the API shows them, beside whether `:me` decided a step of each: a page
    (`:limit`, `:offset`) newest first, with the count of all. `roles`: only the requests
    waiting for `:me`'s decision in one of `:role_0` … (their count); `mine`: only `:me`'s
    own requests; `by_state`, `by_type`: only those with `:state`, `:request_type`."""
    me = bindparam("me", type_=Uuid)
    decided = _decided_by(me)
    # the inbox holds only requests the caller decided no step of
    stmt = select(*_VIEW_COLUMNS, (false() if roles is not None else decided).label("decided"))
    if roles is not None:
        stmt = stmt.where(
            ApprovalRequest.state == RequestState.PENDING.value,
            ApprovalRequest.waiting_for_role.in_([bindparam(f"role_{i}") for i in range(roles)]),
            # what service.can_decide() says, in SQL: not recused, no earlier step decided
            ApprovalRequest.requested_by_member_id != me,
            or_(
                ApprovalRequest.submitted_by_member_id.is_(None),
                ApprovalRequest.submitted_by_member_id != me,
            ),
            or_(
                ApprovalRequest.subject_author_member_id.is_(None),
                ApprovalRequest.subject_author_member_id != me,
            ),
            ~decided,
        )
    if mine:
        stmt = stmt.where(ApprovalRequest.requested_by_member_id == me)
    if by_state:
        stmt = stmt.where(ApprovalRequest.state == bindparam("state"))
    if by_type:
        stmt = stmt.where(ApprovalRequest.request_type == bindparam("request_type"))
    return ReadStatement(counted_page(stmt, ApprovalRequest.created_at.desc(), ApprovalRequest.id))


_requests = cache(_requests_statement)  # each variant built on first use


async def view_requests(
    reader: Reader,
    me: uuid.UUID,
    params: PageParams,
    *,
    decidable_by: Sequence[str] | None = None,
    requested_by_me: bool = False,
    state: RequestState | None = None,
    request_type: RequestType | None = None,
) -> list[dict[str, Any]]:
    """A page of requests with their total (`counted_page` rows) and whether `me` decided a
    step of each (`decided`), newest first. `decidable_by` (the roles `me` decides for): the
    requests waiting for `me`'s decision; `requested_by_me`: `me`'s own requests."""
    statement = _requests(
        None if decidable_by is None else len(decidable_by),
        requested_by_me,
        state is not None,
        request_type is not None,
    )
    roles = {f"role_{i}": role for i, role in enumerate(decidable_by or ())}
    return await reader.all(
        statement,
        me=me,
        limit=params.limit,
        offset=params.offset,
        state=None if state is None else state.value,
        request_type=request_type,
        **roles,
    )


@cache
def _request_with_decided_statement() -> Select[ApprovalRequest, bool]:
    """A request with whether a member decided a step of it. Built once, on first use (a
    hot read: the project page)."""
    return select(
        ApprovalRequest,
        exists()
        .where(
            ApprovalRecord.org_id == bindparam("org_id"),
            ApprovalRecord.request_id == ApprovalRequest.id,
            ApprovalRecord.decided_by_member_id == bindparam("member_id"),
        )
        .label("decided"),
    ).where(ApprovalRequest.id == bindparam("request_id"))


async def request_with_decided(
    session: AsyncSession, org_id: uuid.UUID, request_id: uuid.UUID, member_id: uuid.UUID
) -> tuple[ApprovalRequest, bool] | None:
    """The request by primary key (the caller knows its organisation) and whether the member
    decided a step of it, in one statement."""
    params = {"org_id": org_id, "request_id": request_id, "member_id": member_id}
    row = (await session.execute(_request_with_decided_statement(), params)).first()
    return None if row is None else (row[0], bool(row[1]))


@cache
def _request_view_statement() -> ReadStatement:
    """One request (`:request_id`) with the columns `service.view` reads, and whether `:me`
    decided a step of it. Built once, on first use (a hot read: the project page)."""
    return ReadStatement(
        select(*_VIEW_COLUMNS, _decided_by(bindparam("me", type_=Uuid)).label("decided")).where(
            ApprovalRequest.id == bindparam("request_id")
        )
    )


async def view_request(
    reader: Reader, request_id: uuid.UUID, me: uuid.UUID
) -> dict[str, Any] | None:
    """A request of the reader's organisation as a row for `service.view`, or None."""
    return await reader.first(_request_view_statement(), request_id=request_id, me=me)
