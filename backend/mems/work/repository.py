"""SQL of the work domain."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.tenancy import scoped
from mems.work.models import CalendarDay, Phase, Task, TaskDependency


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
