"""The work domain's background work: reminders of tasks due soon or overdue."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.jobs import JobContext, registry
from mems.work import service


@registry.cron("work.remind_due_tasks", minute=25)
async def remind_due_tasks(ctx: JobContext, session: AsyncSession, **_: Any) -> dict[str, int]:
    """Hourly: assignees hear of their open tasks due today or tomorrow, and of overdue ones,
    once per due date, in the in-app notification list."""
    done = await service.remind_due_tasks(session)
    return {"due_soon": done.due_soon, "overdue": done.overdue}
