"""What the projects domain asks of the work domain: lay a template's phases and tasks out on
a new project, read a project's plan back as a template, and its phases (with task counts) for
the project page. This module knows no project model, only ids and dates, so `projects` can
call it without the work domain depending back on it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import ScalarSelect, SQLColumnExpression, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.sqljson import rows_as_json
from mems.projects.templates import PlannedPhase, PlannedTask
from mems.work import calendar as calendars
from mems.work import repository as repo
from mems.work import scheduling
from mems.work.models import Phase, Task, TaskStatus
from mems.work.schedule import Calendar, ScheduleError

DEFAULT_PHASES = ("策划", "筹备", "执行", "复盘")


def working_days(calendar: Calendar, first: date, last: date) -> int:
    """How many working days `[first, last]` holds (at least 1: a task takes a day)."""
    days, day = 0, first
    while day <= last:
        days += calendar.is_working(day)
        day = date.fromordinal(day.toordinal() + 1)
    return max(days, 1)


async def lay_out(
    session: AsyncSession,
    org_id: uuid.UUID,
    project_id: uuid.UUID,
    starts_on: date,
    ends_on: date,
    phases: list[PlannedPhase] | None,
) -> None:
    """Create the project's phases and tasks: a template's (already on the project's dates),
    or the four default phases, evenly split, with no tasks. Each task keeps its planned start
    as the start it asks for and its length in the organisation's working days; the dates
    stored are the scheduler's (a task planned on a Sunday starts on Monday)."""
    if phases is None:
        span = (ends_on - starts_on).days + 1
        cuts = [starts_on.toordinal() + round(i * span / 4) for i in range(5)]
        phases = [
            PlannedPhase(
                name,
                date.fromordinal(cuts[i]),
                date.fromordinal(max(cuts[i + 1] - 1, cuts[i])),
                (),
            )
            for i, name in enumerate(DEFAULT_PHASES)
        ]
    calendar = await calendars.org_calendar(
        session, org_id, calendars.years_around(starts_on, ends_on)
    )
    position = 0
    for i, planned in enumerate(phases):
        phase = Phase(
            id=uuid.uuid4(),
            org_id=org_id,
            project_id=project_id,
            position=i,
            name=planned.name,
            starts_on=planned.starts_on,
            ends_on=planned.ends_on,
        )
        session.add(phase)
        for task in planned.tasks:
            session.add(
                Task(
                    id=uuid.uuid4(),
                    org_id=org_id,
                    project_id=project_id,
                    phase_id=phase.id,
                    position=position,
                    title=task.title,
                    not_before=task.starts_on,
                    starts_on=task.starts_on,
                    due_on=task.ends_on,
                    duration_days=working_days(calendar, task.starts_on, task.ends_on),
                )
            )
            position += 1
    await session.flush()
    await scheduling.reschedule(session, org_id, project_id, starts_on, calendar)


async def replan(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID, starts_on: date, ends_on: date
) -> None:
    """The project's dates changed: reschedule its plan from its (new) start. A plan that
    cannot be computed keeps its dates (it was computable before; the next plan change says
    what is wrong)."""
    calendar = await calendars.org_calendar(
        session, org_id, calendars.years_around(starts_on, ends_on)
    )
    try:
        await scheduling.reschedule(session, org_id, project_id, starts_on, calendar)
    except ScheduleError:
        return


async def planned_phases(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID
) -> list[PlannedPhase]:
    """The project's phases and top-level tasks, as a template reads them."""
    tasks_by_phase: dict[uuid.UUID | None, list[PlannedTask]] = {}
    for t in await repo.tasks_of(session, org_id, project_id):
        if t.parent_id is None:
            tasks_by_phase.setdefault(t.phase_id, []).append(
                PlannedTask(t.title, t.starts_on, t.due_on)
            )
    return [
        PlannedPhase(p.name, p.starts_on, p.ends_on, tuple(tasks_by_phase.get(p.id, [])))
        for p in await repo.phases_of(session, org_id, project_id)
    ]


def phases_json_of(
    project_id: SQLColumnExpression[uuid.UUID], org_id: SQLColumnExpression[uuid.UUID]
) -> ScalarSelect[Any]:
    """SQL: a project's phases as a JSON array, each with how many tasks it has and how many
    are done (for the project page; the tasks themselves are the Gantt's)."""
    of_phase = and_(Task.phase_id == Phase.id, Task.org_id == Phase.org_id)
    counted = select(func.count()).where(of_phase, Task.status != TaskStatus.CANCELLED)
    done = select(func.count()).where(of_phase, Task.status == TaskStatus.DONE)
    return rows_as_json(
        {
            "id": Phase.id,
            "position": Phase.position,
            "name": Phase.name,
            "starts_on": Phase.starts_on,
            "ends_on": Phase.ends_on,
            "task_count": counted.scalar_subquery(),
            "done_count": done.scalar_subquery(),
        },
        Phase.project_id == project_id,
        Phase.org_id == org_id,
    )
