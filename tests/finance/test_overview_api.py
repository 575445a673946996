"""The organisation's money at a glance (issue 10): the overspend list (projects at or past a
threshold, as a whole or on a line) and the budget transparency figure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from mems.finance.categories import BudgetCategory
from mems.finance.figures import CostKind
from mems.finance.models import CostEntry, ProjectBudget
from mems.identity.models import OrgSetting
from mems.identity.permissions import Role
from mems.projects.lifecycle import ProjectStatus
from mems.projects.models import Project
from tests.checkins.helpers import API, problem
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.finance.test_costs_api import budgeted_project


def spend(
    project: Project,
    amount: str,
    *,
    line_id: object = None,
    day: date = date(2026, 3, 2),
    kind: CostKind = CostKind.ACTUAL,
) -> CostEntry:
    return CostEntry(
        org_id=project.org_id,
        project_id=project.id,
        line_id=line_id,
        category=BudgetCategory.OTHER if line_id is None else BudgetCategory.VENUE,
        kind=kind,
        amount=Decimal(amount),
        currency=project.currency,
        rate=Decimal(1),
        amount_project=Decimal(amount),
        incurred_on=day,
    )


async def test_the_overspend_list_shows_projects_and_lines_past_their_thresholds(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    # Venue 10,000 + travel 5,000 approved on each.
    calm, calm_venue, _t, _p = await budgeted_project(session, org, commit=False)
    line_hot, hot_venue, _t2, _p2 = await budgeted_project(session, org, commit=False)
    over, over_venue, over_travel, _p3 = await budgeted_project(session, org, commit=False)
    strict, strict_venue, _t4, _p4 = await budgeted_project(session, org, commit=False)
    closed, closed_venue, _t5, _p5 = await budgeted_project(
        session, org, status=ProjectStatus.CLOSED, commit=False
    )
    foreign, foreign_venue, _t6, _p6 = await budgeted_project(session, other_org, commit=False)
    session.add_all(
        [
            spend(calm, "7000", line_id=calm_venue.id),  # 70 % of venue, 47 % overall
            spend(line_hot, "8500", line_id=hot_venue.id),  # venue 85 %, project 57 %
            spend(over, "9000", line_id=over_venue.id, kind=CostKind.COMMITTED),
            spend(over, "5200", line_id=over_travel.id),  # travel 104 %
            spend(over, "1800"),  # unbudgeted: the project 16,000 of 15,000
            spend(strict, "6000", line_id=strict_venue.id),  # 60 %: past its own 50 %
            ProjectBudget(org_id=org.org.id, project_id=strict.id, warn_percent=Decimal(50)),
            spend(closed, "9999", line_id=closed_venue.id),
            spend(foreign, "9999", line_id=foreign_venue.id),
        ]
    )
    await session.commit()

    c = await api(Role.FINANCE)
    r = await c.get(f"{API}/finance/overspend")
    assert r.status_code == 200, r.text
    rows = r.json()
    # The worst first: a project over its budget, then those with a line past a threshold.
    assert [row["code"] for row in rows] == [over.code, line_hot.code, strict.code]
    first = rows[0]
    assert first["level"] == "critical"
    assert Decimal(first["budget"]) == 15000
    assert Decimal(first["used"]) == 16000
    assert Decimal(first["used_percent"]) == Decimal("106.67")
    assert [(line["name"], line["level"]) for line in first["lines"]] == [
        ("差旅", "critical"),
        ("场地费", "warn"),
    ]
    assert Decimal(first["lines"][1]["used"]) == 9000  # committed money counts
    second = rows[1]
    assert second["level"] == "ok"  # the project is fine; its venue line is not
    assert [(line["name"], line["level"]) for line in second["lines"]] == [("场地费", "warn")]
    third = rows[2]
    assert third["level"] == "ok"
    assert Decimal(third["warn_percent"]) == 50  # its own: 60 % of the venue line warns
    assert [line["name"] for line in third["lines"]] == ["场地费"]

    # The organisation's thresholds apply to projects without their own.
    session.add(OrgSetting(org_id=org.org.id, key="finance.warn_percent", value=65))
    await session.commit()
    codes = [row["code"] for row in (await c.get(f"{API}/finance/overspend")).json()]
    assert calm.code in codes

    # A project manager's own; a member may not read budgets.
    pm = await api(Role.PROJECT_MANAGER)
    mine = (await pm.get(f"{API}/finance/overspend?mine=true")).json()
    assert {row["code"] for row in mine} == set(codes)  # the org's PM manages them all
    assert (await (await api(Role.DIRECTOR)).get(f"{API}/finance/overspend?mine=true")).json() == []
    problem(await (await api(Role.MEMBER)).get(f"{API}/finance/overspend"), 403, "forbidden")
    # The other organisation sees only its own.
    theirs = (await (await api(Role.FINANCE, other_org)).get(f"{API}/finance/overspend")).json()
    assert [row["code"] for row in theirs] == [foreign.code]


async def test_transparency_is_the_share_of_spend_on_budget_lines(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    one, venue, _t, _p = await budgeted_project(session, org, commit=False)
    two, venue2, _t2, _p2 = await budgeted_project(session, org, commit=False)
    two.currency = "USD"
    foreign, _fv, _t3, _p3 = await budgeted_project(session, other_org, commit=False)
    session.add_all(
        [
            spend(one, "900", line_id=venue.id),
            spend(one, "100"),  # on no line
            spend(one, "5000", line_id=venue.id, day=date(2025, 12, 31)),  # before the period
            spend(two, "50.50", line_id=venue2.id, kind=CostKind.COMMITTED),
            spend(foreign, "777", day=date(2026, 3, 3)),
        ]
    )
    await session.commit()
    c = await api(Role.DIRECTOR)
    r = await c.get(f"{API}/finance/transparency?first=2026-01-01&last=2026-12-31")
    assert r.status_code == 200, r.text
    body = r.json()
    assert Decimal(body["target_percent"]) == 95
    by_currency = {row["currency"]: row for row in body["currencies"]}
    assert set(by_currency) == {"CNY", "USD"}
    cny = by_currency["CNY"]
    assert (Decimal(cny["recorded"]), Decimal(cny["on_lines"]), Decimal(cny["unlinked"])) == (
        1000,
        900,
        100,
    )
    assert Decimal(cny["share_percent"]) == 90
    assert (cny["entries"], cny["entries_on_lines"]) == (2, 1)
    assert Decimal(by_currency["USD"]["share_percent"]) == 100
    assert {p["code"] for p in body["projects"]} == {one.code, two.code}

    everything = (
        await c.get(f"{API}/finance/transparency?first=2025-01-01&last=2026-12-31")
    ).json()
    cny = {row["currency"]: row for row in everything["currencies"]}["CNY"]
    assert Decimal(cny["recorded"]) == 6000
    empty = (await c.get(f"{API}/finance/transparency?first=2030-01-01&last=2030-01-31")).json()
    assert empty["currencies"] == []
    assert empty["projects"] == []

    body = problem(
        await c.get(f"{API}/finance/transparency?first=2026-02-01&last=2026-01-01"),
        422,
        "validation-failed",
    )
    assert body["errors"][0]["field"] == "first"
    problem(await c.get(f"{API}/finance/transparency?first=20260101"), 422, "validation-failed")
