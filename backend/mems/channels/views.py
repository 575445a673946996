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
from mems.channels.models import BatchStatus
from mems.channels.records import DAILY
from mems.channels.schemas import (
    BatchRead,
    MetricRowRead,
)
from mems.core.db import Reader
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
    reader: Reader,
    principal: Principal,
    first: date,
    last: date,
    *,
    channel_id: uuid.UUID | None,
    project_id: uuid.UUID | None,
) -> dict[str, Any]:
    """The channel dashboard over the days (see `channels.dashboard`) as `DashboardRead`'s
    JSON, from one statement whatever the volume or the range (`rollups.dashboard_reads`):
    404 for a channel or project the caller cannot see."""
    before = first - timedelta(days=(last - first).days + 1)
    got = await rollups.dashboard_reads(
        reader,
        principal.org_id,
        before,
        first,
        last,
        channel_id=channel_id,
        project_id=project_id,
        project_owner_of=None if project_id is None else projects.project_owner_of,
    )
    if project_id is not None and (
        got.project_owner is None or not projects.may_view(principal, got.project_owner)
    ):
        raise NotFound(_("Project {project_id} not found.", project_id=project_id))
    if channel_id is not None and str(channel_id) not in got.channels:
        raise NotFound(_("Channel {channel_id} not found.", channel_id=channel_id))
    figures = board.assemble(got.days, got.campaigns, got.channels, got.benchmarks, first, last)
    return {
        "from": first,
        "to": last,
        "currency": got.currency,
        "industry": got.industry,
        **figures,
    }
