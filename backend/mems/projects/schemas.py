from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from mems.approvals.schemas import ApprovalRead
from mems.core.schemas import DecimalIn, InputModel, ReadModel, UpdateModel
from mems.finance.schemas import BudgetLineRead
from mems.projects.lifecycle import ProjectAction, ProjectStatus
from mems.projects.models import ProjectRole, ProjectType
from mems.projects.naming import MAX_PARTS

Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(max_length=10000)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
MoneyIn = Annotated[Decimal, DecimalIn(20, 2, ge=0)]


class GoalLinkIn(InputModel):
    objective_id: uuid.UUID
    key_result_id: uuid.UUID | None = None


class ProjectMemberIn(InputModel):
    member_id: uuid.UUID
    role: ProjectRole


class ProjectCreate(InputModel):
    name: Name = Field(examples=["2026Q4-电商-双十一大促"])
    type: ProjectType
    template: str | None = Field(
        default=None,
        description="A template id from /project-templates (builtin:… or a saved one)",
    )
    description: Text | None = None
    owner_member_id: uuid.UUID | None = Field(
        default=None, description="The project manager; the caller when omitted"
    )
    team_id: uuid.UUID | None = None
    period_id: uuid.UUID | None = None
    starts_on: date
    ends_on: date
    currency: Currency = "CNY"
    total_budget: MoneyIn = Decimal(0)
    goal_links: list[GoalLinkIn] = Field(default_factory=list, max_length=50)
    members: list[ProjectMemberIn] = Field(default_factory=list, max_length=200)


class ProjectUpdate(UpdateModel):
    __nullable__ = frozenset({"description", "team_id", "period_id"})

    name: Name | None = None
    type: ProjectType | None = None
    description: Text | None = None
    owner_member_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    period_id: uuid.UUID | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    currency: Currency | None = None
    total_budget: MoneyIn | None = None
    version: int = Field(ge=1)


class GoalLinksUpdate(InputModel):
    goal_links: list[GoalLinkIn] = Field(max_length=50)
    version: int = Field(ge=1)


class MembersUpdate(InputModel):
    members: list[ProjectMemberIn] = Field(max_length=200)
    version: int = Field(ge=1)


class TransitionAction(StrEnum):
    """The actions a project's manager takes; approve/reject come from the approval flow."""

    SUBMIT = ProjectAction.SUBMIT.value
    WITHDRAW = ProjectAction.WITHDRAW.value
    REVISE = ProjectAction.REVISE.value
    START = ProjectAction.START.value
    CLOSE = ProjectAction.CLOSE.value
    REOPEN = ProjectAction.REOPEN.value
    FINISH = ProjectAction.FINISH.value
    CANCEL = ProjectAction.CANCEL.value


class TransitionCreate(InputModel):
    action: TransitionAction
    version: int = Field(ge=1)


class RetrospectiveIn(InputModel):
    summary: Annotated[str, StringConstraints(min_length=1, max_length=10000)]
    went_well: Annotated[str, StringConstraints(min_length=1, max_length=10000)]
    problems: Annotated[str, StringConstraints(min_length=1, max_length=10000)]
    lessons: Annotated[str, StringConstraints(min_length=1, max_length=10000)]


class RetrospectiveRead(ReadModel):
    summary: str
    went_well: str
    problems: str
    lessons: str
    updated_at: datetime
    version: int


class GoalLinkRead(ReadModel):
    objective_id: uuid.UUID
    objective_title: str
    key_result_id: uuid.UUID | None
    key_result_name: str | None


class ProjectMemberRead(ReadModel):
    member_id: uuid.UUID
    name: str
    role: ProjectRole


class PhaseRead(ReadModel):
    id: uuid.UUID
    name: str
    starts_on: date
    ends_on: date
    task_count: int  # not cancelled
    done_count: int


class ProjectRead(ReadModel):
    id: uuid.UUID
    code: str
    name: str
    type: ProjectType
    status: ProjectStatus
    registered: bool = Field(description="Approved or later (立项): may request budget")
    owner_member_id: uuid.UUID
    owner_name: str
    team_id: uuid.UUID | None
    period_id: uuid.UUID | None
    starts_on: date
    ends_on: date
    currency: str
    total_budget: Decimal
    template_key: str | None
    goal_ids: list[uuid.UUID]
    created_at: datetime
    updated_at: datetime
    version: int


class ProjectDetail(ProjectRead):
    description: str | None
    allowed_actions: list[TransitionAction] = Field(
        description="What the caller may do next (empty when they may not act on it)"
    )
    goal_links: list[GoalLinkRead]
    members: list[ProjectMemberRead]
    phases: list[PhaseRead]
    budget_lines: list[BudgetLineRead]
    approved_budget: Decimal = Field(
        description="The project's budget: its approved lines' sum (total_budget is the "
        "estimate its registration asked for)"
    )
    approval: ApprovalRead | None
    retrospective: RetrospectiveRead | None


class NameCheckIn(InputModel):
    name: Annotated[str, StringConstraints(max_length=200)]
    project_id: uuid.UUID | None = Field(
        default=None,
        description="Renaming this project: its period and dates apply unless given, and its "
        "own name does not count as taken",
    )
    period_id: uuid.UUID | None = Field(
        default=None, description="The project's strategy period: the name's period must agree"
    )
    starts_on: date | None = Field(
        default=None, description="With ends_on, stands in for the period when there is none"
    )
    ends_on: date | None = None


class NameIssueType(StrEnum):
    EMPTY = "empty"
    FORM = "form"  # a separator of the pattern is missing
    PERIOD = "period"  # the period part is not a year or quarter
    CHOICE = "choice"  # the choice part holds none of its values
    TEXT = "text"  # the text part is missing or holds a forbidden character
    TOO_LONG = "too_long"
    PERIOD_MISMATCH = "period_mismatch"  # the period is not the project's
    DUPLICATE = "duplicate"  # a live project has this name


class NameIssueRead(ReadModel):
    type: NameIssueType
    message: str = Field(description="In the reader's language (Accept-Language)")
    part: str | None = Field(description="The part at fault, e.g. brand_line")
    label: str | None = Field(description="Its label, e.g. 品牌线")
    value: str | None = Field(description="What the name holds there")
    allowed_values: list[str] = Field(
        description="What it may hold: a choice's values, or the periods that fit the project"
    )
    max_length: int | None


class NameCheckRead(ReadModel):
    ok: bool
    expected_form: str
    example: str
    parts: dict[str, str]
    problems: list[str] = Field(description="The issues' messages")
    issues: list[NameIssueRead]
    period_values: list[str] = Field(
        description="The period codes that fit the project's period (or dates), the best first"
    )


class NamingPartIn(InputModel):
    kind: Annotated[str, StringConstraints(pattern="^(period|choice|text)$")]
    label: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    values: list[Annotated[str, StringConstraints(min_length=1, max_length=40)]] = Field(
        default_factory=list, max_length=50
    )
    max_length: int = Field(default=40, ge=1, le=200)
    example: Annotated[str, StringConstraints(max_length=80)] = ""


class NamingConventionIn(InputModel):
    revision: int = Field(
        ge=0, description="The revision you read (GET; 0 when never set); another one is a 409"
    )
    enabled: bool = True
    pattern: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        examples=["{period}-{brand_line}-{campaign}"]
    )
    parts: dict[str, NamingPartIn] = Field(max_length=MAX_PARTS)


class NamingConventionRead(ReadModel):
    revision: int = Field(description="Send it back with a change (0: never set)")
    enabled: bool
    pattern: str | None
    parts: dict[str, Any]
    expected_form: str
    example: str


class TemplatePhaseRead(ReadModel):
    name: str
    duration_days: int
    tasks: list[str]


class TemplateRead(ReadModel):
    id: str = Field(description="`builtin:<key>` or a saved template's id")
    name: str
    description: str | None
    project_type: ProjectType
    builtin: bool
    duration_days: int
    phases: list[TemplatePhaseRead]
    budget_categories: list[str]


class SaveTemplateIn(InputModel):
    name: Name
    description: Text | None = None


class LinkedProject(ReadModel):
    id: uuid.UUID
    code: str
    name: str
    status: ProjectStatus
