"""The channel dashboard's arithmetic (pure): totals and ratios from sums, a trend with every
day of the range, and the quadrants of channel comparison.

Quadrants (高潜力 vs 低效): each channel with spend is placed by scale — its share of the
spend against an even share (1 ÷ channels) — and by efficiency — its ROAS against the
organisation's ROAS over the same days, or, when no revenue is reported at all, its CTR
against its industry benchmark. `star` spends much and returns well (keep it), `potential`
returns well on little money (give it more), `inefficient` takes much money and returns
little (cut or fix it), `watch` is small and weak.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from mems.channels.metrics import Derived, derive, derive_all

SUMMED = ("impressions", "clicks", "conversions", "leads", "followers", "spend", "revenue")
ZERO = Decimal(0)
Sums = Mapping[str, Decimal]


class Quadrant(StrEnum):
    STAR = "star"
    POTENTIAL = "potential"
    INEFFICIENT = "inefficient"
    WATCH = "watch"
    NO_SPEND = "no_spend"


class Basis(StrEnum):
    ROAS = "roas"  # revenue is reported: efficiency is return on spend
    CTR = "ctr"  # no revenue anywhere: efficiency is CTR against the benchmark


def add(into: dict[str, Decimal], sums: Sums) -> None:
    for name in SUMMED:
        into[name] = into.get(name, ZERO) + sums.get(name, ZERO)


def empty() -> dict[str, Decimal]:
    return dict.fromkeys(SUMMED, ZERO)


def figures(sums: Sums) -> dict[str, Decimal | int | None]:
    """The sums (counts as integers, money as decimals) and every ratio derived from them."""
    out: dict[str, Decimal | int | None] = {
        name: (sums.get(name, ZERO) if name in ("spend", "revenue") else int(sums.get(name, 0)))
        for name in SUMMED
    }
    out.update(derive_all(sums))
    return out


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def trend(
    rows: Iterable[tuple[uuid.UUID, date, Sums]], first: date, last: date
) -> tuple[list[tuple[date, dict[str, Decimal]]], dict[uuid.UUID, dict[date, dict[str, Decimal]]]]:
    """Totals per day (every day of the range, zero when nothing was spent) and per channel
    per day."""
    per_day: dict[date, dict[str, Decimal]] = {d: empty() for d in days(first, last)}
    per_channel: dict[uuid.UUID, dict[date, dict[str, Decimal]]] = defaultdict(dict)
    for channel_id, day, sums in rows:
        add(per_day[day], sums)
        per_channel[channel_id][day] = dict(sums)
    return sorted(per_day.items()), per_channel


@dataclass(frozen=True)
class Placed:
    share: Decimal | None  # of the spend
    efficiency: Decimal | None  # 1 = as good as the yardstick
    quadrant: Quadrant


def quadrants(
    channels: Mapping[uuid.UUID, Sums], ctr_benchmarks: Mapping[uuid.UUID, Decimal | None]
) -> tuple[Basis, dict[uuid.UUID, Placed]]:
    total = empty()
    for sums in channels.values():
        add(total, sums)
    basis = Basis.ROAS if total["revenue"] > 0 and total["spend"] > 0 else Basis.CTR
    spending = [c for c, s in channels.items() if s.get("spend", ZERO) > 0]
    even = Decimal(1) / len(spending) if spending else None
    average_roas = derive(Derived.ROAS, total) if basis == Basis.ROAS else None
    out: dict[uuid.UUID, Placed] = {}
    for channel_id, sums in channels.items():
        spend = sums.get("spend", ZERO)
        if spend <= 0 or even is None:
            out[channel_id] = Placed(None, None, Quadrant.NO_SPEND)
            continue
        share = (spend / total["spend"]).quantize(Decimal("0.0001"))
        if basis == Basis.ROAS:
            roas = derive(Derived.ROAS, sums)
            efficiency = roas / average_roas if roas is not None and average_roas else None
        else:
            ctr = derive(Derived.CTR, sums)
            benchmark = ctr_benchmarks.get(channel_id)
            efficiency = ctr / benchmark if ctr is not None and benchmark else None
        if efficiency is None:
            out[channel_id] = Placed(share, None, Quadrant.WATCH)
            continue
        efficiency = efficiency.quantize(Decimal("0.0001"))
        big, good = share >= even, efficiency >= 1
        quadrant = (
            (Quadrant.STAR if good else Quadrant.INEFFICIENT)
            if big
            else (Quadrant.POTENTIAL if good else Quadrant.WATCH)
        )
        out[channel_id] = Placed(share, efficiency, quadrant)
    return basis, out
