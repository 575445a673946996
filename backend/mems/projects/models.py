"""Projects: the campaign as an engineering project, from draft to closed."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from mems.core.models import (
    ORG_AND_ID,
    AuditedMixin,
    Base,
    IdMixin,
    Money,
    OrgScopedMixin,
    TimestampMixin,
    VersionedMixin,
    same_org,
    str_enum,
)
from mems.projects.lifecycle import ProjectStatus


class ProjectType(StrEnum):
    PRODUCT_LAUNCH = "product_launch"  # 新品发布
    PROMOTION = "promotion"  # 节日/电商促销
    EVENT = "event"  # 线下活动、展会
    BRAND = "brand"  # 品牌传播
    CONTENT = "content"  # 内容营销
    OTHER = "other"


class ProjectRole(StrEnum):
    MANAGER = "manager"
    CORE = "core"
    CONTRIBUTOR = "contributor"
    REVIEWER = "reviewer"
    OBSERVER = "observer"


class Project(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    __tablename__ = "projects"
    __table_args__ = (
        UniqueConstraint(*ORG_AND_ID),
        UniqueConstraint("org_id", "code"),
        CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        CheckConstraint("total_budget >= 0", name="budget_not_negative"),
        # Names are unique among an organisation's live projects; a cancelled one frees its
        # name. A partial index (SQLite and PostgreSQL both have them) holds under races.
        Index(
            "uq_projects_live_name",
            "org_id",
            "name",
            unique=True,
            sqlite_where=text("status <> 'cancelled'"),
            postgresql_where=text("status <> 'cancelled'"),
        ),
    )

    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[ProjectType] = mapped_column(str_enum(ProjectType))
    status: Mapped[ProjectStatus] = mapped_column(
        str_enum(ProjectStatus), default=ProjectStatus.DRAFT
    )
    description: Mapped[str | None] = mapped_column(Text)
    owner_member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("memberships.id", ondelete="RESTRICT"), index=True
    )
    # Who created the project (None on projects made before it was recorded): they never
    # decide its approval, even when someone else manages and submits it.
    created_by_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="RESTRICT")
    )
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    period_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("strategy_periods.id", ondelete="SET NULL"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    total_budget: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    template_key: Mapped[str | None] = mapped_column(String(64))
    approval_request_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("approval_requests.id", ondelete="SET NULL")
    )


class ProjectGoalLink(IdMixin, OrgScopedMixin, Base):
    """The project works towards this goal (and, optionally, this key result of it)."""

    __tablename__ = "project_goal_links"
    __table_args__ = (
        UniqueConstraint("project_id", "objective_id", "key_result_id"),
        same_org("project_id", "projects"),
        same_org("objective_id", "objectives"),
        same_org("key_result_id", "key_results"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    objective_id: Mapped[uuid.UUID] = mapped_column(index=True)
    key_result_id: Mapped[uuid.UUID | None]


class ProjectMember(IdMixin, OrgScopedMixin, Base):
    __tablename__ = "project_members"
    __table_args__ = (
        UniqueConstraint("project_id", "membership_id"),
        same_org("project_id", "projects"),
        same_org("membership_id", "memberships"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    membership_id: Mapped[uuid.UUID] = mapped_column(index=True)
    role: Mapped[ProjectRole] = mapped_column(str_enum(ProjectRole))


class Retrospective(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    """复盘: the minimal one a project needs before it closes (the knowledge domain extends it)."""

    __tablename__ = "retrospectives"
    __audit_parent__ = ("projects", "project_id")
    __table_args__ = (same_org("project_id", "projects"),)

    project_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    summary: Mapped[str] = mapped_column(Text)
    went_well: Mapped[str] = mapped_column(Text)
    problems: Mapped[str] = mapped_column(Text)
    lessons: Mapped[str] = mapped_column(Text)


class ProjectTemplate(IdMixin, OrgScopedMixin, TimestampMixin, AuditedMixin, Base):
    """A template an organisation saved from one of its projects."""

    __tablename__ = "project_templates"
    __table_args__ = (UniqueConstraint("org_id", "name"),)

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    project_type: Mapped[ProjectType] = mapped_column(str_enum(ProjectType))
    # Who saved it: they (or an admin) may delete it. None for templates saved before this was
    # recorded, or when that member was removed.
    created_by_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    # {"duration_days": n, "phases": [{"name", "offset_days", "duration_days",
    #   "tasks": [{"title", "offset_days", "duration_days"}]}], "budget_categories": [...]}
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ProjectCodeCounter(Base):
    """The last project number given per organisation and start year (P2026-001 …).

    Taken with one `INSERT … ON CONFLICT DO UPDATE … RETURNING`: the row stays locked until the
    creating transaction ends, so concurrent creates each get the next number and none fails;
    a create that rolls back leaves a gap, never a duplicate.
    """

    __tablename__ = "project_code_counters"

    org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)
