"""Issues and risks (问题上报) of projects, escalated when overdue."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mems.core.models import (
    ORG_AND_ID,
    AuditedMixin,
    Base,
    IdMixin,
    OrgScopedMixin,
    TimestampMixin,
    VersionedMixin,
    same_org,
    str_enum,
)


class IssueKind(StrEnum):
    ISSUE = "issue"
    RISK = "risk"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class IssueStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Escalation(StrEnum):
    NONE = "none"
    MANAGER = "manager"  # the project manager was told it is overdue
    DIRECTOR = "director"  # then the directors


class WorkIssue(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    """问题上报: an issue (it happened) or a risk (it may: probability × impact) of a project,
    with an owner and a due date; overdue ones escalate to the project manager, then the
    directors."""

    __tablename__ = "work_issues"
    __audit_parent__ = ("projects", "project_id")
    __table_args__ = (
        UniqueConstraint(*ORG_AND_ID),
        CheckConstraint(
            "probability IS NULL OR (probability >= 1 AND probability <= 5)",
            name="probability_in_range",
        ),
        CheckConstraint("impact IS NULL OR (impact >= 1 AND impact <= 5)", name="impact_in_range"),
        same_org("project_id", "projects"),
        Index("ix_work_issues_project_status", "project_id", "status"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column()
    task_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    kind: Mapped[IssueKind] = mapped_column(str_enum(IssueKind))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[Severity] = mapped_column(str_enum(Severity), default=Severity.MEDIUM)
    probability: Mapped[int | None] = mapped_column(Integer)  # risks: 1–5
    impact: Mapped[int | None] = mapped_column(Integer)  # risks: 1–5
    owner_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"), index=True
    )
    raised_by_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[IssueStatus] = mapped_column(str_enum(IssueStatus), default=IssueStatus.OPEN)
    escalation: Mapped[Escalation] = mapped_column(str_enum(Escalation), default=Escalation.NONE)
    escalated_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(Text)
