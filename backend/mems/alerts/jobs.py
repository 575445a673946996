"""Alerts' background work: judging rules after channel data arrives and on a sweep, and
sending notices."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.alerts import delivering, engine, notify
from mems.alerts.models import AlertRule
from mems.core.jobs import JobContext, registry
from mems.core.tenancy import in_tenant

EVALUATE_JOB = "alerts.evaluate_org"


@registry.job(EVALUATE_JOB)
async def evaluate_org(
    ctx: JobContext, session: AsyncSession, *, org_id: str, **_: Any
) -> dict[str, Any]:
    """Judge the organisation's active rules on its data now (queued by each written batch)."""
    org = uuid.UUID(org_id)
    in_tenant(session, org)
    done = await engine.evaluate_org(session, org)
    return done.__dict__


@registry.cron("alerts.sweep", minute={0, 15, 30, 45})
async def sweep(ctx: JobContext, session: AsyncSession, **_: Any) -> dict[str, Any]:
    """Every quarter hour: judge every organisation's rules, so windows that move with the clock
    (the last N hours, today) raise and resolve alerts without new data."""
    org_ids = set((await session.scalars(select(AlertRule.org_id).where(AlertRule.active))).all())
    totals = engine.Evaluated()
    for org in sorted(org_ids):
        in_tenant(session, org)
        done = await engine.evaluate_org(session, org)
        totals.fired += done.fired
        totals.resolved += done.resolved
        totals.rules += done.rules
    return {"organisations": len(org_ids), **totals.__dict__}


@registry.job(notify.DELIVER_JOB)
async def deliver(
    ctx: JobContext, session: AsyncSession, *, delivery_id: str, **_: Any
) -> dict[str, Any]:
    """Send one notice to its channel, with retries, and log how it went."""
    status = await delivering.send(session, uuid.UUID(delivery_id))
    return {"delivery_id": delivery_id, "status": status}
