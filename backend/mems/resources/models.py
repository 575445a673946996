"""Resources (people, materials, ad channels, vendors, venues) and their allocations to
projects over date ranges (资源调度)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum

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
from sqlalchemy.orm import Mapped, mapped_column, relationship

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

Hours = Numeric(5, 2)
Quantity = Numeric(14, 2)


class ResourceKind(StrEnum):
    PERSON = "person"  # 人员: capacity hours a week, an hourly cost
    MATERIAL = "material"  # 物料: a unit, its cost, the stock
    CHANNEL = "channel"  # 投放渠道/媒体
    VENDOR = "vendor"  # 第三方服务商: contact and contract
    VENUE = "venue"  # 场地: address and capacity


# Booked by one project at a time: two projects' overlapping allocations are a conflict.
EXCLUSIVE_KINDS = frozenset({ResourceKind.CHANNEL, ResourceKind.VENDOR, ResourceKind.VENUE})


class Resource(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    """Something a project uses that the organisation plans: a person, a material, an ad
    channel, a vendor or a venue. Its name is unique among the organisation's resources of its
    kind, whatever the letter case (`name_key`); a person may be a member of the
    organisation (one resource per member). Fields of other kinds stay empty (the service
    refuses them; the checks below are the backstop). Money is in `currency`, the
    organisation's when it was created."""

    __tablename__ = "resources"
    __audit_exclude__ = frozenset({"name_key"})
    __table_args__ = (
        UniqueConstraint(*ORG_AND_ID),
        UniqueConstraint("org_id", "kind", "name_key"),
        UniqueConstraint("org_id", "member_id"),
        same_org("member_id", "memberships", ondelete="RESTRICT"),
        CheckConstraint(
            "kind = 'person' OR (member_id IS NULL AND capacity_hours_week IS NULL "
            "AND cost_rate IS NULL AND role_title IS NULL)",
            name="person_fields_for_people",
        ),
        CheckConstraint(
            "kind <> 'person' OR capacity_hours_week IS NOT NULL", name="person_has_capacity"
        ),
        CheckConstraint(
            "capacity_hours_week IS NULL OR (capacity_hours_week > 0 "
            "AND capacity_hours_week <= 168)",
            name="capacity_in_range",
        ),
        CheckConstraint("cost_rate IS NULL OR cost_rate >= 0", name="cost_rate_not_negative"),
        CheckConstraint("unit_cost IS NULL OR unit_cost >= 0", name="unit_cost_not_negative"),
        CheckConstraint("stock IS NULL OR stock >= 0", name="stock_not_negative"),
        CheckConstraint(
            "venue_capacity IS NULL OR venue_capacity > 0", name="venue_capacity_positive"
        ),
        Index("ix_resources_org_kind_active", "org_id", "kind", "active"),
    )

    kind: Mapped[ResourceKind] = mapped_column(str_enum(ResourceKind))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))  # the name folded: what is unique
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    # people
    member_id: Mapped[uuid.UUID | None] = mapped_column()
    role_title: Mapped[str | None] = mapped_column(String(100))
    capacity_hours_week: Mapped[Decimal | None] = mapped_column(Hours)
    cost_rate: Mapped[Decimal | None] = mapped_column(Money)  # per hour
    # materials (and channels: a unit price such as ¥35 per thousand impressions)
    unit: Mapped[str | None] = mapped_column(String(20))
    unit_cost: Mapped[Decimal | None] = mapped_column(Money)
    stock: Mapped[Decimal | None] = mapped_column(Quantity)
    # vendors
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_email: Mapped[str | None] = mapped_column(String(320))
    contract_no: Mapped[str | None] = mapped_column(String(100))
    contract_ends_on: Mapped[date | None] = mapped_column(Date)
    # venues
    address: Mapped[str | None] = mapped_column(String(300))
    venue_capacity: Mapped[int | None] = mapped_column(Integer)  # people


class Allocation(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    """A resource booked for a project (optionally one of its tasks) from `starts_on` to
    `ends_on`, both included: a person for `hours_per_day` on each working day, a material
    (or a channel, vendor, venue) for a `quantity`."""

    __tablename__ = "resource_allocations"
    __audit_parent__ = ("projects", "project_id")
    __audit_label__ = "resource.name"
    __table_args__ = (
        UniqueConstraint(*ORG_AND_ID),
        same_org("resource_id", "resources"),
        same_org("project_id", "projects"),
        CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        CheckConstraint(
            "hours_per_day IS NULL OR (hours_per_day > 0 AND hours_per_day <= 24)",
            name="hours_in_range",
        ),
        CheckConstraint("quantity IS NULL OR quantity > 0", name="quantity_positive"),
        Index("ix_resource_allocations_resource_dates", "resource_id", "starts_on", "ends_on"),
        Index("ix_resource_allocations_project", "project_id", "starts_on"),
    )

    resource_id: Mapped[uuid.UUID] = mapped_column()
    project_id: Mapped[uuid.UUID] = mapped_column()
    # A task of the project (checked by the service).
    task_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("tasks.id", ondelete="SET NULL"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    hours_per_day: Mapped[Decimal | None] = mapped_column(Hours)
    quantity: Mapped[Decimal | None] = mapped_column(Quantity)
    note: Mapped[str | None] = mapped_column(Text)
    created_by_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )

    # Loaded with the allocation: every rule and view of it needs its resource's kind and
    # figures (and the audit log its name).
    resource: Mapped[Resource] = relationship(lazy="joined", innerjoin=True)
