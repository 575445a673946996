"""Resource, allocation and workload API shapes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from mems.core.schemas import DecimalIn, Email, InputModel, ReadModel, UpdateModel
from mems.resources.models import ResourceKind
from mems.resources.workload import ConflictKind

Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Notes = Annotated[str, StringConstraints(max_length=5000)]
Short = Annotated[str, StringConstraints(max_length=100)]
Unit = Annotated[str, StringConstraints(min_length=1, max_length=20)]
Phone = Annotated[str, StringConstraints(max_length=40, pattern=r"^[0-9+()\- ]*$")]
Address = Annotated[str, StringConstraints(max_length=300)]
# Hours a week: more than zero, at most 168 (the service checks the upper bound).
WeekHours = Annotated[Decimal, DecimalIn(5, 2, ge=0, positive=True)]
# Hours a day: more than zero, at most 24 (the service checks the upper bound).
DayHours = Annotated[Decimal, DecimalIn(4, 2, ge=0, positive=True)]
Rate = Annotated[Decimal, DecimalIn(12, 2, ge=0)]  # money per hour or per unit
Amount = Annotated[Decimal, DecimalIn(14, 2, ge=0)]  # a stock
Quantity = Annotated[Decimal, DecimalIn(14, 2, ge=0, positive=True)]
Headcount = Annotated[int, Field(ge=1, le=1_000_000)]

_PERSON = "People only"
_STOCKED = "Materials and channels"
_VENDOR = "Vendors only"
_VENUE = "Venues only"


class ResourceFields(InputModel):
    """The fields every kind may send; which belong to which kind the service checks (a
    field of another kind is refused, naming it)."""

    notes: Notes | None = None
    member_id: uuid.UUID | None = Field(
        default=None, description=f"{_PERSON}: the member of the organisation this person is"
    )
    role_title: Short | None = Field(default=None, description=f"{_PERSON}: e.g. 文案策划")
    capacity_hours_week: WeekHours | None = Field(
        default=None, description=f"{_PERSON}: hours a week, more than 0, at most 168 (default 40)"
    )
    cost_rate: Rate | None = Field(default=None, description=f"{_PERSON}: cost per hour")
    unit: Unit | None = Field(default=None, description=f"{_STOCKED}: e.g. 个, 箱, 千次曝光")
    unit_cost: Rate | None = Field(default=None, description=f"{_STOCKED}: cost per unit")
    stock: Amount | None = Field(default=None, description="Materials only: units in stock")
    contact_name: Short | None = Field(default=None, description=_VENDOR)
    contact_phone: Phone | None = Field(default=None, description=_VENDOR)
    contact_email: Email | None = Field(default=None, description=_VENDOR)
    contract_no: Short | None = Field(default=None, description=_VENDOR)
    contract_ends_on: date | None = Field(default=None, description=_VENDOR)
    address: Address | None = Field(default=None, description=_VENUE)
    venue_capacity: Headcount | None = Field(default=None, description=f"{_VENUE}: people")


class ResourceCreate(ResourceFields):
    kind: ResourceKind
    name: Name | None = Field(
        default=None,
        description="Unique among the organisation's resources of this kind (letter case "
        "aside); a person who is a member may leave it out to take the member's name",
    )


class ResourceUpdate(UpdateModel):
    """Change a resource (its kind stays); `active: false` retires it from new allocations."""

    __nullable__ = frozenset(
        {
            "notes",
            "member_id",
            "role_title",
            "cost_rate",
            "unit",
            "unit_cost",
            "stock",
            "contact_name",
            "contact_phone",
            "contact_email",
            "contract_no",
            "contract_ends_on",
            "address",
            "venue_capacity",
        }
    )

    name: Name | None = None
    active: bool | None = None
    notes: Notes | None = None
    member_id: uuid.UUID | None = None
    role_title: Short | None = None
    capacity_hours_week: WeekHours | None = None
    cost_rate: Rate | None = None
    unit: Unit | None = None
    unit_cost: Rate | None = None
    stock: Amount | None = None
    contact_name: Short | None = None
    contact_phone: Phone | None = None
    contact_email: Email | None = None
    contract_no: Short | None = None
    contract_ends_on: date | None = None
    address: Address | None = None
    venue_capacity: Headcount | None = None
    version: int = Field(ge=1)


class ResourceRead(ReadModel):
    id: uuid.UUID
    kind: ResourceKind
    name: str
    active: bool
    notes: str | None
    currency: str
    member_id: uuid.UUID | None
    member_name: str | None = Field(description="The member's name (people who are members)")
    role_title: str | None
    capacity_hours_week: Decimal | None
    cost_rate: Decimal | None = Field(
        description="Per hour; shown to those who may read budgets (null for the others)"
    )
    unit: str | None
    unit_cost: Decimal | None = Field(
        description="Per unit; shown to those who may read budgets (null for the others)"
    )
    stock: Decimal | None
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    contract_no: str | None
    contract_ends_on: date | None
    address: str | None
    venue_capacity: int | None
    allocations: int = Field(description="Allocations that book it (a booked one is retired)")
    created_at: datetime
    updated_at: datetime
    version: int


# ---- allocations ----------------------------------------------------------------------------


class AllocationCreate(InputModel):
    resource_id: uuid.UUID = Field(description="An active resource of the organisation")
    task_id: uuid.UUID | None = Field(default=None, description="A task of the project")
    starts_on: date
    ends_on: date = Field(description="Included; not before starts_on")
    hours_per_day: DayHours | None = Field(
        default=None, description="People (required): hours on each working day, at most 24"
    )
    quantity: Quantity | None = Field(
        default=None, description="Materials (required) and others (optional): units booked"
    )
    note: Notes | None = None


class AllocationUpdate(UpdateModel):
    __nullable__ = frozenset({"task_id", "hours_per_day", "quantity", "note"})

    task_id: uuid.UUID | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    hours_per_day: DayHours | None = None
    quantity: Quantity | None = None
    note: Notes | None = None
    version: int = Field(ge=1)


class ProjectRef(BaseModel):
    id: uuid.UUID
    code: str
    name: str


class ConflictRead(BaseModel):
    """A booking problem: accepted, but someone should look."""

    kind: ConflictKind = Field(
        description="over_capacity: a person booked beyond their week's capacity; "
        "double_booked: a venue, channel or vendor booked by two projects at once; "
        "over_stock: a material's overlapping allocations take more than its stock"
    )
    resource_id: uuid.UUID
    resource_name: str
    resource_kind: ResourceKind
    starts_on: date = Field(description="The week (Monday) or the overlap's first day")
    ends_on: date
    projects: list[ProjectRef]
    allocation_ids: list[uuid.UUID]
    hours: Decimal | None = Field(description="over_capacity: hours booked in the week")
    capacity: Decimal | None = Field(description="over_capacity: the week's capacity")
    quantity: Decimal | None = Field(description="over_stock: units the allocations take")
    stock: Decimal | None = Field(description="over_stock: units in stock")


class AllocationRead(ReadModel):
    id: uuid.UUID
    resource_id: uuid.UUID
    resource_name: str
    resource_kind: ResourceKind
    project_id: uuid.UUID
    project_code: str
    project_name: str
    task_id: uuid.UUID | None
    starts_on: date
    ends_on: date
    hours_per_day: Decimal | None
    quantity: Decimal | None
    note: str | None
    working_days: int = Field(description="Working days in the range (organisation calendar)")
    planned_hours: Decimal | None = Field(description="People: hours a day × working days")
    planned_cost: Decimal | None = Field(
        description="Hours × hourly rate, or quantity × unit cost, in currency; null when a "
        "figure is missing or the caller may not read budgets"
    )
    currency: str
    created_at: datetime
    version: int


class AllocationSaved(AllocationRead):
    conflicts: list[ConflictRead] = Field(
        description="Conflicts this allocation takes part in: saved anyway, for a look"
    )


# ---- workload -------------------------------------------------------------------------------


class ProjectHours(ProjectRef):
    hours: Decimal


class WeekLoadRead(BaseModel):
    week_start: date = Field(description="Monday")
    working_days: int
    capacity: Decimal = Field(description="Hours a week scaled to the week's working days")
    hours: Decimal
    load_percent: Decimal | None = Field(description="hours / capacity × 100 (null: no capacity)")
    over: bool = Field(description="More hours than capacity")
    projects: list[ProjectHours]


class PersonLoadRead(BaseModel):
    resource_id: uuid.UUID
    name: str
    member_id: uuid.UUID | None
    role_title: str | None
    active: bool
    capacity_hours_week: Decimal
    weeks: list[WeekLoadRead]


class WorkloadRead(BaseModel):
    starts_on: date = Field(description="The first week's Monday")
    weeks: list[date] = Field(description="Each week's Monday")
    people: list[PersonLoadRead]
