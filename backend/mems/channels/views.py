"""Reads of channel data: batches and a campaign's records."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from mems.channels import dashboard as board
from mems.channels import repository as repo
from mems.channels import rollups, service
from mems.channels.models import BatchStatus
from mems.channels.records import DAILY
from mems.channels.schemas import (
    BatchRead,
    CampaignFiguresRead,
    ChannelFiguresRead,
    ChannelPointRead,
    ChannelTrendRead,
    DashboardRead,
    DayFiguresRead,
    MetricFiguresRead,
    MetricRowRead,
)
from mems.core.errors import NotFound
from mems.core.i18n import _
from mems.core.pagination import PageParams
from mems.identity import service as identity
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
) -> DashboardRead:
    """The channel dashboard over the days (see `channels.dashboard`): seven statements
    whatever the volume — channel days for the range and for the one before, campaign totals,
    the channels, the benchmarks (industry and overrides) and the organisation."""
    org_id = principal.org_id
    if channel_id is not None:
        await service.get_channel(session, principal, channel_id)
    if project_id is not None:
        await projects.project_for(session, principal, project_id)
    length = (last - first).days + 1
    rows = await rollups.channel_days(
        session, org_id, first, last, channel_id=channel_id, project_id=project_id
    )
    before = await rollups.channel_days(
        session,
        org_id,
        first - timedelta(days=length),
        first - timedelta(days=1),
        channel_id=channel_id,
        project_id=project_id,
    )
    campaigns = await rollups.campaign_totals(
        session, org_id, first, last, channel_id=channel_id, project_id=project_id
    )
    facts = await rollups.channel_facts(session, org_id)
    industry = await rollups.org_industry(session, org_id)
    grid = await rollups.benchmark_grid(session, org_id, industry)
    currency = (await identity.org_of(session, org_id)).currency

    per_day, per_channel = board.trend(rows, first, last)
    channel_sums: dict[uuid.UUID, dict[str, Decimal]] = {}
    for cid, _day, sums in rows:
        board.add(channel_sums.setdefault(cid, board.empty()), sums)
    totals, previous = board.empty(), board.empty()
    for sums in channel_sums.values():
        board.add(totals, sums)
    for _cid, _day, sums in before:
        board.add(previous, sums)
    kinds = {cid: facts[str(cid)].kind for cid in channel_sums if str(cid) in facts}
    ctr_benchmarks = {cid: grid.get((kind, "ctr")) for cid, kind in kinds.items()}
    basis, placed = board.quadrants(channel_sums, ctr_benchmarks)
    channels = [
        ChannelFiguresRead(
            channel_id=cid,
            name=facts[str(cid)].name,
            kind=kinds[cid],
            figures=MetricFiguresRead(**board.figures(sums)),
            benchmarks={m: v for (k, m), v in grid.items() if k == kinds[cid]},
            spend_share=placed[cid].share,
            efficiency=placed[cid].efficiency,
            quadrant=placed[cid].quadrant.value,
        )
        for cid, sums in sorted(channel_sums.items(), key=lambda i: -i[1]["spend"])
        if cid in kinds
    ]
    return DashboardRead(
        first=first,
        last=last,
        currency=currency,
        industry=industry,
        basis=basis.value,
        totals=MetricFiguresRead(**board.figures(totals)),
        previous=MetricFiguresRead(**board.figures(previous)),
        channels=channels,
        campaigns=[
            CampaignFiguresRead(
                campaign_id=c.id,
                name=c.name,
                channel_id=c.channel_id,
                project_id=c.project_id,
                figures=MetricFiguresRead(**board.figures(c.sums)),
            )
            for c in campaigns
        ],
        trend=[
            DayFiguresRead(day=d, figures=MetricFiguresRead(**board.figures(s))) for d, s in per_day
        ],
        channel_trend=[
            ChannelTrendRead(
                channel_id=cid,
                points=[
                    ChannelPointRead(
                        day=d,
                        impressions=int(s["impressions"]),
                        clicks=int(s["clicks"]),
                        conversions=int(s["conversions"]),
                        spend=s["spend"],
                        revenue=s["revenue"],
                    )
                    for d, s in sorted(points.items())
                ],
            )
            for cid, points in per_channel.items()
        ],
    )
