"""Daily check-ins (每日打卡): one per person per day in the organisation's time zone, made by
that person only, today or within the grace rule, with their own tasks' progress saved in the
same transaction; the team roll-call."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.checkins.models import DailyCheckIn
from mems.identity import service as identity
from mems.identity.permissions import Role
from mems.projects.lifecycle import ProjectStatus
from mems.work.models import TaskStatus
from tests.checkins.helpers import (
    API,
    count,
    fields_of,
    make_project,
    make_task,
    make_team,
    org_today,
    problem,
)
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.permission_matrix import audit_rows


async def test_a_member_checks_in_today_and_updates_own_tasks(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    me = org.members[Role.MEMBER]
    project = await make_project(session, org)
    writing = await make_task(session, project, me.id, title="写推文")
    filming = await make_task(session, project, me.id, title="拍视频")
    c = await api(Role.MEMBER)

    form = (await c.get(f"{API}/checkins/me/today")).json()
    assert form["day"] == org_today(org).isoformat() == form["today"]
    assert form["editable"] is True
    assert form["checkin"] is None
    assert {t["title"] for t in form["tasks"]} == {"写推文", "拍视频"}

    r = await c.put(
        f"{API}/checkins/me/today",
        json={
            "done": "写完初稿",
            "next": "排版",
            "task_updates": [
                {"task_id": str(writing.id), "progress": 60},
                {"task_id": str(filming.id), "progress": 100},
            ],
        },
    )
    assert r.status_code == 200, r.text
    made = r.json()
    assert made["day"] == org_today(org).isoformat()
    assert made["member_id"] == str(me.id)
    assert made["member_name"] == me.user.name
    assert made["task_updates"][0] == {"task_id": str(writing.id), "progress": 60, "status": None}
    await session.refresh(writing)
    await session.refresh(filming)
    assert (writing.progress, writing.status) == (60, TaskStatus.IN_PROGRESS)
    assert (filming.progress, filming.status) == (100, TaskStatus.DONE)
    assert filming.completed_at is not None

    # The done task leaves the form's open tasks; the check-in shows on it.
    form = (await c.get(f"{API}/checkins/me/{org_today(org).isoformat()}")).json()
    assert form["checkin"]["done"] == "写完初稿"
    assert [t["title"] for t in form["tasks"]] == ["写推文"]

    # A second submission of the same day changes the same check-in.
    r = await c.put(
        f"{API}/checkins/me/today",
        json={
            "done": "写完终稿",
            "blockers": "等设计",
            "task_updates": [{"task_id": str(writing.id), "progress": 80, "status": "blocked"}],
            "version": made["version"],
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["id"] == made["id"]
    assert r.json()["version"] == made["version"] + 1
    assert r.json()["blockers"] == "等设计"
    assert await count(session, DailyCheckIn, DailyCheckIn.member_id == me.id) == 1
    await session.refresh(writing)
    assert (writing.progress, writing.status) == (80, TaskStatus.BLOCKED)


async def test_another_persons_task_is_refused_and_nothing_changes(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    me, other = org.members[Role.MEMBER], org.members[Role.FINANCE]
    project = await make_project(session, org)
    mine = await make_task(session, project, me.id)
    theirs = await make_task(session, project, other.id)
    c = await api(Role.MEMBER)
    before = await audit_rows(session)
    r = await c.put(
        f"{API}/checkins/me/today",
        json={
            "done": "干活",
            "task_updates": [
                {"task_id": str(mine.id), "progress": 50},
                {"task_id": str(theirs.id), "progress": 90},
            ],
        },
    )
    body = problem(r, 422, "validation-failed")
    assert fields_of(body) == ["task_updates[1].task_id"]
    assert await count(session, DailyCheckIn) == 0
    assert await audit_rows(session) == before
    await session.refresh(mine)
    await session.refresh(theirs)
    assert mine.progress == 0
    assert mine.status == TaskStatus.TODO
    assert theirs.progress == 0


@pytest.mark.parametrize("status", [ProjectStatus.CLOSED, ProjectStatus.CANCELLED])
async def test_a_task_of_a_closed_project_is_refused_and_nothing_changes(
    status: ProjectStatus, api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    """A closed or cancelled project's tasks no longer change, through a check-in either."""
    me = org.members[Role.MEMBER]
    open_project = await make_project(session, org)
    mine = await make_task(session, open_project, me.id)
    frozen = await make_project(session, org)
    left = await make_task(session, frozen, me.id, title="遗留任务")
    frozen.status = status
    await session.commit()
    c = await api(Role.MEMBER)
    before = await audit_rows(session)
    r = await c.put(
        f"{API}/checkins/me/today",
        json={
            "done": "干活",
            "task_updates": [
                {"task_id": str(mine.id), "progress": 50},
                {"task_id": str(left.id), "progress": 100},
            ],
        },
    )
    body = problem(r, 409, "conflict")
    assert frozen.code in body["detail"]
    assert await count(session, DailyCheckIn) == 0
    assert await audit_rows(session) == before
    for task in (mine, left):
        await session.refresh(task)
        assert (task.progress, task.status) == (0, TaskStatus.TODO)


@pytest.mark.parametrize("status", [ProjectStatus.CLOSED, ProjectStatus.CANCELLED])
async def test_the_form_and_the_home_leave_out_tasks_of_closed_projects(
    status: ProjectStatus, api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    """A closed or cancelled project's open tasks are not offered for a progress update (it
    would be refused) nor listed on the member's home as work to do."""
    me = org.members[Role.MEMBER]
    open_project = await make_project(session, org)
    mine = await make_task(session, open_project, me.id, title="进行中的任务")
    frozen = await make_project(session, org)
    await make_task(session, frozen, me.id, title="遗留任务")
    c = await api(Role.MEMBER)

    async def listed() -> tuple[list[str], list[str]]:
        form = await c.get(f"{API}/checkins/me/today")
        home = await c.get(f"{API}/me/tasks")
        assert form.status_code == 200, form.text
        assert home.status_code == 200, home.text
        homes = [
            t["title"] for group in home.json().values() if isinstance(group, list) for t in group
        ]
        return [t["title"] for t in form.json()["tasks"]], homes

    form, home = await listed()
    assert sorted(form) == ["进行中的任务", "遗留任务"]
    assert "遗留任务" in home
    frozen.status = status
    await session.commit()
    form, home = await listed()
    assert form == [mine.title]
    assert "遗留任务" not in home
    assert mine.title in home


async def test_bad_task_updates_are_refused(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    me = org.members[Role.MEMBER]
    project = await make_project(session, org)
    mine = await make_task(session, project, me.id)
    c = await api(Role.MEMBER)
    twice = [{"task_id": str(mine.id), "progress": 10}, {"task_id": str(mine.id), "progress": 20}]
    r = await c.put(f"{API}/checkins/me/today", json={"done": "x", "task_updates": twice})
    assert fields_of(problem(r, 422, "validation-failed")) == ["task_updates[1].task_id"]
    too_much = [{"task_id": str(mine.id), "progress": 101}]
    r = await c.put(f"{API}/checkins/me/today", json={"done": "x", "task_updates": too_much})
    problem(r, 422, "validation-failed")
    r = await c.put(f"{API}/checkins/me/today", json={"done": "  "})
    problem(r, 422, "validation-failed")
    cancelled = [{"task_id": str(mine.id), "progress": 10, "status": "cancelled"}]
    r = await c.put(f"{API}/checkins/me/today", json={"done": "x", "task_updates": cancelled})
    problem(r, 422, "validation-failed")
    assert await count(session, DailyCheckIn) == 0


async def test_days_outside_the_grace_rule_are_refused(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    c = await api(Role.MEMBER)
    today = org_today(org)
    r = await c.put(f"{API}/checkins/me/{today + timedelta(days=1)}", json={"done": "预言"})
    body = problem(r, 422, "validation-failed")
    assert fields_of(body) == ["day"]
    assert body["errors"][0]["type"] == "future_day"
    r = await c.put(f"{API}/checkins/me/{today - timedelta(days=2)}", json={"done": "补卡"})
    body = problem(r, 422, "validation-failed")
    assert fields_of(body) == ["day"]
    assert body["errors"][0]["type"] == "past_grace"
    assert await count(session, DailyCheckIn) == 0
    form = (await c.get(f"{API}/checkins/me/{today - timedelta(days=2)}")).json()
    assert form["editable"] is False

    # Yesterday is within the default rule.
    r = await c.put(f"{API}/checkins/me/{today - timedelta(days=1)}", json={"done": "昨天的"})
    assert r.status_code == 200, r.text

    # An organisation that allows three days back takes the day before yesterday too.
    await identity.set_org_setting(session, org.org.id, "checkins.grace_days", 3, 0, None)
    await session.commit()
    r = await c.put(f"{API}/checkins/me/{today - timedelta(days=2)}", json={"done": "补卡"})
    assert r.status_code == 200, r.text
    r = await c.put(f"{API}/checkins/me/{today - timedelta(days=4)}", json={"done": "太晚"})
    problem(r, 422, "validation-failed")
    assert await count(session, DailyCheckIn) == 2


async def test_a_stale_version_is_refused(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    c = await api(Role.MEMBER)
    first = (await c.put(f"{API}/checkins/me/today", json={"done": "一"})).json()
    await c.put(f"{API}/checkins/me/today", json={"done": "二"})
    r = await c.put(f"{API}/checkins/me/today", json={"done": "三", "version": first["version"]})
    problem(r, 409, "stale-version")
    mine = (await c.get(f"{API}/checkins/me/today")).json()["checkin"]
    assert mine["done"] == "二"


async def test_own_history_between_days(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    today = org_today(org)
    await identity.set_org_setting(session, org.org.id, "checkins.grace_days", 10, 0, None)
    await session.commit()
    c = await api(Role.MEMBER)
    for back in (0, 1, 5):
        day = today - timedelta(days=back)
        assert (
            await c.put(f"{API}/checkins/me/{day}", json={"done": f"d{back}"})
        ).status_code == 200
    other = await api(Role.FINANCE)
    await other.put(f"{API}/checkins/me/today", json={"done": "别人的"})

    page = (await c.get(f"{API}/checkins/me")).json()
    assert [i["done"] for i in page["items"]] == ["d0", "d1", "d5"]
    assert page["total"] == 3
    since = (today - timedelta(days=2)).isoformat()
    page = (await c.get(f"{API}/checkins/me", params={"from": since})).json()
    assert [i["done"] for i in page["items"]] == ["d0", "d1"]
    r = await c.get(f"{API}/checkins/me", params={"from": today.isoformat(), "to": since})
    problem(r, 422, "validation-failed")


async def test_planners_read_everyones_checkins_of_a_day(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    team = await make_team(session, org, [Role.MEMBER])
    for role in (Role.MEMBER, Role.FINANCE):
        c = await api(role)
        assert (
            await c.put(f"{API}/checkins/me/today", json={"done": role.value})
        ).status_code == 200
    pm = await api(Role.PROJECT_MANAGER)
    page = (await pm.get(f"{API}/checkins")).json()
    assert {(i["done"], i["member_name"]) for i in page["items"]} == {
        ("member", org.members[Role.MEMBER].user.name),
        ("finance", org.members[Role.FINANCE].user.name),
    }
    page = (await pm.get(f"{API}/checkins", params={"team_id": str(team.id)})).json()
    assert [i["done"] for i in page["items"]] == ["member"]
    yesterday = org_today(org) - timedelta(days=1)
    page = (await pm.get(f"{API}/checkins", params={"day": yesterday.isoformat()})).json()
    assert page["items"] == []
    member = await api(Role.MEMBER)
    problem(await member.get(f"{API}/checkins"), 403, "forbidden")


async def test_roll_call_per_team(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    sales = await make_team(session, org, [Role.MEMBER, Role.FINANCE], name="销售组")
    design = await make_team(session, org, [Role.VIEWER], name="设计组", lead=Role.PROJECT_MANAGER)
    member = await api(Role.MEMBER)
    await member.put(f"{API}/checkins/me/today", json={"done": "打卡"})
    names = {r: org.members[r].user.name for r in Role}

    mine = (await member.get(f"{API}/checkins/status")).json()
    assert mine["day"] == org_today(org).isoformat()
    assert mine["teams"] == [
        {
            "team_id": str(sales.id),
            "team_name": "销售组",
            "checked_in": [
                {"member_id": str(org.members[Role.MEMBER].id), "name": names[Role.MEMBER]}
            ],
            "not_checked_in": [
                {"member_id": str(org.members[Role.FINANCE].id), "name": names[Role.FINANCE]}
            ],
        }
    ]
    # Not their team: refused; another organisation's or no team: not found.
    problem(
        await member.get(f"{API}/checkins/status", params={"team_id": str(design.id)}),
        403,
        "forbidden",
    )
    # A planner sees every team; a lead is on their team's roll-call.
    director = await api(Role.DIRECTOR)
    everything = (await director.get(f"{API}/checkins/status")).json()
    assert {t["team_name"] for t in everything["teams"]} == {"销售组", "设计组"}
    one = (await director.get(f"{API}/checkins/status", params={"team_id": str(design.id)})).json()
    assert {p["name"] for p in one["teams"][0]["not_checked_in"]} == {
        names[Role.VIEWER],
        names[Role.PROJECT_MANAGER],
    }
    yesterday = (org_today(org) - timedelta(days=1)).isoformat()
    past = (await member.get(f"{API}/checkins/status", params={"day": yesterday})).json()
    assert past["teams"][0]["checked_in"] == []


async def test_another_organisations_team_is_not_found(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    theirs = await make_team(session, other_org, [Role.MEMBER])
    director = await api(Role.DIRECTOR)
    for path in ("/checkins/status", "/checkins"):
        r = await director.get(f"{API}{path}", params={"team_id": str(theirs.id)})
        problem(r, 404, "not-found")
