"""Strategy periods, the goal tree (objectives) and key results / KPIs with check-ins."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
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
    TimestampMixin,
    VersionedMixin,
    same_org,
    str_enum,
)


class PeriodKind(StrEnum):
    YEAR = "year"
    QUARTER = "quarter"


class GoalLevel(StrEnum):
    COMPANY = "company"
    DEPARTMENT = "department"
    TEAM = "team"
    INDIVIDUAL = "individual"


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"


class ValueSource(StrEnum):
    MANUAL = "manual"
    TASK_COMPLETION = "task_completion"
    CHANNEL_METRIC = "channel_metric"


Amount = Numeric(20, 4)
Weight = Numeric(9, 4)


class StrategyPeriod(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    __tablename__ = "strategy_periods"
    __table_args__ = (
        UniqueConstraint("org_id", "name"),
        CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
    )

    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[PeriodKind] = mapped_column(str_enum(PeriodKind))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("strategy_periods.id", ondelete="RESTRICT")
    )


class Objective(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    __tablename__ = "objectives"
    __table_args__ = (
        UniqueConstraint(*ORG_AND_ID),
        CheckConstraint("weight >= 0", name="weight_not_negative"),
    )

    period_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("strategy_periods.id", ondelete="RESTRICT"), index=True
    )
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("objectives.id", ondelete="RESTRICT"), index=True
    )
    level: Mapped[GoalLevel] = mapped_column(str_enum(GoalLevel))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    owner_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    owner_team_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL")
    )
    weight: Mapped[Decimal] = mapped_column(Weight, default=Decimal(1))


class KeyResult(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    __tablename__ = "key_results"
    __audit_parent__ = ("objectives", "objective_id")
    __table_args__ = (
        UniqueConstraint(*ORG_AND_ID),
        CheckConstraint("weight >= 0", name="weight_not_negative"),
        CheckConstraint("target <> baseline", name="target_differs"),
        same_org("objective_id", "objectives"),
    )

    objective_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(32))
    baseline: Mapped[Decimal] = mapped_column(Amount)
    target: Mapped[Decimal] = mapped_column(Amount)
    direction: Mapped[Direction] = mapped_column(str_enum(Direction))
    weight: Mapped[Decimal] = mapped_column(Weight, default=Decimal(1))
    owner_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    due_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[ValueSource] = mapped_column(str_enum(ValueSource), default=ValueSource.MANUAL)
    source_config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The latest value (from check-ins, or computed by the source); None until the first.
    current_value: Mapped[Decimal | None] = mapped_column(Amount)
    current_as_of: Mapped[date | None] = mapped_column(Date)


class KeyResultCheckIn(IdMixin, OrgScopedMixin, AuditedMixin, Base):
    __tablename__ = "key_result_check_ins"
    __audit_parent__ = ("key_results", "key_result_id")
    __table_args__ = (same_org("key_result_id", "key_results"),)

    key_result_id: Mapped[uuid.UUID] = mapped_column(index=True)
    value: Mapped[Decimal] = mapped_column(Amount)
    checked_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(1000))
    created_by_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
