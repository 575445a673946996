"""Workload and booking conflicts from allocations (pure: plain data in, plain data out).

A person's allocation books `hours_per_day` on every **working day** of its inclusive date
range (the organisation's calendar: weekends, China's public holidays and swapped working
days, its own exceptions). A week runs Monday to Sunday (ISO). In a week, a person has
`capacity_hours_week` scaled to the week's working days (a week with a public holiday has
less room: 40 h × 3/5 = 24 h; a 调休 Saturday adds a day), is loaded by the sum of the hours
booked on those days, and is **over** when the load exceeds the capacity.

A venue, an ad channel or a vendor is booked by one project at a time: two allocations of
different projects whose date ranges overlap are **double booked**. A material's allocations
that overlap a period and together take more than its stock are **over stock**.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Protocol

ZERO = Decimal(0)
HUNDRED = Decimal(100)
WEEK = timedelta(days=7)
# Load percent: one decimal (82.5 %). Hours and money: two.
TENTH = Decimal("0.1")
CENT = Decimal("0.01")


class WorkingDays(Protocol):
    """What counts working days: the work domain's `Calendar` is one."""

    @property
    def weekend(self) -> frozenset[int]: ...

    def is_working(self, day: date) -> bool: ...


class ConflictKind(StrEnum):
    OVER_CAPACITY = "over_capacity"  # a person booked beyond their capacity in a week
    DOUBLE_BOOKED = "double_booked"  # a venue, channel or vendor booked by two projects at once
    OVER_STOCK = "over_stock"  # a material's overlapping allocations take more than its stock


# ---- days and weeks ------------------------------------------------------------------------


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_starts(first: date, weeks: int) -> list[date]:
    """`weeks` Mondays from the week `first` falls in."""
    start = monday_of(first)
    return [start + WEEK * i for i in range(weeks)]


def overlap(a: tuple[date, date], b: tuple[date, date]) -> tuple[date, date] | None:
    """The days two inclusive ranges share, or None."""
    first, last = max(a[0], b[0]), min(a[1], b[1])
    return (first, last) if first <= last else None


def days(first: date, last: date) -> Iterable[date]:
    return (first + timedelta(days=d) for d in range((last - first).days + 1))


def working_days(calendar: WorkingDays, first: date, last: date) -> int:
    """The working days from `first` to `last`, both included (0 when `last` < `first`)."""
    return sum(1 for d in days(first, last) if calendar.is_working(d))


def standard_week_days(calendar: WorkingDays) -> int:
    """The working days of an ordinary week (5 with a Saturday–Sunday weekend)."""
    return max(1, 7 - len(calendar.weekend))


def week_capacity(capacity_hours_week: Decimal, working: int, standard: int) -> Decimal:
    """A person's hours in a week with `working` working days (an ordinary one has
    `standard`), to the hundredth."""
    return (capacity_hours_week * working / standard).quantize(CENT, rounding=ROUND_HALF_UP)


def load_percent(hours: Decimal, capacity: Decimal) -> Decimal | None:
    """`hours` as a percent of `capacity`, to a tenth (None when there is no capacity)."""
    if capacity <= 0:
        return None
    return (hours * HUNDRED / capacity).quantize(TENTH, rounding=ROUND_HALF_UP)


def planned_hours(calendar: WorkingDays, first: date, last: date, per_day: Decimal) -> Decimal:
    return per_day * working_days(calendar, first, last)


def planned_cost(
    *,
    hours: Decimal | None = None,
    cost_rate: Decimal | None = None,
    quantity: Decimal | None = None,
    unit_cost: Decimal | None = None,
) -> Decimal | None:
    """What an allocation costs as planned, to the cent: a person's hours at their hourly
    rate, a material's (or channel's) quantity at its unit cost; None when a figure is
    missing."""
    if hours is not None and cost_rate is not None:
        return (hours * cost_rate).quantize(CENT, rounding=ROUND_HALF_UP)
    if quantity is not None and unit_cost is not None:
        return (quantity * unit_cost).quantize(CENT, rounding=ROUND_HALF_UP)
    return None


# ---- a person's weeks ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Booking:
    """One allocation as the arithmetic sees it."""

    allocation_id: Hashable
    resource_id: Hashable
    project_id: Hashable
    starts_on: date
    ends_on: date
    hours_per_day: Decimal | None = None  # people
    quantity: Decimal | None = None  # materials (and, optionally, the others)


@dataclass
class WeekLoad:
    week_start: date
    working_days: int
    capacity: Decimal
    hours: Decimal = ZERO
    # project id -> hours it books in the week
    by_project: dict[Hashable, Decimal] = field(default_factory=dict)
    allocation_ids: list[Hashable] = field(default_factory=list)

    @property
    def load_percent(self) -> Decimal | None:
        return load_percent(self.hours, self.capacity)

    @property
    def over(self) -> bool:
        return self.hours > self.capacity


def person_weeks(
    bookings: Iterable[Booking],
    capacity_hours_week: Decimal,
    mondays: Sequence[date],
    calendar: WorkingDays,
) -> list[WeekLoad]:
    """One person's load in each week starting on `mondays` (consecutive or not): each
    booking's hours on each working day it covers, summed per week and per project."""
    standard = standard_week_days(calendar)
    weeks: dict[date, WeekLoad] = {}
    for monday in mondays:
        working = working_days(calendar, monday, monday + timedelta(days=6))
        weeks[monday] = WeekLoad(
            monday, working, week_capacity(capacity_hours_week, working, standard)
        )
    if not weeks:
        return []
    window = (min(weeks), max(weeks) + timedelta(days=6))
    for booking in bookings:
        if booking.hours_per_day is None:
            continue
        shared = overlap(window, (booking.starts_on, booking.ends_on))
        if shared is None:
            continue
        for day in days(*shared):
            week = weeks.get(monday_of(day))
            if week is None or not calendar.is_working(day):
                continue
            week.hours += booking.hours_per_day
            week.by_project[booking.project_id] = (
                week.by_project.get(booking.project_id, ZERO) + booking.hours_per_day
            )
            if booking.allocation_id not in week.allocation_ids:
                week.allocation_ids.append(booking.allocation_id)
    return [weeks[m] for m in mondays]


# ---- conflicts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    kind: ConflictKind
    resource_id: Hashable
    starts_on: date
    ends_on: date
    project_ids: tuple[Hashable, ...]
    allocation_ids: tuple[Hashable, ...]
    hours: Decimal | None = None  # over capacity: the week's load …
    capacity: Decimal | None = None  # … and the capacity it exceeds
    quantity: Decimal | None = None  # over stock: what the overlapping allocations take …
    stock: Decimal | None = None  # … and the stock


def over_capacity(resource_id: Hashable, weeks: Iterable[WeekLoad]) -> list[Conflict]:
    """A conflict per week a person is over capacity."""
    return [
        Conflict(
            ConflictKind.OVER_CAPACITY,
            resource_id,
            w.week_start,
            w.week_start + timedelta(days=6),
            tuple(w.by_project),
            tuple(w.allocation_ids),
            hours=w.hours,
            capacity=w.capacity,
        )
        for w in weeks
        if w.over
    ]


def double_bookings(bookings: Sequence[Booking]) -> list[Conflict]:
    """Each pair of one resource's allocations of different projects whose dates overlap
    (the bookings of one exclusive resource: a venue, a channel, a vendor)."""
    ordered = sorted(bookings, key=lambda b: (b.starts_on, b.ends_on, str(b.allocation_id)))
    out: list[Conflict] = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.starts_on > a.ends_on:
                break  # sorted by start: no later booking overlaps `a` either
            if a.project_id == b.project_id or a.resource_id != b.resource_id:
                continue
            shared = overlap((a.starts_on, a.ends_on), (b.starts_on, b.ends_on))
            if shared is None:
                continue
            out.append(
                Conflict(
                    ConflictKind.DOUBLE_BOOKED,
                    a.resource_id,
                    shared[0],
                    shared[1],
                    (a.project_id, b.project_id),
                    (a.allocation_id, b.allocation_id),
                )
            )
    return out


def over_stock(
    resource_id: Hashable, bookings: Sequence[Booking], stock: Decimal
) -> list[Conflict]:
    """A material whose allocations overlapping one another take more than its stock: the
    busiest stretch, as one conflict (the allocations in it and what they take together)."""
    mine = [b for b in bookings if b.quantity is not None and b.resource_id == resource_id]
    if not mine:
        return []
    # The demand is highest on some allocation's first day: check those days only.
    best: tuple[Decimal, date, list[Booking]] | None = None
    for day in sorted({b.starts_on for b in mine}):
        taking = [b for b in mine if b.starts_on <= day <= b.ends_on]
        demand = sum((b.quantity or ZERO for b in taking), ZERO)
        if best is None or demand > best[0]:
            best = (demand, day, taking)
    assert best is not None
    demand, day, taking = best
    if demand <= stock:
        return []
    last = min(b.ends_on for b in taking)
    return [
        Conflict(
            ConflictKind.OVER_STOCK,
            resource_id,
            day,
            last,
            tuple(dict.fromkeys(b.project_id for b in taking)),
            tuple(b.allocation_id for b in taking),
            quantity=demand,
            stock=stock,
        )
    ]
