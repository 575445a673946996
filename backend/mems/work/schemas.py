"""Request and response bodies of the work endpoints."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StrictBool, StringConstraints
from pydantic_core import PydanticCustomError

from mems.collab.schemas import ActivityRead
from mems.core.models import Priority
from mems.core.schemas import DecimalIn, InputModel, ReadModel, UpdateModel
from mems.work.models import TaskStatus
from mems.work.schedule import MAX_DAYS, DependencyType

Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(max_length=20000)]
Days = Annotated[int, Field(ge=0, le=MAX_DAYS)]
Lag = Annotated[int, Field(ge=-MAX_DAYS, le=MAX_DAYS)]
Percent = Annotated[int, Field(ge=0, le=100)]
HoursIn = Annotated[Decimal, DecimalIn(9, 2, ge=0)]
Weekday = Annotated[int, Field(ge=0, le=6)]


# ---- phases --------------------------------------------------------------------------------


class PhaseCreate(InputModel):
    name: Name
    starts_on: date
    ends_on: date


class PhaseUpdate(UpdateModel):
    name: Name | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    position: Annotated[int, Field(ge=0, le=1000)] | None = None


class PhaseRead(ReadModel):
    id: uuid.UUID
    project_id: uuid.UUID
    position: int
    name: str
    starts_on: date
    ends_on: date


# ---- tasks ---------------------------------------------------------------------------------


class TaskCreate(InputModel):
    title: Name
    description: Text | None = None
    phase_id: uuid.UUID | None = None
    parent_id: uuid.UUID | None = Field(default=None, description="The summary task above it")
    assignee_member_id: uuid.UUID | None = None
    starts_on: date | None = Field(
        default=None, description="The start asked for; the project's start when omitted"
    )
    due_on: date | None = Field(default=None, description="Or give `duration_days`")
    duration_days: Days | None = Field(default=None, description="Working days; 0: a milestone")
    priority: Priority = Priority.MEDIUM
    milestone: StrictBool = False
    estimate_hours: HoursIn | None = None
    key_result_id: uuid.UUID | None = None


class TaskUpdate(UpdateModel):
    __nullable__ = frozenset(
        {
            "description",
            "phase_id",
            "assignee_member_id",
            "estimate_hours",
            "actual_hours",
            "key_result_id",
        }
    )

    title: Name | None = None
    description: Text | None = None
    phase_id: uuid.UUID | None = None
    assignee_member_id: uuid.UUID | None = None
    starts_on: date | None = None
    due_on: date | None = None
    duration_days: Days | None = None
    progress: Percent | None = None
    status: TaskStatus | None = None
    priority: Priority | None = None
    milestone: StrictBool | None = None
    estimate_hours: HoursIn | None = None
    actual_hours: HoursIn | None = None
    key_result_id: uuid.UUID | None = None
    version: int = Field(description="The version you read (a stale one is 409)")


class TaskRead(ReadModel):
    id: uuid.UUID
    project_id: uuid.UUID
    phase_id: uuid.UUID | None
    parent_id: uuid.UUID | None
    position: int
    title: str
    description: str | None
    assignee_member_id: uuid.UUID | None
    assignee_name: str | None
    not_before: date | None
    starts_on: date
    due_on: date
    duration_days: int
    progress: int
    status: TaskStatus
    priority: Priority
    milestone: bool
    estimate_hours: Decimal | None
    actual_hours: Decimal | None
    key_result_id: uuid.UUID | None
    slack_days: int
    critical: bool
    completed_at: datetime | None
    version: int


class TaskListItem(TaskRead):
    wbs: str = Field(description="The WBS number, e.g. 2.1.3")
    summary: bool = Field(description="Whether it has subtasks (its dates span theirs)")


class MovedTask(ReadModel):
    """A task a change moved (its own dates or a successor's)."""

    task_id: uuid.UUID
    title: str
    milestone: bool
    starts_on_before: date
    starts_on: date
    due_on_before: date
    due_on: date


class TaskChange(ReadModel):
    task: TaskRead
    moved: list[MovedTask] = Field(description="Every task whose dates the change moved")


# ---- dependencies --------------------------------------------------------------------------


class DependencyCreate(InputModel):
    predecessor_id: uuid.UUID
    successor_id: uuid.UUID
    type: DependencyType = DependencyType.FS
    lag_days: Lag = Field(default=0, description="Working days; negative: a lead")


class DependencyUpdate(UpdateModel):
    type: DependencyType | None = None
    lag_days: Lag | None = None


class DependencyRead(ReadModel):
    id: uuid.UUID
    predecessor_id: uuid.UUID
    successor_id: uuid.UUID
    type: DependencyType
    lag_days: int


class DependencyChange(ReadModel):
    dependency: DependencyRead | None
    moved: list[MovedTask]


# ---- baselines and the Gantt ---------------------------------------------------------------


class BaselineCreate(InputModel):
    name: Name


class BaselineRead(ReadModel):
    id: uuid.UUID
    name: str
    created_at: datetime
    created_by_name: str | None


class GanttProject(ReadModel):
    id: uuid.UUID
    code: str
    name: str
    status: str
    starts_on: date
    ends_on: date
    finish: date | None = Field(description="When the plan's last task ends")
    version: int


class GanttTask(ReadModel):
    id: uuid.UUID
    phase_id: uuid.UUID | None
    parent_id: uuid.UUID | None
    wbs: str
    title: str
    assignee_member_id: uuid.UUID | None
    assignee_name: str | None
    starts_on: date
    due_on: date
    duration_days: int
    progress: int
    status: TaskStatus
    priority: Priority
    milestone: bool
    summary: bool
    slack_days: int
    critical: bool
    version: int
    baseline_starts_on: date | None
    baseline_due_on: date | None


class Slip(ReadModel):
    task_id: uuid.UUID
    title: str
    planned: date
    now: date
    working_days: int


class GanttRead(ReadModel):
    project: GanttProject
    today: date
    phases: list[PhaseRead]
    tasks: list[GanttTask] = Field(description="In WBS order")
    dependencies: list[DependencyRead]
    critical_path: list[uuid.UUID]
    non_working_days: list[date] = Field(
        description="Weekends and holidays from the plan's first to its last day"
    )
    baselines: list[BaselineRead]
    baseline_id: uuid.UUID | None = Field(description="The baseline shown (the latest)")
    slipped_milestones: list[Slip] = Field(description="Milestones later than the baseline")


class MyTask(ReadModel):
    id: uuid.UUID
    project_id: uuid.UUID
    project_code: str
    project_name: str
    title: str
    starts_on: date
    due_on: date
    progress: int
    status: TaskStatus
    priority: Priority
    milestone: bool
    critical: bool
    overdue: bool
    due_today: bool
    version: int


class MyTasks(ReadModel):
    today: date = Field(description="Today in the organisation's time zone")
    overdue: list[MyTask]
    due_today: list[MyTask]
    upcoming: list[MyTask] = Field(description="Started or starting within two weeks")


# ---- the battle map ------------------------------------------------------------------------


class KeyResultProgress(ReadModel):
    name: str
    unit: str
    current: Decimal | None
    target: Decimal
    attainment: float = Field(description="0–1, capped")


class BattleGoal(ReadModel):
    objective_id: uuid.UUID
    objective_title: str
    key_result_id: uuid.UUID | None
    key_result: KeyResultProgress | None


class BriefTask(ReadModel):
    id: uuid.UUID
    title: str
    assignee_name: str | None
    starts_on: date
    due_on: date
    progress: int
    status: TaskStatus
    milestone: bool


class OverdueTask(BriefTask):
    days_overdue: int


class PlanProgress(ReadModel):
    tasks: int
    done: int
    percent: float = Field(description="Done, weighted by duration (0–100)")
    milestones: int
    milestones_done: int


class Workload(ReadModel):
    member_id: uuid.UUID
    name: str
    tasks_this_week: int
    hours_this_week: Decimal = Field(description="Estimated hours falling in this week")
    overdue: int


class BattleIssue(ReadModel):
    id: uuid.UUID
    kind: str
    title: str
    severity: str
    risk_score: int | None
    owner_name: str | None
    due_on: date | None
    overdue: bool
    escalation: str


class BattleProject(ReadModel):
    id: uuid.UUID
    code: str
    name: str
    status: str
    starts_on: date
    ends_on: date
    finish: date | None


class BattleMap(ReadModel):
    project: BattleProject
    today: date
    goals: list[BattleGoal]
    phases: list[PhaseRead]
    progress: PlanProgress
    overdue_tasks: list[OverdueTask]
    critical_path: list[BriefTask]
    milestones: list[BriefTask]
    workload: list[Workload]
    open_issues: list[BattleIssue]
    activity: list[ActivityRead]


# ---- the calendar --------------------------------------------------------------------------


class CalendarSettingsIn(InputModel):
    weekend: list[Weekday] = Field(max_length=6, description="Monday = 0 … Sunday = 6")
    china_holidays: StrictBool
    revision: int = Field(ge=0, description="The revision you read (0: never set)")


class CalendarDayIn(InputModel):
    working: StrictBool
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]


class CalendarDayRead(ReadModel):
    day: date
    working: bool
    name: str
    source: str = Field(description="china (the public calendar) or org (the organisation's own)")


class CalendarRead(ReadModel):
    year: int
    weekend: list[int]
    china_holidays: bool
    china_years: list[int] = Field(description="Years whose public holidays are known")
    revision: int
    days: list[CalendarDayRead] = Field(description="The year's exceptions to the weekend rule")


# ---- work settings -------------------------------------------------------------------------

GRACE_DAYS_MAX = 30
DIRECTOR_AFTER_DAYS_MIN, DIRECTOR_AFTER_DAYS_MAX = 1, 60


def _number_not_text_or_bool(value: Any) -> Any:
    """JSON's integers (3, and 3.0 as JSON Schema counts it), never `true` or `"3"`."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


WholeNumber = Annotated[int, BeforeValidator(_number_not_text_or_bool)]
_WORK_SETTINGS_REVISION = (
    "Send it back with a change: if either setting changed since, this is a 409 (0: neither "
    "was ever set)"
)


class WorkSettingsIn(InputModel):
    checkin_grace_days: WholeNumber = Field(
        ge=0,
        le=GRACE_DAYS_MAX,
        description="How many past days a daily check-in may still be made or changed "
        "(0: today only)",
        examples=[1],
    )
    issue_director_after_days: WholeNumber = Field(
        ge=DIRECTOR_AFTER_DAYS_MIN,
        le=DIRECTOR_AFTER_DAYS_MAX,
        description="How many days after its project manager was told an overdue issue is "
        "escalated to the directors",
        examples=[2],
    )
    revision: WholeNumber = Field(ge=0, description="The revision you read (GET)")


class WorkSettingsRead(ReadModel):
    checkin_grace_days: int = Field(description="Default 1")
    issue_director_after_days: int = Field(description="Default 2")
    revision: int = Field(description=_WORK_SETTINGS_REVISION)
