"""Labour cost derived from the work (issue 10): actual hours on leaf tasks × the person's
hourly rate, one ledger entry per person and project, kept current and counted everywhere."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.audit import AuditLog
from mems.core.tenancy import ALL_TENANTS, in_tenant, tenant_of
from mems.finance import labour
from mems.finance.categories import BudgetCategory
from mems.finance.models import BudgetLine, BudgetLineState, CostEntry, CostSource
from mems.identity.permissions import Role
from mems.notifications.models import Notification
from mems.resources.models import Resource, ResourceKind
from tests.checkins.helpers import API, make_task, problem
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.finance.test_costs_api import budgeted_project


def person(org: OrgWithMembers, role: Role, rate: str, currency: str = "CNY") -> Resource:
    member = org.members[role]
    return Resource(
        org_id=org.org.id,
        kind=ResourceKind.PERSON,
        name=f"人员-{role.value}",
        name_key=f"人员-{role.value}",
        member_id=member.id,
        capacity_hours_week=Decimal(40),
        cost_rate=Decimal(rate),
        currency=currency,
    )


async def labour_entries(session: AsyncSession, project_id: object) -> list[CostEntry]:
    return list(
        (
            await session.scalars(
                select(CostEntry).where(
                    CostEntry.project_id == project_id, CostEntry.source == CostSource.LABOUR
                )
            )
        ).all()
    )


async def test_hours_times_rates_become_labour_entries_that_follow_the_work(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, _venue, _travel, _phase = await budgeted_project(session, org, commit=False)
    line = BudgetLine(
        org_id=org.org.id,
        project_id=project.id,
        position=5,
        category=BudgetCategory.LABOUR,
        name="人力",
        amount=Decimal(5000),
        state=BudgetLineState.APPROVED,
    )
    session.add_all(
        [line, person(org, Role.MEMBER, "200.00"), person(org, Role.DIRECTOR, "50", "USD")]
    )
    member = org.members[Role.MEMBER].id
    leaf = await make_task(session, project, member, title="设计", commit=False)
    leaf.actual_hours = Decimal("12.5")
    parent = await make_task(session, project, member, title="汇总", commit=False)
    parent.actual_hours = Decimal(99)  # a summary's hours are its subtasks'
    child = await make_task(session, project, member, title="子任务", commit=False)
    child.parent_id, child.actual_hours = parent.id, Decimal("7.5")
    # The director's rate is in dollars: the CNY project cannot price it.
    theirs = await make_task(session, project, org.members[Role.DIRECTOR].id, commit=False)
    theirs.actual_hours = Decimal(3)
    # The PM has no person resource: unpriced.
    pm_task = await make_task(session, project, org.members[Role.PROJECT_MANAGER].id, commit=False)
    pm_task.actual_hours = Decimal(2)
    await session.commit()

    fin = await api(Role.FINANCE)
    url = f"{API}/projects/{project.id}/labour-costs/sync"
    r = await fin.post(url)
    assert r.status_code == 200, r.text
    assert r.json() == {"made": 1, "changed": 0, "removed": 0, "unpriced_hours": "5.00"}
    (entry,) = await labour_entries(session, project.id)
    assert entry.amount_project == Decimal("4000.00")  # 20 h × 200
    assert entry.line_id == line.id
    assert entry.labour_member_id == member
    assert entry.category == BudgetCategory.LABOUR
    summary = (await fin.get(f"{API}/projects/{project.id}/budget")).json()
    labour_line = next(x for x in summary["lines"] if x["name"] == "人力")
    assert Decimal(labour_line["actual"]) == 4000
    assert labour_line["level"] == "warn"  # 80 % of 5,000
    pm_notes = (
        await session.scalars(
            select(Notification.kind).where(
                Notification.recipient_member_id == org.members[Role.PROJECT_MANAGER].id
            )
        )
    ).all()
    assert list(pm_notes) == ["budget.warn"]

    # Nothing changed: nothing written.
    assert (await fin.post(url)).json()["made"] == 0
    assert (await fin.post(url)).json()["changed"] == 0
    # More hours: the same entry follows.
    leaf.actual_hours = Decimal("22.5")
    await session.commit()
    assert (await fin.post(url)).json()["changed"] == 1
    (entry,) = await labour_entries(session, project.id)
    await session.refresh(entry)
    assert entry.amount_project == Decimal("6000.00")
    # No hours left: the entry goes.
    for task in (leaf, child):
        task.actual_hours = None
    await session.commit()
    assert (await fin.post(url)).json()["removed"] == 1
    assert await labour_entries(session, project.id) == []
    removed = (
        await session.scalars(
            select(AuditLog).where(AuditLog.entity_id == str(entry.id), AuditLog.action == "delete")
        )
    ).all()
    assert [(r.before or {}).get("amount_project") for r in removed] == ["6000.00"]


async def test_the_hourly_job_prices_every_organisations_running_projects(
    session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    ours, _v, _t, _p = await budgeted_project(session, org, commit=False)
    theirs, _v2, _t2, _p2 = await budgeted_project(session, other_org, commit=False)
    session.add_all([person(org, Role.MEMBER, "100"), person(other_org, Role.MEMBER, "300")])
    for project, who in ((ours, org), (theirs, other_org)):
        task = await make_task(session, project, who.members[Role.MEMBER].id, commit=False)
        task.actual_hours = Decimal(10)
    await session.commit()
    before = tenant_of(session)
    in_tenant(session, ALL_TENANTS)
    try:
        done = await labour.sync_all(session)
    finally:
        in_tenant(session, before)  # type: ignore[arg-type]
    assert done.made >= 2
    in_tenant(session, ALL_TENANTS)
    try:
        amounts = {
            e.project_id: e.amount_project
            for e in await labour_entries(session, ours.id)
            + await labour_entries(session, theirs.id)
        }
    finally:
        in_tenant(session, before)  # type: ignore[arg-type]
    assert amounts == {ours.id: Decimal("1000.00"), theirs.id: Decimal("3000.00")}


async def test_only_finance_or_the_manager_prices_and_others_are_not_found(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    project, _v, _t, _p = await budgeted_project(session, org)
    url = f"{API}/projects/{project.id}/labour-costs/sync"
    assert (await (await api(Role.PROJECT_MANAGER)).post(url)).status_code == 200
    problem(await (await api(Role.MEMBER)).post(url), 403, "forbidden")
    problem(await (await api(Role.VIEWER)).post(url), 403, "forbidden")
    problem(await (await api(Role.FINANCE, other_org)).post(url), 404, "not-found")
