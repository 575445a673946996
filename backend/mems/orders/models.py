"""Work orders (工单): work requested from a person or a team, with an SLA."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mems.core.clock import utcnow
from mems.core.models import (
    ORG_AND_ID,
    AuditedMixin,
    Base,
    IdMixin,
    OrgScopedMixin,
    Priority,
    TimestampMixin,
    VersionedMixin,
    str_enum,
)


class WorkOrderStatus(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    VERIFIED = "verified"
    CANCELLED = "cancelled"


class WorkOrder(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    """工单: work requested from a person (or a team) with a due time and an SLA. The response
    time (requested → accepted) and resolution time (requested → done) are kept for scoring."""

    __tablename__ = "work_orders"
    __table_args__ = (
        UniqueConstraint(*ORG_AND_ID),
        UniqueConstraint("org_id", "number"),
        CheckConstraint("sla_hours IS NULL OR sla_hours > 0", name="sla_positive"),
        Index("ix_work_orders_assignee_status", "assignee_member_id", "status"),
        Index("ix_work_orders_requester", "requester_member_id"),
    )

    number: Mapped[int] = mapped_column(Integer)  # WO-<number>, per organisation
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    requester_member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("memberships.id", ondelete="RESTRICT")
    )
    assignee_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    assignee_team_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    project_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), index=True
    )
    task_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("tasks.id", ondelete="SET NULL"), index=True
    )
    priority: Mapped[Priority] = mapped_column(str_enum(Priority), default=Priority.MEDIUM)
    status: Mapped[WorkOrderStatus] = mapped_column(
        str_enum(WorkOrderStatus), default=WorkOrderStatus.REQUESTED
    )
    due_at: Mapped[datetime | None]
    sla_hours: Mapped[int | None] = mapped_column(Integer)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None]
    rejected_at: Mapped[datetime | None]
    reject_reason: Mapped[str | None] = mapped_column(String(1000))
    started_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    verified_at: Mapped[datetime | None]
    response_seconds: Mapped[int | None] = mapped_column(Integer)
    resolution_seconds: Mapped[int | None] = mapped_column(Integer)


class WorkOrderCounter(Base):
    """The last work-order number given per organisation (taken like project codes)."""

    __tablename__ = "work_order_counters"

    org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    last_number: Mapped[int] = mapped_column(Integer)
