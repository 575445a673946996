"""Strategy endpoints: periods, goals (the objective tree), KPIs / key results, check-ins."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response, status
from sqlalchemy import inspect

from mems.core.db import ReaderDep, SessionDep
from mems.core.errors import (
    GUARDED,
    ONE,
    Conflict,
    NotFound,
    PreconditionFailed,
    StaleVersion,
    problem_responses,
)
from mems.core.pagination import Page, PageParamsDep
from mems.core.responses import json_response
from mems.core.routing import api_router
from mems.core.versioning import IfMatchHeader, set_etag
from mems.identity.auth import Requires
from mems.identity.permissions import Permission
from mems.identity.principal import Principal
from mems.projects import service as projects
from mems.strategy import service
from mems.strategy.models import KeyResult, Objective
from mems.strategy.rollup import Progress
from mems.strategy.schemas import (
    CheckInCreate,
    CheckInRead,
    GoalCreate,
    GoalNode,
    GoalRead,
    GoalUpdate,
    KpiCreate,
    KpiRead,
    KpiUpdate,
    PeriodCreate,
    PeriodRead,
    PeriodUpdate,
    ProgressRead,
)

router = api_router(
    tags=["strategy"],
    responses=GUARDED,
)
_WRITE_ONE = problem_responses(NotFound, StaleVersion, PreconditionFailed)
Read = Requires(Permission.STRATEGY_READ)
Manage = Requires(Permission.STRATEGY_MANAGE)


def _progress(p: Progress | None) -> ProgressRead | None:
    return (
        None
        if p is None
        else ProgressRead(capped=round(p.capped, 4), uncapped=round(p.uncapped, 4))
    )


def goal_read(goal: Objective, tree: service.GoalTree) -> GoalRead:
    return GoalRead.model_validate(
        {**_columns(goal), "progress": _progress(tree.progress.get(goal.id))}
    )


def kpi_read(kpi: KeyResult) -> KpiRead:
    return KpiRead.model_validate(
        {**_columns(kpi), "attainment": _progress(service.kpi_attainment(kpi))}
    )


def _columns(obj: object) -> dict[str, object]:
    return {attr.key: getattr(obj, attr.key) for attr in inspect(obj).mapper.column_attrs}


# ---- periods -------------------------------------------------------------------------------


@router.get("/strategy-periods", response_model=Page[PeriodRead])
async def list_periods(
    session: SessionDep, page: PageParamsDep, principal: Principal = Read
) -> Page[PeriodRead]:
    """Strategy periods (years and quarters), newest first."""
    items, total = await service.list_periods(session, principal, page)
    return Page(
        items=[PeriodRead.model_validate(p) for p in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "/strategy-periods",
    response_model=PeriodRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(Conflict),
)
async def create_period(
    body: PeriodCreate, session: SessionDep, principal: Principal = Manage
) -> PeriodRead:
    """Open a strategy year, or a quarter within one."""
    return PeriodRead.model_validate(await service.create_period(session, principal, body))


@router.get("/strategy-periods/{period_id}", response_model=PeriodRead, responses=ONE)
async def get_period(
    period_id: uuid.UUID, response: Response, session: SessionDep, principal: Principal = Read
) -> PeriodRead:
    """One strategy period."""
    period = await service.get_period(session, principal, period_id)
    set_etag(response, period.version)
    return PeriodRead.model_validate(period)


@router.patch("/strategy-periods/{period_id}", response_model=PeriodRead, responses=_WRITE_ONE)
async def update_period(
    period_id: uuid.UUID,
    body: PeriodUpdate,
    response: Response,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Manage,
) -> PeriodRead:
    """Rename a period or move its dates."""
    period = await service.update_period(session, principal, period_id, body, if_match)
    set_etag(response, period.version)
    return PeriodRead.model_validate(period)


@router.delete(
    "/strategy-periods/{period_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound, Conflict),
)
async def delete_period(
    period_id: uuid.UUID, session: SessionDep, principal: Principal = Manage
) -> None:
    """Delete an empty period (one without goals or quarters)."""
    await service.delete_period(session, principal, period_id)


# ---- goals ---------------------------------------------------------------------------------


@router.get("/goals", response_model=Page[GoalRead])
async def list_goals(
    reader: ReaderDep,
    page: PageParamsDep,
    period_id: uuid.UUID | None = None,
    parent_id: uuid.UUID | None = None,
    roots_only: Annotated[bool, Query(description="Only top-level goals")] = False,
    owner_member_id: uuid.UUID | None = None,
    principal: Principal = Read,
) -> Response:
    """Goals (objectives) with their rolled-up progress."""
    goals = await service.view_goals(
        reader,
        principal,
        page,
        period_id=period_id,
        parent_id=parent_id,
        roots_only=roots_only,
        owner_member_id=owner_member_id,
    )
    return json_response(goals, Page[GoalRead])


@router.post("/goals", response_model=GoalRead, status_code=status.HTTP_201_CREATED)
async def create_goal(
    body: GoalCreate, session: SessionDep, principal: Principal = Manage
) -> GoalRead:
    """Add a goal to a period, at the top or under another goal of the same period."""
    goal = await service.create_goal(session, principal, body)
    return goal_read(goal, await service.load_tree(session, principal, [goal.period_id]))


@router.get("/goals/{goal_id}", response_model=GoalRead, responses=ONE)
async def get_goal(
    goal_id: uuid.UUID, response: Response, session: SessionDep, principal: Principal = Read
) -> GoalRead:
    """One goal with its progress."""
    goal = await service.get_goal(session, principal, goal_id)
    set_etag(response, goal.version)
    return goal_read(goal, await service.load_tree(session, principal, [goal.period_id]))


@router.get("/goals/{goal_id}/tree", response_model=GoalNode, responses=ONE)
async def get_goal_tree(
    goal_id: uuid.UUID, reader: ReaderDep, principal: Principal = Read
) -> Response:
    """Drill down: the goal's whole subtree with progress, KPIs and linked projects; goals
    without key results (`unmeasured`) or without live projects (`no_work`) are flagged."""
    subtree = await service.goal_subtree(reader, principal, goal_id)
    linked = await projects.projects_of_goals_view(
        reader, service.subtree_goal_ids(), goal_id=goal_id
    )
    return json_response(service.goal_tree_view(subtree, linked), GoalNode)


@router.patch("/goals/{goal_id}", response_model=GoalRead, responses=_WRITE_ONE)
async def update_goal(
    goal_id: uuid.UUID,
    body: GoalUpdate,
    response: Response,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Manage,
) -> GoalRead:
    """Edit a goal or move it under another goal (never under its own sub-goals)."""
    goal = await service.update_goal(session, principal, goal_id, body, if_match)
    set_etag(response, goal.version)
    return goal_read(goal, await service.load_tree(session, principal, [goal.period_id]))


@router.delete(
    "/goals/{goal_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound, Conflict),
)
async def delete_goal(
    goal_id: uuid.UUID, session: SessionDep, principal: Principal = Manage
) -> None:
    """Delete a goal with nothing under it."""
    await service.delete_goal(session, principal, goal_id)


# ---- KPIs ----------------------------------------------------------------------------------


@router.get("/kpis", response_model=Page[KpiRead])
async def list_kpis(
    session: SessionDep,
    page: PageParamsDep,
    objective_id: uuid.UUID | None = None,
    principal: Principal = Read,
) -> Page[KpiRead]:
    """Key results / KPIs with their attainment."""
    items, total = await service.list_kpis(session, principal, page, objective_id)
    return Page(
        items=[kpi_read(k) for k in items], total=total, limit=page.limit, offset=page.offset
    )


@router.post("/kpis", response_model=KpiRead, status_code=status.HTTP_201_CREATED)
async def create_kpi(
    body: KpiCreate, session: SessionDep, principal: Principal = Manage
) -> KpiRead:
    """Add a key result to a goal: baseline, target, direction, weight, owner, source of value."""
    return kpi_read(await service.create_kpi(session, principal, body))


@router.get("/kpis/{kpi_id}", response_model=KpiRead, responses=ONE)
async def get_kpi(
    kpi_id: uuid.UUID, response: Response, session: SessionDep, principal: Principal = Read
) -> KpiRead:
    """One KPI."""
    kpi = await service.get_kpi(session, principal, kpi_id)
    set_etag(response, kpi.version)
    return kpi_read(kpi)


@router.patch("/kpis/{kpi_id}", response_model=KpiRead, responses=_WRITE_ONE)
async def update_kpi(
    kpi_id: uuid.UUID,
    body: KpiUpdate,
    response: Response,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Manage,
) -> KpiRead:
    """Edit a KPI; baseline, target and direction must stay consistent."""
    kpi = await service.update_kpi(session, principal, kpi_id, body, if_match)
    set_etag(response, kpi.version)
    return kpi_read(kpi)


@router.delete("/kpis/{kpi_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ONE)
async def delete_kpi(kpi_id: uuid.UUID, session: SessionDep, principal: Principal = Manage) -> None:
    """Delete a KPI and its check-ins."""
    await service.delete_kpi(session, principal, kpi_id)


@router.get("/kpis/{kpi_id}/check-ins", response_model=Page[CheckInRead], responses=ONE)
async def list_check_ins(
    kpi_id: uuid.UUID, session: SessionDep, page: PageParamsDep, principal: Principal = Read
) -> Page[CheckInRead]:
    """The KPI's dated history of values, newest first."""
    items, total = await service.list_check_ins(session, principal, kpi_id, page)
    return Page(
        items=[CheckInRead.model_validate(c) for c in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "/kpis/{kpi_id}/check-ins",
    response_model=CheckInRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(NotFound, Conflict),
)
async def check_in(
    kpi_id: uuid.UUID,
    body: CheckInCreate,
    session: SessionDep,
    principal: Principal = Requires(Permission.KPI_CHECK_IN),
) -> CheckInRead:
    """Record the KPI's value on a date (its owner, or a strategy manager)."""
    return CheckInRead.model_validate(await service.check_in(session, principal, kpi_id, body))
