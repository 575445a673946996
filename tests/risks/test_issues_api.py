"""Issues and risks (问题上报): raised by the people who work on a project, owned by one of
them, scored (risks), resolved, closed and reopened."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.identity.permissions import Role
from mems.notifications.models import Notification
from mems.projects.models import ProjectRole
from mems.risks.models import WorkIssue
from tests.checkins.helpers import (
    API,
    count,
    fields_of,
    make_project,
    make_task,
    org_today,
    problem,
)
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.permission_matrix import audit_rows


def risk(**values: Any) -> dict[str, Any]:
    return {
        "kind": "risk",
        "title": "主播临时取消",
        "severity": "high",
        "probability": 3,
        "impact": 4,
        **values,
    }


async def test_a_team_member_raises_a_risk_and_its_owner_is_told(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(
        session,
        org,
        team={Role.MEMBER: ProjectRole.CONTRIBUTOR, Role.FINANCE: ProjectRole.CORE},
    )
    task = await make_task(session, project, org.members[Role.MEMBER].id)
    owner = org.members[Role.FINANCE]
    due = org_today(org) + timedelta(days=5)
    c = await api(Role.MEMBER)
    r = await c.post(
        f"{API}/projects/{project.id}/issues",
        json=risk(owner_member_id=str(owner.id), due_on=due.isoformat(), task_id=str(task.id)),
    )
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["risk_score"] == 12
    assert made["status"] == "open"
    assert made["owner_name"] == owner.user.name
    assert made["overdue"] is False
    assert made["raised_by_member_id"] == str(org.members[Role.MEMBER].id)
    assert made["escalation"] == "none"
    told = (
        await session.scalars(
            select(Notification).where(Notification.recipient_member_id == owner.id)
        )
    ).all()
    assert [(n.kind, n.link_type, str(n.link_id)) for n in told] == [
        ("issue.assigned", "work_issue", made["id"])
    ]

    # The owner reads it in their own notifications, in Chinese by default.
    owner_client = await api(Role.FINANCE)
    notes = (
        await owner_client.get(f"{API}/notifications", headers={"Accept-Language": "zh-CN"})
    ).json()
    assert any("主播临时取消" in n["title"] for n in notes["items"])

    one = await c.get(f"{API}/issues/{made['id']}")
    assert one.json()["title"] == "主播临时取消"
    assert one.headers["etag"] == '"1"'


async def test_scores_are_for_risks_only(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    c = await api(Role.MEMBER)
    url = f"{API}/projects/{project.id}/issues"
    r = await c.post(url, json=risk(impact=None))
    assert fields_of(problem(r, 422, "validation-failed")) == ["impact"]
    r = await c.post(url, json={"kind": "issue", "title": "物料延误", "probability": 2})
    assert fields_of(problem(r, 422, "validation-failed")) == ["probability"]
    r = await c.post(url, json=risk(probability=6))
    problem(r, 422, "validation-failed")
    assert await count(session, WorkIssue) == 0
    r = await c.post(url, json={"kind": "issue", "title": "物料延误", "severity": "critical"})
    assert r.status_code == 201, r.text
    assert r.json()["risk_score"] is None
    assert r.json()["probability"] is None


async def test_owner_and_task_must_belong_to_the_project(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    elsewhere = await make_project(session, org)
    other_task = await make_task(session, elsewhere, None)
    c = await api(Role.MEMBER)
    url = f"{API}/projects/{project.id}/issues"
    before = await audit_rows(session)
    # The viewer is in the organisation but not on the project.
    r = await c.post(url, json=risk(owner_member_id=str(org.members[Role.VIEWER].id)))
    assert fields_of(problem(r, 422, "validation-failed")) == ["owner_member_id"]
    r = await c.post(url, json=risk(task_id=str(other_task.id)))
    assert fields_of(problem(r, 422, "validation-failed")) == ["task_id"]
    assert await audit_rows(session) == before
    # The project's manager works on it without being listed on its team.
    r = await c.post(url, json=risk(owner_member_id=str(org.members[Role.PROJECT_MANAGER].id)))
    assert r.status_code == 201, r.text


async def test_only_the_projects_team_raises_issues(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org, team={Role.FINANCE: ProjectRole.OBSERVER})
    for role in (Role.MEMBER, Role.FINANCE):  # not on the team; only observing
        c = await api(role)
        r = await c.post(f"{API}/projects/{project.id}/issues", json=risk())
        problem(r, 403, "forbidden")
        # Everyone in the organisation sees the log.
        assert (await c.get(f"{API}/projects/{project.id}/issues")).status_code == 200
    assert await count(session, WorkIssue) == 0


async def test_list_filters_and_overdue(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    me = org.members[Role.MEMBER]
    c = await api(Role.MEMBER)
    url = f"{API}/projects/{project.id}/issues"
    yesterday = (org_today(org) - timedelta(days=1)).isoformat()
    late = (await c.post(url, json={"kind": "issue", "title": "晚了", "due_on": yesterday})).json()
    await c.post(url, json=risk(title="我的风险", owner_member_id=str(me.id)))
    page = (await c.get(url)).json()
    assert page["total"] == 2
    assert [i["title"] for i in page["items"]] == ["我的风险", "晚了"]
    assert [i["overdue"] for i in page["items"]] == [False, True]
    assert [i["title"] for i in (await c.get(url, params={"kind": "issue"})).json()["items"]] == [
        "晚了"
    ]
    mine = (await c.get(url, params={"owner_member_id": str(me.id)})).json()["items"]
    assert [i["title"] for i in mine] == ["我的风险"]
    r = await c.post(f"{API}/issues/{late['id']}/resolve", json={"resolution": "补上了"})
    assert r.json()["overdue"] is False
    resolved = (await c.get(url, params={"status": "resolved"})).json()["items"]
    assert [i["title"] for i in resolved] == ["晚了"]
    assert (await c.get(url, params={"limit": 1})).json()["items"][0]["title"] == "我的风险"


async def test_edit_resolve_close_reopen(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(
        session, org, team={Role.MEMBER: ProjectRole.CORE, Role.FINANCE: ProjectRole.CONTRIBUTOR}
    )
    c = await api(Role.MEMBER)
    made = (await c.post(f"{API}/projects/{project.id}/issues", json=risk())).json()
    issue = f"{API}/issues/{made['id']}"

    r = await c.patch(issue, json={"impact": 5, "status": "in_progress", "version": 1})
    assert r.status_code == 200, r.text
    assert (r.json()["risk_score"], r.json()["status"], r.json()["version"]) == (
        15,
        "in_progress",
        2,
    )
    problem(await c.patch(issue, json={"title": "x", "version": 1}), 409, "stale-version")
    r = await c.patch(issue, json={"probability": None, "version": 2})
    assert fields_of(problem(r, 422, "validation-failed")) == ["probability"]
    r = await c.patch(issue, json={"status": "resolved", "version": 2})
    problem(r, 422, "validation-failed")  # resolving is its own call

    # A new owner is told.
    finance = org.members[Role.FINANCE]
    r = await c.patch(issue, json={"owner_member_id": str(finance.id), "version": 2})
    assert r.json()["owner_member_id"] == str(finance.id)
    assert await count(session, Notification, Notification.recipient_member_id == finance.id) == 1

    problem(await c.post(f"{issue}/reopen", json={}), 409, "conflict")
    r = await c.post(f"{issue}/resolve", json={"resolution": "换了备选主播"})
    assert r.json()["status"] == "resolved"
    assert r.json()["resolved_at"] is not None
    problem(await c.post(f"{issue}/resolve", json={"resolution": "again"}), 409, "conflict")
    problem(
        await c.patch(issue, json={"title": "改", "version": r.json()["version"]}), 409, "conflict"
    )
    r = await c.post(f"{issue}/close", json={"version": r.json()["version"]})
    assert r.json()["status"] == "closed"
    problem(await c.post(f"{issue}/close", json={}), 409, "conflict")
    r = await c.post(f"{issue}/reopen", json={})
    assert r.json()["status"] == "open"
    assert r.json()["resolved_at"] is None
    assert r.json()["resolution"] == "换了备选主播"  # kept, for the record


async def test_another_organisations_issue_is_not_found(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    theirs = await make_project(session, other_org)
    their_client = await api(Role.MEMBER, in_org=other_org)
    made = (await their_client.post(f"{API}/projects/{theirs.id}/issues", json=risk())).json()
    c = await api(Role.ADMIN)
    problem(await c.get(f"{API}/issues/{made['id']}"), 404, "not-found")
    problem(await c.get(f"{API}/projects/{theirs.id}/issues"), 404, "not-found")
    problem(await c.post(f"{API}/issues/{made['id']}/close", json={}), 404, "not-found")
