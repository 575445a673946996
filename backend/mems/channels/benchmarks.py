"""Industry benchmarks (行业基准), as shipped (pure): a value per industry × channel kind × metric,
so "CTR below 80% of the industry average for short video" means something on day one.

The shipped values are starting points built from typical Chinese performance-marketing
figures: a base per channel kind (click-through and conversion rates, cost per click, return
on ad spend), scaled per industry (click-through and cost-per-click factors). CPM and CPA
follow from them (CPM = CPC × CTR × 1000, CPA = CPC ÷ CVR), so the grid is consistent. An
organisation overrides any cell (or imports its own grid); an override wins, and removing it
brings the shipped value back.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from mems.channels.models import ChannelKind

INDUSTRIES: dict[str, str] = {
    "general": "通用",
    "beauty": "美妆个护",
    "fmcg": "快消",
    "food": "食品饮料",
    "apparel": "服饰鞋包",
    "electronics": "3C数码",
    "auto": "汽车",
    "education": "教育培训",
    "finance": "金融",
    "games": "游戏",
}
DEFAULT_INDUSTRY = "general"
METRICS = ("ctr", "cvr", "cpc", "cpm", "cpa", "roas")

# ctr, cvr (fractions), cpc (CNY), roas — per channel kind.
_BASE: dict[ChannelKind, tuple[str, str, str, str]] = {
    ChannelKind.SHORT_VIDEO: ("0.015", "0.025", "1.20", "2.5"),
    ChannelKind.CONTENT: ("0.030", "0.015", "0.80", "2.0"),
    ChannelKind.SOCIAL: ("0.010", "0.020", "1.50", "2.0"),
    ChannelKind.SEARCH: ("0.035", "0.040", "3.00", "3.0"),
    ChannelKind.FEED: ("0.012", "0.020", "1.00", "2.0"),
    ChannelKind.ECOMMERCE: ("0.020", "0.050", "1.50", "3.5"),
    ChannelKind.OTHER: ("0.010", "0.020", "1.50", "2.0"),
}
# CTR factor, CPC factor, ROAS factor — per industry.
_INDUSTRY: dict[str, tuple[str, str, str]] = {
    "general": ("1", "1", "1"),
    "beauty": ("1.10", "1.10", "1.10"),
    "fmcg": ("1.00", "0.90", "1.00"),
    "food": ("1.00", "0.85", "0.95"),
    "apparel": ("1.05", "0.95", "1.05"),
    "electronics": ("0.85", "1.30", "1.20"),
    "auto": ("0.70", "1.80", "0.60"),
    "education": ("0.80", "1.60", "0.80"),
    "finance": ("0.60", "2.50", "0.70"),
    "games": ("1.20", "1.00", "1.30"),
}
_Q = Decimal("0.000001")


def shipped(industry: str, kind: ChannelKind, metric: str) -> Decimal | None:
    """The shipped value of one cell (None: an unknown industry or metric)."""
    if industry not in _INDUSTRY or metric not in METRICS:
        return None
    ctr_base, cvr, cpc_base, roas_base = (Decimal(v) for v in _BASE[kind])
    ctr_f, cpc_f, roas_f = (Decimal(v) for v in _INDUSTRY[industry])
    ctr, cpc, roas = ctr_base * ctr_f, cpc_base * cpc_f, Decimal(roas_base) * roas_f
    value = {
        "ctr": ctr,
        "cvr": Decimal(cvr),
        "cpc": cpc,
        "cpm": cpc * ctr * 1000,
        "cpa": cpc / Decimal(cvr),
        "roas": roas,
    }[metric]
    return value.quantize(_Q, rounding=ROUND_HALF_UP)


@cache
def shipped_grid(industry: str) -> Mapping[tuple[ChannelKind, str], Decimal]:
    """An industry's shipped grid (built once; read-only: callers merge it into a new dict)."""
    return {
        (kind, metric): value
        for kind in ChannelKind
        for metric in METRICS
        if (value := shipped(industry, kind, metric)) is not None
    }
