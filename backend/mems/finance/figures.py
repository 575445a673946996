"""A project's money figures from its budget lines and cost entries (pure).

Budget is what the approved lines allow; **used** is what is spent (actual entries) plus what
is promised (committed entries: purchase orders not yet invoiced) — overspend warnings look at
used, because a signed order for a venue spends the venue's budget as surely as its invoice.
Every figure is a sum of amounts already in the project's currency and in cents (see
`money`), so a project's total equals the sum of its lines, phases or categories exactly.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from mems.finance.money import CENT, ZERO, cents, ratio, split_percentages, total

K = TypeVar("K", bound=Hashable)


class CostKind(enum.StrEnum):
    COMMITTED = "committed"  # a purchase order or contract: money promised
    ACTUAL = "actual"  # an invoice or receipt: money spent


class Level(enum.IntEnum):
    """How far used money has gone into a budget; ordered, so a rise is a crossing."""

    OK = 0
    WARN = 1
    CRITICAL = 2


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Percent of budget at which used money warns and is critical (defaults: 80 and 100)."""

    warn: Decimal = Decimal(80)
    critical: Decimal = Decimal(100)

    def __post_init__(self) -> None:
        if not (0 < self.warn <= self.critical):
            raise ValueError("0 < warn <= critical")


def level(used: Decimal, budget: Decimal, thresholds: Thresholds) -> Level:
    """The level of `used` against `budget`. Anything used against no budget is critical."""
    if budget <= 0:
        return Level.CRITICAL if used > 0 else Level.OK
    share = used * 100 / budget
    if share >= thresholds.critical:
        return Level.CRITICAL
    if share >= thresholds.warn:
        return Level.WARN
    return Level.OK


def crossed(before: Level, after: Level) -> Level | None:
    """The level to announce when used money moved from `before` to `after`: only a rise is
    announced, and only once — a cost that keeps a line above 80 % says nothing new."""
    return after if after > before else None


@dataclass(frozen=True, slots=True)
class LineFacts:
    id: Hashable
    category: str
    phase_id: Hashable | None
    budget: Decimal  # approved amount, cents


@dataclass(frozen=True, slots=True)
class CostFacts:
    line_id: Hashable | None  # None: recorded against the project but no budget line
    category: str
    phase_id: Hashable | None
    kind: CostKind
    amount: Decimal  # in the project's currency, cents
    # How many entries these facts stand for (1: one entry; more: a sum the database made of
    # entries with the same line, category, phase and kind).
    count: int = 1


@dataclass(slots=True)
class Figures:
    budget: Decimal = ZERO
    actual: Decimal = ZERO
    committed: Decimal = ZERO
    entries: int = 0

    @property
    def used(self) -> Decimal:
        return self.actual + self.committed

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.used

    @property
    def used_percent(self) -> Decimal | None:
        return ratio(self.used, self.budget)

    def level(self, thresholds: Thresholds) -> Level:
        return level(self.used, self.budget, thresholds)


@dataclass(slots=True)
class Summary:
    project: Figures = field(default_factory=Figures)
    lines: dict[Hashable, Figures] = field(default_factory=dict)
    by_category: dict[str, Figures] = field(default_factory=dict)
    by_phase: dict[Hashable | None, Figures] = field(default_factory=dict)
    # Spent (actual + committed) on no budget line: shown, and it counts against the project.
    unbudgeted: Figures = field(default_factory=Figures)


def summarise(lines: Sequence[LineFacts], costs: Iterable[CostFacts]) -> Summary:
    """Budget, actual and committed per line, category, phase and for the whole project. A
    line's category and phase are the line's; a cost on no line counts under its own."""
    summary = Summary()
    for line in lines:
        figures = Figures(budget=line.budget)
        summary.lines[line.id] = figures
        _add_budget(summary.by_category.setdefault(line.category, Figures()), line.budget)
        _add_budget(summary.by_phase.setdefault(line.phase_id, Figures()), line.budget)
    summary.project.budget = total(line.budget for line in lines)
    known = {line.id: line for line in lines}
    for cost in costs:
        on = known.get(cost.line_id) if cost.line_id is not None else None
        category, phase = (on.category, on.phase_id) if on else (cost.category, cost.phase_id)
        for target in (
            summary.project,
            summary.by_category.setdefault(category, Figures()),
            summary.by_phase.setdefault(phase, Figures()),
            summary.lines[on.id] if on else summary.unbudgeted,
        ):
            _add_cost(target, cost)
    return summary


def _add_budget(figures: Figures, amount: Decimal) -> None:
    figures.budget += amount


def _add_cost(figures: Figures, cost: CostFacts) -> None:
    if cost.kind == CostKind.ACTUAL:
        figures.actual += cost.amount
    else:
        figures.committed += cost.amount
    figures.entries += cost.count


def shares(figures: Mapping[K, Figures]) -> dict[K, Decimal]:
    """Each group's share of what is used (actual + committed), in percent adding up to 100."""
    keys = list(figures)
    return dict(
        zip(keys, split_percentages([max(figures[k].used, ZERO) for k in keys]), strict=True)
    )


class ForecastBasis(enum.StrEnum):
    ELAPSED_TIME = "elapsed_time"  # spend so far, stretched over the whole schedule
    PROGRESS = "progress"  # spend so far, stretched over the whole work (task progress)


@dataclass(frozen=True, slots=True)
class Forecast:
    basis: ForecastBasis
    at_completion: Decimal | None  # None: too early to say (nothing elapsed / no progress)
    variance: Decimal | None  # budget − forecast: negative is the expected overrun


@dataclass(frozen=True, slots=True)
class Burn:
    days_elapsed: int
    days_total: int
    per_day: Decimal | None  # actual spend per calendar day so far
    by_time: Forecast
    by_progress: Forecast


def burn(
    *,
    actual: Decimal,
    budget: Decimal,
    starts_on: date,
    ends_on: date,
    today: date,
    progress_percent: Decimal | None,
) -> Burn:
    """Burn rate and the two linear forecasts at completion. By elapsed time: actual spend
    divided by the share of the schedule gone (calendar days, both ends counted). By
    progress: actual spend divided by the share of the work done. Each is None until its
    share is above zero; after the end date the time share is 1."""
    days_total = max((ends_on - starts_on).days + 1, 1)
    days_elapsed = min(max((today - starts_on).days + 1, 0), days_total)
    per_day = cents(actual / days_elapsed) if days_elapsed else None
    by_time = _forecast(
        ForecastBasis.ELAPSED_TIME, actual, budget, Decimal(days_elapsed) / days_total
    )
    progress_share = (
        min(max(progress_percent, Decimal(0)), Decimal(100)) / 100
        if progress_percent is not None
        else Decimal(0)
    )
    by_progress = _forecast(ForecastBasis.PROGRESS, actual, budget, progress_share)
    return Burn(days_elapsed, days_total, per_day, by_time, by_progress)


def _forecast(basis: ForecastBasis, actual: Decimal, budget: Decimal, share: Decimal) -> Forecast:
    if share <= 0:
        return Forecast(basis, None, None)
    at_completion = (actual / share).quantize(CENT, rounding=ROUND_HALF_UP)
    return Forecast(basis, at_completion, budget - at_completion)
