"""The work domain's rules: phases, tasks, dependencies, baselines and the calendar.

Who may do what (on top of the route's permission, `projects:read` or `work:write`):
- the project's managers (`ProjectRight.MANAGE`) shape the plan: phases, tasks, dates,
  assignees, dependencies and baselines;
- a task's assignee reports on it: progress, status, actual hours and the description;
- everyone in the organisation reads plans (`ProjectRight.VIEW`).
Every change that can move dates reschedules the project (`scheduling.reschedule`) in the same
transaction and says which tasks moved. A closed or cancelled project's plan no longer changes.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.clock import utcnow
from mems.core.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from mems.core.i18n import Message, _, term
from mems.core.versioning import changes_to
from mems.identity import service as identity
from mems.identity.principal import Principal
from mems.notifications import service as notifications
from mems.projects import service as projects
from mems.projects.policy import ProjectRight
from mems.strategy import service as strategy
from mems.work import calendar as calendars
from mems.work import progress as progress_rules
from mems.work import repository as repo
from mems.work import scheduling
from mems.work.holidays import china_holidays, china_swapped_working_days
from mems.work.models import (
    Baseline,
    CalendarDay,
    Phase,
    Reminder,
    Task,
    TaskDependency,
    TaskStatus,
)
from mems.work.plans import working_days
from mems.work.schedule import Calendar, DependencyCycle, ScheduleError
from mems.work.schemas import (
    BaselineCreate,
    CalendarDayIn,
    CalendarSettingsIn,
    DependencyCreate,
    DependencyUpdate,
    PhaseCreate,
    PhaseUpdate,
    TaskCreate,
    TaskUpdate,
)

# What a task's assignee may change without managing the project.
ASSIGNEE_FIELDS = frozenset({"progress", "status", "actual_hours", "description"})
# Changes that can move dates (and so reschedule the project).
_SCHEDULE_FIELDS = frozenset({"starts_on", "due_on", "duration_days", "milestone", "status"})
MAX_DEPTH = 8  # WBS levels under a phase


def _invalid(field: str, message: Message, kind: str = "invalid") -> ValidationFailed:
    return ValidationFailed(message, errors=[FieldError.of(field, message, kind)])


# ---- the project and its calendar ----------------------------------------------------------


async def project_calendar(session: AsyncSession, project: Any) -> Calendar:
    return await calendars.org_calendar(
        session, project.org_id, calendars.years_around(project.starts_on, project.ends_on)
    )


async def org_calendar(
    session: AsyncSession, org_id: uuid.UUID, first: date, last: date
) -> Calendar:
    """For other domains that count working days (the resources' workload): the
    organisation's working calendar over the years from `first` to `last`."""
    return await calendars.org_calendar(session, org_id, range(first.year, last.year + 1))


async def _plan_project(session: AsyncSession, principal: Principal, project_id: uuid.UUID) -> Any:
    """The project, for a caller who may change its plan."""
    project = await projects.project_for(session, principal, project_id, ProjectRight.MANAGE)
    _check_open(project)
    await projects.lock_plan(session, project)
    return project


def _check_open(project: Any) -> None:
    if not projects.plan_is_open(project):
        raise Conflict(
            _(
                "Project {code} is {status}: its plan no longer changes.",
                code=project.code,
                status=term(project.status.value),
            )
        )


async def reschedule(session: AsyncSession, project: Any) -> list[scheduling.Moved]:
    """Reschedule the project; a plan that cannot be computed is refused (422). The project's
    row is locked first, so concurrent changes are scheduled (and checked) in turn."""
    await projects.lock_plan(session, project)
    calendar = await project_calendar(session, project)
    try:
        return await scheduling.reschedule(
            session, project.org_id, project.id, project.starts_on, calendar
        )
    except DependencyCycle as exc:
        titles = await _titles(session, project, exc.cycle)
        raise _invalid(
            "predecessor_id",
            _("These dependencies would form a cycle: {cycle}.", cycle=" → ".join(titles)),
            "dependency_cycle",
        ) from exc
    except ScheduleError as exc:
        raise _invalid(
            "duration_days",
            _(
                "The plan cannot be scheduled: each duration and lag stays within ten years, "
                "the whole plan within twenty."
            ),
            "unschedulable",
        ) from exc


async def _titles(session: AsyncSession, project: Any, ids: Iterable[Any]) -> list[str]:
    by_id = {t.id: t.title for t in await repo.tasks_of(session, project.org_id, project.id)}
    return [by_id.get(i, str(i)) for i in ids]


# ---- phases --------------------------------------------------------------------------------


async def list_phases(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID
) -> list[Phase]:
    project = await projects.project_for(session, principal, project_id, ProjectRight.VIEW)
    return await repo.phases_of(session, project.org_id, project.id)


def _reach(project: Any) -> tuple[date, date]:
    """The days a phase or a task of `project` may be dated: the years its calendar covers
    (`calendars.years_around`: the year before it starts to two years after it ends), so a
    plan never walks millions of days to a date typed at the calendar's ends."""
    years = calendars.years_around(project.starts_on, project.ends_on)
    return date(years.start, 1, 1), date(years.stop - 1, 12, 31)


def _check_reach(project: Any, **days: date | None) -> None:
    first, last = _reach(project)
    for field, day in days.items():
        if day is not None and not first <= day <= last:
            raise _invalid(
                field,
                _(
                    "Within this project, days fall between {first} and {last} (from the year "
                    "before it starts to two years after it ends).",
                    first=first.isoformat(),
                    last=last.isoformat(),
                ),
                "out_of_range",
            )


def _check_phase_dates(project: Any, starts_on: date, ends_on: date) -> None:
    _check_reach(project, starts_on=starts_on, ends_on=ends_on)
    if ends_on < starts_on:
        raise _invalid("ends_on", _("A phase cannot end before it starts."), "dates_out_of_order")


async def create_phase(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, body: PhaseCreate
) -> Phase:
    project = await _plan_project(session, principal, project_id)
    _check_phase_dates(project, body.starts_on, body.ends_on)
    phases = await repo.phases_of(session, project.org_id, project.id)
    phase = Phase(
        org_id=project.org_id,
        project_id=project.id,
        position=len(phases),
        name=body.name,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
    )
    session.add(phase)
    await session.flush()
    return phase


async def _phase_for(
    session: AsyncSession, principal: Principal, phase_id: uuid.UUID
) -> tuple[Phase, Any]:
    phase = await repo.get_phase(session, principal.org_id, phase_id)
    if phase is None:
        raise NotFound(_("Phase {phase_id} not found.", phase_id=phase_id))
    return phase, await _plan_project(session, principal, phase.project_id)


async def update_phase(
    session: AsyncSession, principal: Principal, phase_id: uuid.UUID, body: PhaseUpdate
) -> Phase:
    phase, project = await _phase_for(session, principal, phase_id)
    changes = body.model_dump(exclude_unset=True)
    _check_phase_dates(
        project, changes.get("starts_on", phase.starts_on), changes.get("ends_on", phase.ends_on)
    )
    if "position" in changes:
        phases = await repo.phases_of(session, project.org_id, project.id)
        ordered = [p for p in phases if p.id != phase.id]
        ordered.insert(min(changes.pop("position"), len(ordered)), phase)
        for i, p in enumerate(ordered):
            p.position = i
    for field, value in changes.items():
        setattr(phase, field, value)
    await session.flush()
    return phase


async def delete_phase(session: AsyncSession, principal: Principal, phase_id: uuid.UUID) -> None:
    """Delete a phase; its tasks stay, outside any phase."""
    phase, project = await _phase_for(session, principal, phase_id)
    await session.delete(phase)
    await session.flush()
    for i, p in enumerate(await repo.phases_of(session, project.org_id, project.id)):
        p.position = i
    await session.flush()


# ---- tasks ---------------------------------------------------------------------------------


async def task_for(
    session: AsyncSession, principal: Principal, task_id: uuid.UUID
) -> tuple[Task, Any]:
    """The task and its project, for a caller who may see the project (404 otherwise)."""
    task = await repo.get_task(session, principal.org_id, task_id)
    if task is None:
        raise NotFound(_("Task {task_id} not found.", task_id=task_id))
    project = await projects.project_for(session, principal, task.project_id, ProjectRight.VIEW)
    return task, project


async def _check_assignee(session: AsyncSession, project: Any, member_id: uuid.UUID | None) -> None:
    if member_id is not None and not await projects.works_on(session, project, member_id):
        raise _invalid(
            "assignee_member_id",
            _("Only a member of the project's team can be given its tasks."),
            "not_on_team",
        )


async def _check_phase(session: AsyncSession, project: Any, phase_id: uuid.UUID | None) -> None:
    if phase_id is None:
        return
    phase = await repo.get_phase(session, project.org_id, phase_id)
    if phase is None or phase.project_id != project.id:
        raise _invalid("phase_id", _("The phase is not one of this project's."), "not_found")


async def _check_key_result(
    session: AsyncSession, principal: Principal, key_result_id: uuid.UUID | None
) -> None:
    if key_result_id is None:
        return
    _goals, kpis = await strategy.goal_and_kpi_names(session, principal.org_id, [], [key_result_id])
    if key_result_id not in kpis:
        raise _invalid("key_result_id", _("No such key result."), "not_found")


async def _parent(session: AsyncSession, project: Any, parent_id: uuid.UUID | None) -> Task | None:
    if parent_id is None:
        return None
    parent = await repo.get_task(session, project.org_id, parent_id)
    if parent is None or parent.project_id != project.id:
        raise _invalid(
            "parent_id", _("The summary task is not one of this project's."), "not_found"
        )
    if await repo.has_dependencies(session, parent.id):
        raise _invalid(
            "parent_id",
            _(
                "“{title}” has dependencies, so it cannot hold subtasks: link its subtasks "
                "instead.",
                title=parent.title,
            ),
            "has_dependencies",
        )
    depth, above = 1, parent
    while above.parent_id is not None and depth <= MAX_DEPTH:
        depth += 1
        found = await repo.get_task(session, project.org_id, above.parent_id)
        if found is None:
            break
        above = found
    if depth >= MAX_DEPTH:
        raise _invalid(
            "parent_id", _("Tasks nest at most {n} levels deep.", n=MAX_DEPTH), "too_deep"
        )
    return parent


def _length(
    calendar: Calendar,
    start: date,
    due_on: date | None,
    duration_days: int | None,
    milestone: bool,
) -> tuple[int, bool]:
    """(working days, milestone) from what was given: a due date, a duration or a milestone."""
    if milestone:
        return 0, True
    if due_on is not None:
        if due_on < start:
            raise _invalid("due_on", _("A task cannot end before it starts."), "dates_out_of_order")
        return working_days(calendar, start, due_on), False
    if duration_days is not None:
        return duration_days, duration_days == 0
    return 1, False


async def create_task(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, body: TaskCreate
) -> tuple[Task, list[scheduling.Moved]]:
    project = await _plan_project(session, principal, project_id)
    _check_reach(project, starts_on=body.starts_on, due_on=body.due_on)
    parent = await _parent(session, project, body.parent_id)
    phase_id = parent.phase_id if parent is not None else body.phase_id
    await _check_phase(session, project, phase_id)
    await _check_assignee(session, project, body.assignee_member_id)
    await _check_key_result(session, principal, body.key_result_id)
    calendar = await project_calendar(session, project)
    start = body.starts_on or project.starts_on
    duration, milestone = _length(calendar, start, body.due_on, body.duration_days, body.milestone)
    task = Task(
        id=uuid.uuid4(),
        org_id=project.org_id,
        project_id=project.id,
        phase_id=phase_id,
        parent_id=body.parent_id,
        position=await repo.next_position(session, project.org_id, project.id),
        title=body.title,
        description=body.description,
        assignee_member_id=body.assignee_member_id,
        not_before=start,
        starts_on=start,
        due_on=start,
        duration_days=duration,
        milestone=milestone,
        priority=body.priority,
        estimate_hours=body.estimate_hours,
        key_result_id=body.key_result_id,
    )
    session.add(task)
    await session.flush()
    moved = await reschedule(session, project)
    return task, [m for m in moved if m.task_id != task.id]


def _coherent_progress(task: Task, changes: dict[str, Any]) -> None:
    try:
        changes.update(
            progress_rules.changes(task, changes.get("progress"), changes.get("status"), utcnow())
        )
    except progress_rules.InconsistentProgress as exc:
        raise _invalid("progress", _("A done task is 100% done."), "inconsistent") from exc


async def update_task(
    session: AsyncSession,
    principal: Principal,
    task_id: uuid.UUID,
    body: TaskUpdate,
    if_match: str | None,
) -> tuple[Task, list[scheduling.Moved]]:
    task, project = await task_for(session, principal, task_id)
    changes = changes_to(task, body, if_match)
    if set(changes) - ASSIGNEE_FIELDS or task.assignee_member_id != principal.membership_id:
        try:
            await projects.project_for(session, principal, project.id, ProjectRight.MANAGE)
        except Forbidden as exc:
            raise Forbidden(
                _(
                    "As {role}, you report progress, status and hours on the tasks assigned "
                    "to you; the project's managers change the rest.",
                    role=term(principal.role.value),
                )
            ) from exc
    _check_open(project)
    _check_reach(project, starts_on=changes.get("starts_on"), due_on=changes.get("due_on"))
    await projects.lock_plan(session, project)
    if "phase_id" in changes:
        await _check_phase(session, project, changes["phase_id"])
    if "assignee_member_id" in changes:
        await _check_assignee(session, project, changes["assignee_member_id"])
    if "key_result_id" in changes:
        await _check_key_result(session, principal, changes["key_result_id"])
    dates = {"starts_on", "due_on", "duration_days", "milestone"} & set(changes)
    if dates:
        if await repo.has_children(session, task.id):
            raise _invalid(
                sorted(dates)[0],
                _("A summary task spans its subtasks: move or resize those instead."),
                "summary_task",
            )
        calendar = await project_calendar(session, project)
        start = changes.get("starts_on", task.not_before or task.starts_on)
        milestone = changes.get("milestone", task.milestone if not dates - {"starts_on"} else False)
        due = changes.get("due_on")
        if due is None and "duration_days" not in changes and not milestone:
            # Moving the start keeps the length.
            duration = task.duration_days or 1
        else:
            duration, milestone = _length(
                calendar, start, due, changes.get("duration_days"), milestone
            )
        changes.pop("starts_on", None)
        changes.pop("due_on", None)
        changes.update(not_before=start, duration_days=duration, milestone=milestone)
    if "progress" in changes or "status" in changes:
        _coherent_progress(task, changes)
    for field, value in changes.items():
        setattr(task, field, value)
    await session.flush()
    moved: list[scheduling.Moved] = []
    if _SCHEDULE_FIELDS & (set(changes) | dates):
        moved = await reschedule(session, project)
    return task, moved


async def delete_task(session: AsyncSession, principal: Principal, task_id: uuid.UUID) -> None:
    """Delete a task with its subtasks and dependencies; the plan is rescheduled."""
    task, project = await task_for(session, principal, task_id)
    await projects.project_for(session, principal, project.id, ProjectRight.MANAGE)
    _check_open(project)
    await projects.lock_plan(session, project)
    await session.delete(task)
    await session.flush()
    await reschedule(session, project)


# ---- the caller's own tasks (what the check-ins and issues domains ask) ----------------------


async def set_own_task_progress(
    session: AsyncSession,
    principal: Principal,
    task_id: uuid.UUID,
    progress: int,
    status: str | None,
) -> bool:
    """A daily check-in's update of one of the caller's own tasks (assigned to them, in their
    organisation): its progress (0–100) and, optionally, its status (`OWN_TASK_STATUSES`).
    Without a status, progress moves the task along: above 0 a task to do is in progress, at
    100 it is done. False (nothing written) when the caller has no such task; a 409 (nothing
    written) when its project is closed or cancelled, as for every other task write."""
    task = await repo.get_task(session, principal.org_id, task_id)
    if task is None or task.assignee_member_id != principal.membership_id:
        return False
    if task.status == TaskStatus.CANCELLED:
        return False
    project = await projects.project_for(session, principal, task.project_id, ProjectRight.VIEW)
    _check_open(project)
    await projects.lock_plan(session, project)
    try:
        fields = progress_rules.changes(
            task, progress, None if status is None else TaskStatus(status), utcnow()
        )
    except progress_rules.InconsistentProgress as exc:
        raise _invalid("progress", _("A done task is 100% done."), "inconsistent") from exc
    for field, value in fields.items():
        setattr(task, field, value)
    await session.flush()
    return True


async def own_open_tasks(
    session: AsyncSession, org_id: uuid.UUID, member_id: uuid.UUID, limit: int = 100
) -> list[dict[str, Any]]:
    """The member's tasks not done or cancelled, of projects still taking work, soonest due
    first (for the daily check-in form): id, project_id, title, progress, status, starts_on,
    due_on."""
    return await repo.own_open_tasks(
        session, org_id, member_id, limit, projects.project_takes_work_of(Task.project_id)
    )


async def task_in_project(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID, task_id: uuid.UUID
) -> bool:
    """Whether `task_id` is a task of this project (in this organisation)."""
    return await repo.task_in_project(session, org_id, project_id, task_id)


async def phase_in_project(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID, phase_id: uuid.UUID
) -> bool:
    """Whether `phase_id` is a phase of this project (in this organisation)."""
    return await repo.phase_in_project(session, org_id, project_id, phase_id)


async def progress_percent(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID
) -> Decimal | None:
    """How much of the project's work is done, in percent: the battle map's figure (leaf
    tasks not cancelled, weighted by their working days); None without such tasks."""
    return await repo.progress_percent(session, org_id, project_id)


def progress_json_of(project_id: Any, org_id: Any) -> Any:
    """For other domains' read statements: the SQL for `progress_percent`'s figures of the
    project `project_id` refers to, as one JSON value (`progress_from_json` reads it)."""
    return repo.progress_json_of(project_id, org_id)


def progress_from_json(value: Any) -> Decimal | None:
    """`progress_percent` from the value `progress_json_of` read (a JSON object, or its text
    where the driver leaves JSON as text)."""
    figures = json.loads(value) if isinstance(value, str) else value or {}
    return repo.progress_from(figures.get("done"), figures.get("weight"))


async def actual_hours_by_member(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID
) -> dict[uuid.UUID, Decimal]:
    """For finance's labour costs: the actual hours on the project's leaf tasks per assignee."""
    return await repo.actual_hours_by_member(session, org_id, project_id)


# ---- dependencies --------------------------------------------------------------------------


async def _leaf_of(session: AsyncSession, project: Any, task_id: uuid.UUID, field: str) -> Task:
    task = await repo.get_task(session, project.org_id, task_id)
    if task is None or task.project_id != project.id:
        raise _invalid(field, _("The task is not one of this project's."), "not_found")
    if await repo.has_children(session, task.id):
        raise _invalid(
            field,
            _("“{title}” is a summary task: link its subtasks instead.", title=task.title),
            "summary_task",
        )
    return task


async def create_dependency(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, body: DependencyCreate
) -> tuple[TaskDependency, list[scheduling.Moved]]:
    project = await _plan_project(session, principal, project_id)
    if body.predecessor_id == body.successor_id:
        raise _invalid("successor_id", _("A task cannot depend on itself."), "dependency_cycle")
    await _leaf_of(session, project, body.predecessor_id, "predecessor_id")
    await _leaf_of(session, project, body.successor_id, "successor_id")
    dependency = TaskDependency(
        org_id=project.org_id,
        project_id=project.id,
        predecessor_id=body.predecessor_id,
        successor_id=body.successor_id,
        type=body.type,
        lag_days=body.lag_days,
    )
    try:
        async with session.begin_nested():
            session.add(dependency)
            await session.flush()
    except IntegrityError as exc:
        raise Conflict(
            _("These two tasks are already linked."),
            errors=[FieldError(field="successor_id", message="already linked", type="duplicate")],
        ) from exc
    return dependency, await reschedule(session, project)


async def _dependency_for(
    session: AsyncSession, principal: Principal, dependency_id: uuid.UUID
) -> tuple[TaskDependency, Any]:
    dependency = await repo.get_dependency(session, principal.org_id, dependency_id)
    if dependency is None:
        raise NotFound(_("Dependency {dependency_id} not found.", dependency_id=dependency_id))
    return dependency, await _plan_project(session, principal, dependency.project_id)


async def update_dependency(
    session: AsyncSession,
    principal: Principal,
    dependency_id: uuid.UUID,
    body: DependencyUpdate,
) -> tuple[TaskDependency, list[scheduling.Moved]]:
    dependency, project = await _dependency_for(session, principal, dependency_id)
    for field, value in body.model_dump(exclude_unset=True).items():
        setattr(dependency, field, value)
    await session.flush()
    return dependency, await reschedule(session, project)


async def delete_dependency(
    session: AsyncSession, principal: Principal, dependency_id: uuid.UUID
) -> list[scheduling.Moved]:
    dependency, project = await _dependency_for(session, principal, dependency_id)
    await session.delete(dependency)
    await session.flush()
    return await reschedule(session, project)


# ---- baselines -----------------------------------------------------------------------------


async def create_baseline(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, body: BaselineCreate
) -> Baseline:
    """Save every task's current dates under a name, to compare the plan against later."""
    project = await _plan_project(session, principal, project_id)
    tasks = await repo.tasks_of(session, project.org_id, project.id)
    baseline = Baseline(
        org_id=project.org_id,
        project_id=project.id,
        name=body.name,
        created_by_member_id=principal.membership_id,
        dates={str(t.id): [t.starts_on.isoformat(), t.due_on.isoformat()] for t in tasks},
    )
    session.add(baseline)
    await session.flush()
    return baseline


async def delete_baseline(
    session: AsyncSession, principal: Principal, baseline_id: uuid.UUID
) -> None:
    baseline = await repo.get_baseline(session, principal.org_id, baseline_id)
    if baseline is None:
        raise NotFound(_("Baseline {baseline_id} not found.", baseline_id=baseline_id))
    await _plan_project(session, principal, baseline.project_id)
    await session.delete(baseline)
    await session.flush()


# ---- the calendar --------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarView:
    year: int
    settings: calendars.CalendarSettings
    revision: int
    days: list[dict[str, Any]]


async def view_calendar(session: AsyncSession, principal: Principal, year: int) -> CalendarView:
    """The year's exceptions to the weekend rule: China's holidays and 调休 days (unless the
    organisation turned them off) and the organisation's own days, which win."""
    settings, revision = await calendars.settings_of(session, principal.org_id)
    own = {
        d.day: d for d in await repo.calendar_days(session, principal.org_id) if d.day.year == year
    }
    days: dict[date, dict[str, Any]] = {}
    if settings.china_holidays:
        for day, name in china_holidays([year]).items():
            days[day] = {"day": day, "working": False, "name": name, "source": "china"}
        for day, name in china_swapped_working_days([year]).items():
            days[day] = {"day": day, "working": True, "name": name, "source": "china"}
    for day, row in own.items():
        days[day] = {"day": day, "working": row.working, "name": row.name, "source": "org"}
    return CalendarView(year, settings, revision, [days[d] for d in sorted(days)])


async def set_calendar_settings(
    session: AsyncSession, principal: Principal, body: CalendarSettingsIn
) -> int:
    settings = calendars.CalendarSettings(frozenset(body.weekend), body.china_holidays)
    if len(settings.weekend) > 5:
        raise _invalid("weekend", _("At least two days of the week must be working days."))
    revision = await identity.set_org_setting(
        session,
        principal.org_id,
        calendars.CALENDAR_SETTING,
        settings.as_json(),
        body.revision,
        principal.membership_id,
    )
    await reschedule_all(session, principal.org_id)
    return revision


async def set_calendar_day(
    session: AsyncSession, principal: Principal, day: date, body: CalendarDayIn
) -> None:
    row = await repo.get_calendar_day(session, principal.org_id, day)
    if row is None:
        try:
            async with session.begin_nested():
                session.add(
                    CalendarDay(
                        org_id=principal.org_id, day=day, working=body.working, name=body.name
                    )
                )
                await session.flush()
        except IntegrityError as exc:
            raise Conflict(_("That day was just set by someone else; reload.")) from exc
    else:
        row.working, row.name = body.working, body.name
        await session.flush()
    await reschedule_all(session, principal.org_id)


async def delete_calendar_day(session: AsyncSession, principal: Principal, day: date) -> None:
    row = await repo.get_calendar_day(session, principal.org_id, day)
    if row is None:
        raise NotFound(_("The calendar has no day of its own on {day}.", day=day.isoformat()))
    await session.delete(row)
    await session.flush()
    await reschedule_all(session, principal.org_id)


async def reschedule_all(session: AsyncSession, org_id: uuid.UUID) -> None:
    """The calendar changed: every open project's plan counts working days anew."""
    for project in await projects.open_projects(session, org_id):
        calendar = await project_calendar(session, project)
        try:
            await scheduling.reschedule(
                session, project.org_id, project.id, project.starts_on, calendar
            )
        except ScheduleError:
            continue  # a plan that cannot be computed keeps its dates until it is fixed


def days_between(first: date, last: date) -> Iterable[date]:
    return (first + timedelta(days=d) for d in range((last - first).days + 1))


# ---- reminders -----------------------------------------------------------------------------


@dataclass
class Reminded:
    due_soon: int = 0
    overdue: int = 0


def _today_in(timezone: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(timezone)).date()


async def remind_due_tasks(session: AsyncSession, now: datetime | None = None) -> Reminded:
    """Tell each assignee, once per due date, that an open task is due today or tomorrow (in
    the organisation's time zone), and once that it is overdue. Reminders already sent are
    remembered (`Reminder`), so running again sends nothing new; a task moved to a new due
    date is reminded of again."""
    now = now or utcnow()
    out = Reminded()
    # Time zones are at most a day from UTC: these due dates can be near or past somewhere.
    first, last = now.date() - timedelta(days=REMIND_OVERDUE_DAYS), now.date() + timedelta(days=2)
    tasks = await repo.reminder_candidates(session, first, last)
    sent = await repo.reminders_sent(session, [t.id for t in tasks])
    zones: dict[uuid.UUID, str] = {}
    for task in tasks:
        if task.org_id not in zones:
            zones[task.org_id] = (await identity.org_of(session, task.org_id)).timezone
        today = _today_in(zones[task.org_id], now)
        if task.due_on < today:
            kind, title = "overdue", _("Overdue: {title}", title=task.title)
        elif task.due_on <= today + timedelta(days=1):
            kind, title = "due_soon", _("Due soon: {title}", title=task.title)
        else:
            continue
        if (task.id, kind, task.due_on) in sent:
            continue
        assert task.assignee_member_id is not None
        await notifications.notify(
            session,
            task.org_id,
            [task.assignee_member_id],
            f"task.{kind}",
            title=title,
            body=_("It is due on {due_on}.", due_on=task.due_on.isoformat()),
            link=("task", task.id),
        )
        session.add(Reminder(subject_id=task.id, kind=kind, on_day=task.due_on, org_id=task.org_id))
        if kind == "overdue":
            out.overdue += 1
        else:
            out.due_soon += 1
    await session.flush()
    return out


REMIND_OVERDUE_DAYS = 30  # older overdue tasks are the battle map's, not a reminder's
