"""KPIs whose value comes from channel data (source `channel_metric`): each one's query — a
metric over the campaigns of the projects linked to its goal (or all the organisation's), on
one channel or all, over its goal's period up to today — summed from the daily rollup; a
ratio is computed from the sums (CTR, CVR and ROI in percent). Run after every written batch,
when such a KPI is made or changed, and hourly."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from mems.channels import rollups
from mems.channels.metrics import value_of
from mems.core.clock import utcnow
from mems.identity import service as identity
from mems.projects import service as projects
from mems.strategy import service as strategy

REFRESH_JOB = strategy.CHANNEL_REFRESH_JOB
PERCENT = frozenset({"ctr", "cvr", "roi"})


async def refresh(session: AsyncSession, org_id: uuid.UUID, now: datetime | None = None) -> int:
    """Compute the organisation's channel-metric KPIs; how many changed."""
    kpis = await strategy.channel_metric_kpis(session, org_id)
    if not kpis:
        return 0
    org = await identity.org_of(session, org_id)
    today = (now or utcnow()).astimezone(ZoneInfo(org.timezone)).date()
    goals = {k.kpi.objective_id for k in kpis}
    linked = await projects.project_ids_of_goals(session, org_id, goals)
    changed = 0
    for item in kpis:
        query = item.kpi.source_config
        last = min(item.ends_on, today)
        if last < item.starts_on:  # the period has not begun
            changed += strategy.set_computed_value(item.kpi, None, today)
            continue
        scope = None
        if query.get("scope", "goal_projects") == "goal_projects":
            scope = linked.get(item.kpi.objective_id, set())
        sums = await rollups.metric_sums(
            session,
            org_id,
            item.starts_on,
            last,
            project_ids=scope,
            channel_key=query.get("channel"),
        )
        value = value_of(query["metric"], sums)
        if value is not None and query["metric"] in PERCENT:
            value = value * 100
        changed += strategy.set_computed_value(item.kpi, value, today)
    await session.flush()
    return changed
