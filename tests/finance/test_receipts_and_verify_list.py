"""A cost's receipts (collab's files on subject `cost`: read with the project's budget, attached
by whoever may record costs on the project) and finance's list of the organisation's costs to
verify (GET /costs), each with its project and its receipts counted."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.collab.models import Attachment
from mems.config import Settings
from mems.core.clock import utcnow
from mems.finance.categories import BudgetCategory
from mems.finance.figures import CostKind
from mems.finance.models import CostEntry
from mems.identity.permissions import Role
from mems.projects.models import Project
from tests.checkins.helpers import API, count, fields_of, problem
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.finance.test_costs_api import budgeted_project

PDF = b"%PDF-1.4\n%receipt\n"


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(update={"storage_url": str(tmp_path / "store")})


async def add_cost(
    session: AsyncSession,
    project: Project,
    *,
    amount: str = "10",
    kind: CostKind = CostKind.ACTUAL,
    category: BudgetCategory = BudgetCategory.VENUE,
    on: date = date(2026, 3, 1),
    verified: bool = False,
) -> CostEntry:
    entry = CostEntry(
        org_id=project.org_id,
        project_id=project.id,
        category=category,
        kind=kind,
        amount=Decimal(amount),
        currency="CNY",
        rate=Decimal(1),
        amount_project=Decimal(amount),
        incurred_on=on,
        verified_at=utcnow() if verified else None,
    )
    session.add(entry)
    await session.commit()
    return entry


def receipts(cost: CostEntry) -> str:
    return f"{API}/discussions/cost/{cost.id}/attachments"


def pdf(name: str = "发票.pdf") -> dict[str, Any]:
    return {"file": (name, PDF, "application/pdf")}


async def test_receipts_are_attached_listed_and_counted_on_the_ledger(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, _venue, _travel, _phase = await budgeted_project(session, org)
    cost = await add_cost(session, project)
    fin = await api(Role.FINANCE)
    r = await fin.post(receipts(cost), files=pdf())
    assert r.status_code == 201, r.text
    assert r.json()["subject_type"] == "cost"
    pm = await api(Role.PROJECT_MANAGER)  # manages the project: records costs on it
    assert (await pm.post(receipts(cost), files=pdf("收据.pdf"))).status_code == 201
    listed = (await (await api(Role.VIEWER)).get(receipts(cost))).json()
    assert {i["filename"] for i in listed["items"]} == {"发票.pdf", "收据.pdf"}
    stored = await session.get(Attachment, uuid.UUID(r.json()["id"]))
    assert stored is not None
    assert stored.project_id == project.id  # the project's activity shows it

    ledger = (await fin.get(f"{API}/projects/{project.id}/costs")).json()
    assert [i["receipt_count"] for i in ledger["items"]] == [2]
    verified = (await fin.post(f"{API}/costs/{cost.id}/verify")).json()
    assert verified["receipt_count"] == 2
    made = await fin.post(
        f"{API}/projects/{project.id}/costs",
        json={"kind": "actual", "amount": "5", "incurred_on": "2026-03-02", "category": "other"},
    )
    assert made.json()["receipt_count"] == 0


async def test_who_reads_and_attaches_receipts(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, _venue, _travel, _phase = await budgeted_project(session, org)
    project.owner_member_id = org.members[Role.DIRECTOR].id
    await session.commit()
    cost = await add_cost(session, project)
    member, viewer = await api(Role.MEMBER), await api(Role.VIEWER)
    # A member reads no budgets, so no receipts; a viewer reads them, attaches none.
    body = problem(await member.get(receipts(cost)), 403, "forbidden")
    assert "budget:read" in body["detail"]
    problem(await member.post(receipts(cost), files=pdf()), 403, "forbidden")
    assert (await viewer.get(receipts(cost))).status_code == 200
    problem(await viewer.post(receipts(cost), files=pdf()), 403, "forbidden")
    # A project manager reads every project's budget, records only on their own projects.
    the_pm = await api(Role.PROJECT_MANAGER)
    assert (await the_pm.get(receipts(cost))).status_code == 200
    problem(await the_pm.post(receipts(cost), files=pdf()), 403, "forbidden")
    assert await count(session, Attachment) == 0
    # Whoever may see a cost's receipts may be mentioned on it, nobody else.
    fin = await api(Role.FINANCE)
    comments = f"{API}/discussions/cost/{cost.id}/comments"

    def mention(role: Role) -> dict[str, str]:
        return {"body": f"@[{role.value}]({org.members[role].id}) 请补发票"}

    r = await fin.post(comments, json=mention(Role.MEMBER))
    assert fields_of(problem(r, 422, "validation-failed")) == ["body"]
    assert (await fin.post(comments, json=mention(Role.DIRECTOR))).status_code == 201


async def test_another_organisations_cost_has_no_receipts_to_show(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    theirs, _v, _t, _p = await budgeted_project(session, other_org)
    cost = await add_cost(session, theirs)
    admin = await api(Role.ADMIN)
    problem(await admin.get(receipts(cost)), 404, "not-found")
    problem(await admin.post(receipts(cost), files=pdf()), 404, "not-found")
    problem(
        await admin.post(f"{API}/discussions/cost/{cost.id}/comments", json={"body": "x"}),
        404,
        "not-found",
    )
    assert await count(session, Attachment) == 0


async def test_finance_lists_the_costs_to_verify_across_projects(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    first, _v, _t, _p = await budgeted_project(session, org)
    second, _v, _t, _p = await budgeted_project(session, org)
    a = await add_cost(session, first, amount="100", on=date(2026, 3, 1))
    b = await add_cost(
        session,
        second,
        amount="200",
        on=date(2026, 3, 5),
        kind=CostKind.COMMITTED,
        category=BudgetCategory.TRAVEL,
    )
    done = await add_cost(session, first, amount="300", on=date(2026, 3, 3), verified=True)
    theirs, _v, _t, _p = await budgeted_project(session, other_org)
    await add_cost(session, theirs, amount="999")
    fin = await api(Role.FINANCE)
    assert (await fin.post(receipts(a), files=pdf())).status_code == 201

    async def ids(query: str = "") -> list[str]:
        r = await fin.get(f"{API}/costs{query}")
        assert r.status_code == 200, r.text
        return [i["id"] for i in r.json()["items"]]

    # Latest day first; another organisation's costs never appear.
    assert await ids() == [str(b.id), str(done.id), str(a.id)]
    assert await ids("?verified=false") == [str(b.id), str(a.id)]
    assert await ids("?verified=true") == [str(done.id)]
    assert await ids(f"?project_id={first.id}") == [str(done.id), str(a.id)]
    assert await ids("?kind=committed") == [str(b.id)]
    assert await ids("?category=travel") == [str(b.id)]
    assert await ids("?incurred_from=2026-03-02&incurred_to=2026-03-04") == [str(done.id)]
    assert await ids(f"?project_id={theirs.id}") == []
    page = (await fin.get(f"{API}/costs?verified=false&limit=1&offset=1")).json()
    assert (page["total"], page["limit"], page["offset"]) == (2, 1, 1)
    (row,) = page["items"]
    assert row["id"] == str(a.id)
    assert (row["project_code"], row["project_name"]) == (first.code, first.name)
    assert row["receipt_count"] == 1
    assert Decimal(row["amount_project"]) == Decimal("100.00")
    past = (await fin.get(f"{API}/costs?offset=10")).json()
    assert (past["items"], past["total"]) == ([], 3)
    for role in (Role.DIRECTOR, Role.PROJECT_MANAGER, Role.MEMBER, Role.VIEWER):
        problem(await (await api(role)).get(f"{API}/costs"), 403, "forbidden")
