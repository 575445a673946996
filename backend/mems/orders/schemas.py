from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Discriminator, Field, StringConstraints, Tag
from pydantic_core import PydanticCustomError

from mems.core.models import Priority
from mems.core.schemas import InputModel, ReadModel
from mems.orders.flow import OrderAction
from mems.orders.models import WorkOrderStatus

MAX_SLA_HOURS = 8760  # a year


class WorkOrderBox(StrEnum):
    INBOX = "inbox"  # given to me, or to a team of mine and not taken yet
    SENT = "sent"  # requested by me
    TEAM = "team"  # given to a team of mine (whoever took it)


class WorkOrderSort(StrEnum):
    DUE = "due"  # soonest due first (orders without a due time last), then newest
    NEWEST = "newest"  # newest request first


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise PydanticCustomError(
            "timezone_aware", "Give the time zone, e.g. 2026-12-01T18:00:00+08:00"
        )
    return value


AwareTime = Annotated[datetime, AfterValidator(_aware)]


class WorkOrderCreate(InputModel):
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    description: Annotated[str, StringConstraints(max_length=5000)] | None = None
    assignee_member_id: uuid.UUID | None = Field(
        default=None, description="The person asked; give this or `assignee_team_id`"
    )
    assignee_team_id: uuid.UUID | None = Field(
        default=None, description="The team asked (whoever accepts it takes it)"
    )
    project_id: uuid.UUID | None = None
    task_id: uuid.UUID | None = Field(
        default=None, description="A task of `project_id` the work belongs to"
    )
    due_at: AwareTime | None = Field(default=None, description="In the future")
    sla_hours: int | None = Field(
        default=None,
        ge=1,
        le=MAX_SLA_HOURS,
        description="Resolution target: hours from the request until the work is done",
    )
    priority: Priority = Priority.MEDIUM


_Version = Annotated[
    int | None,
    Field(
        ge=1,
        le=2**31 - 1,
        description="The version read (a mismatch is 409; `If-Match` may be sent as well)",
    ),
]


class WorkOrderStepIn(InputModel):
    """A step that carries nothing but the version read."""

    action: Literal[
        OrderAction.ACCEPT,
        OrderAction.START,
        OrderAction.COMPLETE,
        OrderAction.VERIFY,
        OrderAction.CANCEL,
    ]
    version: _Version = None


class WorkOrderRejectIn(InputModel):
    """The assignee turns the request down, saying why."""

    action: Literal[OrderAction.REJECT]
    version: _Version = None
    reason: Annotated[str, StringConstraints(min_length=1, max_length=1000)]


def _shape_of(value: Any) -> str | None:
    """Which body `action` asks for: a reject (with its reason) or a plain step. (A callable
    discriminator: the models' before-validators rule out a plain `discriminator="action"`.)"""
    action = value.get("action") if isinstance(value, dict) else getattr(value, "action", None)
    if action is None:
        return None
    return "reject" if action == OrderAction.REJECT else "step"


# One lifecycle step; `action` picks the shape (only `reject` carries more: its reason).
WorkOrderTransitionIn = Annotated[
    Annotated[WorkOrderStepIn, Tag("step")] | Annotated[WorkOrderRejectIn, Tag("reject")],
    Discriminator(
        _shape_of,
        custom_error_type="action_required",
        custom_error_message="Say which step: accept, reject, start, complete, verify or cancel",
    ),
]


class TaskLinkIn(InputModel):
    """Attach an existing task of the order's project (`task_id`), or create one (`create`)
    in the order's project, assigned to the assignee and due when the order is."""

    task_id: uuid.UUID | None = None
    create: bool = False
    phase_id: uuid.UUID | None = Field(default=None, description="For `create`: the task's phase")
    version: int | None = Field(default=None, ge=1, le=2**31 - 1)


class WorkOrderRead(ReadModel):
    id: uuid.UUID
    number: int
    code: str = Field(examples=["WO-12"])
    title: str
    description: str | None
    status: WorkOrderStatus
    priority: Priority
    requester_member_id: uuid.UUID
    requester_name: str
    assignee_member_id: uuid.UUID | None
    assignee_name: str | None
    assignee_team_id: uuid.UUID | None
    assignee_team_name: str | None
    project_id: uuid.UUID | None
    project_code: str | None
    project_name: str | None
    task_id: uuid.UUID | None
    due_at: datetime | None
    sla_hours: int | None
    sla_due_at: datetime | None = Field(description="requested_at + sla_hours")
    requested_at: datetime
    accepted_at: datetime | None
    rejected_at: datetime | None
    reject_reason: str | None
    started_at: datetime | None
    done_at: datetime | None
    verified_at: datetime | None
    response_seconds: int | None = Field(description="Request to acceptance, wall-clock seconds")
    resolution_seconds: int | None = Field(description="Request to done, wall-clock seconds")
    overdue: bool = Field(description="Still open past `due_at`")
    sla_breached: bool = Field(description="Done after the SLA, or still open past it")
    allowed_actions: list[OrderAction] = Field(description="What the caller may do now")
    created_at: datetime
    updated_at: datetime
    version: int
