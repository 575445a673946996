"""Run the scheduler over a project's stored plan and keep its verdict on the tasks.

Leaf tasks are scheduled (a summary task, one with subtasks, spans its children); cancelled
tasks neither wait nor hold anyone up. Every write that can move dates ends here, so the
stored dates, slack and critical flags are always the scheduler's and reads never recompute
them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from mems.work import repository as repo
from mems.work.models import Task, TaskDependency, TaskStatus
from mems.work.schedule import Calendar, Dependency, Schedule, schedule
from mems.work.schedule import Task as PlanTask


@dataclass(frozen=True)
class Moved:
    task_id: uuid.UUID
    title: str
    milestone: bool
    starts_on: tuple[date, date]  # before, after
    due_on: tuple[date, date]


def plan_of(
    tasks: list[Task], dependencies: list[TaskDependency], project_start: date, calendar: Calendar
) -> Schedule:
    """The schedule of the scheduled tasks (leaves that are not cancelled). Raises
    `DependencyCycle` / `ScheduleError` when the plan cannot be computed."""
    parents = {t.parent_id for t in tasks if t.parent_id is not None}
    live = {t.id: t for t in tasks if t.id not in parents and t.status is not TaskStatus.CANCELLED}
    return schedule(
        [
            PlanTask(t.id, 0 if t.milestone else t.duration_days, t.not_before)
            for t in live.values()
        ],
        [
            Dependency(d.predecessor_id, d.successor_id, d.type, d.lag_days)
            for d in dependencies
            if d.predecessor_id in live and d.successor_id in live
        ],
        project_start,
        calendar,
    )


def apply(tasks: list[Task], plan: Schedule) -> tuple[list[Moved], dict[uuid.UUID, dict[str, Any]]]:
    """Put the schedule on the tasks (summaries span their children): which moved, and the
    values that changed per task. The objects take them as already stored (no version bump,
    no audit row: the scheduler's verdict is derived from the change that caused it, which is
    audited); `reschedule` writes them."""
    moved: list[Moved] = []
    changed: dict[uuid.UUID, dict[str, Any]] = {}

    def put(task: Task, start: date, due: date, slack: int, critical: bool) -> None:
        values: dict[str, Any] = {}
        if (task.starts_on, task.due_on) != (start, due):
            before = (task.starts_on, start), (task.due_on, due)
            moved.append(Moved(task.id, task.title, task.milestone, *before))
            values.update(starts_on=start, due_on=due)
        if (task.slack_days, task.critical) != (slack, critical):
            values.update(slack_days=slack, critical=critical)
        for key, value in values.items():
            set_committed_value(task, key, value)
        if values:
            changed.setdefault(task.id, {}).update(values)

    children: dict[uuid.UUID, list[Task]] = {}
    for t in tasks:
        if t.parent_id is not None:
            children.setdefault(t.parent_id, []).append(t)
    for t in tasks:
        s = plan.tasks.get(t.id)
        if s is not None:
            put(t, s.start, s.finish, s.slack, s.critical)

    def span(task: Task) -> tuple[date, date, int, bool]:
        kids = children.get(task.id)
        if not kids:
            return task.starts_on, task.due_on, task.slack_days, task.critical
        spans = [span(k) for k in kids]
        start, due = min(s[0] for s in spans), max(s[1] for s in spans)
        put(task, start, due, min(s[2] for s in spans), any(s[3] for s in spans))
        return start, due, task.slack_days, task.critical

    for t in tasks:
        if t.parent_id is None:
            span(t)
    return sorted(moved, key=lambda m: (m.starts_on[1], m.title)), changed


_COLUMNS = ("starts_on", "due_on", "slack_days", "critical")


async def reschedule(
    session: AsyncSession,
    org_id: uuid.UUID,
    project_id: uuid.UUID,
    project_start: date,
    calendar: Calendar,
) -> list[Moved]:
    tasks = await repo.tasks_of(session, org_id, project_id)
    deps = await repo.dependencies_of(session, org_id, project_id)
    moved, changed = apply(tasks, plan_of(tasks, deps, project_start, calendar))
    if changed:
        by_id = {t.id: t for t in tasks}
        table = cast(Table, Task.__table__)
        await session.execute(
            update(table)
            .where(table.c.id == bindparam("task_id"))
            .values({c: bindparam(c) for c in _COLUMNS}),
            [
                {"task_id": task_id, **{c: getattr(by_id[task_id], c) for c in _COLUMNS}}
                for task_id in changed
            ],
        )
    return moved
