"""SQL of the work domain."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from mems.core.sqljson import json_object
from mems.core.tenancy import across_tenants, scoped
from mems.work.models import (
    Baseline,
    CalendarDay,
    Phase,
    Reminder,
    Task,
    TaskDependency,
    TaskStatus,
)


async def phases_of(session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID) -> list[Phase]:
    stmt = scoped(Phase, org_id, Phase.project_id == project_id).order_by(Phase.position)
    return list((await session.scalars(stmt)).all())


async def tasks_of(session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID) -> list[Task]:
    stmt = scoped(Task, org_id, Task.project_id == project_id).order_by(Task.position)
    return list((await session.scalars(stmt)).all())


async def dependencies_of(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID
) -> list[TaskDependency]:
    stmt = scoped(TaskDependency, org_id, TaskDependency.project_id == project_id)
    return list((await session.scalars(stmt)).all())


async def calendar_days(session: AsyncSession, org_id: uuid.UUID) -> list[CalendarDay]:
    stmt = scoped(CalendarDay, org_id).order_by(CalendarDay.day)
    return list((await session.scalars(stmt)).all())


async def get_phase(session: AsyncSession, org_id: uuid.UUID, phase_id: uuid.UUID) -> Phase | None:
    return await session.scalar(scoped(Phase, org_id, Phase.id == phase_id))


async def get_task(session: AsyncSession, org_id: uuid.UUID, task_id: uuid.UUID) -> Task | None:
    return await session.scalar(scoped(Task, org_id, Task.id == task_id))


async def own_open_tasks(
    session: AsyncSession,
    org_id: uuid.UUID,
    member_id: uuid.UUID,
    limit: int,
    project_takes_work: ColumnElement[bool],
) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(
            Task.id,
            Task.project_id,
            Task.title,
            Task.progress,
            Task.status,
            Task.starts_on,
            Task.due_on,
        )
        .where(
            Task.org_id == org_id,
            Task.assignee_member_id == member_id,
            Task.status.not_in((TaskStatus.DONE, TaskStatus.CANCELLED)),
            project_takes_work,
        )
        .order_by(Task.due_on, Task.title, Task.id)
        .limit(limit)
    )
    return [dict(row._mapping) for row in rows]


async def task_in_project(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID, task_id: uuid.UUID
) -> bool:
    found = await session.scalar(
        select(Task.id).where(
            Task.org_id == org_id, Task.project_id == project_id, Task.id == task_id
        )
    )
    return found is not None


async def has_children(session: AsyncSession, task_id: uuid.UUID) -> bool:
    return (await session.scalar(select(exists().where(Task.parent_id == task_id)))) is True


async def has_dependencies(session: AsyncSession, task_id: uuid.UUID) -> bool:
    linked = exists().where(
        (TaskDependency.predecessor_id == task_id) | (TaskDependency.successor_id == task_id)
    )
    return (await session.scalar(select(linked))) is True


async def next_position(session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID) -> int:
    last = await session.scalar(
        select(func.max(Task.position)).where(Task.org_id == org_id, Task.project_id == project_id)
    )
    return 0 if last is None else int(last) + 1


async def get_dependency(
    session: AsyncSession, org_id: uuid.UUID, dependency_id: uuid.UUID
) -> TaskDependency | None:
    return await session.scalar(scoped(TaskDependency, org_id, TaskDependency.id == dependency_id))


async def get_baseline(
    session: AsyncSession, org_id: uuid.UUID, baseline_id: uuid.UUID
) -> Baseline | None:
    return await session.scalar(scoped(Baseline, org_id, Baseline.id == baseline_id))


async def get_calendar_day(
    session: AsyncSession, org_id: uuid.UUID, day: date
) -> CalendarDay | None:
    return await session.scalar(scoped(CalendarDay, org_id, CalendarDay.day == day))


async def reminder_candidates(session: AsyncSession, first: date, last: date) -> list[Task]:
    """Open, assigned tasks of every organisation due in [first, last] (a job's read)."""
    stmt = across_tenants(
        select(Task).where(
            Task.assignee_member_id.is_not(None),
            Task.status.in_([TaskStatus.TODO, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED]),
            Task.due_on.between(first, last),
        )
    )
    return list((await session.scalars(stmt)).all())


async def reminders_sent(
    session: AsyncSession, task_ids: list[uuid.UUID]
) -> set[tuple[uuid.UUID, str, date]]:
    if not task_ids:
        return set()
    rows = await session.execute(
        select(Reminder.subject_id, Reminder.kind, Reminder.on_day).where(
            Reminder.subject_id.in_(task_ids)
        )
    )
    return {(r[0], r[1], r[2]) for r in rows}


async def phase_in_project(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID, phase_id: uuid.UUID
) -> bool:
    found = await session.scalar(
        select(Phase.id).where(
            Phase.org_id == org_id, Phase.project_id == project_id, Phase.id == phase_id
        )
    )
    return found is not None


async def actual_hours_by_member(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID
) -> dict[uuid.UUID, Decimal]:
    """The actual hours booked on the project's leaf tasks (a summary task's own hours would
    count its subtasks' twice), per assignee."""
    child = aliased(Task)
    rows = await session.execute(
        select(Task.assignee_member_id, func.sum(Task.actual_hours))
        .where(
            Task.org_id == org_id,
            Task.project_id == project_id,
            Task.assignee_member_id.is_not(None),
            Task.actual_hours > 0,
            ~exists().where(child.parent_id == Task.id),
        )
        .group_by(Task.assignee_member_id)
    )
    return {member: Decimal(str(hours)) for member, hours in rows.all() if member is not None}


def _leaves_for_progress(org_id: Any, project_id: Any) -> tuple[Any, list[Any]]:
    """What the progress weighs: each leaf task's length in working days (a milestone counts
    as one), and the filter of the project's leaf tasks that are not cancelled."""
    child = aliased(Task)
    weight = case((Task.duration_days < 1, 1), else_=Task.duration_days)
    return weight, [
        Task.org_id == org_id,
        Task.project_id == project_id,
        Task.status != TaskStatus.CANCELLED,
        ~exists().where(child.parent_id == Task.id),
    ]


def progress_from(done: Any, total: Any) -> Decimal | None:
    """The percent from the weighted sums (None: no task to weigh)."""
    if not total:
        return None
    return Decimal(int(done or 0)) / Decimal(int(total))


async def progress_percent(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID
) -> Decimal | None:
    """`views.task_summary`'s progress in SQL: leaf tasks not cancelled, each weighted by its
    length in working days (a milestone counts as one). None: no such task."""
    weight, where = _leaves_for_progress(org_id, project_id)
    done, total = (
        await session.execute(
            select(func.sum(Task.progress * weight), func.sum(weight)).where(*where)
        )
    ).one()
    return progress_from(done, total)


def progress_json_of(project_id: Any, org_id: Any) -> ScalarSelect[Any]:
    """SQL for other domains' reads: `progress_percent`'s weighted sums as a JSON object
    {"done": ..., "weight": ...} (one pass over the tasks)."""
    weight, where = _leaves_for_progress(org_id, project_id)
    return (
        select(json_object({"done": func.sum(Task.progress * weight), "weight": func.sum(weight)}))
        .where(*where)
        .scalar_subquery()
    )
