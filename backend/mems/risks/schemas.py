"""Issue and risk API schemas."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from mems.core.schemas import InputModel, ReadModel, UpdateModel
from mems.risks.models import Escalation, IssueKind, IssueStatus, Severity

Title = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(max_length=5000)]
Score = Annotated[int, Field(ge=1, le=5)]


class IssueCreate(InputModel):
    kind: IssueKind = Field(description="issue: it happened; risk: it may happen")
    title: Title
    description: Text | None = None
    severity: Severity = Severity.MEDIUM
    probability: Score | None = Field(default=None, description="Risks only (required): 1–5")
    impact: Score | None = Field(default=None, description="Risks only (required): 1–5")
    owner_member_id: uuid.UUID | None = Field(
        default=None, description="Someone who works on the project"
    )
    due_on: date | None = None
    task_id: uuid.UUID | None = Field(default=None, description="A task of the project")


class OpenStatus(StrEnum):
    """The statuses an edit may set (resolving, closing and reopening have their own calls)."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"


class IssueUpdate(UpdateModel):
    __nullable__ = frozenset(
        {"description", "probability", "impact", "owner_member_id", "due_on", "task_id"}
    )

    title: Title | None = None
    description: Text | None = None
    severity: Severity | None = None
    probability: Score | None = None
    impact: Score | None = None
    owner_member_id: uuid.UUID | None = None
    due_on: date | None = None
    task_id: uuid.UUID | None = None
    status: OpenStatus | None = Field(default=None, description="Only while open")
    version: int = Field(ge=1)


class IssueResolve(InputModel):
    resolution: Annotated[str, StringConstraints(min_length=1, max_length=5000)] = Field(
        description="How it was resolved (or mitigated)"
    )
    version: int | None = Field(default=None, ge=1)


class IssueStep(InputModel):
    """Close or reopen: the version read, optionally."""

    version: int | None = Field(default=None, ge=1)


class IssueRead(ReadModel):
    id: uuid.UUID
    project_id: uuid.UUID
    task_id: uuid.UUID | None
    kind: IssueKind
    title: str
    description: str | None
    severity: Severity
    probability: int | None
    impact: int | None
    risk_score: int | None = Field(description="probability × impact (risks), 1–25")
    owner_member_id: uuid.UUID | None
    owner_name: str | None
    raised_by_member_id: uuid.UUID | None
    due_on: date | None
    status: IssueStatus
    overdue: bool = Field(description="Still open past its due day (organisation's time zone)")
    escalation: Escalation
    escalated_at: datetime | None
    resolved_at: datetime | None
    resolution: str | None
    created_at: datetime
    updated_at: datetime
    version: int
