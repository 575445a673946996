"""The organisation's money at a glance (issue 10): the projects over a threshold (finance's
and the directors' overspend list) and the budget transparency figure (预算透明度).

Both are one SQL statement each. The overspend list sums the costs per project and line in
the database, compares them there with the thresholds in force (the project's own, else the
organisation's) and returns only the projects at or past their warning threshold, each with
the lines that are; the levels are then decided by `figures.level`, the rule every other
view uses.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    String,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    type_coerce,
)

from mems.core.db import Reader, ReadStatement
from mems.core.sqljson import uuid_text
from mems.finance import costs
from mems.finance.figures import Level, Thresholds, level
from mems.finance.models import BudgetLine, BudgetLineState, CostEntry, ProjectBudget
from mems.finance.money import CENT, ZERO, ratio
from mems.identity.principal import Principal
from mems.projects import service as projects

# The seed's aim: at least this share of spend on a registered project's budget line.
TARGET_PERCENT = Decimal(95)
_ORG: Any = bindparam("org_id", type_=CostEntry.org_id.type)


def _over(used: Any, budget: Any, percent: Any) -> Any:
    """SQL for `figures.level(used, budget) >= the level of `percent``: used money at or past
    `percent` of the budget, or any money used against no budget."""
    return or_(
        and_(budget > 0, used * 100 >= percent * budget),
        and_(budget <= 0, used > 0),
    )


def _overspend_statement() -> ReadStatement:
    """The running projects at or past their warning threshold, one row per line that is
    (a project over only as a whole: one row, its line columns NULL), the furthest over
    first. Every aggregate is a join of small sets — the running projects, the ledger summed
    per running project and line, the approved lines beside their sums — and none is
    correlated to a project, so the work grows with the ledger, not with projects × lines."""
    project_id, org_id, code, name, currency, owner, status = (
        projects.project_column(field)
        for field in ("id", "org_id", "code", "name", "currency", "owner_member_id", "status")
    )
    running = (
        select(
            project_id.label("id"),
            code.label("code"),
            name.label("name"),
            currency.label("currency"),
            owner.label("owner_member_id"),
            type_coerce(status, String).label("status"),  # as text: no enum per row
            ProjectBudget.warn_percent.label("warn_percent"),
            ProjectBudget.critical_percent.label("critical_percent"),
            func.coalesce(
                ProjectBudget.warn_percent,
                bindparam("warn", type_=ProjectBudget.warn_percent.type),
            ).label("warn"),
        )
        .select_from(projects.projects_table())
        .outerjoin(
            ProjectBudget,
            and_(ProjectBudget.project_id == project_id, ProjectBudget.org_id == _ORG),
        )
        .where(org_id == _ORG, projects.project_is_running(status))
        .cte("running")
    )
    spent = (
        select(
            CostEntry.project_id,
            CostEntry.line_id,
            func.sum(CostEntry.amount_project).label("used"),
        )
        .join(running, running.c.id == CostEntry.project_id)
        .where(CostEntry.org_id == _ORG)
        .group_by(CostEntry.project_id, CostEntry.line_id)
        .cte("spent")
    )
    line_used = func.coalesce(spent.c.used, literal(ZERO))
    lines = (
        select(
            BudgetLine.project_id,
            BudgetLine.id,
            BudgetLine.name,
            type_coerce(BudgetLine.category, String).label("category"),
            BudgetLine.amount,
            line_used.label("used"),
            case((_over(line_used, BudgetLine.amount, running.c.warn), 1), else_=0).label("over"),
        )
        .join(running, running.c.id == BudgetLine.project_id)
        .outerjoin(spent, spent.c.line_id == BudgetLine.id)
        .where(BudgetLine.org_id == _ORG, BudgetLine.state == BudgetLineState.APPROVED)
        .cte("line_figures")
    )
    budget = (
        select(
            lines.c.project_id,
            func.sum(lines.c.amount).label("budget"),
            func.max(lines.c.over).label("lines_over"),
        )
        .group_by(lines.c.project_id)
        .cte("project_budget")
    )
    used = (
        select(spent.c.project_id, func.sum(spent.c.used).label("used"))
        .group_by(spent.c.project_id)
        .cte("project_used")
    )
    project_budget = func.coalesce(budget.c.budget, literal(ZERO))
    project_used = func.coalesce(used.c.used, literal(ZERO))
    over = (
        select(
            running.c.id,
            running.c.code,
            running.c.name,
            running.c.currency,
            running.c.owner_member_id,
            running.c.status,
            project_budget.label("budget"),
            project_used.label("used"),
            running.c.warn_percent,
            running.c.critical_percent,
            case((project_budget > 0, project_used / project_budget), else_=literal(10**9)).label(
                "share"
            ),
        )
        .select_from(running)
        .outerjoin(budget, budget.c.project_id == running.c.id)
        .outerjoin(used, used.c.project_id == running.c.id)
        .where(
            or_(
                _over(project_used, project_budget, running.c.warn),
                budget.c.lines_over == 1,
            )
        )
        .cte("over_projects")
    )
    statement = (
        select(
            uuid_text(over.c.id).label("id"),  # ids as text: written as they come
            over.c.code,
            over.c.name,
            over.c.currency,
            uuid_text(over.c.owner_member_id).label("owner_member_id"),
            over.c.status,
            over.c.budget,
            over.c.used,
            over.c.warn_percent,
            over.c.critical_percent,
            uuid_text(lines.c.id).label("line_id"),
            lines.c.name.label("line_name"),
            lines.c.category.label("line_category"),
            lines.c.amount.label("line_budget"),
            lines.c.used.label("line_used"),
        )
        .select_from(over)
        .outerjoin(lines, and_(lines.c.project_id == over.c.id, lines.c.over == 1))
        .order_by(over.c.share.desc(), over.c.code)
    )
    return ReadStatement(statement)


_OVERSPEND = _overspend_statement()


async def overspend(
    reader: Reader, principal: Principal, *, mine: bool = False
) -> list[dict[str, Any]]:
    """The running projects at or past a warning threshold, as a whole or on a line, the
    furthest over first (`mine`: only the projects the caller manages), as `OverProjectRead`
    serialises (`mems.core.responses.json_response`). Two statements: the organisation's
    thresholds, then the projects and lines over them."""
    org, _source = await costs.view_org_thresholds(reader, principal.org_id)
    rows = await reader.all(_OVERSPEND, org_id=principal.org_id, warn=org.warn)
    # One row per line over its threshold, a project's rows together (the statement's order).
    out: dict[Any, dict[str, Any]] = {}
    thresholds_of: dict[Any, Thresholds] = {}
    me = str(principal.membership_id)
    for row in rows:
        project = out.get(row["id"])
        if project is None:
            if mine and row["owner_member_id"] != me:
                continue
            warn = row["warn_percent"] if row["warn_percent"] is not None else org.warn
            critical = (
                row["critical_percent"] if row["critical_percent"] is not None else org.critical
            )
            thresholds = Thresholds(warn, critical) if warn <= critical else Thresholds()
            budget, used = _money(row["budget"]), _money(row["used"])
            out[row["id"]] = project = {
                "id": row["id"],
                "code": row["code"],
                "name": row["name"],
                "currency": row["currency"],
                "owner_member_id": row["owner_member_id"],
                "status": row["status"],
                "budget": budget,
                "used": used,
                "used_percent": ratio(used, budget),
                "level": level(used, budget, thresholds),
                "warn_percent": thresholds.warn,
                "critical_percent": thresholds.critical,
                "lines": [],
            }
            thresholds_of[row["id"]] = thresholds
        if row["line_id"] is None:
            continue
        budget, used = _money(row["line_budget"]), _money(row["line_used"])
        line_level = level(used, budget, thresholds_of[row["id"]])
        if line_level > Level.OK:
            project["lines"].append(
                {
                    "id": row["line_id"],
                    "name": row["line_name"],
                    "category": row["line_category"],
                    "budget": budget,
                    "used": used,
                    "used_percent": ratio(used, budget),
                    "level": line_level,
                }
            )
    listed = []
    for project in out.values():
        lines = project["lines"]
        if project["level"] == Level.OK and not lines:
            continue
        lines.sort(key=lambda line: (-line["level"], line["name"]))
        listed.append(project)
    # The worst first (a line's level counts), then the furthest over (the statement's order).
    listed.sort(key=lambda p: -max([p["level"], *(line["level"] for line in p["lines"])]))
    for project in listed:
        project["level"] = _LEVEL_NAMES[project["level"]]
        for line in project["lines"]:
            line["level"] = _LEVEL_NAMES[line["level"]]
    return listed


_LEVEL_NAMES = {lvl: lvl.name.lower() for lvl in Level}


def _money(value: Any) -> Decimal:
    if type(value) is Decimal:  # money columns and their sums: cents already
        return value
    return Decimal(str(value if value is not None else 0)).quantize(CENT)


# ---- transparency ---------------------------------------------------------------------------


def _transparency_statement() -> ReadStatement:
    project_id, code, name, currency = (
        projects.project_column(field) for field in ("id", "code", "name", "currency")
    )
    on_line = CostEntry.line_id.is_not(None)
    statement = (
        select(
            project_id.label("project_id"),
            code.label("code"),
            name.label("name"),
            currency.label("currency"),
            func.sum(CostEntry.amount_project).label("recorded"),
            func.sum(case((on_line, CostEntry.amount_project), else_=literal(ZERO))).label(
                "on_lines"
            ),
            func.count().label("entries"),
            func.sum(case((on_line, 1), else_=0)).label("entries_on_lines"),
        )
        .select_from(CostEntry)
        .join(projects.projects_table(), project_id == CostEntry.project_id)
        .where(
            CostEntry.org_id == _ORG,
            CostEntry.incurred_on >= bindparam("first", type_=CostEntry.incurred_on.type),
            CostEntry.incurred_on <= bindparam("last", type_=CostEntry.incurred_on.type),
        )
        .group_by(project_id, code, name, currency)
        .order_by(code)
    )
    return ReadStatement(statement)


_TRANSPARENCY = _transparency_statement()


@dataclass(frozen=True)
class Share:
    recorded: Decimal
    on_lines: Decimal
    entries: int
    entries_on_lines: int

    @property
    def unlinked(self) -> Decimal:
        return self.recorded - self.on_lines

    @property
    def share_percent(self) -> Decimal | None:
        return ratio(self.on_lines, self.recorded)


@dataclass(frozen=True)
class ProjectShare:
    project_id: uuid.UUID
    code: str
    name: str
    currency: str
    share: Share


@dataclass(frozen=True)
class Transparency:
    first: date
    last: date
    by_currency: dict[str, Share]
    projects: list[ProjectShare]


async def transparency(
    reader: Reader, principal: Principal, first: date, last: date
) -> Transparency:
    """Of the money recorded in the period (actual and committed, by the day it was
    incurred), the share tied to a registered project's budget line — every cost is on a
    registered project, so the rest is spend on no line. Per currency (projects keep their
    own), with each project's figures."""
    rows = await reader.all(_TRANSPARENCY, org_id=principal.org_id, first=first, last=last)
    per_project = [
        ProjectShare(
            project_id=row["project_id"],
            code=row["code"],
            name=row["name"],
            currency=row["currency"],
            share=Share(
                recorded=_money(row["recorded"]),
                on_lines=_money(row["on_lines"]),
                entries=int(row["entries"]),
                entries_on_lines=int(row["entries_on_lines"]),
            ),
        )
        for row in rows
    ]
    by_currency: dict[str, Share] = {}
    for p in per_project:
        s = by_currency.get(p.currency, Share(ZERO, ZERO, 0, 0))
        by_currency[p.currency] = Share(
            s.recorded + p.share.recorded,
            s.on_lines + p.share.on_lines,
            s.entries + p.share.entries,
            s.entries_on_lines + p.share.entries_on_lines,
        )
    return Transparency(first, last, dict(sorted(by_currency.items())), per_project)
