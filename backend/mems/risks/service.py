"""Issue and risk rules (问题上报): raised on a project by the people who work on it, owned by
one of them, resolved, closed or reopened; an open one past its due day escalates once to the
project's manager and, still open some days later, once to the organisation's directors."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.clock import utcnow
from mems.core.errors import Conflict, NotFound, ValidationFailed
from mems.core.i18n import Message, Term, _, term
from mems.core.pagination import PageParams
from mems.core.versioning import apply_changes, changes_to, check_version
from mems.identity import service as identity
from mems.identity.permissions import Role
from mems.identity.principal import Principal
from mems.notifications import service as notifications
from mems.projects import service as projects
from mems.projects.policy import ProjectRight
from mems.risks import repository as repo
from mems.risks.models import Escalation, IssueKind, IssueStatus, WorkIssue
from mems.risks.repository import IssueFilter
from mems.risks.schemas import IssueCreate, IssueUpdate
from mems.work import service as work

log = logging.getLogger("mems.risks")

LINK = "work_issue"
DIRECTOR_AFTER_SETTING = "issues.escalate_director_after_days"
DEFAULT_DIRECTOR_AFTER_DAYS = 2
OPEN = repo.OPEN


def today_in(timezone: str, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(ZoneInfo(timezone)).date()


def risk_score(issue: WorkIssue) -> int | None:
    if issue.probability is None or issue.impact is None:
        return None
    return issue.probability * issue.impact


def is_overdue(issue: WorkIssue, today: date) -> bool:
    return issue.status in OPEN and issue.due_on is not None and issue.due_on < today


async def org_today(session: AsyncSession, principal: Principal) -> date:
    return today_in((await identity.get_org(session, principal)).timezone)


# ---- checks ---------------------------------------------------------------------------------


def _check_scores(kind: IssueKind, probability: int | None, impact: int | None) -> None:
    for field, value in (("probability", probability), ("impact", impact)):
        if kind == IssueKind.RISK and value is None:
            raise ValidationFailed.on(
                field, _("A risk needs its probability and impact (1–5)."), "required_for_risks"
            )
        if kind == IssueKind.ISSUE and value is not None:
            raise ValidationFailed.on(
                field,
                _("An issue has already happened: probability and impact are for risks only."),
                "not_for_issues",
            )


async def _check_owner(session: AsyncSession, project: Any, owner: uuid.UUID | None) -> None:
    if owner is not None and not await projects.works_on(session, project, owner):
        raise ValidationFailed.on(
            "owner_member_id",
            _("The owner must be someone who works on the project."),
            "not_on_project",
        )


async def _check_task(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, task_id: uuid.UUID | None
) -> None:
    if task_id is not None and not await work.task_in_project(
        session, principal.org_id, project_id, task_id
    ):
        raise ValidationFailed.on("task_id", _("No such task in this project."), "unknown_task")


async def _tell_owner(session: AsyncSession, principal: Principal, issue: WorkIssue) -> None:
    if issue.owner_member_id is None or issue.owner_member_id == principal.membership_id:
        return
    title = (
        _("A risk is yours to handle: {title}", title=issue.title)
        if issue.kind == IssueKind.RISK
        else _("An issue is yours to handle: {title}", title=issue.title)
    )
    await notifications.notify(
        session,
        issue.org_id,
        [issue.owner_member_id],
        "issue.assigned",
        title=title,
        body=_("{name} made you its owner.", name=principal.user_name),
        link=(LINK, issue.id),
    )


# ---- issues ---------------------------------------------------------------------------------


async def get(
    session: AsyncSession,
    principal: Principal,
    issue_id: uuid.UUID,
    right: ProjectRight = ProjectRight.VIEW,
) -> WorkIssue:
    """The issue, for a caller with `right` on its project (404 for another organisation's,
    403 without the right)."""
    issue = await repo.get(session, principal.org_id, issue_id)
    if issue is None:
        raise NotFound(_("Issue {issue_id} not found.", issue_id=issue_id))
    await projects.project_for(session, principal, issue.project_id, right)
    return issue


async def create(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, body: IssueCreate
) -> WorkIssue:
    project = await projects.project_for(session, principal, project_id, ProjectRight.CONTRIBUTE)
    _check_scores(body.kind, body.probability, body.impact)
    await _check_owner(session, project, body.owner_member_id)
    await _check_task(session, principal, project.id, body.task_id)
    issue = WorkIssue(
        org_id=principal.org_id,
        project_id=project.id,
        raised_by_member_id=principal.membership_id,
        status=IssueStatus.OPEN,
        escalation=Escalation.NONE,
        **body.model_dump(),
    )
    session.add(issue)
    await session.flush()
    await _tell_owner(session, principal, issue)
    return issue


async def list_of_project(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    filters: IssueFilter,
    params: PageParams,
) -> tuple[list[WorkIssue], int]:
    project = await projects.project_for(session, principal, project_id)
    return await repo.of_project(session, principal.org_id, project.id, filters, params)


async def update(
    session: AsyncSession,
    principal: Principal,
    issue_id: uuid.UUID,
    body: IssueUpdate,
    if_match: str | None,
) -> WorkIssue:
    issue = await get(session, principal, issue_id, ProjectRight.CONTRIBUTE)
    changes = changes_to(issue, body, if_match)
    if issue.status not in OPEN and changes:
        raise Conflict(_("A resolved or closed issue is reopened before it is changed."))
    _check_scores(
        issue.kind,
        changes.get("probability", issue.probability),
        changes.get("impact", issue.impact),
    )
    owner_changed = (
        "owner_member_id" in changes and changes["owner_member_id"] != issue.owner_member_id
    )
    if owner_changed:
        project = await projects.project_for(session, principal, issue.project_id)
        await _check_owner(session, project, changes["owner_member_id"])
    if changes.get("task_id") is not None:
        await _check_task(session, principal, issue.project_id, changes["task_id"])
    if "due_on" in changes and changes["due_on"] != issue.due_on:
        # A new due day starts the escalation over.
        changes["escalation"], changes["escalated_at"] = Escalation.NONE, None
    apply_changes(issue, changes)
    await session.flush()
    if owner_changed:
        await _tell_owner(session, principal, issue)
    return issue


async def _step(
    session: AsyncSession,
    principal: Principal,
    issue_id: uuid.UUID,
    version: int | None,
    allowed_from: Sequence[IssueStatus],
    refusal: Callable[[Term], Message],
) -> WorkIssue:
    """The issue, if it may take this step from its status (else 409 saying `refusal` of
    its status)."""
    issue = await get(session, principal, issue_id, ProjectRight.CONTRIBUTE)
    if version is not None:
        check_version(issue.version, version)
    if issue.status not in allowed_from:
        raise Conflict(refusal(term(issue.status.value, "issue")))
    return issue


async def resolve(
    session: AsyncSession,
    principal: Principal,
    issue_id: uuid.UUID,
    resolution: str,
    version: int | None,
) -> WorkIssue:
    issue = await _step(
        session,
        principal,
        issue_id,
        version,
        OPEN,
        lambda status: _(
            "Only an open issue can be resolved; this one is {status}.", status=status
        ),
    )
    issue.status, issue.resolution, issue.resolved_at = IssueStatus.RESOLVED, resolution, utcnow()
    await session.flush()
    return issue


async def close(
    session: AsyncSession, principal: Principal, issue_id: uuid.UUID, version: int | None
) -> WorkIssue:
    issue = await _step(
        session,
        principal,
        issue_id,
        version,
        (*OPEN, IssueStatus.RESOLVED),
        lambda status: _("This issue is {status} already.", status=status),
    )
    issue.status = IssueStatus.CLOSED
    await session.flush()
    return issue


async def reopen(
    session: AsyncSession, principal: Principal, issue_id: uuid.UUID, version: int | None
) -> WorkIssue:
    issue = await _step(
        session,
        principal,
        issue_id,
        version,
        (IssueStatus.RESOLVED, IssueStatus.CLOSED),
        lambda status: _(
            "Only a resolved or closed issue can be reopened; this one is {status}.", status=status
        ),
    )
    issue.status, issue.resolved_at = IssueStatus.OPEN, None
    issue.escalation, issue.escalated_at = Escalation.NONE, None
    await session.flush()
    return issue


_SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}


async def open_issues_summary(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, limit: int = 20
) -> list[dict[str, Any]]:
    """For other domains' project pages (the battle map): the project's open issues and risks,
    the most severe and likely first, with their owners' names and whether they are overdue.
    The caller has already checked the caller may view the project."""
    issues = await repo.open_of_project(session, principal.org_id, project_id, 200)
    names = await owner_names(session, principal, issues)
    today = await org_today(session, principal)
    issues.sort(
        key=lambda i: (_SEVERITY_RANK[i.severity.value], -(risk_score(i) or 0), str(i.due_on))
    )
    rows: list[dict[str, Any]] = [
        {
            "id": i.id,
            "kind": i.kind.value,
            "title": i.title,
            "severity": i.severity.value,
            "risk_score": risk_score(i),
            "owner_name": names.get(i.owner_member_id) if i.owner_member_id else None,
            "due_on": i.due_on,
            "overdue": is_overdue(i, today),
            "escalation": i.escalation.value,
        }
        for i in issues
    ]
    rows.sort(
        key=lambda r: (_SEVERITY_RANK[r["severity"]], -(r["risk_score"] or 0), str(r["due_on"]))
    )
    return rows[:limit]


async def owner_names(
    session: AsyncSession, principal: Principal, issues: list[WorkIssue]
) -> dict[uuid.UUID, str]:
    owners = {i.owner_member_id for i in issues if i.owner_member_id is not None}
    return await identity.member_names(session, principal.org_id, owners)


# ---- escalation (the cron job) ------------------------------------------------------------------


@dataclass
class Escalated:
    to_manager: int = 0
    to_directors: int = 0


async def _director_after_days(session: AsyncSession, org_id: uuid.UUID) -> int:
    days, _revision = await director_after_setting(session, org_id)
    return days


async def director_after_setting(session: AsyncSession, org_id: uuid.UUID) -> tuple[int, int]:
    """How many days after its project manager was told an overdue issue goes on to the
    directors (`issues.escalate_director_after_days`, default 2), and the setting's revision
    (0 when never set), to change it."""
    value, revision = await identity.org_setting(session, org_id, DIRECTOR_AFTER_SETTING)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 365:
        return value, revision
    return DEFAULT_DIRECTOR_AFTER_DAYS, revision


async def set_director_after_days(
    session: AsyncSession, principal: Principal, days: int, expected_revision: int
) -> int:
    """Set when overdue issues reach the directors (the caller may manage the organisation:
    the route checks it) if the setting is still at `expected_revision`, else a 409. Returns
    its new revision. Issues already escalated to their manager follow the new delay."""
    assert 0 <= days <= 365  # the API's schema bounds it
    return await identity.set_org_setting(
        session,
        principal.org_id,
        DIRECTOR_AFTER_SETTING,
        days,
        expected_revision,
        principal.membership_id,
    )


async def escalate_overdue(session: AsyncSession, now: datetime | None = None) -> Escalated:
    """Every organisation's open issues past their due day (in the organisation's time zone):
    not escalated yet, to the project's manager; escalated to the manager at least
    `issues.escalate_director_after_days` days ago (default 2), to the directors. Each step
    happens once per issue: its `escalation` says how far it went, so running again sends
    nothing new."""
    now = now or utcnow()
    out = Escalated()
    # No time zone is more than a day ahead of UTC: issues due before then are the candidates.
    candidates = await repo.escalation_candidates(session, now.date() + timedelta(days=1))
    orgs: dict[uuid.UUID, tuple[str, date, int]] = {}
    for issue in candidates:
        if issue.org_id not in orgs:
            timezone = (await identity.org_of(session, issue.org_id)).timezone
            orgs[issue.org_id] = (
                timezone,
                today_in(timezone, now),
                await _director_after_days(session, issue.org_id),
            )
        timezone, today, after_days = orgs[issue.org_id]
        if not is_overdue(issue, today):
            continue
        assert issue.due_on is not None
        if issue.escalation == Escalation.NONE:
            project = await projects.project_of(session, issue.org_id, issue.project_id)
            if project is None:
                continue
            await notifications.notify(
                session,
                issue.org_id,
                [project.owner_member_id],
                "issue.overdue",
                title=_("Overdue and still open: {title}", title=issue.title),
                body=_(
                    "It was due on {due_on} in project {project}.",
                    due_on=issue.due_on.isoformat(),
                    project=project.name,
                ),
                link=(LINK, issue.id),
            )
            issue.escalation, issue.escalated_at = Escalation.MANAGER, now
            out.to_manager += 1
        elif issue.escalation == Escalation.MANAGER:
            told_on = today_in(timezone, issue.escalated_at or now)
            if today < told_on + timedelta(days=after_days):
                continue
            directors = await identity.active_member_ids_with_role(
                session, issue.org_id, {Role.DIRECTOR.value}
            )
            project = await projects.project_of(session, issue.org_id, issue.project_id)
            await notifications.notify(
                session,
                issue.org_id,
                directors,
                "issue.escalated",
                title=_("Escalated to the directors: {title}", title=issue.title),
                body=_(
                    "It was due on {due_on} in project {project} and is still open {days} "
                    "day(s) after its project manager was told.",
                    due_on=issue.due_on.isoformat(),
                    project=project.name if project else "",
                    days=(today - told_on).days,
                ),
                link=(LINK, issue.id),
            )
            issue.escalation, issue.escalated_at = Escalation.DIRECTOR, now
            out.to_directors += 1
    await session.flush()
    log.info(
        "issues escalated",
        extra={"to_manager": out.to_manager, "to_directors": out.to_directors},
    )
    return out
