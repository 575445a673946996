"""Resource catalogue, allocation and workload endpoints (资源调度)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response, status

from mems.core.db import SessionDep
from mems.core.errors import (
    CHANGE_ONE,
    GUARDED,
    ONE,
    Conflict,
    NotFound,
    problem_responses,
)
from mems.core.pagination import Page, PageParamsDep
from mems.core.routing import api_router
from mems.core.schemas import IsoDay
from mems.core.versioning import IfMatchHeader, set_etag
from mems.identity.auth import Requires
from mems.identity.permissions import Permission
from mems.identity.principal import Principal
from mems.resources import service
from mems.resources.models import ResourceKind
from mems.resources.repository import AllocationFilter, ResourceFilter
from mems.resources.schemas import (
    AllocationCreate,
    AllocationRead,
    AllocationSaved,
    AllocationUpdate,
    ConflictRead,
    ResourceCreate,
    ResourceRead,
    ResourceUpdate,
    WorkloadRead,
)

router = api_router(
    tags=["resources"],
    responses=GUARDED,
)
Read = Requires(Permission.RESOURCES_READ)
Manage = Requires(Permission.RESOURCES_MANAGE)
Allocate = Requires(Permission.RESOURCES_ALLOCATE)

Search = Annotated[
    str | None, Query(max_length=100, description="In the name, role, contact, address or notes")
]
From = Annotated[IsoDay | None, Query(alias="from", description="From this day on")]
To = Annotated[IsoDay | None, Query(alias="to", description="Up to this day (included)")]


# ---- the catalogue ----------------------------------------------------------------------------


@router.get("/resources", response_model=Page[ResourceRead])
async def list_resources(
    session: SessionDep,
    page: PageParamsDep,
    kind: ResourceKind | None = None,
    q: Search = None,
    active: bool | None = None,
    principal: Principal = Read,
) -> Page[ResourceRead]:
    """The resource catalogue: active ones first, then by kind and name. Rates and unit costs
    are shown to those who may read budgets."""
    items, total = await service.list_resources(
        session, principal, ResourceFilter(kind, q or None, active), page
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/resources",
    response_model=ResourceRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(Conflict),
)
async def create_resource(
    body: ResourceCreate, session: SessionDep, principal: Principal = Manage
) -> ResourceRead:
    """Add a person (capacity hours a week, default 40; cost per hour; optionally the member
    of the organisation they are, whose name they take when none is given), a material (unit,
    unit cost, stock), an ad channel, a vendor (contact, contract) or a venue (address,
    capacity). Names are unique per kind, letter case aside; a member is one resource."""
    return await service.create_resource(session, principal, body)


@router.get("/resource-conflicts", response_model=list[ConflictRead])
async def resource_conflicts(
    session: SessionDep,
    from_: From = None,
    to: To = None,
    principal: Principal = Read,
) -> list[ConflictRead]:
    """Booking conflicts between two days (default: eight weeks from today; at most 366
    days): people over capacity in a week (whole weeks, Monday to Sunday), venues, ad
    channels and vendors booked by two projects at once, materials whose overlapping
    allocations take more than the stock. Closed and cancelled projects book nothing."""
    return await service.conflicts(session, principal, from_, to)


@router.get("/resources/{resource_id}", response_model=ResourceRead, responses=ONE)
async def get_resource(
    resource_id: uuid.UUID, response: Response, session: SessionDep, principal: Principal = Read
) -> ResourceRead:
    """One resource."""
    resource = await service.get_resource(session, principal, resource_id)
    set_etag(response, resource.version)
    return resource


@router.patch("/resources/{resource_id}", response_model=ResourceRead, responses=CHANGE_ONE)
async def update_resource(
    resource_id: uuid.UUID,
    body: ResourceUpdate,
    response: Response,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Manage,
) -> ResourceRead:
    """Change a resource's name, figures or contact (its kind stays); `active: false`
    retires it: it takes no new allocations, and the ones it has stay."""
    resource = await service.update_resource(session, principal, resource_id, body, if_match)
    set_etag(response, resource.version)
    return resource


@router.delete(
    "/resources/{resource_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound, Conflict),
)
async def delete_resource(
    resource_id: uuid.UUID, session: SessionDep, principal: Principal = Manage
) -> Response:
    """Delete a resource no allocation books (one that is booked is refused with 409,
    reason `has_allocations`: retire it instead)."""
    await service.delete_resource(session, principal, resource_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/resources/{resource_id}/allocations", response_model=Page[AllocationRead], responses=ONE
)
async def list_resource_allocations(
    resource_id: uuid.UUID,
    session: SessionDep,
    page: PageParamsDep,
    from_: From = None,
    to: To = None,
    principal: Principal = Read,
) -> Page[AllocationRead]:
    """What the resource is booked for, by first day (optionally only allocations
    overlapping `from` … `to`)."""
    items, total = await service.list_allocations_of_resource(
        session, principal, resource_id, AllocationFilter(starts_on=from_, ends_on=to), page
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


# ---- allocations ------------------------------------------------------------------------------


@router.get(
    "/projects/{project_id}/allocations", response_model=Page[AllocationRead], responses=ONE
)
async def list_project_allocations(
    project_id: uuid.UUID,
    session: SessionDep,
    page: PageParamsDep,
    kind: ResourceKind | None = None,
    from_: From = None,
    to: To = None,
    principal: Principal = Read,
) -> Page[AllocationRead]:
    """The resources booked for the project, by first day, with each allocation's working
    days, planned hours and (for those who may read budgets) planned cost."""
    items, total = await service.list_allocations_of_project(
        session,
        principal,
        project_id,
        AllocationFilter(kind=kind, starts_on=from_, ends_on=to),
        page,
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/projects/{project_id}/allocations",
    response_model=AllocationSaved,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(NotFound, Conflict),
)
async def allocate(
    project_id: uuid.UUID,
    body: AllocationCreate,
    session: SessionDep,
    principal: Principal = Allocate,
) -> AllocationSaved:
    """Book an active resource for a project the caller manages (still taking work), within
    its dates: a person in hours on each working day, a material in a quantity. A booking
    that overloads a person, double-books a venue, channel or vendor, or takes more than a
    material's stock is saved all the same; `conflicts` lists what to look at."""
    return await service.create_allocation(session, principal, project_id, body)


@router.get("/allocations/{allocation_id}", response_model=AllocationRead, responses=ONE)
async def get_allocation(
    allocation_id: uuid.UUID, response: Response, session: SessionDep, principal: Principal = Read
) -> AllocationRead:
    """One allocation."""
    allocation = await service.get_allocation(session, principal, allocation_id)
    set_etag(response, allocation.version)
    return allocation


@router.patch("/allocations/{allocation_id}", response_model=AllocationSaved, responses=CHANGE_ONE)
async def update_allocation(
    allocation_id: uuid.UUID,
    body: AllocationUpdate,
    response: Response,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Allocate,
) -> AllocationSaved:
    """Change an allocation's days, hours, quantity, task or note (its resource and project
    stay); `conflicts` lists what it now takes part in."""
    allocation = await service.update_allocation(session, principal, allocation_id, body, if_match)
    set_etag(response, allocation.version)
    return allocation


@router.delete(
    "/allocations/{allocation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound, Conflict),
)
async def delete_allocation(
    allocation_id: uuid.UUID, session: SessionDep, principal: Principal = Allocate
) -> Response:
    """Release a booking (not on a closed or cancelled project)."""
    await service.delete_allocation(session, principal, allocation_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# ---- workload ---------------------------------------------------------------------------------


@router.get("/workload", response_model=WorkloadRead)
async def workload(
    session: SessionDep,
    from_: Annotated[
        IsoDay | None, Query(alias="from", description="A day of the first week (default: today)")
    ] = None,
    weeks: Annotated[int, Query(ge=1, le=service.MAX_WEEKS, description="How many weeks")] = 8,
    principal: Principal = Read,
) -> WorkloadRead:
    """Each person's load per ISO week (Monday to Sunday): the hours their allocations book
    on the week's working days (the organisation's calendar), against their weekly capacity
    scaled to those days, as a percent, flagged `over` beyond it, with the projects that
    book them. Active people, and anyone booked in the weeks shown."""
    return await service.workload(session, principal, from_, weeks)
