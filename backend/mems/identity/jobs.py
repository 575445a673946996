"""Identity's background work."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.jobs import JobContext, registry
from mems.identity import service

log = logging.getLogger("mems.identity.jobs")


@registry.cron("identity.prune_expired_sessions", minute=17)
async def prune_expired_sessions(
    ctx: JobContext, session: AsyncSession, **_: Any
) -> dict[str, int]:
    """Hourly: forget sessions and login attempts that ended more than a day ago."""
    sessions, attempts = await service.prune_expired(session)
    log.info("pruned", extra={"sessions": sessions, "login_attempts": attempts})
    return {"sessions": sessions, "login_attempts": attempts}
