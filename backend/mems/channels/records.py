"""From checked records to the rows a batch is staged as (pure).

A batch is a list of records in MEMS's format (`schemas.MetricRecordIn`). Each becomes a row
keyed by (channel, campaign, creative, day, hour); within a batch the last record for a key
wins, as a later batch's record replaces an earlier one's (a name sent by a record it
replaced is kept: names create campaigns and creatives). Money is converted into the
organisation's currency at the source's rate, to the cent (half up). Counts that contradict
each other are kept and flagged (`metrics.quality_flags`): a platform may count clicks on
impressions it does not report, so refusing them would lose real data.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol, TypeVar

from mems.channels.metrics import quality_flags

CENT = Decimal("0.01")
DAILY = -1  # a record's `hour` when it counts the whole day
COUNT_FIELDS = ("impressions", "clicks", "conversions", "leads", "followers")
# A staged row (`models.IngestRow`), in this order.
STAGED_COLUMNS = (
    "batch_id",
    "seq",
    "channel_id",
    "campaign",
    "campaign_id",
    "campaign_name",
    "creative",
    "creative_name",
    "day",
    "hour",
    *COUNT_FIELDS,
    "spend",
    "revenue",
    "custom",
    "quality",
)
_CAMPAIGN_NAME = STAGED_COLUMNS.index("campaign_name")
_CREATIVE_NAME = STAGED_COLUMNS.index("creative_name")
QUALITY = STAGED_COLUMNS.index("quality")


class Record(Protocol):
    """A checked record (`schemas.MetricRecordIn`), as far as the conversion reads it."""

    @property
    def campaign(self) -> str: ...
    @property
    def campaign_name(self) -> str | None: ...
    @property
    def creative(self) -> str | None: ...
    @property
    def creative_name(self) -> str | None: ...
    @property
    def date(self) -> date: ...
    @property
    def hour(self) -> int | None: ...
    @property
    def impressions(self) -> int: ...
    @property
    def clicks(self) -> int: ...
    @property
    def conversions(self) -> int: ...
    @property
    def leads(self) -> int: ...
    @property
    def followers(self) -> int: ...
    @property
    def spend(self) -> Decimal: ...
    @property
    def revenue(self) -> Decimal: ...
    @property
    def custom(self) -> Mapping[str, Decimal] | None: ...


R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class Staged:
    rows: list[tuple[Any, ...]]  # in STAGED_COLUMNS order, one per key, numbered from 0
    flagged: int  # rows kept with a quality flag


def money(value: Decimal, rate: Decimal) -> Decimal:
    if rate == 1:
        return value  # checked: two places at most
    return (value * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def to_staged(
    records: Iterable[R],
    *,
    batch_id: uuid.UUID,
    rate: Decimal,
    channel_of: Callable[[R], uuid.UUID],
    campaign_ids: Mapping[tuple[uuid.UUID, str], uuid.UUID],
) -> Staged:
    """The batch's rows; `channel_of` names each record's channel (resolved before),
    `campaign_ids` the campaigns that exist by (channel, platform id)."""
    by_key: dict[tuple[Any, ...], list[Any]] = {}
    for r in records:
        counts = (r.impressions, r.clicks, r.conversions, r.leads, r.followers)
        flags = quality_flags(dict(zip(COUNT_FIELDS, counts, strict=True)))
        creative = r.creative or ""
        key = (channel_of(r), r.campaign, creative, r.date, DAILY if r.hour is None else r.hour)
        row = [
            batch_id,
            0,
            key[0],
            r.campaign,
            campaign_ids.get((key[0], r.campaign)),
            r.campaign_name,
            creative,
            r.creative_name,
            r.date,
            key[4],
            *counts,
            money(r.spend, rate),
            money(r.revenue, rate),
            {k: str(v) for k, v in r.custom.items()} if r.custom else None,
            ",".join(flags) or None,
        ]
        replaced = by_key.pop(key, None)  # the later record takes the later place
        if replaced is not None:
            row[_CAMPAIGN_NAME] = row[_CAMPAIGN_NAME] or replaced[_CAMPAIGN_NAME]
            row[_CREATIVE_NAME] = row[_CREATIVE_NAME] or replaced[_CREATIVE_NAME]
        by_key[key] = row
    rows = []
    for seq, row in enumerate(by_key.values()):
        row[1] = seq
        rows.append(tuple(row))
    return Staged(rows, sum(1 for row in rows if row[QUALITY]))
