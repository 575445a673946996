"""Issues' background work: escalate overdue ones."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.jobs import JobContext, registry
from mems.risks import service


@registry.cron("risks.escalate_overdue_issues", minute=5)
async def escalate_overdue_issues(
    ctx: JobContext, session: AsyncSession, **_: Any
) -> dict[str, int]:
    """Hourly: open issues past their due day go to the project manager, then (still open
    some days later) to the directors; each step once."""
    done = await service.escalate_overdue(session)
    return {"to_manager": done.to_manager, "to_directors": done.to_directors}
