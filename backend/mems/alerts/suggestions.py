"""What to do about an alert: one concrete next step per metric and direction (pure).

An alert says what went wrong ("CTR 0.6 % < 0.8 %"); its suggestion says what a marketer would
try first. The direction comes from the rule's comparator: `lt`/`le` watch a fall, `gt`/`ge`
a rise. A fall of a ratio that should be high (CTR, CVR, ROAS, ROI) or a rise of one that
should be low (CPC, CPM, CPA) is a problem with its own remedy; the opposite crossing is good
news, and the suggestion is to scale what works. Budget metrics read as pacing: spend ahead of
the flight wants a cap, spend behind it a look at delivery; a budget used up (budget_use ≥ 1)
wants a decision now rather than soon.

A suggestion is stored by its `key` and rendered in the reader's language when it is shown
(`text_for`), so an alert raised in Chinese reads in English for an English reader. Keys are
stable: renaming one orphans the stored ones (they fall back to the generic advice).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from mems.alerts.evaluation import Comparator, Pacing
from mems.channels.metrics import Base, Derived
from mems.core.i18n import Message, _

GENERIC = "generic"

_TEXTS: dict[str, Message] = {
    "low_ctr": _(
        "Refresh the creative: rework the hook in the first seconds, and A/B test new covers "
        "and titles against the current ones."
    ),
    "low_cvr": _(
        "Clicks are not turning into conversions: check that the landing page loads fast and "
        "keeps the ad's promise, shorten the form, and sharpen the offer."
    ),
    "low_conversions": _(
        "Conversions are short: first make sure conversion tracking still reports, then work "
        "on the landing page and the offer; if clicks fell too, refresh the creative."
    ),
    "high_cpa": _(
        "Each conversion costs too much: lower bids or switch to target-CPA bidding, and "
        "narrow targeting to the audiences that already convert."
    ),
    "high_cpc": _(
        "Clicks cost too much: review bids and the bid strategy, and refine targeting to drop "
        "low-value audiences and placements."
    ),
    "high_cpm": _(
        "Impressions cost too much: the audience is contested, so broaden it or try other "
        "placements and times of day, and review bids."
    ),
    "spend_ahead": _(
        "Spend is running ahead of plan: cap the daily budget, or shift budget to the channels "
        "with the best return."
    ),
    "spend_behind": _(
        "Spend is running behind plan: check that ads are approved and delivering, whether the "
        "audience is too narrow, and whether bids are too low."
    ),
    "budget_high": _(
        "Most of the budget is used: request a budget change in time, or pause the weakest "
        "campaigns so the strongest keep running."
    ),
    "budget_spent": _(
        "The budget is used up: pause the weakest campaigns now, or request a budget change "
        "before spending goes further."
    ),
    "low_return": _(
        "Return is below target: cut the weakest creatives and audiences, and revisit the "
        "offer and pricing."
    ),
    "low_impressions": _(
        "Reach is too low: widen targeting, raise bids or the daily budget, and check that ads "
        "are approved and delivering."
    ),
    "low_followers": _(
        "Follower growth is slow: add a clear call to follow, post native content more often, "
        "and boost the posts that already engage."
    ),
    "scale_up": _(
        "Performance beats the target: raise the budget step by step on what works, and reuse "
        "its creative and audience in other campaigns."
    ),
    GENERIC: _(
        "Review what changed recently in creatives, targeting, bids and tracking, compare with "
        "the channel's benchmark, and adjust the weakest element first."
    ),
}
KEYS: frozenset[str] = frozenset(_TEXTS)

# (metric, watching a fall) -> key, for the problem side of each metric.
_PROBLEMS: dict[tuple[str, bool], str] = {
    (Derived.CTR, True): "low_ctr",
    (Derived.CVR, True): "low_cvr",
    (Derived.ROAS, True): "low_return",
    (Derived.ROI, True): "low_return",
    (Derived.CPA, False): "high_cpa",
    (Derived.CPC, False): "high_cpc",
    (Derived.CPM, False): "high_cpm",
    (Base.IMPRESSIONS, True): "low_impressions",
    (Base.CLICKS, True): "low_ctr",
    (Base.CONVERSIONS, True): "low_conversions",
    (Base.LEADS, True): "low_conversions",
    (Base.REVENUE, True): "low_return",
    (Base.FOLLOWERS, True): "low_followers",
    (Base.SPEND, True): "spend_behind",
    (Base.SPEND, False): "spend_ahead",
    (Pacing.SPEND_PACE, True): "spend_behind",
    (Pacing.SPEND_PACE, False): "spend_ahead",
    (Pacing.BUDGET_USE, True): "spend_behind",
    (Pacing.BUDGET_USE, False): "budget_high",
}
# Every other (metric, direction) of a ratio or count is the good-news side: scale what works.
_KEY: dict[tuple[str, bool], str] = {
    (m.value, falls): _PROBLEMS.get((m.value, falls), "scale_up")
    for m in (*Derived, *Base)
    for falls in (True, False)
} | {(str(m), falls): key for (m, falls), key in _PROBLEMS.items()}

_FALLS = frozenset({Comparator.LT, Comparator.LE})


@dataclass(frozen=True, slots=True)
class Suggestion:
    key: str  # stable code, stored with the alert
    text: Message


def suggest(
    metric: str,
    value: Decimal | None,
    effective_threshold: Decimal | None,
    comparator: Comparator | str,
) -> Suggestion:
    """The next step for an alert on `metric` that crossed `effective_threshold` in the
    comparator's direction. Only `value` nuances the choice today (a budget nearly used or
    used up); the threshold is taken so callers pass what the alert holds."""
    falls = comparator in _FALLS
    key = _KEY.get((metric, falls), GENERIC)
    if key == "budget_high" and value is not None and value >= 1:
        key = "budget_spent"
    return Suggestion(key, _TEXTS[key])


def text_for(key: str) -> Message:
    """A stored suggestion's text, to render in the reader's language; an unknown key (from
    an older version) reads as the generic advice."""
    return _TEXTS.get(key, _TEXTS[GENERIC])
