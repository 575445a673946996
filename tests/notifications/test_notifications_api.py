"""In-app notifications through the API: approvers are told a request awaits them, the project
manager is told the outcome; each member sees and marks only their own (others' are 404)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.i18n import _
from mems.identity.permissions import Role
from mems.notifications import service as notifications
from mems.notifications.models import Notification
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.projects.helpers import API, count, create_project, decide, make_goal, move, problem

ZH = {"Accept-Language": "zh-CN"}


async def _mine(c: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    r = await c.get(f"{API}/notifications", params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def _unread(c: httpx.AsyncClient) -> int:
    r = await c.get(f"{API}/notifications/unread-count")
    assert r.status_code == 200, r.text
    return int(r.json()["unread"])


async def _submitted(
    pm: httpx.AsyncClient, director: httpx.AsyncClient, budget: str = "100000"
) -> dict[str, Any]:
    p = await create_project(pm, goal=await make_goal(director), total_budget=budget)
    return await move(pm, p, "submit")


async def test_the_director_is_told_and_the_pm_learns_of_the_approval(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    director, pm, finance, admin = (
        await api("director"),
        await api("project_manager"),
        await api("finance"),
        await api("admin"),
    )
    p = await _submitted(pm, director)
    request_id = p["approval"]["id"]
    title = p["approval"]["title"]

    # The director decides the only step: told once, linked to the request.
    told = (await _mine(director))["items"]
    assert [(n["kind"], n["link_type"], n["link_id"]) for n in told] == [
        ("approval.awaiting", "approval_request", request_id)
    ]
    assert told[0]["title"] == f"{title} awaits your approval"
    assert told[0]["body"] == "Requested by project_manager 用户; step 1 of 1."
    assert told[0]["read_at"] is None
    # Nobody else is: not finance (no finance step under ¥500,000), not the admin, not the PM.
    for c in (finance, admin, pm):
        assert await _unread(c) == 0

    r = await decide(director, request_id, "approve", "同意立项")
    assert r.status_code == 201, r.text
    got = (await _mine(pm))["items"]
    assert len(got) == 1
    assert got[0]["kind"] == "approval.approved"
    assert got[0]["title"] == f"Approved: {title}"
    assert got[0]["body"] == "director 用户 approved the last step."
    assert (got[0]["link_type"], got[0]["link_id"]) == ("approval_request", request_id)
    assert await _unread(pm) == 1
    # The same notification reads in Chinese for a Chinese reader.
    zh = (await pm.get(f"{API}/notifications", headers=ZH)).json()["items"][0]
    assert zh["title"] == f"已批准：{title}"
    assert zh["body"] == "director 用户 已批准最后一步。"


async def test_the_pm_learns_of_a_rejection_and_why(api: ApiFactory, org: OrgWithMembers) -> None:
    director, pm = await api("director"), await api("project_manager")
    p = await _submitted(pm, director)
    r = await decide(director, p["approval"]["id"], "reject", "预算依据不足")
    assert r.status_code == 201, r.text
    got = (await _mine(pm, unread=True))["items"]
    assert [n["kind"] for n in got] == ["approval.rejected"]
    assert got[0]["title"] == f"Rejected: {p['approval']['title']}"
    assert got[0]["body"] == "director 用户 rejected it: 预算依据不足"
    zh = (await pm.get(f"{API}/notifications", headers=ZH)).json()["items"][0]
    assert zh["body"] == "director 用户 驳回了申请：预算依据不足"


async def test_each_step_tells_its_deciders_and_the_pm_only_hears_the_end(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    director, pm, finance = (
        await api("director"),
        await api("project_manager"),
        await api("finance"),
    )
    p = await _submitted(pm, director, budget="800000")  # director, then finance
    request_id = p["approval"]["id"]
    assert await _unread(finance) == 0
    assert (await decide(director, request_id)).status_code == 201
    awaiting = (await _mine(finance))["items"]
    assert [(n["kind"], n["link_id"]) for n in awaiting] == [("approval.awaiting", request_id)]
    assert awaiting[0]["body"] == "Requested by project_manager 用户; step 2 of 2."
    assert await _unread(pm) == 0  # not finished yet
    # The director's notice is settled by the decision: it counts as read.
    assert await _unread(director) == 0
    assert (await _mine(director))["items"][0]["read_at"] is not None
    assert (await decide(finance, request_id)).status_code == 201
    assert [n["kind"] for n in (await _mine(pm))["items"]] == ["approval.approved"]


async def test_a_withdrawn_request_no_longer_awaits_anyone(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    director, pm = await api("director"), await api("project_manager")
    p = await _submitted(pm, director)
    assert await _unread(director) == 1
    await move(pm, p, "withdraw")
    assert await _unread(director) == 0
    assert await _unread(pm) == 0  # nothing was decided


async def test_nobody_holds_the_role_so_the_admins_are_told(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    pm, admin = await api("project_manager"), await api("admin")
    org.members[Role.DIRECTOR].is_active = False  # the only director has left
    await session.commit()
    p = await create_project(pm, goal=await make_goal(admin), total_budget="1000")
    await move(pm, p, "submit")
    assert [n["kind"] for n in (await _mine(admin))["items"]] == ["approval.awaiting"]


async def test_the_recused_are_not_told_a_request_awaits_them(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    """The director who created the manager's project never decides it: with no other director
    the admins are told, not the director."""
    director, pm, admin = await api("director"), await api("project_manager"), await api("admin")
    p = await create_project(
        director,
        goal=await make_goal(director),
        owner_member_id=str(org.members[Role.PROJECT_MANAGER].id),
    )
    await move(pm, p, "submit")
    assert await _unread(director) == 0
    assert [n["kind"] for n in (await _mine(admin))["items"]] == ["approval.awaiting"]


async def test_marking_read_one_and_all_and_the_unread_filter(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    pm = await api("project_manager")
    pm_id = org.members[Role.PROJECT_MANAGER].id
    for i in range(3):
        await notifications.notify(
            session,
            org.org.id,
            [pm_id, pm_id],
            "test.ping",
            title=_("Approved: {title}", title=str(i)),
        )
    await session.commit()
    assert await count(session, Notification) == 3  # duplicates collapse to one each
    page = await _mine(pm, limit=2)
    assert (page["total"], len(page["items"])) == (3, 2)
    assert [n["title"] for n in page["items"]] == ["Approved: 2", "Approved: 1"]  # newest first
    first = page["items"][0]["id"]

    r = await pm.post(f"{API}/notifications/{first}/read")
    assert r.status_code == 200, r.text
    assert r.json()["read_at"] is not None
    assert await _unread(pm) == 2
    assert first not in [n["id"] for n in (await _mine(pm, unread=True))["items"]]
    again = await pm.post(f"{API}/notifications/{first}/read")  # idempotent
    assert again.json()["read_at"] == r.json()["read_at"]

    r = await pm.post(f"{API}/notifications/read-all")
    assert r.status_code == 200, r.text
    assert r.json() == {"marked": 2}
    assert await _unread(pm) == 0
    assert (await _mine(pm, unread=True))["total"] == 0
    assert (await _mine(pm))["total"] == 3


async def test_another_member_or_organisation_cannot_see_or_mark_them(
    api: ApiFactory, org: OrgWithMembers, other_org: OrgWithMembers, session: AsyncSession
) -> None:
    director, pm = await api("director"), await api("project_manager")
    p = await _submitted(pm, director)
    assert (await decide(director, p["approval"]["id"], "reject", "再想想")).status_code == 201
    mine = (await _mine(pm))["items"][0]["id"]

    colleague = await api("member")
    stranger = await api("admin", in_org=other_org)
    for c in (colleague, stranger, director):
        assert mine not in [n["id"] for n in (await _mine(c))["items"]]
        foreign = await c.post(f"{API}/notifications/{mine}/read")
        missing = await c.post(f"{API}/notifications/{uuid.uuid4()}/read")
        problem(foreign, 404, "not-found")
        problem(missing, 404, "not-found")
        assert foreign.json()["title"] == missing.json()["title"]
    # Marking all one's own read touches nobody else's.
    assert (await stranger.post(f"{API}/notifications/read-all")).json() == {"marked": 0}
    assert (await colleague.post(f"{API}/notifications/read-all")).json() == {"marked": 0}
    assert await _unread(pm) == 1


async def test_anonymous_is_401(client: httpx.AsyncClient) -> None:
    assert (await client.get(f"{API}/notifications")).status_code == 401
    assert (await client.get(f"{API}/notifications/unread-count")).status_code == 401
