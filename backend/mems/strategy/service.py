"""Strategy rules: periods, the goal tree, KPIs and their check-ins, progress."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from mems.channels import metrics
from mems.core.clock import utcnow
from mems.core.db import Reader
from mems.core.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from mems.core.i18n import _, term
from mems.core.jobs import enqueue_after_commit
from mems.core.pagination import PageParams
from mems.core.versioning import apply_changes, changes_to
from mems.identity import service as identity
from mems.identity.permissions import Permission
from mems.identity.principal import Principal
from mems.projects.lifecycle import ProjectStatus
from mems.strategy import repository as repo
from mems.strategy.models import (
    KeyResult,
    KeyResultCheckIn,
    Objective,
    PeriodKind,
    StrategyPeriod,
    ValueSource,
)
from mems.strategy.rollup import (
    KeyResultFacts,
    ObjectiveFacts,
    Progress,
    attainment,
    rollup,
    would_cycle,
)
from mems.strategy.schemas import (
    CheckInCreate,
    GoalCreate,
    GoalUpdate,
    KpiCreate,
    KpiUpdate,
    PeriodCreate,
    PeriodUpdate,
    check_kpi_values,
)


def _invalid(field: str, message: str, type_: str = "invalid") -> ValidationFailed:
    return ValidationFailed(message, errors=[FieldError(field=field, message=message, type=type_)])


# ---- for other domains (projects link to periods, goals and KPIs) ------------------------------


async def find_period(
    session: AsyncSession, org_id: uuid.UUID, period_id: uuid.UUID
) -> StrategyPeriod | None:
    return await repo.get_period(session, org_id, period_id)


async def goals_by_ids(
    session: AsyncSession, org_id: uuid.UUID, goal_ids: Iterable[uuid.UUID]
) -> list[Objective]:
    return await repo.goals_by_ids(session, org_id, goal_ids)


async def kpis_of_goals(
    session: AsyncSession, org_id: uuid.UUID, goal_ids: Sequence[uuid.UUID]
) -> list[KeyResult]:
    """The key results of these goals, oldest first."""
    return await repo.kpis_of_goals(session, org_id, goal_ids)


# ---- periods -------------------------------------------------------------------------------


async def get_period(
    session: AsyncSession, principal: Principal, period_id: uuid.UUID
) -> StrategyPeriod:
    period = await repo.get_period(session, principal.org_id, period_id)
    if period is None:
        raise NotFound(_("Strategy period {period_id} not found.", period_id=period_id))
    return period


async def list_periods(
    session: AsyncSession, principal: Principal, params: PageParams
) -> tuple[list[StrategyPeriod], int]:
    return await repo.list_periods(session, principal.org_id, params)


async def _check_period(
    session: AsyncSession,
    principal: Principal,
    name: str,
    kind: PeriodKind,
    starts_on: date,
    ends_on: date,
    parent_id: uuid.UUID | None,
    period_id: uuid.UUID | None,
) -> None:
    if ends_on < starts_on:
        raise _invalid("ends_on", "ends_on must not be before starts_on", "dates_out_of_order")
    if await repo.period_name_taken(session, principal.org_id, name, period_id):
        raise Conflict(
            _("A strategy period named “{name}” already exists.", name=name),
            errors=[FieldError(field="name", message="already used", type="duplicate")],
        )
    if parent_id is not None:
        parent = await repo.get_period(session, principal.org_id, parent_id)
        if parent is None or parent.kind != PeriodKind.YEAR or kind != PeriodKind.QUARTER:
            raise _invalid(
                "parent_id",
                "only a quarter may have a parent, and it must be a year of this organisation",
            )
        if starts_on < parent.starts_on or ends_on > parent.ends_on:
            raise _invalid(
                "starts_on", f"the quarter must lie within {parent.name}", "outside_parent"
            )


async def create_period(
    session: AsyncSession, principal: Principal, body: PeriodCreate
) -> StrategyPeriod:
    await _check_period(
        session, principal, body.name, body.kind, body.starts_on, body.ends_on, body.parent_id, None
    )
    period = StrategyPeriod(org_id=principal.org_id, **body.model_dump())
    session.add(period)
    await session.flush()
    return period


async def update_period(
    session: AsyncSession,
    principal: Principal,
    period_id: uuid.UUID,
    body: PeriodUpdate,
    if_match: str | None,
) -> StrategyPeriod:
    period = await get_period(session, principal, period_id)
    changes = changes_to(period, body, if_match)
    await _check_period(
        session,
        principal,
        changes.get("name", period.name),
        period.kind,
        changes.get("starts_on", period.starts_on),
        changes.get("ends_on", period.ends_on),
        period.parent_id,
        period.id,
    )
    apply_changes(period, changes)
    await session.flush()
    return period


async def delete_period(session: AsyncSession, principal: Principal, period_id: uuid.UUID) -> None:
    period = await get_period(session, principal, period_id)
    if await repo.period_in_use(session, principal.org_id, period.id):
        raise Conflict(_("The period still has goals or quarters; remove them first."))
    await session.delete(period)
    await session.flush()


# ---- progress ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalTree:
    """A period's goals and KPIs, indexed by goal once, with progress rolled up."""

    kpis_by_goal: dict[uuid.UUID, list[KeyResult]]
    children_by_goal: dict[uuid.UUID, list[Objective]]
    progress: dict[uuid.UUID, Progress | None]

    def kpis_of(self, goal_id: uuid.UUID) -> list[KeyResult]:
        return self.kpis_by_goal.get(goal_id, [])

    def children_of(self, goal_id: uuid.UUID) -> list[Objective]:
        return self.children_by_goal.get(goal_id, [])


def kpi_attainment(kpi: KeyResult) -> Progress:
    return attainment(kpi.baseline, kpi.target, kpi.current_value)


async def load_tree(
    session: AsyncSession, principal: Principal, period_ids: list[uuid.UUID]
) -> GoalTree:
    """Every goal and KPI of these periods, with progress rolled up (two queries)."""
    goals = await repo.goals_of_periods(session, principal.org_id, period_ids)
    kpis_by_goal: dict[uuid.UUID, list[KeyResult]] = {}
    for k in await repo.kpis_of_goals(session, principal.org_id, [g.id for g in goals]):
        kpis_by_goal.setdefault(k.objective_id, []).append(k)
    children_by_goal: dict[uuid.UUID, list[Objective]] = {}
    for g in goals:
        if g.parent_id is not None:
            children_by_goal.setdefault(g.parent_id, []).append(g)
    facts = [
        ObjectiveFacts(
            g.id,
            g.parent_id,
            g.weight,
            tuple(
                KeyResultFacts(k.id, k.baseline, k.target, k.current_value, k.weight)
                for k in kpis_by_goal.get(g.id, [])
            ),
        )
        for g in goals
    ]
    return GoalTree(kpis_by_goal, children_by_goal, rollup(facts))


# ---- goals ---------------------------------------------------------------------------------


async def get_goal(session: AsyncSession, principal: Principal, goal_id: uuid.UUID) -> Objective:
    goal = await repo.get_goal(session, principal.org_id, goal_id)
    if goal is None:
        raise NotFound(_("Goal {goal_id} not found.", goal_id=goal_id))
    return goal


async def _check_owner(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID | None
) -> None:
    if member_id is not None and not await identity.is_member(session, principal.org_id, member_id):
        raise _invalid("owner_member_id", "no such member in this organisation", "unknown_member")


async def _check_team(
    session: AsyncSession, principal: Principal, team_id: uuid.UUID | None
) -> None:
    if team_id is not None and not await identity.is_team(session, principal.org_id, team_id):
        raise _invalid("owner_team_id", "no such team in this organisation", "unknown_team")


async def _check_parent(
    session: AsyncSession, principal: Principal, period_id: uuid.UUID, parent_id: uuid.UUID | None
) -> None:
    if parent_id is None:
        return
    parent = await repo.get_goal(session, principal.org_id, parent_id)
    if parent is None:
        raise _invalid("parent_id", "no such goal in this organisation", "unknown_goal")
    if parent.period_id != period_id:
        raise _invalid("parent_id", "the parent goal belongs to another period", "other_period")


async def create_goal(session: AsyncSession, principal: Principal, body: GoalCreate) -> Objective:
    if await repo.get_period(session, principal.org_id, body.period_id) is None:
        raise _invalid(
            "period_id", "no such strategy period in this organisation", "unknown_period"
        )
    await _check_parent(session, principal, body.period_id, body.parent_id)
    await _check_owner(session, principal, body.owner_member_id)
    await _check_team(session, principal, body.owner_team_id)
    goal = Objective(org_id=principal.org_id, **body.model_dump())
    session.add(goal)
    await session.flush()
    return goal


async def update_goal(
    session: AsyncSession,
    principal: Principal,
    goal_id: uuid.UUID,
    body: GoalUpdate,
    if_match: str | None,
) -> Objective:
    goal = await get_goal(session, principal, goal_id)
    changes = changes_to(goal, body, if_match)
    if "parent_id" in changes and changes["parent_id"] != goal.parent_id:
        new_parent = changes["parent_id"]
        await _check_parent(session, principal, goal.period_id, new_parent)
        tree = await repo.goals_of_periods(session, principal.org_id, [goal.period_id])
        if would_cycle({g.id: g.parent_id for g in tree}, goal.id, new_parent):
            raise _invalid(
                "parent_id", "a goal cannot sit under itself or its own sub-goals", "cycle"
            )
    if "owner_member_id" in changes:
        await _check_owner(session, principal, changes["owner_member_id"])
    if "owner_team_id" in changes:
        await _check_team(session, principal, changes["owner_team_id"])
    apply_changes(goal, changes)
    await session.flush()
    return goal


async def delete_goal(session: AsyncSession, principal: Principal, goal_id: uuid.UUID) -> None:
    goal = await get_goal(session, principal, goal_id)
    if await repo.goal_has_children(session, principal.org_id, goal.id):
        raise Conflict(_("The goal still has sub-goals or KPIs; remove or move them first."))
    await session.delete(goal)
    await session.flush()


# ---- KPIs ----------------------------------------------------------------------------------


async def get_kpi(session: AsyncSession, principal: Principal, kpi_id: uuid.UUID) -> KeyResult:
    kpi = await repo.get_kpi(session, principal.org_id, kpi_id)
    if kpi is None:
        raise NotFound(_("KPI {kpi_id} not found.", kpi_id=kpi_id))
    return kpi


# A channel-metric KPI's query: which metric, over which campaigns (those of the projects
# linked to the KPI's goal, or all the organisation's), of one channel or all, over the goal's
# period. Ratios (CTR, CVR, ROI) are given in percent, ROAS as a plain ratio.
CHANNEL_QUERY_KEYS = frozenset({"metric", "scope", "channel"})
CHANNEL_SCOPES = ("goal_projects", "org")
CHANNEL_REFRESH_JOB = "channels.refresh_kpis"  # the channel domain's job computes the values
METRIC_HINT = (
    "one of impressions, clicks, spend, conversions, revenue, leads, followers, ctr, cvr, "
    "cpc, cpm, cpa, roas, roi"
)


def check_source_config(source: ValueSource, config: dict[str, Any]) -> dict[str, Any]:
    """The query a KPI's source needs, checked (the field at fault named); the defaults filled
    in. A manual or task-completion KPI has none."""
    if source != ValueSource.CHANNEL_METRIC:
        if config:
            raise _invalid("source_config", "only a channel_metric KPI has a query", "unexpected")
        return {}
    unknown = set(config) - CHANNEL_QUERY_KEYS
    if unknown:
        raise _invalid(f"source_config.{sorted(unknown)[0]}", "not part of a metric query", "extra")
    metric = config.get("metric")
    if metric not in metrics.ALL:
        raise _invalid("source_config.metric", METRIC_HINT, "unknown_metric")
    scope = config.get("scope", "goal_projects")
    if scope not in CHANNEL_SCOPES:
        raise _invalid("source_config.scope", "goal_projects or org", "unknown_scope")
    channel = config.get("channel")
    if channel is not None and (not isinstance(channel, str) or not 0 < len(channel) <= 40):
        raise _invalid("source_config.channel", "a channel's key, e.g. douyin", "invalid")
    return {"metric": metric, "scope": scope, **({"channel": channel} if channel else {})}


async def create_kpi(session: AsyncSession, principal: Principal, body: KpiCreate) -> KeyResult:
    if await repo.get_goal(session, principal.org_id, body.objective_id) is None:
        raise _invalid("objective_id", "no such goal in this organisation", "unknown_goal")
    check_kpi_values(body.baseline, body.target, body.direction)
    await _check_owner(session, principal, body.owner_member_id)
    values = body.model_dump()
    values["source_config"] = check_source_config(body.source, body.source_config)
    kpi = KeyResult(org_id=principal.org_id, **values)
    session.add(kpi)
    await session.flush()
    if kpi.source == ValueSource.CHANNEL_METRIC:
        enqueue_after_commit(session, CHANNEL_REFRESH_JOB, org_id=str(principal.org_id))
    return kpi


async def update_kpi(
    session: AsyncSession,
    principal: Principal,
    kpi_id: uuid.UUID,
    body: KpiUpdate,
    if_match: str | None,
) -> KeyResult:
    kpi = await get_kpi(session, principal, kpi_id)
    changes = changes_to(kpi, body, if_match)
    check_kpi_values(
        changes.get("baseline", kpi.baseline),
        changes.get("target", kpi.target),
        changes.get("direction", kpi.direction),
    )
    if "owner_member_id" in changes:
        await _check_owner(session, principal, changes["owner_member_id"])
    apply_changes(kpi, changes)
    await session.flush()
    if kpi.source == ValueSource.CHANNEL_METRIC:
        enqueue_after_commit(session, CHANNEL_REFRESH_JOB, org_id=str(principal.org_id))
    return kpi


# ---- KPIs whose values come from channel data (computed by the channel domain) ---------------


@dataclass(frozen=True)
class ChannelKpi:
    kpi: KeyResult
    starts_on: date
    ends_on: date  # the goal's period


async def channel_metric_kpis(session: AsyncSession, org_id: uuid.UUID) -> list[ChannelKpi]:
    rows = await repo.channel_metric_kpis(session, org_id)
    return [ChannelKpi(kpi, first, last) for kpi, first, last in rows]


async def orgs_with_channel_kpis(session: AsyncSession) -> set[uuid.UUID]:
    return await repo.orgs_with_channel_kpis(session)


def set_computed_value(kpi: KeyResult, value: Decimal | None, as_of: date) -> bool:
    """A computed value for the KPI (as of a day); whether it changed."""
    if value is not None:
        value = value.quantize(Decimal("0.0001"))
    changed = (kpi.current_value, kpi.current_as_of) != (value, as_of)
    if changed:
        kpi.current_value, kpi.current_as_of = value, as_of
    return changed


async def delete_kpi(session: AsyncSession, principal: Principal, kpi_id: uuid.UUID) -> None:
    kpi = await get_kpi(session, principal, kpi_id)
    await session.delete(kpi)
    await session.flush()


async def list_kpis(
    session: AsyncSession, principal: Principal, params: PageParams, objective_id: uuid.UUID | None
) -> tuple[list[KeyResult], int]:
    return await repo.list_kpis(session, principal.org_id, params, objective_id)


def _today(org_timezone: str) -> date:
    return datetime.now(ZoneInfo(org_timezone)).date()


async def check_in(
    session: AsyncSession, principal: Principal, kpi_id: uuid.UUID, body: CheckInCreate
) -> KeyResultCheckIn:
    """Record a dated value. Owners check in on their KPIs; strategy managers on any."""
    kpi = await get_kpi(session, principal, kpi_id)
    if not principal.owns_or_can(kpi.owner_member_id, Permission.STRATEGY_MANAGE):
        raise Forbidden(_("Only the KPI's owner or a strategy manager may check in on it."))
    if kpi.source != ValueSource.MANUAL:
        raise Conflict(
            _(
                "This KPI's value comes from {source}; it takes no manual check-ins.",
                source=term(kpi.source.value),
            )
        )
    org = await identity.get_org(session, principal)
    checked_on = body.checked_on or _today(org.timezone)
    if checked_on > _today(org.timezone):
        raise _invalid("checked_on", "a check-in cannot be dated in the future", "future_date")
    entry = KeyResultCheckIn(
        org_id=principal.org_id,
        key_result_id=kpi.id,
        value=body.value,
        checked_on=checked_on,
        note=body.note,
        created_by_member_id=principal.membership_id,
        created_at=utcnow(),
    )
    session.add(entry)
    await session.flush()
    latest = await repo.latest_check_in(session, principal.org_id, kpi.id)
    if latest is not None:
        kpi.current_value, kpi.current_as_of = latest.value, latest.checked_on
    await session.flush()
    return entry


async def list_check_ins(
    session: AsyncSession, principal: Principal, kpi_id: uuid.UUID, params: PageParams
) -> tuple[list[KeyResultCheckIn], int]:
    kpi = await get_kpi(session, principal, kpi_id)
    return await repo.list_check_ins(session, principal.org_id, kpi.id, params)


async def goal_and_kpi_names(
    session: AsyncSession,
    org_id: uuid.UUID,
    goal_ids: Iterable[uuid.UUID],
    kpi_ids: Iterable[uuid.UUID],
) -> tuple[dict[uuid.UUID, str], dict[uuid.UUID, str]]:
    """For other domains that name goals and their key results (a project's goal links):
    goal titles by id, and key result names by id for those that belong to these goals; one
    query, none without goals."""
    goals, kpis = sorted(set(goal_ids)), sorted(set(kpi_ids))
    if not goals:
        return {}, {}
    return await repo.titles(session, org_id, goals, kpis)


# A column a read statement holds an id in (mapped or not).
_Column = ColumnElement[Any] | QueryableAttribute[Any]


def goal_title_of(goal_id: _Column) -> ColumnElement[str]:
    """For other domains' read statements that name the goals they link to: the SQL for the
    title of the goal whose id is in `goal_id` ('' when there is none)."""
    return repo.goal_title_of(goal_id)


def kpi_name_of(kpi_id: _Column, goal_id: _Column) -> ColumnElement[str | None]:
    """For other domains' read statements: the SQL for the name of the key result whose id
    is in `kpi_id` when it belongs to the goal in `goal_id` (NULL otherwise), as
    `goal_and_kpi_names` names them."""
    return repo.kpi_name_of(kpi_id, goal_id)


# ---- reads for the goal pages (plain rows to JSON, no ORM) ---------------------------------


def _progress_view(p: Progress | None) -> dict[str, float] | None:
    """`ProgressRead` as JSON."""
    return None if p is None else {"capped": round(p.capped, 4), "uncapped": round(p.uncapped, 4)}


def _goal_view(row: dict[str, Any], progress: dict[uuid.UUID, Progress | None]) -> dict[str, Any]:
    """`GoalRead` from a goal's row and the period's rolled-up progress."""
    return {
        "id": row["id"],
        "period_id": row["period_id"],
        "parent_id": row["parent_id"],
        "level": row["level"],
        "title": row["title"],
        "description": row["description"],
        "owner_member_id": row["owner_member_id"],
        "owner_team_id": row["owner_team_id"],
        "weight": row["weight"],
        "progress": _progress_view(progress.get(row["id"])),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "version": row["version"],
    }


def _kpi_view(row: dict[str, Any]) -> dict[str, Any]:
    """`KpiRead` from a key result's row."""
    row["attainment"] = _progress_view(
        attainment(row["baseline"], row["target"], row["current_value"])
    )
    return row


def _rolled_up_rows(rows: list[dict[str, Any]]) -> dict[uuid.UUID, Progress | None]:
    """Progress of every goal in `rows` (one per goal and key result, `kpi_id` None for a
    goal without any, goals in order)."""
    goals: dict[uuid.UUID, tuple[uuid.UUID | None, Decimal, list[KeyResultFacts[uuid.UUID]]]] = {}
    for row in rows:
        goal = goals.get(row["id"])
        if goal is None:
            goal = goals[row["id"]] = (row["parent_id"], row["weight"], [])
        if row["kpi_id"] is not None:
            goal[2].append(
                KeyResultFacts(
                    row["kpi_id"],
                    row["baseline"],
                    row["target"],
                    row["current_value"],
                    row["kpi_weight"],
                )
            )
    return rollup(
        ObjectiveFacts(goal_id, parent_id, weight, tuple(kpis))
        for goal_id, (parent_id, weight, kpis) in goals.items()
    )


async def view_goals(
    reader: Reader,
    principal: Principal,
    params: PageParams,
    *,
    period_id: uuid.UUID | None,
    parent_id: uuid.UUID | None,
    roots_only: bool,
    owner_member_id: uuid.UUID | None,
) -> dict[str, Any]:
    """A page of goals (`Page[GoalRead]` as JSON), each with its progress rolled up over its
    period's whole tree: two statements whatever the page holds."""
    filters = repo.GoalFilter(period_id, parent_id, roots_only, owner_member_id)
    rows, total = await repo.goal_page_view(reader, filters, params)
    progress = (
        _rolled_up_rows(await repo.goal_facts_of_page_view(reader, filters, params)) if rows else {}
    )
    return {
        "items": [_goal_view(row, progress) for row in rows],
        "total": total,
        "limit": params.limit,
        "offset": params.offset,
    }


@dataclass(frozen=True)
class GoalSubtree:
    """A goal and every goal under it, with their key results (rows)."""

    goal_id: uuid.UUID
    goals: list[dict[str, Any]]
    kpis: list[dict[str, Any]]


async def goal_subtree(reader: Reader, principal: Principal, goal_id: uuid.UUID) -> GoalSubtree:
    """The goal's subtree (NotFound for a goal the caller's organisation does not have)."""
    goals = await repo.subtree_goals_view(reader, goal_id)
    if not goals:
        raise NotFound(_("Goal {goal_id} not found.", goal_id=goal_id))
    return GoalSubtree(goal_id, goals, await repo.subtree_kpis_view(reader, goal_id))


def subtree_goal_ids() -> Select[tuple[uuid.UUID]]:
    """For other domains' reads about a goal's subtree (`goal_subtree`): a select of the ids
    of goal `:goal_id` and of every goal under it (bind `goal_id`); the same object each time."""
    return repo.subtree_goal_ids()


_NOT_WORK = frozenset({ProjectStatus.REJECTED, ProjectStatus.CANCELLED})


def goal_tree_view(subtree: GoalSubtree, linked: list[dict[str, Any]]) -> dict[str, Any]:
    """`GoalNode` as JSON: the subtree with progress, key results and the projects `linked`
    to each goal (rows with `goal_id`, by project code); goals without key results anywhere
    under them are `unmeasured`, goals without a live project anywhere under them `no_work`."""
    kpis_by_goal: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for kpi in subtree.kpis:
        kpis_by_goal.setdefault(kpi["objective_id"], []).append(kpi)
    children: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for goal in subtree.goals:
        if goal["parent_id"] is not None:
            children.setdefault(goal["parent_id"], []).append(goal)
    work: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for p in linked:
        work.setdefault(p["goal_id"], []).append(
            {"id": p["id"], "code": p["code"], "name": p["name"], "status": p["status"]}
        )
    progress = rollup(
        ObjectiveFacts(
            g["id"],
            g["parent_id"],
            g["weight"],
            tuple(
                KeyResultFacts(k["id"], k["baseline"], k["target"], k["current_value"], k["weight"])
                for k in kpis_by_goal.get(g["id"], ())
            ),
        )
        for g in subtree.goals
    )

    def node(goal: dict[str, Any]) -> dict[str, Any]:
        kids = [node(child) for child in children.get(goal["id"], ())]
        kpis = kpis_by_goal.get(goal["id"], [])
        projects = work.get(goal["id"], [])
        return {
            "goal": _goal_view(goal, progress),
            "key_results": [_kpi_view(k) for k in kpis],
            "projects": projects,
            "children": kids,
            "unmeasured": not kpis and all(c["unmeasured"] for c in kids),
            "no_work": all(p["status"] in _NOT_WORK for p in projects)
            and all(c["no_work"] for c in kids),
        }

    top = next(g for g in subtree.goals if g["id"] == subtree.goal_id)
    return node(top)


async def key_results_progress(
    session: AsyncSession, org_id: uuid.UUID, kpi_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, dict[str, Any]]:
    """For other domains' pages (a project's battle map): each key result's name, unit,
    current value and target, and its attainment (capped at 100 %)."""
    ids = list(dict.fromkeys(kpi_ids))
    if not ids:
        return {}
    out = {}
    for kpi in await repo.kpis_by_ids(session, org_id, ids):
        progress = kpi_attainment(kpi)
        out[kpi.id] = {
            "name": kpi.name,
            "unit": kpi.unit,
            "current": kpi.current_value,
            "target": kpi.target,
            "attainment": round(progress.capped, 4),
        }
    return out
