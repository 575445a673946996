"""Channel data's background work: writing accepted batches."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mems.channels import ingest, kpis
from mems.core.jobs import JobContext, registry
from mems.core.tenancy import in_tenant
from mems.strategy import service as strategy


@registry.job(ingest.PROCESS_JOB)
async def process_batch(
    ctx: JobContext,
    session: AsyncSession,
    *,
    org_id: str | None = None,
    batch_id: str | None = None,
    **_: Any,
) -> dict[str, Any]:
    """Write an organisation's accepted batches into metric records and their daily rollup
    (idempotent: a batch already written is left alone). Queued once per organisation while
    it waits; `batch_id` (a job queued before that) writes that batch and those with it."""
    if org_id is not None:
        rows = await ingest.process_org(session, uuid.UUID(org_id))
    elif batch_id is not None:
        rows = await ingest.process(session, uuid.UUID(batch_id))
    else:
        rows = 0
    return {"org_id": org_id, "batch_id": batch_id, "rows": rows}


@registry.job(kpis.REFRESH_JOB)
async def refresh_kpis(
    ctx: JobContext, session: AsyncSession, *, org_id: str, **_: Any
) -> dict[str, Any]:
    """The organisation's KPIs that come from channel data, computed from it now."""
    org = uuid.UUID(org_id)
    in_tenant(session, org)
    return {"changed": await kpis.refresh(session, org)}


@registry.cron("channels.refresh_all_kpis", minute=5)
async def refresh_all_kpis(ctx: JobContext, session: AsyncSession, **_: Any) -> dict[str, Any]:
    """Hourly: every organisation's channel-metric KPIs (a period's day turns without data)."""
    changed = 0
    orgs = await strategy.orgs_with_channel_kpis(session)
    for org in sorted(orgs):
        in_tenant(session, org)
        changed += await kpis.refresh(session, org)
    return {"organisations": len(orgs), "changed": changed}
