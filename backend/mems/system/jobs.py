from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.jobs import JobContext, registry
from mems.system import service


@registry.job("system.complete_job_check")
async def complete_job_check(ctx: JobContext, session: AsyncSession, *, check_id: str) -> bool:
    """Mark a job check done, recording which runner and process ran it."""
    return await service.complete_job_check(ctx, session, uuid.UUID(check_id))
