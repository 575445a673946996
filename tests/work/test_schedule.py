"""The scheduler (work/schedule.py): working-day calendars, the four dependency types with
lags, forward and backward passes, slack, the critical path and cycles."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mems.work.schedule import (
    MAX_DAYS,
    Calendar,
    Dependency,
    DependencyCycle,
    DependencyType,
    ScheduleError,
    Task,
    moved,
    schedule,
    slips,
)

FS, SS, FF, SF = DependencyType.FS, DependencyType.SS, DependencyType.FF, DependencyType.SF
MONDAY = date(2026, 11, 2)

# 2026 National Day: Oct 1-8 off; Sunday Sep 27 and Saturday Oct 10 worked (调休).
NATIONAL_DAY = Calendar(
    holidays=frozenset(date(2026, 10, d) for d in range(1, 9)),
    extra_working_days=frozenset({date(2026, 9, 27), date(2026, 10, 10)}),
)


def test_a_chain_skips_weekends_and_finds_its_critical_path() -> None:
    plan = schedule(
        [Task("a", 3), Task("b", 4), Task("c", 1), Task("launch", 0)],
        [Dependency("a", "b"), Dependency("a", "c"), Dependency("b", "launch")],
        MONDAY,
    )
    a, b, c, launch = (plan.tasks[t] for t in ("a", "b", "c", "launch"))
    assert (a.start, a.finish) == (date(2026, 11, 2), date(2026, 11, 4))  # Mon-Wed
    assert (b.start, b.finish) == (date(2026, 11, 5), date(2026, 11, 10))  # Thu-Tue
    assert launch.start == launch.finish == date(2026, 11, 11)
    assert (c.start, c.finish) == (date(2026, 11, 5), date(2026, 11, 5))
    assert c.slack == 3  # c may slip until b's end
    assert c.late_finish_date == date(2026, 11, 10)
    assert plan.critical_path == ("a", "b", "launch")
    assert plan.finish == date(2026, 11, 10)


def test_each_dependency_type_and_lag() -> None:
    tasks = [Task("p", 5), Task("s", 2)]

    def s_of(kind: DependencyType, lag: int) -> tuple[date, date]:
        planned = schedule(tasks, [Dependency("p", "s", kind, lag)], MONDAY).tasks["s"]
        return planned.start, planned.finish

    # p runs Mon 2 – Fri 6 November.
    assert s_of(FS, 0) == (date(2026, 11, 9), date(2026, 11, 10))
    assert s_of(FS, 2) == (date(2026, 11, 11), date(2026, 11, 12))
    assert s_of(FS, -2) == (date(2026, 11, 5), date(2026, 11, 6))  # a lead
    assert s_of(SS, 1) == (date(2026, 11, 3), date(2026, 11, 4))
    assert s_of(FF, 0) == (date(2026, 11, 5), date(2026, 11, 6))
    assert s_of(FF, 1) == (date(2026, 11, 6), date(2026, 11, 9))
    # SF: s may not finish before p starts (+ lag); nothing starts before the project.
    assert s_of(SF, 4) == (date(2026, 11, 4), date(2026, 11, 5))
    assert s_of(SF, 0) == (MONDAY, date(2026, 11, 3))


def test_holidays_and_swapped_working_days() -> None:
    plan = schedule(
        [Task("prep", 3), Task("show", 2)], [Dependency("prep", "show")], date(2026, 9, 25)
    )
    plain = plan.tasks["prep"]
    assert plain.finish == date(2026, 9, 29)  # Fri 25, Mon 28, Tue 29
    festive = schedule(
        [Task("prep", 3), Task("show", 2)],
        [Dependency("prep", "show")],
        date(2026, 9, 25),
        NATIONAL_DAY,
    )
    prep, show = festive.tasks["prep"], festive.tasks["show"]
    assert (prep.start, prep.finish) == (date(2026, 9, 25), date(2026, 9, 28))  # Fri, Sun*, Mon
    # Tue 29, Wed 30; then Oct 1-8 off, Fri 9 works, Sat 10 is a swapped working day.
    assert (show.start, show.finish) == (date(2026, 9, 29), date(2026, 9, 30))
    later = schedule([Task("x", 3)], [], date(2026, 9, 30), NATIONAL_DAY).tasks["x"]
    assert (later.start, later.finish) == (date(2026, 9, 30), date(2026, 10, 10))


def test_a_start_constraint_and_an_empty_plan() -> None:
    plan = schedule([Task("a", 2, not_before=date(2026, 11, 7))], [], MONDAY)  # a Saturday
    assert plan.tasks["a"].start == date(2026, 11, 9)
    empty = schedule([], [], MONDAY)
    assert empty.tasks == {}
    assert empty.critical_path == ()


def test_cycles_and_bad_input_are_refused() -> None:
    with pytest.raises(DependencyCycle) as caught:
        schedule(
            [Task(i, 1) for i in "abcd"],
            [
                Dependency("a", "b"),
                Dependency("b", "c"),
                Dependency("c", "b"),
                Dependency("c", "d"),
            ],
            MONDAY,
        )
    cycle = caught.value.cycle
    assert cycle[0] == cycle[-1]
    assert set(cycle) == {"b", "c"}
    with pytest.raises(DependencyCycle):
        schedule([Task("a", 1)], [Dependency("a", "a")], MONDAY)
    with pytest.raises(ScheduleError, match="unknown"):
        schedule([Task("a", 1)], [Dependency("a", "z")], MONDAY)
    with pytest.raises(ScheduleError, match="negative"):
        schedule([Task("a", -1)], [], MONDAY)
    with pytest.raises(ScheduleError, match="repeat"):
        schedule([Task("a", 1), Task("a", 2)], [], MONDAY)


def test_a_plan_longer_than_twenty_years_is_refused() -> None:
    """Each duration and lag may be ten years, but a chain of them may not run the calendar
    towards 9999-12-31: the whole plan stays within MAX_PLAN_DAYS working days."""
    late = date(2099, 1, 5)
    chain = [Task(i, MAX_DAYS) for i in range(3)]
    links = [Dependency(a.id, b.id) for a, b in pairwise(chain)]
    with pytest.raises(ScheduleError, match="above 5200"):
        schedule(chain, links, late)
    # A start asked for twenty years after the project's start runs the plan as far.
    with pytest.raises(ScheduleError, match="above 5200"):
        schedule([Task("a", 1, not_before=date(2120, 1, 6))], [], late)
    # Two ten-year tasks in a row are a plan of exactly twenty years: laid out.
    done = schedule(chain[:2], links[:1], late)
    assert done.finish == date(2118, 12, 9)  # 5,200 weekdays: 1,040 weeks
    assert len({s.start for s in done.tasks.values()}) == 2


@st.composite
def plans(draw: st.DrawFn) -> tuple[list[Task], list[Dependency]]:
    """A random acyclic plan: dependencies only from a lower to a higher task number."""
    n = draw(st.integers(1, 12))
    tasks = [Task(i, draw(st.integers(0, 6))) for i in range(n)]
    deps: list[Dependency] = []
    for succ in range(1, n):
        for pred in draw(st.sets(st.integers(0, succ - 1), max_size=3)):
            kind = draw(st.sampled_from(list(DependencyType)))
            deps.append(Dependency(pred, succ, kind, draw(st.integers(-3, 5))))
    return tasks, deps


def _holds(dep: Dependency, start: dict[int, int], finish: dict[int, int]) -> bool:
    p, s = dep.predecessor, dep.successor
    if dep.type is FS:
        return start[s] >= finish[p] + dep.lag
    if dep.type is SS:
        return start[s] >= start[p] + dep.lag
    if dep.type is FF:
        return finish[s] >= finish[p] + dep.lag
    return finish[s] >= start[p] + dep.lag


@settings(max_examples=300, deadline=None)
@given(
    plans(),
    st.sampled_from([Calendar(), NATIONAL_DAY]),
    st.dates(date(2026, 9, 1), date(2026, 12, 31)),
)
def test_no_successor_starts_before_its_constraint_allows(
    plan: tuple[list[Task], list[Dependency]], calendar: Calendar, start: date
) -> None:
    tasks, deps = plan
    result = schedule(tasks, deps, start, calendar)
    early_s = {t: s.early_start for t, s in result.tasks.items()}
    early_f = {t: s.early_finish for t, s in result.tasks.items()}
    late_s = {t: s.late_start for t, s in result.tasks.items()}
    late_f = {t: s.late_finish for t, s in result.tasks.items()}
    for dep in deps:
        assert _holds(dep, early_s, early_f), dep  # the earliest dates keep every constraint
        assert _holds(dep, late_s, late_f), dep  # and so do the latest
    end = max(early_f.values())
    for t in tasks:
        planned = result.tasks[t.id]
        assert planned.early_start >= 0  # nothing before the project's start
        assert planned.slack >= 0
        assert planned.late_finish <= end
        assert calendar.is_working(planned.start)
        assert calendar.is_working(planned.finish)
        assert planned.start >= start
        if t.duration:
            working = sum(
                calendar.is_working(planned.start + timedelta(days=d))
                for d in range((planned.finish - planned.start).days + 1)
            )
            assert working == t.duration
    # Some task ends the project, and it is critical.
    assert any(s.critical and s.early_finish == end for s in result.tasks.values())


@settings(max_examples=100, deadline=None)
@given(plans(), st.data())
def test_a_cycle_is_always_named(
    plan: tuple[list[Task], list[Dependency]], data: st.DataObject
) -> None:
    tasks, deps = plan
    assume(deps)
    back = data.draw(st.sampled_from(deps))  # close a loop: successor back to predecessor
    with pytest.raises(DependencyCycle) as caught:
        schedule(tasks, [*deps, Dependency(back.successor, back.predecessor)], MONDAY)
    cycle = caught.value.cycle
    assert cycle[0] == cycle[-1]
    links = {
        (d.predecessor, d.successor) for d in [*deps, Dependency(back.successor, back.predecessor)]
    }
    assert all((a, b) in links for a, b in pairwise(cycle))


def test_moving_a_task_says_which_successors_moved_and_which_milestones_slip() -> None:
    tasks = [Task("brief", 2), Task("design", 3), Task("copy", 1), Task("launch", 0)]
    deps = [
        Dependency("brief", "design"),
        Dependency("brief", "copy"),
        Dependency("design", "launch"),
        Dependency("copy", "launch"),
    ]
    before = schedule(tasks, deps, MONDAY)
    baseline = {"launch": before.tasks["launch"].finish}  # Mon 9 November
    assert baseline == {"launch": date(2026, 11, 9)}
    longer = [Task("brief", 2), Task("design", 5), Task("copy", 1), Task("launch", 0)]
    after = schedule(longer, deps, MONDAY)
    changes = moved(before, after)
    assert [m.id for m in changes] == ["design", "launch"]  # copy has slack: it stays
    design = changes[0]
    assert design.start == (date(2026, 11, 4), date(2026, 11, 4))
    assert design.finish == (date(2026, 11, 6), date(2026, 11, 10))
    assert changes[1].finish == (date(2026, 11, 9), date(2026, 11, 11))
    slip = slips(after, baseline)
    assert [(s.id, s.planned, s.now, s.working_days) for s in slip] == [
        ("launch", date(2026, 11, 9), date(2026, 11, 11), 2)
    ]
    assert slips(before, baseline) == []
    assert moved(before, before) == []


def test_chinas_calendar_comes_from_the_maintained_package() -> None:
    from mems.work.holidays import china_calendar, china_holidays, covered_years

    assert 2026 in covered_years()
    holidays = china_holidays([2026])
    assert holidays[date(2026, 10, 1)] == "National Day"
    cal = china_calendar([2026])
    assert not cal.is_working(date(2026, 10, 5))  # a Monday of the Golden Week
    assert cal.is_working(date(2026, 10, 10))  # the Saturday worked for it (调休)
    assert cal.is_working(date(2026, 9, 30))
    # Four working days from the Wednesday before National Day (Oct 1-7 off): Wed 30 Sep,
    # Thu 8, Fri 9 and the swapped Saturday 10 October.
    plan = schedule([Task("booth", 4)], [], date(2026, 9, 30), cal)
    assert (plan.tasks["booth"].start, plan.tasks["booth"].finish) == (
        date(2026, 9, 30),
        date(2026, 10, 10),
    )


def test_huge_numbers_are_refused_and_old_constraints_cost_nothing() -> None:
    with pytest.raises(ScheduleError, match="duration above"):
        schedule([Task("a", 10**9)], [], MONDAY)
    with pytest.raises(ScheduleError, match="lag too large"):
        schedule([Task("a", 1), Task("b", 1)], [Dependency("a", "b", FS, -(10**9))], MONDAY)
    # A start constraint centuries before the project: the task starts with the project.
    plan = schedule([Task("a", 1, not_before=date(1, 1, 1))], [], MONDAY)
    assert plan.tasks["a"].start == MONDAY
