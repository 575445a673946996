"""The work domain's pages, read as rows (`ReadStatement`): the Gantt, a project's task list
and the member's own tasks. The scheduler's verdict (slack, critical) is stored at every write,
so a read never recomputes the plan; the number of statements does not grow with tasks."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, bindparam, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from mems.collab import service as collab
from mems.core.db import Reader, ReadStatement
from mems.core.errors import NotFound
from mems.core.i18n import _
from mems.core.pagination import PageParams
from mems.core.sqljson import uuid_text
from mems.identity import service as identity
from mems.identity.principal import Principal
from mems.projects import service as projects
from mems.risks import service as risks
from mems.strategy import service as strategy
from mems.work import calendar as calendars
from mems.work.models import Baseline, CalendarDay, Phase, Task, TaskDependency, TaskStatus
from mems.work.schedule import Calendar

_TASK_COLUMNS = (
    Task.id,
    Task.project_id,
    Task.phase_id,
    Task.parent_id,
    Task.position,
    Task.title,
    Task.description,
    Task.assignee_member_id,
    Task.not_before,
    Task.starts_on,
    Task.due_on,
    Task.duration_days,
    Task.progress,
    Task.status,
    Task.priority,
    Task.milestone,
    Task.estimate_hours,
    Task.actual_hours,
    Task.key_result_id,
    Task.slack_days,
    Task.critical,
    Task.completed_at,
    Task.version,
)


@cache
def _tasks_statement() -> ReadStatement:
    return ReadStatement(
        select(
            *_TASK_COLUMNS,
            func.nullif(identity.member_name_of(Task.assignee_member_id), "").label(
                "assignee_name"
            ),
        )
        .where(Task.project_id == bindparam("project_id"))
        .order_by(Task.position)
    )


# The Gantt reads thousands of rows that go straight out as JSON: ids and enums come back as
# the text they are sent as (the JSON is the same), so no row pays a Python call per value
# (converting a string to its enum member; writing asyncpg's UUID class, which orjson does
# not know). Its tasks, links and phases refer to each other by these text ids.


def _as_text(column: Any) -> Any:
    """A string enum column as its stored text."""
    return type_coerce(column, String).label(column.key)


def _id_text(column: Any) -> Any:
    """A UUID column as its text, from the database."""
    return uuid_text(column).label(column.key)


@cache
def _gantt_tasks_statement() -> ReadStatement:
    """What the Gantt shows of each task (`GanttTask`), in the order WBS numbering needs."""
    return ReadStatement(
        select(
            _id_text(Task.id),
            _id_text(Task.phase_id),
            _id_text(Task.parent_id),
            Task.title,
            _id_text(Task.assignee_member_id),
            func.nullif(identity.member_name_of(Task.assignee_member_id), "").label(
                "assignee_name"
            ),
            Task.starts_on,
            Task.due_on,
            Task.duration_days,
            Task.progress,
            _as_text(Task.status),
            _as_text(Task.priority),
            Task.milestone,
            Task.slack_days,
            Task.critical,
            Task.version,
        )
        .where(Task.project_id == bindparam("project_id"))
        .order_by(Task.position)
    )


@cache
def _task_statement() -> ReadStatement:
    return ReadStatement(
        select(
            *_TASK_COLUMNS,
            func.nullif(identity.member_name_of(Task.assignee_member_id), "").label(
                "assignee_name"
            ),
        ).where(Task.id == bindparam("task_id"))
    )


@cache
def _dependencies_statement() -> ReadStatement:
    return ReadStatement(
        select(
            _id_text(TaskDependency.id),
            _id_text(TaskDependency.predecessor_id),
            _id_text(TaskDependency.successor_id),
            _as_text(TaskDependency.type),
            TaskDependency.lag_days,
        ).where(TaskDependency.project_id == bindparam("project_id"))
    )


@cache
def _phases_statement(text_ids: bool = False) -> ReadStatement:
    """A project's phases; with `text_ids`, their ids as text (the Gantt's tasks' phase ids)."""
    return ReadStatement(
        select(
            _id_text(Phase.id) if text_ids else Phase.id,
            Phase.project_id,
            Phase.position,
            Phase.name,
            Phase.starts_on,
            Phase.ends_on,
        )
        .where(Phase.project_id == bindparam("project_id"))
        .order_by(Phase.position)
    )


@cache
def _baselines_statement() -> ReadStatement:
    return ReadStatement(
        select(
            Baseline.id,
            Baseline.name,
            Baseline.created_at,
            identity.member_name_of(Baseline.created_by_member_id).label("created_by_name"),
        )
        .where(Baseline.project_id == bindparam("project_id"))
        .order_by(Baseline.created_at.desc())
    )


@cache
def _baseline_dates_statement() -> ReadStatement:
    return ReadStatement(select(Baseline.dates).where(Baseline.id == bindparam("baseline_id")))


@cache
def _calendar_days_statement() -> ReadStatement:
    return ReadStatement(select(CalendarDay.day, CalendarDay.working, CalendarDay.name))


async def _calendar(
    reader: Reader, principal: Principal, first: date, last: date
) -> tuple[Calendar, str]:
    """The organisation's calendar for `[first, last]`, and its time zone."""
    timezone, raw = await identity.view_org_setting(
        reader, principal.org_id, calendars.CALENDAR_SETTING
    )
    settings = calendars.CalendarSettings.of(raw)
    own = [
        calendars.OwnDay(r["day"], r["working"], r["name"])
        for r in await reader.all(_calendar_days_statement())
    ]
    return calendars.build(settings, own, range(first.year, last.year + 1)), timezone


def org_today(timezone: str) -> date:
    return datetime.now(ZoneInfo(timezone)).date()


def wbs_order(tasks: list[dict[str, Any]], phases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tasks in WBS order, each given its number: phase n's tasks are n.1, n.2 …, their
    subtasks n.1.1 …; tasks outside a phase follow the phases' numbers. Pure; one pass to
    group the tasks and one walk (a Gantt numbers thousands)."""
    under_task: dict[Any, list[dict[str, Any]]] = {}
    under_phase: dict[Any, list[dict[str, Any]]] = {}
    for t in tasks:
        parent = t["parent_id"]
        if parent is not None:
            siblings = under_task.get(parent)
            if siblings is None:
                siblings = under_task[parent] = []
        else:
            siblings = under_phase.get(t["phase_id"])
            if siblings is None:
                siblings = under_phase[t["phase_id"]] = []
        siblings.append(t)
    ordered: list[dict[str, Any]] = []
    append = ordered.append

    def walk(siblings: Iterable[dict[str, Any]], prefix: str) -> None:
        for i, t in enumerate(siblings, start=1):
            number = prefix + str(i)
            t["wbs"] = number
            children = under_task.get(t["id"])
            t["summary"] = children is not None
            append(t)
            if children is not None:
                walk(children, number + ".")

    for n, phase in enumerate(phases, start=1):
        walk(under_phase.get(phase["id"], ()), f"{n}.")
    phase_ids = {p["id"] for p in phases}
    loose = list(under_phase.get(None, ()))
    loose += [
        t for key, ts in under_phase.items() if key is not None and key not in phase_ids for t in ts
    ]
    for i, t in enumerate(loose, start=len(phases) + 1):
        t["wbs"] = str(i)
        children = under_task.get(t["id"])
        t["summary"] = children is not None
        append(t)
        if children is not None:
            walk(children, f"{i}.")
    return ordered


def _non_working(calendar: Calendar, first: date, last: date) -> list[date]:
    every = (first + timedelta(days=i) for i in range((last - first).days + 1))
    return [day for day in every if not calendar.is_working(day)]


def _working_days_after(calendar: Calendar, planned: date, now: date) -> int:
    return sum(
        calendar.is_working(planned + timedelta(days=d)) for d in range(1, (now - planned).days + 1)
    )


async def gantt(
    reader: Reader,
    principal: Principal,
    project_id: uuid.UUID,
    baseline_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """Everything the Gantt draws, in a fixed number of statements."""
    project = await projects.project_basics(reader, principal, project_id)
    phases = await reader.all(_phases_statement(text_ids=True), project_id=project_id)
    tasks = wbs_order(await reader.all(_gantt_tasks_statement(), project_id=project_id), phases)
    dependencies = await reader.all(_dependencies_statement(), project_id=project_id)
    baselines = await reader.all(_baselines_statement(), project_id=project_id)
    chosen = baseline_id or (baselines[0]["id"] if baselines else None)
    if baseline_id is not None and all(b["id"] != baseline_id for b in baselines):
        raise NotFound(_("Baseline {baseline_id} not found.", baseline_id=baseline_id))
    planned: dict[str, list[str]] = {}
    if chosen is not None:
        row = await reader.first(_baseline_dates_statement(), baseline_id=chosen)
        planned = (row or {}).get("dates") or {}
    first = min([project["starts_on"], *(t["starts_on"] for t in tasks)])
    last = max([project["ends_on"], *(t["due_on"] for t in tasks)])
    calendar, timezone = await _calendar(reader, principal, first, last)
    slipped = []
    for t in tasks:
        was = planned.get(t["id"])
        t["baseline_starts_on"] = date.fromisoformat(was[0]) if was else None
        t["baseline_due_on"] = date.fromisoformat(was[1]) if was else None
        if t["milestone"] and was and t["due_on"] > t["baseline_due_on"]:
            slipped.append(
                {
                    "task_id": t["id"],
                    "title": t["title"],
                    "planned": t["baseline_due_on"],
                    "now": t["due_on"],
                    "working_days": _working_days_after(
                        calendar, t["baseline_due_on"], t["due_on"]
                    ),
                }
            )
    critical = sorted(
        (t for t in tasks if t["critical"] and not t["summary"]),
        key=lambda t: (t["starts_on"], t["due_on"]),
    )
    return {
        "project": {
            **{k: project[k] for k in ("id", "code", "name", "status", "starts_on", "ends_on")},
            "version": project["version"],
            "finish": max((t["due_on"] for t in tasks), default=None),
        },
        "today": org_today(timezone),
        "phases": phases,
        "tasks": tasks,
        "dependencies": dependencies,
        "critical_path": [t["id"] for t in critical],
        "non_working_days": _non_working(calendar, first, last),
        "baselines": baselines,
        "baseline_id": chosen,
        "slipped_milestones": sorted(slipped, key=lambda s: -s["working_days"]),
    }


async def baselines(
    reader: Reader, principal: Principal, project_id: uuid.UUID
) -> list[dict[str, Any]]:
    """The project's saved baselines, newest first."""
    await projects.project_basics(reader, principal, project_id)
    return await reader.all(_baselines_statement(), project_id=project_id)


async def project_tasks(
    reader: Reader,
    principal: Principal,
    project_id: uuid.UUID,
    *,
    assignee_member_id: uuid.UUID | None = None,
    statuses: Iterable[TaskStatus] = (),
    phase_id: uuid.UUID | None = None,
) -> list[dict[str, Any]]:
    """A project's tasks in WBS order (the list and the board), optionally filtered."""
    await projects.project_basics(reader, principal, project_id)
    phases = await reader.all(_phases_statement(), project_id=project_id)
    tasks = wbs_order(await reader.all(_tasks_statement(), project_id=project_id), phases)
    wanted = set(statuses)
    return [
        t
        for t in tasks
        if (assignee_member_id is None or t["assignee_member_id"] == assignee_member_id)
        and (not wanted or t["status"] in wanted)
        and (phase_id is None or t["phase_id"] == phase_id)
    ]


async def task(reader: Reader, principal: Principal, task_id: uuid.UUID) -> dict[str, Any]:
    row = await reader.first(_task_statement(), task_id=task_id)
    if row is None:
        raise NotFound(_("Task {task_id} not found.", task_id=task_id))
    await projects.project_basics(reader, principal, row["project_id"])
    return row


# ---- my tasks ------------------------------------------------------------------------------

_OPEN = (TaskStatus.TODO, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED)


@cache
def _my_tasks_statement() -> ReadStatement:
    return ReadStatement(
        select(
            Task.id,
            Task.project_id,
            projects.project_code_of(Task.project_id).label("project_code"),
            projects.project_name_of(Task.project_id).label("project_name"),
            Task.title,
            Task.starts_on,
            Task.due_on,
            Task.progress,
            Task.status,
            Task.priority,
            Task.milestone,
            Task.critical,
            Task.version,
        )
        .where(
            Task.assignee_member_id == bindparam("member_id"),
            Task.status.in_(bindparam("statuses", expanding=True)),
            Task.starts_on <= bindparam("horizon"),
            projects.project_takes_work_of(Task.project_id),
        )
        .order_by(Task.due_on, Task.position)
        .limit(500)
    )


async def my_tasks(reader: Reader, principal: Principal) -> dict[str, Any]:
    """The member's home: their open tasks that have started or start within two weeks,
    split into overdue, due today and the rest (by due date)."""
    timezone = await identity.view_org_timezone(reader, principal.org_id)
    today = org_today(timezone)
    rows = await reader.all(
        _my_tasks_statement(),
        member_id=principal.membership_id,
        statuses=[s.value for s in _OPEN],
        horizon=today + timedelta(days=14),
    )
    for r in rows:
        r["overdue"] = r["due_on"] < today
        r["due_today"] = r["due_on"] == today
    return {
        "today": today,
        "overdue": [r for r in rows if r["overdue"]],
        "due_today": [r for r in rows if r["due_today"]],
        "upcoming": [r for r in rows if r["due_on"] > today],
    }


# ---- the battle map ------------------------------------------------------------------------


@cache
def _battle_tasks_statement() -> ReadStatement:
    return ReadStatement(
        select(
            Task.id,
            Task.parent_id,
            Task.title,
            Task.assignee_member_id,
            func.nullif(identity.member_name_of(Task.assignee_member_id), "").label(
                "assignee_name"
            ),
            Task.starts_on,
            Task.due_on,
            Task.duration_days,
            Task.progress,
            _as_text(Task.status),  # thousands of rows: compared with TaskStatus as text
            Task.milestone,
            Task.critical,
            Task.estimate_hours,
        ).where(Task.project_id == bindparam("project_id"))
    )


def _week_of(today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def task_summary(tasks: list[dict[str, Any]], today: date) -> dict[str, Any]:
    """Progress, overdue and critical tasks, milestones and this week's workload from a
    project's tasks (pure). Summary tasks and cancelled ones do not count."""
    parents = {t["parent_id"] for t in tasks if t["parent_id"] is not None}
    leaves = [t for t in tasks if t["id"] not in parents and t["status"] != TaskStatus.CANCELLED]
    weights = [max(t["duration_days"], 1) for t in leaves]
    percent = (
        sum(t["progress"] * w for t, w in zip(leaves, weights, strict=True)) / sum(weights)
        if leaves
        else 0.0
    )
    done = [t for t in leaves if t["status"] == TaskStatus.DONE]
    open_ = [t for t in leaves if t["status"] != TaskStatus.DONE]
    monday, sunday = _week_of(today)
    workload: dict[Any, dict[str, Any]] = {}
    for t in open_:
        if t["assignee_member_id"] is None:
            continue
        person = workload.setdefault(
            t["assignee_member_id"],
            {
                "member_id": t["assignee_member_id"],
                "name": t["assignee_name"],
                "tasks_this_week": 0,
                "hours_this_week": Decimal(0),
                "overdue": 0,
            },
        )
        if t["due_on"] < today:
            person["overdue"] += 1
        first, last = max(t["starts_on"], monday), min(t["due_on"], sunday)
        if first <= last:
            person["tasks_this_week"] += 1
            span = (t["due_on"] - t["starts_on"]).days + 1
            share = Decimal((last - first).days + 1) / Decimal(span)
            person["hours_this_week"] += (t["estimate_hours"] or Decimal(0)) * share
    for person in workload.values():
        person["hours_this_week"] = person["hours_this_week"].quantize(Decimal("0.1"))
    return {
        "progress": {
            "tasks": len(leaves),
            "done": len(done),
            "percent": round(percent, 1),
            "milestones": sum(t["milestone"] for t in leaves),
            "milestones_done": sum(t["milestone"] for t in done),
        },
        "overdue_tasks": sorted(
            (
                {**_brief(t), "days_overdue": (today - t["due_on"]).days}
                for t in open_
                if t["due_on"] < today
            ),
            key=lambda t: (-t["days_overdue"], t["title"]),
        ),
        "critical_path": [
            _brief(t)
            for t in sorted(
                (t for t in leaves if t["critical"]), key=lambda t: (t["starts_on"], t["due_on"])
            )
        ],
        "milestones": [
            _brief(t)
            for t in sorted((t for t in leaves if t["milestone"]), key=lambda t: t["due_on"])
        ],
        "workload": sorted(
            workload.values(), key=lambda p: (-p["tasks_this_week"], -p["overdue"], p["name"])
        ),
    }


def _brief(t: dict[str, Any]) -> dict[str, Any]:
    return {
        k: t[k]
        for k in (
            "id",
            "title",
            "assignee_name",
            "starts_on",
            "due_on",
            "progress",
            "status",
            "milestone",
        )
    }


async def battle_map(
    reader: Reader, session: AsyncSession, principal: Principal, project_id: uuid.UUID
) -> dict[str, Any]:
    """作战地图: one project on one page — its goals and their key results' progress, the
    timeline (phases, milestones, today), the critical path, overdue tasks, open issues and
    risks, this week's workload per person, and the latest activity."""
    project = await projects.project_basics(reader, principal, project_id)
    timezone = await identity.view_org_timezone(reader, principal.org_id)
    today = org_today(timezone)
    phases = await reader.all(_phases_statement(), project_id=project_id)
    tasks = await reader.all(_battle_tasks_statement(), project_id=project_id)
    summary = task_summary(tasks, today)
    links = await projects.goal_links_of(session, principal, project_id)
    titles, _kpi_names = await strategy.goal_and_kpi_names(
        session, principal.org_id, [g for g, _k in links], []
    )
    progress = await strategy.key_results_progress(
        session, principal.org_id, [k for _g, k in links if k is not None]
    )
    goals = [
        {
            "objective_id": goal_id,
            "objective_title": titles.get(goal_id, ""),
            "key_result_id": kpi_id,
            "key_result": None if kpi_id is None else progress.get(kpi_id),
        }
        for goal_id, kpi_id in links
    ]
    issues = await risks.open_issues_summary(session, principal, project_id)
    activity = await collab.project_activity(
        session, principal, project_id, PageParams(limit=10, offset=0)
    )
    return {
        "project": {
            **{k: project[k] for k in ("id", "code", "name", "status", "starts_on", "ends_on")},
            "finish": max((t["due_on"] for t in tasks), default=None),
        },
        "today": today,
        "goals": goals,
        "phases": phases,
        **summary,
        "open_issues": issues,
        "activity": activity["items"],
    }
