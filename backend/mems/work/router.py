"""Work endpoints: phases, tasks, dependencies, baselines, the Gantt, my tasks, the calendar."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import Path, Query, Response, status
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

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
from mems.core.responses import json_response
from mems.core.routing import api_router
from mems.core.schemas import IsoDay
from mems.core.versioning import IfMatchHeader, etag
from mems.identity import service as identity
from mems.identity.auth import Requires
from mems.identity.permissions import Permission
from mems.identity.principal import Principal
from mems.work import scheduling, service, views, work_settings
from mems.work.holidays import covered_years
from mems.work.models import Task, TaskDependency, TaskStatus
from mems.work.schemas import (
    BaselineCreate,
    BaselineRead,
    BattleMap,
    CalendarDayIn,
    CalendarRead,
    CalendarSettingsIn,
    DependencyChange,
    DependencyCreate,
    DependencyRead,
    DependencyUpdate,
    GanttRead,
    MovedTask,
    MyTasks,
    PhaseCreate,
    PhaseRead,
    PhaseUpdate,
    TaskChange,
    TaskCreate,
    TaskListItem,
    TaskRead,
    TaskUpdate,
    WorkSettingsIn,
    WorkSettingsRead,
)

router = api_router(
    tags=["work"],
    responses=GUARDED,
)
_PLAN = problem_responses(NotFound, Conflict)
_CHANGE = problem_responses(Conflict)
Read = Requires(Permission.PROJECTS_READ)
Plan = Requires(Permission.PROJECTS_WRITE)
Work = Requires(Permission.WORK_WRITE)
OrgRead = Requires(Permission.ORG_READ)
OrgManage = Requires(Permission.ORG_MANAGE)


def _moved(moved: list[scheduling.Moved]) -> list[MovedTask]:
    return [
        MovedTask(
            task_id=m.task_id,
            title=m.title,
            milestone=m.milestone,
            starts_on_before=m.starts_on[0],
            starts_on=m.starts_on[1],
            due_on_before=m.due_on[0],
            due_on=m.due_on[1],
        )
        for m in moved
    ]


async def _task_read(session: AsyncSession, principal: Principal, task: Task) -> TaskRead:
    names = (
        await identity.member_names(session, principal.org_id, {task.assignee_member_id})
        if task.assignee_member_id is not None
        else {}
    )
    fields = {a.key: getattr(task, a.key) for a in inspect(task).mapper.column_attrs}
    return TaskRead.model_validate(
        {**fields, "assignee_name": names.get(task.assignee_member_id)}  # type: ignore[arg-type]
    )


# ---- phases --------------------------------------------------------------------------------


@router.get("/projects/{project_id}/phases", response_model=list[PhaseRead], responses=ONE)
async def list_phases(
    project_id: uuid.UUID, session: SessionDep, principal: Principal = Read
) -> list[PhaseRead]:
    """The project's phases, in order."""
    phases = await service.list_phases(session, principal, project_id)
    return [PhaseRead.model_validate(p) for p in phases]


@router.post(
    "/projects/{project_id}/phases",
    response_model=PhaseRead,
    status_code=status.HTTP_201_CREATED,
    responses=_PLAN,
)
async def create_phase(
    project_id: uuid.UUID, body: PhaseCreate, session: SessionDep, principal: Principal = Plan
) -> PhaseRead:
    """Add a phase at the end (the project's managers)."""
    return PhaseRead.model_validate(
        await service.create_phase(session, principal, project_id, body)
    )


@router.patch("/phases/{phase_id}", response_model=PhaseRead, responses=_PLAN)
async def update_phase(
    phase_id: uuid.UUID, body: PhaseUpdate, session: SessionDep, principal: Principal = Plan
) -> PhaseRead:
    """Rename, re-date or reorder a phase."""
    return PhaseRead.model_validate(await service.update_phase(session, principal, phase_id, body))


@router.delete("/phases/{phase_id}", status_code=status.HTTP_204_NO_CONTENT, responses=_PLAN)
async def delete_phase(
    phase_id: uuid.UUID, session: SessionDep, principal: Principal = Plan
) -> None:
    """Delete a phase; its tasks stay, outside any phase."""
    await service.delete_phase(session, principal, phase_id)


# ---- tasks ---------------------------------------------------------------------------------


@router.get("/projects/{project_id}/tasks", response_model=list[TaskListItem], responses=ONE)
async def list_tasks(
    project_id: uuid.UUID,
    reader: ReaderDep,
    assignee_member_id: uuid.UUID | None = None,
    status_: Annotated[list[TaskStatus] | None, Query(alias="status")] = None,
    phase_id: uuid.UUID | None = None,
    principal: Principal = Read,
) -> Response:
    """The project's tasks in WBS order (`status` may repeat), for the list and the board."""
    rows = await views.project_tasks(
        reader,
        principal,
        project_id,
        assignee_member_id=assignee_member_id,
        statuses=status_ or [],
        phase_id=phase_id,
    )
    return json_response(rows, list[TaskListItem])


@router.post(
    "/projects/{project_id}/tasks",
    response_model=TaskChange,
    status_code=status.HTTP_201_CREATED,
    responses=_PLAN,
)
async def create_task(
    project_id: uuid.UUID, body: TaskCreate, session: SessionDep, principal: Principal = Plan
) -> TaskChange:
    """Add a task (a subtask with `parent_id`). Give its start and a due date, a duration in
    working days, or make it a milestone; it is scheduled at once."""
    task, moved = await service.create_task(session, principal, project_id, body)
    return TaskChange(task=await _task_read(session, principal, task), moved=_moved(moved))


@router.get("/tasks/{task_id}", response_model=TaskRead, responses=ONE)
async def get_task(task_id: uuid.UUID, reader: ReaderDep, principal: Principal = Read) -> Response:
    """One task."""
    row = await views.task(reader, principal, task_id)
    return json_response(row, TaskRead, headers={"ETag": etag(row["version"])})


@router.patch(
    "/tasks/{task_id}",
    response_model=TaskChange,
    responses=problem_responses(NotFound, Conflict, StaleVersion, PreconditionFailed),
)
async def update_task(
    task_id: uuid.UUID,
    body: TaskUpdate,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Work,
) -> TaskChange:
    """Change a task. Its assignee reports progress, status, actual hours and the description;
    the project's managers change the rest. Moving or resizing it reschedules its successors:
    `moved` lists every task whose dates changed."""
    task, moved = await service.update_task(session, principal, task_id, body, if_match)
    return TaskChange(task=await _task_read(session, principal, task), moved=_moved(moved))


@router.delete("/tasks/{task_id}", status_code=status.HTTP_204_NO_CONTENT, responses=_PLAN)
async def delete_task(task_id: uuid.UUID, session: SessionDep, principal: Principal = Plan) -> None:
    """Delete a task with its subtasks and dependencies (the project's managers)."""
    await service.delete_task(session, principal, task_id)


# ---- dependencies --------------------------------------------------------------------------


def _dependency(dep: TaskDependency | None, moved: list[scheduling.Moved]) -> DependencyChange:
    return DependencyChange(
        dependency=None if dep is None else DependencyRead.model_validate(dep),
        moved=_moved(moved),
    )


@router.post(
    "/projects/{project_id}/dependencies",
    response_model=DependencyChange,
    status_code=status.HTTP_201_CREATED,
    responses=_PLAN,
)
async def create_dependency(
    project_id: uuid.UUID, body: DependencyCreate, session: SessionDep, principal: Principal = Plan
) -> DependencyChange:
    """Link two tasks (FS, SS, FF or SF, with a lag in working days). A link that would make
    a cycle is refused; the successors move as the link requires."""
    dep, moved = await service.create_dependency(session, principal, project_id, body)
    return _dependency(dep, moved)


@router.patch("/dependencies/{dependency_id}", response_model=DependencyChange, responses=_PLAN)
async def update_dependency(
    dependency_id: uuid.UUID,
    body: DependencyUpdate,
    session: SessionDep,
    principal: Principal = Plan,
) -> DependencyChange:
    """Change a link's type or lag."""
    dep, moved = await service.update_dependency(session, principal, dependency_id, body)
    return _dependency(dep, moved)


@router.delete("/dependencies/{dependency_id}", response_model=DependencyChange, responses=_PLAN)
async def delete_dependency(
    dependency_id: uuid.UUID, session: SessionDep, principal: Principal = Plan
) -> DependencyChange:
    """Remove a link; its successor may move earlier."""
    return _dependency(None, await service.delete_dependency(session, principal, dependency_id))


# ---- baselines and the Gantt ---------------------------------------------------------------


@router.get("/projects/{project_id}/baselines", response_model=list[BaselineRead], responses=ONE)
async def list_baselines(
    project_id: uuid.UUID, reader: ReaderDep, principal: Principal = Read
) -> Response:
    """The project's saved baselines, newest first."""
    return json_response(await views.baselines(reader, principal, project_id), list[BaselineRead])


@router.post(
    "/projects/{project_id}/baselines",
    response_model=BaselineRead,
    status_code=status.HTTP_201_CREATED,
    responses=_PLAN,
)
async def create_baseline(
    project_id: uuid.UUID, body: BaselineCreate, session: SessionDep, principal: Principal = Plan
) -> BaselineRead:
    """Save every task's current dates as a baseline, to compare the plan against later."""
    baseline = await service.create_baseline(session, principal, project_id, body)
    return BaselineRead(
        id=baseline.id,
        name=baseline.name,
        created_at=baseline.created_at,
        created_by_name=principal.user_name,
    )


@router.delete("/baselines/{baseline_id}", status_code=status.HTTP_204_NO_CONTENT, responses=_PLAN)
async def delete_baseline(
    baseline_id: uuid.UUID, session: SessionDep, principal: Principal = Plan
) -> None:
    """Delete a baseline."""
    await service.delete_baseline(session, principal, baseline_id)


@router.get("/projects/{project_id}/gantt", response_model=GanttRead, responses=ONE)
async def get_gantt(
    project_id: uuid.UUID,
    reader: ReaderDep,
    baseline_id: uuid.UUID | None = None,
    principal: Principal = Read,
) -> Response:
    """Everything the Gantt draws in one call: phases, tasks in WBS order (with slack and the
    critical flag), dependencies, the critical path, non-working days, the baselines and the
    chosen one's dates (the latest by default), and the milestones that slipped against it."""
    view = await views.gantt(reader, principal, project_id, baseline_id)
    return json_response(view, GanttRead, headers={"ETag": etag(view["project"]["version"])})


@router.get("/projects/{project_id}/battle-map", response_model=BattleMap, responses=ONE)
async def get_battle_map(
    project_id: uuid.UUID, reader: ReaderDep, session: SessionDep, principal: Principal = Read
) -> Response:
    """作战地图: the project on one page — goal and key-result progress, phases and milestones
    with today, the critical path, overdue tasks, open issues and risks, this week's workload
    per person and the latest activity."""
    view = await views.battle_map(reader, session, principal, project_id)
    return json_response(view, BattleMap)


@router.get("/me/tasks", response_model=MyTasks)
async def my_tasks(reader: ReaderDep, principal: Principal = Read) -> Response:
    """The caller's open tasks: overdue, due today, and coming up (within two weeks)."""
    return json_response(await views.my_tasks(reader, principal), MyTasks)


# ---- the calendar --------------------------------------------------------------------------


async def _calendar(session: AsyncSession, principal: Principal, year: int) -> CalendarRead:
    view = await service.view_calendar(session, principal, year)
    return CalendarRead.model_validate(
        {
            "year": view.year,
            "weekend": sorted(view.settings.weekend),
            "china_holidays": view.settings.china_holidays,
            "china_years": list(covered_years()),
            "revision": view.revision,
            "days": view.days,
        }
    )


Day = Annotated[IsoDay, Path(description="YYYY-MM-DD")]


@router.get("/calendar", response_model=CalendarRead)
async def get_calendar(
    session: SessionDep,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="This year by default")] = (
        None
    ),
    principal: Principal = OrgRead,
) -> CalendarRead:
    """The organisation's working calendar for a year: its weekend, China's public holidays
    and 调休 working days (unless turned off), and its own days off and working days."""
    return await _calendar(session, principal, year or date.today().year)


@router.put(
    "/calendar/settings", response_model=CalendarRead, responses=problem_responses(Conflict)
)
async def set_calendar_settings(
    body: CalendarSettingsIn,
    session: SessionDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    principal: Principal = OrgManage,
) -> CalendarRead:
    """Set the weekend and whether China's public holidays apply (admins); every open plan
    is rescheduled on the new calendar. Answers with the calendar of `year` (this year)."""
    await service.set_calendar_settings(session, principal, body)
    return await _calendar(session, principal, year or date.today().year)


@router.put(
    "/calendar/days/{day}", response_model=CalendarRead, responses=problem_responses(Conflict)
)
async def set_calendar_day(
    day: Day, body: CalendarDayIn, session: SessionDep, principal: Principal = OrgManage
) -> CalendarRead:
    """Make a day a day off (a company holiday) or a working day (admins)."""
    await service.set_calendar_day(session, principal, day, body)
    return await _calendar(session, principal, day.year)


@router.delete("/calendar/days/{day}", response_model=CalendarRead, responses=ONE)
async def delete_calendar_day(
    day: Day, session: SessionDep, principal: Principal = OrgManage
) -> CalendarRead:
    """Remove the organisation's own rule for a day (China's calendar applies again)."""
    await service.delete_calendar_day(session, principal, day)
    return await _calendar(session, principal, day.year)


# ---- work settings -------------------------------------------------------------------------


def _work_settings(settings: work_settings.WorkSettings) -> WorkSettingsRead:
    return WorkSettingsRead(
        checkin_grace_days=settings.checkin_grace_days,
        issue_director_after_days=settings.issue_director_after_days,
        revision=settings.revision,
    )


@router.get("/work-settings", response_model=WorkSettingsRead)
async def get_work_settings(
    session: SessionDep, principal: Principal = OrgRead
) -> WorkSettingsRead:
    """The organisation's rules of daily work: how many past days a check-in may still be made
    or changed, and how many days after its project manager was told an overdue issue is
    escalated to the directors."""
    return _work_settings(await work_settings.work_settings(session, principal))


@router.put(
    "/work-settings", response_model=WorkSettingsRead, responses=problem_responses(StaleVersion)
)
async def set_work_settings(
    body: WorkSettingsIn, session: SessionDep, principal: Principal = OrgManage
) -> WorkSettingsRead:
    """Set the rules of daily work (admins): whole numbers, the grace days 0–30, the days
    before directors hear of an overdue issue 1–60. Send the `revision` you read: if someone
    changed either since, this is a 409."""
    return _work_settings(await work_settings.set_work_settings(session, principal, body))
