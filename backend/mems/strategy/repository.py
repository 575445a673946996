"""SQL for the strategy domain."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Select,
    String,
    bindparam,
    exists,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.pagination import PageParams, paginate
from mems.core.tenancy import scoped
from mems.strategy.models import KeyResult, KeyResultCheckIn, Objective, StrategyPeriod


async def get_period(
    session: AsyncSession, org_id: uuid.UUID, period_id: uuid.UUID
) -> StrategyPeriod | None:
    return await session.scalar(scoped(StrategyPeriod, org_id, StrategyPeriod.id == period_id))


async def period_name_taken(
    session: AsyncSession, org_id: uuid.UUID, name: str, but: uuid.UUID | None
) -> bool:
    stmt = scoped(StrategyPeriod, org_id, StrategyPeriod.name == name)
    if but is not None:
        stmt = stmt.where(StrategyPeriod.id != but)
    return await session.scalar(select(exists(stmt))) or False


async def list_periods(
    session: AsyncSession, org_id: uuid.UUID, params: PageParams
) -> tuple[list[StrategyPeriod], int]:
    stmt = scoped(StrategyPeriod, org_id).order_by(
        StrategyPeriod.starts_on.desc(), StrategyPeriod.kind.desc()
    )
    return await paginate(session, stmt, params)


async def period_in_use(session: AsyncSession, org_id: uuid.UUID, period_id: uuid.UUID) -> bool:
    goals = scoped(Objective, org_id, Objective.period_id == period_id)
    quarters = scoped(StrategyPeriod, org_id, StrategyPeriod.parent_id == period_id)
    return bool(await session.scalar(select(exists(goals) | exists(quarters))))


async def get_goal(
    session: AsyncSession, org_id: uuid.UUID, goal_id: uuid.UUID
) -> Objective | None:
    return await session.scalar(scoped(Objective, org_id, Objective.id == goal_id))


async def goals_of_periods(
    session: AsyncSession, org_id: uuid.UUID, period_ids: Sequence[uuid.UUID]
) -> list[Objective]:
    stmt = scoped(Objective, org_id, Objective.period_id.in_(period_ids)).order_by(
        Objective.created_at, Objective.id
    )
    return list((await session.scalars(stmt)).all())


async def goals_by_ids(
    session: AsyncSession, org_id: uuid.UUID, goal_ids: Iterable[uuid.UUID]
) -> list[Objective]:
    ids = list(goal_ids)
    if not ids:
        return []
    return list((await session.scalars(scoped(Objective, org_id, Objective.id.in_(ids)))).all())


async def kpis_of_goals(
    session: AsyncSession, org_id: uuid.UUID, goal_ids: Sequence[uuid.UUID]
) -> list[KeyResult]:
    stmt = scoped(KeyResult, org_id, KeyResult.objective_id.in_(goal_ids)).order_by(
        KeyResult.created_at, KeyResult.id
    )
    return list((await session.scalars(stmt)).all())


async def list_goals(
    session: AsyncSession,
    org_id: uuid.UUID,
    params: PageParams,
    *,
    period_id: uuid.UUID | None,
    parent_id: uuid.UUID | None,
    roots_only: bool,
    owner_member_id: uuid.UUID | None,
) -> tuple[list[Objective], int]:
    stmt = scoped(Objective, org_id)
    if period_id is not None:
        stmt = stmt.where(Objective.period_id == period_id)
    if parent_id is not None:
        stmt = stmt.where(Objective.parent_id == parent_id)
    if roots_only:
        stmt = stmt.where(Objective.parent_id.is_(None))
    if owner_member_id is not None:
        stmt = stmt.where(Objective.owner_member_id == owner_member_id)
    return await paginate(session, stmt.order_by(Objective.created_at, Objective.id), params)


async def goal_has_children(session: AsyncSession, org_id: uuid.UUID, goal_id: uuid.UUID) -> bool:
    children = scoped(Objective, org_id, Objective.parent_id == goal_id)
    kpis = scoped(KeyResult, org_id, KeyResult.objective_id == goal_id)
    return bool(await session.scalar(select(exists(children) | exists(kpis))))


async def get_kpi(session: AsyncSession, org_id: uuid.UUID, kpi_id: uuid.UUID) -> KeyResult | None:
    return await session.scalar(scoped(KeyResult, org_id, KeyResult.id == kpi_id))


async def list_kpis(
    session: AsyncSession, org_id: uuid.UUID, params: PageParams, objective_id: uuid.UUID | None
) -> tuple[list[KeyResult], int]:
    stmt = scoped(KeyResult, org_id)
    if objective_id is not None:
        stmt = stmt.where(KeyResult.objective_id == objective_id)
    return await paginate(session, stmt.order_by(KeyResult.created_at, KeyResult.id), params)


async def list_check_ins(
    session: AsyncSession, org_id: uuid.UUID, kpi_id: uuid.UUID, params: PageParams
) -> tuple[list[KeyResultCheckIn], int]:
    stmt = scoped(KeyResultCheckIn, org_id, KeyResultCheckIn.key_result_id == kpi_id).order_by(
        KeyResultCheckIn.checked_on.desc(), KeyResultCheckIn.created_at.desc()
    )
    return await paginate(session, stmt, params)


async def latest_check_in(
    session: AsyncSession, org_id: uuid.UUID, kpi_id: uuid.UUID
) -> KeyResultCheckIn | None:
    stmt = (
        scoped(KeyResultCheckIn, org_id, KeyResultCheckIn.key_result_id == kpi_id)
        .order_by(KeyResultCheckIn.checked_on.desc(), KeyResultCheckIn.created_at.desc())
        .limit(1)
    )
    return await session.scalar(stmt)


@cache
def _titles_statements() -> tuple[Select[str, uuid.UUID, str], CompoundSelect[Any]]:
    """Goal titles; and goal titles with the names of the given key results of those goals.
    Built once, on first use (a hot read)."""
    goals = select(literal_column("'goal'", String), Objective.id, Objective.title).where(
        Objective.org_id == bindparam("org_id"),
        Objective.id.in_(bindparam("goal_ids", expanding=True)),
    )
    kpis = select(literal_column("'kpi'", String), KeyResult.id, KeyResult.name).where(
        KeyResult.org_id == bindparam("org_id"),
        KeyResult.objective_id.in_(bindparam("goal_ids", expanding=True)),
        KeyResult.id.in_(bindparam("kpi_ids", expanding=True)),
    )
    return goals, union_all(goals, kpis)


async def titles(
    session: AsyncSession,
    org_id: uuid.UUID,
    goal_ids: Sequence[uuid.UUID],
    kpi_ids: Sequence[uuid.UUID],
) -> tuple[dict[uuid.UUID, str], dict[uuid.UUID, str]]:
    """Goal titles by id, and the names of those of `kpi_ids` that belong to these goals
    (one statement)."""
    goals_only, with_kpis = _titles_statements()
    stmt = with_kpis if kpi_ids else goals_only
    params = {"org_id": org_id, "goal_ids": list(goal_ids), "kpi_ids": list(kpi_ids)}
    out: dict[str, dict[uuid.UUID, str]] = {"goal": {}, "kpi": {}}
    for kind, id_, label in await session.execute(stmt, params):
        out[kind][id_] = label
    return out["goal"], out["kpi"]
