from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from mems.core.errors import FieldError, ValidationFailed
from mems.core.i18n import _
from mems.core.schemas import DecimalIn, InputModel, ReadModel, UpdateModel
from mems.projects.lifecycle import ProjectStatus
from mems.strategy.models import Direction, GoalLevel, PeriodKind, ValueSource

Title = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Amount = Annotated[Decimal, DecimalIn(20, 4)]
Weight = Annotated[Decimal, DecimalIn(9, 4, ge=0)]


class ProgressRead(ReadModel):
    capped: float = Field(description="0–1; over-achievement of one KR cannot hide another")
    uncapped: float = Field(description="Keeps over-achievement (> 1) and regression (< 0)")


class PeriodCreate(InputModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=64)] = Field(
        examples=["2026", "2026Q4"]
    )
    kind: PeriodKind
    starts_on: date
    ends_on: date
    parent_id: uuid.UUID | None = Field(default=None, description="The year a quarter belongs to")


class PeriodUpdate(UpdateModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    version: int = Field(ge=1)


class PeriodRead(ReadModel):
    id: uuid.UUID
    name: str
    kind: PeriodKind
    starts_on: date
    ends_on: date
    parent_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    version: int


class GoalCreate(InputModel):
    period_id: uuid.UUID
    parent_id: uuid.UUID | None = None
    level: GoalLevel
    title: Title
    description: Annotated[str, StringConstraints(max_length=5000)] | None = None
    owner_member_id: uuid.UUID | None = None
    owner_team_id: uuid.UUID | None = Field(
        default=None, description="A goal is owned by a person or a team"
    )
    weight: Weight = Decimal(1)


class GoalUpdate(UpdateModel):
    __nullable__ = frozenset({"parent_id", "description", "owner_member_id", "owner_team_id"})

    parent_id: uuid.UUID | None = None
    level: GoalLevel | None = None
    title: Title | None = None
    description: Annotated[str, StringConstraints(max_length=5000)] | None = None
    owner_member_id: uuid.UUID | None = None
    owner_team_id: uuid.UUID | None = None
    weight: Weight | None = None
    version: int = Field(ge=1)


class GoalRead(ReadModel):
    id: uuid.UUID
    period_id: uuid.UUID
    parent_id: uuid.UUID | None
    level: GoalLevel
    title: str
    description: str | None
    owner_member_id: uuid.UUID | None
    owner_team_id: uuid.UUID | None
    weight: Decimal
    progress: ProgressRead | None = Field(description="None when nothing under it is measured yet")
    created_at: datetime
    updated_at: datetime
    version: int


def check_kpi_values(baseline: Decimal, target: Decimal, direction: Direction) -> None:
    """Target differs from baseline, on the side the direction says."""
    if target == baseline:
        raise ValidationFailed(
            _("The target must differ from the baseline."),
            errors=[
                FieldError(
                    field="target", message="equals the baseline", type="target_equals_baseline"
                )
            ],
        )
    if (direction == Direction.INCREASE) != (target > baseline):
        if direction == Direction.INCREASE:
            message = _("A KPI that should increase needs a target above its baseline.")
            field_message = "target must be above baseline"
        else:
            message = _("A KPI that should decrease needs a target below its baseline.")
            field_message = "target must be below baseline"
        raise ValidationFailed(
            message,
            errors=[FieldError(field="direction", message=field_message, type="direction")],
        )


class KpiCreate(InputModel):
    objective_id: uuid.UUID
    name: Title
    unit: Annotated[str, StringConstraints(min_length=1, max_length=32)] = Field(
        examples=["次", "人", "%", "CNY"]
    )
    baseline: Amount
    target: Amount
    direction: Direction
    weight: Weight = Decimal(1)
    owner_member_id: uuid.UUID | None = None
    due_on: date | None = None
    source: ValueSource = ValueSource.MANUAL
    source_config: dict[str, Any] = Field(
        default_factory=dict,
        description="For channel_metric: the metric query (defined by the channel module)",
    )


class KpiUpdate(UpdateModel):
    __nullable__ = frozenset({"owner_member_id", "due_on"})

    name: Title | None = None
    unit: Annotated[str, StringConstraints(min_length=1, max_length=32)] | None = None
    baseline: Amount | None = None
    target: Amount | None = None
    direction: Direction | None = None
    weight: Weight | None = None
    owner_member_id: uuid.UUID | None = None
    due_on: date | None = None
    version: int = Field(ge=1)


class KpiRead(ReadModel):
    id: uuid.UUID
    objective_id: uuid.UUID
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    direction: Direction
    weight: Decimal
    owner_member_id: uuid.UUID | None
    due_on: date | None
    source: ValueSource
    source_config: dict[str, Any]
    current_value: Decimal | None
    current_as_of: date | None
    attainment: ProgressRead
    created_at: datetime
    updated_at: datetime
    version: int


class CheckInCreate(InputModel):
    value: Amount
    checked_on: date | None = Field(
        default=None, description="Defaults to today in the organisation's time zone"
    )
    note: Annotated[str, StringConstraints(max_length=1000)] | None = None


class CheckInRead(ReadModel):
    id: uuid.UUID
    key_result_id: uuid.UUID
    value: Decimal
    checked_on: date
    note: str | None
    created_by_member_id: uuid.UUID | None
    created_at: datetime


class LinkedProject(ReadModel):
    """A project working towards a goal (its status as in the project lifecycle)."""

    id: uuid.UUID
    code: str
    name: str
    status: ProjectStatus


class GoalNode(ReadModel):
    goal: GoalRead
    key_results: list[KpiRead]
    projects: list[LinkedProject] = Field(description="Projects linked to this goal itself")
    children: list[GoalNode]
    unmeasured: bool = Field(description="Flagged: no key result anywhere under this goal")
    no_work: bool = Field(
        description="Flagged: no live project (not rejected or cancelled) anywhere under this goal"
    )
