"""Alert rules and their evaluation against one scope's numbers (pure: no I/O).

A rule watches one metric of a scope (a campaign, a channel, a project …) over a window and
compares it with a threshold: "CTR below 0.8 %", "CPA above ¥120", "CTR below 80 % of the
industry average" (a *relative* rule: the threshold is a percentage of the benchmark, so the
effective threshold is benchmark × 80 / 100). The caller sums the scope's base counts over the
rule's window; ratios are derived from those sums (`channels.metrics.derive`), never averaged.

Watchable metrics are every base count and ratio of `channels.metrics`, and two budget ones
that need the scope's budget and the elapsed share of its flight (both ratios, 1 = 100 %):

- `spend_pace` = spend ÷ (budget × elapsed share): 1 is on pace, 1.25 a quarter ahead;
- `budget_use` = spend ÷ budget.

Evaluating a rule gives one action for the caller, who knows whether an alert is open (raised
or acknowledged, not resolved) for this rule and scope and when one last fired:

| condition | alert open | action |
|---|---|---|
| cannot be judged | either | `skip` (with a reason) — an open alert stays open |
| holds | yes | `keep` — update the open alert's numbers |
| holds | no, fired within the cooldown | `hold` — no new alert yet |
| holds | no, and no cooldown running | `fire` |
| false | yes | `resolve` — the condition cleared |
| false | no | `none` |

A rule cannot be judged when the window's volume has not reached the rule's minimum
(`low_volume`: 3 clicks on 40 impressions say nothing about CTR), when the metric is undefined
(`undefined`: a ratio over a zero denominator, a pace without budget), or when a relative rule
has no benchmark (`no_benchmark`). Not judging is not clearing: a quiet day with few
impressions does not resolve an open CTR alert. Comparisons are exact Decimal comparisons; a
value exactly at the threshold fires `le`/`ge` rules but not `lt`/`gt` ones. The cooldown is
inclusive at its end: a rule that fired at 9:00 with a one-hour cooldown fires again at 10:00.

Evaluation is a few dictionary look-ups and one division, so a worker can evaluate thousands
of rules per run: what depends on the metric alone is resolved once at import, and the numbers
an alert stores are formatted only when asked for.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, DecimalException
from enum import StrEnum
from functools import cached_property

from mems.channels.metrics import PLACES, VOLUME_OF, Base, Derived, derive


class Pacing(StrEnum):
    """Budget metrics: need the scope's budget and the elapsed share of its flight."""

    SPEND_PACE = "spend_pace"  # spend ÷ (budget × elapsed share); 1 = on pace
    BUDGET_USE = "budget_use"  # spend ÷ budget


class Comparator(StrEnum):
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"


class AlertSeverity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


Severity = AlertSeverity  # (named AlertSeverity in the API: risks have a Severity too)


class Action(StrEnum):
    FIRE = "fire"  # raise a new alert
    KEEP = "keep"  # the condition still holds: update the open alert's numbers
    RESOLVE = "resolve"  # the condition cleared: resolve the open alert
    HOLD = "hold"  # the condition holds but the cooldown runs: no new alert yet
    NONE = "none"  # the condition is false and nothing is open
    SKIP = "skip"  # cannot judge (see Skip): nothing changes


class Skip(StrEnum):
    """Why a rule could not be judged (Outcome.reason)."""

    LOW_VOLUME = "low_volume"
    UNDEFINED = "undefined"
    NO_BENCHMARK = "no_benchmark"


# The metrics a rule can watch, by name.
METRICS: frozenset[str] = frozenset(
    [*(b.value for b in Base), *(d.value for d in Derived), *(p.value for p in Pacing)]
)
DEFAULT_COOLDOWN = timedelta(hours=24)
HUNDRED = Decimal(100)
_Q = Decimal(1).scaleb(-PLACES)  # ratios are compared at the precision they are stored with

_COMPARE: dict[Comparator, Callable[[Decimal, Decimal], bool]] = {
    Comparator.LT: operator.lt,
    Comparator.LE: operator.le,
    Comparator.GT: operator.gt,
    Comparator.GE: operator.ge,
}


@dataclass(frozen=True, slots=True)
class Rule:
    """One condition on one metric. `threshold` is in the metric's unit (a ratio such as CTR
    0.008, money, a count, a pace of 1.2) or, when `relative`, a percentage of the benchmark.
    The rule is judged only once the window's volume reaches `min_volume`: a ratio's volume is
    its denominator's count (impressions for CTR, clicks for CVR …), a base count's is itself,
    the budget metrics' is spend."""

    metric: str
    comparator: Comparator
    threshold: Decimal
    relative: bool = False
    min_volume: Decimal | None = None
    cooldown: timedelta = DEFAULT_COOLDOWN
    severity: Severity = Severity.WARNING

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise ValueError(f"unknown metric {self.metric!r}")
        if self.comparator not in _COMPARE:
            raise ValueError(f"unknown comparator {self.comparator!r}")
        if not self.threshold.is_finite():
            raise ValueError("the threshold must be a finite number")
        if self.min_volume is not None and not (
            self.min_volume.is_finite() and self.min_volume >= 0
        ):
            raise ValueError("the minimum volume must be a finite number, zero or more")
        if self.cooldown < timedelta(0):
            raise ValueError("the cooldown cannot be negative")


@dataclass(frozen=True, slots=True)
class Observation:
    """One scope's numbers over a rule's window: the sums of the base counts (missing counts
    are zero), and for the budget metrics the scope's budget and the share of its flight
    elapsed, in (0, 1]. `benchmark` is the comparison value of a relative rule (an industry
    or channel average of the same metric), None when there is none."""

    sums: Mapping[str, Decimal | int]
    budget: Decimal | None = None
    elapsed_share: Decimal | None = None
    benchmark: Decimal | None = None


@dataclass(frozen=True, slots=True)
class AlertState:
    """What the caller knows of this rule and scope: whether an alert is open (raised or
    acknowledged, not resolved) and when one last fired (timezone-aware, like `now`)."""

    open: bool = False
    last_fired_at: datetime | None = None


NOTHING = AlertState()


@dataclass(frozen=True)
class Outcome:
    """What to do, with the figures behind it: the metric's value (None when a skip left it
    unknown), the threshold it was compared with and the window's volume. `numbers` holds the
    observation's sums, the value, the effective threshold, and the benchmark, budget and
    elapsed share that were given, as plain decimal strings, to be stored with an alert (what
    it fired on, in its own words); built on first use only, as most evaluations end in `none`
    and store nothing."""

    action: Action
    observation: Observation = field(repr=False, compare=False)
    value: Decimal | None = None
    effective_threshold: Decimal | None = None
    volume: Decimal | None = None
    reason: Skip | None = None

    @property
    def holds(self) -> bool:
        """The condition was judged and holds (an alert is, or would be, open for it)."""
        return self.action in (Action.FIRE, Action.KEEP, Action.HOLD)

    @cached_property
    def numbers(self) -> dict[str, str]:
        o = self.observation
        numbers = {str(name): _text(amount) for name, amount in o.sums.items()}
        for name, figure in (
            ("value", self.value),
            ("threshold", self.effective_threshold),
            ("benchmark", o.benchmark),
            ("budget", o.budget),
            ("elapsed_share", o.elapsed_share),
        ):
            if figure is not None:
                numbers[name] = _text(figure)
        return numbers


def _amount(sums: Mapping[str, Decimal | int], name: str) -> Decimal:
    return Decimal(sums.get(name, 0) or 0)


def _ratio_of(metric: Derived) -> Callable[[Observation], Decimal | None]:
    return lambda o: derive(metric, o.sums)


def _base_of(metric: Base) -> Callable[[Observation], Decimal | None]:
    name = metric.value
    return lambda o: _amount(o.sums, name)


def _budget_use(o: Observation) -> Decimal | None:
    if o.budget is None or not o.budget > 0:
        return None
    return (_amount(o.sums, Base.SPEND) / o.budget).quantize(_Q)


def _spend_pace(o: Observation) -> Decimal | None:
    share = o.elapsed_share
    if o.budget is None or share is None or not o.budget > 0 or not 0 < share <= 1:
        return None
    return (_amount(o.sums, Base.SPEND) / (o.budget * share)).quantize(_Q)


# Per metric, resolved once: how to compute its value and which count measures its volume.
_VALUE: dict[str, Callable[[Observation], Decimal | None]] = {
    **{b.value: _base_of(b) for b in Base},
    **{d.value: _ratio_of(d) for d in Derived},
    Pacing.SPEND_PACE.value: _spend_pace,
    Pacing.BUDGET_USE.value: _budget_use,
}
_VOLUME: dict[str, str] = {
    **{b.value: b.value for b in Base},
    **{d.value: VOLUME_OF[d].value for d in Derived},
    Pacing.SPEND_PACE.value: Base.SPEND.value,
    Pacing.BUDGET_USE.value: Base.SPEND.value,
}


def effective_threshold(rule: Rule, benchmark: Decimal | None) -> Decimal | None:
    """The threshold the value is compared with: the rule's own, or for a relative rule that
    percentage of the benchmark (None without a benchmark)."""
    if not rule.relative:
        return rule.threshold
    if benchmark is None or not benchmark.is_finite():
        return None
    return benchmark * rule.threshold / HUNDRED


def evaluate(rule: Rule, observation: Observation, state: AlertState, now: datetime) -> Outcome:
    """The action for one rule on one scope's window (see the module's table)."""
    sums = observation.sums
    volume = _amount(sums, _VOLUME[rule.metric])
    threshold = effective_threshold(rule, observation.benchmark)
    if rule.min_volume is not None and volume < rule.min_volume:
        return Outcome(Action.SKIP, observation, None, threshold, volume, Skip.LOW_VOLUME)
    try:
        value = _VALUE[rule.metric](observation)
    except DecimalException:  # a ratio beyond Decimal's precision: no meaningful figure
        value = None
    if value is None:
        return Outcome(Action.SKIP, observation, None, threshold, volume, Skip.UNDEFINED)
    if threshold is None:
        return Outcome(Action.SKIP, observation, value, None, volume, Skip.NO_BENCHMARK)
    if _COMPARE[rule.comparator](value, threshold):
        if state.open:
            action = Action.KEEP
        elif state.last_fired_at is not None and now - state.last_fired_at < rule.cooldown:
            action = Action.HOLD
        else:
            action = Action.FIRE
    else:
        action = Action.RESOLVE if state.open else Action.NONE
    return Outcome(action, observation, value, threshold, volume)


def _text(amount: Decimal | int) -> str:
    """A plain decimal string, never an exponent ("1000", not "1E+3")."""
    return format(amount, "f") if isinstance(amount, Decimal) else str(amount)
