"""Alert rules, the alerts they raise, where alerts are sent and what was sent (预警)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from mems.alerts.evaluation import Comparator, Severity
from mems.alerts.outbound import ChannelKind as NoticeKind
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

Threshold = Numeric(24, 6)


class ScopeKind(StrEnum):
    ORG = "org"  # the whole organisation's channel data
    CHANNEL = "channel"
    PROJECT = "project"  # the campaigns linked to a project
    CAMPAIGN = "campaign"


class WindowUnit(StrEnum):
    DAY = "day"  # the last N days, today included (the daily rollup)
    HOUR = "hour"  # the last N hours (hourly records)


class AlertRule(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    """Watch a metric over a window for a scope: one channel, project or campaign, or each of
    them (`scope_id` empty), or the whole organisation. The threshold is absolute, or a percent
    of the industry benchmark (`relative`); nothing is judged below `min_volume` (of the
    ratio's denominator: impressions for CTR …); after an alert a rule waits `cooldown_minutes`
    before raising another for the same scope."""

    __tablename__ = "alert_rules"
    __table_args__ = (
        UniqueConstraint(*ORG_AND_ID),
        UniqueConstraint("org_id", "name"),
        CheckConstraint("window_size >= 1 AND window_size <= 90", name="window_in_range"),
        CheckConstraint("cooldown_minutes >= 0", name="cooldown_not_negative"),
        CheckConstraint("min_volume IS NULL OR min_volume >= 0", name="min_volume_not_negative"),
    )

    name: Mapped[str] = mapped_column(String(100))
    metric: Mapped[str] = mapped_column(String(32))
    comparator: Mapped[Comparator] = mapped_column(str_enum(Comparator))
    threshold: Mapped[Decimal] = mapped_column(Threshold)
    relative: Mapped[bool] = mapped_column(Boolean, default=False)
    scope_kind: Mapped[ScopeKind] = mapped_column(str_enum(ScopeKind))
    scope_id: Mapped[uuid.UUID | None] = mapped_column()
    # For a relative rule on the organisation or a project: which channels' benchmark applies.
    benchmark_kind: Mapped[str | None] = mapped_column(String(32))
    window_unit: Mapped[WindowUnit] = mapped_column(str_enum(WindowUnit), default=WindowUnit.DAY)
    window_size: Mapped[int] = mapped_column(SmallInteger, default=7)
    min_volume: Mapped[Decimal | None] = mapped_column(Threshold)
    severity: Mapped[Severity] = mapped_column(str_enum(Severity), default=Severity.WARNING)
    cooldown_minutes: Mapped[int] = mapped_column(Integer, default=24 * 60)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )


class AlertState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class Alert(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    """A rule's condition holding for one scope: the figures that triggered it (kept current
    while it holds), a suggestion, and its state — open, acknowledged by someone, resolved by
    someone or by itself when the condition cleared. One unresolved alert per rule and scope."""

    __tablename__ = "alerts"
    __audit_label__ = "scope_label"
    __audit_exclude__ = frozenset({"numbers", "last_seen_at", "value"})
    __table_args__ = (
        UniqueConstraint(*ORG_AND_ID),
        same_org("rule_id", "alert_rules"),
        Index(
            "uq_alerts_one_unresolved",
            "rule_id",
            "scope_key",
            unique=True,
            sqlite_where=text("state <> 'resolved'"),
            postgresql_where=text("state <> 'resolved'"),
        ),
        Index("ix_alerts_org_state_opened", "org_id", "state", "opened_at"),
        Index("ix_alerts_rule_scope_opened", "rule_id", "scope_key", "opened_at"),
    )

    rule_id: Mapped[uuid.UUID] = mapped_column()
    scope_kind: Mapped[ScopeKind] = mapped_column(str_enum(ScopeKind))
    scope_id: Mapped[uuid.UUID | None] = mapped_column()
    scope_key: Mapped[str] = mapped_column(String(40))  # scope id, or "org"
    scope_label: Mapped[str] = mapped_column(String(300))
    project_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[AlertState] = mapped_column(str_enum(AlertState), default=AlertState.OPEN)
    severity: Mapped[Severity] = mapped_column(str_enum(Severity))
    metric: Mapped[str] = mapped_column(String(32))
    comparator: Mapped[Comparator] = mapped_column(str_enum(Comparator))
    value: Mapped[Decimal | None] = mapped_column(Threshold)
    threshold: Mapped[Decimal | None] = mapped_column(Threshold)
    benchmark: Mapped[Decimal | None] = mapped_column(Threshold)
    numbers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    suggestion: Mapped[str] = mapped_column(String(40))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    resolved_at: Mapped[datetime | None]
    resolved_by_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(Text)


class NotificationChannel(
    IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base
):
    """Where alerts are sent besides the in-app list: a chat bot (Feishu, DingTalk, WeCom,
    Slack), a signed JSON webhook, or e-mail addresses — alerts of `min_severity` and above.
    A URL to a private or loopback address is refused unless an admin allowed it here."""

    __tablename__ = "notification_channels"
    __audit_exclude__ = frozenset({"secret"})
    __table_args__ = (UniqueConstraint(*ORG_AND_ID), UniqueConstraint("org_id", "name"))

    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))  # NoticeKind values, or "email"
    url: Mapped[str | None] = mapped_column(String(2000))
    secret: Mapped[str | None] = mapped_column(String(200))
    emails: Mapped[list[str]] = mapped_column(default=list)
    min_severity: Mapped[Severity] = mapped_column(str_enum(Severity), default=Severity.WARNING)
    allow_private: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


EMAIL = "email"
CHANNEL_KINDS = (*(k.value for k in NoticeKind), EMAIL)


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"  # a later round of a raised alert's notice, the alert resolved by then


class Delivery(IdMixin, OrgScopedMixin, Base):
    """One notice to one channel and how it went (the delivery log): attempts, the last answer,
    the error. Written pending with the alert; the job `alerts.deliver` sends it."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (
        Index("ix_notification_deliveries_channel_created", "channel_id", "created_at"),
    )

    channel_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("notification_channels.id", ondelete="CASCADE")
    )
    alert_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(32))  # alert.fired, alert.resolved, test
    status: Mapped[DeliveryStatus] = mapped_column(
        str_enum(DeliveryStatus), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(500))
    response: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    # Rounds of attempts made; while a failed round has a later one planned (the receiver was
    # down or throttling), the delivery stays pending until `next_attempt_at`.
    rounds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None]
