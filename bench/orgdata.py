"""The realistic organisation the main pages are measured on (rows only; `datagen` writes them).

One organisation as it looks after five years of use: a goal tree per strategy year, 200
projects a year (1,000 in all) laid out from the built-in templates the way the app lays them
out (phases, starter tasks, budget lines), each with its project team, two goal links and its
立项 approval with the decisions taken on it, retrospectives on the closed ones, requests still
waiting in the approvers' inbox, and an audit log of tens of thousands of rows. The richest
demo project (2026Q4-电商-双十一大促) is the model: manager + team members, the template's
phases and tasks, its budget categories, a goal link with a key result and one without, a
two-step approval.

Everything comes from the seeded generator it is given, so the same seed gives the same rows.
"""

from __future__ import annotations

import bisect
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from mems.finance.categories import category_for
from mems.finance.figures import Level, Thresholds, level
from mems.finance.money import CENT, ZERO, convert
from mems.identity.permissions import Role
from mems.projects.lifecycle import REGISTERED, ProjectStatus
from mems.projects.templates import BUILTIN_PREFIX, BUILTINS, lay_out
from mems.work import calendar as calendars
from mems.work.holidays import china_calendar
from mems.work.schedule import Calendar, Dependency, DependencyType, schedule
from mems.work.schedule import Task as PlanTask

YEARS = (2022, 2023, 2024, 2025, 2026)
PROJECTS_PER_YEAR = 200
TEAMS = ("品牌部", "电商部", "内容组", "活动部", "渠道部", "用户增长组", "公关部", "数据分析组")
# The goal tree of one year: company goals, each broken down into department goals, each into
# team goals, each into individual goals (3 + 9 + 18 + 36 = 66 goals a year).
ROOTS, DEPARTMENTS, TEAM_GOALS, INDIVIDUAL = 3, 3, 2, 2
AUDIT_ROWS_PER_PROJECT = 36  # with the strategy's rows: ~40,000 audit rows
PENDING_SHARE = 0.3  # of the current year's submitted projects: waiting in the inbox

_TEMPLATES = {  # project type → the built-in template it is made from
    "promotion": "holiday_promotion",
    "product_launch": "product_launch",
    "event": "trade_show",
}
_TYPE_WEIGHTS = {"promotion": 5, "product_launch": 3, "event": 2}
_BRANDS = ("电商", "品牌", "新品", "渠道", "内容", "会员")
_CAMPAIGNS = (
    "双十一大促",
    "618年中大促",
    "年货节预热",
    "秋冬新品发布会",
    "春季焕新",
    "年终美妆展会",
    "七夕限定",
    "会员日",
    "开学季",
    "跨年狂欢",
    "达人种草计划",
    "直播专场",
)
_GOAL_TITLES = (
    "提升品牌知名度",
    "扩大线上销售额",
    "提高会员复购率",
    "打造爆款短视频",
    "降低获客成本",
    "拓展线下渠道",
    "提升内容互动率",
    "签约美妆达人",
    "优化投放ROI",
)
_KPI_NAMES = (
    ("社交媒体曝光量", "万次"),
    ("新增粉丝", "人"),
    ("短视频平均CTR", "%"),
    ("单次获客成本", "CNY"),
    ("GMV", "万元"),
    ("复购率", "%"),
)
# Status of a past year's projects, and of the current year's.
_PAST = {"closed": 80, "cancelled": 8, "rejected": 4, "closing": 8}
_CURRENT = {
    "draft": 12,
    "submitted": 20,
    "approved": 10,
    "active": 30,
    "closing": 8,
    "closed": 15,
    "rejected": 2,
    "cancelled": 3,
}
_FINANCE_ABOVE = Decimal(500_000)  # the default flow: finance decides above ¥500,000
_FINISHED = frozenset({ProjectStatus.CLOSED, ProjectStatus.CLOSING})


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _weekdays(first: date, last: date) -> int:
    """Monday-to-Friday days in `[first, last]` (at least 1): a template task's length."""
    return max(
        sum((first + timedelta(days=d)).weekday() < 5 for d in range((last - first).days + 1)), 1
    )


def _at(day: date, rng: random.Random) -> datetime:
    """A moment of office hours (Asia/Shanghai, stored in UTC) on that day."""
    return datetime.combine(day, time(1, 0), tzinfo=UTC) + timedelta(
        seconds=rng.randrange(9 * 3600), microseconds=rng.randrange(1_000_000)
    )


@dataclass
class OrgRows:
    """Rows per table name, in insertion order, and what the benchmark targets."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    project_ids: list[str] = field(default_factory=list)
    root_goal_ids: list[str] = field(default_factory=list)
    year_period_ids: list[str] = field(default_factory=list)
    pending_requests: int = 0

    largest_project_id: str = ""  # the 5,000-task project (the Gantt and the battle map)
    home_tasks: int = 0  # open tasks of the logged-in member (my tasks)
    running_projects: int = 0  # registered projects still running (the overspend list)
    over_warning: int = 0  # of which at or past their warning threshold, whole or on a line

    def add(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        self.tables.setdefault(table, []).append(row)
        return row


def build(
    rng: random.Random,
    org: dict[str, Any],
    members: list[dict[str, Any]],
    users: dict[uuid.UUID, dict[str, Any]],
    today: date,
) -> OrgRows:
    """The organisation's teams, strategy, projects, approvals, audit log and work: every
    template task assigned to someone on its project, the logged-in member's open tasks
    (`_home`) and one 5,000-task project (`_largest_project`). `members`: its membership rows
    (the first is the admin who logs in); `users` by id; `today`: the organisation's today
    (the member's home lists tasks around it)."""
    out = OrgRows()
    org_id = org["id"]
    # Task assignments and the work data draw from a generator of their own, so the rest of
    # the organisation stays what it was before the work domain came.
    work = random.Random(f"work-{org_id}")
    active = [m for m in members if m["is_active"]]
    by_role: dict[str, list[dict[str, Any]]] = {}
    for m in active:
        by_role.setdefault(str(m["role"]), []).append(m)
    managers = by_role[Role.PROJECT_MANAGER] + by_role[Role.DIRECTOR]
    directors = by_role[Role.DIRECTOR]
    finance = by_role[Role.FINANCE]
    workers = by_role[Role.MEMBER] + by_role[Role.PROJECT_MANAGER]

    def name_of(member: dict[str, Any]) -> str:
        return str(users[member["user_id"]]["name"])

    audit_rows: list[dict[str, Any]] = []

    def audit(
        at: datetime,
        who: dict[str, Any],
        action: str,
        entity_type: str,
        entity_id: uuid.UUID,
        label: str | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        parent: tuple[str, uuid.UUID] | None = None,
    ) -> None:
        audit_rows.append(
            {
                "id": _uuid(rng),
                "org_id": org_id,
                "created_at": at,
                "actor_user_id": who["user_id"],
                "actor_name": name_of(who),
                "action": action,
                "entity_type": entity_type,
                "entity_id": str(entity_id),
                "before": before,
                "after": after,
                "request_id": rng.randbytes(8).hex(),
                "entity_label": label,
                "parent_type": parent[0] if parent else None,
                "parent_id": str(parent[1]) if parent else None,
            }
        )

    # ---- teams -------------------------------------------------------------------------------
    team_ids = []
    for i, team_name in enumerate(TEAMS):
        at = org["created_at"] + timedelta(days=1, minutes=i)
        lead = rng.choice(managers)
        team = out.add(
            "teams",
            {
                "id": _uuid(rng),
                "org_id": org_id,
                "name": team_name,
                "description": f"{team_name}负责的营销工作",
                "lead_member_id": lead["id"],
                "created_at": at,
                "updated_at": at,
                "version": 1,
            },
        )
        team_ids.append(team["id"])
        for m in rng.sample(active, 12):
            out.add(
                "team_members",
                {"id": _uuid(rng), "org_id": org_id, "team_id": team["id"], "member_id": m["id"]},
            )
        audit(at, members[0], "create", "teams", team["id"], team_name, None, {"name": team_name})

    # ---- strategy: a year and its quarters, a goal tree with KPIs and check-ins per year -----
    goals_by_year: dict[int, list[dict[str, Any]]] = {}
    kpis_by_goal: dict[uuid.UUID, list[dict[str, Any]]] = {}
    quarters: dict[tuple[int, int], uuid.UUID] = {}
    for year in YEARS:
        at = datetime(year - 1, 12, 15, 2, 0, tzinfo=UTC)
        year_row = out.add(
            "strategy_periods",
            {
                "id": _uuid(rng),
                "org_id": org_id,
                "name": str(year),
                "kind": "year",
                "starts_on": date(year, 1, 1),
                "ends_on": date(year, 12, 31),
                "parent_id": None,
                "created_at": at,
                "updated_at": at,
                "version": 1,
            },
        )
        out.year_period_ids.append(str(year_row["id"]))
        for q in range(1, 5):
            quarters[(year, q)] = out.add(
                "strategy_periods",
                {
                    "id": _uuid(rng),
                    "org_id": org_id,
                    "name": f"{year}Q{q}",
                    "kind": "quarter",
                    "starts_on": date(year, 3 * q - 2, 1),
                    "ends_on": (date(year, 3 * q + 1, 1) if q < 4 else date(year + 1, 1, 1))
                    - timedelta(days=1),
                    "parent_id": year_row["id"],
                    "created_at": at + timedelta(minutes=q),
                    "updated_at": at + timedelta(minutes=q),
                    "version": 1,
                },
            )["id"]
        goals: list[dict[str, Any]] = []

        def goal(
            level: str,
            parent: dict[str, Any] | None,
            n: int,
            year: int = year,
            at: datetime = at,
            year_row: dict[str, Any] = year_row,
            goals: list[dict[str, Any]] = goals,
        ) -> dict[str, Any]:
            created = at + timedelta(hours=1, minutes=len(goals), seconds=rng.randrange(60))
            owner_team = rng.random() < 0.3 and level in ("department", "team")
            row = out.add(
                "objectives",
                {
                    "id": _uuid(rng),
                    "org_id": org_id,
                    "period_id": year_row["id"],
                    "parent_id": parent["id"] if parent else None,
                    "level": level,
                    "title": f"{year} {rng.choice(_GOAL_TITLES)} #{n}",
                    "description": None if rng.random() < 0.5 else "分解自上级目标",
                    "owner_member_id": None if owner_team else rng.choice(managers)["id"],
                    "owner_team_id": rng.choice(team_ids) if owner_team else None,
                    "weight": Decimal(rng.choice(("1", "1", "2", "0.5"))),
                    "created_at": created,
                    "updated_at": created + timedelta(days=rng.randrange(30)),
                    "version": 1 + rng.randrange(2),
                },
            )
            goals.append(row)
            audit(created, members[0], "create", "objectives", row["id"], row["title"], None, {})
            # KPIs: two on most goals, none on a few (flagged as unmeasured), one on individuals.
            count = rng.choice((0, 1, 2, 2)) if level != "individual" else rng.choice((0, 1))
            for k in range(count):
                kpi_name, unit = rng.choice(_KPI_NAMES)
                baseline = Decimal(rng.randrange(10, 1000))
                increase = rng.random() < 0.8
                target = baseline * Decimal("1.3") if increase else baseline * Decimal("0.7")
                checks = [
                    (date(year, month, 28), baseline + (target - baseline) * Decimal(step) / 4)
                    for step, month in enumerate((3, 6, 9), start=1)
                    if date(year, month, 28) < date(2026, 11, 20)
                ]
                kpi = out.add(
                    "key_results",
                    {
                        "id": _uuid(rng),
                        "org_id": org_id,
                        "objective_id": row["id"],
                        "name": f"{kpi_name} {k + 1}",
                        "unit": unit,
                        "baseline": baseline,
                        "target": target.quantize(Decimal("0.0001")),
                        "direction": "increase" if increase else "decrease",
                        "weight": Decimal(rng.choice(("1", "1", "2"))),
                        "owner_member_id": rng.choice(managers)["id"],
                        "due_on": date(year, 12, 31),
                        "source": "manual",
                        "source_config": {},
                        "current_value": checks[-1][1].quantize(Decimal("0.0001"))
                        if checks
                        else None,
                        "current_as_of": checks[-1][0] if checks else None,
                        "created_at": created + timedelta(minutes=k + 1),
                        "updated_at": created + timedelta(minutes=k + 1),
                        "version": 1 + len(checks),
                    },
                )
                kpis_by_goal.setdefault(row["id"], []).append(kpi)
                for day, value in checks:
                    out.add(
                        "key_result_check_ins",
                        {
                            "id": _uuid(rng),
                            "org_id": org_id,
                            "key_result_id": kpi["id"],
                            "value": value.quantize(Decimal("0.0001")),
                            "checked_on": day,
                            "note": None,
                            "created_by_member_id": kpi["owner_member_id"],
                            "created_at": _at(day, rng),
                        },
                    )
            return row

        n = 0
        for _ in range(ROOTS):
            n += 1
            root = goal("company", None, n)
            out.root_goal_ids.append(str(root["id"]))
            for _ in range(DEPARTMENTS):
                n += 1
                dept = goal("department", root, n)
                for _ in range(TEAM_GOALS):
                    n += 1
                    team_goal = goal("team", dept, n)
                    for _ in range(INDIVIDUAL):
                        n += 1
                        goal("individual", team_goal, n)
        goals_by_year[year] = goals

    # ---- projects --------------------------------------------------------------------------
    types = list(_TYPE_WEIGHTS)
    type_weights = list(_TYPE_WEIGHTS.values())
    for year in YEARS:
        statuses = _CURRENT if year == YEARS[-1] else _PAST
        status_names, status_weights = list(statuses), list(statuses.values())
        linkable = [g for g in goals_by_year[year] if g["level"] in ("department", "team")]
        roots = [g for g in goals_by_year[year] if g["parent_id"] is None]
        for number in range(1, PROJECTS_PER_YEAR + 1):
            type_ = rng.choices(types, type_weights)[0]
            template_key = _TEMPLATES[type_]
            template = BUILTINS[template_key]
            starts = date(year, 1, 1) + timedelta(days=rng.randrange(330))
            ends = starts + timedelta(days=rng.randrange(14, 90))
            status = ProjectStatus(rng.choices(status_names, status_weights)[0])
            owner = rng.choice(managers)
            created = _at(starts - timedelta(days=rng.randrange(20, 60)), rng)
            budget = Decimal(rng.randrange(50, 1500) * 1000)
            quarter = (starts.month - 1) // 3 + 1
            project_id = _uuid(rng)
            name = f"{year}Q{quarter}-{rng.choice(_BRANDS)}-{rng.choice(_CAMPAIGNS)} {number:03d}"
            code = f"P{year}-{number:03d}"
            approval_id = _uuid(rng) if status != ProjectStatus.DRAFT else None
            if status == ProjectStatus.CANCELLED and rng.random() < 0.5:
                approval_id = None  # cancelled while still a draft
            updated = created + timedelta(days=rng.randrange(1, 40), seconds=rng.randrange(3600))
            out.add(
                "projects",
                {
                    "id": project_id,
                    "org_id": org_id,
                    "code": code,
                    "name": name,
                    "type": type_,
                    "status": status.value,
                    "description": None
                    if rng.random() < 0.3
                    else f"{name}：{template['description']}",
                    "owner_member_id": owner["id"],
                    "created_by_member_id": owner["id"],
                    "team_id": rng.choice(team_ids),
                    "period_id": quarters[(year, quarter)],
                    "starts_on": starts,
                    "ends_on": ends,
                    "currency": "CNY",
                    "total_budget": budget,
                    "template_key": BUILTIN_PREFIX + template_key,
                    "approval_request_id": approval_id,
                    "created_at": created,
                    "updated_at": updated,
                    "version": 2 + rng.randrange(8),
                },
            )
            out.project_ids.append(str(project_id))
            # Its goal links: a department or team goal with one of its KPIs, and a company goal.
            target = rng.choice(linkable)
            kpis = kpis_by_goal.get(target["id"], [])
            links = [(target["id"], rng.choice(kpis)["id"] if kpis else None)]
            links.append((rng.choice(roots)["id"], None))
            for objective_id, key_result_id in links:
                out.add(
                    "project_goal_links",
                    {
                        "id": _uuid(rng),
                        "org_id": org_id,
                        "project_id": project_id,
                        "objective_id": objective_id,
                        "key_result_id": key_result_id,
                    },
                )
            # Its team: the manager and two to four others.
            others = [w for w in workers if w["id"] != owner["id"]]
            team = [(owner, "manager")] + [
                (m, rng.choice(("core", "core", "contributor", "reviewer")))
                for m in rng.sample(others, rng.randint(2, 4))
            ]
            for m, role in team:
                out.add(
                    "project_members",
                    {
                        "id": _uuid(rng),
                        "org_id": org_id,
                        "project_id": project_id,
                        "membership_id": m["id"],
                        "role": role,
                    },
                )
            # Phases and starter tasks as the template lays them out on the project's dates.
            position = 0
            for i, planned in enumerate(lay_out(template["content"], starts, ends)):
                phase_id = _uuid(rng)
                out.add(
                    "phases",
                    {
                        "id": phase_id,
                        "org_id": org_id,
                        "project_id": project_id,
                        "position": i,
                        "name": planned.name,
                        "starts_on": planned.starts_on,
                        "ends_on": planned.ends_on,
                    },
                )
                for task in planned.tasks:
                    out.add(
                        "tasks",
                        {
                            "id": _uuid(rng),
                            "org_id": org_id,
                            "project_id": project_id,
                            "phase_id": phase_id,
                            "parent_id": None,
                            "position": position,
                            "title": task.title,
                            "assignee_member_id": work.choice(team)[0]["id"],
                            "not_before": task.starts_on,
                            "starts_on": task.starts_on,
                            "due_on": task.ends_on,
                            "duration_days": _weekdays(task.starts_on, task.ends_on),
                            "progress": 100 if status in _FINISHED else 0,
                            "status": "done" if status in _FINISHED else "todo",
                            "priority": "medium",
                            "milestone": False,
                            "slack_days": 0,
                            "critical": False,
                            "estimate_hours": None,
                            "created_at": created,
                            "updated_at": updated,
                            "version": 1,
                        },
                    )
                    position += 1
            # Budget lines (finance's): one per label of the template ("展位费"), in the
            # category the label names, as the app lays them out; planned so they add up to the
            # budget, approved once the project is registered (its 立项 granted the budget).
            labels = template["content"]["budget_categories"]
            shares = [rng.randrange(1, 10) for _ in labels]
            left = budget
            for i, label in enumerate(labels):
                amount = (
                    left
                    if i == len(labels) - 1
                    else (budget * shares[i] / sum(shares)).quantize(Decimal("0.01"))
                )
                left -= amount
                out.add(
                    "budget_lines",
                    {
                        "id": _uuid(rng),
                        "org_id": org_id,
                        "project_id": project_id,
                        "phase_id": None,
                        "position": i,
                        "category": category_for(label).value,
                        "name": label,
                        "amount": amount,
                        "state": "approved" if status in REGISTERED else "plan",
                        "created_at": created,
                        "updated_at": updated,
                        "version": 1,
                    },
                )
            if approval_id is not None:
                _approval(
                    rng,
                    out,
                    org_id,
                    approval_id,
                    project_id,
                    name,
                    budget,
                    owner,
                    status,
                    created,
                    directors,
                    finance,
                    pending=year == YEARS[-1],
                )
            if status == ProjectStatus.CLOSED:
                at = _at(ends + timedelta(days=rng.randrange(3, 20)), rng)
                out.add(
                    "retrospectives",
                    {
                        "id": _uuid(rng),
                        "org_id": org_id,
                        "project_id": project_id,
                        "summary": f"{name} 如期完成，核心指标达成 {rng.randrange(80, 130)}%。",
                        "went_well": "预热节奏好，物料提前完成。",
                        "problems": "高峰期投放预算消耗过快。",
                        "lessons": "大促前预留预算缓冲，投放分时段控制。",
                        "created_at": at,
                        "updated_at": at,
                        "version": 1,
                    },
                )
            # The project's history: creation, edits, team and goal changes, transitions.
            audit(
                created,
                owner,
                "create",
                "projects",
                project_id,
                name,
                None,
                {"code": code, "name": name, "status": "draft", "total_budget": f"{budget:.2f}"},
            )
            for k in range(AUDIT_ROWS_PER_PROJECT - 1):
                at = created + timedelta(hours=6 * (k + 1), seconds=rng.randrange(3600))
                kind = k % 4
                if kind == 0:
                    audit(
                        at,
                        owner,
                        "update",
                        "projects",
                        project_id,
                        name,
                        {"version": k + 1, "description": None},
                        {"version": k + 2, "description": f"第 {k + 1} 次修改"},
                    )
                elif kind == 1:
                    m = rng.choice(workers)
                    audit(
                        at,
                        owner,
                        "create",
                        "project_members",
                        _uuid(rng),
                        None,
                        None,
                        {"membership_id": str(m["id"]), "role": "contributor"},
                        ("projects", project_id),
                    )
                elif kind == 2:
                    audit(
                        at,
                        owner,
                        "update",
                        "tasks",
                        _uuid(rng),
                        None,
                        {"due_on": str(ends - timedelta(days=3))},
                        {"due_on": str(ends)},
                        ("projects", project_id),
                    )
                else:
                    audit(
                        at,
                        owner,
                        "update",
                        "projects",
                        project_id,
                        name,
                        {"status": "draft"},
                        {"status": "submitted"},
                    )
    _home(work, out, members[0], today)
    _largest_project(
        work, out, org_id, owner=work.choice(managers), workers=workers, today=today, audit=audit
    )
    # Money (issue 10), from a generator of its own so every row above stays what it was.
    _finance(
        random.Random(f"finance-{org_id}"),
        out,
        org_id,
        managers=managers,
        directors=directors,
        finance=finance,
        workers=workers,
        today=today,
    )
    audit_rows.sort(key=lambda r: r["created_at"])
    out.tables["audit_logs"] = audit_rows
    out.pending_requests = sum(
        1 for r in out.tables.get("approval_requests", []) if r["state"] == "pending"
    )
    return out


def _approval(
    rng: random.Random,
    out: OrgRows,
    org_id: uuid.UUID,
    approval_id: uuid.UUID,
    project_id: uuid.UUID,
    name: str,
    budget: Decimal,
    owner: dict[str, Any],
    status: ProjectStatus,
    created: datetime,
    directors: list[dict[str, Any]],
    finance: list[dict[str, Any]],
    *,
    pending: bool,
) -> None:
    """The project's 立项 request and the decisions taken on it, as its status says."""
    steps = [{"role": "director", "min_amount": None}]
    if budget > _FINANCE_ABOVE:
        steps.append({"role": "finance", "min_amount": f"{_FINANCE_ABOVE:.2f}"})
    submitted = created + timedelta(days=rng.randrange(1, 10), seconds=rng.randrange(3600))
    deciders = [rng.choice(directors), rng.choice(finance)]
    if status == ProjectStatus.SUBMITTED:
        # Waiting: for the director, or (above the threshold, half the time) for finance.
        decided = rng.randrange(len(steps)) if pending else 0
        state, decided_at = "pending", None
    elif status == ProjectStatus.REJECTED:
        decided, state = 1, "rejected"
        decided_at = submitted + timedelta(days=1)
    elif status in REGISTERED:
        decided, state = len(steps), "approved"
        decided_at = submitted + timedelta(days=len(steps))
    else:  # cancelled after submission: withdrawn
        decided, state = 0, "withdrawn"
        decided_at = submitted + timedelta(days=2)
    out.add(
        "approval_requests",
        {
            "id": approval_id,
            "org_id": org_id,
            "request_type": "project_initiation",
            "subject_id": project_id,
            "title": f"立项：{name}",
            "amount": budget,
            "currency": "CNY",
            "requested_by_member_id": owner["id"],
            "submitted_by_member_id": owner["id"],
            "subject_author_member_id": owner["id"],
            "state": state,
            "steps": {"items": steps},
            "current_step": decided if state == "pending" else None,
            "waiting_for_role": steps[decided]["role"] if state == "pending" else None,
            "decided_at": decided_at,
            "created_at": submitted,
            "updated_at": decided_at or submitted,
            "version": 1 + decided,
        },
    )
    for step in range(decided):
        reject = state == "rejected" and step == decided - 1
        out.add(
            "approval_records",
            {
                "id": _uuid(rng),
                "org_id": org_id,
                "request_id": approval_id,
                "step": step,
                "decided_by_member_id": deciders[step]["id"],
                "decision": "reject" if reject else "approve",
                "comment": "预算偏高，请调整后再提交" if reject else "同意",
                "created_at": submitted + timedelta(days=step + 1),
            },
        )


# ---- work: the member's home and the largest project ----------------------------------------

HOME_PROJECTS, HOME_TASKS_PER_PROJECT = 10, 4  # the logged-in member's 40 open tasks
LARGEST_TASKS, LARGEST_DEPENDENCIES = 5000, 6000
LARGEST_TEAM = 30
_LARGEST_START = date(2026, 1, 5)
_LARGEST_SPAN = 235  # working days the planned starts are spread over (about a year)
_PHASES = ("策划", "筹备", "执行", "复盘")
_ACTIVITIES = (
    "撰写传播文案",
    "设计主视觉",
    "达人沟通与签约",
    "投放排期",
    "素材审核",
    "直播彩排",
    "落地页开发",
    "渠道铺货确认",
    "物料打样",
    "媒体邀约",
    "会员权益配置",
    "数据埋点验收",
    "舆情监测",
    "效果数据复盘",
)


def _home(work: random.Random, out: OrgRows, me: dict[str, Any], today: date) -> None:
    """The logged-in member works on ten running projects with four open tasks each: a few
    overdue, a few due today, the rest coming up (what the member's home lists)."""
    running = [
        p for p in out.tables["projects"] if p["status"] == "active" and p["code"] >= "P2026"
    ]
    tasks_of: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for t in out.tables["tasks"]:
        tasks_of.setdefault(t["project_id"], []).append(t)
    n = 0
    for project in work.sample(running, HOME_PROJECTS):
        out.add(
            "project_members",
            {
                "id": _uuid(work),
                "org_id": project["org_id"],
                "project_id": project["id"],
                "membership_id": me["id"],
                "role": "core",
            },
        )
        for t in work.sample(tasks_of[project["id"]], HOME_TASKS_PER_PROJECT):
            if n < 6:  # overdue
                due = today - timedelta(days=1 + n)
            elif n < 10:  # due today
                due = today
            else:  # coming up: started, or starting within two weeks
                due = today + timedelta(days=work.randint(1, 20))
            starts = min(due, today + timedelta(days=work.randint(-12, 12)))
            status = work.choice(("todo", "in_progress", "in_progress", "blocked"))
            t.update(
                assignee_member_id=me["id"],
                not_before=starts,
                starts_on=starts,
                due_on=due,
                duration_days=_weekdays(starts, due),
                status=status,
                progress=0 if status == "todo" else work.randrange(10, 90, 10),
            )
            n += 1
    out.home_tasks = n


def _largest_project(
    work: random.Random,
    out: OrgRows,
    org_id: uuid.UUID,
    *,
    owner: dict[str, Any],
    workers: list[dict[str, Any]],
    today: date,
    audit: Any,
) -> None:
    """A year-long programme of 5,000 tasks: four phases, each of deliverables broken into work
    packages (a quarter of them leaves) and activities (WBS 2-3 levels deep), 6,000 FS/SS/FF
    links between leaf tasks, always from an earlier to a later one (no cycle), most of them
    fitting the planned starts, some tight (the critical chains); dates, slack and the critical
    flag from running the app's scheduler once on China's calendar, as a plan write does; two
    saved baselines, the latest with milestones a few days earlier than now (slips). For its
    battle map: two goal links (a department goal with one of its key results, and a company
    goal), estimates on the leaf tasks, some of the last fortnight's tasks late, a dozen open
    issues and risks, and its team's recent activity in the audit log."""

    project_id = _uuid(work)
    created = datetime(2025, 12, 10, 2, 0, tzinfo=UTC)
    out.largest_project_id = str(project_id)
    out.add(
        "projects",
        {
            "id": project_id,
            "org_id": org_id,
            "code": "P2026-201",
            "name": "2026-品牌-年度整合营销战役",
            "type": "promotion",
            "status": "active",
            "description": "全年整合营销：策划、筹备、执行与复盘，覆盖全部渠道与大促节点。",
            "owner_member_id": owner["id"],
            "created_by_member_id": owner["id"],
            "team_id": out.tables["teams"][0]["id"],
            "period_id": uuid.UUID(out.year_period_ids[-1]),
            "starts_on": _LARGEST_START,
            "ends_on": date(2026, 12, 31),
            "currency": "CNY",
            "total_budget": Decimal(12_000_000),
            "template_key": None,
            "approval_request_id": None,
            "created_at": created,
            "updated_at": created,
            "version": 40,
        },
    )
    team = [owner, *work.sample([w for w in workers if w["id"] != owner["id"]], LARGEST_TEAM - 1)]
    for i, m in enumerate(team):
        out.add(
            "project_members",
            {
                "id": _uuid(work),
                "org_id": org_id,
                "project_id": project_id,
                "membership_id": m["id"],
                "role": "manager" if i == 0 else work.choice(("core", "contributor")),
            },
        )

    this_year = uuid.UUID(out.year_period_ids[-1])
    goals = [g for g in out.tables["objectives"] if g["period_id"] == this_year]
    measured = {k["objective_id"] for k in out.tables["key_results"]}
    department = work.choice(
        [g for g in goals if g["level"] == "department" and g["id"] in measured]
    )
    kpi = work.choice(
        [k for k in out.tables["key_results"] if k["objective_id"] == department["id"]]
    )
    root = work.choice([g for g in goals if g["parent_id"] is None])
    for objective_id, key_result_id in ((department["id"], kpi["id"]), (root["id"], None)):
        out.add(
            "project_goal_links",
            {
                "id": _uuid(work),
                "org_id": org_id,
                "project_id": project_id,
                "objective_id": objective_id,
                "key_result_id": key_result_id,
            },
        )

    # The WBS: (phase, parent index, title) in position order; parents come before children.
    wbs: list[tuple[int, int | None, str]] = []
    per_phase = LARGEST_TASKS // len(_PHASES)
    for p, phase_name in enumerate(_PHASES):
        n, d = 0, 0
        while n < per_phase:
            d += 1
            top = len(wbs)
            wbs.append((p, None, f"{phase_name}·交付物 {d}"))
            n += 1
            for k in range(work.randint(3, 5)):
                if n >= per_phase:
                    break
                package = len(wbs)
                wbs.append((p, top, f"工作包 {d}.{k + 1}"))
                n += 1
                if work.random() < 0.25:
                    continue  # a work package done as one piece (two levels)
                for j in range(work.randint(3, 7)):
                    if n >= per_phase:
                        break
                    wbs.append((p, package, f"{work.choice(_ACTIVITIES)} {d}.{k + 1}.{j + 1}"))
                    n += 1
    ids = [_uuid(work) for _ in wbs]
    parents = {parent for _, parent, _ in wbs if parent is not None}
    leaves = [i for i in range(len(wbs)) if i not in parents]
    calendar = calendars.build(
        calendars.CalendarSettings(),
        (),
        calendars.years_around(_LARGEST_START, date(2026, 12, 31)),
    )
    durations, asked_on, links = programme(work, len(leaves), LARGEST_DEPENDENCIES, calendar)
    duration = {i: durations[k] for k, i in enumerate(leaves)}
    milestone = {i: durations[k] == 0 for k, i in enumerate(leaves)}
    asked = {i: asked_on[k] for k, i in enumerate(leaves)}  # the starts asked for
    plan = schedule(
        [PlanTask(ids[i], duration[i], asked[i]) for i in leaves],
        [
            Dependency(ids[leaves[a]], ids[leaves[b]], kind, lag)
            for (a, b), (kind, lag) in links.items()
        ],
        _LARGEST_START,
        calendar,
    )
    # Leaves take the scheduler's verdict; a summary spans its children (scheduling.apply).
    verdict: dict[int, tuple[date, date, int, bool]] = {}
    for i in leaves:
        s = plan.tasks[ids[i]]
        verdict[i] = (s.start, s.finish, s.slack, s.critical)
    children: dict[int, list[int]] = {}
    for i, (_p, parent, _t) in enumerate(wbs):
        if parent is not None:
            children.setdefault(parent, []).append(i)
    for i in reversed(range(len(wbs))):
        if i in children:
            spans = [verdict[c] for c in children[i]]
            verdict[i] = (
                min(s[0] for s in spans),
                max(s[1] for s in spans),
                min(s[2] for s in spans),
                any(s[3] for s in spans),
            )

    phase_ids = [_uuid(work) for _ in _PHASES]
    for p, phase_name in enumerate(_PHASES):
        mine = [verdict[i] for i, (q, parent, _t) in enumerate(wbs) if q == p and parent is None]
        out.add(
            "phases",
            {
                "id": phase_ids[p],
                "org_id": org_id,
                "project_id": project_id,
                "position": p,
                "name": phase_name,
                "starts_on": min(v[0] for v in mine),
                "ends_on": max(v[1] for v in mine),
            },
        )
    for i, (p, parent, title) in enumerate(wbs):
        start, due, slack, critical = verdict[i]
        if due < today and not (
            i not in parents and (today - due).days <= 14 and work.random() < 0.3
        ):
            status, progress = "done", 100
        elif start <= today:
            status, progress = "in_progress", work.randrange(10, 90, 10)
        else:
            status, progress = "todo", 0
        out.add(
            "tasks",
            {
                "id": ids[i],
                "org_id": org_id,
                "project_id": project_id,
                "phase_id": phase_ids[p],
                "parent_id": None if parent is None else ids[parent],
                "position": i,
                "title": title,
                "assignee_member_id": work.choice(team)["id"],
                "not_before": asked.get(i),
                "starts_on": start,
                "due_on": due,
                "duration_days": duration.get(i, 0),
                "progress": progress,
                "status": status,
                "priority": work.choice(("low", "medium", "medium", "high", "urgent")),
                "milestone": milestone.get(i, False),
                "slack_days": slack,
                "critical": critical,
                "estimate_hours": None
                if i in parents
                else Decimal(8 * max(duration[i], 1)) * Decimal(work.choice(("0.5", "0.75", "1"))),
                "created_at": created,
                "updated_at": created + timedelta(days=work.randrange(300)),
                "version": 1 + work.randrange(5),
            },
        )
    _issues_and_activity(
        work,
        out,
        org_id,
        project_id,
        team,
        [t for t in out.tables["tasks"] if t["project_id"] == project_id],
        today,
        audit,
    )
    for (a, b), (kind, lag) in links.items():
        out.add(
            "task_dependencies",
            {
                "id": _uuid(work),
                "org_id": org_id,
                "project_id": project_id,
                "predecessor_id": ids[leaves[a]],
                "successor_id": ids[leaves[b]],
                "type": kind.value,
                "lag_days": lag,
            },
        )
    for n, (name, at) in enumerate(
        (("立项基线", created), ("年中调整", datetime(2026, 6, 30, 8, 0, tzinfo=UTC)))
    ):
        dates = {}
        for i in range(len(wbs)):
            start, due = verdict[i][0], verdict[i][1]
            if milestone.get(i) and work.random() < 0.4:  # planned a few days earlier
                early = timedelta(days=work.randint(1, 7))
                start, due = start - early, due - early
            dates[str(ids[i])] = [start.isoformat(), due.isoformat()]
        out.add(
            "task_baselines",
            {
                "id": _uuid(work),
                "org_id": org_id,
                "project_id": project_id,
                "name": name,
                "created_at": at,
                "created_by_member_id": owner["id"] if n == 0 else team[1]["id"],
                "dates": dates,
            },
        )


Links = dict[tuple[int, int], tuple[DependencyType, int]]


def programme(
    work: random.Random, tasks: int, dependencies: int, calendar: Calendar
) -> tuple[list[int], list[date], Links]:
    """A year-long plan of `tasks` schedulable tasks (indices in position order): each task's
    length in working days (0: a milestone, 4 %), the start it asks for (spread over about a
    year from _LARGEST_START, phase after phase) and `dependencies` links, each from an
    earlier task to a later one (so no cycle): FS (75 %) to a task planned to start after the
    predecessor's planned finish, one in five of them tightly; SS (20 %) with a lag of up to
    three days; FF (5 %) to a task of the next 60."""
    durations = [0 if work.random() < 0.04 else work.randint(1, 8) for _ in range(tasks)]
    planned = [k * _LARGEST_SPAN // tasks for k in range(tasks)]
    days, day = [], _LARGEST_START
    while len(days) <= _LARGEST_SPAN:
        if calendar.is_working(day):
            days.append(day)
        day += timedelta(days=1)
    links: Links = {}
    while len(links) < dependencies:
        a = work.randrange(tasks - 1)
        roll = work.random()
        if roll < 0.75:
            kind, lag = DependencyType.FS, 1 if work.random() < 0.1 else 0
            earliest = planned[a] + durations[a] + lag
            lo = bisect.bisect_left(planned, earliest, lo=a + 1)
            hi = bisect.bisect_left(planned, earliest + 8, lo=lo)
            b = lo if work.random() < 0.2 else work.randrange(lo, max(hi, lo + 1))
        elif roll < 0.95:
            kind, lag = DependencyType.SS, work.randint(0, 3)
            lo = bisect.bisect_left(planned, planned[a] + lag, lo=a + 1)
            b = work.randrange(lo, lo + 40)
        else:
            kind, lag = DependencyType.FF, 0
            b = work.randrange(a + 1, a + 60)
        if b < tasks:
            links.setdefault((a, b), (kind, lag))
    return durations, [days[k] for k in planned], links


def scheduling_inputs(
    seed: int, tasks: int = LARGEST_TASKS, dependencies: int = LARGEST_DEPENDENCIES
) -> tuple[list[PlanTask], list[Dependency], date, Calendar]:
    """What `mems.work.schedule.schedule` is measured on: a programme of 5,000 tasks and 6,000
    links (as above), on China's calendar for 2025-2029."""
    calendar = china_calendar(range(2025, 2030))
    durations, asked, links = programme(random.Random(seed), tasks, dependencies, calendar)
    ids = [uuid.UUID(int=random.Random(seed + k).getrandbits(128), version=4) for k in range(tasks)]
    return (
        [PlanTask(ids[k], durations[k], asked[k]) for k in range(tasks)],
        [Dependency(ids[a], ids[b], kind, lag) for (a, b), (kind, lag) in links.items()],
        _LARGEST_START,
        calendar,
    )


_ISSUES = (
    ("issue", "主播档期冲突，直播需改期"),
    ("issue", "物料供应商交付延迟"),
    ("risk", "大促期间流量成本上涨"),
    ("risk", "达人合作合同未按时签署"),
    ("issue", "落地页性能不达标"),
    ("risk", "舆情风险：竞品负面对比"),
    ("issue", "预算审批流程卡在财务"),
    ("risk", "仓储发货能力不足"),
    ("issue", "埋点数据缺失"),
    ("risk", "平台规则调整影响活动玩法"),
    ("issue", "设计资源不足"),
    ("risk", "天气影响线下快闪活动"),
)


def _issues_and_activity(
    work: random.Random,
    out: OrgRows,
    org_id: uuid.UUID,
    project_id: uuid.UUID,
    team: list[dict[str, Any]],
    tasks: list[dict[str, Any]],
    today: date,
    audit: Any,
) -> None:
    """The largest project's open issues and risks, and its team's last weeks in the audit
    log (progress updates on tasks, an issue raised, a link added)."""
    for kind, title in _ISSUES:
        raised = _at(today - timedelta(days=work.randint(2, 30)), work)
        risk = kind == "risk"
        out.add(
            "work_issues",
            {
                "id": _uuid(work),
                "org_id": org_id,
                "project_id": project_id,
                "task_id": None,
                "kind": kind,
                "title": title,
                "description": None,
                "severity": work.choice(("low", "medium", "high", "critical")),
                "probability": work.randint(1, 5) if risk else None,
                "impact": work.randint(1, 5) if risk else None,
                "owner_member_id": work.choice(team)["id"],
                "raised_by_member_id": team[0]["id"],
                "due_on": today + timedelta(days=work.randint(-5, 20)),
                "status": work.choice(("open", "in_progress")),
                "escalation": "none",
                "escalated_at": None,
                "resolved_at": None,
                "resolution": None,
                "created_at": raised,
                "updated_at": raised,
                "version": 1,
            },
        )
    recent = [t for t in tasks if t["status"] == "in_progress"]
    for k in range(60):
        t = work.choice(recent)
        at = _at(today - timedelta(days=k // 4), work)
        audit(
            at,
            work.choice(team),
            "update",
            "tasks",
            t["id"],
            t["title"],
            {"progress": max(t["progress"] - 10, 0)},
            {"progress": t["progress"]},
            ("projects", project_id),
        )


# ---- money: budgets, ledgers and thresholds (issue 10) ----------------------------------------

RUNNING_PROJECTS = 2000  # registered projects still running: what the overspend list scans
LARGEST_COST_ENTRIES = 50_000  # the largest project's ledger: the budget summary's target
LARGEST_BUDGET = Decimal(12_000_000)
HOT_SHARE = 0.12  # running projects spending a line (or the whole) past 80 %
OWN_THRESHOLDS_SHARE = 0.15  # running projects with thresholds of their own
# The organisation's thresholds (finance.warn_percent / critical_percent), as JSON numbers.
ORG_WARN, ORG_CRITICAL = 80, 100
_OWN_THRESHOLDS = (
    (Decimal("70.00"), Decimal("90.00")),
    (Decimal("75.00"), Decimal("100.00")),
    (Decimal("85.00"), Decimal("100.00")),
    (Decimal("90.00"), Decimal("110.00")),
)
# Other currencies a cost is paid in, with the rate to CNY recorded with it (6 decimals).
_FOREIGN = (
    ("USD", Decimal("7.123456")),
    ("HKD", Decimal("0.912345")),
    ("EUR", Decimal("7.701234")),
    ("JPY", Decimal("0.047512")),
)
_VENDORS = (
    "巨量引擎",
    "阿里妈妈",
    "小红书商业化",
    "微博广告",
    "国家会展中心",
    "顺丰速运",
    "印象印务",
    "星图达人",
    "携程商旅",
    "灵动传媒",
    None,
)
# Lines a project adds to its template's, each for one of its phases.
_PHASE_LINES = ("执行期人力外包", "预热期信息流投放", "现场物料", "差旅住宿", "第三方监测服务")
# The largest programme's lines: (label, phase index or None, share of the budget, share used).
_LARGEST_LINES = (
    ("平台广告", 2, 22, 0.83),
    ("信息流投放", 2, 18, 0.97),
    ("达人佣金", 1, 14, 0.74),
    ("直播", 2, 10, 1.06),
    ("物料制作", 1, 9, 0.69),
    ("线下场地", 2, 8, 0.81),
    ("差旅", None, 5, 0.62),
    ("人力外包", None, 9, 0.77),
    ("复盘调研服务", 3, 5, 0.21),
)
_UNBUDGETED_CATEGORIES = ("other", "materials", "travel", "ad_spend")


def _parts(rng: random.Random, cents_total: int, k: int) -> list[int]:
    """`cents_total` split into `k` random parts of at least one cent (fewer when too small)."""
    k = max(1, min(k, cents_total))
    weights = [rng.random() + 0.1 for _ in range(k)]
    whole = sum(weights)
    parts = [max(1, int(cents_total * w / whole)) for w in weights]
    parts[-1] += cents_total - sum(parts)
    if parts[-1] < 1:  # rounding took too much from the last: give it back from the largest
        top = max(range(k), key=parts.__getitem__)
        parts[top] += parts[-1] - 1
        parts[-1] = 1
    return parts


class _Ledger:
    """Writes cost entries and measures what they add up to, per project and line."""

    def __init__(
        self,
        rng: random.Random,
        out: OrgRows,
        org_id: uuid.UUID,
        finance: list[dict[str, Any]],
        today: date,
    ) -> None:
        self.rng, self.out, self.org_id, self.finance, self.today = (
            rng,
            out,
            org_id,
            finance,
            today,
        )
        self.used: dict[Any, Decimal] = {}  # per line id, and per project id (all its costs)

    def entries(
        self,
        project: dict[str, Any],
        cents_total: int,
        count: int,
        *,
        line: dict[str, Any] | None,
        category: str,
        phase_ids: list[uuid.UUID],
        first: date,
        last: date,
        actual_share: float,
    ) -> None:
        rng = self.rng
        span = max((last - first).days, 0)
        for part in _parts(rng, cents_total, count):
            amount = Decimal(part) / 100
            currency, rate, amount_project = "CNY", Decimal(1), amount
            if rng.random() < 0.06:
                currency, rate = rng.choice(_FOREIGN)
                amount = max((amount / rate).quantize(CENT, rounding=ROUND_HALF_UP), CENT)
                amount_project = convert(amount, rate)
                if amount_project <= 0:
                    currency, rate, amount, amount_project = "CNY", Decimal(1), CENT, CENT
            day = first + timedelta(days=rng.randint(0, span))
            actual = rng.random() < actual_share
            verified = actual and (self.today - day).days > 7 and rng.random() < 0.6
            checker = rng.choice(self.finance)
            # A cost on a line takes the line's phase unless it names one (template lines
            # have none: half of their costs say which phase they were for).
            phase = line["phase_id"] if line is not None else None
            if phase is None and phase_ids and rng.random() < 0.5:
                phase = rng.choice(phase_ids)
            recorded = min(day + timedelta(days=rng.randint(0, 3)), self.today)
            created = _at(recorded, rng)
            self.out.add(
                "cost_entries",
                {
                    "id": _uuid(rng),
                    "org_id": self.org_id,
                    "project_id": project["id"],
                    "line_id": None if line is None else line["id"],
                    "category": category,
                    "phase_id": phase,
                    "vendor": rng.choice(_VENDORS),
                    "kind": "actual" if actual else "committed",
                    "amount": amount,
                    "currency": currency,
                    "rate": rate,
                    "amount_project": amount_project,
                    "incurred_on": day,
                    "description": None
                    if rng.random() < 0.4
                    else f"{line['name'] if line else category} {day:%m-%d}",
                    "source": "import" if rng.random() < 0.1 else "manual",
                    "recorded_by_member_id": rng.choice(
                        (checker["id"], project["owner_member_id"])
                    ),
                    "verified_at": _at(min(day + timedelta(days=7), self.today), rng)
                    if verified
                    else None,
                    "verified_by_member_id": checker["id"] if verified else None,
                    "created_at": created,
                    "updated_at": created,
                    "version": 2 if verified else 1,
                },
            )
            if line is not None:
                self.used[line["id"]] = self.used.get(line["id"], ZERO) + amount_project
            self.used[project["id"]] = self.used.get(project["id"], ZERO) + amount_project


def _finance(
    fin: random.Random,
    out: OrgRows,
    org_id: uuid.UUID,
    *,
    managers: list[dict[str, Any]],
    directors: list[dict[str, Any]],
    finance: list[dict[str, Any]],
    workers: list[dict[str, Any]],
    today: date,
) -> None:
    """The organisation's money after five years: the thresholds finance set (80 / 100 %),
    as many more registered projects as make RUNNING_PROJECTS running ones (approved, active,
    closing; each laid out from its template like the others — phases, starter tasks, its
    team, its 立项 approved — with 5-8 approved budget lines, the template's and one or two
    for a phase), a ledger for every registered project (closed ones spent 60-100 %, running
    ones up to ~70 % on each line, HOT_SHARE of them past 80 % on a line or as a whole, a few
    costs on no line, 6 % in another currency at its rate, three in four actual and the rest
    committed, most older actual ones verified), a project_budgets row wherever costs were
    recorded (the app makes it with the first cost; OWN_THRESHOLDS_SHARE of the running ones
    with thresholds of their own) with the levels last announced, and the largest programme's
    budget: nine lines over its phases and LARGEST_COST_ENTRIES costs."""
    at = datetime.combine(today - timedelta(days=200), time(2, 0), tzinfo=UTC)
    for key, value in (
        ("finance.warn_percent", ORG_WARN),
        ("finance.critical_percent", ORG_CRITICAL),
    ):
        out.add(
            "org_settings",
            {
                "id": _uuid(fin),
                "org_id": org_id,
                "key": key,
                "value": value,
                "revision": 1,
                "updated_at": at,
                "updated_by_member_id": finance[0]["id"],
            },
        )
    running_statuses = {
        s.value for s in (ProjectStatus.APPROVED, ProjectStatus.ACTIVE, ProjectStatus.CLOSING)
    }
    projects = out.tables["projects"]
    largest = next(p for p in projects if str(p["id"]) == out.largest_project_id)
    existing_running = sum(p["status"] in running_statuses for p in projects)
    quarters = {
        p["name"]: p["id"] for p in out.tables["strategy_periods"] if p["kind"] == "quarter"
    }
    team_ids = [t["id"] for t in out.tables["teams"]]
    for n in range(RUNNING_PROJECTS - existing_running):
        _running_project(
            fin,
            out,
            org_id,
            n,
            today=today,
            managers=managers,
            directors=directors,
            finance=finance,
            workers=workers,
            team_ids=team_ids,
            quarters=quarters,
        )

    lines_of: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for line in out.tables["budget_lines"]:
        lines_of.setdefault(line["project_id"], []).append(line)
    phases_of: dict[uuid.UUID, list[uuid.UUID]] = {}
    for phase in out.tables["phases"]:
        phases_of.setdefault(phase["project_id"], []).append(phase["id"])
    _largest_budget(fin, out, org_id, largest, phases_of[largest["id"]], lines_of)

    ledger = _Ledger(fin, out, org_id, finance, today)
    registered = {s.value for s in REGISTERED}
    own: dict[uuid.UUID, tuple[Decimal, Decimal]] = {}
    for project in projects:
        if project["status"] not in registered:
            continue
        status = project["status"]
        running = status in running_statuses
        lines = lines_of.get(project["id"], [])
        phase_ids = phases_of.get(project["id"], [])
        first = project["created_at"].date() if status == "approved" else project["starts_on"]
        last = min(project["ends_on"], today)
        if project is largest:
            _largest_ledger(fin, ledger, project, lines, phase_ids, today)
        else:
            hot = running and fin.random() < HOT_SHARE
            whole_hot = hot and fin.random() < 0.3
            hot_lines = set(fin.sample(range(len(lines)), fin.randint(1, 2))) if hot else set()
            for i, line in enumerate(lines):
                if status == "closed":
                    used = fin.uniform(0.6, 1.02)
                elif status == "approved":
                    used = fin.uniform(0.0, 0.3) if fin.random() < 0.4 else 0.0
                elif whole_hot:
                    used = fin.uniform(0.8, 0.98)
                elif i in hot_lines:
                    used = fin.uniform(0.8, 1.3)
                else:
                    used = fin.uniform(0.05, 0.68)
                cents_total = int(line["amount"] * 100 * Decimal(used))
                if cents_total <= 0:
                    continue
                ledger.entries(
                    project,
                    cents_total,
                    fin.randint(2, 8),
                    line=line,
                    category=line["category"],
                    phase_ids=phase_ids,
                    first=first,
                    last=max(last, first),
                    actual_share=0.2 if status == "approved" else 0.75,
                )
            if status != "approved" and fin.random() < 0.15:  # money spent on no line
                ledger.entries(
                    project,
                    int(project["total_budget"] * fin.randint(5, 20)) // 10,
                    fin.randint(1, 3),
                    line=None,
                    category=fin.choice(_UNBUDGETED_CATEGORIES),
                    phase_ids=phase_ids,
                    first=first,
                    last=max(last, first),
                    actual_share=0.75,
                )
        if running and fin.random() < OWN_THRESHOLDS_SHARE:
            own[project["id"]] = fin.choice(_OWN_THRESHOLDS)

    # The levels last announced, and the project_budgets rows (made with the first cost).
    org = Thresholds(Decimal(ORG_WARN), Decimal(ORG_CRITICAL))
    running_count = over = 0
    for project in projects:
        pid = project["id"]
        lines = lines_of.get(pid, [])
        thresholds = Thresholds(*own[pid]) if pid in own else org
        worst = Level.OK
        for line in lines:
            line_level = Level.OK
            if line["state"] == "approved":
                line_level = level(ledger.used.get(line["id"], ZERO), line["amount"], thresholds)
            line["alert_level"] = int(line_level)
            worst = max(worst, line_level)
        budget = sum((x["amount"] for x in lines if x["state"] == "approved"), ZERO)
        whole = level(ledger.used.get(pid, ZERO), budget, thresholds)
        if project["status"] in running_statuses:
            running_count += 1
            over += max(worst, whole) > Level.OK
        if pid in ledger.used or pid in own:
            warn, critical = own.get(pid, (None, None))
            out.add(
                "project_budgets",
                {
                    "id": _uuid(fin),
                    "org_id": org_id,
                    "project_id": pid,
                    "warn_percent": warn,
                    "critical_percent": critical,
                    "alert_level": int(whole),
                    "created_at": project["updated_at"],
                    "updated_at": project["updated_at"],
                },
            )
    out.running_projects, out.over_warning = running_count, over


def _running_project(
    fin: random.Random,
    out: OrgRows,
    org_id: uuid.UUID,
    n: int,
    *,
    today: date,
    managers: list[dict[str, Any]],
    directors: list[dict[str, Any]],
    finance: list[dict[str, Any]],
    workers: list[dict[str, Any]],
    team_ids: list[uuid.UUID],
    quarters: dict[str, uuid.UUID],
) -> None:
    """One more registered project that is still running, made as the others are (its
    template's phases, starter tasks and budget lines, its team and its approved 立项), dated
    around today, with one or two lines of its own for a phase; no goal links or audit rows
    (the strategy pages and the audit log stay as they were)."""
    roll = fin.random()
    status = (
        ProjectStatus.ACTIVE
        if roll < 0.7
        else ProjectStatus.APPROVED
        if roll < 0.85
        else ProjectStatus.CLOSING
    )
    if status == ProjectStatus.APPROVED:
        starts = today + timedelta(days=fin.randint(1, 30))
        ends = starts + timedelta(days=fin.randint(30, 120))
    elif status == ProjectStatus.ACTIVE:
        starts = today - timedelta(days=fin.randint(5, 150))
        ends = today + timedelta(days=fin.randint(5, 120))
    else:
        ends = today - timedelta(days=fin.randint(1, 25))
        starts = ends - timedelta(days=fin.randint(30, 150))
    type_ = fin.choices(list(_TYPE_WEIGHTS), list(_TYPE_WEIGHTS.values()))[0]
    template_key = _TEMPLATES[type_]
    template = BUILTINS[template_key]
    owner = fin.choice(managers)
    created = _at(starts - timedelta(days=fin.randrange(20, 60)), fin)
    updated = created + timedelta(days=fin.randrange(1, 15), seconds=fin.randrange(3600))
    budget = Decimal(fin.randrange(50, 1500) * 1000)
    quarter = (starts.month - 1) // 3 + 1
    project_id = _uuid(fin)
    code = f"P{starts.year}-{1000 + n:04d}"
    name = f"{starts.year}Q{quarter}-{fin.choice(_BRANDS)}-{fin.choice(_CAMPAIGNS)} {code}"
    approval_id = _uuid(fin)
    out.add(
        "projects",
        {
            "id": project_id,
            "org_id": org_id,
            "code": code,
            "name": name,
            "type": type_,
            "status": status.value,
            "description": f"{name}：{template['description']}",
            "owner_member_id": owner["id"],
            "created_by_member_id": owner["id"],
            "team_id": fin.choice(team_ids),
            "period_id": quarters.get(f"{starts.year}Q{quarter}"),
            "starts_on": starts,
            "ends_on": ends,
            "currency": "CNY",
            "total_budget": budget,
            "template_key": BUILTIN_PREFIX + template_key,
            "approval_request_id": approval_id,
            "created_at": created,
            "updated_at": updated,
            "version": 3 + fin.randrange(6),
        },
    )
    others = [w for w in workers if w["id"] != owner["id"]]
    team = [(owner, "manager")] + [
        (m, fin.choice(("core", "core", "contributor", "reviewer")))
        for m in fin.sample(others, fin.randint(2, 4))
    ]
    for m, role in team:
        out.add(
            "project_members",
            {
                "id": _uuid(fin),
                "org_id": org_id,
                "project_id": project_id,
                "membership_id": m["id"],
                "role": role,
            },
        )
    position = 0
    phase_ids = []
    for i, planned in enumerate(lay_out(template["content"], starts, ends)):
        phase_id = _uuid(fin)
        phase_ids.append(phase_id)
        out.add(
            "phases",
            {
                "id": phase_id,
                "org_id": org_id,
                "project_id": project_id,
                "position": i,
                "name": planned.name,
                "starts_on": planned.starts_on,
                "ends_on": planned.ends_on,
            },
        )
        for task in planned.tasks:
            if status == ProjectStatus.CLOSING or task.ends_on < today:
                task_status, progress = "done", 100
            elif task.starts_on <= today:
                task_status, progress = "in_progress", fin.randrange(10, 90, 10)
            else:
                task_status, progress = "todo", 0
            out.add(
                "tasks",
                {
                    "id": _uuid(fin),
                    "org_id": org_id,
                    "project_id": project_id,
                    "phase_id": phase_id,
                    "parent_id": None,
                    "position": position,
                    "title": task.title,
                    "assignee_member_id": fin.choice(team)[0]["id"],
                    "not_before": task.starts_on,
                    "starts_on": task.starts_on,
                    "due_on": task.ends_on,
                    "duration_days": _weekdays(task.starts_on, task.ends_on),
                    "progress": progress,
                    "status": task_status,
                    "priority": "medium",
                    "milestone": False,
                    "slack_days": 0,
                    "critical": False,
                    "estimate_hours": None,
                    "created_at": created,
                    "updated_at": updated,
                    "version": 1,
                },
            )
            position += 1
    labels = [(label, None) for label in template["content"]["budget_categories"]]
    for label in fin.sample(_PHASE_LINES, fin.randint(1, 2)):
        labels.append((label, fin.choice(phase_ids)))
    shares = [fin.randrange(1, 10) for _ in labels]
    left = budget
    for i, (label, phase_id) in enumerate(labels):
        amount = (
            left
            if i == len(labels) - 1
            else (budget * shares[i] / sum(shares)).quantize(Decimal("0.01"))
        )
        left -= amount
        out.add(
            "budget_lines",
            {
                "id": _uuid(fin),
                "org_id": org_id,
                "project_id": project_id,
                "phase_id": phase_id,
                "position": i,
                "category": category_for(label).value,
                "name": label,
                "amount": amount,
                "state": "approved",
                "created_at": created,
                "updated_at": updated,
                "version": 1,
            },
        )
    _approval(
        fin,
        out,
        org_id,
        approval_id,
        project_id,
        name,
        budget,
        owner,
        status,
        created,
        directors,
        finance,
        pending=False,
    )


def _largest_budget(
    fin: random.Random,
    out: OrgRows,
    org_id: uuid.UUID,
    project: dict[str, Any],
    phase_ids: list[uuid.UUID],
    lines_of: dict[uuid.UUID, list[dict[str, Any]]],
) -> None:
    """The largest programme's budget: nine approved lines, most for one of its phases."""
    whole = sum(share for _l, _p, share, _u in _LARGEST_LINES)
    left = LARGEST_BUDGET
    for i, (label, phase, share, _used) in enumerate(_LARGEST_LINES):
        amount = left if i == len(_LARGEST_LINES) - 1 else LARGEST_BUDGET * share / whole
        amount = amount.quantize(Decimal("0.01"))
        left -= amount
        line = out.add(
            "budget_lines",
            {
                "id": _uuid(fin),
                "org_id": org_id,
                "project_id": project["id"],
                "phase_id": None if phase is None else phase_ids[phase],
                "position": i,
                "category": category_for(label).value,
                "name": label,
                "amount": amount,
                "state": "approved",
                "created_at": project["created_at"],
                "updated_at": project["created_at"],
                "version": 1,
            },
        )
        lines_of.setdefault(project["id"], []).append(line)


def _largest_ledger(
    fin: random.Random,
    ledger: _Ledger,
    project: dict[str, Any],
    lines: list[dict[str, Any]],
    phase_ids: list[uuid.UUID],
    today: date,
) -> None:
    """LARGEST_COST_ENTRIES costs over the programme's lines (each used as _LARGEST_LINES
    says: two past 80 %, one past 100 %), 3 % of them on no line; from its start to today."""
    targets = [
        int(line["amount"] * 100 * Decimal(used))
        for line, (_l, _p, _s, used) in zip(lines, _LARGEST_LINES, strict=True)
    ]
    unbudgeted = LARGEST_COST_ENTRIES * 3 // 100
    on_lines = LARGEST_COST_ENTRIES - unbudgeted
    counts = [on_lines * t // sum(targets) for t in targets]
    counts[0] += on_lines - sum(counts)
    first, last = project["starts_on"], min(project["ends_on"], today)
    for line, cents_total, count in zip(lines, targets, counts, strict=True):
        ledger.entries(
            project,
            cents_total,
            count,
            line=line,
            category=line["category"],
            phase_ids=phase_ids,
            first=first,
            last=last,
            actual_share=0.72,
        )
    per_category = unbudgeted // len(_UNBUDGETED_CATEGORIES)
    for i, category in enumerate(_UNBUDGETED_CATEGORIES):
        count = per_category + (
            unbudgeted - per_category * len(_UNBUDGETED_CATEGORIES) if i == 0 else 0
        )
        ledger.entries(
            project,
            count * fin.randint(8_000, 30_000),
            count,
            line=None,
            category=category,
            phase_ids=phase_ids,
            first=first,
            last=last,
            actual_share=0.72,
        )
