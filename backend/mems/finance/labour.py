"""Labour cost (人力成本) derived from the work (issue 10): each person's actual hours on a
project's leaf tasks × their hourly rate (the person resource that is them), kept in the
ledger as one entry per person and project (source `labour`), so every figure — the budget
summary, the overspend list, transparency, the warnings — counts it like any other cost.

An entry is made, changed or removed when the hours or the rate change: hourly by a cron
over the running projects, and at once when someone asks (`sync_now`). It spends the
project's first approved labour line (else it is labour on no line) and is dated the day it
was last priced. A rate in another currency than the project's cannot be converted without
a rate of exchange: those hours are left unpriced and counted as such.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.audit import delete_audited
from mems.core.clock import utcnow
from mems.core.tenancy import ALL_TENANTS, in_tenant
from mems.finance import costs
from mems.finance import repository as repo
from mems.finance.categories import BudgetCategory
from mems.finance.figures import CostKind
from mems.finance.models import BudgetLine, BudgetLineState, CostEntry, CostSource
from mems.finance.money import ZERO, cents
from mems.identity import service as identity
from mems.identity.permissions import Permission
from mems.identity.principal import Principal
from mems.projects import service as projects
from mems.projects.policy import ProjectRight
from mems.resources import service as resources
from mems.work import service as work


@dataclass
class Synced:
    made: int = 0
    changed: int = 0
    removed: int = 0
    unpriced_hours: Decimal = ZERO
    projects: int = 0
    touched_lines: list[BudgetLine] = field(default_factory=list)


def _labour_line(lines: list[BudgetLine]) -> BudgetLine | None:
    for line in lines:
        if line.category == BudgetCategory.LABOUR and line.state == BudgetLineState.APPROVED:
            return line
    return None


async def sync_project(session: AsyncSession, project: Any, today: date) -> Synced:
    """Bring the project's labour entries in line with its hours and rates (the caller holds
    the project's lock)."""
    out = Synced(projects=1)
    hours = await work.actual_hours_by_member(session, project.org_id, project.id)
    rates = await resources.hourly_rates(session, project.org_id)
    lines = await repo.lines_of(session, project.org_id, project.id)
    line = _labour_line(lines)
    existing = {e.labour_member_id: e for e in await repo.labour_entries_of(session, project)}
    for member_id, booked in sorted(hours.items()):
        rate = rates.get(member_id)
        if rate is None or rate[1] != project.currency:
            out.unpriced_hours += booked
            continue
        amount = cents(booked * rate[0])
        entry = existing.pop(member_id, None)
        if amount <= 0:
            if entry is not None:
                existing[member_id] = entry  # removed below
            continue
        description = f"{booked.normalize():f} h × {rate[0]:.2f} {rate[1]}/h"
        if entry is None:
            session.add(
                CostEntry(
                    org_id=project.org_id,
                    project_id=project.id,
                    line_id=line.id if line else None,
                    category=BudgetCategory.LABOUR,
                    phase_id=None,
                    kind=CostKind.ACTUAL,
                    amount=amount,
                    currency=project.currency,
                    rate=Decimal(1),
                    amount_project=amount,
                    incurred_on=today,
                    description=description,
                    source=CostSource.LABOUR,
                    labour_member_id=member_id,
                )
            )
            out.made += 1
        elif entry.amount != amount or entry.line_id != (line.id if line else None):
            entry.amount = amount
            entry.amount_project = amount
            entry.line_id = line.id if line else None
            entry.incurred_on = today
            entry.description = description
            out.changed += 1
    # Members no longer on the project: their entries go in one statement, each audited.
    await delete_audited(session, list(existing.values()))
    out.removed += len(existing)
    await session.flush()
    if out.made or out.changed or out.removed:
        out.touched_lines = [line] if line is not None else []
        await costs.announce_levels(session, project, out.touched_lines)
    return out


async def sync_now(session: AsyncSession, principal: Principal, project_id: uuid.UUID) -> Synced:
    """Price the project's hours now (finance, or whoever manages the project)."""
    right = ProjectRight.VIEW if principal.can(Permission.COSTS_VERIFY) else ProjectRight.MANAGE
    project = await projects.project_for(session, principal, project_id, right)
    await projects.lock_plan(session, project)
    return await sync_project(session, project, await costs.org_today(session, principal))


async def sync_all(session: AsyncSession) -> Synced:
    """Every organisation's running projects (the hourly cron, in a session across
    organisations: each project is priced working in its own)."""
    total = Synced(projects=0)
    zones: dict[uuid.UUID, str] = {}
    for project in await projects.running_projects(session):
        if project.org_id not in zones:
            zones[project.org_id] = (await identity.org_of(session, project.org_id)).timezone
        today = utcnow().astimezone(ZoneInfo(zones[project.org_id])).date()
        in_tenant(session, project.org_id)
        try:
            await projects.lock_plan(session, project)
            done = await sync_project(session, project, today)
        finally:
            in_tenant(session, ALL_TENANTS)
        total.made += done.made
        total.changed += done.changed
        total.removed += done.removed
        total.unpriced_hours += done.unpriced_hours
        total.projects += 1
    return total
