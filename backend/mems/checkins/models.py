"""Daily check-ins (每日打卡): what each person did, will do next, and what blocks them."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    Index,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mems.core.models import (
    AuditedMixin,
    Base,
    IdMixin,
    OrgScopedMixin,
    TimestampMixin,
    VersionedMixin,
    same_org,
)


class DailyCheckIn(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    """每日打卡: one per person per day (the organisation's day): done, next, blockers, and the
    progress given to the person's own tasks in the same submission."""

    __tablename__ = "daily_checkins"
    __audit_label__ = "day"
    __table_args__ = (
        UniqueConstraint("member_id", "day"),
        same_org("member_id", "memberships"),
        Index("ix_daily_checkins_org_day", "org_id", "day"),
    )

    member_id: Mapped[uuid.UUID] = mapped_column()
    day: Mapped[date] = mapped_column(Date)
    done: Mapped[str] = mapped_column(Text)
    next: Mapped[str | None] = mapped_column(Text)
    blockers: Mapped[str | None] = mapped_column(Text)
    # [{"task_id", "progress", "status"}]: what the submission set, kept with it.
    task_updates: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
