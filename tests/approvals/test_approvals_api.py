"""The 立项 (project initiation) approval through the API: inboxes, who may decide, the
finance step above ¥500,000, rejections, configured flows and history."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from mems.approvals.models import ApprovalRecord, ApprovalRequest, ApprovalStep
from mems.core.audit import AuditLog
from mems.identity.permissions import Role
from mems.projects.models import Project
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.projects.helpers import (
    API,
    count,
    create_project,
    decide,
    make_goal,
    move,
    problem,
    put_flow,
    reload,
)


async def _written(session: AsyncSession) -> tuple[int, ...]:
    return (
        await count(session, ApprovalRecord),
        await count(session, ApprovalRequest),
        await count(session, ApprovalStep),
        await count(session, AuditLog),
    )


async def _submitted(
    owner: httpx.AsyncClient, director: httpx.AsyncClient, budget: str = "100000", **values: Any
) -> dict[str, Any]:
    """A project of `owner`'s, linked to a goal and submitted for 立项."""
    p = await create_project(owner, goal=await make_goal(director), total_budget=budget, **values)
    return await move(owner, p, "submit")


async def _box(c: httpx.AsyncClient, box: str, **params: Any) -> list[str]:
    r = await c.get(f"{API}/approvals", params={"box": box, **params})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(body["items"])
    return [a["id"] for a in body["items"]]


async def test_director_approves_a_project_managers_initiation(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    director = await api("director")
    pm = await api("project_manager")
    p = await _submitted(pm, director)
    request_id = p["approval"]["id"]

    # It waits in the director's inbox, and among the project manager's own requests.
    assert await _box(director, "inbox") == [request_id]
    assert await _box(pm, "mine") == [request_id]
    assert await _box(pm, "inbox") == []
    assert await _box(await api("finance"), "inbox") == []
    assert await _box(await api("member"), "inbox") == []
    assert await _box(director, "mine") == []
    listed = (await director.get(f"{API}/approvals")).json()["items"][0]  # inbox by default
    assert listed["id"] == request_id
    assert listed["can_decide"] is True
    assert listed["requested_by_name"] == "project_manager 用户"
    assert (await pm.get(f"{API}/approvals", params={"box": "mine"})).json()["items"][0][
        "can_decide"
    ] is False

    # Nobody else decides it: no permission, or not the role the step waits for.
    before = await _written(session)
    for role in ("project_manager", "member", "viewer"):
        body = problem(await decide(await api(role), request_id), 403, "forbidden")
        assert "approvals:decide" in body["detail"]
    body = problem(await decide(await api("finance"), request_id), 403, "forbidden")
    assert "director" in body["detail"]
    assert await _written(session) == before
    assert (await reload(pm, p))["status"] == "submitted"

    r = await decide(director, request_id, comment="预算合理，同意立项")
    assert r.status_code == 201, r.text
    decided = r.json()
    assert decided["state"] == "approved"
    assert decided["current_step"] is None
    assert decided["waiting_for_role"] is None
    assert decided["decided_at"] is not None
    assert decided["can_decide"] is False
    assert [
        (h["step"], h["decision"], h["decided_by_name"], h["comment"]) for h in decided["history"]
    ] == [(0, "approve", "director 用户", "预算合理，同意立项")]
    assert decided["history"][0]["decided_by_member_id"] == str(org.members[Role.DIRECTOR].id)

    project = await reload(pm, p)
    assert (project["status"], project["registered"]) == ("approved", True)
    assert project["approval"]["state"] == "approved"
    assert project["allowed_actions"] == ["start", "cancel"]
    assert await _box(director, "inbox") == []
    assert await _box(pm, "mine", state="approved") == [request_id]
    assert await _box(pm, "mine", state="pending") == []


async def test_above_500000_finance_decides_too(api: ApiFactory, session: AsyncSession) -> None:
    director = await api("director")
    finance = await api("finance")
    pm = await api("project_manager")
    p = await _submitted(pm, director, budget="800000")
    request_id = p["approval"]["id"]
    steps = p["approval"]["steps"]
    assert [s["role"] for s in steps] == ["director", "finance"]
    assert Decimal(steps[1]["min_amount"]) == Decimal(500000)
    assert await _box(finance, "inbox") == []

    # Finance cannot go first.
    problem(await decide(finance, request_id), 403, "forbidden")
    r = await decide(director, request_id)
    assert r.status_code == 201, r.text
    assert (r.json()["state"], r.json()["current_step"], r.json()["waiting_for_role"]) == (
        "pending",
        1,
        "finance",
    )
    assert (await reload(pm, p))["status"] == "submitted"
    assert await _box(director, "inbox") == []
    assert await _box(finance, "inbox") == [request_id]
    # The director does not decide the finance step.
    before = await _written(session)
    problem(await decide(director, request_id), 403, "forbidden")
    assert await _written(session) == before

    r = await decide(finance, request_id, comment="资金已排期")
    assert r.status_code == 201, r.text
    assert r.json()["state"] == "approved"
    assert [(h["step"], h["decided_by_name"], h["comment"]) for h in r.json()["history"]] == [
        (0, "director 用户", "同意"),
        (1, "finance 用户", "资金已排期"),
    ]
    assert (await reload(pm, p))["status"] == "approved"

    # Exactly ¥500,000 is not above it: the director alone decides.
    small = await _submitted(pm, director, budget="500000")
    assert [s["role"] for s in small["approval"]["steps"]] == ["director"]


async def test_nobody_approves_their_own_request(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    director = await api("director")
    own = await _submitted(director, director)  # the director manages this project
    assert own["owner_member_id"] == str(org.members[Role.DIRECTOR].id)
    assert own["approval"]["can_decide"] is False
    assert await _box(director, "inbox") == []
    before = await _written(session)
    body = problem(await decide(director, own["approval"]["id"]), 403, "forbidden")
    assert "someone else decides it" in body["detail"]
    assert body["reason"] == "own_request"
    assert await _written(session) == before
    assert (await reload(director, own))["status"] == "submitted"
    # An admin (acting for the director's step) may.
    admin = await api("admin")
    assert await _box(admin, "inbox") == [own["approval"]["id"]]
    assert (await decide(admin, own["approval"]["id"])).status_code == 201
    assert (await reload(director, own))["status"] == "approved"


async def test_the_projects_manager_does_not_approve_it_when_someone_else_submitted_it(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    """An admin submits the director's project: it is still the director's request."""
    director = await api("director")
    admin = await api("admin")
    p = await create_project(
        admin,
        goal=await make_goal(director),
        owner_member_id=str(org.members[Role.DIRECTOR].id),
    )
    p = await move(admin, p, "submit")
    assert p["approval"]["requested_by_member_id"] == str(org.members[Role.DIRECTOR].id)
    assert await _box(director, "mine") == [p["approval"]["id"]]
    before = await _written(session)
    problem(await decide(director, p["approval"]["id"]), 403, "forbidden")
    assert await _written(session) == before


async def test_rejection_needs_a_comment_then_revise_and_resubmit(
    api: ApiFactory, session: AsyncSession
) -> None:
    director = await api("director")
    pm = await api("project_manager")
    p = await _submitted(pm, director)
    first = p["approval"]["id"]

    before = await _written(session)
    for comment in ("", "   "):
        body = problem(await decide(director, first, "reject", comment), 422, "validation-failed")
        assert [e["field"] for e in body["errors"]] == ["comment"]
    assert await _written(session) == before

    r = await decide(director, first, "reject", "目标人群不清晰，请补充")
    assert r.status_code == 201, r.text
    assert r.json()["state"] == "rejected"
    p = await reload(pm, p)
    assert (p["status"], p["registered"], p["allowed_actions"]) == ("rejected", False, ["revise"])
    problem(await decide(director, first), 409, "conflict")

    p = await move(pm, p, "revise")
    assert p["status"] == "draft"
    p = await move(pm, p, "submit")
    second = p["approval"]["id"]
    assert second != first
    assert p["approval"]["state"] == "pending"
    assert await _box(director, "inbox") == [second]
    assert await _box(pm, "mine") == [second, first]  # newest first
    # The rejected request keeps its history.
    old = (await pm.get(f"{API}/approvals/{first}")).json()
    assert old["state"] == "rejected"
    assert [(h["decision"], h["decided_by_name"], h["comment"]) for h in old["history"]] == [
        ("reject", "director 用户", "目标人群不清晰，请补充")
    ]
    assert (await decide(director, second)).status_code == 201
    assert (await reload(pm, p))["status"] == "approved"


async def test_a_rejection_at_the_finance_step_ends_it(api: ApiFactory) -> None:
    director = await api("director")
    finance = await api("finance")
    pm = await api("project_manager")
    p = await _submitted(pm, director, budget="1200000")
    request_id = p["approval"]["id"]
    assert (await decide(director, request_id)).status_code == 201
    r = await decide(finance, request_id, "reject", "本季度资金不足")
    assert r.status_code == 201, r.text
    assert r.json()["state"] == "rejected"
    assert [h["decision"] for h in r.json()["history"]] == ["approve", "reject"]
    assert (await reload(pm, p))["status"] == "rejected"


async def test_admin_may_act_for_any_step_but_decides_only_one(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    """One person decides at most one step of a request, admins acting for a step included."""
    director = await api("director")
    admin = await api("admin")
    finance = await api("finance")
    pm = await api("project_manager")
    p = await _submitted(pm, director, budget="900000")
    request_id = p["approval"]["id"]
    assert (await decide(admin, request_id)).json()["waiting_for_role"] == "finance"
    # The admin decided the director's step: the finance step is someone else's.
    assert await _box(admin, "inbox") == []
    detail = (await admin.get(f"{API}/approvals/{request_id}")).json()
    assert detail["can_decide"] is False
    before = await _written(session)
    body = problem(await decide(admin, request_id), 403, "forbidden")
    assert body["reason"] == "second_step"
    assert await _written(session) == before
    assert await _box(finance, "inbox") == [request_id]
    r = await decide(finance, request_id)
    assert r.json()["state"] == "approved"
    assert [h["decided_by_name"] for h in r.json()["history"]] == ["admin 用户", "finance 用户"]


async def test_an_admin_may_decide_the_finance_step_after_the_director(api: ApiFactory) -> None:
    director = await api("director")
    admin = await api("admin")
    pm = await api("project_manager")
    p = await _submitted(pm, director, budget="900000")
    request_id = p["approval"]["id"]
    assert (await decide(director, request_id)).json()["waiting_for_role"] == "finance"
    assert await _box(director, "inbox") == []
    assert await _box(admin, "inbox") == [request_id]
    assert (await decide(admin, request_id)).json()["state"] == "approved"


async def test_deciding_a_decided_request_is_409(api: ApiFactory, session: AsyncSession) -> None:
    director = await api("director")
    pm = await api("project_manager")
    p = await _submitted(pm, director)
    request_id = p["approval"]["id"]
    assert (await decide(director, request_id)).status_code == 201
    before = await _written(session)
    for who in ("director", "finance", "admin"):
        problem(await decide(await api(who), request_id), 409, "conflict")
    problem(await decide(director, request_id, "reject", "改主意了"), 409, "conflict")
    assert await _written(session) == before
    assert (await reload(pm, p))["status"] == "approved"


async def test_configured_flow_is_used_by_new_requests_only(
    api: ApiFactory, session: AsyncSession
) -> None:
    director = await api("director")
    finance = await api("finance")
    pm = await api("project_manager")
    admin = await api("admin")
    flows = (await pm.get(f"{API}/approval-flows")).json()
    assert [(f["request_type"], f["is_default"]) for f in flows] == [
        ("project_initiation", True),
        ("budget_request", True),
    ]
    flows_before = flows
    under_way = await _submitted(pm, director)

    new_flow = {"steps": [{"role": "finance"}, {"role": "director", "min_amount": "50000"}]}
    problem(
        await put_flow(director, "project_initiation", new_flow),
        403,
        "forbidden",
    )
    r = await put_flow(admin, "project_initiation", new_flow)
    assert r.status_code == 200, r.text
    assert r.json()["is_default"] is False
    assert [s["role"] for s in r.json()["steps"]] == ["finance", "director"]
    flows = {f["request_type"]: f for f in (await pm.get(f"{API}/approval-flows")).json()}
    assert flows["project_initiation"]["is_default"] is False
    assert [
        (s["role"], s["min_amount"] and Decimal(s["min_amount"]))
        for s in flows["project_initiation"]["steps"]
    ] == [("finance", None), ("director", Decimal(50000))]
    assert flows["budget_request"]["is_default"] is True

    # The request already under way keeps its steps: the director still decides it.
    assert await _box(finance, "inbox") == []
    problem(await decide(finance, under_way["approval"]["id"]), 403, "forbidden")
    assert (await decide(director, under_way["approval"]["id"])).json()["state"] == "approved"

    # New requests follow the new flow: finance first, then the director above ¥50,000.
    small = await _submitted(pm, director, budget="20000")
    assert [s["role"] for s in small["approval"]["steps"]] == ["finance"]
    problem(await decide(director, small["approval"]["id"]), 403, "forbidden")
    assert (await decide(finance, small["approval"]["id"])).json()["state"] == "approved"
    big = await _submitted(pm, director, budget="60000")
    assert [s["role"] for s in big["approval"]["steps"]] == ["finance", "director"]

    # An edit made from the default flow, read before the change, is refused, not merged.
    default_revision = next(
        f["revision"] for f in flows_before if f["request_type"] == "project_initiation"
    )
    stale = await admin.put(
        f"{API}/approval-flows/project_initiation",
        json={"revision": default_revision, "steps": [{"role": "director"}]},
    )
    assert problem(stale, 409, "stale-version")["current_revision"] == r.json()["revision"]
    assert await count(session, ApprovalStep) == 2

    # Replacing it again replaces every step, each replaced one recorded as it was.
    r = await put_flow(admin, "project_initiation", {"steps": [{"role": "director"}]})
    assert r.status_code == 200, r.text
    assert await count(session, ApprovalStep) == 1
    logged = await admin.get(f"{API}/audit-logs", params={"entity_type": "approval_steps"})
    deleted = [e["before"]["role"] for e in logged.json()["items"] if e["action"] == "delete"]
    assert sorted(deleted) == ["director", "finance"]


async def test_bad_flows_are_422_and_change_nothing(api: ApiFactory, session: AsyncSession) -> None:
    admin = await api("admin")
    before = await _written(session)
    only_conditional = {"steps": [{"role": "finance", "min_amount": "100000"}]}
    body = problem(
        await put_flow(admin, "project_initiation", only_conditional),
        422,
        "validation-failed",
    )
    assert [e["field"] for e in body["errors"]] == ["steps"]
    for bad, field in [
        ({"steps": []}, "steps"),
        ({"steps": [{"role": "boss"}]}, "steps[0].role"),
        ({"steps": [{"role": "director", "min_amount": "-1"}]}, "steps[0].min_amount"),
    ]:
        r = await put_flow(admin, "project_initiation", bad)
        assert [e["field"] for e in problem(r, 422, "validation-failed")["errors"]] == [field]
    r = await admin.put(
        f"{API}/approval-flows/expense_claim",
        json={"revision": "x", "steps": [{"role": "director"}]},
    )
    assert problem(r, 422, "validation-failed")["errors"][0]["field"] == "request_type"
    assert await _written(session) == before
    flows = (await admin.get(f"{API}/approval-flows")).json()
    assert all(f["is_default"] for f in flows)


async def test_a_step_for_a_role_that_cannot_decide_is_422(
    api: ApiFactory, session: AsyncSession
) -> None:
    """Only admins, directors and finance decide: a step for anyone else would wait forever
    (or for an admin)."""
    admin = await api("admin")
    before = await _written(session)
    for role in ("member", "viewer", "project_manager"):
        r = await put_flow(
            admin,
            "budget_request",
            {"steps": [{"role": "director"}, {"role": role}]},
        )
        body = problem(r, 422, "validation-failed")
        assert [e["field"] for e in body["errors"]] == ["steps[1].role"]
    assert await _written(session) == before


async def test_box_all_is_for_approvers(api: ApiFactory) -> None:
    director = await api("director")
    pm = await api("project_manager")
    p = await _submitted(pm, director)
    for role in ("admin", "director", "finance"):
        assert await _box(await api(role), "all") == [p["approval"]["id"]]
    for role in ("project_manager", "member", "viewer"):
        r = await (await api(role)).get(f"{API}/approvals", params={"box": "all"})
        problem(r, 403, "forbidden")
    r = await director.get(f"{API}/approvals", params={"box": "everything"})
    assert problem(r, 422, "validation-failed")["errors"][0]["field"] == "box"
    # Everyone may read one request with its history.
    viewer = await api("viewer")
    r = await viewer.get(f"{API}/approvals/{p['approval']['id']}")
    assert r.status_code == 200, r.text
    assert r.json()["history"] == []
    assert r.json()["can_decide"] is False


async def test_another_orgs_approval_is_404(
    api: ApiFactory, other_org: OrgWithMembers, session: AsyncSession
) -> None:
    their_director = await api("director", in_org=other_org)
    their_pm = await api("project_manager", in_org=other_org)
    theirs = await _submitted(their_pm, their_director)
    request_id = theirs["approval"]["id"]
    before = await _written(session)
    for role in ("admin", "director", "finance"):
        c = await api(role)
        problem(await c.get(f"{API}/approvals/{request_id}"), 404, "not-found")
        problem(await decide(c, request_id), 404, "not-found")
        assert await _box(c, "all") == []
        assert await _box(c, "inbox") == []
    problem(await decide(await api("admin"), str(uuid.uuid4())), 404, "not-found")
    assert await _written(session) == before
    assert (await reload(their_pm, theirs))["status"] == "submitted"
    assert await count(session, Project) == 1


async def test_whoever_submits_or_creates_the_project_never_decides_it(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    """The audit's case: a director creates a project for the PM, submits it and approves it.
    The request is the PM's (it shows among theirs), but the director who created or
    submitted it is not the one to decide it; another director or an admin is."""
    director = await api("director")
    pm = await api("project_manager")
    admin = await api("admin")
    pm_id = str(org.members[Role.PROJECT_MANAGER].id)
    goal = await make_goal(director)

    # The director submits the PM's project: refused to the director, the admin decides.
    p = await move(director, await create_project(pm, goal=goal), "submit")
    assert p["approval"]["requested_by_member_id"] == pm_id
    assert await _box(pm, "mine") == [p["approval"]["id"]]
    assert await _box(director, "inbox") == []
    before = await _written(session)
    assert problem(await decide(director, p["approval"]["id"]), 403, "forbidden")["reason"] == (
        "own_request"
    )
    problem(await decide(pm, p["approval"]["id"]), 403, "forbidden")
    assert await _written(session) == before
    assert (await decide(admin, p["approval"]["id"])).status_code == 201

    # The director creates a project for the PM, the PM submits it: still not the director's.
    created = await create_project(director, goal=goal, owner_member_id=pm_id)
    created = await move(pm, created, "submit")
    assert await _box(director, "inbox") == []
    assert (await director.get(f"{API}/projects/{created['id']}")).json()["approval"][
        "can_decide"
    ] is False
    problem(await decide(director, created["approval"]["id"]), 403, "forbidden")
    assert await _box(admin, "inbox") == [created["approval"]["id"]]
    assert (await decide(admin, created["approval"]["id"])).status_code == 201
    assert (await reload(pm, created))["status"] == "approved"


async def test_a_list_pages_with_its_total_and_says_who_may_decide(api: ApiFactory) -> None:
    """A page carries the count of the whole list (a page past the end too, with no items);
    `can_decide` is the caller's in every box: not once they decided a step of it."""
    director = await api("director")
    admin = await api("admin")
    finance = await api("finance")
    pm = await api("project_manager")
    ids = [(await _submitted(pm, director, budget="900000"))["approval"]["id"] for _ in range(3)]
    newest_first = ids[::-1]
    for offset, expected in ((0, newest_first[:2]), (2, newest_first[2:]), (5, [])):
        r = await director.get(
            f"{API}/approvals", params={"box": "inbox", "limit": 2, "offset": offset}
        )
        assert r.status_code == 200, r.text
        body = r.json()
        assert [a["id"] for a in body["items"]] == expected
        assert (body["total"], body["limit"], body["offset"]) == (3, 2, offset)

    # The admin decides the director's step of the newest: the finance step is not theirs.
    assert (await decide(admin, ids[-1])).status_code == 201
    seen = {}
    for name, client in (("admin", admin), ("finance", finance), ("pm", pm)):
        box = "mine" if name == "pm" else "all"
        r = await client.get(f"{API}/approvals", params={"box": box})
        assert r.status_code == 200, r.text
        seen[name] = [(a["id"], a["can_decide"]) for a in r.json()["items"]]
    assert seen["admin"] == [(ids[2], False), (ids[1], True), (ids[0], True)]
    assert seen["finance"] == [(ids[2], True), (ids[1], False), (ids[0], False)]
    assert seen["pm"] == [(ids[2], False), (ids[1], False), (ids[0], False)]
    assert await _box(admin, "inbox") == [ids[1], ids[0]]
    assert await _box(finance, "inbox") == [ids[2]]
    mine = await pm.get(f"{API}/approvals", params={"box": "mine", "state": "pending"})
    assert mine.json()["total"] == 3
    r = await admin.get(f"{API}/approvals", params={"box": "all", "request_type": "budget_request"})
    assert r.json() == {"items": [], "total": 0, "limit": 50, "offset": 0}
