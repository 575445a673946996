"""Work orders endpoints: raise, list (inbox / sent / team), one order, its lifecycle (one
transitions route), its task."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response, status

from mems.core.db import SessionDep
from mems.core.errors import (
    GUARDED,
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
from mems.orders import service
from mems.orders.flow import OrderAction
from mems.orders.models import WorkOrderStatus
from mems.orders.schemas import (
    TaskLinkIn,
    WorkOrderBox,
    WorkOrderCreate,
    WorkOrderRead,
    WorkOrderRejectIn,
    WorkOrderSort,
    WorkOrderTransitionIn,
)

router = api_router(
    tags=["orders"],
    responses=GUARDED,
)
Read = Requires(Permission.PROJECTS_READ)
Write = Requires(Permission.WORK_WRITE)
_STEP = problem_responses(NotFound, StaleVersion, PreconditionFailed, service.InvalidTransition)


async def _one(
    session: SessionDep, principal: Principal, order_id: uuid.UUID, response: Response
) -> WorkOrderRead:
    view = await service.get_order(session, principal, order_id)
    set_etag(response, view["version"])
    return WorkOrderRead.model_validate(view)


@router.get("/work-orders", response_model=Page[WorkOrderRead])
async def list_work_orders(
    session: SessionDep,
    page: PageParamsDep,
    box: Annotated[
        WorkOrderBox,
        Query(
            description="inbox: given to me, or to a team of mine and not taken yet; "
            "sent: requested by me; team: given to a team of mine"
        ),
    ] = WorkOrderBox.INBOX,
    status_: Annotated[
        list[WorkOrderStatus] | None, Query(alias="status", description="May repeat")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="In the title, or a number such as WO-12")
    ] = None,
    order: Annotated[
        WorkOrderSort, Query(description="due: soonest due first; newest")
    ] = WorkOrderSort.DUE,
    principal: Principal = Read,
) -> Page[WorkOrderRead]:
    """Work orders in one of the caller's boxes, with names, SLA facts and allowed actions."""
    items, total = await service.list_orders(
        session,
        principal,
        page,
        box=box,
        statuses=status_ or [],
        q=q.strip() if q else None,
        order=order,
    )
    return Page(
        items=[WorkOrderRead.model_validate(i) for i in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post("/work-orders", response_model=WorkOrderRead, status_code=status.HTTP_201_CREATED)
async def create_work_order(
    body: WorkOrderCreate, response: Response, session: SessionDep, principal: Principal = Write
) -> WorkOrderRead:
    """Request work from a person or a team (numbered WO-1, WO-2 … per organisation); the
    assignee (or the team's members) is notified."""
    order = await service.create_order(session, principal, body)
    return await _one(session, principal, order.id, response)


@router.get(
    "/work-orders/{order_id}", response_model=WorkOrderRead, responses=problem_responses(NotFound)
)
async def get_work_order(
    order_id: uuid.UUID, response: Response, session: SessionDep, principal: Principal = Read
) -> WorkOrderRead:
    """One work order (its parties, its team, directors and admins see it) with the actions
    the caller may take; the ETag is its version."""
    return await _one(session, principal, order_id, response)


@router.post("/work-orders/{order_id}/transitions", response_model=WorkOrderRead, responses=_STEP)
async def transition_work_order(
    order_id: uuid.UUID,
    body: WorkOrderTransitionIn,
    response: Response,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Write,
) -> WorkOrderRead:
    """One step of the lifecycle, named by `action`:
    the assignee `accept`s (a team order: whoever accepts takes it; the response time is
    recorded), `reject`s (with a `reason`), `start`s and `complete`s (the resolution time is
    recorded); the requester `verify`s the work done or `cancel`s an order not done yet.
    Send the version read (body `version` and/or If-Match); from a status that does not
    allow the action: 409 `invalid-transition` naming `current_status` and
    `allowed_actions`, nothing written."""
    order = await service.transition(
        session,
        principal,
        order_id,
        OrderAction(body.action),
        version=body.version,
        if_match=if_match,
        reason=body.reason if isinstance(body, WorkOrderRejectIn) else None,
    )
    return await _one(session, principal, order.id, response)


@router.post(
    "/work-orders/{order_id}/task",
    response_model=WorkOrderRead,
    responses=problem_responses(NotFound, StaleVersion, PreconditionFailed, Conflict),
)
async def link_work_order_task(
    order_id: uuid.UUID,
    body: TaskLinkIn,
    response: Response,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Write,
) -> WorkOrderRead:
    """Attach an existing task of the order's project (`task_id`), or create one (`create`:
    in the order's project, assigned to the assignee, from today to the order's due date)."""
    order = await service.link_task(session, principal, order_id, body, if_match)
    return await _one(session, principal, order.id, response)
