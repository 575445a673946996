"""Collaboration's background work: delete stored files that no attachment names."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mems.collab import service
from mems.collab.storage import storage_for
from mems.config import get_settings
from mems.core.jobs import JobContext, registry


@registry.cron("collab.sweep_orphan_files", hour=3, minute=40)
async def sweep_orphan_files(ctx: JobContext, session: AsyncSession, **_: Any) -> dict[str, int]:
    """Daily: stored files no attachment row names, written over a day ago (an upload whose
    transaction failed after the file was written, a deletion whose file stayed), are
    deleted from the store the settings name (`STORAGE_URL`)."""
    swept = await service.sweep_orphan_files(session, storage_for(get_settings()))
    return {"checked": swept.checked, "deleted": swept.deleted}
