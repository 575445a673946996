"""Project rules: creation from templates, naming, goal links, the lifecycle and approvals."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession

from mems.approvals import service as approvals
from mems.approvals.flow import RequestState, RequestType
from mems.core.db import Reader
from mems.core.errors import (
    Conflict,
    Duplicate,
    FieldError,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from mems.core.i18n import Message, _, term, terms
from mems.core.pagination import PageParams, page_of
from mems.core.versioning import (
    apply_changes,
    changes_to,
    check_version,
)
from mems.finance import service as finance
from mems.identity import service as identity
from mems.identity.permissions import Permission
from mems.identity.principal import Principal
from mems.projects import policy
from mems.projects import repository as repo
from mems.projects.lifecycle import (
    Guards,
    IllegalTransition,
    ProjectAction,
    ProjectStatus,
    allowed_actions,
    apply,
    is_registered,
)
from mems.projects.models import (
    Project,
    ProjectTemplate,
    Retrospective,
)
from mems.projects.naming import NameCheck, NameContext, NameIssue, NamingConvention, check_name
from mems.projects.policy import ProjectFacts, ProjectRight
from mems.projects.schemas import (
    GoalLinkIn,
    NameCheckIn,
    NamingConventionIn,
    ProjectCreate,
    ProjectMemberIn,
    ProjectUpdate,
    RetrospectiveIn,
    SaveTemplateIn,
    TransitionAction,
)
from mems.projects.templates import (
    BUILTIN_PREFIX,
    BUILTINS,
    PlannedPhase,
    lay_out,
    template_from_project,
)
from mems.strategy import service as strategy
from mems.work import plans

NAMING_SETTING = "naming_convention"


# ---- naming --------------------------------------------------------------------------------


async def naming_convention(session: AsyncSession, principal: Principal) -> NamingConvention | None:
    raw, _revision = await identity.org_setting(session, principal.org_id, NAMING_SETTING)
    if not raw or not raw.get("enabled", True):
        return None
    return NamingConvention.from_settings(raw)


async def raw_naming_convention(
    session: AsyncSession, principal: Principal
) -> tuple[dict[str, Any], int]:
    """The convention as stored ({} when never set) and its revision (0 when never set)."""
    raw, revision = await identity.org_setting(session, principal.org_id, NAMING_SETTING)
    return dict(raw or {}), revision


async def set_naming_convention(
    session: AsyncSession, principal: Principal, body: NamingConventionIn
) -> tuple[dict[str, Any], int]:
    raw = body.model_dump(exclude={"revision"})
    try:
        NamingConvention.from_settings(raw)
    except ValueError as exc:
        raise ValidationFailed(
            exc.args[0],
            errors=[
                FieldError(
                    field="pattern", message="invalid naming convention", type="invalid_convention"
                )
            ],
        ) from exc
    revision = await identity.set_org_setting(
        session, principal.org_id, NAMING_SETTING, raw, body.revision, principal.membership_id
    )
    return raw, revision


async def _name_context(
    session: AsyncSession,
    principal: Principal,
    period_id: uuid.UUID | None,
    starts_on: date | None,
    ends_on: date | None,
) -> NameContext | None:
    """What a name's period part must agree with: the project's period, else its dates."""
    if period_id is not None:
        period = await strategy.find_period(session, principal.org_id, period_id)
        if period is not None:
            return NameContext(period.starts_on, period.ends_on, period.name)
    if starts_on is not None and ends_on is not None and starts_on <= ends_on:
        return NameContext(starts_on, ends_on)
    return None


def _duplicate_issue(name: str, code: str) -> NameIssue:
    return NameIssue(
        type="duplicate",
        message=_("The name is already used by project {code}.", code=code),
        value=name,
    )


async def check_project_name(
    session: AsyncSession, principal: Principal, body: NameCheckIn
) -> NameCheck:
    """The naming check as the wizard and the rename form run it while typing: the convention,
    the period part against the project's period (or dates), and names already in use."""
    period_id, starts_on, ends_on, exclude = body.period_id, body.starts_on, body.ends_on, None
    await _check_references(session, principal, period_id=body.period_id)
    if body.project_id is not None:
        project = await project_for(session, principal, body.project_id, ProjectRight.VIEW)
        given = body.model_fields_set
        exclude = project.id
        period_id = period_id if "period_id" in given else project.period_id
        starts_on = starts_on if "starts_on" in given else project.starts_on
        ends_on = ends_on if "ends_on" in given else project.ends_on
    context = await _name_context(session, principal, period_id, starts_on, ends_on)
    result = check_name(await naming_convention(session, principal), body.name, context)
    name = body.name.strip()
    if name:
        taken = await repo.live_project_named(session, principal.org_id, name, exclude)
        if taken is not None:
            result = result.with_issue(_duplicate_issue(name, taken))
    return result


async def _require_good_name(
    session: AsyncSession,
    principal: Principal,
    name: str,
    context: NameContext | None,
    exclude: uuid.UUID | None = None,
) -> None:
    """Refuses a name that breaks the convention (422, naming the part at fault and what it
    may hold) or that a live project of the organisation already has (409)."""
    result = check_name(await naming_convention(session, principal), name, context)
    if not result.ok:
        issue = result.issues[0]
        raise ValidationFailed(
            _("The name does not follow the naming convention: {problem}", problem=issue.message)
            if result.expected_form
            else issue.message,
            errors=[
                FieldError(
                    field="name",
                    message="does not follow the naming convention",
                    type="naming_convention",
                )
            ],
            expected_form=result.expected_form,
            example=result.example,
            part=issue.part,
            part_label=issue.label,
            allowed_values=list(issue.allowed_values) if issue.allowed_values else None,
            limit=issue.max_length,
        )
    taken = await repo.live_project_named(session, principal.org_id, name.strip(), exclude)
    if taken is not None:
        raise Duplicate(
            _(
                "A project named {name} already exists ({code}); names are unique among "
                "projects that are not cancelled.",
                name=name.strip(),
                code=taken,
            ),
            errors=[FieldError(field="name", message="already used", type="duplicate")],
        )


# ---- templates -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    description: str | None
    project_type: str
    builtin: bool
    content: dict[str, Any]


def _builtin(key: str) -> Template:
    t = BUILTINS[key]
    return Template(
        BUILTIN_PREFIX + key, t["name"], t["description"], t["project_type"], True, t["content"]
    )


def _saved(t: ProjectTemplate) -> Template:
    return Template(str(t.id), t.name, t.description, t.project_type.value, False, t.content)


async def list_templates(session: AsyncSession, principal: Principal) -> list[Template]:
    return [_builtin(k) for k in BUILTINS] + [
        _saved(t) for t in await repo.templates(session, principal.org_id)
    ]


async def find_template(session: AsyncSession, principal: Principal, ref: str) -> Template:
    if ref.startswith(BUILTIN_PREFIX) and ref.removeprefix(BUILTIN_PREFIX) in BUILTINS:
        return _builtin(ref.removeprefix(BUILTIN_PREFIX))
    try:
        saved = await repo.get_template(session, principal.org_id, uuid.UUID(ref))
    except ValueError:
        saved = None
    if saved is None:
        raise ValidationFailed.on(
            "template",
            _("no template “{ref}”; see GET /api/v1/project-templates", ref=ref),
            "unknown_template",
        )
    return _saved(saved)


async def delete_template(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> None:
    template = await repo.get_template(session, principal.org_id, template_id)
    if template is None:
        raise NotFound(_("Template {id} not found.", id=template_id))
    if not principal.owns_or_can(template.created_by_member_id, Permission.ORG_MANAGE):
        raise Forbidden(
            _(
                "Your role '{role}' deletes only the templates you saved; an admin deletes "
                "the others.",
                role=term(principal.role.value),
            )
        )
    await session.delete(template)
    await session.flush()


async def save_as_template(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, body: SaveTemplateIn
) -> Template:
    project = await project_for(session, principal, project_id, ProjectRight.VIEW)
    if await repo.template_name_taken(session, principal.org_id, body.name):
        raise Conflict(
            _("A template named “{name}” already exists.", name=body.name),
            errors=[FieldError(field="name", message="already used", type="duplicate")],
        )
    phases = await planned_phases(session, project)
    lines = await finance.lines_of(session, project.org_id, project.id)
    template = ProjectTemplate(
        org_id=principal.org_id,
        name=body.name,
        description=body.description,
        project_type=project.type,
        created_by_member_id=principal.membership_id,
        content=template_from_project(
            project.starts_on, project.ends_on, phases, [b.name for b in lines]
        ),
    )
    session.add(template)
    await session.flush()
    return _saved(template)


async def planned_phases(session: AsyncSession, project: Project) -> list[PlannedPhase]:
    return await plans.planned_phases(session, project.org_id, project.id)


# ---- projects ------------------------------------------------------------------------------


def _refusal(right: ProjectRight) -> Message:
    if right == ProjectRight.CONTRIBUTE:
        return _(
            "Only the project's team (its manager, core members and contributors) works on it."
        )
    if right == ProjectRight.HAND_OVER:
        return _("Only a director or an admin hands a project to another manager.")
    return _("Only the project's manager, a director or an admin may change it.")


async def project_for(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    right: ProjectRight = ProjectRight.VIEW,
) -> Project:
    """The project, for a caller who has `right` on it (`projects.policy`): 404 when it is not
    in the caller's organisation, 403 when the caller lacks the right. Every service that
    works on one project starts here."""
    project = await repo.get_project(session, principal.org_id, project_id)
    return await _with_right(session, principal, project_id, project, right)


async def works_on(session: AsyncSession, project: Project, member_id: uuid.UUID) -> bool:
    """Whether the member works on the project (its manager, or a team member whose role is
    manager, core or contributor): who may be given its tasks."""
    if member_id == project.owner_member_id:
        return True
    return await repo.team_role(session, project, member_id) in policy.WORKING_ROLES


async def project_basics(
    reader: Reader, principal: Principal, project_id: uuid.UUID
) -> dict[str, Any]:
    """For other domains' pages about one project (the Gantt, the battle map): its id, code,
    name, status, dates, version and manager, for a caller who may view it."""
    row = await repo.project_basics(reader, project_id)
    if row is None or not may_view(principal, row["owner_member_id"]):
        raise NotFound(_("Project {project_id} not found.", project_id=project_id))
    return row


def may_view(principal: Principal, owner_member_id: uuid.UUID) -> bool:
    """For other domains' pages that read a project's row in their own statement (with
    `project_column`): whether the caller may view the project its manager's id belongs to
    (else it is "not found", as `project_basics` answers)."""
    return policy.allows(principal, ProjectFacts(owner_member_id), ProjectRight.VIEW)


def project_code_of(project_id: Any) -> Any:
    """SQL for other domains' reads: the code of the project `project_id` refers to."""
    return repo.project_field_of(project_id, "code")


def project_name_of(project_id: Any) -> Any:
    """SQL for other domains' reads: the name of the project `project_id` refers to."""
    return repo.project_field_of(project_id, "name")


def project_owner_of(project_id: Any) -> Any:
    """SQL for other domains' reads: the manager's member id of the project `project_id`
    refers to (NULL when there is none), for `may_view`."""
    return repo.project_field_of(project_id, "owner_member_id")


def project_takes_work_of(project_id: Any) -> Any:
    """SQL for other domains' reads: whether the project `project_id` refers to still takes
    work (it is not closed or cancelled), so lists of someone's work leave the rest out."""
    status = repo.project_field_of(project_id, "status")
    # Two comparisons, not NOT IN: a read statement compiled once keeps plain binds only.
    return and_(status != ProjectStatus.CLOSED, status != ProjectStatus.CANCELLED)


async def running_projects(session: AsyncSession) -> list[Project]:
    """Every organisation's registered projects that still run (a system job's read)."""
    return await repo.running_projects(session)


def project_column(field: str) -> Any:
    """SQL for other domains' reads that join the projects table (`projects_table`): one of
    its columns (id, org_id, code, name, currency, owner_member_id, status)."""
    return getattr(Project, field)


def projects_table() -> Any:
    """SQL for other domains' reads: the projects table, to join or select from."""
    return Project


def project_is_running(status: Any) -> Any:
    """SQL: the project `status` refers to is registered and still running (approved,
    active or closing) — it may spend, and its budget is watched."""
    return or_(
        status == ProjectStatus.APPROVED,
        status == ProjectStatus.ACTIVE,
        status == ProjectStatus.CLOSING,
    )


async def goal_links_of(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID
) -> list[tuple[uuid.UUID, uuid.UUID | None]]:
    """For other domains' project pages: the project's (goal, key result) links."""
    links = await repo.goal_links(session, principal.org_id, [project_id])
    return [(link.objective_id, link.key_result_id) for link in links]


async def project_ids_of_goals(
    session: AsyncSession, org_id: uuid.UUID, goal_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, set[uuid.UUID]]:
    """For other domains: the projects linked to each goal."""
    out: dict[uuid.UUID, set[uuid.UUID]] = {}
    for link in await repo.goal_links_of_goals(session, org_id, goal_ids):
        out.setdefault(link.objective_id, set()).add(link.project_id)
    return out


async def open_projects(session: AsyncSession, org_id: uuid.UUID) -> list[Project]:
    """The organisation's projects whose plans may still change."""
    return await repo.projects_in(session, org_id, exclude=_FROZEN)


async def project_by_id(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID
) -> Project | None:
    """For another domain acting on the system's behalf (an approval's outcome): the
    organisation's project, with no caller to check."""
    return await repo.get_project(session, org_id, project_id)


async def lock_plan(session: AsyncSession, project: Project) -> None:
    """Serialise changes to the project's plan: concurrent edits that are each fine alone
    (two links that together make a cycle) are checked one after the other."""
    await repo.lock(session, project)


def plan_is_open(project: Project) -> bool:
    """Whether the project's plan may still change (not closed or cancelled)."""
    return project.status not in _FROZEN


async def _with_right(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    project: Project | None,
    right: ProjectRight,
) -> Project:
    """`project_for`'s check of a project loaded in the caller's organisation (None: not
    found there)."""
    if project is None:
        raise NotFound(_("Project {project_id} not found.", project_id=project_id))
    facts = ProjectFacts(project.owner_member_id)
    if policy.needs_team_role(right) and not policy.allows(principal, facts, right):
        team_role = await repo.team_role(session, project, principal.membership_id)
        facts = ProjectFacts(project.owner_member_id, team_role)
    if not policy.allows(principal, facts, right):
        raise Forbidden(_refusal(right))
    return project


def rights_on(principal: Principal, project: Project) -> frozenset[ProjectRight]:
    """The caller's rights on a project, as far as they follow from the project row (the
    team role is not looked up: CONTRIBUTE shows only for those who manage or own it)."""
    return policy.rights(principal, ProjectFacts(project.owner_member_id))


async def _check_references(
    session: AsyncSession,
    principal: Principal,
    *,
    owner_member_id: uuid.UUID | None = None,
    team_id: uuid.UUID | None = None,
    period_id: uuid.UUID | None = None,
) -> None:
    org = principal.org_id
    if owner_member_id is not None and not await identity.is_member(session, org, owner_member_id):
        raise ValidationFailed.on(
            "owner_member_id", _("no such member in this organisation"), "unknown_member"
        )
    if team_id is not None and not await identity.is_team(session, org, team_id):
        raise ValidationFailed.on("team_id", _("no such team in this organisation"), "unknown_team")
    if period_id is not None and await strategy.find_period(session, org, period_id) is None:
        raise ValidationFailed.on(
            "period_id", _("no such strategy period in this organisation"), "unknown_period"
        )


async def _check_total_covers_lines(session: AsyncSession, project: Project, total: Any) -> None:
    """One source of truth for the money: the budget lines (the finance domain's, issue 10)
    are what is planned; the project's total may not promise less than they add up to."""
    planned = await finance.lines_total(session, project.org_id, project.id)
    if total < planned:
        raise ValidationFailed.on(
            "total_budget",
            _(
                "the total budget is less than its budget lines add up to ({planned})",
                planned=planned,
            ),
            "below_budget_lines",
        )


# A project's days: a plan its Gantt, calendar and budget can lay out (a year 9999 end would
# have them walk millions of days past the calendar's end).
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2099, 12, 31)
MAX_SPAN_DAYS = 3653  # ten years


def _check_dates(starts_on: date, ends_on: date) -> None:
    for field, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if not EARLIEST_DAY <= day <= LATEST_DAY:
            raise ValidationFailed.on(
                field,
                _(
                    "A project's days fall between {first} and {last}.",
                    first=EARLIEST_DAY.isoformat(),
                    last=LATEST_DAY.isoformat(),
                ),
                "out_of_range",
            )
    if ends_on < starts_on:
        raise ValidationFailed.on(
            "ends_on", _("ends_on must not be before starts_on"), "dates_out_of_order"
        )
    if (ends_on - starts_on).days > MAX_SPAN_DAYS:
        raise ValidationFailed.on("ends_on", _("A project spans at most ten years."), "span")


async def _goal_links(
    session: AsyncSession, principal: Principal, links: list[GoalLinkIn]
) -> list[tuple[uuid.UUID, uuid.UUID | None]]:
    # Two queries for the whole list, not two per link.
    goals = {
        g.id
        for g in await strategy.goals_by_ids(
            session, principal.org_id, {x.objective_id for x in links}
        )
    }
    kpi_goal = {
        k.id: k.objective_id
        for k in await strategy.kpis_of_goals(session, principal.org_id, list(goals))
    }
    out = []
    for i, link in enumerate(links):
        if link.objective_id not in goals:
            raise ValidationFailed.on(
                f"goal_links[{i}].objective_id",
                _("no such goal in this organisation"),
                "unknown_goal",
            )
        if link.key_result_id is not None and kpi_goal.get(link.key_result_id) != link.objective_id:
            raise ValidationFailed.on(
                f"goal_links[{i}].key_result_id",
                _("no such key result under this goal"),
                "unknown_key_result",
            )
        out.append((link.objective_id, link.key_result_id))
    return out


async def _members(
    session: AsyncSession, principal: Principal, members: list[ProjectMemberIn]
) -> dict[uuid.UUID, str]:
    known = await identity.member_names(session, principal.org_id, {m.member_id for m in members})
    out: dict[uuid.UUID, str] = {}
    for i, m in enumerate(members):
        if m.member_id not in known:
            raise ValidationFailed.on(
                f"members[{i}].member_id",
                _("no such member in this organisation"),
                "unknown_member",
            )
        out[m.member_id] = m.role.value
    return out


async def _insert_with_next_code(session: AsyncSession, project: Project) -> None:
    """Codes run per organisation and start year (P2026-001, P2026-002, …), from a counter
    row that concurrent creates take in turn: every valid create gets a code. A name taken by
    a live project at the same moment is refused by the unique index (409)."""
    year = project.starts_on.year
    while True:  # a code given outside the counter (an import) is skipped
        number = await repo.next_code_number(session, project.org_id, year)
        project.code = f"P{year}-{number:03d}"
        if not await repo.code_taken(session, project.org_id, project.code):
            break
    session.add(project)
    await session.flush()


async def create_project(
    session: AsyncSession, principal: Principal, body: ProjectCreate
) -> Project:
    owner = body.owner_member_id or principal.membership_id
    if not policy.may_manage_as(principal, owner):
        raise Forbidden(_("Project managers create projects they manage themselves."))
    _check_dates(body.starts_on, body.ends_on)
    template = (
        None if body.template is None else await find_template(session, principal, body.template)
    )
    await _check_references(
        session, principal, owner_member_id=owner, team_id=body.team_id, period_id=body.period_id
    )
    context = await _name_context(session, principal, body.period_id, body.starts_on, body.ends_on)
    await _require_good_name(session, principal, body.name, context)
    links = await _goal_links(session, principal, body.goal_links)
    members = await _members(session, principal, body.members)
    project = Project(
        org_id=principal.org_id,
        name=body.name,
        type=body.type,
        description=body.description,
        owner_member_id=owner,
        created_by_member_id=principal.membership_id,
        team_id=body.team_id,
        period_id=body.period_id,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        currency=body.currency,
        total_budget=body.total_budget,
        template_key=None if template is None else template.id,
        status=ProjectStatus.DRAFT,
    )
    await _insert_with_next_code(session, project)
    await repo.replace_goal_links(session, project, links)
    members.setdefault(owner, "manager")
    await repo.replace_members(session, project, members)
    await session.flush()
    await _instantiate(session, project, None if template is None else template.content)
    return project


async def _instantiate(
    session: AsyncSession, project: Project, content: dict[str, Any] | None
) -> None:
    """The plan of a new project: the template's phases, dated tasks and budget categories,
    or the default phases (the work domain owns phases and tasks)."""
    phases = None if content is None else lay_out(content, project.starts_on, project.ends_on)
    await plans.lay_out(
        session, project.org_id, project.id, project.starts_on, project.ends_on, phases
    )
    if content is None:
        return
    await finance.lay_out_lines(
        session, project.org_id, project.id, content.get("budget_categories", [])
    )


_FROZEN = frozenset({ProjectStatus.CLOSED, ProjectStatus.CANCELLED})
# What the 立项 approvers decide on: fixed while they look (withdraw, change, resubmit).
_UNDER_APPROVAL = frozenset({"total_budget", "currency", "owner_member_id"})


# What an approved project's approval decided: it changes only through a change request that
# runs the approval workflow again (the budget module adds those); until then it is refused.
_DECIDED = ("total_budget", "currency", "owner_member_id")
# Dates may move this much without a new approval (a launch slipping a few days is planning,
# not a new decision); further is a change request.
DATE_TOLERANCE_DAYS = 7


def _decided_changes(project: Project, changes: dict[str, Any]) -> list[str]:
    """The fields of an approved project that `changes` would move beyond what was decided."""
    if not is_registered(project.status):
        return []
    moved = [f for f in _DECIDED if f in changes and changes[f] != getattr(project, f)]
    for field in ("starts_on", "ends_on"):
        if field in changes:
            shift = abs((changes[field] - getattr(project, field)).days)
            if shift > DATE_TOLERANCE_DAYS:
                moved.append(field)
    return moved


def _refuse_decided(project: Project, fields: list[str]) -> None:
    if not fields:
        return
    raise Conflict(
        _(
            "Project {code} is approved: its manager, currency and dates (beyond {days} "
            "days) were decided by its approval and stay as decided. Its budget is the sum "
            "of its approved budget lines and changes through a budget request (预算变更) "
            "that is approved again.",
            code=project.code,
            days=DATE_TOLERANCE_DAYS,
        ),
        errors=[
            FieldError(field=f, message="decided by the approval", type="approved") for f in fields
        ],
        current_status=project.status.value,
        reason="change_request_needed",
    )


def _require_changeable(project: Project) -> None:
    if project.status in _FROZEN:
        raise Conflict(
            _("A {status} project cannot be changed.", status=term(project.status.value)),
            current_status=project.status.value,
        )


async def _check_renamed(
    session: AsyncSession, principal: Principal, project: Project, changes: dict[str, Any]
) -> None:
    """A new name is checked like a new project's; a new period or new dates must still agree
    with the period the (unchanged) name states."""
    renamed = "name" in changes and changes["name"] != project.name
    moved = [
        f
        for f in ("period_id", "starts_on", "ends_on")
        if f in changes and changes[f] != getattr(project, f)
    ]
    if not renamed and not moved:
        return
    context = await _name_context(
        session,
        principal,
        changes.get("period_id", project.period_id),
        changes.get("starts_on", project.starts_on),
        changes.get("ends_on", project.ends_on),
    )
    if renamed:
        await _require_good_name(session, principal, changes["name"], context, project.id)
        return
    result = check_name(await naming_convention(session, principal), project.name, context)
    for issue in result.issues:
        if issue.type == "period_mismatch":  # names from before the convention are let be
            raise ValidationFailed(
                issue.message,
                errors=[
                    FieldError(
                        field=moved[0],
                        message="does not match the period in the name",
                        type="naming_convention",
                    )
                ],
                part=issue.part,
                part_label=issue.label,
                allowed_values=list(issue.allowed_values),
            )


async def update_project(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    body: ProjectUpdate,
    if_match: str | None,
) -> Project:
    project = await project_for(session, principal, project_id, ProjectRight.MANAGE)
    changes = changes_to(project, body, if_match)
    _require_changeable(project)
    if project.status == ProjectStatus.SUBMITTED and any(
        field in changes and changes[field] != getattr(project, field) for field in _UNDER_APPROVAL
    ):
        raise Conflict(
            _(
                "The budget and manager are under approval; withdraw the project to change "
                "them, then resubmit."
            ),
            current_status=project.status.value,
        )
    _refuse_decided(project, _decided_changes(project, changes))
    if "owner_member_id" in changes and not policy.may_hand_over(principal):
        raise Forbidden(_refusal(ProjectRight.HAND_OVER))
    _check_dates(
        changes.get("starts_on", project.starts_on), changes.get("ends_on", project.ends_on)
    )
    await _check_references(
        session,
        principal,
        owner_member_id=changes.get("owner_member_id"),
        team_id=changes.get("team_id"),
        period_id=changes.get("period_id"),
    )
    await _check_renamed(session, principal, project, changes)
    if "total_budget" in changes:
        await _check_total_covers_lines(session, project, changes["total_budget"])
    apply_changes(project, changes)
    if "owner_member_id" in changes:
        new_owner = project.owner_member_id
        # The new manager joins the project team as its manager.
        team = {m.membership_id: m.role.value for m in await repo.members(session, project)}
        if team.get(new_owner) != "manager":
            team[new_owner] = "manager"
            await repo.replace_members(session, project, team)
    await session.flush()
    if "starts_on" in changes or "ends_on" in changes:
        # Tasks start no earlier than the project: its plan follows a new start.
        await plans.replan(session, project.org_id, project.id, project.starts_on, project.ends_on)
    return project


async def set_goal_links(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    links: list[GoalLinkIn],
    version: int,
) -> Project:
    project = await _project_to_change(session, principal, project_id, version)
    if project.status == ProjectStatus.SUBMITTED:
        raise Conflict(
            _(
                "The goals are part of what the approvers decide on; withdraw the project to "
                "change them, then resubmit."
            ),
            current_status=project.status.value,
        )
    if is_registered(project.status):
        _refuse_decided(project, ["goal_links"])
    resolved = await _goal_links(session, principal, links)
    await repo.replace_goal_links(session, project, resolved)
    project.version += 1  # the links are part of the project's state
    await session.flush()
    return project


async def _project_to_change(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, version: int
) -> Project:
    """A project the caller manages, at the version they read, not closed or cancelled."""
    project = await project_for(session, principal, project_id, ProjectRight.MANAGE)
    check_version(project.version, version)
    _require_changeable(project)
    return project


async def set_members(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    members: list[ProjectMemberIn],
    version: int,
) -> Project:
    project = await _project_to_change(session, principal, project_id, version)
    resolved = await _members(session, principal, members)
    resolved.setdefault(project.owner_member_id, "manager")
    await repo.replace_members(session, project, resolved)
    project.version += 1  # so are the members
    await session.flush()
    return project


async def list_projects(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    statuses: list[ProjectStatus],
    owner_member_id: uuid.UUID | None,
    goal_id: uuid.UUID | None,
    period_id: uuid.UUID | None,
    q: str | None,
) -> tuple[list[Project], int]:
    return await repo.list_projects(
        session,
        principal.org_id,
        params,
        statuses=statuses,
        owner_member_id=owner_member_id,
        goal_id=goal_id,
        period_id=period_id,
        q=q.strip() if q else None,
    )


# ---- lifecycle -----------------------------------------------------------------------------

_MANAGER_ACTIONS = frozenset(ProjectAction(a.value) for a in TransitionAction)


def actions_for(principal: Principal, project: Project) -> list[TransitionAction]:
    return _actions(principal, project.owner_member_id, project.status)


def _actions(
    principal: Principal, owner_member_id: uuid.UUID, status: ProjectStatus
) -> list[TransitionAction]:
    """The lifecycle actions the caller may take on a project in `status` (none unless they
    manage it; the team role is not looked up, as in `rights_on`)."""
    if ProjectRight.MANAGE not in policy.rights(principal, ProjectFacts(owner_member_id)):
        return []
    return [TransitionAction(a.value) for a in allowed_actions(status) if a in _MANAGER_ACTIONS]


async def transition(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    action: TransitionAction,
    version: int,
) -> Project:
    project = await project_for(session, principal, project_id, ProjectRight.MANAGE)
    check_version(project.version, version)
    step = ProjectAction(action.value)
    guards = Guards(
        has_retrospective=await repo.retrospective(session, project) is not None,
        has_goal_link=bool(await repo.goal_links(session, principal.org_id, [project.id])),
    )
    try:
        target = apply(project.status, step, guards)
    except IllegalTransition as exc:
        allowed = [a.value for a in exc.allowed if a in _MANAGER_ACTIONS]
        raise Conflict(
            _transition_refusal(exc, allowed),
            current_status=project.status.value,
            reason=exc.code,
            allowed_actions=allowed,
        ) from exc
    if step == ProjectAction.SUBMIT:
        opened = await approvals.open_request(
            session,
            principal,
            RequestType.PROJECT_INITIATION,
            project.id,
            f"{project.code} {project.name}",
            project.total_budget,
            project.currency,
            requested_by=project.owner_member_id,  # the manager's request, whoever submits it
            subject_author=project.created_by_member_id,
        )
        project.approval_request_id = opened.id
    elif step in (ProjectAction.WITHDRAW, ProjectAction.CANCEL):
        pending = await current_approval(session, project)
        if pending is not None:
            await approvals.withdraw(session, pending)
    project.status = target
    await session.flush()
    return project


def _transition_refusal(exc: IllegalTransition, allowed: list[str]) -> Message:
    if exc.code == "no_goal_link":
        return _("Link the project to at least one goal before submitting it.")
    if exc.code == "no_retrospective":
        return _("Write the project's retrospective before closing it.")
    return _(
        "A {status} project cannot take the action {action}; it allows: {allowed}.",
        status=term(exc.status.value),
        action=term(exc.action.value),
        allowed=terms(allowed),
    )


async def current_approval(session: AsyncSession, project: Project) -> approvals.Request | None:
    if project.approval_request_id is None:
        return None
    return await approvals.find_request(session, project.approval_request_id)


@approvals.on_outcome(RequestType.PROJECT_INITIATION)
async def _initiation_decided(session: AsyncSession, request: approvals.Request) -> None:
    project = await repo.get_project(session, request.org_id, request.subject_id)
    if project is None or project.status != ProjectStatus.SUBMITTED:
        return
    action = (
        ProjectAction.APPROVE
        if request.state == RequestState.APPROVED.value
        else ProjectAction.REJECT
    )
    project.status = apply(project.status, action)
    await session.flush()


async def projects_of_goals(
    session: AsyncSession, org_id: uuid.UUID, goal_ids: Iterable[uuid.UUID]
) -> list[tuple[uuid.UUID, repo.LinkedProjectRow]]:
    """For the strategy domain: (goal id, project) for every project linked to one of these
    goals, by project code."""
    return await repo.links_to_goals(session, org_id, goal_ids)


async def projects_of_goals_view(
    reader: Reader, goal_ids: Select[tuple[uuid.UUID]], **params: Any
) -> list[dict[str, Any]]:
    """For the strategy domain's reads: (goal_id, id, code, name, status) of every project
    linked to one of the goals `goal_ids` selects (built once by the caller; `params` bound),
    by project code."""
    return await repo.links_to_goals_view(reader, goal_ids, **params)


async def ensure_can_request_budget(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID
) -> Project:
    """For the budget domain: only registered (立项: approved or later) projects may request
    budget. NotFound for another organisation's project, Conflict for an unregistered one."""
    project = await repo.get_project(session, org_id, project_id)
    if project is None:
        raise NotFound(_("Project {project_id} not found.", project_id=project_id))
    if not is_registered(project.status) or project.status == ProjectStatus.CLOSED:
        raise Conflict(
            _(
                "Project {code} is {status}: only approved, active or closing projects may "
                "request budget.",
                code=project.code,
                status=term(project.status.value),
            ),
            current_status=project.status.value,
        )
    return project


# ---- retrospective -------------------------------------------------------------------------


async def write_retrospective(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, body: RetrospectiveIn
) -> Project:
    project = await project_for(session, principal, project_id, ProjectRight.MANAGE)
    if project.status not in (ProjectStatus.ACTIVE, ProjectStatus.CLOSING):
        raise Conflict(
            _("A retrospective is written while the project is active or closing."),
            current_status=project.status.value,
        )
    retro = await repo.retrospective(session, project)
    if retro is None:
        session.add(
            Retrospective(org_id=project.org_id, project_id=project.id, **body.model_dump())
        )
    else:
        apply_changes(retro, body.model_dump())
    await session.flush()
    return project


# ---- the project page ----------------------------------------------------------------------


async def project_page(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID
) -> repo.ProjectPage:
    """The project with its retrospective, goal links, team, phases, tasks and budget lines,
    in one query, for a caller who may view it: like `project_for(…, VIEW)`, which it is
    but for the parts loaded with the project."""
    page = await repo.project_page(session, principal.org_id, project_id)
    await _with_right(
        session,
        principal,
        project_id,
        None if page is None else page.project,
        ProjectRight.VIEW,
    )
    assert page is not None  # _with_right: 404 otherwise
    return page


# ---- reads as rows: the project list and the project page (JSON as `ProjectRead` /
# `ProjectDetail` serialise, for `mems.core.responses.json_response`) ------------------------


def _as_id(value: Any) -> uuid.UUID:
    """An id read from JSON (PostgreSQL writes it with dashes, SQLite as 32 hex digits)."""
    return uuid.UUID(str(value))


def _by_position(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda x: int(x["position"]))


def _project_view(row: dict[str, Any]) -> dict[str, Any]:
    """`ProjectRead` of a row of `repo.view_projects` / `repo.view_project` (in place)."""
    row["registered"] = is_registered(row["status"])
    row["goal_ids"] = [_as_id(x) for x in row["goal_ids"]]
    return row


def _list_item(row: dict[str, Any]) -> dict[str, Any]:
    item = dict(row)  # the row keeps its `total`: `page_of` reads it after the items
    del item["total"]
    return _project_view(item)


async def view_projects(
    reader: Reader,
    principal: Principal,
    params: PageParams,
    *,
    statuses: list[ProjectStatus],
    owner_member_id: uuid.UUID | None,
    goal_id: uuid.UUID | None,
    period_id: uuid.UUID | None,
    q: str | None,
) -> dict[str, Any]:
    """`list_projects` for reads: the page (`Page[ProjectRead]`) in one statement. Every
    member of the organisation sees every project (`policy`: VIEW)."""
    rows = await repo.view_projects(
        reader,
        params,
        statuses=statuses,
        owner_member_id=owner_member_id,
        goal_id=goal_id,
        period_id=period_id,
        q=q.strip() if q else None,
    )
    return page_of(rows, params, _list_item)


async def view_project(
    reader: Reader, principal: Principal, project_id: uuid.UUID
) -> dict[str, Any]:
    """The project page (`ProjectDetail`) for a caller who may view the project, like
    `project_page`: the project with its parts in one statement, its approval as the caller
    sees it in another (`approvals.view_request`)."""
    row = await repo.view_project(reader, project_id)
    if row is None:
        raise NotFound(_("Project {project_id} not found.", project_id=project_id))
    status = ProjectStatus(row["status"])
    facts = ProjectFacts(row["owner_member_id"])
    if not policy.allows(principal, facts, ProjectRight.VIEW):
        raise Forbidden(_refusal(ProjectRight.VIEW))
    request_id = row.pop("approval_request_id")
    retro = {k[2:]: row.pop(k) for k in _RETRO_KEYS}
    view = _project_view(row)
    view["allowed_actions"] = _actions(principal, row["owner_member_id"], status)
    view["goal_links"] = [
        {
            "objective_id": _as_id(x["objective_id"]),
            "objective_title": x["objective_title"],
            "key_result_id": None if x["key_result_id"] is None else _as_id(x["key_result_id"]),
            "key_result_name": x["key_result_name"],
        }
        for x in row["goal_links"]
    ]
    view["members"] = [
        {"member_id": _as_id(x["member_id"]), "name": x["name"], "role": x["role"]}
        for x in row["members"]
    ]
    view["phases"] = [
        {
            "id": _as_id(p["id"]),
            "name": p["name"],
            "starts_on": p["starts_on"],
            "ends_on": p["ends_on"],
            "task_count": int(p["task_count"]),
            "done_count": int(p["done_count"]),
        }
        for p in _by_position(row["phases"])
    ]
    view["budget_lines"] = finance.line_views(row["budget_lines"])
    view["approved_budget"] = finance.approved_total(view["budget_lines"])
    view["approval"] = (
        None if request_id is None else await approvals.view_request(reader, principal, request_id)
    )
    view["retrospective"] = None if retro["version"] is None else retro
    return view


_RETRO_KEYS = ("r_summary", "r_went_well", "r_problems", "r_lessons", "r_updated_at", "r_version")


async def project_of(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID
) -> Project | None:
    """For other domains' jobs, which act for no caller (e.g. escalating an overdue issue to
    the project's manager): the project in this organisation, or None."""
    return await repo.get_project(session, org_id, project_id)


async def project_labels(
    session: AsyncSession, org_id: uuid.UUID, project_ids: set[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, str]]:
    """For other domains that show which project something belongs to: id -> (code, name)."""
    return await repo.labels(session, org_id, project_ids) if project_ids else {}
