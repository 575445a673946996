"""Channel, campaign, data source and channel-data API shapes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, WithJsonSchema

from mems.channels.models import BatchStatus, CampaignStatus, ChannelKind, SourceKind
from mems.core.schemas import (
    NUL_FREE,
    DecimalIn,
    InputModel,
    JsonDay,
    JsonInt,
    ReadModel,
    UpdateModel,
)

MAX_RECORDS = 10_000  # records in one batch (more: 413)

ChannelKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]{0,39}$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=100)]
LongName = Annotated[str, StringConstraints(min_length=1, max_length=200)]
ExternalId = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
# A signing secret: 16 to 100 characters, no spaces (none are stripped: what is sent is kept).
Secret = Annotated[str, StringConstraints(pattern=r"^\S{16,100}$")]
# A count on a day: whole, not negative, at most 10^15 (exact in every JSON parser).
Count = Annotated[int, Field(ge=0, le=10**15)]
Money = Annotated[Decimal, DecimalIn(18, 2, ge=0)]
Rate = Annotated[Decimal, DecimalIn(18, 6, ge=0, positive=True)]


# ---- channels ---------------------------------------------------------------------------------


class ChannelCreate(InputModel):
    key: ChannelKey = Field(description="What integrations send, e.g. douyin (unique)")
    name: Name
    kind: ChannelKind


class ChannelUpdate(UpdateModel):
    name: Name | None = None
    kind: ChannelKind | None = None
    active: bool | None = None
    version: int = Field(ge=1)


class ChannelRead(ReadModel):
    id: uuid.UUID
    key: str
    name: str
    kind: ChannelKind
    active: bool
    version: int


# ---- campaigns --------------------------------------------------------------------------------


class CampaignCreate(InputModel):
    channel_id: uuid.UUID
    external_id: ExternalId = Field(description="The platform's campaign id")
    name: LongName
    project_id: uuid.UUID | None = None
    sync_spend: bool = True


class CampaignUpdate(UpdateModel):
    __nullable__ = frozenset({"project_id"})

    name: LongName | None = None
    project_id: uuid.UUID | None = Field(
        default=None, description="The project whose money it spends (null: none)"
    )
    status: CampaignStatus | None = None
    sync_spend: bool | None = Field(
        default=None, description="Post its spend to the project's ad-spend line as actual cost"
    )
    version: int = Field(ge=1)


class CampaignRead(ReadModel):
    id: uuid.UUID
    channel_id: uuid.UUID
    external_id: str
    name: str
    project_id: uuid.UUID | None
    status: CampaignStatus
    sync_spend: bool
    version: int


# ---- data sources -----------------------------------------------------------------------------


class SourceCreate(InputModel):
    name: Name
    kind: SourceKind
    channel_id: uuid.UUID | None = Field(
        default=None, description="The channel of records that name none"
    )
    currency: Currency = "CNY"
    rate: Rate = Field(
        default=Decimal(1),
        description="The organisation's currency per one unit of the source's (1 if the same)",
    )
    secret: Secret | None = Field(
        default=None,
        description="Webhooks: the signing secret (Meta: the app secret). Left out: one is made",
    )


class SourceUpdate(UpdateModel):
    __nullable__ = frozenset({"channel_id"})

    name: Name | None = None
    channel_id: uuid.UUID | None = None
    currency: Currency | None = None
    rate: Rate | None = None
    active: bool | None = None
    secret: Secret | None = Field(
        default=None,
        description="Webhook sources: a signing secret of your own (Meta: the app secret)",
    )
    version: int = Field(ge=1)


class SourceRead(ReadModel):
    id: uuid.UUID
    name: str
    kind: SourceKind
    channel_id: uuid.UUID | None
    currency: str
    rate: Decimal
    active: bool
    last_received_at: datetime | None
    webhook_path: str | None = Field(description="Where the platform posts (webhook kinds)")
    has_secret: bool
    version: int


class SourceSecretRead(BaseModel):
    """A webhook source's secrets, for those who may manage sources (shown on request)."""

    secret: str | None
    verify_token: str | None


# ---- channel data -----------------------------------------------------------------------------


# A record's texts: no NUL, checked by pydantic-core itself (a batch is 10,000 records).
_RecordId = Annotated[ExternalId, NUL_FREE]
_RecordName = Annotated[LongName, NUL_FREE]
# (a key's own pattern would make the document list `patternProperties`; it says the same
# under `propertyNames`)
_CustomName = Annotated[str, NUL_FREE, WithJsonSchema({"type": "string"})]


class MetricRecordIn(BaseModel):
    """One campaign's (or creative's) counts for a day, or an hour of it. Sent again (same
    channel, campaign, creative, date and hour), it replaces the counts: a correction."""

    # Sent by the ten thousand, so every check is pydantic-core's own, none a Python call per
    # value: an `InputModel`'s (no NUL, no number for a date) as a pattern and a strict JSON day.
    model_config = InputModel.model_config

    channel: ChannelKey | None = Field(
        default=None, description="The channel's key; left out: the source's channel"
    )
    campaign: _RecordId = Field(description="The platform's campaign id")
    campaign_name: _RecordName | None = Field(
        default=None, description="Needed the first time a campaign is seen (it is created)"
    )
    creative: _RecordId | None = Field(
        default=None, description="The platform's id of the creative (素材)"
    )
    creative_name: _RecordName | None = None
    date: JsonDay
    hour: Annotated[int, Field(ge=0, le=23)] | None = Field(
        default=None, description="0–23 in the organisation's time zone; left out: the whole day"
    )
    impressions: Count = 0
    clicks: Count = 0
    conversions: Count = 0
    leads: Count = 0
    followers: Count = 0
    spend: Money = Decimal(0)
    revenue: Money = Decimal(0)
    currency: Currency | None = Field(
        default=None, description="Of spend and revenue; must be the source's when given"
    )
    custom: dict[_CustomName, Annotated[Decimal, DecimalIn(18, 4)]] | None = Field(
        default=None,
        max_length=20,
        description="Other metrics by name (likes, shares …): names of 1 to 40 characters",
    )


class RecordsIn(BaseModel):
    # Not an InputModel either: its validators would hand the records to Python first.
    model_config = InputModel.model_config

    records: list[MetricRecordIn] = Field(
        min_length=1,
        json_schema_extra={"maxItems": MAX_RECORDS},
        description=f"At most {MAX_RECORDS:,} (more: 413)",
    )


class BatchRead(ReadModel):
    id: uuid.UUID
    source_id: uuid.UUID | None
    via: SourceKind
    status: BatchStatus
    record_count: int
    written: int
    flagged: int = Field(description="Records kept with a data-quality flag")
    error: str | None
    received_at: datetime
    processed_at: datetime | None


class MetricRowRead(BaseModel):
    campaign_id: uuid.UUID
    creative: str
    day: date
    hour: int | None
    impressions: int
    clicks: int
    conversions: int
    leads: int
    followers: int
    spend: Decimal
    revenue: Decimal
    custom: dict[str, Decimal] | None
    quality: list[str]


# ---- uploads (CSV / Excel files of channel data) ----------------------------------------------


class ChannelUploadRowRead(BaseModel):
    """A row of the file as the record it becomes."""

    row: int = Field(description="As the spreadsheet shows it (the header is above)")
    channel: str | None
    campaign: str
    campaign_name: str | None
    creative: str | None
    creative_name: str | None
    date: date
    hour: int | None
    impressions: int
    clicks: int
    conversions: int
    leads: int
    followers: int
    spend: Decimal
    revenue: Decimal
    currency: str | None
    custom: dict[str, Decimal] | None


class ChannelUploadProblemRead(BaseModel):
    row: int = Field(description="As the spreadsheet shows it; the header's row: the mapping")
    column: str = Field(description="As the file names it (empty: the file as a whole)")
    field: str = Field(description="The field the column maps to")
    message: str


class ChannelUploadTotalsRead(BaseModel):
    currency: str = Field(description="Of the money: the source's, or the organisation's")
    rows: int = Field(description="Rows that make records")
    records: int = Field(description="Records they make (rows of one key added up)")
    impressions: int
    clicks: int
    spend: Decimal


class ChannelUploadPreviewRead(BaseModel):
    """A file read and checked, nothing stored (but the mapping, when asked to save it)."""

    source_id: uuid.UUID | None
    columns: list[str] = Field(description="The file's headers, in order")
    header_row: int = Field(description="The row the headers are on (title lines above it)")
    fields: list[str] = Field(description="What a column can map to, besides custom:<name>")
    mapping: dict[str, str | None] = Field(description="Every column → its field, or null")
    guessed: list[str] = Field(description="Columns whose field MEMS proposed from the header")
    saved: list[str] = Field(description="Columns whose field is the source's saved mapping")
    mapping_saved: bool
    total_rows: int
    skipped_rows: list[int] = Field(description="Totals rows and rows empty where mapped")
    rows: list[ChannelUploadRowRead] = Field(description="The first rows, as records")
    errors: list[ChannelUploadProblemRead]
    error_count: int
    totals: ChannelUploadTotalsRead
    can_commit: bool


# ---- the channel dashboard ------------------------------------------------------------------


class MetricFiguresRead(BaseModel):
    """Sums over the days and the ratios derived from them (None: no denominator)."""

    impressions: int
    clicks: int
    conversions: int
    leads: int
    followers: int
    spend: Decimal
    revenue: Decimal
    ctr: Decimal | None
    cvr: Decimal | None
    cpc: Decimal | None
    cpm: Decimal | None
    cpa: Decimal | None
    roas: Decimal | None
    roi: Decimal | None


class ChannelFiguresRead(BaseModel):
    channel_id: uuid.UUID
    name: str
    kind: ChannelKind
    figures: MetricFiguresRead
    benchmarks: dict[str, Decimal] = Field(
        description="The industry benchmark of each ratio for this channel's kind"
    )
    spend_share: Decimal | None
    efficiency: Decimal | None = Field(
        description="ROAS against the organisation's (or CTR against the benchmark): 1 = par"
    )
    quadrant: Literal["star", "potential", "inefficient", "watch", "no_spend"]


class CampaignFiguresRead(BaseModel):
    campaign_id: uuid.UUID
    name: str
    channel_id: uuid.UUID
    project_id: uuid.UUID | None
    figures: MetricFiguresRead


class DayFiguresRead(BaseModel):
    day: date
    figures: MetricFiguresRead


class ChannelPointRead(BaseModel):
    day: date
    impressions: int
    clicks: int
    conversions: int
    spend: Decimal
    revenue: Decimal


class ChannelTrendRead(BaseModel):
    channel_id: uuid.UUID
    points: list[ChannelPointRead] = Field(description="Days with data")


class DashboardRead(BaseModel):
    first: date = Field(alias="from")
    last: date = Field(alias="to")
    currency: str
    industry: str
    basis: Literal["roas", "ctr"] = Field(description="What the quadrants' efficiency measures")
    totals: MetricFiguresRead
    previous: MetricFiguresRead = Field(description="The same number of days just before")
    channels: list[ChannelFiguresRead]
    campaigns: list[CampaignFiguresRead] = Field(description="The 50 that spent most")
    trend: list[DayFiguresRead] = Field(description="Every day of the range")
    channel_trend: list[ChannelTrendRead]


# ---- industry benchmarks --------------------------------------------------------------------

BenchmarkMetric = Literal["ctr", "cvr", "cpc", "cpm", "cpa", "roas"]
Industry = Literal[
    "general",
    "beauty",
    "fmcg",
    "food",
    "apparel",
    "electronics",
    "auto",
    "education",
    "finance",
    "games",
]


class BenchmarkCellIn(InputModel):
    channel_kind: ChannelKind
    metric: BenchmarkMetric
    value: Annotated[Decimal, DecimalIn(18, 6, ge=0, positive=True)] = Field(
        description="Ratios as fractions (CTR 0.015 = 1.5 %), CPC/CPM/CPA in yuan, ROAS plain"
    )


class BenchmarksIn(InputModel):
    """Set (or import) cells of one industry's grid: each replaces the shipped value."""

    industry: Industry
    items: list[BenchmarkCellIn] = Field(min_length=1, max_length=500)


class BenchmarkCellRead(BaseModel):
    channel_kind: ChannelKind
    metric: str
    value: Decimal
    shipped: Decimal = Field(description="The value MEMS ships")
    overridden: bool = Field(description="The organisation set its own")


class IndustryRead(BaseModel):
    key: str
    name: str


class BenchmarksRead(BaseModel):
    industry: str = Field(description="The industry of this grid")
    org_industry: str = Field(description="The organisation's industry (its rules use it)")
    industries: list[IndustryRead]
    items: list[BenchmarkCellRead]


class ChannelSettingsIn(InputModel):
    industry: Industry
    revision: JsonInt = Field(ge=0, description="The revision you read (0: never set)")


class ChannelSettingsRead(BaseModel):
    industry: str
    revision: int
