"""Finance: a project's budget lines (the one source of its budget)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
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
from mems.finance.categories import BudgetCategory
from mems.finance.figures import CostKind


class BudgetLineState(StrEnum):
    PLAN = "plan"  # drafted by the project: not money anyone may spend yet
    APPROVED = "approved"  # granted through the approval workflow


class BudgetLine(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    """One line of a project's budget: a category (venue, travel, …), the project's own name
    for it ("展位费"), optionally a phase, and an amount in the project's currency — planned
    while the line is a plan, granted once it is approved."""

    __tablename__ = "budget_lines"
    __audit_parent__ = ("projects", "project_id")
    __audit_exclude__ = frozenset({"position", "alert_level"})
    __table_args__ = (
        UniqueConstraint(*ORG_AND_ID),
        UniqueConstraint("project_id", "name"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        same_org("project_id", "projects"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    # The phase the money is for (None: the whole project). Same project: checked by the service.
    phase_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("phases.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    category: Mapped[BudgetCategory] = mapped_column(str_enum(BudgetCategory))
    name: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    state: Mapped[BudgetLineState] = mapped_column(
        str_enum(BudgetLineState), default=BudgetLineState.PLAN
    )
    # The overspend level last announced for this line (figures.Level): a crossing is
    # announced once, and again only after the line went back below it.
    alert_level: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")


class ProjectBudget(IdMixin, OrgScopedMixin, TimestampMixin, Base):
    """A project's budget settings and state: its own warn / critical thresholds (None: the
    organisation's) and the overspend level last announced for the whole project. Its row is
    also what recording a cost locks, so racing entries see each other's totals."""

    __tablename__ = "project_budgets"
    __table_args__ = (
        UniqueConstraint(*ORG_AND_ID),
        UniqueConstraint("project_id"),
        CheckConstraint("warn_percent IS NULL OR warn_percent > 0", name="warn_percent_positive"),
        CheckConstraint(
            "critical_percent IS NULL OR critical_percent > 0", name="critical_percent_positive"
        ),
        same_org("project_id", "projects"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column()
    warn_percent: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    critical_percent: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    alert_level: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")


class CostSource(StrEnum):
    MANUAL = "manual"
    IMPORT = "import"
    LABOUR = "labour"  # derived: a person's actual hours on the project × their hourly rate
    CHANNEL = "channel"  # derived: a linked ad campaign's spend on a day (channel data)


class CostEntry(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    """One entry of a project's cost ledger: money promised (committed: an order, a contract)
    or spent (actual: an invoice, a receipt), in its own currency and, converted once when it
    is recorded, in the project's."""

    __tablename__ = "cost_entries"
    __audit_parent__ = ("projects", "project_id")
    __audit_label__ = "description"
    __table_args__ = (
        UniqueConstraint(*ORG_AND_ID),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("amount_project > 0", name="amount_project_positive"),
        CheckConstraint("rate > 0", name="rate_positive"),
        same_org("project_id", "projects"),
        Index("ix_cost_entries_project_incurred", "project_id", "incurred_on"),
        Index("ix_cost_entries_project_line", "project_id", "line_id"),
        # One derived labour entry per person and project, kept current by `finance.labour`.
        Index(
            "uq_cost_entries_labour",
            "project_id",
            "labour_member_id",
            unique=True,
            sqlite_where=text("labour_member_id IS NOT NULL"),
            postgresql_where=text("labour_member_id IS NOT NULL"),
        ),
        # One derived ad-spend entry per campaign and day, kept current by `finance.ad_spend`.
        Index(
            "uq_cost_entries_campaign_day",
            "channel_campaign_id",
            "incurred_on",
            unique=True,
            sqlite_where=text("channel_campaign_id IS NOT NULL"),
            postgresql_where=text("channel_campaign_id IS NOT NULL"),
        ),
    )

    project_id: Mapped[uuid.UUID] = mapped_column()
    # The budget line it spends (None: none yet). Same project: checked by the service.
    line_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("budget_lines.id", ondelete="SET NULL")
    )
    category: Mapped[BudgetCategory] = mapped_column(str_enum(BudgetCategory))
    phase_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("phases.id", ondelete="SET NULL"))
    vendor: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[CostKind] = mapped_column(str_enum(CostKind))
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 6), default=Decimal(1))
    amount_project: Mapped[Decimal] = mapped_column(Money)
    incurred_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[CostSource] = mapped_column(str_enum(CostSource), default=CostSource.MANUAL)
    recorded_by_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    verified_at: Mapped[datetime | None]
    verified_by_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    # Whose hours a derived labour entry (source labour) prices; None on the others.
    labour_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE")
    )
    # Whose spend a derived ad-spend entry (source channel) is; None on the others.
    channel_campaign_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ad_campaigns.id", ondelete="CASCADE")
    )


class BudgetRequestState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class BudgetRequestKind(StrEnum):
    INITIAL = "initial"  # 预算申请: the project has no approved money yet
    CHANGE = "change"  # 预算变更: it changes an approved budget


class BudgetRequest(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    """A request to approve budget lines or change approved ones (预算申请 / 预算变更). It walks
    the organisation's budget approval flow; approved, its items become the lines' approved
    amounts in the same transaction. One pending request per project at a time.

    `items` fixes what was asked, as it was asked: [{"line_id" (None: a new line),
    "category", "name", "phase_id", "before" (the line's approved amount then), "after"}]."""

    __tablename__ = "budget_requests"
    __audit_parent__ = ("projects", "project_id")
    __audit_label__ = "reason"
    __table_args__ = (
        UniqueConstraint(*ORG_AND_ID),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        same_org("project_id", "projects"),
        Index(
            "uq_budget_requests_one_pending",
            "project_id",
            unique=True,
            sqlite_where=text("state = 'pending'"),
            postgresql_where=text("state = 'pending'"),
        ),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    approval_request_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("approval_requests.id", ondelete="SET NULL")
    )
    kind: Mapped[BudgetRequestKind] = mapped_column(str_enum(BudgetRequestKind))
    state: Mapped[BudgetRequestState] = mapped_column(
        str_enum(BudgetRequestState), default=BudgetRequestState.PENDING
    )
    reason: Mapped[str] = mapped_column(Text)
    # What the approvers weigh (their flow's amount steps): the money added to the approved
    # budget (increases only; a request that only lowers lines asks for nothing).
    amount: Mapped[Decimal] = mapped_column(Money)
    total_before: Mapped[Decimal] = mapped_column(Money)
    total_after: Mapped[Decimal] = mapped_column(Money)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    requested_by_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
