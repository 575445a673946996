"""The cost ledger (issue 10): recording costs on a registered project, the budget summary
computed from SQL sums, and overspend warnings told once per crossing."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.db import Database
from mems.core.tenancy import in_tenant
from mems.finance.categories import BudgetCategory
from mems.finance.models import BudgetLine, BudgetLineState, CostEntry
from mems.identity.models import OrgSetting
from mems.identity.permissions import Role
from mems.notifications.models import Notification
from mems.projects.lifecycle import ProjectStatus
from mems.projects.models import Project
from mems.work.models import Phase
from tests.checkins.helpers import API, count, fields_of, make_project, problem
from tests.conftest import ApiFactory, FileApp
from tests.core.test_races import _client
from tests.factories import OrgWithMembers
from tests.permission_matrix import audit_rows


async def budgeted_project(
    session: AsyncSession,
    org: OrgWithMembers,
    *,
    status: ProjectStatus = ProjectStatus.ACTIVE,
    venue: str = "10000.00",
    commit: bool = True,
) -> tuple[Project, BudgetLine, BudgetLine, Phase]:
    """An active project managed by the org's PM with an approved venue line (10,000), an
    approved travel line (5,000) in its one phase."""
    project = await make_project(session, org, commit=False)
    project.status = status
    phase = Phase(
        org_id=org.org.id,
        project_id=project.id,
        name="执行",
        position=0,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 6, 30),
    )
    session.add(phase)
    await session.flush()
    venue_line = BudgetLine(
        org_id=org.org.id,
        project_id=project.id,
        position=0,
        category=BudgetCategory.VENUE,
        name="场地费",
        amount=Decimal(venue),
        state=BudgetLineState.APPROVED,
    )
    travel = BudgetLine(
        org_id=org.org.id,
        project_id=project.id,
        position=1,
        category=BudgetCategory.TRAVEL,
        name="差旅",
        phase_id=phase.id,
        amount=Decimal("5000.00"),
        state=BudgetLineState.APPROVED,
    )
    session.add_all([venue_line, travel])
    await session.flush()
    if commit:
        await session.commit()
    return project, venue_line, travel, phase


def cost(**values: Any) -> dict[str, Any]:
    return {"kind": "actual", "amount": "100.00", "incurred_on": "2026-03-02", **values}


async def test_finance_records_a_cost_on_a_line_and_reads_it_back(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, venue, _travel, _phase = await budgeted_project(session, org)
    c = await api(Role.FINANCE)
    before = await audit_rows(session)
    r = await c.post(
        f"{API}/projects/{project.id}/costs",
        json=cost(amount="1234.50", line_id=str(venue.id), vendor="国展中心", description="定金"),
    )
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["category"] == "venue"  # the line's
    assert Decimal(made["amount"]) == Decimal("1234.50")
    assert made["currency"] == "CNY"
    assert Decimal(made["rate"]) == 1
    assert Decimal(made["amount_project"]) == Decimal("1234.50")
    assert made["source"] == "manual"
    assert made["recorded_by_member_id"] == str(org.members[Role.FINANCE].id)
    assert made["verified_at"] is None
    assert await audit_rows(session) == before + 1

    listed = (await c.get(f"{API}/projects/{project.id}/costs")).json()
    assert listed["total"] == 1
    assert listed["items"][0]["id"] == made["id"]
    assert (await c.get(f"{API}/projects/{project.id}/costs?kind=committed")).json()["total"] == 0
    assert (await c.get(f"{API}/projects/{project.id}/costs?line_id={venue.id}")).json()[
        "total"
    ] == 1
    assert (await c.get(f"{API}/projects/{project.id}/costs?category=travel")).json()["total"] == 0
    assert (await c.get(f"{API}/projects/{project.id}/costs?incurred_from=2026-03-03")).json()[
        "total"
    ] == 0
    assert (
        await c.get(
            f"{API}/projects/{project.id}/costs?incurred_from=2026-03-02&incurred_to=2026-03-02"
        )
    ).json()["total"] == 1

    verified = await c.post(f"{API}/costs/{made['id']}/verify")
    assert verified.status_code == 200, verified.text
    assert verified.json()["verified_by_member_id"] == str(org.members[Role.FINANCE].id)
    assert verified.json()["verified_at"] is not None
    problem(await c.post(f"{API}/costs/{made['id']}/verify"), 409, "conflict")


async def test_a_foreign_currency_is_converted_once_half_up(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, _venue, _travel, _phase = await budgeted_project(session, org)
    c = await api(Role.PROJECT_MANAGER)
    r = await c.post(
        f"{API}/projects/{project.id}/costs",
        json=cost(amount="100.01", currency="USD", rate="7.123450", category="materials"),
    )
    assert r.status_code == 201, r.text
    # 100.01 × 7.12345 = 712.4162… → 712.42
    assert Decimal(r.json()["amount_project"]) == Decimal("712.42")
    assert r.json()["category"] == "materials"


BAD: list[tuple[dict[str, Any], str]] = [
    ({"amount": "-5"}, "amount"),
    ({"amount": "0"}, "amount"),
    ({"amount": "0.00"}, "amount"),
    ({"amount": "abc"}, "amount"),
    ({"amount": "1.005"}, "amount"),
    ({"amount": "1" * 30}, "amount"),
    ({"amount": "1e400"}, "amount"),
    ({"amount": "NaN"}, "amount"),
    ({"amount": 12.5}, "amount"),
    ({"description": "定金\x00"}, "description"),
    ({"vendor": "国展\x00"}, "vendor"),
    ({"category": "catering"}, "category"),
    ({"kind": "planned"}, "kind"),
    ({"currency": "usd", "rate": "7"}, "currency"),
    ({"currency": "USD", "rate": "0"}, "rate"),
    ({"currency": "USD", "rate": "-7"}, "rate"),
    ({"incurred_on": "2026-02-30"}, "incurred_on"),
]


@pytest.mark.parametrize(("change", "field"), BAD, ids=[f for _, f in BAD])
async def test_bad_input_is_a_problem_naming_the_field_and_writes_nothing(
    change: dict[str, Any],
    field: str,
    api: ApiFactory,
    session: AsyncSession,
    org: OrgWithMembers,
) -> None:
    project, _venue, _travel, _phase = await budgeted_project(session, org)
    c = await api(Role.FINANCE)
    r = await c.post(
        f"{API}/projects/{project.id}/costs", json=cost(**{"category": "venue", **change})
    )
    got = problem(r, 422, "validation-failed")
    assert field in fields_of(got), got
    assert await count(session, CostEntry) == 0


async def test_lines_phases_and_currencies_are_checked_against_the_project(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, _venue, _travel, _phase = await budgeted_project(session, org)
    _other, other_line, _t, other_phase = await budgeted_project(session, org)
    c = await api(Role.FINANCE)
    url = f"{API}/projects/{project.id}/costs"
    cases = [
        (cost(line_id=str(other_line.id)), "line_id"),
        (cost(line_id=str(uuid.uuid4())), "line_id"),
        (cost(category="venue", phase_id=str(other_phase.id)), "phase_id"),
        (cost(), "category"),  # no line, no category
        (cost(category="venue", currency="USD"), "rate"),  # another currency needs its rate
        (cost(category="venue", rate="7"), "rate"),  # the project's own needs none
        (cost(category="venue", currency="USD", rate="0.000001", amount="0.01"), "amount"),
        (
            cost(category="venue", currency="USD", rate="999999999999", amount="99999999999"),
            "rate",
        ),
    ]
    for body, field in cases:
        got = problem(await c.post(url, json=body), 422, "validation-failed")
        assert fields_of(got) == [field], (body, got)
    assert await count(session, CostEntry) == 0


@pytest.mark.parametrize(
    "status",
    [ProjectStatus.DRAFT, ProjectStatus.SUBMITTED, ProjectStatus.CLOSED, ProjectStatus.CANCELLED],
)
async def test_only_a_registered_running_project_accepts_costs(
    status: ProjectStatus, api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, venue, _travel, _phase = await budgeted_project(session, org, status=status)
    c = await api(Role.FINANCE)
    r = await c.post(f"{API}/projects/{project.id}/costs", json=cost(line_id=str(venue.id)))
    body = problem(r, 409, "conflict")
    assert status.value in body["detail"]
    assert await count(session, CostEntry) == 0


async def test_a_project_manager_records_only_on_the_projects_they_manage(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, venue, _travel, _phase = await budgeted_project(session, org)
    project.owner_member_id = org.members[Role.DIRECTOR].id
    await session.commit()
    pm = await api(Role.PROJECT_MANAGER)
    r = await pm.post(f"{API}/projects/{project.id}/costs", json=cost(line_id=str(venue.id)))
    problem(r, 403, "forbidden")
    fin = await api(Role.FINANCE)
    r = await fin.post(f"{API}/projects/{project.id}/costs", json=cost(line_id=str(venue.id)))
    assert r.status_code == 201, r.text


async def _notes(session: AsyncSession, member_id: uuid.UUID) -> list[str]:
    rows = await session.scalars(
        select(Notification.kind)
        .where(Notification.recipient_member_id == member_id)
        .order_by(Notification.created_at, Notification.id)
    )
    return [k for k in rows if k.startswith("budget.")]


async def test_a_venue_line_crossing_its_thresholds_is_told_once_per_crossing(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    """70 % → 85 % (warn) → 90 % (nothing new) → 105 % (critical): the PM, finance and the
    director each get one warning and one critical alert about the line; the project as a
    whole (15,000 budget) crosses nothing until then."""
    project, venue, _travel, _phase = await budgeted_project(session, org)
    c = await api(Role.FINANCE)
    url = f"{API}/projects/{project.id}/costs"
    told = [
        org.members[Role.PROJECT_MANAGER].id,
        org.members[Role.FINANCE].id,
        org.members[Role.DIRECTOR].id,
    ]
    steps = [("7000.00", "actual", []), ("1500.00", "committed", ["budget.warn"])]
    steps += [("500.00", "actual", ["budget.warn"])]
    steps += [("1500.00", "actual", ["budget.warn", "budget.critical"])]
    for amount, kind, expected in steps:
        r = await c.post(url, json=cost(amount=amount, kind=kind, line_id=str(venue.id)))
        assert r.status_code == 201, r.text
        for member in told:
            assert await _notes(session, member) == expected, (amount, member)
    assert await _notes(session, org.members[Role.MEMBER].id) == []
    await session.refresh(venue)
    assert venue.alert_level == 2
    # 10,500 of 15,000 is 70 %: the project is fine.
    summary = (await c.get(f"{API}/projects/{project.id}/budget")).json()
    assert summary["project"]["level"] == "ok"
    assert [line["level"] for line in summary["lines"]] == ["critical", "ok"]
    notes = await session.scalars(
        select(Notification).where(Notification.recipient_member_id == told[0])
    )
    assert {(n.link_type, n.link_id) for n in notes} == {("project_budget", project.id)}


async def test_the_project_warns_too_and_project_thresholds_override_the_orgs(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    session.add_all(
        [
            OrgSetting(org_id=org.org.id, key="finance.warn_percent", value=50),
            OrgSetting(org_id=org.org.id, key="finance.critical_percent", value=90),
        ]
    )
    project, _venue, travel, _phase = await budgeted_project(session, org)
    c = await api(Role.FINANCE)
    url = f"{API}/projects/{project.id}/costs"
    # Travel at 60 % of 5,000 (warn), the project at 20 % of 15,000.
    assert (await c.post(url, json=cost(amount="3000", line_id=str(travel.id)))).status_code == 201
    pm = org.members[Role.PROJECT_MANAGER].id
    assert await _notes(session, pm) == ["budget.warn"]
    # Unbudgeted spend of 5,000 more: the project at 53 % (warn).
    r = await c.post(url, json=cost(amount="5000", category="other"))
    assert r.status_code == 201, r.text
    assert await _notes(session, pm) == ["budget.warn", "budget.warn"]
    summary = (await c.get(f"{API}/projects/{project.id}/budget")).json()
    thresholds = summary["thresholds"]
    assert Decimal(thresholds["warn_percent"]) == 50
    assert Decimal(thresholds["critical_percent"]) == 90
    assert thresholds["source"] == "organisation"
    assert summary["project"]["level"] == "warn"
    assert Decimal(summary["unbudgeted"]["actual"]) == 5000


async def test_the_summary_adds_up_to_the_cent(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, venue, travel, phase = await budgeted_project(session, org)
    c = await api(Role.FINANCE)
    url = f"{API}/projects/{project.id}/costs"
    bodies = [
        cost(amount="1000.01", line_id=str(venue.id)),
        cost(amount="333.33", kind="committed", line_id=str(venue.id)),
        cost(amount="250.50", line_id=str(travel.id)),
        cost(amount="99.99", category="materials", phase_id=str(phase.id)),
        cost(amount="10", currency="USD", rate="7.1", category="ad_spend"),
    ]
    for body in bodies:
        assert (await c.post(url, json=body)).status_code == 201
    s = (await c.get(f"{API}/projects/{project.id}/budget")).json()
    d = Decimal
    assert d(s["project"]["budget"]) == d("15000.00")
    assert d(s["project"]["actual"]) == d("1000.01") + d("250.50") + d("99.99") + d("71.00")
    assert d(s["project"]["committed"]) == d("333.33")
    assert s["project"]["entries"] == 5
    for part in ("lines", "by_category", "by_phase"):
        groups = s[part] + ([s["unbudgeted"]] if part == "lines" else [])
        for key in ("budget", "actual", "committed", "used"):
            assert sum(d(g[key]) for g in groups) == d(s["project"][key]), (part, key)
        assert sum(g["entries"] for g in groups) == 5
    for part in ("by_category", "by_phase"):
        assert sum(d(g["share_percent"]) for g in s[part]) == d("100.00")
    venue_row = next(line for line in s["lines"] if line["id"] == str(venue.id))
    assert d(venue_row["used"]) == d("1333.34")
    assert d(venue_row["remaining"]) == d("8666.66")
    assert d(venue_row["used_percent"]) == d("13.33")
    phases = {p["phase_id"]: p for p in s["by_phase"]}
    assert d(phases[str(phase.id)]["used"]) == d("250.50") + d("99.99")
    assert s["burn"]["forecast_by_time"]["basis"] == "elapsed_time"
    assert s["burn"]["forecast_by_progress"]["basis"] == "progress"
    assert s["burn"]["forecast_by_progress"]["at_completion"] is None  # no tasks, no progress
    assert s["currency"] == "CNY"


async def test_another_organisations_project_and_cost_are_not_found(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    project, venue, _travel, _phase = await budgeted_project(session, other_org)
    entry = CostEntry(
        org_id=other_org.org.id,
        project_id=project.id,
        line_id=venue.id,
        category=BudgetCategory.VENUE,
        kind="actual",
        amount=Decimal(5),
        currency="CNY",
        rate=Decimal(1),
        amount_project=Decimal(5),
        incurred_on=date(2026, 3, 1),
    )
    session.add(entry)
    await session.commit()
    c = await api(Role.ADMIN)
    for r in (
        await c.post(f"{API}/projects/{project.id}/costs", json=cost(line_id=str(venue.id))),
        await c.get(f"{API}/projects/{project.id}/costs"),
        await c.get(f"{API}/projects/{project.id}/budget"),
        await c.post(f"{API}/costs/{entry.id}/verify"),
    ):
        problem(r, 404, "not-found")
    assert await count(session, CostEntry) == 1


async def _race_crossing(app: Any, org: OrgWithMembers) -> None:
    """Two costs of 50 race on a line at 70 % of 1,000: whichever is measured second takes it
    to 80 %, so exactly one warning is told — never none (each missing the other), never
    two (each seeing the other)."""
    db: Database = app.state.db
    async with db.sessionmaker() as s:
        in_tenant(s, org.org.id)
        project, venue, _travel, _phase = await budgeted_project(s, org, venue="1000.00")
        s.add(
            CostEntry(
                org_id=org.org.id,
                project_id=project.id,
                line_id=venue.id,
                category=BudgetCategory.VENUE,
                kind="actual",
                amount=Decimal(700),
                currency="CNY",
                rate=Decimal(1),
                amount_project=Decimal(700),
                incurred_on=date(2026, 3, 1),
            )
        )
        await s.commit()
        project_id, venue_id = project.id, venue.id
    clients = [await _client(app, org.members[Role.FINANCE]) for _ in range(2)]
    url = f"{API}/projects/{project_id}/costs"
    body = cost(amount="50.00", kind="committed", line_id=str(venue_id))
    responses = await asyncio.gather(*(c.post(url, json=body) for c in clients))
    assert [r.status_code for r in responses] == [201, 201], [r.text for r in responses]
    async with db.sessionmaker() as s:
        in_tenant(s, org.org.id)
        kinds = (
            await s.scalars(
                select(Notification.kind).where(
                    Notification.recipient_member_id == org.members[Role.PROJECT_MANAGER].id,
                    Notification.link_id == project_id,
                )
            )
        ).all()
    assert kinds == ["budget.warn"]
    for c in clients:
        await c.aclose()


@pytest.mark.postgres
async def test_racing_costs_tell_a_crossing_exactly_once_on_postgres(pg_app: FileApp) -> None:
    await _race_crossing(*pg_app)


async def test_racing_costs_tell_a_crossing_exactly_once_on_sqlite(file_app: FileApp) -> None:
    await _race_crossing(*file_app)


async def test_one_cost_reads_with_its_project_for_budget_readers(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    project, venue, _travel, _phase = await budgeted_project(session, org)
    fin = await api(Role.FINANCE)
    made = (
        await fin.post(
            f"{API}/projects/{project.id}/costs", json=cost(amount="88.80", line_id=str(venue.id))
        )
    ).json()
    r = await (await api(Role.VIEWER)).get(f"{API}/costs/{made['id']}")
    assert r.status_code == 200, r.text
    one = r.json()
    assert (one["id"], one["amount"], one["project_code"], one["project_name"]) == (
        made["id"],
        "88.80",
        project.code,
        project.name,
    )
    assert one["receipt_count"] == 0
    problem(await (await api(Role.MEMBER)).get(f"{API}/costs/{made['id']}"), 403, "forbidden")
    problem(
        await (await api(Role.FINANCE, other_org)).get(f"{API}/costs/{made['id']}"),
        404,
        "not-found",
    )
    problem(await fin.get(f"{API}/costs/{uuid.uuid4()}"), 404, "not-found")
