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
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
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

    def table(self, lowest: int, highest: int) -> Callable[[int], date]:
        """A lookup of the days of indices `lowest..highest` (grown once, then list reads)."""
        self.day_at(highest)
        self.day_at(min(lowest, -1))
        forward, backward = self.forward, self.backward

        def day(index: int) -> date:
            return forward[index] if index >= 0 else backward[-index - 1]

        return day

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
# And the whole plan, from its earliest start to its last finish: twenty years of working days
# (a ten-year project slipping by as much again). A chain of ten-year tasks would otherwise
# run the calendar past 9999-12-31.
MAX_PLAN_DAYS = 2 * MAX_DAYS


def _indexed(
    tasks: Sequence[Task], dependencies: Sequence[Dependency]
) -> tuple[dict[Hashable, int], list[tuple[int, int, DependencyType, int]]]:
    """Each task's position, and the dependencies as (predecessor, successor, type, lag) on
    positions, after checking the plan is computable. Ids are hashed here once per task and
    dependency end: the passes work on positions (a UUID's hash is a Python call)."""
    index = {t.id: i for i, t in enumerate(tasks)}
    if len(index) != len(tasks):
        raise ScheduleError("task ids repeat")
    for task in tasks:
        if task.duration < 0:
            raise ScheduleError(f"task {task.id}: negative duration")
        if task.duration > MAX_DAYS:
            raise ScheduleError(f"task {task.id}: duration above {MAX_DAYS} working days")
    links = []
    for dep in dependencies:
        pred, succ = index.get(dep.predecessor), index.get(dep.successor)
        if pred is None or succ is None:
            raise ScheduleError(f"dependency {dep.predecessor} → {dep.successor}: unknown task")
        if abs(dep.lag) > MAX_DAYS:
            raise ScheduleError(f"dependency {dep.predecessor} → {dep.successor}: lag too large")
        if pred == succ:
            raise DependencyCycle([dep.predecessor, dep.successor])
        links.append((pred, succ, dep.type, dep.lag))
    return index, links


def topological_order(
    ids: Sequence[Hashable], dependencies: Iterable[Dependency]
) -> list[Hashable]:
    """The tasks, every predecessor before its successors; `DependencyCycle` names a cycle."""
    dependencies = list(dependencies)
    index = {i: n for n, i in enumerate(ids)}
    links = [(index[d.predecessor], index[d.successor]) for d in dependencies]
    return [ids[n] for n in _order(ids, links, dependencies)]


def _order(
    ids: Sequence[Hashable],
    links: Iterable[tuple[int, int] | tuple[int, int, DependencyType, int]],
    dependencies: Iterable[Dependency],
) -> list[int]:
    """Kahn's sort on positions (`links` start with predecessor, successor)."""
    count = len(ids)
    successors: list[list[int]] = [[] for _ in range(count)]
    waiting = [0] * count
    for link in links:
        successors[link[0]].append(link[1])
        waiting[link[1]] += 1
    ready = [i for i in range(count) if waiting[i] == 0]
    order: list[int] = []
    while ready:
        current = ready.pop()
        order.append(current)
        for nxt in successors[current]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                ready.append(nxt)
    if len(order) < count:
        left = {ids[i] for i in range(count) if waiting[i] > 0}
        raise DependencyCycle(_a_cycle(left, dependencies))
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


_FS, _SS, _FF = DependencyType.FS, DependencyType.SS, DependencyType.FF


def schedule(
    tasks: Sequence[Task],
    dependencies: Sequence[Dependency],
    project_start: date,
    calendar: Calendar | None = None,
) -> Schedule:
    """Earliest and latest dates, slack and the critical path of `tasks`."""
    _index, links = _indexed(tasks, dependencies)
    days = _Days(calendar or Calendar(), project_start)
    count = len(tasks)
    duration = [t.duration for t in tasks]
    order = _order([t.id for t in tasks], links, dependencies)
    incoming: list[list[tuple[int, DependencyType, int]]] = [[] for _ in range(count)]
    outgoing: list[list[tuple[int, DependencyType, int]]] = [[] for _ in range(count)]
    for pred, succ, kind, lag in links:
        incoming[succ].append((pred, kind, lag))
        outgoing[pred].append((succ, kind, lag))

    # Forward pass: earliest starts. The successor's start that each type allows:
    # FS pred finish + lag, SS pred start + lag, FF pred finish + lag - duration,
    # SF pred start + lag - duration.
    es = [0] * count
    asked: dict[date, int] = {}  # a start constraint's index, per distinct date
    for i in order:
        # A constraint on or before the project's start needs no walk back through the calendar.
        start = 0
        not_before = tasks[i].not_before
        if not_before is not None and not_before > project_start:
            start = asked.get(not_before, -1)
            if start < 0:
                start = asked[not_before] = days.index(not_before)
        length = duration[i]
        for pred, kind, lag in incoming[i]:
            pred_start = es[pred]
            if kind is _FS:
                allowed = pred_start + duration[pred] + lag
            elif kind is _SS:
                allowed = pred_start + lag
            elif kind is _FF:
                allowed = pred_start + duration[pred] + lag - length
            else:  # SF
                allowed = pred_start + lag - length
            if allowed > start:
                start = allowed
        es[i] = start
    ef = [es[i] + duration[i] for i in range(count)]
    end = max(ef, default=0)

    # Backward pass: latest finishes. The predecessor's finish that each type allows:
    # FS succ start - lag, SS succ start - lag + duration, FF succ finish - lag,
    # SF succ finish - lag + duration.
    lf = [end] * count
    for i in reversed(order):
        finish = end
        length = duration[i]
        for succ, kind, lag in outgoing[i]:
            succ_finish = lf[succ]
            if kind is _FS:
                allowed = succ_finish - duration[succ] - lag
            elif kind is _SS:
                allowed = succ_finish - duration[succ] - lag + length
            elif kind is _FF:
                allowed = succ_finish - lag
            else:  # SF
                allowed = succ_finish - lag + length
            if allowed < finish:
                finish = allowed
        lf[i] = finish

    # Dates: the day of every index in use, looked up in one list.
    lowest = min([0, *(lf[i] - duration[i] for i in range(count))])
    if end - lowest > MAX_PLAN_DAYS:
        raise ScheduleError(f"the plan runs {end - lowest} working days, above {MAX_PLAN_DAYS}")
    day = days.table(lowest, max(end, 0))
    scheduled = {}
    for i in order:
        length, start, finish = duration[i], es[i], lf[i]
        late = finish - length
        tid = tasks[i].id
        scheduled[tid] = Scheduled(
            tid,
            start,
            start + length,
            late,
            finish,
            day(start),
            day(start + length - 1 if length else start),
            day(late),
            day(finish - 1 if length else finish),
        )
    critical = sorted(
        (s for s in scheduled.values() if s.late_start <= s.early_start),
        key=lambda s: (s.early_start, s.early_finish),
    )
    return Schedule(scheduled, days.day_at(max(end - 1, 0)), tuple(s.id for s in critical))


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
