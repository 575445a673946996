"""Overdue issues escalate: once to the project's manager, then (still open N days later,
org setting `issues.escalate_director_after_days`, default 2) once to the directors. The job
is called with a frozen clock, and once through the job runner."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.jobs import InProcessQueue
from mems.identity import service as identity
from mems.identity.permissions import Role
from mems.notifications.models import Notification
from mems.projects.models import Project
from mems.risks.models import Escalation, IssueKind, IssueStatus, WorkIssue
from mems.risks.service import escalate_overdue
from tests.checkins.helpers import API, make_project
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers

# 2026-12-10 10:00 in Shanghai (UTC+8).
NOON = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)


async def _issue(
    session: AsyncSession, project: Project, due_on: date, **values: object
) -> WorkIssue:
    issue = WorkIssue(
        org_id=project.org_id,
        project_id=project.id,
        kind=IssueKind.ISSUE,
        title=f"问题-{due_on}",
        due_on=due_on,
        **values,
    )
    session.add(issue)
    await session.commit()
    return issue


async def _notes(session: AsyncSession, kind: str) -> list[tuple[object, object]]:
    rows = await session.execute(
        select(Notification.recipient_member_id, Notification.link_id)
        .where(Notification.kind == kind)
        .order_by(Notification.recipient_member_id)
    )
    return [tuple(r) for r in rows.all()]  # type: ignore[misc]


async def test_overdue_issue_goes_to_the_manager_then_the_directors_once_each(
    session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    manager = org.members[Role.PROJECT_MANAGER].id
    overdue = await _issue(session, project, date(2026, 12, 9))
    due_today = await _issue(session, project, date(2026, 12, 10))
    resolved = await _issue(session, project, date(2026, 12, 1), status=IssueStatus.RESOLVED)
    no_due = WorkIssue(org_id=org.org.id, project_id=project.id, kind=IssueKind.ISSUE, title="无期")
    session.add(no_due)
    await session.commit()

    done = await escalate_overdue(session, NOON)
    await session.commit()
    assert (done.to_manager, done.to_directors) == (1, 0)
    assert await _notes(session, "issue.overdue") == [(manager, overdue.id)]
    for issue in (overdue, due_today, resolved, no_due):
        await session.refresh(issue)
    assert (overdue.escalation, overdue.escalated_at) == (Escalation.MANAGER, NOON)
    assert {due_today.escalation, resolved.escalation, no_due.escalation} == {Escalation.NONE}

    # Running again, even hours later the same day or the next, tells nobody anything new.
    for later in (NOON + timedelta(hours=5), NOON + timedelta(days=1)):
        done = await escalate_overdue(session, later)
        await session.commit()
        assert done.to_directors == 0
    assert await _notes(session, "issue.overdue") == [
        (manager, overdue.id),
        (manager, due_today.id),  # overdue itself from the 11th
    ]

    # Two days after the manager was told, still open: the directors hear of it, once.
    for _ in range(2):
        await escalate_overdue(session, NOON + timedelta(days=2))
        await session.commit()
    assert await _notes(session, "issue.escalated") == [(org.members[Role.DIRECTOR].id, overdue.id)]
    await session.refresh(overdue)
    assert overdue.escalation == Escalation.DIRECTOR
    await escalate_overdue(session, NOON + timedelta(days=30))
    await session.commit()
    assert len(await _notes(session, "issue.escalated")) == 2  # the later one, once
    assert len(await _notes(session, "issue.overdue")) == 2


async def test_the_organisations_day_and_setting_decide(
    session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    issue = await _issue(session, project, date(2026, 12, 9))
    # 2026-12-09 23:00 UTC is still the 9th in London but the 10th in Shanghai.
    late_evening = datetime(2026, 12, 9, 23, 0, tzinfo=UTC)
    org.org.timezone = "Europe/London"
    await session.commit()
    assert (await escalate_overdue(session, late_evening)).to_manager == 0
    org.org.timezone = "Asia/Shanghai"
    await session.commit()
    assert (await escalate_overdue(session, late_evening)).to_manager == 1
    await session.commit()

    await identity.set_org_setting(
        session, org.org.id, "issues.escalate_director_after_days", 5, 0, None
    )
    await session.commit()
    assert (await escalate_overdue(session, late_evening + timedelta(days=4))).to_directors == 0
    assert (await escalate_overdue(session, late_evening + timedelta(days=5))).to_directors == 1
    await session.commit()
    await session.refresh(issue)
    assert issue.escalation == Escalation.DIRECTOR


async def test_a_new_due_day_or_reopening_starts_the_escalation_over(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    moved = await _issue(session, project, date(2026, 12, 1))
    reopened = await _issue(session, project, date(2026, 12, 1))
    await escalate_overdue(session, NOON)
    await session.commit()
    c = await api(Role.MEMBER)
    r = await c.patch(f"{API}/issues/{moved.id}", json={"due_on": "2026-12-20", "version": 2})
    assert r.status_code == 200, r.text
    assert (r.json()["escalation"], r.json()["escalated_at"]) == ("none", None)
    await c.post(f"{API}/issues/{reopened.id}/resolve", json={"resolution": "好了"})
    r = await c.post(f"{API}/issues/{reopened.id}/reopen", json={})
    assert r.json()["escalation"] == "none"
    # Overdue again: the manager is told again, about each.
    session.expire_all()  # the API changed them since this session read them
    assert (await escalate_overdue(session, NOON + timedelta(days=15))).to_manager == 2


async def test_the_job_runs_through_the_runner(
    session: AsyncSession, org: OrgWithMembers, jobs: InProcessQueue
) -> None:
    project = await make_project(session, org)
    issue = await _issue(session, project, date.today() - timedelta(days=10))
    await jobs.enqueue("risks.escalate_overdue_issues")
    await jobs.drain()
    await session.refresh(issue)
    assert issue.escalation == Escalation.MANAGER
    assert await _notes(session, "issue.overdue") == [
        (org.members[Role.PROJECT_MANAGER].id, issue.id)
    ]
