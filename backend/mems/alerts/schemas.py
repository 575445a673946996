"""Alert rule, alert and notification channel API shapes."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from mems.alerts.evaluation import Comparator, Severity
from mems.alerts.models import AlertState, DeliveryStatus, ScopeKind, WindowUnit
from mems.channels.rollups import ChannelKind
from mems.core.schemas import DecimalIn, Email, InputModel, ReadModel, UpdateModel

Name = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Metric = Literal[
    "impressions",
    "clicks",
    "spend",
    "conversions",
    "revenue",
    "leads",
    "followers",
    "ctr",
    "cvr",
    "cpc",
    "cpm",
    "cpa",
    "roas",
    "roi",
]
Threshold = Annotated[Decimal, DecimalIn(18, 6)]
Volume = Annotated[Decimal, DecimalIn(18, 2, ge=0)]
WindowSize = Annotated[int, Field(ge=1, le=90)]
Cooldown = Annotated[int, Field(ge=0, le=60 * 24 * 90)]
Note = Annotated[str, StringConstraints(max_length=2000)]
ChannelKindName = Literal["feishu", "dingtalk", "wecom", "slack", "webhook", "email"]
Url = Annotated[str, StringConstraints(min_length=8, max_length=2000, pattern=r"^https?://\S+$")]
Secret = Annotated[str, StringConstraints(min_length=1, max_length=200)]

_SCOPE = (
    "org: the whole organisation; channel, project, campaign: the one named by channel_id, "
    "project_id or campaign_id, or each of them when none is named"
)


class RuleCreate(InputModel):
    name: Name
    metric: Metric
    comparator: Comparator
    threshold: Threshold
    relative: bool = False
    scope_kind: ScopeKind = Field(description=_SCOPE)
    channel_id: uuid.UUID | None = None
    project_id: uuid.UUID | None = None
    campaign_id: uuid.UUID | None = None
    benchmark_kind: ChannelKind | None = None
    window_unit: WindowUnit = WindowUnit.DAY
    window_size: WindowSize = 7
    min_volume: Volume | None = None
    severity: Severity = Severity.WARNING
    cooldown_minutes: Cooldown = 24 * 60
    active: bool = True


class RuleUpdate(UpdateModel):
    """Change a rule (its scope stays: make another rule for another scope)."""

    __nullable__ = frozenset({"min_volume", "benchmark_kind"})

    name: Name | None = None
    metric: Metric | None = None
    comparator: Comparator | None = None
    threshold: Threshold | None = None
    relative: bool | None = None
    benchmark_kind: ChannelKind | None = None
    window_unit: WindowUnit | None = None
    window_size: WindowSize | None = None
    min_volume: Volume | None = None
    severity: Severity | None = None
    cooldown_minutes: Cooldown | None = None
    active: bool | None = None
    version: int = Field(ge=1)


class RuleRead(ReadModel):
    id: uuid.UUID
    name: str
    metric: str
    comparator: Comparator
    threshold: Decimal
    relative: bool
    scope_kind: ScopeKind
    scope_id: uuid.UUID | None
    scope_label: str | None = Field(description="The scope's name; none: each of its kind")
    benchmark_kind: str | None
    window_unit: WindowUnit
    window_size: int
    min_volume: Decimal | None
    severity: Severity
    cooldown_minutes: int
    active: bool
    open_alerts: int
    version: int


class EvaluatedRead(BaseModel):
    rules: int
    judged: int = Field(description="Rule × scope pairs judged")
    fired: int
    kept: int
    resolved: int


class AlertRead(ReadModel):
    id: uuid.UUID
    rule_id: uuid.UUID
    rule_name: str
    scope_kind: ScopeKind
    scope_id: uuid.UUID | None
    scope_label: str
    project_id: uuid.UUID | None
    state: AlertState
    severity: Severity
    metric: str
    comparator: Comparator
    value: Decimal | None
    threshold: Decimal | None
    benchmark: Decimal | None
    numbers: dict[str, str] = Field(description="The sums and figures that triggered it")
    suggestion: str = Field(description="A stable key, e.g. low_ctr")
    suggestion_text: str = Field(description="What to do, in the reader's language")
    window_unit: WindowUnit
    window_size: int
    opened_at: datetime
    last_seen_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by_member_id: uuid.UUID | None
    resolved_at: datetime | None
    resolved_by_member_id: uuid.UUID | None
    auto_resolved: bool
    note: str | None
    version: int


class AlertAction(InputModel):
    version: int = Field(ge=1)
    note: Note | None = None


class NoticeChannelCreate(InputModel):
    name: Name
    kind: ChannelKindName
    url: Url | None = Field(default=None, description="The bot's or receiver's URL (not e-mail)")
    secret: Secret | None = Field(
        default=None, description="Feishu/DingTalk signing secret; generic webhook HMAC key"
    )
    emails: list[Email] = Field(default_factory=list, max_length=20)
    min_severity: Severity = Severity.WARNING
    allow_private: bool = Field(
        default=False, description="Allow a private or loopback address (admins only)"
    )
    active: bool = True


class NoticeChannelUpdate(UpdateModel):
    __nullable__ = frozenset({"secret", "url"})

    name: Name | None = None
    url: Url | None = None
    secret: Secret | None = None
    emails: list[Email] | None = Field(default=None, max_length=20)
    min_severity: Severity | None = None
    allow_private: bool | None = None
    active: bool | None = None
    version: int = Field(ge=1)


class NoticeChannelRead(ReadModel):
    id: uuid.UUID
    name: str
    kind: str
    url: str | None = Field(description="Shown cut after the host: the path may hold the token")
    has_secret: bool
    emails: list[str]
    min_severity: Severity
    allow_private: bool
    active: bool
    version: int


class DeliveryRead(ReadModel):
    id: uuid.UUID
    channel_id: uuid.UUID
    alert_id: uuid.UUID | None
    event: str
    status: DeliveryStatus
    attempts: int
    status_code: int | None
    error: str | None
    response: str | None
    created_at: datetime
    sent_at: datetime | None
    rounds: int = Field(description="Rounds of attempts made (a failed round may be tried later)")
    next_attempt_at: datetime | None = Field(
        description="Pending after a failed round: when the next round starts"
    )
