"""Tasks, dependencies, rescheduling, baselines, the Gantt and the calendar, through the API."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.db import Database
from mems.identity.permissions import Role
from mems.work.models import Task, TaskDependency
from tests.conftest import ENGLISH, ApiFactory, FileApp
from tests.factories import OrgWithMembers, make_session_token
from tests.projects.helpers import API, count, create_project, problem

# A fortnight with no holiday in China: 2027-03-01 is a Monday.
START = "2027-03-01"


async def _project(pm: httpx.AsyncClient, **values: Any) -> dict[str, Any]:
    return await create_project(pm, starts_on=START, ends_on="2027-04-30", **values)


async def _task(c: httpx.AsyncClient, project: dict[str, Any], **body: Any) -> dict[str, Any]:
    r = await c.post(f"{API}/projects/{project['id']}/tasks", json=body)
    assert r.status_code == 201, r.text
    return r.json()["task"]  # type: ignore[no-any-return]


async def _link(
    c: httpx.AsyncClient,
    project: dict[str, Any],
    pred: dict[str, Any],
    succ: dict[str, Any],
    **body: Any,
) -> httpx.Response:
    return await c.post(
        f"{API}/projects/{project['id']}/dependencies",
        json={"predecessor_id": pred["id"], "successor_id": succ["id"], **body},
    )


async def _gantt(c: httpx.AsyncClient, project: dict[str, Any]) -> dict[str, Any]:
    r = await c.get(f"{API}/projects/{project['id']}/gantt")
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_a_chain_is_scheduled_on_working_days_and_moves_together(api: ApiFactory) -> None:
    pm = await api("project_manager")
    project = await _project(pm)
    a = await _task(pm, project, title="策划方案", starts_on=START, duration_days=3)
    b = await _task(pm, project, title="物料制作", duration_days=2)
    c = await _task(pm, project, title="上线", duration_days=0)
    assert (a["starts_on"], a["due_on"]) == ("2027-03-01", "2027-03-03")
    assert c["milestone"] is True
    assert c["starts_on"] == c["due_on"]

    r = await _link(pm, project, a, b)
    assert r.status_code == 201, r.text
    # B waits for A: Thursday and Friday.
    assert [(m["title"], m["starts_on"], m["due_on"]) for m in r.json()["moved"]] == [
        ("物料制作", "2027-03-04", "2027-03-05")
    ]
    # A lag of one working day across the weekend: B starts on Tuesday.
    assert (await _link(pm, project, b, c, lag_days=1)).status_code == 201

    # Moving A two working days later moves its successors, and says so.
    r = await pm.patch(f"{API}/tasks/{a['id']}", json={"starts_on": "2027-03-03", "version": 1})
    assert r.status_code == 200, r.text
    change = r.json()
    assert (change["task"]["starts_on"], change["task"]["due_on"]) == ("2027-03-03", "2027-03-05")
    assert {m["title"]: (m["starts_on"], m["due_on"]) for m in change["moved"]} == {
        "策划方案": ("2027-03-03", "2027-03-05"),
        "物料制作": ("2027-03-08", "2027-03-09"),
        "上线": ("2027-03-11", "2027-03-11"),
    }
    milestone = next(m for m in change["moved"] if m["title"] == "上线")
    assert milestone["milestone"] is True
    assert milestone["due_on_before"] == "2027-03-09"

    gantt = await _gantt(pm, project)
    titles = {t["id"]: t["title"] for t in gantt["tasks"]}
    assert [titles[i] for i in gantt["critical_path"]] == ["策划方案", "物料制作", "上线"]
    assert len(gantt["dependencies"]) == 2
    assert "2027-03-06" in gantt["non_working_days"]  # a Saturday


async def test_a_cycle_is_refused_and_nothing_changes(
    api: ApiFactory, session: AsyncSession
) -> None:
    pm = await api("project_manager")
    project = await _project(pm)
    a = await _task(pm, project, title="A", duration_days=1)
    b = await _task(pm, project, title="B", duration_days=1)
    c = await _task(pm, project, title="C", duration_days=1)
    assert (await _link(pm, project, a, b)).status_code == 201
    assert (await _link(pm, project, b, c)).status_code == 201
    before = await count(session, TaskDependency)
    body = problem(await _link(pm, project, c, a), 422, "validation-failed")
    assert body["errors"][0]["field"] == "predecessor_id"
    assert body["errors"][0]["type"] == "dependency_cycle"
    assert (
        "A → B → C" in body["detail"]
        or "C → A → B" in body["detail"]
        or "B → C → A" in body["detail"]
    )
    assert await count(session, TaskDependency) == before
    # On itself, twice, or a summary task: refused too.
    problem(await _link(pm, project, a, a), 422, "validation-failed")
    problem(await _link(pm, project, a, b), 409, "conflict")
    assert await count(session, TaskDependency) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "t", "starts_on": "2027-03-10", "due_on": "2027-03-09"}, "due_on"),
        ({"title": "t", "duration_days": -1}, "duration_days"),
        ({"title": "t", "duration_days": 10**9}, "duration_days"),
        ({"title": "t\u0000x"}, "title"),
        ({"title": ""}, "title"),
        ({"title": "t", "estimate_hours": "1e30"}, "estimate_hours"),
        ({"title": "t", "phase_id": str(uuid.uuid4())}, "phase_id"),
        ({"title": "t", "parent_id": str(uuid.uuid4())}, "parent_id"),
        ({"title": "t", "key_result_id": str(uuid.uuid4())}, "key_result_id"),
    ],
)
async def test_bad_task_input_is_422_naming_the_field(
    body: dict[str, Any], field: str, api: ApiFactory, session: AsyncSession
) -> None:
    pm = await api("project_manager")
    project = await _project(pm)
    before = await count(session, Task)
    r = await pm.post(f"{API}/projects/{project['id']}/tasks", json=body)
    errors = problem(r, 422, "validation-failed")["errors"]
    assert errors[0]["field"].split(".")[-1] == field, errors
    assert await count(session, Task) == before


async def test_assignees_come_from_the_team_and_report_their_own_progress(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    pm = await api("project_manager")
    member_id = str(org.members[Role.MEMBER].id)
    project = await _project(pm)
    # Not on the team: refused.
    r = await pm.post(
        f"{API}/projects/{project['id']}/tasks",
        json={"title": "写文案", "assignee_member_id": member_id},
    )
    assert problem(r, 422, "validation-failed")["errors"][0]["field"] == "assignee_member_id"
    # On the team as a contributor: fine.
    r = await pm.put(
        f"{API}/projects/{project['id']}/members",
        json={
            "members": [{"member_id": member_id, "role": "contributor"}],
            "version": project["version"],
        },
    )
    assert r.status_code in (200, 204), r.text
    task = await _task(pm, project, title="写文案", assignee_member_id=member_id, duration_days=2)
    assert task["assignee_name"]

    member = await api("member")
    r = await member.patch(f"{API}/tasks/{task['id']}", json={"progress": 40, "version": 1})
    assert r.status_code == 200, r.text
    assert (r.json()["task"]["progress"], r.json()["task"]["status"]) == (40, "in_progress")
    # Out of range, or the plan itself: refused.
    r = await member.patch(f"{API}/tasks/{task['id']}", json={"progress": 101, "version": 2})
    assert problem(r, 422, "validation-failed")["errors"][0]["field"].endswith("progress")
    r = await member.patch(f"{API}/tasks/{task['id']}", json={"title": "改名", "version": 2})
    problem(r, 403, "forbidden")
    # 100 % is done, and done records when.
    r = await member.patch(f"{API}/tasks/{task['id']}", json={"progress": 100, "version": 2})
    done = r.json()["task"]
    assert (done["status"], done["completed_at"] is not None) == ("done", True)
    # A stale version is 409 and changes nothing.
    r = await member.patch(f"{API}/tasks/{task['id']}", json={"progress": 10, "version": 1})
    assert r.status_code == 409

    mine = (await member.get(f"{API}/me/tasks")).json()
    assert mine["overdue"] == []
    assert mine["due_today"] == []


async def test_a_baseline_shows_which_milestones_slipped(api: ApiFactory) -> None:
    pm = await api("project_manager")
    project = await _project(pm)
    a = await _task(pm, project, title="设计", duration_days=2)
    launch = await _task(pm, project, title="发布", duration_days=0)
    assert (await _link(pm, project, a, launch)).status_code == 201
    r = await pm.post(f"{API}/projects/{project['id']}/baselines", json={"name": "立项计划"})
    assert r.status_code == 201, r.text
    assert (await _gantt(pm, project))["slipped_milestones"] == []

    r = await pm.patch(f"{API}/tasks/{a['id']}", json={"duration_days": 5, "version": 1})
    assert r.status_code == 200, r.text
    gantt = await _gantt(pm, project)
    assert gantt["baseline_id"] == gantt["baselines"][0]["id"]
    slip = gantt["slipped_milestones"]
    assert [(s["title"], s["planned"], s["now"], s["working_days"]) for s in slip] == [
        ("发布", "2027-03-03", "2027-03-08", 3)
    ]
    row = next(t for t in gantt["tasks"] if t["title"] == "发布")
    assert (row["baseline_due_on"], row["due_on"]) == ("2027-03-03", "2027-03-08")


async def test_a_company_holiday_pushes_the_plan(api: ApiFactory) -> None:
    pm, admin = await api("project_manager"), await api("admin")
    project = await _project(pm)
    a = await _task(pm, project, title="A", starts_on="2027-03-01", duration_days=3)
    r = await admin.put(
        f"{API}/calendar/days/2027-03-02", json={"working": False, "name": "公司年会"}
    )
    assert r.status_code == 200, r.text
    assert {"day": "2027-03-02", "working": False, "name": "公司年会", "source": "org"} in r.json()[
        "days"
    ]
    task = (await pm.get(f"{API}/tasks/{a['id']}")).json()
    assert (task["starts_on"], task["due_on"]) == ("2027-03-01", "2027-03-04")
    # China's holidays are part of the calendar: National Day 2027.
    cal = (await pm.get(f"{API}/calendar", params={"year": 2027})).json()
    assert any(d["day"] == "2027-10-01" and d["source"] == "china" for d in cal["days"]) or (
        2027 not in cal["china_years"]
    )
    # Only admins edit it.
    problem(
        await pm.put(f"{API}/calendar/days/2027-03-03", json={"working": False, "name": "x"}),
        403,
        "forbidden",
    )


async def test_another_organisations_tasks_are_not_found(
    api: ApiFactory, other_org: OrgWithMembers
) -> None:
    pm = await api("project_manager")
    project = await _project(pm)
    task = await _task(pm, project, title="机密任务")
    outsider = await api("admin", in_org=other_org)
    problem(await outsider.get(f"{API}/tasks/{task['id']}"), 404, "not-found")
    problem(await outsider.get(f"{API}/projects/{project['id']}/gantt"), 404, "not-found")
    r = await outsider.patch(f"{API}/tasks/{task['id']}", json={"title": "x", "version": 1})
    problem(r, 404, "not-found")


async def test_template_tasks_appear_on_the_gantt_in_wbs_order(api: ApiFactory) -> None:
    pm = await api("project_manager")
    project = await _project(pm, template="builtin:trade_show")
    gantt = await _gantt(pm, project)
    assert [p["name"] for p in gantt["phases"]] == ["报名与规划", "筹备", "展会现场", "线索跟进"]
    assert [t["wbs"] for t in gantt["tasks"][:3]] == ["1.1", "1.2", "2.1"]
    assert gantt["critical_path"], "a plan has a critical path"
    assert gantt["project"]["finish"] >= gantt["tasks"][0]["due_on"]


# ---- for real: concurrent links on committed data ------------------------------------------


async def _opposite_links_at_once(app: Any, org: OrgWithMembers) -> None:
    """A→B and B→A sent together, each on its own connection: each is fine alone, together
    they are a cycle. Exactly one is made; the other is a 422 cycle, never a 500."""
    db: Database = app.state.db
    async with db.sessionmaker() as s:
        token = await make_session_token(s, org.members[Role.PROJECT_MANAGER].id)
        await s.commit()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {token}", **ENGLISH},
    ) as pm:
        project = await _project(pm)
        a = await _task(pm, project, title="A", duration_days=1)
        b = await _task(pm, project, title="B", duration_days=1)
        responses = await asyncio.gather(
            _link(pm, project, a, b), _link(pm, project, b, a), _link(pm, project, a, b)
        )
        statuses = sorted(r.status_code for r in responses)
        assert statuses[0] == 201, [r.text for r in responses]
        assert all(s in (409, 422) for s in statuses[1:]), (
            statuses,
            [r.text[:300] for r in responses],
        )
        assert 500 not in statuses
        gantt = await _gantt(pm, project)
        assert len(gantt["dependencies"]) == 1


@pytest.mark.postgres
async def test_opposite_links_at_once_make_no_cycle_on_postgres(pg_app: FileApp) -> None:
    await _opposite_links_at_once(*pg_app)


async def test_opposite_links_at_once_make_no_cycle_on_sqlite(file_app: FileApp) -> None:
    await _opposite_links_at_once(*file_app)


async def test_a_later_project_start_pushes_its_plan(api: ApiFactory) -> None:
    pm = await api("project_manager")
    project = await _project(pm)
    a = await _task(pm, project, title="A", starts_on=START, duration_days=2)
    b = await _task(pm, project, title="B", duration_days=1)
    assert (await _link(pm, project, a, b)).status_code == 201
    r = await pm.patch(
        f"{API}/projects/{project['id']}",
        json={"starts_on": "2027-03-08", "version": project["version"]},
    )
    assert r.status_code == 200, r.text
    tasks = {t["title"]: t for t in (await _gantt(pm, project))["tasks"]}
    assert (tasks["A"]["starts_on"], tasks["A"]["due_on"]) == ("2027-03-08", "2027-03-09")
    assert tasks["B"]["starts_on"] == "2027-03-10"


async def test_hostile_task_and_phase_dates_are_422_and_write_nothing(
    api: ApiFactory, session: AsyncSession
) -> None:
    """A task or phase dated at the calendar's ends, or years from its project, had the
    scheduler walk millions of days; now each is refused in the reader's words."""
    pm = await api("project_manager")
    project = await _project(pm)
    zh = {"Accept-Language": "zh-CN"}
    before = await count(session, Task)
    for body, field in (
        ({"starts_on": "9999-12-30", "due_on": "9999-12-31"}, "starts_on"),
        ({"starts_on": "0001-01-01", "due_on": "9999-12-31"}, "starts_on"),
        ({"starts_on": START, "due_on": "9999-12-31"}, "due_on"),
        ({"starts_on": "2040-01-01"}, "starts_on"),
    ):
        r = await pm.post(
            f"{API}/projects/{project['id']}/tasks", json={"title": "T", **body}, headers=zh
        )
        got = problem(r, 422, "validation-failed")
        assert [e["field"] for e in got["errors"]] == [field], got
        assert "项目" in got["errors"][0]["message"], got
    assert await count(session, Task) == before

    task = await _task(pm, project, title="T", starts_on=START, duration_days=2)
    for body, field in (
        ({"starts_on": "9999-12-30"}, "starts_on"),
        ({"due_on": "9999-12-31"}, "due_on"),
    ):
        r = await pm.patch(f"{API}/tasks/{task['id']}", json={**body, "version": 1})
        got = problem(r, 422, "validation-failed")
        assert [e["field"] for e in got["errors"]] == [field], got
    r = await pm.get(f"{API}/tasks/{task['id']}")
    assert (r.json()["starts_on"], r.json()["version"]) == (START, 1)

    for body, field in (
        ({"starts_on": "0001-01-01", "ends_on": "2027-03-05"}, "starts_on"),
        ({"starts_on": START, "ends_on": "9999-12-31"}, "ends_on"),
    ):
        r = await pm.post(
            f"{API}/projects/{project['id']}/phases", json={"name": "P", **body}, headers=zh
        )
        got = problem(r, 422, "validation-failed")
        assert [e["field"] for e in got["errors"]] == [field], got
    # Within the project's reach a task may still end after the project (a slip the Gantt
    # shows), and its plan lays out.
    late = await _task(pm, project, title="Late", starts_on="2027-06-01", duration_days=3)
    assert late["starts_on"] == "2027-06-01"
    assert (await pm.get(f"{API}/projects/{project['id']}/gantt")).status_code == 200


async def test_a_chain_past_twenty_years_is_422_and_links_nothing(
    api: ApiFactory, session: AsyncSession
) -> None:
    """Three ten-year tasks in a row would run the plan thirty years (and a longer chain past
    the calendar's end): the link that does it is refused and not written."""
    pm = await api("project_manager")
    project = await _project(pm)
    a, b, c = [await _task(pm, project, title=t, duration_days=2600) for t in "ABC"]
    assert (await _link(pm, project, a, b)).status_code == 201
    links = await count(session, TaskDependency)
    r = await _link(pm, project, b, c)
    got = problem(r, 422, "validation-failed")
    assert [(e["field"], e["type"]) for e in got["errors"]] == [("duration_days", "unschedulable")]
    assert "twenty" in got["detail"]
    assert await count(session, TaskDependency) == links
    assert (await _gantt(pm, project))["tasks"][2]["starts_on"] == START
