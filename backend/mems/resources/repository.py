"""SQL for resources and allocations."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from mems.core.pagination import PageParams
from mems.core.tenancy import scoped
from mems.identity import service as identity
from mems.projects import service as projects
from mems.resources.models import Allocation, Resource, ResourceKind


def name_key(name: str) -> str:
    """What a resource's name is unique by: letter case and runs of spaces aside."""
    return " ".join(name.split()).casefold()


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# ---- resources --------------------------------------------------------------------------------


async def get(session: AsyncSession, org_id: uuid.UUID, resource_id: uuid.UUID) -> Resource | None:
    return await session.scalar(scoped(Resource, org_id, Resource.id == resource_id))


async def by_name(
    session: AsyncSession, org_id: uuid.UUID, kind: ResourceKind, name: str
) -> Resource | None:
    return await session.scalar(
        scoped(Resource, org_id, Resource.kind == kind, Resource.name_key == name_key(name))
    )


async def of_member(
    session: AsyncSession, org_id: uuid.UUID, member_id: uuid.UUID
) -> Resource | None:
    return await session.scalar(scoped(Resource, org_id, Resource.member_id == member_id))


def _allocation_count(resource_id: Any) -> Any:
    a = aliased(Allocation)
    return select(func.count()).select_from(a).where(a.resource_id == resource_id).scalar_subquery()


@dataclass(frozen=True)
class ResourceRow:
    resource: Resource
    member_name: str | None
    allocations: int


def _with_extras(stmt: Select[Any]) -> Select[Any]:
    return stmt.add_columns(
        func.nullif(identity.member_name_of(Resource.member_id), "").label("member_name"),
        _allocation_count(Resource.id).label("allocations"),
    )


async def row_of(session: AsyncSession, org_id: uuid.UUID, resource_id: uuid.UUID) -> ResourceRow:
    """One resource with its member's name and how many allocations book it."""
    row = (
        await session.execute(_with_extras(scoped(Resource, org_id, Resource.id == resource_id)))
    ).one()
    return ResourceRow(row[0], row[1], int(row[2]))


@dataclass(frozen=True)
class ResourceFilter:
    kind: ResourceKind | None = None
    q: str | None = None  # in the name, role title, contact or address
    active: bool | None = None


async def list_resources(
    session: AsyncSession, org_id: uuid.UUID, filters: ResourceFilter, params: PageParams
) -> tuple[list[ResourceRow], int]:
    conditions: list[Any] = [Resource.org_id == org_id]
    if filters.kind is not None:
        conditions.append(Resource.kind == filters.kind)
    if filters.active is not None:
        conditions.append(Resource.active == filters.active)
    if filters.q:
        pattern = _like(filters.q.casefold())
        conditions.append(
            or_(
                *(
                    func.lower(column).like(pattern, escape="\\")
                    for column in (
                        Resource.name,
                        Resource.role_title,
                        Resource.contact_name,
                        Resource.address,
                        Resource.notes,
                    )
                ),
                Resource.name_key.like(pattern, escape="\\"),
            )
        )
    total = await session.scalar(select(func.count()).select_from(Resource).where(*conditions))
    stmt = (
        _with_extras(select(Resource).where(*conditions))
        .order_by(Resource.active.desc(), Resource.kind, Resource.name_key, Resource.id)
        .limit(params.limit)
        .offset(params.offset)
    )
    rows = (await session.execute(stmt)).all()
    return [ResourceRow(r[0], r[1], int(r[2])) for r in rows], int(total or 0)


async def has_allocations(session: AsyncSession, org_id: uuid.UUID, resource_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(Allocation.id)
        .where(Allocation.org_id == org_id, Allocation.resource_id == resource_id)
        .limit(1)
    )
    return found is not None


# ---- allocations ------------------------------------------------------------------------------


async def get_allocation(
    session: AsyncSession, org_id: uuid.UUID, allocation_id: uuid.UUID
) -> Allocation | None:
    return await session.scalar(scoped(Allocation, org_id, Allocation.id == allocation_id))


@dataclass(frozen=True)
class AllocationRow:
    allocation: Allocation
    project_code: str
    project_name: str


@dataclass(frozen=True)
class AllocationFilter:
    project_id: uuid.UUID | None = None
    resource_id: uuid.UUID | None = None
    kind: ResourceKind | None = None
    starts_on: date | None = None  # overlapping [starts_on, ends_on]
    ends_on: date | None = None


def _allocation_rows(conditions: Iterable[Any]) -> Select[Any]:
    return (
        select(
            Allocation,
            projects.project_code_of(Allocation.project_id).label("project_code"),
            projects.project_name_of(Allocation.project_id).label("project_name"),
        )
        .join(Resource, Resource.id == Allocation.resource_id)
        .where(*conditions)
    )


async def list_allocations(
    session: AsyncSession, org_id: uuid.UUID, filters: AllocationFilter, params: PageParams
) -> tuple[list[AllocationRow], int]:
    conditions: list[Any] = [Allocation.org_id == org_id]
    if filters.project_id is not None:
        conditions.append(Allocation.project_id == filters.project_id)
    if filters.resource_id is not None:
        conditions.append(Allocation.resource_id == filters.resource_id)
    if filters.kind is not None:
        conditions.append(Resource.kind == filters.kind)
    if filters.starts_on is not None:
        conditions.append(Allocation.ends_on >= filters.starts_on)
    if filters.ends_on is not None:
        conditions.append(Allocation.starts_on <= filters.ends_on)
    total = await session.scalar(
        select(func.count())
        .select_from(Allocation)
        .join(Resource, Resource.id == Allocation.resource_id)
        .where(*conditions)
    )
    stmt = (
        _allocation_rows(conditions)
        .order_by(Allocation.starts_on, Resource.name_key, Allocation.id)
        .limit(params.limit)
        .offset(params.offset)
    )
    rows = (await session.execute(stmt)).all()
    return [AllocationRow(r[0], r[1], r[2]) for r in rows], int(total or 0)


async def allocation_row(
    session: AsyncSession, org_id: uuid.UUID, allocation_id: uuid.UUID
) -> AllocationRow:
    row = (
        await session.execute(
            _allocation_rows([Allocation.org_id == org_id, Allocation.id == allocation_id])
        )
    ).one()
    return AllocationRow(row[0], row[1], row[2])


@dataclass(frozen=True)
class BookingRow:
    """An allocation in a period, with what the workload and conflict arithmetic needs of
    its resource and project."""

    allocation_id: uuid.UUID
    resource_id: uuid.UUID
    project_id: uuid.UUID
    project_code: str
    project_name: str
    starts_on: date
    ends_on: date
    hours_per_day: Any
    quantity: Any


async def bookings(
    session: AsyncSession,
    org_id: uuid.UUID,
    first: date,
    last: date,
    *,
    kinds: Iterable[ResourceKind] | None = None,
    resource_id: uuid.UUID | None = None,
) -> tuple[list[Resource], list[BookingRow]]:
    """In one statement: the resources (of `kinds`, or the one resource) that are active or
    booked between `first` and `last`, and their allocations overlapping those days on
    projects that still take work (closed and cancelled ones no longer book anyone). A
    resource without allocations comes back once with no booking."""
    a = aliased(Allocation)
    conditions: list[Any] = [Resource.org_id == org_id, or_(Resource.active, a.id.is_not(None))]
    if kinds is not None:
        conditions.append(Resource.kind.in_(list(kinds)))
    if resource_id is not None:
        conditions.append(Resource.id == resource_id)
    stmt = (
        select(
            Resource,
            a.id,
            a.project_id,
            projects.project_code_of(a.project_id),
            projects.project_name_of(a.project_id),
            a.starts_on,
            a.ends_on,
            a.hours_per_day,
            a.quantity,
        )
        .outerjoin(
            a,
            (a.resource_id == Resource.id)
            & (a.starts_on <= last)
            & (a.ends_on >= first)
            & projects.project_takes_work_of(a.project_id),
        )
        .where(*conditions)
        .order_by(Resource.name_key, Resource.id, a.starts_on, a.id)
    )
    resources: dict[uuid.UUID, Resource] = {}
    rows: list[BookingRow] = []
    for resource, alloc_id, project_id, code, name, starts, ends, hours, quantity in (
        await session.execute(stmt)
    ).all():
        resources.setdefault(resource.id, resource)
        if alloc_id is not None:
            rows.append(
                BookingRow(
                    alloc_id, resource.id, project_id, code, name, starts, ends, hours, quantity
                )
            )
    return list(resources.values()), rows


async def hourly_rates(
    session: AsyncSession, org_id: uuid.UUID
) -> dict[uuid.UUID, tuple[Decimal, str]]:
    """The hourly cost rate and its currency of every active person resource that is a
    member of the organisation."""
    rows = await session.execute(
        select(Resource.member_id, Resource.cost_rate, Resource.currency).where(
            Resource.org_id == org_id,
            Resource.kind == ResourceKind.PERSON,
            Resource.active.is_(True),
            Resource.member_id.is_not(None),
            Resource.cost_rate.is_not(None),
        )
    )
    return {
        member: (Decimal(str(rate)), currency)
        for member, rate, currency in rows.all()
        if member is not None and rate is not None
    }
