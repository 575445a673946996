"""Budget requests and changes through the approval workflow (issue 10): a registered project
asks line by line, the director (then finance above ¥50,000 added) decides, and the approved
amounts become the lines' — the project's budget is their sum."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.db import Database
from mems.core.tenancy import in_tenant
from mems.finance.categories import BudgetCategory
from mems.finance.models import BudgetLine, BudgetLineState, BudgetRequest
from mems.identity.permissions import Role
from mems.notifications.models import Notification
from mems.projects.lifecycle import ProjectStatus
from mems.projects.models import Project
from tests.checkins.helpers import API, count, make_project, problem
from tests.conftest import ApiFactory, FileApp
from tests.core.test_races import _client
from tests.factories import OrgWithMembers
from tests.finance.test_costs_api import budgeted_project, cost


async def plan_project(
    session: AsyncSession, org: OrgWithMembers, status: ProjectStatus = ProjectStatus.APPROVED
) -> tuple[Project, BudgetLine, BudgetLine]:
    """A registered project with two plan lines (场地费 venue, 物料制作 materials)."""
    project = await make_project(session, org, commit=False)
    project.status = status
    lines = [
        BudgetLine(
            org_id=org.org.id,
            project_id=project.id,
            position=i,
            category=category,
            name=name,
            amount=Decimal(0),
            state=BudgetLineState.PLAN,
        )
        for i, (category, name) in enumerate(
            ((BudgetCategory.VENUE, "场地费"), (BudgetCategory.MATERIALS, "物料制作"))
        )
    ]
    session.add_all(lines)
    await session.commit()
    return project, lines[0], lines[1]


async def decide(c: Any, approval_id: str, decision: str = "approve", comment: str = "") -> Any:
    r = await c.post(
        f"{API}/approvals/{approval_id}/decisions",
        json={"decision": decision, "comment": comment},
    )
    assert r.status_code == 201, r.text
    return r.json()


async def test_a_request_above_the_finance_step_is_approved_by_director_then_finance(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, venue, materials = await plan_project(session, org)
    pm = await api(Role.PROJECT_MANAGER)
    r = await pm.post(
        f"{API}/projects/{project.id}/budget-requests",
        json={
            "reason": "展会场地与物料",
            "items": [
                {"line_id": str(venue.id), "amount": "60000.00"},
                {"line_id": str(materials.id), "amount": "15000"},
                {"category": "travel", "name": "差旅", "amount": "5000.50"},
            ],
        },
    )
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["kind"] == "initial"
    assert made["state"] == "pending"
    assert Decimal(made["amount"]) == Decimal("80000.50")
    assert Decimal(made["total_before"]) == 0
    assert Decimal(made["total_after"]) == Decimal("80000.50")
    assert [i["name"] for i in made["items"]] == ["场地费", "物料制作", "差旅"]
    assert made["items"][2]["line_id"] is None

    approval = (await pm.get(f"{API}/approvals/{made['approval_request_id']}")).json()
    assert approval["request_type"] == "budget_request"
    assert [s["role"] for s in approval["steps"]] == ["director", "finance"]
    # The requester never decides it.
    r = await (await api(Role.ADMIN)).post(
        f"{API}/approvals/{made['approval_request_id']}/decisions",
        json={"decision": "approve"},
    )
    assert r.status_code == 201  # the admin acts for the director's step
    # Not yet applied: lines are still plans.
    summary = (await pm.get(f"{API}/projects/{project.id}/budget")).json()
    assert Decimal(summary["project"]["budget"]) == 0
    await decide(await api(Role.FINANCE), made["approval_request_id"])

    got = (await pm.get(f"{API}/budget-requests/{made['id']}")).json()
    assert got["state"] == "approved"
    assert got["decided_at"] is not None
    summary = (await pm.get(f"{API}/projects/{project.id}/budget")).json()
    assert Decimal(summary["project"]["budget"]) == Decimal("80000.50")
    states = {line["name"]: (line["state"], Decimal(line["budget"])) for line in summary["lines"]}
    assert states == {
        "场地费": ("approved", Decimal("60000.00")),
        "物料制作": ("approved", Decimal("15000.00")),
        "差旅": ("approved", Decimal("5000.50")),
    }
    detail = (await pm.get(f"{API}/projects/{project.id}")).json()
    assert Decimal(detail["approved_budget"]) == Decimal("80000.50")
    listed = (await pm.get(f"{API}/projects/{project.id}/budget-requests")).json()
    assert [i["id"] for i in listed["items"]] == [made["id"]]
    # The requester was told.
    told = await session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(
            Notification.recipient_member_id == org.members[Role.PROJECT_MANAGER].id,
            Notification.kind == "approval.approved",
        )
    )
    assert told == 1


async def test_a_small_change_needs_only_the_director_and_a_rejection_changes_nothing(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, venue, _travel, _phase = await budgeted_project(session, org)
    pm = await api(Role.PROJECT_MANAGER)
    director = await api(Role.DIRECTOR)
    url = f"{API}/projects/{project.id}/budget-requests"
    r = await pm.post(
        url, json={"reason": "场地加价", "items": [{"line_id": str(venue.id), "amount": "12000"}]}
    )
    assert r.status_code == 201, r.text
    change = r.json()
    assert change["kind"] == "change"
    assert Decimal(change["amount"]) == 2000
    assert Decimal(change["total_before"]) == 15000
    assert Decimal(change["total_after"]) == 17000
    assert [
        s["role"]
        for s in (await pm.get(f"{API}/approvals/{change['approval_request_id']}")).json()["steps"]
    ] == ["director"]
    # One pending request per project.
    problem(
        await pm.post(
            url, json={"reason": "再来", "items": [{"line_id": str(venue.id), "amount": "13000"}]}
        ),
        409,
        "conflict",
    )
    await decide(director, change["approval_request_id"], "reject", "超出预期")
    assert (await pm.get(f"{API}/budget-requests/{change['id']}")).json()["state"] == "rejected"
    summary = (await pm.get(f"{API}/projects/{project.id}/budget")).json()
    assert Decimal(summary["project"]["budget"]) == 15000

    # Lowering a line asks for nothing more, and approved lowers the budget.
    r = await pm.post(
        url, json={"reason": "缩减", "items": [{"line_id": str(venue.id), "amount": "8000"}]}
    )
    assert r.status_code == 201, r.text
    assert Decimal(r.json()["amount"]) == 0
    await decide(director, r.json()["approval_request_id"])
    summary = (await pm.get(f"{API}/projects/{project.id}/budget")).json()
    assert Decimal(summary["project"]["budget"]) == 13000


async def test_a_lowered_budget_the_costs_are_past_is_announced(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, venue, _travel, _phase = await budgeted_project(session, org)
    fin = await api(Role.FINANCE)
    r = await fin.post(
        f"{API}/projects/{project.id}/costs", json=cost(amount="7000", line_id=str(venue.id))
    )
    assert r.status_code == 201, r.text  # 70 %: nothing to say
    pm = await api(Role.PROJECT_MANAGER)
    r = await pm.post(
        f"{API}/projects/{project.id}/budget-requests",
        json={"reason": "缩减", "items": [{"line_id": str(venue.id), "amount": "8000"}]},
    )
    await decide(await api(Role.DIRECTOR), r.json()["approval_request_id"])
    kinds = (
        await session.scalars(
            select(Notification.kind).where(
                Notification.recipient_member_id == org.members[Role.PROJECT_MANAGER].id,
                Notification.kind.like("budget.%"),
            )
        )
    ).all()
    assert kinds == ["budget.warn"]  # 7,000 of 8,000: 87.5 %


async def test_bad_requests_name_the_field_and_write_nothing(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    project, venue, _materials = await plan_project(session, org)
    draft, _v, _m = await plan_project(session, org, ProjectStatus.DRAFT)
    closed, _v2, _m2 = await plan_project(session, org, ProjectStatus.CLOSED)
    foreign, foreign_line, _fm = await plan_project(session, other_org)
    pm = await api(Role.PROJECT_MANAGER)
    url = f"{API}/projects/{project.id}/budget-requests"

    def ask(*items: dict[str, Any], reason: str = "因为") -> dict[str, Any]:
        return {"reason": reason, "items": list(items)}

    def one(line: BudgetLine) -> dict[str, Any]:
        return ask({"line_id": str(line.id), "amount": "1"})

    twice = ask(
        {"line_id": str(venue.id), "amount": "1"}, {"line_id": str(venue.id), "amount": "2"}
    )
    unknown_phase = ask(
        {"category": "venue", "name": "x", "amount": "1", "phase_id": str(uuid.uuid4())}
    )
    cases: list[tuple[str, dict[str, Any], int, str | None]] = [
        (url, ask({"line_id": str(venue.id), "amount": "-1"}), 422, "items[0].amount"),
        (url, ask({"line_id": str(venue.id), "amount": "abc"}), 422, "items[0].amount"),
        (url, ask({"line_id": str(venue.id), "amount": 1.5}), 422, "items[0].amount"),
        (url, ask({"line_id": str(venue.id), "amount": "1" * 40}), 422, "items[0].amount"),
        (url, ask({"category": "yachts", "name": "游艇", "amount": "1"}), 422, "items[0].category"),
        (url, ask({"name": "无类别", "amount": "1"}), 422, "items[0].category"),
        (url, ask({"category": "venue", "name": "场地费", "amount": "1"}), 422, "items[0].name"),
        (url, ask({"line_id": str(foreign_line.id), "amount": "1"}), 422, "items[0].line_id"),
        (url, twice, 422, "items[1].line_id"),
        (
            url,
            ask({"category": "venue", "name": "新\x00线", "amount": "1"}),
            422,
            "items[0].name",
        ),
        (url, unknown_phase, 422, "items[0].phase_id"),
        (url, {"reason": "空", "items": []}, 422, "items"),
        (url, ask({"line_id": str(venue.id), "amount": "1"}, reason=""), 422, "reason"),
        (f"{API}/projects/{draft.id}/budget-requests", one(_v), 409, None),
        (f"{API}/projects/{closed.id}/budget-requests", one(_v2), 409, None),
        (f"{API}/projects/{foreign.id}/budget-requests", one(foreign_line), 404, None),
    ]
    for target, body, code, field in cases:
        r = await pm.post(target, json=body)
        assert r.status_code == code, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        if field is not None:
            assert field in {e["field"] for e in r.json()["errors"]}, (body, r.json())
    assert await count(session, BudgetRequest) == 0
    # A member may not ask; a viewer may not either.
    for role in (Role.MEMBER, Role.VIEWER, Role.FINANCE):
        r = await (await api(role)).post(url, json=ask({"line_id": str(venue.id), "amount": "1"}))
        assert r.status_code == 403, (role, r.text)
    assert await count(session, BudgetRequest) == 0


async def test_withdrawal_and_another_organisation(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    project, venue, _materials = await plan_project(session, org)
    pm = await api(Role.PROJECT_MANAGER)
    r = await pm.post(
        f"{API}/projects/{project.id}/budget-requests",
        json={"reason": "r", "items": [{"line_id": str(venue.id), "amount": "100"}]},
    )
    made = r.json()
    outsider = await api(Role.ADMIN, other_org)
    problem(await outsider.get(f"{API}/budget-requests/{made['id']}"), 404, "not-found")
    problem(await outsider.post(f"{API}/budget-requests/{made['id']}/withdraw"), 404, "not-found")
    problem(await outsider.get(f"{API}/projects/{project.id}/budget-requests"), 404, "not-found")
    w = await pm.post(f"{API}/budget-requests/{made['id']}/withdraw")
    assert w.status_code == 200, w.text
    assert w.json()["state"] == "withdrawn"
    approval = (await pm.get(f"{API}/approvals/{made['approval_request_id']}")).json()
    assert approval["state"] == "withdrawn"
    problem(await pm.post(f"{API}/budget-requests/{made['id']}/withdraw"), 409, "conflict")
    # A new request may follow.
    r = await pm.post(
        f"{API}/projects/{project.id}/budget-requests",
        json={"reason": "r", "items": [{"line_id": str(venue.id), "amount": "100"}]},
    )
    assert r.status_code == 201, r.text


async def _race_requests(app: Any, org: OrgWithMembers) -> None:
    db: Database = app.state.db
    async with db.sessionmaker() as s:
        in_tenant(s, org.org.id)
        project, venue, _m = await plan_project(s, org)
        project_id, venue_id = project.id, venue.id
    clients = [await _client(app, org.members[Role.PROJECT_MANAGER]) for _ in range(3)]
    body = {"reason": "r", "items": [{"line_id": str(venue_id), "amount": "100"}]}
    responses = await asyncio.gather(
        *(c.post(f"{API}/projects/{project_id}/budget-requests", json=body) for c in clients)
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409], [r.text for r in responses]
    async with db.sessionmaker() as s:
        in_tenant(s, org.org.id)
        assert await count(s, BudgetRequest) == 1
    for c in clients:
        await c.aclose()


@pytest.mark.postgres
async def test_racing_requests_leave_one_pending_on_postgres(pg_app: FileApp) -> None:
    await _race_requests(*pg_app)


async def test_racing_requests_leave_one_pending_on_sqlite(file_app: FileApp) -> None:
    await _race_requests(*file_app)


async def test_project_thresholds_are_set_checked_and_announced_at_once(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, venue, _travel, _phase = await budgeted_project(session, org)
    fin = await api(Role.FINANCE)
    r = await fin.post(
        f"{API}/projects/{project.id}/costs", json=cost(amount="6000", line_id=str(venue.id))
    )
    assert r.status_code == 201, r.text  # 60 % of the venue line: quiet at 80 / 100
    url = f"{API}/projects/{project.id}/budget-settings"
    body = problem(
        await fin.put(url, json={"warn_percent": "95", "critical_percent": "90"}),
        422,
        "validation-failed",
    )
    assert body["errors"][0]["field"] == "warn_percent"
    problem(await fin.put(url, json={"warn_percent": "0"}), 422, "validation-failed")
    problem(await fin.put(url, json={"warn_percent": "abc"}), 422, "validation-failed")
    # Only a warning above the organisation's critical 100 is refused too.
    problem(await fin.put(url, json={"warn_percent": "120"}), 422, "validation-failed")

    r = await fin.put(url, json={"warn_percent": "50", "critical_percent": None})
    assert r.status_code == 200, r.text
    assert r.json() == {"warn_percent": "50.00", "critical_percent": "100", "source": "project"}
    kinds = (
        await session.scalars(
            select(Notification.kind).where(
                Notification.recipient_member_id == org.members[Role.PROJECT_MANAGER].id
            )
        )
    ).all()
    assert list(kinds) == ["budget.warn"]  # the venue line is past the new 50 % at once
    summary = (await fin.get(f"{API}/projects/{project.id}/budget")).json()
    assert summary["thresholds"]["source"] == "project"
    # Back to the organisation's.
    r = await fin.put(url, json={"warn_percent": None, "critical_percent": None})
    assert r.json()["source"] == "default"
