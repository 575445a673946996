"""SQL for the strategy domain."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    String,
    Uuid,
    and_,
    bindparam,
    exists,
    func,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute, aliased

from mems.core.db import Reader, ReadStatement
from mems.core.pagination import PageParams, paginate
from mems.core.tenancy import scoped
from mems.strategy.models import (
    KeyResult,
    KeyResultCheckIn,
    Objective,
    StrategyPeriod,
    ValueSource,
)


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


# A column a read statement holds an id in (mapped or not).
_Column = ColumnElement[Any] | QueryableAttribute[Any]


def goal_title_of(goal_id: _Column) -> ColumnElement[str]:
    """SQL for other domains' reads: the title of the goal `goal_id` refers to ('' when none
    does), a subquery correlated to the row that holds the id (tenant-filtered like the
    statement around it)."""
    goal = aliased(Objective)
    title = select(goal.title).where(goal.id == goal_id).scalar_subquery()
    return func.coalesce(title, "")


def kpi_name_of(kpi_id: _Column, goal_id: _Column) -> ColumnElement[str | None]:
    """SQL for other domains' reads: the name of the key result `kpi_id` refers to when it
    belongs to the goal `goal_id` (NULL otherwise), correlated like `goal_title_of`."""
    kpi = aliased(KeyResult)
    return select(kpi.name).where(kpi.id == kpi_id, kpi.objective_id == goal_id).scalar_subquery()


# ---- reads for the goal pages (compiled once, rows as dicts) -------------------------------


def _goal_columns() -> tuple[Any, ...]:
    return (
        Objective.id,
        Objective.period_id,
        Objective.parent_id,
        Objective.level,
        Objective.title,
        Objective.description,
        Objective.owner_member_id,
        Objective.owner_team_id,
        Objective.weight,
        Objective.created_at,
        Objective.updated_at,
        Objective.version,
    )


def _kpi_columns() -> tuple[Any, ...]:
    return (
        KeyResult.id,
        KeyResult.objective_id,
        KeyResult.name,
        KeyResult.unit,
        KeyResult.baseline,
        KeyResult.target,
        KeyResult.direction,
        KeyResult.weight,
        KeyResult.owner_member_id,
        KeyResult.due_on,
        KeyResult.source,
        KeyResult.source_config,
        KeyResult.current_value,
        KeyResult.current_as_of,
        KeyResult.created_at,
        KeyResult.updated_at,
        KeyResult.version,
    )


@dataclass(frozen=True)
class GoalFilter:
    """Which goals a goal list shows (each given filter narrows it)."""

    period_id: uuid.UUID | None = None
    parent_id: uuid.UUID | None = None
    roots_only: bool = False
    owner_member_id: uuid.UUID | None = None

    @property
    def params(self) -> dict[str, Any]:
        return {
            "period_id": self.period_id,
            "parent_id": self.parent_id,
            "owner_member_id": self.owner_member_id,
        }


@dataclass(frozen=True)
class _GoalListReads:
    page: ReadStatement  # the page's goals, each with the count of all (`total`)
    count: ReadStatement  # the count alone (a page past the end has no row to carry it)
    facts: ReadStatement  # what the roll-up needs of every goal in the page's periods


@cache
def _goal_list_reads(period: bool, parent: bool, roots: bool, owner: bool) -> _GoalListReads:
    """The goal list's statements for one combination of filters, built on first use."""
    conditions: list[ColumnElement[bool]] = []
    if period:
        conditions.append(Objective.period_id == bindparam("period_id", type_=Uuid))
    if parent:
        conditions.append(Objective.parent_id == bindparam("parent_id", type_=Uuid))
    if roots:
        conditions.append(Objective.parent_id.is_(None))
    if owner:
        conditions.append(Objective.owner_member_id == bindparam("owner_member_id", type_=Uuid))
    order = (Objective.created_at, Objective.id)
    limit, offset = bindparam("limit", type_=Integer), bindparam("offset", type_=Integer)
    page = (
        select(*_goal_columns(), func.count().over().label("total"))
        .where(*conditions)
        .order_by(*order)
        .limit(limit)
        .offset(offset)
    )
    count = select(func.count().label("total")).select_from(Objective).where(*conditions)
    # The roll-up needs the whole tree of each period on the page (not an id list: the page's
    # own filter, as a subquery).
    periods = select(Objective.period_id).where(*conditions).order_by(*order)
    periods = periods.limit(limit).offset(offset)
    facts = (
        select(
            Objective.id,
            Objective.parent_id,
            Objective.weight,
            KeyResult.id.label("kpi_id"),
            KeyResult.baseline,
            KeyResult.target,
            KeyResult.current_value,
            KeyResult.weight.label("kpi_weight"),
        )
        .outerjoin(
            KeyResult,
            and_(KeyResult.org_id == Objective.org_id, KeyResult.objective_id == Objective.id),
        )
        .where(Objective.period_id.in_(periods.scalar_subquery()))
        .order_by(*order, KeyResult.created_at, KeyResult.id)
    )
    return _GoalListReads(ReadStatement(page), ReadStatement(count), ReadStatement(facts))


def _list_reads(filters: GoalFilter) -> _GoalListReads:
    return _goal_list_reads(
        filters.period_id is not None,
        filters.parent_id is not None,
        filters.roots_only,
        filters.owner_member_id is not None,
    )


async def goal_page_view(
    reader: Reader, filters: GoalFilter, params: PageParams
) -> tuple[list[dict[str, Any]], int]:
    """One page of goals (plain columns, oldest first; each also carries `total`) and the
    number of all that match: one statement, two for a page past the end."""
    reads = _list_reads(filters)
    page = {"limit": params.limit, "offset": params.offset}
    rows = await reader.all(reads.page, **filters.params, **page)
    if rows:
        return rows, int(rows[0]["total"])
    if params.offset == 0:
        return [], 0
    counted = await reader.first(reads.count, **filters.params)
    return [], int(counted["total"]) if counted else 0


async def goal_facts_of_page_view(
    reader: Reader, filters: GoalFilter, params: PageParams
) -> list[dict[str, Any]]:
    """Every goal of the periods of that page's goals, once per key result (`kpi_id` None
    for a goal without any): id, parent, weight, and its key results' values and weights."""
    reads = _list_reads(filters)
    return await reader.all(reads.facts, **filters.params, limit=params.limit, offset=params.offset)


@cache
def _subtree() -> CTE:
    """The ids of a goal (`:goal_id`) and of every goal under it."""
    top = select(Objective.id).where(Objective.id == bindparam("goal_id", type_=Uuid))
    tree = top.cte("subtree", recursive=True)
    below = aliased(Objective)
    return tree.union_all(select(below.id).join(tree, below.parent_id == tree.c.id))


def subtree_goal_ids() -> Select[tuple[uuid.UUID]]:
    """A select of the ids of goal `:goal_id` and every goal under it, for other domains'
    reads about a goal's subtree (bind `goal_id`)."""
    return _subtree_ids()


@cache
def _subtree_ids() -> Select[tuple[uuid.UUID]]:
    return select(_subtree().c.id)


@cache
def _subtree_reads() -> tuple[ReadStatement, ReadStatement]:
    ids = _subtree_ids()
    goals = select(*_goal_columns()).where(Objective.id.in_(ids))
    kpis = select(*_kpi_columns()).where(KeyResult.objective_id.in_(ids))
    return (
        ReadStatement(goals.order_by(Objective.created_at, Objective.id)),
        ReadStatement(kpis.order_by(KeyResult.created_at, KeyResult.id)),
    )


async def subtree_goals_view(reader: Reader, goal_id: uuid.UUID) -> list[dict[str, Any]]:
    """The goal and every goal under it (plain columns, oldest first); none for a goal not
    found."""
    return await reader.all(_subtree_reads()[0], goal_id=goal_id)


async def subtree_kpis_view(reader: Reader, goal_id: uuid.UUID) -> list[dict[str, Any]]:
    """The key results of the goal and of every goal under it (plain columns, oldest first)."""
    return await reader.all(_subtree_reads()[1], goal_id=goal_id)


async def kpis_by_ids(
    session: AsyncSession, org_id: uuid.UUID, ids: list[uuid.UUID]
) -> list[KeyResult]:
    return list((await session.scalars(scoped(KeyResult, org_id, KeyResult.id.in_(ids)))).all())


async def channel_metric_kpis(
    session: AsyncSession, org_id: uuid.UUID
) -> list[tuple[KeyResult, date, date]]:
    """The organisation's KPIs whose value comes from channel data, with their goal's period."""
    stmt = (
        select(KeyResult, StrategyPeriod.starts_on, StrategyPeriod.ends_on)
        .join(Objective, Objective.id == KeyResult.objective_id)
        .join(StrategyPeriod, StrategyPeriod.id == Objective.period_id)
        .where(KeyResult.org_id == org_id, KeyResult.source == ValueSource.CHANNEL_METRIC)
    )
    return [(r[0], r[1], r[2]) for r in (await session.execute(stmt)).all()]


async def orgs_with_channel_kpis(session: AsyncSession) -> set[uuid.UUID]:
    """Every organisation with a KPI computed from channel data (a system job's read)."""
    stmt = select(KeyResult.org_id).where(KeyResult.source == ValueSource.CHANNEL_METRIC)
    return set((await session.scalars(stmt.distinct())).all())
