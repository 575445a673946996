"""Ad spend from channel data into the ledger (issue 11: the loop from spend to ROI).

A campaign linked to a project (with `sync_spend` on) has one actual cost entry per day it
spent (source `channel`), on the project's first approved ad-spend line (else on no line),
equal to that day's spend in the channel data. When the data is corrected the entry follows;
when the campaign moves to another project, or stops syncing, its entries move or go. So
overspend warnings fire from real spend, announced like any cost's.

Spend is in the organisation's currency (a source's money is converted when written); a
project in another currency cannot take it without a rate of exchange, so its campaigns'
spend is left out and counted as such. Runs as the job `finance.sync_ad_spend`, after each
written batch and when a campaign's project changes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.channels import rollups
from mems.finance import costs
from mems.finance import repository as repo
from mems.finance.categories import BudgetCategory
from mems.finance.figures import CostKind
from mems.finance.models import BudgetLine, BudgetLineState, CostEntry, CostSource
from mems.identity import service as identity
from mems.projects import service as projects

SYNC_JOB = "finance.sync_ad_spend"


@dataclass
class SpendSynced:
    made: int = 0
    changed: int = 0
    removed: int = 0
    skipped_campaigns: int = 0  # a project in another currency than the organisation's


def _ad_line(lines: list[BudgetLine]) -> BudgetLine | None:
    for line in lines:
        if line.category == BudgetCategory.AD_SPEND and line.state == BudgetLineState.APPROVED:
            return line
    return None


async def _entries_of(
    session: AsyncSession, org_id: uuid.UUID, campaign_id: uuid.UUID
) -> list[CostEntry]:
    result = await session.scalars(
        select(CostEntry).where(
            CostEntry.org_id == org_id, CostEntry.channel_campaign_id == campaign_id
        )
    )
    return list(result)


async def sync_campaigns(
    session: AsyncSession, org_id: uuid.UUID, campaign_ids: set[uuid.UUID]
) -> SpendSynced:
    """Bring the campaigns' ad-spend entries in line with their spend by day."""
    out = SpendSynced()
    currency = (await identity.org_of(session, org_id)).currency
    touched: dict[uuid.UUID, tuple[Any, set[uuid.UUID]]] = {}
    for campaign in await rollups.spending_campaigns(session, org_id, campaign_ids):
        existing = await _entries_of(session, org_id, campaign.id)
        project = None
        if campaign.project_id is not None and campaign.sync_spend:
            project = await projects.project_by_id(session, org_id, campaign.project_id)
        if project is not None and project.currency != currency:
            out.skipped_campaigns += 1
            project = None
        wanted = await rollups.daily_spend(session, org_id, campaign.id) if project else {}
        line = None
        if project is not None:
            await projects.lock_plan(session, project)
            line = _ad_line(await repo.lines_of(session, org_id, project.id))
            touched.setdefault(project.id, (project, set()))
            if line is not None:
                touched[project.id][1].add(line.id)
        by_day = {e.incurred_on: e for e in existing}
        for day, amount in sorted(wanted.items()):
            assert project is not None  # no project: nothing is wanted
            entry = by_day.pop(day, None)
            if entry is None:
                session.add(
                    CostEntry(
                        org_id=org_id,
                        project_id=project.id,
                        line_id=line.id if line else None,
                        category=BudgetCategory.AD_SPEND,
                        kind=CostKind.ACTUAL,
                        amount=amount,
                        currency=currency,
                        rate=Decimal(1),
                        amount_project=amount,
                        incurred_on=day,
                        description=campaign.name[:200],
                        source=CostSource.CHANNEL,
                        channel_campaign_id=campaign.id,
                    )
                )
                out.made += 1
            elif (
                entry.amount != amount
                or entry.project_id != project.id
                or entry.line_id != (line.id if line else None)
            ):
                if entry.project_id != project.id:
                    old = await projects.project_by_id(session, org_id, entry.project_id)
                    if old is not None:
                        touched.setdefault(old.id, (old, set()))
                entry.amount = entry.amount_project = amount
                entry.project_id = project.id
                entry.line_id = line.id if line else None
                out.changed += 1
        for entry in by_day.values():  # days without spend now, or no project any more
            old = await projects.project_by_id(session, org_id, entry.project_id)
            if old is not None:
                touched.setdefault(old.id, (old, set()))
                if entry.line_id is not None:
                    touched[old.id][1].add(entry.line_id)
            await session.delete(entry)
            out.removed += 1
    await session.flush()
    for project, line_ids in touched.values():
        lines = [ln for ln in await repo.lines_of(session, org_id, project.id) if ln.id in line_ids]
        await costs.announce_levels(session, project, lines)
    return out
