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
from typing import Any, Protocol

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


def _summed(group: list[tuple[Any, ...]]) -> dict[str, Decimal]:
    if not group:
        return empty()
    return {
        name: sum(column) for name, column in zip(SUMMED, zip(*group, strict=True), strict=True)
    }


class Row(Protocol):
    """A row read by column name (a dict, a database driver's record)."""

    def __getitem__(self, key: str) -> Any: ...


class ChannelLike(Protocol):
    """What the dashboard needs of a channel (`rollups.ChannelFact` is one)."""

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str: ...


def assemble(
    rows: Iterable[Row],
    campaigns: Iterable[Mapping[str, Any]],
    channels: Mapping[str, ChannelLike],
    grid: Mapping[tuple[Any, str], Decimal],
    first: date,
    last: date,
) -> dict[str, Any]:
    """The dashboard's figures from the channel-day rows of the range and of the as many days
    before it (`channel_id`, `day` and the sums), and the top campaigns' rows: totals, the
    period before, channels with benchmarks and quadrants, campaigns, the trend of every day
    and each channel's points — as the JSON's dicts (`DashboardRead` without its header)."""
    # Rows grouped first, each group's columns summed at once (C loops, not a dict update per
    # value): ~1,500 rows for 90 days.
    by_day: dict[date, list[tuple[Any, ...]]] = {d: [] for d in days(first, last)}
    by_channel: dict[Any, list[tuple[Any, ...]]] = defaultdict(list)
    before: list[tuple[Any, ...]] = []
    points: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        values = tuple(row[name] for name in SUMMED)
        day = row["day"]
        if day < first:
            before.append(values)
            continue
        by_day[day].append(values)
        by_channel[row["channel_id"]].append(values)
        impressions, clicks, conversions, _leads, _followers, spend, revenue = values
        points[row["channel_id"]].append(
            {
                "day": day,
                "impressions": int(impressions),  # a sum on PostgreSQL: numeric
                "clicks": int(clicks),
                "conversions": int(conversions),
                "spend": spend,
                "revenue": revenue,
            }
        )
    trend = {day: _summed(group) for day, group in by_day.items()}
    previous = _summed(before)
    per_channel = {str(key): _summed(group) for key, group in by_channel.items()}
    totals = empty()
    for sums in per_channel.values():
        add(totals, sums)
    listed = {key: sums for key, sums in per_channel.items() if key in channels}
    ctr_benchmarks = {uuid.UUID(key): grid.get((channels[key].kind, "ctr")) for key in listed}
    basis, placed = quadrants(
        {uuid.UUID(key): sums for key, sums in listed.items()}, ctr_benchmarks
    )
    out_channels = []
    for key, sums in sorted(listed.items(), key=lambda i: -i[1]["spend"]):
        info, place = channels[key], placed[uuid.UUID(key)]
        out_channels.append(
            {
                "channel_id": key,
                "name": info.name,
                "kind": str(info.kind),
                "figures": figures(sums),
                "benchmarks": {m: v for (k, m), v in grid.items() if k == info.kind},
                "spend_share": place.share,
                "efficiency": place.efficiency,
                "quadrant": place.quadrant.value,
            }
        )
    return {
        "basis": basis.value,
        "totals": figures(totals),
        "previous": figures(previous),
        "channels": out_channels,
        "campaigns": [
            {
                "campaign_id": c["campaign_id"],
                "name": c["name"],
                "channel_id": c["channel_id"],
                "project_id": c["project_id"],
                "figures": figures(c),
            }
            for c in campaigns
        ],
        "trend": [{"day": d, "figures": figures(s)} for d, s in trend.items()],
        "channel_trend": [
            {"channel_id": key, "points": sorted(p, key=lambda point: point["day"])}
            for key, p in points.items()
        ],
    }
