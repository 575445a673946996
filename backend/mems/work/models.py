"""Work execution: phases and tasks (the WBS), dependencies, baselines, the organisation's
working calendar, work orders, daily check-ins, issues and risks, comments and attachments."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
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
    same_org,
    str_enum,
)
from mems.work.schedule import DependencyType

Hours = Numeric(9, 2)


class TaskStatus(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    DONE = "done"
    CANCELLED = "cancelled"


class Phase(IdMixin, OrgScopedMixin, AuditedMixin, Base):
    """A stage of a project (策划/筹备/执行/复盘 by default): groups its tasks on the Gantt."""

    __tablename__ = "phases"
    __audit_parent__ = ("projects", "project_id")
    __table_args__ = (
        UniqueConstraint(*ORG_AND_ID),
        CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        same_org("project_id", "projects"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)


class Task(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    """One piece of work of a project. `position` orders siblings (same parent); the WBS
    number (1.2.3) follows from the tree. `starts_on`/`due_on` are the scheduled dates (the
    scheduler's earliest ones); `not_before` is the start the planner asked for (dragging the
    bar sets it), `duration_days` its length in working days (0: a milestone)."""

    __tablename__ = "tasks"
    __audit_parent__ = ("projects", "project_id")
    __audit_exclude__ = frozenset({"position"})
    __table_args__ = (
        UniqueConstraint(*ORG_AND_ID),
        CheckConstraint("due_on >= starts_on", name="dates_in_order"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_in_range"),
        CheckConstraint("duration_days >= 0", name="duration_not_negative"),
        CheckConstraint(
            "estimate_hours IS NULL OR estimate_hours >= 0", name="estimate_not_negative"
        ),
        CheckConstraint("actual_hours IS NULL OR actual_hours >= 0", name="actual_not_negative"),
        same_org("project_id", "projects"),
        Index("ix_tasks_project_position", "project_id", "parent_id", "position"),
        Index("ix_tasks_assignee_due", "assignee_member_id", "due_on"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column()
    phase_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("phases.id", ondelete="SET NULL"), index=True
    )
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    assignee_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    not_before: Mapped[date | None] = mapped_column(Date)
    starts_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    duration_days: Mapped[int] = mapped_column(Integer)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[TaskStatus] = mapped_column(str_enum(TaskStatus), default=TaskStatus.TODO)
    priority: Mapped[Priority] = mapped_column(str_enum(Priority), default=Priority.MEDIUM)
    milestone: Mapped[bool] = mapped_column(Boolean, default=False)
    # The scheduler's verdict, kept at every reschedule so reads never recompute it: how many
    # working days the task may slip without moving the project's finish, and whether it is
    # on the critical path (no slack).
    slack_days: Mapped[int] = mapped_column(Integer, default=0)
    critical: Mapped[bool] = mapped_column(Boolean, default=False)
    estimate_hours: Mapped[Decimal | None] = mapped_column(Hours)
    actual_hours: Mapped[Decimal | None] = mapped_column(Hours)
    key_result_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("key_results.id", ondelete="SET NULL")
    )
    completed_at: Mapped[datetime | None]


class TaskDependency(IdMixin, OrgScopedMixin, AuditedMixin, Base):
    """The successor waits on the predecessor: FS/SS/FF/SF with a lag in working days."""

    __tablename__ = "task_dependencies"
    __audit_parent__ = ("projects", "project_id")
    __table_args__ = (
        UniqueConstraint("predecessor_id", "successor_id"),
        CheckConstraint("predecessor_id <> successor_id", name="not_on_itself"),
        same_org("project_id", "projects"),
        same_org("predecessor_id", "tasks", name="fk_task_dependencies_predecessor_id_tasks"),
        same_org("successor_id", "tasks", name="fk_task_dependencies_successor_id_tasks"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    predecessor_id: Mapped[uuid.UUID] = mapped_column()
    successor_id: Mapped[uuid.UUID] = mapped_column(index=True)
    type: Mapped[DependencyType] = mapped_column(
        str_enum(DependencyType), default=DependencyType.FS
    )
    lag_days: Mapped[int] = mapped_column(Integer, default=0)


class Baseline(IdMixin, OrgScopedMixin, AuditedMixin, Base):
    """A saved plan: every task's dates when it was taken, to compare plan against now."""

    __tablename__ = "task_baselines"
    __audit_parent__ = ("projects", "project_id")
    __audit_exclude__ = frozenset({"dates"})
    __table_args__ = (same_org("project_id", "projects"),)

    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    # {task id: [starts_on, due_on]} as ISO dates: one row, read whole with the Gantt.
    dates: Mapped[dict[str, Any]] = mapped_column(default=dict)


class CalendarDay(IdMixin, OrgScopedMixin, AuditedMixin, Base):
    """An organisation's own exception to its calendar: a day off (a company holiday) or a
    working day (调休) on top of the weekend and, unless turned off, China's public holidays."""

    __tablename__ = "calendar_days"
    __table_args__ = (UniqueConstraint("org_id", "day"),)

    day: Mapped[date] = mapped_column(Date)
    working: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(100))


class Reminder(Base):
    """A reminder already sent (due soon, overdue, escalated): the cron job sends each once."""

    __tablename__ = "reminders_sent"

    subject_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    on_day: Mapped[date] = mapped_column(Date, primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
