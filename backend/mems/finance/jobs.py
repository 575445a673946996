"""Finance's background work: labour cost priced from the hours booked."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.jobs import JobContext, registry
from mems.core.tenancy import in_tenant
from mems.finance import ad_spend, labour


@registry.cron("finance.price_labour", minute=35)
async def price_labour(ctx: JobContext, session: AsyncSession, **_: Any) -> dict[str, Any]:
    """Hourly: every running project's labour entries follow its people's actual hours and
    hourly rates (made, changed or removed); a crossing they cause is announced."""
    done = await labour.sync_all(session)
    return {
        "projects": done.projects,
        "made": done.made,
        "changed": done.changed,
        "removed": done.removed,
        "unpriced_hours": str(done.unpriced_hours),
    }


@registry.job(ad_spend.SYNC_JOB)
async def sync_ad_spend(
    ctx: JobContext, session: AsyncSession, *, org_id: str, campaign_ids: list[str], **_: Any
) -> dict[str, Any]:
    """The campaigns' spend by day into their projects' ledgers (after a written batch, or a
    campaign moved to another project)."""
    org = uuid.UUID(org_id)
    in_tenant(session, org)
    done = await ad_spend.sync_campaigns(session, org, {uuid.UUID(c) for c in campaign_ids})
    return done.__dict__
