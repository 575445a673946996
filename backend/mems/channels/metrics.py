"""Channel metrics: the counts a record carries and the ratios derived from their sums (pure).

A record carries base counts (impressions, clicks …, spend and revenue as money). Ratios
(CTR, CVR, CPC, CPM, CPA, ROAS, ROI) are never stored nor averaged: they are computed from
the sums over whatever is aggregated (a day, a campaign, a channel, a window), so a day with
ten impressions weighs what ten impressions weigh. A ratio whose denominator is zero is
undefined (None), never 0 or infinity.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Base(StrEnum):
    """The counts a metric record carries (summable)."""

    IMPRESSIONS = "impressions"  # 曝光/展示
    CLICKS = "clicks"  # 点击
    SPEND = "spend"  # 消耗 (money, the source's currency converted to the org's)
    CONVERSIONS = "conversions"  # 转化
    REVENUE = "revenue"  # 成交金额/GMV (money)
    LEADS = "leads"  # 线索
    FOLLOWERS = "followers"  # 新增粉丝


class Derived(StrEnum):
    """Ratios of sums."""

    CTR = "ctr"  # clicks / impressions
    CVR = "cvr"  # conversions / clicks
    CPC = "cpc"  # spend / clicks
    CPM = "cpm"  # spend / impressions × 1000
    CPA = "cpa"  # spend / conversions
    ROAS = "roas"  # revenue / spend
    ROI = "roi"  # (revenue − spend) / spend


MONEY = frozenset({Base.SPEND, Base.REVENUE})
ALL: tuple[str, ...] = (*(b.value for b in Base), *(d.value for d in Derived))
COUNTS = tuple(b for b in Base if b not in MONEY)

# numerator, denominator, scale; ROI's numerator is revenue − spend.
_RATIOS: dict[Derived, tuple[Base | None, Base, Decimal]] = {
    Derived.CTR: (Base.CLICKS, Base.IMPRESSIONS, Decimal(1)),
    Derived.CVR: (Base.CONVERSIONS, Base.CLICKS, Decimal(1)),
    Derived.CPC: (Base.SPEND, Base.CLICKS, Decimal(1)),
    Derived.CPM: (Base.SPEND, Base.IMPRESSIONS, Decimal(1000)),
    Derived.CPA: (Base.SPEND, Base.CONVERSIONS, Decimal(1)),
    Derived.ROAS: (Base.REVENUE, Base.SPEND, Decimal(1)),
    Derived.ROI: (None, Base.SPEND, Decimal(1)),
}

# Ratios that are better when higher (an alert fires when they fall) and those better lower.
HIGHER_IS_BETTER = frozenset({Derived.CTR, Derived.CVR, Derived.ROAS, Derived.ROI})
# The base count a ratio's volume is judged by ("at least 1,000 impressions").
VOLUME_OF: dict[Derived, Base] = {d: den for d, (_, den, _) in _RATIOS.items()}

_BASE_NAMES = tuple(b.value for b in Base)
PLACES = 6  # a ratio's precision as stored in answers (CTR 0.012345 = 1.2345 %)
_Q = Decimal(1).scaleb(-PLACES)


def derive(metric: Derived, sums: Mapping[str, Decimal | int]) -> Decimal | None:
    """One ratio from sums of base counts; None when its denominator is zero or missing."""
    numerator, denominator, scale = _RATIOS[metric]
    below = Decimal(sums.get(denominator, 0) or 0)
    if below == 0:
        return None
    if numerator is None:  # ROI
        above = Decimal(sums.get(Base.REVENUE, 0) or 0) - below
    else:
        above = Decimal(sums.get(numerator, 0) or 0)
    return (above * scale / below).quantize(_Q)


# derive_all's table: (name, numerator or None for ROI, denominator, scale), as plain strings
# (a dashboard derives every ratio of a few hundred sums: no enum lookups per value).
_ALL_RATIOS = tuple(
    (metric.value, None if top is None else top.value, below.value, scale)
    for metric, (top, below, scale) in _RATIOS.items()
)


def derive_all(sums: Mapping[str, Decimal | int]) -> dict[str, Decimal | None]:
    """Every ratio (as `derive` computes each), each base read once."""
    base = {name: Decimal(sums.get(name, 0) or 0) for name in _BASE_NAMES}
    out: dict[str, Decimal | None] = {}
    for name, top, bottom, scale in _ALL_RATIOS:
        below = base[bottom]
        if not below:
            out[name] = None
            continue
        above = base["revenue"] - below if top is None else base[top]
        out[name] = (above * scale / below).quantize(_Q)
    return out


def value_of(metric: str, sums: Mapping[str, Decimal | int]) -> Decimal | None:
    """A base sum or a derived ratio, by name (what alert rules and KPIs ask for)."""
    if metric in Base.__members__.values():
        return Decimal(sums.get(metric, 0) or 0)
    return derive(Derived(metric), sums)


@dataclass(frozen=True)
class Quality:
    """What is odd about a record but not refused: kept and flagged for the data-quality view."""

    CLICKS_OVER_IMPRESSIONS = "clicks_over_impressions"


def quality_flags(values: Mapping[str, Decimal | int]) -> list[str]:
    """Flags for a record whose counts contradict each other: more clicks than impressions (a
    platform counting clicks on impressions it reports elsewhere). More conversions than
    clicks is not flagged: view-through conversions make it normal."""
    flags = []
    impressions = values.get(Base.IMPRESSIONS)
    clicks = values.get(Base.CLICKS)
    if impressions is not None and clicks is not None and clicks > impressions:
        flags.append(Quality.CLICKS_OVER_IMPRESSIONS)
    return flags
