"""The cost ledger: recording, listing and verifying a project's costs, its budget summary,
and the overspend warnings a recorded cost raises (issue 10).

Who records: finance (and admins: whoever may verify costs) on any project of the
organisation, the others holding `costs:record` on the projects they may manage. Only a
registered project that is still running (approved, active or closing) accepts costs.

Warnings: after a cost is written, its line's and its project's used money (actual +
committed, in the project's currency) is measured against the thresholds in force (the
project's overrides, else the organisation's `finance.warn_percent` /
`finance.critical_percent`, else 80 / 100). A rise above the level last announced is told,
in the same transaction, to the project's manager and the organisation's finance members and
directors, and stored; a later cost that stays above says nothing; a fall stores the lower
level, so the next crossing is told again. Recording locks the project's row first, so two
racing entries are measured one after the other: neither misses nor repeats a crossing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.clock import utcnow
from mems.core.db import Reader
from mems.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from mems.core.i18n import _, term
from mems.core.pagination import PageParams
from mems.core.versioning import check_version
from mems.finance import figures
from mems.finance import repository as repo
from mems.finance.categories import BudgetCategory
from mems.finance.figures import CostFacts, Level, LineFacts, Summary, Thresholds
from mems.finance.models import BudgetLine, BudgetLineState, CostEntry, CostSource, ProjectBudget
from mems.finance.money import CENT, convert
from mems.identity import service as identity
from mems.identity.permissions import Permission, Role
from mems.identity.principal import Principal
from mems.notifications import service as notifications
from mems.projects import service as projects
from mems.projects.lifecycle import ProjectStatus
from mems.projects.policy import ProjectRight
from mems.work import service as work

if TYPE_CHECKING:  # the repository reaches collab, whose service reaches back here
    from mems.finance.repository import CostFilter

WARN_SETTING = "finance.warn_percent"
CRITICAL_SETTING = "finance.critical_percent"
# Statuses of a registered project that still spends: draft and submitted ones are not
# registered, closed and cancelled ones are over.
ACCEPTS_COSTS = frozenset({ProjectStatus.APPROVED, ProjectStatus.ACTIVE, ProjectStatus.CLOSING})
LINK = "project_budget"
# Converted amounts fit the ledger's money column (20 digits, 2 after the point) with room
# for sums.
MAX_PROJECT_AMOUNT = Decimal(10) ** 15
MAX_VENDOR = 200  # the column's length
MAX_DESCRIPTION = 5000


@dataclass(frozen=True)
class CostInput:
    kind: figures.CostKind
    amount: Decimal
    currency: str | None
    rate: Decimal | None
    incurred_on: date
    line_id: uuid.UUID | None
    category: BudgetCategory | None
    phase_id: uuid.UUID | None
    vendor: str | None
    description: str | None


# ---- thresholds -----------------------------------------------------------------------------


def _percent(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        percent = Decimal(str(value))
    except InvalidOperation:
        return None
    return percent if percent.is_finite() and percent > 0 else None


def thresholds_from(
    warn_setting: Any,
    critical_setting: Any,
    warn_percent: Decimal | None = None,
    critical_percent: Decimal | None = None,
) -> tuple[Thresholds, str]:
    """The thresholds in force and where they come from ("project", "organisation" or
    "default"), from the organisation's settings' values and the project's own percents."""
    warn_org, critical_org = _percent(warn_setting), _percent(critical_setting)
    default = Thresholds()
    warn, critical, source = default.warn, default.critical, "default"
    if warn_org is not None or critical_org is not None:
        warn, critical, source = warn_org or warn, critical_org or critical, "organisation"
    if warn_percent is not None or critical_percent is not None:
        warn = warn_percent if warn_percent is not None else warn
        critical = critical_percent if critical_percent is not None else critical
        source = "project"
    if warn > critical:  # a setting that makes no sense falls back to the defaults
        return default, "default"
    return Thresholds(warn=warn, critical=critical), source


async def thresholds_of(
    session: AsyncSession, org_id: uuid.UUID, budget: ProjectBudget | None
) -> tuple[Thresholds, str]:
    """The thresholds in force for a project and where they come from ("project",
    "organisation" or "default")."""
    return thresholds_from(
        (await identity.org_setting(session, org_id, WARN_SETTING))[0],
        (await identity.org_setting(session, org_id, CRITICAL_SETTING))[0],
        None if budget is None else budget.warn_percent,
        None if budget is None else budget.critical_percent,
    )


async def view_org_thresholds(reader: Reader, org_id: uuid.UUID) -> tuple[Thresholds, str]:
    """`thresholds_of` a project without thresholds of its own, for reads (one statement)."""
    warn, critical = await repo.view_org_thresholds(reader, org_id, WARN_SETTING, CRITICAL_SETTING)
    return thresholds_from(warn, critical)


async def set_thresholds(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    warn: Decimal | None,
    critical: Decimal | None,
) -> Any:
    """The project's own thresholds (None: the organisation's), set by finance or by whoever
    manages the project. Levels are measured again at once: a stricter threshold the project
    is already past is announced now, not at its next cost."""
    right = ProjectRight.VIEW if principal.can(Permission.COSTS_VERIFY) else ProjectRight.MANAGE
    project = await projects.project_for(session, principal, project_id, right)
    await projects.lock_plan(session, project)
    budget = await _budget_row(session, project)
    org, _source = await thresholds_of(session, project.org_id, None)
    effective_warn = warn if warn is not None else org.warn
    effective_critical = critical if critical is not None else org.critical
    if effective_warn > effective_critical:
        raise ValidationFailed.on(
            "warn_percent",
            _(
                "The warning threshold ({warn}%) is above the critical one ({critical}%).",
                warn=str(effective_warn),
                critical=str(effective_critical),
            ),
            "above_critical",
        )
    budget.warn_percent = warn
    budget.critical_percent = critical
    await session.flush()
    await announce_levels(
        session, project, await repo.lines_of(session, project.org_id, project.id)
    )
    return project


# ---- recording ------------------------------------------------------------------------------


def _recording_right(principal: Principal) -> ProjectRight:
    """Finance (whoever verifies costs) records on any project, the others on those they
    may manage."""
    return ProjectRight.VIEW if principal.can(Permission.COSTS_VERIFY) else ProjectRight.MANAGE


async def project_to_record_on(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID
) -> Any:
    """The project, for a caller who may record costs on it and while it accepts them."""
    right = _recording_right(principal)
    project = await projects.project_for(session, principal, project_id, right)
    if project.status not in ACCEPTS_COSTS:
        raise Conflict(
            _(
                "Costs are recorded only on a registered project that is still running "
                "(approved, active or closing); this one is {status}.",
                status=term(ProjectStatus(project.status).value),
            )
        )
    return project


@dataclass(frozen=True)
class LedgerFacts:
    """What a cost is checked against: its project, and the project's budget lines and phase
    ids — all of them, or just those the costs at hand name (an id missing here is not the
    project's)."""

    project: Any
    lines: Mapping[uuid.UUID, BudgetLine]
    phase_ids: AbstractSet[uuid.UUID]


async def _facts_for(session: AsyncSession, project: Any, body: CostInput) -> LedgerFacts:
    """The facts one cost needs: its line and its phase, when they are the project's."""
    lines: dict[uuid.UUID, BudgetLine] = {}
    if body.line_id is not None:
        line = await repo.get_line(session, project.org_id, body.line_id)
        if line is not None and line.project_id == project.id:
            lines[line.id] = line
    phase_ids: set[uuid.UUID] = set()
    if body.phase_id is not None and await work.phase_in_project(
        session, project.org_id, project.id, body.phase_id
    ):
        phase_ids.add(body.phase_id)
    return LedgerFacts(project, lines, phase_ids)


def _rate(project: Any, currency: str, rate: Decimal | None) -> Decimal:
    if currency == project.currency:
        if rate is not None and rate != 1:
            raise ValidationFailed.on(
                "rate",
                _("An amount in the project's currency has no conversion rate (it is 1)."),
                "not_for_project_currency",
            )
        return Decimal(1)
    if rate is None:
        raise ValidationFailed.on(
            "rate",
            _(
                "An amount in {currency} needs its rate to {project_currency}.",
                currency=currency,
                project_currency=project.currency,
            ),
            "required_for_other_currency",
        )
    return rate


def _check_text(field: str, value: str | None, limit: int) -> None:
    if value is not None and ("\x00" in value or len(value) > limit):
        raise ValidationFailed.on(
            field, _("At most {limit} characters, without NUL.", limit=limit), "invalid_text"
        )


def new_entry(
    principal: Principal, facts: LedgerFacts, body: CostInput, source: CostSource
) -> CostEntry:
    """The entry `body` makes on the project, checked and converted (not yet added to the
    session): the one set of rules for a cost recorded by hand and a row of an import.
    Raises ValidationFailed naming the field at fault."""
    project = facts.project
    line: BudgetLine | None = None
    if body.line_id is not None:
        line = facts.lines.get(body.line_id)
        if line is None:
            raise ValidationFailed.on(
                "line_id", _("The budget line is not one of this project's."), "not_found"
            )
    if line is None and body.category is None:
        raise ValidationFailed.on(
            "category", _("A cost on no budget line needs its category."), "required"
        )
    if body.phase_id is not None and body.phase_id not in facts.phase_ids:
        raise ValidationFailed.on(
            "phase_id", _("The phase is not one of this project's."), "not_found"
        )
    if body.amount <= 0:
        raise ValidationFailed.on("amount", _("An amount is more than zero."), "greater_than")
    _check_text("vendor", body.vendor, MAX_VENDOR)
    _check_text("description", body.description, MAX_DESCRIPTION)
    currency = body.currency or project.currency
    rate = _rate(project, currency, body.rate)
    amount_project = convert(body.amount, rate)
    if amount_project <= 0:
        raise ValidationFailed.on(
            "amount", _("The amount is less than a cent in the project's currency."), "too_small"
        )
    if amount_project >= MAX_PROJECT_AMOUNT:
        raise ValidationFailed.on(
            "rate",
            _("The amount at this rate is too large in the project's currency."),
            "too_large",
        )
    return CostEntry(
        org_id=principal.org_id,
        project_id=project.id,
        line_id=line.id if line else None,
        category=line.category if line else body.category,
        phase_id=body.phase_id if body.phase_id is not None else (line.phase_id if line else None),
        vendor=body.vendor,
        kind=body.kind,
        amount=body.amount,
        currency=currency,
        rate=rate,
        amount_project=amount_project,
        incurred_on=body.incurred_on,
        description=body.description,
        source=source,
        recorded_by_member_id=principal.membership_id,
    )


async def record(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, body: CostInput
) -> CostEntry:
    project = await project_to_record_on(session, principal, project_id)
    # Serialise the project's recordings: the totals measured below include every entry
    # recorded before this one, and none recorded after.
    await projects.lock_plan(session, project)
    facts = await _facts_for(session, project, body)
    entry = new_entry(principal, facts, body, CostSource.MANUAL)
    session.add(entry)
    await session.flush()
    line = facts.lines.get(entry.line_id) if entry.line_id is not None else None
    await announce_levels(session, project, [line] if line is not None else [])
    return entry


async def budget_row_of(session: AsyncSession, project: Any) -> ProjectBudget | None:
    return await repo.budget_of(session, project.org_id, project.id)


async def _budget_row(session: AsyncSession, project: Any) -> ProjectBudget:
    budget = await repo.budget_of(session, project.org_id, project.id, lock=True)
    if budget is None:
        budget = ProjectBudget(org_id=project.org_id, project_id=project.id, alert_level=0)
        session.add(budget)
        await session.flush()
    return budget


async def announce_levels(session: AsyncSession, project: Any, lines: Sequence[BudgetLine]) -> None:
    """Measure `lines` (those a cost or an approved request just touched) and the whole
    project against the thresholds in force, and announce the crossings (see the module's
    docstring). The caller holds the project's lock."""
    budget = await _budget_row(session, project)
    thresholds, _source = await thresholds_of(session, project.org_id, budget)
    summary = await _summary(session, project)
    told: list[tuple[Level, str | None, figures.Figures]] = []
    for line in lines:
        if line.state != BudgetLineState.APPROVED:
            continue
        now = summary.lines[line.id].level(thresholds)
        if figures.crossed(Level(line.alert_level), now) is not None:
            told.append((now, line.name, summary.lines[line.id]))
        line.alert_level = int(now)
    now = summary.project.level(thresholds)
    if figures.crossed(Level(budget.alert_level), now) is not None:
        told.append((now, None, summary.project))
    budget.alert_level = int(now)
    if not told:
        return
    recipients = [project.owner_member_id] + await identity.active_member_ids_with_role(
        session, project.org_id, {Role.FINANCE.value, Role.DIRECTOR.value}
    )
    for level, line_name, fig in told:
        threshold = thresholds.critical if level == Level.CRITICAL else thresholds.warn
        percent = str(fig.used_percent) if fig.used_percent is not None else "—"
        if line_name is None:
            title = (
                _("Project {project} is over budget", project=project.name)
                if level == Level.CRITICAL
                else _("Project {project} is near its budget", project=project.name)
            )
        else:
            title = (
                _("{line} of {project} is over budget", line=line_name, project=project.name)
                if level == Level.CRITICAL
                else _(
                    "{line} of {project} is near its budget", line=line_name, project=project.name
                )
            )
        await notifications.notify(
            session,
            project.org_id,
            recipients,
            "budget.critical" if level == Level.CRITICAL else "budget.warn",
            title=title,
            body=_(
                "Used (spent and committed) {used} of {budget} {currency}: {percent}% "
                "(threshold {threshold}%).",
                used=str(fig.used),
                budget=str(fig.budget),
                currency=project.currency,
                percent=percent,
                threshold=str(threshold),
            ),
            link=(LINK, project.id),
        )
    await session.flush()


# ---- reading --------------------------------------------------------------------------------


async def list_costs(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    filters: CostFilter,
    page: PageParams,
) -> tuple[list[dict[str, Any]], int]:
    """The project's ledger (rows as `CostRead`), with each entry's receipts counted."""
    project = await projects.project_for(session, principal, project_id)
    filters = replace(filters, project_id=project.id)
    return await repo.costs_page(session, principal.org_id, filters, page, with_project=False)


async def verify(
    session: AsyncSession, principal: Principal, cost_id: uuid.UUID, if_match: str | None
) -> tuple[CostEntry, int]:
    """Finance checked the entry against its receipt. The entry and its receipts' count."""
    entry = await repo.get_cost(session, principal.org_id, cost_id)
    if entry is None:
        raise NotFound(_("Cost {cost_id} not found.", cost_id=cost_id))
    await projects.project_for(session, principal, entry.project_id)
    # No body to carry a version: If-Match, when sent, must name the current one.
    check_version(entry.version, entry.version, if_match)
    if entry.verified_at is not None:
        raise Conflict(_("This cost is verified already."))
    entry.verified_at = utcnow()
    entry.verified_by_member_id = principal.membership_id
    await session.flush()
    return entry, await repo.receipt_count(session, principal.org_id, entry.id)


async def org_costs(
    session: AsyncSession, principal: Principal, filters: CostFilter, page: PageParams
) -> tuple[list[dict[str, Any]], int]:
    """The organisation's costs across projects (finance's list of entries to verify), each
    with its project's code and name. Whoever verifies costs sees every project's."""
    return await repo.costs_page(session, principal.org_id, filters, page, with_project=True)


async def get_cost(
    session: AsyncSession, principal: Principal, cost_id: uuid.UUID
) -> dict[str, Any]:
    """One cost with its project's code and name and its receipts' count, for whoever may
    read its project's budget (a link to a cost lands here)."""
    await cost_project_for(session, principal, cost_id, write=False)
    rows, _total = await repo.costs_page(
        session,
        principal.org_id,
        repo.CostFilter(cost_id=cost_id),
        PageParams(limit=1, offset=0),
        with_project=True,
    )
    return rows[0]


def _require(principal: Principal, permission: Permission) -> None:
    if not principal.can(permission):
        raise Forbidden(
            _(
                "Your role '{role}' does not allow '{permission}'.",
                role=term(principal.role.value),
                permission=permission,
            )
        )


async def cost_project_for(
    session: AsyncSession, principal: Principal, cost_id: uuid.UUID, *, write: bool
) -> uuid.UUID:
    """The project of cost `cost_id`, for a caller who may read the project's budget (or,
    `write`, record costs on it): receipts are read and attached under these rights. 404 for
    a cost not in the caller's organisation, 403 without the right."""
    entry = await repo.get_cost(session, principal.org_id, cost_id)
    if entry is None:
        raise NotFound(_("Cost {cost_id} not found.", cost_id=cost_id))
    if write:
        _require(principal, Permission.COSTS_RECORD)
        await projects.project_for(
            session, principal, entry.project_id, _recording_right(principal)
        )
    else:
        _require(principal, Permission.BUDGET_READ)
        await projects.project_for(session, principal, entry.project_id)
    return entry.project_id


async def _summary(
    session: AsyncSession, project: Any, lines: list[BudgetLine] | None = None
) -> Summary:
    if lines is None:
        lines = await repo.lines_of(session, project.org_id, project.id)
    facts = [
        LineFacts(
            id=line.id,
            category=str(line.category),
            phase_id=line.phase_id,
            budget=line.amount if line.state == BudgetLineState.APPROVED else Decimal("0.00"),
        )
        for line in lines
    ]
    sums = await repo.cost_sums(session, project.org_id, project.id)
    costs = [
        CostFacts(
            line_id=s.line_id,
            category=s.category,
            phase_id=s.phase_id,
            kind=s.kind,
            amount=s.amount,
            count=s.count,
        )
        for s in sums
    ]
    return figures.summarise(facts, costs)


async def org_today(session: AsyncSession, principal: Principal) -> date:
    """Today in the organisation's time zone."""
    timezone = (await identity.get_org(session, principal)).timezone
    return utcnow().astimezone(ZoneInfo(timezone)).date()


def _figures_view(f: figures.Figures, thresholds: Thresholds) -> dict[str, Any]:
    """`FiguresRead` of one set of figures."""
    return {
        "budget": f.budget,
        "actual": f.actual,
        "committed": f.committed,
        "used": f.used,
        "remaining": f.remaining,
        "used_percent": f.used_percent,
        "level": Level(f.level(thresholds)).name.lower(),
        "entries": f.entries,
    }


def _json(value: Any) -> Any:
    """A JSON column's value (the drivers hand some over as text)."""
    return json.loads(value) if isinstance(value, str) else value


def _id(value: Any) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(str(value))


def _money(value: Any) -> Decimal:
    """An amount read as text (or, on SQLite, a float's text), in cents."""
    return Decimal(str(value)).quantize(CENT)


async def view_budget(
    reader: Reader, principal: Principal, project_id: uuid.UUID
) -> dict[str, Any]:
    """The project's budget summary (`BudgetSummaryRead`) for a caller who may view the
    project: its lines, categories and phases against the money used, the thresholds in force
    and where they come from, the burn rate and both forecasts. One statement
    (`repo.view_budget`: the project and every figure's ingredients, the ledger summed in the
    database)."""
    row = await repo.view_budget(reader, project_id, WARN_SETTING, CRITICAL_SETTING)
    if row is None or not projects.may_view(principal, row["owner_member_id"]):
        raise NotFound(_("Project {project_id} not found.", project_id=project_id))
    thresholds, source = thresholds_from(
        row["warn_setting"], row["critical_setting"], row["warn_percent"], row["critical_percent"]
    )
    lines = sorted(_json(row["lines"]) or [], key=lambda x: int(x["position"]))
    for line in lines:
        line["id"], line["phase_id"] = _id(line["id"]), _id(line["phase_id"])
        line["amount"] = _money(line["amount"])
    summary = figures.summarise(
        [
            LineFacts(
                id=line["id"],
                category=line["category"],
                phase_id=line["phase_id"],
                budget=line["amount"]
                if line["state"] == BudgetLineState.APPROVED
                else Decimal("0.00"),
            )
            for line in lines
        ],
        [
            CostFacts(
                line_id=_id(s["line_id"]),
                category=s["category"],
                phase_id=_id(s["phase_id"]),
                kind=figures.CostKind(s["kind"]),
                amount=_money(s["amount"]),
                count=int(s["entries"]),
            )
            for s in _json(row["costs"]) or []
        ],
    )
    today = utcnow().astimezone(ZoneInfo(row["timezone"])).date()
    burn = figures.burn(
        actual=summary.project.actual,
        budget=summary.project.budget,
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        today=today,
        progress_percent=work.progress_from_json(row["progress"]),
    )
    t = thresholds
    by_category = figures.shares(summary.by_category)
    by_phase = figures.shares(summary.by_phase)
    return {
        "project_id": row["id"],
        "currency": row["currency"],
        "today": today,
        "project": _figures_view(summary.project, t),
        "unbudgeted": _figures_view(summary.unbudgeted, t),
        "lines": [
            {
                "id": line["id"],
                "name": line["name"],
                "category": line["category"],
                "phase_id": line["phase_id"],
                "state": line["state"],
                **_figures_view(summary.lines[line["id"]], t),
            }
            for line in lines
        ],
        "by_category": [
            {"category": key, "share_percent": by_category[key], **_figures_view(f, t)}
            for key, f in sorted(summary.by_category.items())
        ],
        "by_phase": [
            {"phase_id": key, "share_percent": by_phase[key], **_figures_view(f, t)}
            for key, f in summary.by_phase.items()
        ],
        "thresholds": {"warn_percent": t.warn, "critical_percent": t.critical, "source": source},
        "burn": {
            "days_elapsed": burn.days_elapsed,
            "days_total": burn.days_total,
            "actual_per_day": burn.per_day,
            "forecast_by_time": _forecast_view(burn.by_time),
            "forecast_by_progress": _forecast_view(burn.by_progress),
        },
    }


def _forecast_view(f: figures.Forecast) -> dict[str, Any]:
    return {"basis": f.basis.value, "at_completion": f.at_completion, "variance": f.variance}
