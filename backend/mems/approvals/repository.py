"""Approval queries: flows, requests and their decision records."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from functools import cache

from sqlalchemy import Select, bindparam, delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.approvals.flow import RequestState, RequestType
from mems.approvals.models import ApprovalRecord, ApprovalRequest, ApprovalStep
from mems.core.pagination import PageParams, paginate
from mems.core.tenancy import scoped


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
    await session.execute(
        delete(ApprovalStep).where(
            ApprovalStep.org_id == org_id, ApprovalStep.request_type == request_type
        )
    )


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


async def decided_request_ids(
    session: AsyncSession,
    org_id: uuid.UUID,
    member_id: uuid.UUID,
    request_ids: Collection[uuid.UUID],
) -> frozenset[uuid.UUID]:
    """Which of these requests the member decided a step of (one query)."""
    if not request_ids:
        return frozenset()
    rows = await session.scalars(
        scoped(
            ApprovalRecord,
            org_id,
            ApprovalRecord.request_id.in_(request_ids),
            ApprovalRecord.decided_by_member_id == member_id,
        ).with_only_columns(ApprovalRecord.request_id)
    )
    return frozenset(rows.all())


async def list_requests(
    session: AsyncSession,
    org_id: uuid.UUID,
    params: PageParams,
    *,
    decidable_by: tuple[uuid.UUID, Collection[str]] | None = None,
    requested_by: uuid.UUID | None = None,
    state: RequestState | None = None,
    request_type: RequestType | None = None,
) -> tuple[list[ApprovalRequest], int]:
    """Newest first. `decidable_by` (member, the roles they decide for): the requests waiting
    for that member's decision; `requested_by`: a member's own requests."""
    stmt = scoped(ApprovalRequest, org_id)
    if decidable_by is not None:
        me, roles = decidable_by
        stmt = stmt.where(
            ApprovalRequest.state == RequestState.PENDING.value,
            ApprovalRequest.waiting_for_role.in_(roles or {"-"}),
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
            ~exists().where(
                ApprovalRecord.request_id == ApprovalRequest.id,
                ApprovalRecord.decided_by_member_id == me,
            ),
        )
    if requested_by is not None:
        stmt = stmt.where(ApprovalRequest.requested_by_member_id == requested_by)
    if state is not None:
        stmt = stmt.where(ApprovalRequest.state == state.value)
    if request_type is not None:
        stmt = stmt.where(ApprovalRequest.request_type == request_type)
    stmt = stmt.order_by(ApprovalRequest.created_at.desc(), ApprovalRequest.id)
    return await paginate(session, stmt, params)


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
