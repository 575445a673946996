"""SQL for work orders: the only place in this domain that builds queries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.pagination import PageParams, paginate
from mems.core.tenancy import scoped
from mems.orders.models import WorkOrder, WorkOrderCounter, WorkOrderStatus
from mems.orders.schemas import WorkOrderBox, WorkOrderSort


async def get(session: AsyncSession, org_id: uuid.UUID, order_id: uuid.UUID) -> WorkOrder | None:
    return await session.scalar(scoped(WorkOrder, org_id, WorkOrder.id == order_id))


async def next_number(session: AsyncSession, org_id: uuid.UUID) -> int:
    """The organisation's next work-order number, in one statement that locks the counter row
    until the transaction ends (concurrent requests queue; none fails, none repeats)."""
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else postgresql_insert
    values = insert(WorkOrderCounter).values(org_id=org_id, last_number=1)
    stmt = values.on_conflict_do_update(
        index_elements=[WorkOrderCounter.org_id],
        set_={"last_number": WorkOrderCounter.last_number + 1},
    ).returning(WorkOrderCounter.last_number)
    return int((await session.execute(stmt)).scalar_one())


def _in_box(box: WorkOrderBox, me: uuid.UUID, my_teams: Sequence[uuid.UUID]) -> ColumnElement[bool]:
    if box == WorkOrderBox.SENT:
        return WorkOrder.requester_member_id == me
    team_orders = WorkOrder.assignee_team_id.in_(my_teams)
    if box == WorkOrderBox.TEAM:
        return team_orders
    return or_(
        WorkOrder.assignee_member_id == me, team_orders & WorkOrder.assignee_member_id.is_(None)
    )


def _escaped(text: str) -> str:
    return text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def list_orders(
    session: AsyncSession,
    org_id: uuid.UUID,
    params: PageParams,
    *,
    box: WorkOrderBox,
    me: uuid.UUID,
    my_teams: Sequence[uuid.UUID],
    statuses: Sequence[WorkOrderStatus],
    q: str | None,
    number: int | None,
    order: WorkOrderSort,
) -> tuple[list[WorkOrder], int]:
    stmt = scoped(WorkOrder, org_id, _in_box(box, me, my_teams))
    if statuses:
        stmt = stmt.where(WorkOrder.status.in_(statuses))
    if q:
        like = func.lower(WorkOrder.title).like(f"%{_escaped(q)}%", escape="\\")
        stmt = stmt.where(like if number is None else or_(like, WorkOrder.number == number))
    if order == WorkOrderSort.DUE:
        stmt = stmt.order_by(WorkOrder.due_at.is_(None), WorkOrder.due_at, WorkOrder.number.desc())
    else:
        stmt = stmt.order_by(WorkOrder.requested_at.desc(), WorkOrder.number.desc())
    return await paginate(session, stmt, params)
