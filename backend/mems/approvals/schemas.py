from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field, StringConstraints

from mems.approvals.flow import Decision, RequestState
from mems.approvals.models import RequestType
from mems.core.schemas import DecimalIn, InputModel, ReadModel
from mems.identity.permissions import Role

MoneyIn = Annotated[Decimal, DecimalIn(20, 2, ge=0)]


class StepIn(InputModel):
    role: Role
    min_amount: MoneyIn | None = Field(
        default=None, description="The step applies only to amounts above this"
    )


class FlowUpdate(InputModel):
    revision: str = Field(description="The revision you read (GET); another one is a 409")
    steps: list[StepIn] = Field(min_length=1, max_length=10)


class StepRead(ReadModel):
    role: str
    min_amount: Decimal | None


class FlowRead(ReadModel):
    request_type: RequestType
    revision: str = Field(description="Send it back with a change")
    steps: list[StepRead]
    is_default: bool = Field(description="True while the organisation has not configured it")


class DecisionCreate(InputModel):
    decision: Decision
    comment: Annotated[str, StringConstraints(max_length=2000)] = ""


class RecordRead(ReadModel):
    id: uuid.UUID
    step: int
    decided_by_member_id: uuid.UUID
    decided_by_name: str
    decision: Decision
    comment: str
    created_at: datetime


class ApprovalRead(ReadModel):
    id: uuid.UUID
    request_type: RequestType
    subject_id: uuid.UUID
    title: str
    amount: Decimal | None
    currency: str
    requested_by_member_id: uuid.UUID
    requested_by_name: str
    state: RequestState
    steps: list[StepRead]
    current_step: int | None
    waiting_for_role: str | None
    can_decide: bool = Field(description="Whether the caller may decide the current step")
    created_at: datetime
    decided_at: datetime | None
    version: int


class SubmissionRead(ReadModel):
    submitted_by_member_id: uuid.UUID
    submitted_by_name: str
    submitted_at: datetime


class ApprovalDetail(ApprovalRead):
    submission: SubmissionRead = Field(
        description="Who sent the request and when: the first entry of its history"
    )
    history: list[RecordRead] = Field(description="The decisions, in order")
