"""The workload and conflict arithmetic (pure): hours on working days summed per ISO week and
project, capacity scaled to the week's working days, double bookings and stock."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from mems.resources.workload import (
    Booking,
    ConflictKind,
    double_bookings,
    load_percent,
    monday_of,
    over_capacity,
    over_stock,
    overlap,
    person_weeks,
    planned_cost,
    week_capacity,
    week_starts,
    working_days,
)
from mems.work.schedule import Calendar

MON = date(2026, 11, 30)  # a Monday
PLAIN = Calendar()  # Saturday and Sunday off
# The National Day week of 2026 as China works it: Oct 1–7 off, Sep 27 (Sun) and Oct 10
# (Sat) worked.
NATIONAL_DAY = Calendar(
    holidays=frozenset(date(2026, 10, d) for d in range(1, 8)),
    extra_working_days=frozenset({date(2026, 9, 27), date(2026, 10, 10)}),
)


def booking(
    start: date,
    end: date,
    hours: str | None = "8",
    *,
    project: str = "p1",
    alloc: str | None = None,
    resource: str = "r1",
    quantity: str | None = None,
) -> Booking:
    return Booking(
        alloc or f"{project}:{start}:{end}",
        resource,
        project,
        start,
        end,
        None if hours is None else Decimal(hours),
        None if quantity is None else Decimal(quantity),
    )


def test_weeks_start_on_monday() -> None:
    assert monday_of(date(2026, 12, 6)) == MON  # a Sunday belongs to the week before it
    assert monday_of(MON) == MON
    assert week_starts(date(2026, 12, 3), 3) == [MON, MON + timedelta(7), MON + timedelta(14)]


def test_overlap_is_inclusive() -> None:
    a = (date(2026, 12, 1), date(2026, 12, 3))
    assert overlap(a, (date(2026, 12, 3), date(2026, 12, 9))) == (date(2026, 12, 3),) * 2
    assert overlap(a, (date(2026, 12, 4), date(2026, 12, 9))) is None


def test_working_days_follow_the_calendar() -> None:
    assert working_days(PLAIN, MON, MON + timedelta(days=6)) == 5
    assert working_days(PLAIN, MON, MON - timedelta(days=1)) == 0
    # Sep 28 – Oct 4: Mon–Wed worked, Thu–Sun holiday.
    assert working_days(NATIONAL_DAY, date(2026, 9, 28), date(2026, 10, 4)) == 3


def test_a_full_week_at_eight_hours_is_exactly_full() -> None:
    [week] = person_weeks([booking(MON, MON + timedelta(days=6))], Decimal(40), [MON], PLAIN)
    assert (week.hours, week.capacity, week.working_days) == (Decimal(40), Decimal(40), 5)
    assert week.load_percent == Decimal("100.0")
    assert not week.over


def test_two_projects_overload_a_week_and_each_shows_its_hours() -> None:
    weeks = person_weeks(
        [
            booking(MON, MON + timedelta(days=4), "6", project="a"),
            booking(MON + timedelta(days=2), MON + timedelta(days=11), "4", project="b"),
        ],
        Decimal(40),
        [MON, MON + timedelta(7)],
        PLAIN,
    )
    first, second = weeks
    # Week 1: a 5 × 6 = 30, b Wed–Fri 3 × 4 = 12 → 42 of 40.
    assert first.hours == Decimal(42)
    assert first.by_project == {"a": Decimal(30), "b": Decimal(12)}
    assert first.over
    assert first.load_percent == Decimal("105.0")
    # Week 2: b Mon–Fri (to Friday the 11th) 5 × 4 = 20.
    assert second.hours == Decimal(20)
    assert not second.over
    assert second.by_project == {"b": Decimal(20)}
    [conflict] = over_capacity("r1", weeks)
    assert conflict.kind == ConflictKind.OVER_CAPACITY
    assert (conflict.starts_on, conflict.ends_on) == (MON, MON + timedelta(days=6))
    assert set(conflict.project_ids) == {"a", "b"}
    assert (conflict.hours, conflict.capacity) == (Decimal(42), Decimal(40))


def test_weekends_book_nothing() -> None:
    saturday = MON + timedelta(days=5)
    [week] = person_weeks(
        [booking(saturday, saturday + timedelta(days=1))], Decimal(40), [MON], PLAIN
    )
    assert week.hours == 0
    assert week.by_project == {}


def test_a_holiday_week_has_less_capacity_and_a_swapped_day_more() -> None:
    holiday_week = date(2026, 9, 28)
    weeks = person_weeks(
        [booking(date(2026, 9, 21), date(2026, 10, 11), "8")],
        Decimal(40),
        [date(2026, 9, 21), holiday_week, date(2026, 10, 5)],
        NATIONAL_DAY,
    )
    # Sep 21–27: five weekdays plus the worked Sunday the 27th.
    assert (weeks[0].working_days, weeks[0].capacity, weeks[0].hours) == (
        6,
        Decimal(48),
        Decimal(48),
    )
    # Sep 28 – Oct 4: three working days.
    assert (weeks[1].working_days, weeks[1].capacity, weeks[1].hours) == (
        3,
        Decimal(24),
        Decimal(24),
    )
    # Oct 5–11: Mon–Wed holiday, Thu, Fri and the worked Saturday.
    assert (weeks[2].working_days, weeks[2].capacity, weeks[2].hours) == (
        3,
        Decimal(24),
        Decimal(24),
    )
    assert not any(w.over for w in weeks)


def test_capacity_and_load_round_as_documented() -> None:
    assert week_capacity(Decimal("37.5"), 3, 5) == Decimal("22.50")
    assert load_percent(Decimal(1), Decimal(3)) == Decimal("33.3")
    assert load_percent(Decimal(0), Decimal(0)) is None


def test_planned_cost_is_hours_times_rate_or_quantity_times_unit_cost() -> None:
    assert planned_cost(hours=Decimal(40), cost_rate=Decimal("180.50")) == Decimal("7220.00")
    assert planned_cost(quantity=Decimal(3), unit_cost=Decimal("0.333")) == Decimal("1.00")
    assert planned_cost(hours=Decimal(40)) is None


def test_a_venue_booked_by_two_projects_at_once_is_double_booked() -> None:
    a = booking(MON, MON + timedelta(days=3), None, project="a", alloc="x")
    b = booking(MON + timedelta(days=2), MON + timedelta(days=9), None, project="b", alloc="y")
    same_project = booking(MON, MON + timedelta(days=9), None, project="a", alloc="z")
    later = booking(MON + timedelta(days=20), MON + timedelta(days=21), None, project="c")
    found = double_bookings([b, a, same_project, later])
    pairs = {(c.allocation_ids, c.starts_on, c.ends_on) for c in found}
    assert pairs == {
        (("x", "y"), MON + timedelta(days=2), MON + timedelta(days=3)),
        (("z", "y"), MON + timedelta(days=2), MON + timedelta(days=9)),
    }
    assert all(c.kind == ConflictKind.DOUBLE_BOOKED for c in found)


def test_materials_over_stock_only_where_allocations_overlap() -> None:
    first = booking(MON, MON + timedelta(days=4), None, project="a", quantity="60")
    second = booking(
        MON + timedelta(days=3), MON + timedelta(days=6), None, project="b", quantity="50"
    )
    apart = booking(
        MON + timedelta(days=10), MON + timedelta(days=11), None, project="c", quantity="90"
    )
    [conflict] = over_stock("r1", [first, second, apart], Decimal(100))
    assert conflict.kind == ConflictKind.OVER_STOCK
    assert (conflict.quantity, conflict.stock) == (Decimal(110), Decimal(100))
    assert (conflict.starts_on, conflict.ends_on) == (
        MON + timedelta(days=3),
        MON + timedelta(days=4),
    )
    assert conflict.project_ids == ("a", "b")
    assert over_stock("r1", [first, apart], Decimal(100)) == []


@given(
    st.lists(
        st.tuples(
            st.integers(0, 40),
            st.integers(0, 20),
            st.sampled_from(["1", "2.5", "8"]),
            st.sampled_from(["a", "b", "c"]),
        ),
        max_size=8,
    )
)
def test_week_hours_are_the_sum_of_the_projects_and_of_each_working_day(
    spans: list[tuple[int, int, str, str]],
) -> None:
    bookings = [
        booking(MON + timedelta(days=s), MON + timedelta(days=s + n), h, project=p, alloc=str(i))
        for i, (s, n, h, p) in enumerate(spans)
    ]
    mondays = week_starts(MON, 9)
    weeks = person_weeks(bookings, Decimal(40), mondays, PLAIN)
    assert [w.week_start for w in weeks] == mondays
    for w in weeks:
        assert w.hours == sum(w.by_project.values(), Decimal(0))
        assert w.over == (w.hours > w.capacity)
    # Every booked working day in the window counted once.
    last = mondays[-1] + timedelta(days=6)
    expected = sum(
        (
            b.hours_per_day or Decimal(0)
            for b in bookings
            for d in range((b.ends_on - b.starts_on).days + 1)
            if (day := b.starts_on + timedelta(days=d)) <= last and PLAIN.is_working(day)
        ),
        Decimal(0),
    )
    assert sum((w.hours for w in weeks), Decimal(0)) == expected
