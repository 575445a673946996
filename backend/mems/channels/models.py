"""Channels, ad campaigns, data sources, ingest batches and metric records (渠道数据).

Business objects (channels, campaigns, sources) are ORM rows with audit and versions. Volume
data is not: metric records are written in bulk through the driver (COPY + upsert on their
natural key on PostgreSQL, where the table is partitioned by day; an upsert over many rows on
SQLite) and read through the daily rollup (`metric_daily`), which the ingest job refreshes for
the campaign-days a batch touched.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mems.core.models import (
    ORG_AND_ID,
    AuditedMixin,
    Base,
    IdMixin,
    OrgScopedMixin,
    TenantScoped,
    TimestampMixin,
    VersionedMixin,
    same_org,
    str_enum,
)

# Spend and revenue as summed: cents, room for a year of a large account.
MetricMoney = Numeric(20, 2)


class ChannelKind(StrEnum):
    """What a channel is, for benchmarks (beauty × short video × CTR) and comparison."""

    SHORT_VIDEO = "short_video"  # 短视频 (抖音, 快手)
    CONTENT = "content"  # 内容种草 (小红书)
    SOCIAL = "social"  # 社交 (微信, 微博, Meta)
    SEARCH = "search"  # 搜索 (百度, Google Ads)
    FEED = "feed"  # 信息流 (巨量引擎, 广点通)
    ECOMMERCE = "ecommerce"  # 电商 (天猫, 京东)
    OTHER = "other"


class Channel(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    """An ad or content channel the organisation buys or publishes on, as data: `key` is what
    integrations send (`douyin`), unique in the organisation."""

    __tablename__ = "channels"
    __table_args__ = (UniqueConstraint(*ORG_AND_ID), UniqueConstraint("org_id", "key"))

    key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[ChannelKind] = mapped_column(str_enum(ChannelKind))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CampaignStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class AdCampaign(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    """A campaign on a channel (the platform's own id in `external_id`), linked to the MEMS
    project whose money it spends and whose goals it serves."""

    __tablename__ = "ad_campaigns"
    __table_args__ = (
        UniqueConstraint(*ORG_AND_ID),
        UniqueConstraint("org_id", "channel_id", "external_id"),
        same_org("channel_id", "channels", ondelete="RESTRICT"),
        Index("ix_ad_campaigns_project", "project_id"),
    )

    channel_id: Mapped[uuid.UUID] = mapped_column()
    external_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    # Same organisation: checked by the service.
    project_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL")
    )
    status: Mapped[CampaignStatus] = mapped_column(
        str_enum(CampaignStatus), default=CampaignStatus.ACTIVE
    )
    # Spend posts to the project's ad-spend line as actual cost (see `channels.spend`).
    sync_spend: Mapped[bool] = mapped_column(Boolean, default=True)


class Creative(IdMixin, OrgScopedMixin, TimestampMixin, Base):
    """A campaign's ad creative (素材) as the platform names it; records of a creative carry its
    `external_id`. Made on first sight by the ingest job."""

    __tablename__ = "ad_creatives"
    __table_args__ = (
        UniqueConstraint(*ORG_AND_ID),
        UniqueConstraint("campaign_id", "external_id"),
        same_org("campaign_id", "ad_campaigns"),
    )

    campaign_id: Mapped[uuid.UUID] = mapped_column()
    external_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str | None] = mapped_column(String(200))


class SourceKind(StrEnum):
    API = "api"  # REST batches with an API token
    UPLOAD = "upload"  # CSV / Excel files in the SPA, with a saved column mapping
    WEBHOOK = "webhook"  # MEMS's signed webhook format
    META = "meta"  # Meta's webhook format (X-Hub-Signature-256, the GET handshake)


class DataSource(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    """Where channel data comes from: its kind, the channel its records default to, the
    currency its money is in (and the rate to the organisation's), the secret webhooks are
    signed with, and an upload's saved column mapping."""

    __tablename__ = "data_sources"
    __audit_exclude__ = frozenset({"secret", "verify_token"})
    __table_args__ = (
        UniqueConstraint(*ORG_AND_ID),
        UniqueConstraint("org_id", "name"),
        same_org("channel_id", "channels", ondelete="RESTRICT"),
        CheckConstraint("rate > 0", name="rate_positive"),
    )

    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[SourceKind] = mapped_column(str_enum(SourceKind))
    channel_id: Mapped[uuid.UUID | None] = mapped_column()
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    # The organisation's currency per one unit of the source's (1 when they are the same).
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 6), default=Decimal(1))
    secret: Mapped[str | None] = mapped_column(String(100))
    verify_token: Mapped[str | None] = mapped_column(String(100))  # Meta's GET handshake
    mapping: Mapped[dict[str, Any]] = mapped_column(default=dict)  # column -> field
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_received_at: Mapped[datetime | None]


class BatchStatus(StrEnum):
    PENDING = "pending"  # accepted and stored; the job has not written it yet
    DONE = "done"
    FAILED = "failed"  # the job could not write it (kept, with the reason)


class IngestBatch(TenantScoped, Base):
    """A batch of records as accepted (the outbox of ingestion): written in the accepting
    request with its rows (`IngestRow`), answered 202, written into metric records by
    `channels.process_batch`."""

    __tablename__ = "ingest_batches"
    __table_args__ = (
        Index("ix_ingest_batches_org_received", "org_id", "received_at"),
        Index("ix_ingest_batches_status", "status", "received_at"),
        # A webhook delivery seen before (its signature, Meta's event) is not a second batch.
        UniqueConstraint("source_id", "dedup_key"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    source_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("data_sources.id", ondelete="SET NULL")
    )
    via: Mapped[SourceKind] = mapped_column(str_enum(SourceKind))
    status: Mapped[BatchStatus] = mapped_column(str_enum(BatchStatus), default=BatchStatus.PENDING)
    record_count: Mapped[int] = mapped_column(Integer)
    written: Mapped[int] = mapped_column(Integer, default=0)
    flagged: Mapped[int] = mapped_column(Integer, default=0)  # records with a quality flag
    error: Mapped[str | None] = mapped_column(String(500))
    dedup_key: Mapped[str | None] = mapped_column(String(128))
    received_at: Mapped[datetime] = mapped_column()
    processed_at: Mapped[datetime | None]
    received_by_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )


class IngestRow(Base):
    """An accepted batch's record as checked, waiting for the job (`channels.process_batch`):
    its channel and campaign resolved, one row per key (the batch's last record for it),
    money already in the organisation's currency, quality flags set. COPYed in the accepting
    request, moved into `metric_records` by one INSERT … SELECT (no join: a plan that cannot
    go wrong whatever the table's statistics), deleted once written. Read only through its
    batch (whose organisation it is)."""

    __tablename__ = "ingest_rows"

    batch_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ingest_batches.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)  # the order received
    channel_id: Mapped[uuid.UUID] = mapped_column()
    campaign: Mapped[str] = mapped_column(String(100))  # the platform's id
    # The campaign's, when it existed at acceptance (else set by the job, which creates it).
    campaign_id: Mapped[uuid.UUID | None] = mapped_column()
    campaign_name: Mapped[str | None] = mapped_column(String(200))
    creative: Mapped[str] = mapped_column(String(100))  # '' = the campaign's own
    creative_name: Mapped[str | None] = mapped_column(String(200))
    day: Mapped[date] = mapped_column(Date)
    hour: Mapped[int] = mapped_column(SmallInteger)  # DAILY (-1) = the whole day
    impressions: Mapped[int] = mapped_column(BigInteger)
    clicks: Mapped[int] = mapped_column(BigInteger)
    conversions: Mapped[int] = mapped_column(BigInteger)
    leads: Mapped[int] = mapped_column(BigInteger)
    followers: Mapped[int] = mapped_column(BigInteger)
    spend: Mapped[Decimal] = mapped_column(MetricMoney)
    revenue: Mapped[Decimal] = mapped_column(MetricMoney)
    custom: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    quality: Mapped[str | None] = mapped_column(String(100))


class MetricRecord(TenantScoped, Base):
    """One campaign's (or one of its creatives') counts for a day or an hour: the natural key
    is (org, campaign, creative, day, hour); a record sent again replaces the counts."""

    __tablename__ = "metric_records"
    __table_args__ = (
        CheckConstraint("hour >= -1 AND hour <= 23", name="hour_in_range"),
        Index("ix_metric_records_campaign_day", "campaign_id", "day"),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    campaign_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    creative: Mapped[str] = mapped_column(String(100), primary_key=True)  # '' = campaign
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    hour: Mapped[int] = mapped_column(SmallInteger, primary_key=True)  # DAILY = whole day
    impressions: Mapped[int] = mapped_column(BigInteger, default=0)
    clicks: Mapped[int] = mapped_column(BigInteger, default=0)
    conversions: Mapped[int] = mapped_column(BigInteger, default=0)
    leads: Mapped[int] = mapped_column(BigInteger, default=0)
    followers: Mapped[int] = mapped_column(BigInteger, default=0)
    spend: Mapped[Decimal] = mapped_column(MetricMoney, default=Decimal(0))
    revenue: Mapped[Decimal] = mapped_column(MetricMoney, default=Decimal(0))
    custom: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    quality: Mapped[str | None] = mapped_column(String(100))  # flags, comma-separated
    batch_id: Mapped[uuid.UUID] = mapped_column()  # the batch that wrote it last


class MetricDaily(TenantScoped, Base):
    """The rollup every read uses: one row per campaign and day, the sums of its records
    (hourly and per creative). Refreshed by the ingest job for the days a batch touched."""

    __tablename__ = "metric_daily"
    # The dashboard ranks a range's campaigns from the rows of its last day and of the eve of
    # its first: with the running totals included those are index-only scans (PostgreSQL).
    __table_args__ = (
        Index(
            "ix_metric_daily_org_day",
            "org_id",
            "day",
            "channel_id",
            postgresql_include=["campaign_id", "spend_to_date", "impressions_to_date"],
        ),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    campaign_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel_id: Mapped[uuid.UUID] = mapped_column()  # a campaign's channel never changes
    impressions: Mapped[int] = mapped_column(BigInteger, default=0)
    clicks: Mapped[int] = mapped_column(BigInteger, default=0)
    conversions: Mapped[int] = mapped_column(BigInteger, default=0)
    leads: Mapped[int] = mapped_column(BigInteger, default=0)
    followers: Mapped[int] = mapped_column(BigInteger, default=0)
    spend: Mapped[Decimal] = mapped_column(MetricMoney, default=Decimal(0))
    revenue: Mapped[Decimal] = mapped_column(MetricMoney, default=Decimal(0))
    records: Mapped[int] = mapped_column(Integer, default=0)
    # Running totals of the campaign up to this day included, what the dashboard ranks its
    # campaigns by: a range's spend is the last day's minus the day-before-the-range's, two
    # rows a campaign whatever the range (`rollups.campaign_totals`).
    spend_to_date: Mapped[Decimal] = mapped_column(
        Numeric(38, 2), default=Decimal(0), server_default="0"
    )
    impressions_to_date: Mapped[Decimal] = mapped_column(
        Numeric(38, 0), default=Decimal(0), server_default="0"
    )


class Benchmark(IdMixin, OrgScopedMixin, TimestampMixin, AuditedMixin, Base):
    """An organisation's own value for one cell of the benchmark grid (industry × channel kind
    × metric), overriding the shipped one (`channels.benchmarks`)."""

    __tablename__ = "benchmarks"
    __audit_label__ = "metric"
    __table_args__ = (UniqueConstraint("org_id", "industry", "channel_kind", "metric"),)

    industry: Mapped[str] = mapped_column(String(32))
    channel_kind: Mapped[ChannelKind] = mapped_column(str_enum(ChannelKind))
    metric: Mapped[str] = mapped_column(String(16))
    value: Mapped[Decimal] = mapped_column(Numeric(24, 6))


class MetricChannelDaily(TenantScoped, Base):
    """The second rollup: one row per channel and day, the sums of its campaigns' days. The
    dashboard's totals, trends and channel comparison read it (a few thousand rows a year,
    whatever the volume of records)."""

    __tablename__ = "metric_channel_daily"
    __table_args__ = (Index("ix_metric_channel_daily_org_day", "org_id", "day"),)

    org_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    channel_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    impressions: Mapped[int] = mapped_column(BigInteger, default=0)
    clicks: Mapped[int] = mapped_column(BigInteger, default=0)
    conversions: Mapped[int] = mapped_column(BigInteger, default=0)
    leads: Mapped[int] = mapped_column(BigInteger, default=0)
    followers: Mapped[int] = mapped_column(BigInteger, default=0)
    spend: Mapped[Decimal] = mapped_column(MetricMoney, default=Decimal(0))
    revenue: Mapped[Decimal] = mapped_column(MetricMoney, default=Decimal(0))
