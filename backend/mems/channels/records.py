"""From checked records to metric rows (pure).

A batch is a list of records in MEMS's format (`schemas.MetricRecordIn`, stored as JSON).
Each becomes a row keyed by (campaign, creative, day, hour); within a batch the last record
for a key wins, as a later batch's record replaces an earlier one's. Money is converted into
the organisation's currency at the source's rate, to the cent (half up). Counts that
contradict each other are kept and flagged (`metrics.quality_flags`): a platform may count
clicks on impressions it does not report, so refusing them would lose real data.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from mems.channels.metrics import quality_flags

CENT = Decimal("0.01")
DAILY = -1  # a record's `hour` when it counts the whole day
COUNT_FIELDS = ("impressions", "clicks", "conversions", "leads", "followers")


@dataclass(frozen=True)
class Converted:
    rows: list[tuple[Any, ...]]  # in repository.METRIC_COLUMNS order, one per key
    flagged: int  # rows kept with a quality flag
    spans: dict[uuid.UUID, tuple[date, date]]  # per campaign: the first and last day written


def money(value: Any, rate: Decimal) -> Decimal:
    amount = Decimal(str(value)) if value is not None else Decimal(0)
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def to_rows(
    records: Iterable[Mapping[str, Any]],
    *,
    org_id: uuid.UUID,
    batch_id: uuid.UUID,
    rate: Decimal,
    campaign_of: Callable[[Mapping[str, Any]], uuid.UUID],
) -> Converted:
    """Rows for the records; `campaign_of` names each record's campaign (resolved before)."""
    by_key: dict[tuple[uuid.UUID, str, date, int], tuple[Any, ...]] = {}
    for record in records:
        campaign_id = campaign_of(record)
        day = record["date"]
        if isinstance(day, str):
            day = date.fromisoformat(day)
        hour = record.get("hour")
        creative = record.get("creative") or ""
        counts = [int(record.get(f) or 0) for f in COUNT_FIELDS]
        flags = quality_flags(dict(zip(COUNT_FIELDS, counts, strict=True)))
        custom = record.get("custom")
        key = (campaign_id, creative, day, DAILY if hour is None else int(hour))
        by_key[key] = (
            org_id,
            *key,
            *counts,
            money(record.get("spend"), rate),
            money(record.get("revenue"), rate),
            {k: str(v) for k, v in custom.items()} if custom else None,
            ",".join(flags) or None,
            batch_id,
        )
    spans: dict[uuid.UUID, tuple[date, date]] = {}
    for campaign_id, _creative, day, _hour in by_key:
        first, last = spans.get(campaign_id, (day, day))
        spans[campaign_id] = (min(first, day), max(last, day))
    rows = list(by_key.values())
    return Converted(rows, sum(1 for r in rows if r[13]), spans)
