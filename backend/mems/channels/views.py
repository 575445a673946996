"""Reads of channel data: batches and a campaign's records."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mems.channels import dashboard as board
from mems.channels import repository as repo
from mems.channels import rollups, service
from mems.channels.benchmarks import shipped_grid
from mems.channels.models import BatchStatus
from mems.channels.records import DAILY
from mems.channels.schemas import (
    BatchRead,
    MetricRowRead,
)
from mems.core.errors import NotFound
from mems.core.i18n import _
from mems.core.pagination import PageParams
from mems.identity.principal import Principal
from mems.projects import service as projects

RECORDS_SHOWN = 10_000


async def list_batches(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    source_id: uuid.UUID | None,
    status: BatchStatus | None,
) -> tuple[list[BatchRead], int]:
    items, total = await repo.list_batches(
        session, principal.org_id, params, source_id=source_id, status=status
    )
    return [BatchRead.model_validate(b) for b in items], total


async def get_batch(session: AsyncSession, principal: Principal, batch_id: uuid.UUID) -> BatchRead:
    batch = await repo.get_batch(session, principal.org_id, batch_id)
    if batch is None:
        raise NotFound(_("Batch {batch_id} not found.", batch_id=batch_id))
    return BatchRead.model_validate(batch)


async def campaign_records(
    session: AsyncSession, principal: Principal, campaign_id: uuid.UUID, first: date, last: date
) -> list[MetricRowRead]:
    await service.get_campaign(session, principal, campaign_id)
    rows = await repo.metric_rows(
        session, principal.org_id, campaign_id, first, last, RECORDS_SHOWN
    )
    return [
        MetricRowRead(
            campaign_id=campaign_id,
            creative=r.creative,
            day=r.day,
            hour=None if r.hour == DAILY else r.hour,
            impressions=r.impressions,
            clicks=r.clicks,
            conversions=r.conversions,
            leads=r.leads,
            followers=r.followers,
            spend=r.spend,
            revenue=r.revenue,
            custom={k: Decimal(v) for k, v in r.custom.items()} if r.custom else None,
            quality=r.quality.split(",") if r.quality else [],
        )
        for r in rows
    ]


async def dashboard(
    session: AsyncSession,
    principal: Principal,
    first: date,
    last: date,
    *,
    channel_id: uuid.UUID | None,
    project_id: uuid.UUID | None,
) -> dict[str, Any]:
    """The channel dashboard over the days (see `channels.dashboard`) as `DashboardRead`'s
    JSON: three statements whatever the volume or the range — the organisation's channels (the
    one asked for among them, else 404) with its currency and industry, the channel days of
    the range and of the days before it, the top campaigns (ranked by running totals) — and a
    fourth for its own benchmarks when it has any."""
    org_id = principal.org_id
    context = await rollups.dashboard_context(session, org_id)
    facts = context.channels
    if channel_id is not None and str(channel_id) not in facts:
        raise NotFound(_("Channel {channel_id} not found.", channel_id=channel_id))
    if project_id is not None:
        await projects.project_for(session, principal, project_id)
    before = first - timedelta(days=(last - first).days + 1)
    rows = await rollups.channel_days(
        session, org_id, before, last, channel_id=channel_id, project_id=project_id
    )
    campaigns = await rollups.campaign_totals(
        session, org_id, first, last, channel_id=channel_id, project_id=project_id
    )
    industry = context.industry
    grid = (
        await rollups.benchmark_grid(session, org_id, industry)
        if context.own_benchmarks
        else shipped_grid(industry)
    )
    figures = board.assemble(rows, campaigns, facts, grid, first, last)
    return {
        "from": first,
        "to": last,
        "currency": context.currency,
        "industry": industry,
        **figures,
    }
