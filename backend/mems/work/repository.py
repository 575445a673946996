"""SQL of the work domain."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

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
