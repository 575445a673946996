"""The scheduler: working-day calendars, dependencies and the critical path. Pure: no I/O.

Time is counted in working days. A task of `duration` working days occupies the half-open
span `[start, start + duration)` of working-day indices (a milestone has duration 0 and sits
at the boundary before its start day). A dependency of the successor on the predecessor,
with `lag` working days (negative: lead), is one linear constraint on those boundaries:

- FS (finish-to-start): successor start  >= predecessor finish + lag
- SS (start-to-start):  successor start  >= predecessor start  + lag
- FF (finish-to-finish): successor finish >= predecessor finish + lag
- SF (start-to-finish):  successor finish >= predecessor start  + lag

The forward pass gives each task its earliest start and finish (no task before the project's
start, nor before its own `not_before`); the backward pass, from the project's finish, the
latest ones. Slack is latest minus earliest start; the critical tasks have none. Dates come
back as calendar dates: a task's first and last working day (a milestone: its day).
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

# Monday = 0 … Sunday = 6
WEEKEND = frozenset({5, 6})


class DependencyType(StrEnum):
    FS = "FS"
    SS = "SS"
    FF = "FF"
    SF = "SF"


@dataclass(frozen=True)
class Calendar:
    """Working days: every day but the weekend days and the holidays, plus the extra working
    days (调休: a weekend day worked to bridge a holiday)."""

    weekend: frozenset[int] = WEEKEND
    holidays: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()

    def is_working(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        return day.weekday() not in self.weekend and day not in self.holidays

    def next_working(self, day: date) -> date:
        """`day`, or the first working day after it."""
        for _ in range(3660):
            if self.is_working(day):
                return day
            day += timedelta(days=1)
        raise ValueError("no working day within ten years")


@dataclass
class _Days:
    """Working-day index ↔ date, from an origin (index 0), grown on demand both ways."""

    calendar: Calendar
    origin: date
    forward: list[date] = field(default_factory=list)
    backward: list[date] = field(default_factory=list)  # index -1, -2, …

    def __post_init__(self) -> None:
        self.forward.append(self.calendar.next_working(self.origin))

    def day_at(self, index: int) -> date:
        if index >= 0:
            while len(self.forward) <= index:
                self.forward.append(self._step(self.forward[-1], 1))
            return self.forward[index]
        while len(self.backward) < -index:
            last = self.backward[-1] if self.backward else self.forward[0]
            self.backward.append(self._step(last, -1))
        return self.backward[-index - 1]

    def index(self, day: date) -> int:
        """The index of `day`, or of the first working day after it."""
        day = self.calendar.next_working(day)
        if day >= self.forward[0]:
            while self.forward[-1] < day:
                self.day_at(len(self.forward))
            return bisect.bisect_left(self.forward, day)
        i = -1
        while self.day_at(i) > day:
            i -= 1
        return i

    def _step(self, day: date, direction: int) -> date:
        for _ in range(3660):
            day += timedelta(days=direction)
            if self.calendar.is_working(day):
                return day
        raise ValueError("no working day within ten years")


@dataclass(frozen=True)
class Task:
    id: Hashable
    duration: int  # working days; 0: a milestone
    not_before: date | None = None  # a start constraint of the task's own


@dataclass(frozen=True)
class Dependency:
    predecessor: Hashable
    successor: Hashable
    type: DependencyType = DependencyType.FS
    lag: int = 0  # working days; negative: a lead


@dataclass(frozen=True)
class Scheduled:
    id: Hashable
    early_start: int  # working-day indices from the project's start (0)
    early_finish: int
    late_start: int
    late_finish: int
    start: date  # the first working day (a milestone: its day)
    finish: date  # the last working day (a milestone: its day)
    late_start_date: date
    late_finish_date: date

    @property
    def slack(self) -> int:
        return self.late_start - self.early_start

    @property
    def critical(self) -> bool:
        return self.slack <= 0


@dataclass(frozen=True)
class Schedule:
    tasks: Mapping[Hashable, Scheduled]
    finish: date  # the project's last working day
    critical_path: tuple[Hashable, ...]  # critical tasks in start order


class ScheduleError(ValueError):
    pass


class DependencyCycle(ScheduleError):
    def __init__(self, cycle: Sequence[Hashable]) -> None:
        self.cycle = tuple(cycle)
        super().__init__(f"dependencies form a cycle: {' → '.join(map(str, self.cycle))}")


# Bounds that keep a plan computable (a duration or lag of a billion days would make the
# calendar walk forever): ten years of working days.
MAX_DAYS = 2600


def _check(tasks: Sequence[Task], dependencies: Sequence[Dependency]) -> None:
    ids = [t.id for t in tasks]
    if len(set(ids)) != len(ids):
        raise ScheduleError("task ids repeat")
    known = set(ids)
    for task in tasks:
        if task.duration < 0:
            raise ScheduleError(f"task {task.id}: negative duration")
        if task.duration > MAX_DAYS:
            raise ScheduleError(f"task {task.id}: duration above {MAX_DAYS} working days")
    for dep in dependencies:
        if dep.predecessor not in known or dep.successor not in known:
            raise ScheduleError(f"dependency {dep.predecessor} → {dep.successor}: unknown task")
        if abs(dep.lag) > MAX_DAYS:
            raise ScheduleError(f"dependency {dep.predecessor} → {dep.successor}: lag too large")
        if dep.predecessor == dep.successor:
            raise DependencyCycle([dep.predecessor, dep.successor])


def topological_order(
    ids: Sequence[Hashable], dependencies: Iterable[Dependency]
) -> list[Hashable]:
    """The tasks, every predecessor before its successors; `DependencyCycle` names a cycle."""
    dependencies = list(dependencies)
    successors: dict[Hashable, list[Hashable]] = {i: [] for i in ids}
    waiting = dict.fromkeys(ids, 0)
    for dep in dependencies:
        successors[dep.predecessor].append(dep.successor)
        waiting[dep.successor] += 1
    ready = [i for i in ids if waiting[i] == 0]
    order: list[Hashable] = []
    while ready:
        current = ready.pop()
        order.append(current)
        for nxt in successors[current]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                ready.append(nxt)
    if len(order) < len(ids):
        raise DependencyCycle(_a_cycle({i for i in ids if waiting[i] > 0}, dependencies))
    return order


def _a_cycle(left: set[Hashable], dependencies: Iterable[Dependency]) -> list[Hashable]:
    """One cycle among the tasks a topological sort could not order: each of them still waits
    for a predecessor among them, so walking to such a predecessor must come round."""
    predecessor: dict[Hashable, Hashable] = {}
    for dep in dependencies:
        if dep.successor in left and dep.predecessor in left:
            predecessor.setdefault(dep.successor, dep.predecessor)
    walk = [next(iter(left))]
    seen = {walk[0]: 0}
    while True:
        current = predecessor[walk[-1]]
        if current in seen:
            return list(reversed([*walk[seen[current] :], current]))
        seen[current] = len(walk)
        walk.append(current)


def schedule(
    tasks: Sequence[Task],
    dependencies: Sequence[Dependency],
    project_start: date,
    calendar: Calendar | None = None,
) -> Schedule:
    """Earliest and latest dates, slack and the critical path of `tasks`."""
    _check(tasks, dependencies)
    days = _Days(calendar or Calendar(), project_start)
    by_id = {t.id: t for t in tasks}
    order = topological_order([t.id for t in tasks], dependencies)
    incoming: dict[Hashable, list[Dependency]] = {t.id: [] for t in tasks}
    outgoing: dict[Hashable, list[Dependency]] = {t.id: [] for t in tasks}
    for dep in dependencies:
        incoming[dep.successor].append(dep)
        outgoing[dep.predecessor].append(dep)

    es: dict[Hashable, int] = {}
    for tid in order:
        task = by_id[tid]
        # A constraint on or before the project's start needs no walk back through the calendar.
        start = 0
        if task.not_before is not None and task.not_before > project_start:
            start = days.index(task.not_before)
        for dep in incoming[tid]:
            start = max(start, _earliest_start(dep, es[dep.predecessor], by_id, task.duration))
        es[tid] = start
    ef = {tid: es[tid] + by_id[tid].duration for tid in order}
    end = max(ef.values(), default=0)

    lf: dict[Hashable, int] = {}
    for tid in reversed(order):
        task = by_id[tid]
        finish = end
        for dep in outgoing[tid]:
            finish = min(finish, _latest_finish(dep, lf[dep.successor], by_id, task.duration))
        lf[tid] = finish

    scheduled = {
        tid: Scheduled(
            tid,
            es[tid],
            ef[tid],
            lf[tid] - by_id[tid].duration,
            lf[tid],
            days.day_at(es[tid]),
            days.day_at(ef[tid] - 1 if by_id[tid].duration else es[tid]),
            days.day_at(lf[tid] - by_id[tid].duration),
            days.day_at(lf[tid] - 1 if by_id[tid].duration else lf[tid]),
        )
        for tid in order
    }
    critical = sorted(
        (s for s in scheduled.values() if s.critical), key=lambda s: (s.early_start, s.early_finish)
    )
    return Schedule(scheduled, days.day_at(max(end - 1, 0)), tuple(s.id for s in critical))


def _earliest_start(
    dep: Dependency, pred_start: int, by_id: Mapping[Hashable, Task], duration: int
) -> int:
    pred_finish = pred_start + by_id[dep.predecessor].duration
    if dep.type is DependencyType.FS:
        return pred_finish + dep.lag
    if dep.type is DependencyType.SS:
        return pred_start + dep.lag
    if dep.type is DependencyType.FF:
        return pred_finish + dep.lag - duration
    return pred_start + dep.lag - duration  # SF


def _latest_finish(
    dep: Dependency, succ_finish: int, by_id: Mapping[Hashable, Task], duration: int
) -> int:
    """The latest finish of the predecessor (of `duration`) that `dep` allows."""
    succ_start = succ_finish - by_id[dep.successor].duration
    if dep.type is DependencyType.FS:
        return succ_start - dep.lag
    if dep.type is DependencyType.SS:
        return succ_start - dep.lag + duration
    if dep.type is DependencyType.FF:
        return succ_finish - dep.lag
    return succ_finish - dep.lag + duration  # SF


@dataclass(frozen=True)
class Moved:
    id: Hashable
    start: tuple[date, date]  # before, after
    finish: tuple[date, date]


def moved(before: Schedule, after: Schedule) -> list[Moved]:
    """The tasks whose dates a change moved (what a reschedule tells the person who made it),
    in their new start order."""
    out = [
        Moved(tid, (old.start, new.start), (old.finish, new.finish))
        for tid, new in after.tasks.items()
        if (old := before.tasks.get(tid)) is not None
        and (old.start, old.finish) != (new.start, new.finish)
    ]
    return sorted(out, key=lambda m: (m.start[1], m.finish[1], str(m.id)))


@dataclass(frozen=True)
class Slip:
    id: Hashable
    planned: date  # the baseline's date
    now: date
    working_days: int  # how late, in working days (negative: early)


def slips(
    current: Schedule,
    baseline: Mapping[Hashable, date],
    calendar: Calendar | None = None,
) -> list[Slip]:
    """The tasks (e.g. milestones) that now finish later than a saved baseline, latest first."""
    cal = calendar or Calendar()
    out = []
    for tid, planned in baseline.items():
        task = current.tasks.get(tid)
        if task is None or task.finish <= planned:
            continue
        late = sum(
            cal.is_working(planned + timedelta(days=d))
            for d in range(1, (task.finish - planned).days + 1)
        )
        out.append(Slip(tid, planned, task.finish, late))
    return sorted(out, key=lambda s: (-s.working_days, str(s.id)))
