"""Resource scheduling rules (资源调度, issue 10).

The catalogue: people (a member of the organisation or not, with capacity hours a week and a
cost per hour), materials (unit, unit cost, stock), ad channels, vendors (contact, contract)
and venues (address, capacity). Those holding `resources:manage` keep it; everyone reads it,
but costs (rates, unit costs, planned costs) only those who may read budgets.

Allocations book a resource for a project, optionally one of its tasks, over days: a person
for hours on each working day, a material for a quantity. They are made on projects the
caller may manage (`resources:allocate` plus the project policy's MANAGE right) while the
project still takes work, within the project's dates, of active resources. A booking that
overloads a person, double-books a venue, channel or vendor, or takes more of a material than
is in stock is saved all the same: the answer lists those conflicts (as the workload page and
`GET /resource-conflicts` do) for the planner to look at.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.clock import utcnow
from mems.core.errors import (
    Conflict,
    Duplicate,
    FieldError,
    NotFound,
    ValidationFailed,
    integrity_kind,
)
from mems.core.i18n import Message, _, term
from mems.core.pagination import PageParams
from mems.core.versioning import apply_changes, changes_to
from mems.identity import service as identity
from mems.identity.permissions import Permission
from mems.identity.principal import Principal
from mems.projects import service as projects
from mems.projects.policy import ProjectRight
from mems.resources import repository as repo
from mems.resources import workload as arithmetic
from mems.resources.models import EXCLUSIVE_KINDS, Allocation, Resource, ResourceKind
from mems.resources.repository import (
    AllocationFilter,
    AllocationRow,
    BookingRow,
    ResourceFilter,
    ResourceRow,
)
from mems.resources.schemas import (
    AllocationCreate,
    AllocationRead,
    AllocationSaved,
    AllocationUpdate,
    ConflictRead,
    PersonLoadRead,
    ProjectHours,
    ProjectRef,
    ResourceCreate,
    ResourceRead,
    ResourceUpdate,
    WeekLoadRead,
    WorkloadRead,
)
from mems.resources.workload import Booking, WorkingDays
from mems.work import service as work

DEFAULT_CAPACITY = Decimal(40)
MAX_WEEK_HOURS = Decimal(168)
MAX_DAY_HOURS = Decimal(24)
MAX_WEEKS = 52
MAX_CONFLICT_DAYS = 366

# Which kind each kind-specific field belongs to.
FIELDS_OF_KIND: dict[str, frozenset[ResourceKind]] = {
    "member_id": frozenset({ResourceKind.PERSON}),
    "role_title": frozenset({ResourceKind.PERSON}),
    "capacity_hours_week": frozenset({ResourceKind.PERSON}),
    "cost_rate": frozenset({ResourceKind.PERSON}),
    "unit": frozenset({ResourceKind.MATERIAL, ResourceKind.CHANNEL}),
    "unit_cost": frozenset({ResourceKind.MATERIAL, ResourceKind.CHANNEL}),
    "stock": frozenset({ResourceKind.MATERIAL}),
    "contact_name": frozenset({ResourceKind.VENDOR}),
    "contact_phone": frozenset({ResourceKind.VENDOR}),
    "contact_email": frozenset({ResourceKind.VENDOR}),
    "contract_no": frozenset({ResourceKind.VENDOR}),
    "contract_ends_on": frozenset({ResourceKind.VENDOR}),
    "address": frozenset({ResourceKind.VENUE}),
    "venue_capacity": frozenset({ResourceKind.VENUE}),
}


def _two(value: Decimal | None) -> Decimal | None:
    """A figure as its column keeps it (two places), whether or not it was read back yet."""
    return None if value is None else Decimal(value).quantize(arithmetic.CENT)


def sees_costs(principal: Principal) -> bool:
    """Rates and planned costs are budget figures: for those who may read budgets."""
    return principal.can(Permission.BUDGET_READ)


async def org_today(session: AsyncSession, principal: Principal) -> date:
    org = await identity.get_org(session, principal)
    return utcnow().astimezone(ZoneInfo(org.timezone)).date()


def _kind_term(kind: ResourceKind) -> Message:
    return term(kind.value, "resource")


# ---- the catalogue ----------------------------------------------------------------------------


def resource_read(row: ResourceRow, principal: Principal) -> ResourceRead:
    r, costs = row.resource, sees_costs(principal)
    return ResourceRead(
        id=r.id,
        kind=r.kind,
        name=r.name,
        active=r.active,
        notes=r.notes,
        currency=r.currency,
        member_id=r.member_id,
        member_name=row.member_name,
        role_title=r.role_title,
        capacity_hours_week=_two(r.capacity_hours_week),
        cost_rate=_two(r.cost_rate) if costs else None,
        unit=r.unit,
        unit_cost=_two(r.unit_cost) if costs else None,
        stock=_two(r.stock),
        contact_name=r.contact_name,
        contact_phone=r.contact_phone,
        contact_email=r.contact_email,
        contract_no=r.contract_no,
        contract_ends_on=r.contract_ends_on,
        address=r.address,
        venue_capacity=r.venue_capacity,
        allocations=row.allocations,
        created_at=r.created_at,
        updated_at=r.updated_at,
        version=r.version,
    )


def _check_fields_of_kind(kind: ResourceKind, values: dict[str, Any]) -> None:
    """Every field given (not null) belongs to `kind`; all strays are named at once."""
    errors = [
        FieldError.of(
            field,
            _("A {kind} has no {field}.", kind=_kind_term(kind), field=field),
            "not_for_kind",
        )
        for field, kinds in FIELDS_OF_KIND.items()
        if values.get(field) is not None and kind not in kinds
    ]
    if errors:
        raise ValidationFailed(
            _(
                "These fields are not for a {kind}: {fields}.",
                kind=_kind_term(kind),
                fields=", ".join(e.field for e in errors),
            ),
            errors=errors,
        )


def _check_capacity(capacity: Decimal | None) -> None:
    if capacity is not None and capacity > MAX_WEEK_HOURS:
        raise ValidationFailed.on(
            "capacity_hours_week",
            _("A week has {hours} hours at most.", hours=MAX_WEEK_HOURS),
            "over_week_hours",
        )


async def _check_member(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID, resource_id: uuid.UUID | None
) -> None:
    if not await identity.is_active_member(session, principal.org_id, member_id):
        raise ValidationFailed.on(
            "member_id",
            _("No active member of the organisation has this id."),
            "unknown_member",
        )
    taken = await repo.of_member(session, principal.org_id, member_id)
    if taken is not None and taken.id != resource_id:
        raise Duplicate(
            _("This member is already the resource {name}.", name=taken.name),
            errors=[FieldError(field="member_id", message="already a resource", type="duplicate")],
        )


async def _check_name(
    session: AsyncSession,
    principal: Principal,
    kind: ResourceKind,
    name: str,
    resource_id: uuid.UUID | None,
) -> None:
    if not repo.name_key(name):
        raise ValidationFailed.on("name", _("A resource needs a name."), "required")
    taken = await repo.by_name(session, principal.org_id, kind, name)
    if taken is not None and taken.id != resource_id:
        raise _duplicate_name(kind, taken.name)


def _duplicate_name(kind: ResourceKind, name: str) -> Duplicate:
    return Duplicate(
        _("A {kind} named “{name}” already exists.", kind=_kind_term(kind), name=name),
        errors=[FieldError(field="name", message="already exists", type="duplicate")],
    )


async def _flush_unique(session: AsyncSession, resource: Resource, *, add: bool) -> None:
    """Write the resource; a concurrent request that took its name or member first makes
    this one a 409 naming the field."""
    try:
        async with session.begin_nested():
            if add:
                session.add(resource)
            await session.flush()
    except IntegrityError as exc:
        _kind, columns = integrity_kind(exc)
        if "member_id" in columns:
            raise Duplicate(
                _("This member already became a resource at the same moment; reload."),
                errors=[
                    FieldError(field="member_id", message="already a resource", type="duplicate")
                ],
            ) from exc
        if _kind == "unique":
            raise _duplicate_name(resource.kind, resource.name) from exc
        raise


async def list_resources(
    session: AsyncSession, principal: Principal, filters: ResourceFilter, params: PageParams
) -> tuple[list[ResourceRead], int]:
    rows, total = await repo.list_resources(session, principal.org_id, filters, params)
    return [resource_read(r, principal) for r in rows], total


async def _resource(
    session: AsyncSession, principal: Principal, resource_id: uuid.UUID
) -> Resource:
    resource = await repo.get(session, principal.org_id, resource_id)
    if resource is None:
        raise NotFound(_("Resource {resource_id} not found.", resource_id=resource_id))
    return resource


async def get_resource(
    session: AsyncSession, principal: Principal, resource_id: uuid.UUID
) -> ResourceRead:
    await _resource(session, principal, resource_id)
    return resource_read(await repo.row_of(session, principal.org_id, resource_id), principal)


async def create_resource(
    session: AsyncSession, principal: Principal, body: ResourceCreate
) -> ResourceRead:
    values = body.model_dump(exclude={"kind", "name"})
    _check_fields_of_kind(body.kind, values)
    name = body.name
    if body.kind == ResourceKind.PERSON:
        values["capacity_hours_week"] = values["capacity_hours_week"] or DEFAULT_CAPACITY
        _check_capacity(values["capacity_hours_week"])
        if body.member_id is not None:
            await _check_member(session, principal, body.member_id, None)
            if name is None:
                names = await identity.member_names(session, principal.org_id, {body.member_id})
                name = names.get(body.member_id)
    if name is None:
        raise ValidationFailed.on("name", _("A resource needs a name."), "required")
    name = " ".join(name.split())
    await _check_name(session, principal, body.kind, name, None)
    org = await identity.get_org(session, principal)
    resource = Resource(
        org_id=principal.org_id,
        kind=body.kind,
        name=name,
        name_key=repo.name_key(name),
        active=True,
        currency=org.currency,
        **values,
    )
    await _flush_unique(session, resource, add=True)
    return await get_resource(session, principal, resource.id)


async def update_resource(
    session: AsyncSession,
    principal: Principal,
    resource_id: uuid.UUID,
    body: ResourceUpdate,
    if_match: str | None,
) -> ResourceRead:
    resource = await _resource(session, principal, resource_id)
    changes = changes_to(resource, body, if_match)
    _check_fields_of_kind(resource.kind, changes)
    _check_capacity(changes.get("capacity_hours_week"))
    if changes.get("member_id") is not None and changes["member_id"] != resource.member_id:
        await _check_member(session, principal, changes["member_id"], resource.id)
    if "name" in changes:
        changes["name"] = " ".join(changes["name"].split())
        await _check_name(session, principal, resource.kind, changes["name"], resource.id)
        changes["name_key"] = repo.name_key(changes["name"])
    apply_changes(resource, changes)
    await _flush_unique(session, resource, add=False)
    return await get_resource(session, principal, resource.id)


async def delete_resource(
    session: AsyncSession, principal: Principal, resource_id: uuid.UUID
) -> None:
    """Delete a resource nothing books; a booked one is retired instead (active: false), so
    the allocations keep what they booked."""
    resource = await _resource(session, principal, resource_id)
    if await repo.has_allocations(session, principal.org_id, resource.id):
        raise Conflict(
            _(
                "{name} has allocations: retire it instead (PATCH active=false), so they keep "
                "what they booked.",
                name=resource.name,
            ),
            reason="has_allocations",
        )
    await session.delete(resource)
    await session.flush()


# ---- allocations ------------------------------------------------------------------------------


async def _calendar(
    session: AsyncSession, principal: Principal, first: date, last: date
) -> WorkingDays:
    return await work.org_calendar(session, principal.org_id, first, last)


def _allocation_read(
    row: AllocationRow, calendar: WorkingDays, principal: Principal
) -> dict[str, Any]:
    a, r = row.allocation, row.allocation.resource
    working = arithmetic.working_days(calendar, a.starts_on, a.ends_on)
    hours = None if a.hours_per_day is None else _two(a.hours_per_day * working)
    cost = (
        arithmetic.planned_cost(
            hours=hours, cost_rate=r.cost_rate, quantity=a.quantity, unit_cost=r.unit_cost
        )
        if sees_costs(principal)
        else None
    )
    return {
        "id": a.id,
        "resource_id": a.resource_id,
        "resource_name": r.name,
        "resource_kind": r.kind,
        "project_id": a.project_id,
        "project_code": row.project_code,
        "project_name": row.project_name,
        "task_id": a.task_id,
        "starts_on": a.starts_on,
        "ends_on": a.ends_on,
        "hours_per_day": _two(a.hours_per_day),
        "quantity": _two(a.quantity),
        "note": a.note,
        "working_days": working,
        "planned_hours": hours,
        "planned_cost": cost,
        "currency": r.currency,
        "created_at": a.created_at,
        "version": a.version,
    }


async def _reads(
    session: AsyncSession, principal: Principal, rows: Sequence[AllocationRow]
) -> list[AllocationRead]:
    if not rows:
        return []
    first = min(r.allocation.starts_on for r in rows)
    last = max(r.allocation.ends_on for r in rows)
    calendar = await _calendar(session, principal, first, last)
    return [AllocationRead(**_allocation_read(r, calendar, principal)) for r in rows]


async def list_allocations_of_project(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    filters: AllocationFilter,
    params: PageParams,
) -> tuple[list[AllocationRead], int]:
    project = await projects.project_for(session, principal, project_id)
    filters = AllocationFilter(project.id, None, filters.kind, filters.starts_on, filters.ends_on)
    rows, total = await repo.list_allocations(session, principal.org_id, filters, params)
    return await _reads(session, principal, rows), total


async def list_allocations_of_resource(
    session: AsyncSession,
    principal: Principal,
    resource_id: uuid.UUID,
    filters: AllocationFilter,
    params: PageParams,
) -> tuple[list[AllocationRead], int]:
    resource = await _resource(session, principal, resource_id)
    filters = AllocationFilter(None, resource.id, None, filters.starts_on, filters.ends_on)
    rows, total = await repo.list_allocations(session, principal.org_id, filters, params)
    return await _reads(session, principal, rows), total


async def _allocation(
    session: AsyncSession, principal: Principal, allocation_id: uuid.UUID, right: ProjectRight
) -> tuple[Allocation, Any]:
    allocation = await repo.get_allocation(session, principal.org_id, allocation_id)
    if allocation is None:
        raise NotFound(_("Allocation {allocation_id} not found.", allocation_id=allocation_id))
    project = await projects.project_for(session, principal, allocation.project_id, right)
    return allocation, project


async def get_allocation(
    session: AsyncSession, principal: Principal, allocation_id: uuid.UUID
) -> AllocationRead:
    allocation, _project = await _allocation(session, principal, allocation_id, ProjectRight.VIEW)
    row = await repo.allocation_row(session, principal.org_id, allocation.id)
    return (await _reads(session, principal, [row]))[0]


def _check_open(project: Any) -> None:
    if not projects.plan_is_open(project):
        raise Conflict(
            _(
                "A {status} project takes no allocations.",
                status=term(project.status.value),
            ),
            current_status=project.status.value,
        )


async def _project_to_allocate(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID
) -> Any:
    project = await projects.project_for(session, principal, project_id, ProjectRight.MANAGE)
    _check_open(project)
    return project


def _check_booking(
    project: Any,
    resource: Resource,
    starts_on: date,
    ends_on: date,
    hours_per_day: Decimal | None,
    quantity: Decimal | None,
) -> None:
    """An allocation's figures against its resource's kind and its project's dates; every
    fault named at once."""
    errors: list[FieldError] = []
    if ends_on < starts_on:
        errors.append(
            FieldError.of("ends_on", _("The last day comes before the first."), "dates_order")
        )
    for field, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if not project.starts_on <= day <= project.ends_on:
            errors.append(
                FieldError.of(
                    field,
                    _(
                        "The day {day} is outside the project's dates ({first} – {last}).",
                        day=day.isoformat(),
                        first=project.starts_on.isoformat(),
                        last=project.ends_on.isoformat(),
                    ),
                    "outside_project",
                )
            )
    kind = _kind_term(resource.kind)
    if resource.kind == ResourceKind.PERSON:
        if hours_per_day is None:
            errors.append(
                FieldError.of("hours_per_day", _("A person is booked in hours a day."), "required")
            )
        elif hours_per_day > MAX_DAY_HOURS:
            errors.append(
                FieldError.of(
                    "hours_per_day",
                    _("A day has {hours} hours at most.", hours=MAX_DAY_HOURS),
                    "over_day_hours",
                )
            )
        if quantity is not None:
            errors.append(
                FieldError.of(
                    "quantity", _("A person is booked in hours, not a quantity."), "not_for_kind"
                )
            )
    else:
        if hours_per_day is not None:
            errors.append(
                FieldError.of(
                    "hours_per_day",
                    _("Only people are booked in hours; this is a {kind}.", kind=kind),
                    "not_for_kind",
                )
            )
        if resource.kind == ResourceKind.MATERIAL and quantity is None:
            errors.append(
                FieldError.of("quantity", _("A material is booked in a quantity."), "required")
            )
    if errors:
        names = ", ".join(dict.fromkeys(e.field for e in errors))
        raise ValidationFailed(_("Invalid input: {fields}", fields=names), errors=errors)


async def _check_task(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, task_id: uuid.UUID | None
) -> None:
    if task_id is not None and not await work.task_in_project(
        session, principal.org_id, project_id, task_id
    ):
        raise ValidationFailed.on("task_id", _("No such task in this project."), "unknown_task")


async def _saved(
    session: AsyncSession, principal: Principal, allocation: Allocation
) -> AllocationSaved:
    row = await repo.allocation_row(session, principal.org_id, allocation.id)
    read = (await _reads(session, principal, [row]))[0]
    found = await conflicts_of_allocation(session, principal, allocation)
    return AllocationSaved(**read.model_dump(), conflicts=found)


async def create_allocation(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, body: AllocationCreate
) -> AllocationSaved:
    project = await _project_to_allocate(session, principal, project_id)
    resource = await repo.get(session, principal.org_id, body.resource_id)
    if resource is None:
        raise ValidationFailed.on(
            "resource_id", _("No resource of the organisation has this id."), "unknown_resource"
        )
    if not resource.active:
        raise ValidationFailed.on(
            "resource_id",
            _("{name} is retired: it takes no new allocations.", name=resource.name),
            "inactive",
        )
    _check_booking(
        project, resource, body.starts_on, body.ends_on, body.hours_per_day, body.quantity
    )
    await _check_task(session, principal, project.id, body.task_id)
    allocation = Allocation(
        org_id=principal.org_id,
        project_id=project.id,
        resource=resource,
        created_by_member_id=principal.membership_id,
        **body.model_dump(),
    )
    session.add(allocation)
    await session.flush()
    return await _saved(session, principal, allocation)


async def update_allocation(
    session: AsyncSession,
    principal: Principal,
    allocation_id: uuid.UUID,
    body: AllocationUpdate,
    if_match: str | None,
) -> AllocationSaved:
    allocation, project = await _allocation(session, principal, allocation_id, ProjectRight.MANAGE)
    _check_open(project)
    changes = changes_to(allocation, body, if_match)
    _check_booking(
        project,
        allocation.resource,
        changes.get("starts_on", allocation.starts_on),
        changes.get("ends_on", allocation.ends_on),
        changes.get("hours_per_day", allocation.hours_per_day),
        changes.get("quantity", allocation.quantity),
    )
    if changes.get("task_id") is not None:
        await _check_task(session, principal, project.id, changes["task_id"])
    apply_changes(allocation, changes)
    await session.flush()
    return await _saved(session, principal, allocation)


async def delete_allocation(
    session: AsyncSession, principal: Principal, allocation_id: uuid.UUID
) -> None:
    allocation, project = await _allocation(session, principal, allocation_id, ProjectRight.MANAGE)
    _check_open(project)
    await session.delete(allocation)
    await session.flush()


# ---- workload and conflicts -------------------------------------------------------------------


def _booking(row: BookingRow) -> Booking:
    return Booking(
        row.allocation_id,
        row.resource_id,
        row.project_id,
        row.starts_on,
        row.ends_on,
        None if row.hours_per_day is None else Decimal(row.hours_per_day),
        None if row.quantity is None else Decimal(row.quantity),
    )


def _project_refs(rows: Iterable[BookingRow]) -> dict[Any, ProjectRef]:
    return {
        r.project_id: ProjectRef(id=r.project_id, code=r.project_code, name=r.project_name)
        for r in rows
    }


def _by_resource(rows: Iterable[BookingRow]) -> dict[uuid.UUID, list[Booking]]:
    out: dict[uuid.UUID, list[Booking]] = defaultdict(list)
    for row in rows:
        out[row.resource_id].append(_booking(row))
    return out


async def workload(
    session: AsyncSession, principal: Principal, first: date | None, weeks: int
) -> WorkloadRead:
    """Every person's load per week (Monday to Sunday) for `weeks` weeks from the week of
    `first` (default: this week): the active people and anyone booked then, with the hours
    each project books them for."""
    first = arithmetic.monday_of(first or await org_today(session, principal))
    mondays = arithmetic.week_starts(first, weeks)
    last = mondays[-1] + timedelta(days=6)
    people, rows = await repo.bookings(
        session, principal.org_id, first, last, kinds=[ResourceKind.PERSON]
    )
    calendar = await _calendar(session, principal, first, last)
    refs = _project_refs(rows)
    booked = _by_resource(rows)
    out: list[PersonLoadRead] = []
    for person in people:
        capacity = person.capacity_hours_week or DEFAULT_CAPACITY
        loads = arithmetic.person_weeks(booked.get(person.id, []), capacity, mondays, calendar)
        out.append(
            PersonLoadRead(
                resource_id=person.id,
                name=person.name,
                member_id=person.member_id,
                role_title=person.role_title,
                active=person.active,
                capacity_hours_week=_two(capacity),
                weeks=[
                    WeekLoadRead(
                        week_start=w.week_start,
                        working_days=w.working_days,
                        capacity=_two(w.capacity),
                        hours=_two(w.hours),
                        load_percent=w.load_percent,
                        over=w.over,
                        projects=[
                            ProjectHours(**refs[p].model_dump(), hours=_two(h))
                            for p, h in sorted(w.by_project.items(), key=lambda i: -i[1])
                        ],
                    )
                    for w in loads
                ],
            )
        )
    return WorkloadRead(starts_on=first, weeks=mondays, people=out)


def _find_conflicts(
    resources: Sequence[Resource],
    rows: Sequence[BookingRow],
    calendar: WorkingDays,
    first: date,
    last: date,
) -> list[arithmetic.Conflict]:
    booked = _by_resource(rows)
    mondays = arithmetic.week_starts(
        first, (arithmetic.monday_of(last) - arithmetic.monday_of(first)).days // 7 + 1
    )
    found: list[arithmetic.Conflict] = []
    for resource in resources:
        mine = booked.get(resource.id, [])
        if not mine:
            continue
        if resource.kind == ResourceKind.PERSON:
            capacity = resource.capacity_hours_week or DEFAULT_CAPACITY
            loads = arithmetic.person_weeks(mine, capacity, mondays, calendar)
            found += arithmetic.over_capacity(resource.id, loads)
        elif resource.kind in EXCLUSIVE_KINDS:
            found += arithmetic.double_bookings(mine)
        elif resource.kind == ResourceKind.MATERIAL and resource.stock is not None:
            found += arithmetic.over_stock(resource.id, mine, resource.stock)
    return found


def _conflict_reads(
    found: Iterable[arithmetic.Conflict],
    resources: Sequence[Resource],
    rows: Sequence[BookingRow],
) -> list[ConflictRead]:
    by_id = {r.id: r for r in resources}
    refs = _project_refs(rows)
    out = []
    for c in found:
        resource = by_id[c.resource_id]  # type: ignore[index]
        out.append(
            ConflictRead(
                kind=c.kind,
                resource_id=resource.id,
                resource_name=resource.name,
                resource_kind=resource.kind,
                starts_on=c.starts_on,
                ends_on=c.ends_on,
                projects=[refs[p] for p in c.project_ids],
                allocation_ids=list(c.allocation_ids),
                hours=_two(c.hours),
                capacity=_two(c.capacity),
                quantity=_two(c.quantity),
                stock=_two(c.stock),
            )
        )
    return out


async def conflicts(
    session: AsyncSession, principal: Principal, first: date | None, last: date | None
) -> list[ConflictRead]:
    """Every conflict between `first` and `last` (default: eight weeks from today): people
    over capacity in a week (whole weeks), venues, channels and vendors booked by two
    projects at once, materials over stock. By day, then resource."""
    first = first or await org_today(session, principal)
    last = last or first + timedelta(weeks=8) - timedelta(days=1)
    if last < first:
        raise ValidationFailed.on("to", _("The last day comes before the first."), "dates_order")
    if (last - first).days >= MAX_CONFLICT_DAYS:
        raise ValidationFailed.on(
            "to", _("Look at {days} days at most.", days=MAX_CONFLICT_DAYS), "range_too_long"
        )
    # People are measured in whole weeks: from the first Monday to the last Sunday.
    first, last = arithmetic.monday_of(first), arithmetic.monday_of(last) + timedelta(days=6)
    resources, rows = await repo.bookings(session, principal.org_id, first, last)
    calendar = await _calendar(session, principal, first, last)
    found = _find_conflicts(resources, rows, calendar, first, last)
    found.sort(key=lambda c: (c.starts_on, str(c.resource_id), c.kind))
    return _conflict_reads(found, resources, rows)


async def conflicts_of_allocation(
    session: AsyncSession, principal: Principal, allocation: Allocation
) -> list[ConflictRead]:
    """The conflicts an allocation takes part in (over its dates; a person's whole weeks)."""
    resource = allocation.resource
    if resource.kind == ResourceKind.MATERIAL and resource.stock is None:
        return []
    first, last = allocation.starts_on, allocation.ends_on
    if resource.kind == ResourceKind.PERSON:
        first, last = arithmetic.monday_of(first), arithmetic.monday_of(last) + timedelta(days=6)
    resources, rows = await repo.bookings(
        session, principal.org_id, first, last, resource_id=resource.id
    )
    calendar = await _calendar(session, principal, first, last)
    found = [
        c
        for c in _find_conflicts(resources, rows, calendar, first, last)
        if allocation.id in c.allocation_ids
    ]
    return _conflict_reads(found, resources, rows)


async def hourly_rates(
    session: AsyncSession, org_id: uuid.UUID
) -> dict[uuid.UUID, tuple[Decimal, str]]:
    """For finance's labour costs: each member's hourly rate and its currency (the active
    person resource that is them), by member id."""
    return await repo.hourly_rates(session, org_id)
