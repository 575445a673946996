"""Work orders through the API: raising, the inboxes, the lifecycle with its recorded times,
SLA facts, team orders, refusals that write nothing, and the link to a task."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mems.identity.models import Membership
from mems.identity.permissions import Role
from mems.notifications.models import Notification
from mems.orders.models import WorkOrder, WorkOrderStatus
from mems.work.models import Task
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.orders.helpers import (
    API,
    act,
    audit_rows,
    in_days,
    make_order,
    make_project,
    make_task,
    make_team,
    raise_order,
)
from tests.projects.helpers import problem


def mid(org: OrgWithMembers, role: Role) -> str:
    return str(org.members[role].id)


async def reload(session: AsyncSession, order_id: Any) -> WorkOrder:
    order = await session.get(WorkOrder, uuid.UUID(str(order_id)), populate_existing=True)
    assert order is not None
    return order


async def notices(session: AsyncSession, org: OrgWithMembers, role: Role) -> list[Notification]:
    rows = await session.scalars(
        select(Notification)
        .where(Notification.recipient_member_id == org.members[role].id)
        .order_by(Notification.created_at)
    )
    return list(rows.all())


async def back_date(session: AsyncSession, order_id: Any, **ago: timedelta) -> None:
    """Move the order's times into the past (e.g. requested_at=timedelta(hours=2))."""
    now = datetime.now(UTC)
    await session.execute(
        update(WorkOrder)
        .where(WorkOrder.id == uuid.UUID(str(order_id)))
        .values({k: now - v for k, v in ago.items()})
    )
    await session.commit()


async def box(c: httpx.AsyncClient, name: str, **params: Any) -> list[str]:
    r = await c.get(f"{API}/work-orders", params={"box": name, **params})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(body["items"])
    return [o["code"] for o in body["items"]]


# ---- the journey ---------------------------------------------------------------------------


async def test_a_pm_raises_a_work_order_and_the_assignee_accepts_it(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    pm, member = await api("project_manager"), await api("member")
    project = await make_project(session, org, Role.MEMBER)
    order = await raise_order(
        pm,
        assignee_member_id=mid(org, Role.MEMBER),
        project_id=str(project.id),
        description="尺寸 1080×1920",
        priority="high",
    )
    assert order["code"] == "WO-1"
    assert order["status"] == "requested"
    assert order["requester_name"] == "project_manager 用户"
    assert order["assignee_name"] == "member 用户"
    assert order["project_code"] == project.code
    assert order["project_name"] == project.name
    assert order["priority"] == "high"
    assert order["allowed_actions"] == ["cancel"]  # the requester's view
    requested_at = datetime.fromisoformat(order["requested_at"])
    assert datetime.fromisoformat(order["sla_due_at"]) == requested_at + timedelta(hours=48)
    assert order["overdue"] is False
    assert order["sla_breached"] is False

    # The assignee is told, and finds it in their inbox with the actions they may take.
    told = await notices(session, org, Role.MEMBER)
    assert [n.kind for n in told] == ["work_order.requested"]
    assert (told[0].link_type, told[0].link_id) == ("work_order", uuid.UUID(order["id"]))
    assert await box(member, "inbox") == ["WO-1"]
    assert await box(pm, "sent") == ["WO-1"]
    assert await box(pm, "inbox") == []
    mine = (await member.get(f"{API}/work-orders/{order['id']}")).json()
    assert mine["allowed_actions"] == ["accept", "reject"]

    await back_date(session, order["id"], requested_at=timedelta(hours=2))
    r = await act(member, order, "accept")
    assert r.status_code == 200, r.text
    accepted = r.json()
    assert accepted["status"] == "accepted"
    assert accepted["version"] == order["version"] + 1
    assert r.headers["etag"] == f'"{accepted["version"]}"'
    assert 7200 <= accepted["response_seconds"] <= 7260
    assert accepted["accepted_at"] is not None
    assert accepted["allowed_actions"] == ["start"]
    assert [n.kind for n in await notices(session, org, Role.PROJECT_MANAGER)] == [
        "work_order.accepted"
    ]
    stored = await reload(session, order["id"])
    assert stored.status == WorkOrderStatus.ACCEPTED
    assert stored.response_seconds == accepted["response_seconds"]


async def test_numbers_run_per_organisation(
    api: ApiFactory, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    pm = await api("project_manager")
    codes = [(await raise_order(pm, assignee_member_id=mid(org, Role.MEMBER)))["code"]]
    codes.append((await raise_order(pm, assignee_member_id=mid(org, Role.FINANCE)))["code"])
    other_pm = await api("project_manager", in_org=other_org)
    theirs = await raise_order(other_pm, assignee_member_id=mid(other_org, Role.MEMBER))
    assert codes == ["WO-1", "WO-2"]
    assert theirs["code"] == "WO-1"


async def test_the_whole_lifecycle_records_response_and_resolution_times(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    pm, member = await api("project_manager"), await api("member")
    order = await raise_order(pm, assignee_member_id=mid(org, Role.MEMBER), sla_hours=4)
    await back_date(session, order["id"], requested_at=timedelta(hours=1))
    order = (await act(member, order, "accept")).json()
    order = (await act(member, order, "start")).json()
    assert order["status"] == "in_progress"
    assert order["started_at"] is not None
    assert order["allowed_actions"] == ["complete"]
    await back_date(session, order["id"], requested_at=timedelta(hours=3))
    order = (await member.get(f"{API}/work-orders/{order['id']}")).json()
    r = await act(member, order, "complete")
    assert r.status_code == 200, r.text
    order = r.json()
    assert order["status"] == "done"
    assert 3 * 3600 <= order["resolution_seconds"] <= 3 * 3600 + 60
    assert 3600 <= order["response_seconds"] <= 3660  # kept from the acceptance
    assert order["sla_breached"] is False  # done within 4 hours
    pm_view = (await pm.get(f"{API}/work-orders/{order['id']}")).json()
    assert pm_view["allowed_actions"] == ["verify"]
    r = await act(pm, pm_view, "verify")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "verified"
    assert r.json()["verified_at"] is not None
    assert r.json()["allowed_actions"] == []
    kinds = [n.kind for n in await notices(session, org, Role.PROJECT_MANAGER)]
    assert kinds == ["work_order.accepted", "work_order.started", "work_order.done"]
    assert [n.kind for n in await notices(session, org, Role.MEMBER)] == [
        "work_order.requested",
        "work_order.verified",
    ]


async def test_done_after_the_sla_is_breached(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    pm, member = await api("project_manager"), await api("member")
    order = await raise_order(pm, assignee_member_id=mid(org, Role.MEMBER), sla_hours=2)
    order = (await act(member, order, "accept")).json()
    order = (await act(member, order, "start")).json()
    await back_date(session, order["id"], requested_at=timedelta(hours=5))
    order = (await act(member, order, "complete")).json()
    assert order["sla_breached"] is True
    assert order["resolution_seconds"] >= 5 * 3600


async def test_open_orders_past_their_sla_or_due_time_are_flagged(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    pm, member = await api("project_manager"), await api("member")
    order = await raise_order(pm, assignee_member_id=mid(org, Role.MEMBER), sla_hours=1)
    await back_date(session, order["id"], requested_at=timedelta(hours=2))
    seen = (await member.get(f"{API}/work-orders/{order['id']}")).json()
    assert seen["sla_breached"] is True
    assert seen["overdue"] is False
    await back_date(session, order["id"], due_at=timedelta(minutes=5))
    listed = (await member.get(f"{API}/work-orders")).json()["items"][0]
    assert listed["overdue"] is True
    # Cancelled: neither any more.
    cancelled = (await act(pm, seen, "cancel")).json()
    assert cancelled["status"] == "cancelled"
    assert cancelled["overdue"] is False
    assert cancelled["sla_breached"] is False


# ---- refusals that write nothing -----------------------------------------------------------

ACTIONS = ("accept", "reject", "start", "complete", "verify", "cancel")
ALLOWED = {
    "requested": {"accept", "reject", "cancel"},
    "accepted": {"start", "cancel"},
    "in_progress": {"complete", "cancel"},
    "done": {"verify"},
    "verified": set(),
    "rejected": set(),
    "cancelled": set(),
}
ASSIGNEE_ACTIONS = {"accept", "reject", "start", "complete"}


@pytest.mark.parametrize("status", list(ALLOWED))
async def test_every_wrong_transition_is_a_409_that_writes_nothing(
    status: str, api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    pm, member = await api("project_manager"), await api("member")
    order = await make_order(
        session, org, Role.PROJECT_MANAGER, Role.MEMBER, status=WorkOrderStatus(status)
    )
    for action in ACTIONS:
        if action in ALLOWED[status]:
            continue
        c = member if action in ASSIGNEE_ACTIONS else pm
        before = await audit_rows(session)
        notes = len(await notices(session, org, Role.MEMBER)) + len(
            await notices(session, org, Role.PROJECT_MANAGER)
        )
        extra = {"reason": "忙不过来"} if action == "reject" else {}
        r = await act(c, {"id": order.id, "version": 1}, action, **extra)
        body = problem(r, 409, "invalid-transition")
        assert body["current_status"] == status
        assert status in body["detail"]
        assert action in body["detail"]
        side = "assignee" if action in ASSIGNEE_ACTIONS else "requester"
        expected = sorted(
            a for a in ALLOWED[status] if (a in ASSIGNEE_ACTIONS) == (side == "assignee")
        )
        assert sorted(body["allowed_actions"]) == expected
        assert await audit_rows(session) == before
        assert (await reload(session, order.id)).version == 1
        assert (await reload(session, order.id)).status == WorkOrderStatus(status)
        assert (
            len(await notices(session, org, Role.MEMBER))
            + len(await notices(session, org, Role.PROJECT_MANAGER))
            == notes
        )


async def test_the_wrong_side_is_refused_and_strangers_do_not_see_it(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    pm, member = await api("project_manager"), await api("member")
    finance, director = await api("finance"), await api("director")
    order = await raise_order(pm, assignee_member_id=mid(org, Role.MEMBER))
    before = await audit_rows(session)
    body = problem(await act(pm, order, "accept"), 403, "forbidden")
    assert body["reason"] == "not_assignee"
    body = problem(await act(member, order, "cancel"), 403, "forbidden")
    assert body["reason"] == "not_requester"
    # Someone who is no party does not see it at all; a director oversees it but is no party.
    problem(await act(finance, order, "accept"), 404, "not-found")
    problem(await finance.get(f"{API}/work-orders/{order['id']}"), 404, "not-found")
    seen = await director.get(f"{API}/work-orders/{order['id']}")
    assert seen.status_code == 200
    assert seen.json()["allowed_actions"] == []
    problem(await act(director, order, "accept"), 403, "forbidden")
    assert await audit_rows(session) == before
    assert (await reload(session, order["id"])).status == WorkOrderStatus.REQUESTED


async def test_rejecting_needs_a_reason_which_the_requester_is_told(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    pm, member = await api("project_manager"), await api("member")
    order = await raise_order(pm, assignee_member_id=mid(org, Role.MEMBER))
    for body in ({}, {"reason": ""}, {"reason": "   "}):
        r = await act(member, order, "reject", **body)
        problem(r, 422, "validation-failed")
        assert "reason" in r.text
    assert (await reload(session, order["id"])).status == WorkOrderStatus.REQUESTED
    r = await act(member, order, "reject", reason="本周排期已满")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "rejected"
    assert r.json()["reject_reason"] == "本周排期已满"
    assert r.json()["rejected_at"] is not None
    assert r.json()["response_seconds"] is None  # never accepted
    told = await notices(session, org, Role.PROJECT_MANAGER)
    assert [n.kind for n in told] == ["work_order.rejected"]
    assert told[0].params["reason"] == "本周排期已满"


async def test_the_version_read_is_required_and_checked(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    pm, member = await api("project_manager"), await api("member")
    order = await raise_order(pm, assignee_member_id=mid(org, Role.MEMBER))
    url = f"{API}/work-orders/{order['id']}/transitions"
    accept = {"action": "accept"}
    before = await audit_rows(session)
    missing = await member.post(url, json=accept)
    assert "version" in str(problem(missing, 422, "validation-failed")["errors"])
    assert (
        problem(await member.post(url, json={**accept, "version": 7}), 409, "stale-version")[
            "current_version"
        ]
        == 1
    )
    stale = await member.post(url, json=accept, headers={"If-Match": '"7"'})
    assert problem(stale, 412, "precondition-failed")["current_version"] == 1
    assert await audit_rows(session) == before
    ok = await member.post(url, json=accept, headers={"If-Match": '"1"'})
    assert ok.status_code == 200, ok.text
    # The version moved on: the same request again is stale.
    problem(await member.post(url, json={**accept, "version": 1}), 409, "stale-version")


async def test_the_transition_names_a_known_action_with_its_own_fields(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    """One route for every step: `action` picks the body; a body that does not fit it is a
    422 naming the field, and nothing is written."""
    pm, member = await api("project_manager"), await api("member")
    order = await raise_order(pm, assignee_member_id=mid(org, Role.MEMBER))
    url = f"{API}/work-orders/{order['id']}/transitions"
    before = await audit_rows(session)
    for body, field in (
        ({"version": 1}, "action_required"),  # no action
        ({"action": "approve", "version": 1}, "literal_error"),  # not a step of an order
        ({"action": "accept", "version": 1, "reason": "好的"}, "extra_forbidden"),
        ({"action": "reject", "version": 1}, "missing"),  # a reject says why
    ):
        r = await member.post(url, json=body)
        errors = problem(r, 422, "validation-failed")["errors"]
        assert [e["type"] for e in errors] == [field], (body, errors)
    assert await audit_rows(session) == before
    assert (await reload(session, order["id"])).status == WorkOrderStatus.REQUESTED
    r = await member.post(url, json={"action": "accept", "version": 1})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "accepted"
    # The old per-action routes are gone.
    assert (
        await member.post(f"{url.removesuffix('/transitions')}/start", json={})
    ).status_code in (
        404,
        405,
    )


# ---- team orders ---------------------------------------------------------------------------


async def test_a_team_order_waits_in_every_members_inbox_until_one_takes_it(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    pm, member, finance = await api("project_manager"), await api("member"), await api("finance")
    team = await make_team(session, org, Role.MEMBER, Role.FINANCE, name="设计组")
    order = await raise_order(pm, assignee_team_id=str(team.id))
    assert order["assignee_team_name"] == "设计组"
    assert order["assignee_member_id"] is None
    for role in (Role.MEMBER, Role.FINANCE):
        assert [n.kind for n in await notices(session, org, role)] == ["work_order.requested"]
    for c in (member, finance):
        assert await box(c, "inbox") == ["WO-1"]
        assert await box(c, "team") == ["WO-1"]
    assert await box(await api("director"), "team") == []
    seen = (await member.get(f"{API}/work-orders/{order['id']}")).json()
    assert seen["allowed_actions"] == ["accept", "reject"]

    taken = await act(finance, order, "accept")
    assert taken.status_code == 200, taken.text
    assert taken.json()["assignee_member_id"] == mid(org, Role.FINANCE)
    assert taken.json()["assignee_name"] == "finance 用户"
    # It left the other member's inbox; the team still sees it, but only the taker acts.
    assert await box(member, "inbox") == []
    assert await box(member, "team") == ["WO-1"]
    assert await box(finance, "inbox") == ["WO-1"]
    again = (await member.get(f"{API}/work-orders/{order['id']}")).json()
    assert again["allowed_actions"] == []
    problem(await act(member, again, "start"), 403, "forbidden")
    assert (await act(finance, again, "start")).status_code == 200


async def test_cancelling_an_untaken_team_order_tells_the_team(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    pm = await api("project_manager")
    team = await make_team(session, org, Role.MEMBER, Role.FINANCE)
    order = await raise_order(pm, assignee_team_id=str(team.id))
    assert (await act(pm, order, "cancel")).json()["status"] == "cancelled"
    for role in (Role.MEMBER, Role.FINANCE):
        kinds = [n.kind for n in await notices(session, org, role)]
        assert kinds == ["work_order.requested", "work_order.cancelled"]


# ---- bad input on raising ------------------------------------------------------------------


async def _refused(
    c: httpx.AsyncClient, session: AsyncSession, body: dict[str, Any], *fields: str
) -> dict[str, Any]:
    before = await audit_rows(session)
    count = len((await session.scalars(select(WorkOrder.id))).all())
    r = await c.post(f"{API}/work-orders", json={"title": "工单", **body})
    problem_body = problem(r, 422, "validation-failed")
    named = {e["field"] for e in problem_body.get("errors", [])}
    for field in fields:
        assert field in named, problem_body
    assert await audit_rows(session) == before
    assert len((await session.scalars(select(WorkOrder.id))).all()) == count
    return problem_body


async def test_bad_assignees_are_refused_naming_the_field(
    api: ApiFactory, org: OrgWithMembers, other_org: OrgWithMembers, session: AsyncSession
) -> None:
    pm = await api("project_manager")
    team = await make_team(session, org, Role.MEMBER)
    lonely = await make_team(session, org, Role.PROJECT_MANAGER)
    await _refused(pm, session, {}, "assignee_member_id", "assignee_team_id")
    await _refused(
        pm,
        session,
        {"assignee_member_id": mid(org, Role.MEMBER), "assignee_team_id": str(team.id)},
        "assignee_member_id",
        "assignee_team_id",
    )
    body = await _refused(
        pm, session, {"assignee_member_id": mid(org, Role.PROJECT_MANAGER)}, "assignee_member_id"
    )
    assert body["errors"][0]["type"] == "self"
    for unknown in (mid(other_org, Role.MEMBER), str(uuid.uuid4())):
        await _refused(pm, session, {"assignee_member_id": unknown}, "assignee_member_id")
    await _refused(pm, session, {"assignee_team_id": str(uuid.uuid4())}, "assignee_team_id")
    empty = await _refused(pm, session, {"assignee_team_id": str(lonely.id)}, "assignee_team_id")
    assert empty["errors"][0]["type"] == "empty_team"
    # A deactivated member takes no work.
    await session.execute(
        update(Membership)
        .where(Membership.id == org.members[Role.FINANCE].id)
        .values(is_active=False)
    )
    await session.commit()
    await _refused(
        pm, session, {"assignee_member_id": mid(org, Role.FINANCE)}, "assignee_member_id"
    )


async def test_bad_dates_numbers_and_text_are_refused(
    api: ApiFactory, org: OrgWithMembers, other_org: OrgWithMembers, session: AsyncSession
) -> None:
    pm = await api("project_manager")
    to = {"assignee_member_id": mid(org, Role.MEMBER)}
    await _refused(pm, session, {**to, "due_at": in_days(-1)}, "due_at")
    await _refused(pm, session, {**to, "due_at": "2030-01-01T10:00:00"}, "due_at")  # no zone
    await _refused(pm, session, {**to, "due_at": 1893456000}, "due_at")  # a number
    for hours in (0, -1, 8761, 10**30, 1.5, "many"):
        await _refused(pm, session, {**to, "sla_hours": hours}, "sla_hours")
    await _refused(pm, session, {**to, "title": "坏\x00标题"}, "title")
    await _refused(pm, session, {**to, "title": ""}, "title")
    await _refused(pm, session, {**to, "title": "x" * 201}, "title")
    await _refused(pm, session, {**to, "description": "坏\x00描述"}, "description")
    await _refused(pm, session, {**to, "priority": "asap"}, "priority")
    await _refused(pm, session, {**to, "surprise": 1}, "surprise")
    foreign = await make_project(session, other_org)
    await _refused(pm, session, {**to, "project_id": str(foreign.id)}, "project_id")
    # Transitions refuse huge and NUL-carrying bodies too.
    order = await raise_order(pm, **to)
    member = await api("member")
    url = f"{API}/work-orders/{order['id']}/transitions"
    for body in ({"version": 10**30}, {"version": 0}, {"version": "1\x00"}):
        r = await member.post(url, json={"action": "accept", **body})
        problem(r, 422, "validation-failed")
    r = await member.post(url, json={"action": "reject", "version": 1, "reason": "不\x00行"})
    problem(r, 422, "validation-failed")
    assert (await reload(session, order["id"])).status == WorkOrderStatus.REQUESTED


async def test_another_organisations_order_is_404(
    api: ApiFactory, org: OrgWithMembers, other_org: OrgWithMembers, session: AsyncSession
) -> None:
    theirs = await make_order(session, other_org, Role.PROJECT_MANAGER, Role.MEMBER)
    admin, member = await api("admin"), await api("member")
    problem(await admin.get(f"{API}/work-orders/{theirs.id}"), 404, "not-found")
    problem(await act(member, {"id": theirs.id, "version": 1}, "accept"), 404, "not-found")
    assert await box(admin, "sent") == []
    assert (await reload(session, theirs.id)).status == WorkOrderStatus.REQUESTED


# ---- lists ---------------------------------------------------------------------------------


async def test_lists_filter_by_status_and_text_and_sort_by_due(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    pm, member = await api("project_manager"), await api("member")
    to = {"assignee_member_id": mid(org, Role.MEMBER)}
    late = await raise_order(pm, title="直播脚本", due_at=in_days(5), **to)
    soon = await raise_order(pm, title="海报设计", due_at=in_days(1), **to)
    await raise_order(pm, title="无截止", due_at=None, **to)
    assert await box(member, "inbox") == ["WO-2", "WO-1", "WO-3"]  # due first, none last
    assert await box(member, "inbox", order="newest") == ["WO-3", "WO-2", "WO-1"]
    await act(member, soon, "accept")
    assert await box(member, "inbox", status="accepted") == ["WO-2"]
    assert await box(member, "inbox", status=["requested", "accepted"]) == ["WO-2", "WO-1", "WO-3"]
    assert await box(member, "inbox", q="海报") == ["WO-2"]
    assert await box(member, "inbox", q="wo-1") == ["WO-1"]
    assert await box(member, "inbox", q="100%") == []
    assert late["code"] == "WO-1"
    page = (await member.get(f"{API}/work-orders", params={"limit": 1, "offset": 1})).json()
    assert page["total"] == 3
    assert [o["code"] for o in page["items"]] == ["WO-1"]
    r = await member.get(f"{API}/work-orders", params={"box": "everything"})
    problem(r, 422, "validation-failed")
    r = await member.get(f"{API}/work-orders", params={"status": "lost"})
    problem(r, 422, "validation-failed")


# ---- the task ------------------------------------------------------------------------------


async def test_an_order_attaches_a_task_of_its_project(
    api: ApiFactory, org: OrgWithMembers, other_org: OrgWithMembers, session: AsyncSession
) -> None:
    pm = await api("project_manager")
    project = await make_project(session, org, Role.MEMBER)
    elsewhere = await make_project(session, org)
    task = await make_task(session, project)
    stranger = await make_task(session, elsewhere)
    foreign = await make_task(session, await make_project(session, other_org))
    order = await raise_order(
        pm, assignee_member_id=mid(org, Role.MEMBER), project_id=str(project.id)
    )
    url = f"{API}/work-orders/{order['id']}/task"
    for body, field in (
        ({"task_id": str(stranger.id)}, "task_id"),
        ({"task_id": str(foreign.id)}, "task_id"),
        ({"task_id": str(uuid.uuid4())}, "task_id"),
        ({}, "task_id"),
        ({"task_id": str(task.id), "create": True}, "create"),
        ({"task_id": str(task.id), "phase_id": str(uuid.uuid4())}, "phase_id"),
    ):
        r = await pm.post(url, json={"version": 1, **body})
        assert field in str(problem(r, 422, "validation-failed")["errors"]), body
    assert (await reload(session, order["id"])).task_id is None
    r = await pm.post(url, json={"version": 1, "task_id": str(task.id)})
    assert r.status_code == 200, r.text
    assert r.json()["task_id"] == str(task.id)
    assert r.json()["version"] == 2


async def test_an_order_without_a_project_takes_the_tasks_project(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    pm = await api("project_manager")
    project = await make_project(session, org)
    task = await make_task(session, project)
    order = await raise_order(pm, assignee_member_id=mid(org, Role.MEMBER), task_id=str(task.id))
    assert order["task_id"] == str(task.id)
    assert order["project_id"] == str(project.id)


async def test_an_order_creates_a_task_for_its_assignee_until_its_due_date(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    pm, member = await api("project_manager"), await api("member")
    project = await make_project(session, org, Role.MEMBER)
    order = await raise_order(
        pm,
        assignee_member_id=mid(org, Role.MEMBER),
        project_id=str(project.id),
        due_at=in_days(10),
        priority="urgent",
    )
    no_project = await raise_order(pm, assignee_member_id=mid(org, Role.MEMBER))
    r = await pm.post(
        f"{API}/work-orders/{no_project['id']}/task", json={"version": 1, "create": True}
    )
    assert "create" in str(problem(r, 422, "validation-failed")["errors"])
    # Creating a task shapes the plan: the project's manager does it, not the assignee.
    r = await member.post(
        f"{API}/work-orders/{order['id']}/task", json={"version": 1, "create": True}
    )
    problem(r, 403, "forbidden")
    r = await pm.post(f"{API}/work-orders/{order['id']}/task", json={"version": 1, "create": True})
    assert r.status_code == 200, r.text
    task = await session.get(Task, uuid.UUID(r.json()["task_id"]), populate_existing=True)
    assert task is not None
    assert task.project_id == project.id
    assert task.title == order["title"]
    assert task.assignee_member_id == org.members[Role.MEMBER].id
    assert task.priority == "urgent"
    due = datetime.fromisoformat(order["due_at"]).astimezone().date()
    assert task.starts_on <= task.due_on
    assert abs((task.due_on - due).days) <= 3  # to the due date (working days may shift it)


async def test_a_closed_order_gets_no_task(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    pm = await api("project_manager")
    project = await make_project(session, org)
    task = await make_task(session, project)
    order = await make_order(
        session, org, Role.PROJECT_MANAGER, Role.MEMBER, status=WorkOrderStatus.VERIFIED
    )
    r = await pm.post(
        f"{API}/work-orders/{order.id}/task", json={"version": 1, "task_id": str(task.id)}
    )
    assert problem(r, 409, "invalid-transition")["current_status"] == "verified"
    assert (await reload(session, order.id)).task_id is None
