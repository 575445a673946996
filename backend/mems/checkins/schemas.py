"""Daily check-in API schemas."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from mems.core.schemas import InputModel, IsoDay, ReadModel

Text = Annotated[str, StringConstraints(max_length=5000)]
# A day given in a path or a query string (`2026-11-30`).
Day = IsoDay


class OwnTaskStatus(StrEnum):
    """What a person may make of their own task in a check-in (cancelling is the planner's)."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    DONE = "done"


class TaskUpdateIn(InputModel):
    task_id: uuid.UUID = Field(description="A task assigned to the caller")
    progress: int = Field(ge=0, le=100, description="Percent done")
    status: OwnTaskStatus | None = Field(
        default=None,
        description="Omitted: progress above 0 starts a task to do, 100 makes it done",
    )


class DailyCheckInPut(InputModel):
    done: Annotated[str, StringConstraints(min_length=1, max_length=5000)] = Field(
        description="What was done"
    )
    next: Text | None = Field(default=None, description="What is next")
    blockers: Text | None = None
    task_updates: list[TaskUpdateIn] = Field(
        default_factory=list,
        max_length=100,
        description="Progress of the caller's own tasks, applied with the check-in",
    )
    version: int | None = Field(
        default=None,
        ge=1,
        description="When changing a check-in already made: the version read (409 if stale)",
    )


class TaskUpdateRead(ReadModel):
    task_id: uuid.UUID
    progress: int
    status: str | None = None


class DailyCheckInRead(ReadModel):
    id: uuid.UUID
    member_id: uuid.UUID
    member_name: str
    day: date
    done: str
    next: str | None
    blockers: str | None
    task_updates: list[TaskUpdateRead]
    created_at: datetime
    updated_at: datetime
    version: int


class OwnTaskRead(ReadModel):
    id: uuid.UUID
    project_id: uuid.UUID
    title: str
    progress: int
    status: str
    starts_on: date
    due_on: date


class MyDayRead(ReadModel):
    """The caller's check-in form for one day: the check-in made (if any), whether it can
    still be made or changed, and the caller's open tasks to update."""

    day: date
    today: date = Field(description="Today in the organisation's time zone")
    editable: bool = Field(description="Within the organisation's grace rule")
    checkin: DailyCheckInRead | None
    tasks: list[OwnTaskRead]


class PersonRead(ReadModel):
    member_id: uuid.UUID
    name: str


class TeamRollCallRead(ReadModel):
    team_id: uuid.UUID
    team_name: str
    checked_in: list[PersonRead]
    not_checked_in: list[PersonRead]


class RollCallRead(ReadModel):
    """Who has and who has not checked in on a day, per team (names only)."""

    day: date
    teams: list[TeamRollCallRead]
