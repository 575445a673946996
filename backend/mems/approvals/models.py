"""Approval flows (configured steps per request type) and the requests that walk them."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mems.approvals.flow import Decision, RequestState
from mems.approvals.flow import RequestType as RequestType  # its home is the pure flow module
from mems.core.clock import utcnow
from mems.core.models import (
    ORG_AND_ID,
    AuditedMixin,
    Base,
    IdMixin,
    Money,
    OrgScopedMixin,
    TimestampMixin,
    UTCDateTime,
    VersionedMixin,
    same_org,
    str_enum,
)


class ApprovalStep(IdMixin, OrgScopedMixin, AuditedMixin, Base):
    """One configured step of an organisation's flow for a request type."""

    __tablename__ = "approval_steps"
    __table_args__ = (UniqueConstraint("org_id", "request_type", "position"),)

    request_type: Mapped[RequestType] = mapped_column(str_enum(RequestType))
    position: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(32))
    min_amount: Mapped[Decimal | None] = mapped_column(Money)


class ApprovalRequest(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    __tablename__ = "approval_requests"
    __table_args__ = (UniqueConstraint(*ORG_AND_ID),)

    request_type: Mapped[RequestType] = mapped_column(str_enum(RequestType), index=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(300))
    amount: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    requested_by_member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("memberships.id", ondelete="RESTRICT"), index=True
    )
    # Who sent it (the requester, or e.g. a director submitting for the project manager); None
    # on requests made before it was recorded, which the requester sent.
    submitted_by_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="RESTRICT")
    )
    # Who made the subject (e.g. the director who created the project for its manager): like
    # the requester and the submitter, they never decide the request. None when unknown.
    subject_author_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="RESTRICT")
    )
    state: Mapped[str] = mapped_column(String(16), default=RequestState.PENDING.value, index=True)
    # The steps that apply, fixed when the request is made: [{"role", "min_amount"}].
    steps: Mapped[dict[str, Any]] = mapped_column(default=dict)
    current_step: Mapped[int | None] = mapped_column(Integer)
    waiting_for_role: Mapped[str | None] = mapped_column(String(32), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApprovalRecord(IdMixin, OrgScopedMixin, AuditedMixin, Base):
    """One decision on a request (the full history is these rows in order)."""

    __tablename__ = "approval_records"
    __audit_parent__ = ("approval_requests", "request_id")
    __table_args__ = (same_org("request_id", "approval_requests"),)

    request_id: Mapped[uuid.UUID] = mapped_column(index=True)
    step: Mapped[int] = mapped_column(Integer)
    decided_by_member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("memberships.id", ondelete="RESTRICT")
    )
    decision: Mapped[Decision] = mapped_column(str_enum(Decision))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
