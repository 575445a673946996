"""Allocations, the workload and conflicts (issue 10): resources booked for the projects one
manages, within their dates; a booking that overloads someone is saved with its conflicts; the
workload per person and ISO week; bad input refused whole, nothing written."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.identity.permissions import Role
from mems.projects.lifecycle import ProjectStatus
from mems.resources.models import Allocation, ResourceKind
from mems.work.models import CalendarDay
from tests.checkins.helpers import count, fields_of, make_task, problem
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.permission_matrix import audit_rows
from tests.resources.helpers import API, MON, make_allocation, make_project, make_resource

FRI = MON + timedelta(days=4)


def person_booking(resource_id: Any, hours: str = "8", **values: Any) -> dict[str, Any]:
    return {
        "resource_id": str(resource_id),
        "starts_on": MON.isoformat(),
        "ends_on": FRI.isoformat(),
        "hours_per_day": hours,
        **values,
    }


async def test_a_pm_books_a_person_and_sees_hours_and_cost(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    person = await make_resource(
        session, org, ResourceKind.PERSON, "陈晨", cost_rate=Decimal("150.00")
    )
    task = await make_task(session, project, None)
    pm = await api(Role.PROJECT_MANAGER)
    r = await pm.post(
        f"{API}/projects/{project.id}/allocations",
        json=person_booking(person.id, "6", task_id=str(task.id), note="脚本撰写"),
    )
    assert r.status_code == 201, r.text
    saved = r.json()
    assert saved["conflicts"] == []
    assert saved["resource_name"] == "陈晨"
    assert saved["resource_kind"] == "person"
    assert (saved["project_code"], saved["project_name"]) == (project.code, project.name)
    assert saved["task_id"] == str(task.id)
    assert (saved["working_days"], saved["planned_hours"], saved["planned_cost"]) == (
        5,
        "30.00",
        "4500.00",
    )
    assert saved["hours_per_day"] == "6.00"
    assert saved["quantity"] is None

    got = await pm.get(f"{API}/allocations/{saved['id']}")
    assert got.headers["etag"] == '"1"'
    assert got.json() == {k: v for k, v in saved.items() if k != "conflicts"}
    by_project = (await pm.get(f"{API}/projects/{project.id}/allocations")).json()
    by_resource = (await pm.get(f"{API}/resources/{person.id}/allocations")).json()
    assert [i["id"] for i in by_project["items"]] == [saved["id"]]
    assert by_resource["items"] == by_project["items"]
    later = await pm.get(f"{API}/resources/{person.id}/allocations", params={"from": "2026-12-05"})
    assert later.json()["total"] == 0

    # A member reads allocations but not what they cost.
    member = await api(Role.MEMBER)
    seen = (await member.get(f"{API}/allocations/{saved['id']}")).json()
    assert seen["planned_hours"] == "30.00"
    assert seen["planned_cost"] is None


async def test_overloading_a_person_is_saved_with_the_conflict_and_shows_in_the_workload(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    launch = await make_project(session, org)
    show = await make_project(session, org)
    person = await make_resource(session, org, ResourceKind.PERSON, "孙悦")
    idle = await make_resource(session, org, ResourceKind.PERSON, "周航")
    pm = await api(Role.PROJECT_MANAGER)
    first = await pm.post(
        f"{API}/projects/{launch.id}/allocations", json=person_booking(person.id, "6")
    )
    assert first.json()["conflicts"] == []
    second = await pm.post(
        f"{API}/projects/{show.id}/allocations",
        json=person_booking(person.id, "4", ends_on=(MON + timedelta(days=9)).isoformat()),
    )
    assert second.status_code == 201, second.text
    [conflict] = second.json()["conflicts"]
    assert conflict["kind"] == "over_capacity"
    assert (conflict["starts_on"], conflict["ends_on"]) == ("2026-11-30", "2026-12-06")
    assert (conflict["hours"], conflict["capacity"]) == ("50.00", "40.00")
    assert {p["id"] for p in conflict["projects"]} == {str(launch.id), str(show.id)}
    assert set(conflict["allocation_ids"]) == {first.json()["id"], second.json()["id"]}

    r = await pm.get(f"{API}/workload", params={"from": "2026-12-02", "weeks": 2})
    assert r.status_code == 200, r.text
    load = r.json()
    assert load["starts_on"] == "2026-11-30"
    assert load["weeks"] == ["2026-11-30", "2026-12-07"]
    people = {p["name"]: p for p in load["people"]}
    assert set(people) == {"孙悦", "周航"}
    busy, next_week = people["孙悦"]["weeks"]
    assert (busy["hours"], busy["capacity"], busy["load_percent"], busy["over"]) == (
        "50.00",
        "40.00",
        "125.0",
        True,
    )
    assert [(p["id"], p["hours"]) for p in busy["projects"]] == [
        (str(launch.id), "30.00"),
        (str(show.id), "20.00"),
    ]
    assert (next_week["hours"], next_week["over"]) == ("12.00", False)
    assert all(w["hours"] == "0.00" for w in people["周航"]["weeks"])
    assert people["周航"]["resource_id"] == str(idle.id)

    conflicts = await pm.get(
        f"{API}/resource-conflicts", params={"from": "2026-11-30", "to": "2026-12-13"}
    )
    assert [c["kind"] for c in conflicts.json()] == ["over_capacity"]

    # Easing the second booking clears the conflict.
    url = f"{API}/allocations/{second.json()['id']}"
    eased = await pm.patch(url, json={"hours_per_day": "2", "version": 1})
    assert eased.status_code == 200, eased.text
    assert eased.json()["conflicts"] == []
    assert eased.headers["etag"] == '"2"'


async def test_the_workload_follows_the_organisations_calendar(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    person = await make_resource(session, org, ResourceKind.PERSON, "郑凯")
    await make_allocation(session, project, person, MON, FRI, hours="8")
    session.add(
        CalendarDay(org_id=org.org.id, day=MON + timedelta(days=2), working=False, name="团建")
    )
    await session.commit()
    c = await api(Role.VIEWER)
    load = (await c.get(f"{API}/workload", params={"from": MON.isoformat(), "weeks": 1})).json()
    [week] = load["people"][0]["weeks"]
    assert (week["working_days"], week["capacity"], week["hours"]) == (4, "32.00", "32.00")


async def test_cancelled_projects_book_no_one_and_retired_people_leave_the_workload(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    cancelled = await make_project(session, org, status=ProjectStatus.CANCELLED)
    running = await make_project(session, org)
    retired = await make_resource(session, org, ResourceKind.PERSON, "离职者", active=False)
    booked_retired = await make_resource(session, org, ResourceKind.PERSON, "返聘者", active=False)
    await make_allocation(session, cancelled, retired, MON, FRI, hours="8")
    await make_allocation(session, running, booked_retired, MON, FRI, hours="2")
    c = await api(Role.MEMBER)
    load = (await c.get(f"{API}/workload", params={"from": MON.isoformat(), "weeks": 1})).json()
    assert [(p["name"], p["active"], p["weeks"][0]["hours"]) for p in load["people"]] == [
        ("返聘者", False, "10.00")
    ]


async def test_a_venue_booked_by_two_projects_and_a_material_over_stock_are_conflicts(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    a, b = await make_project(session, org), await make_project(session, org)
    venue = await make_resource(session, org, ResourceKind.VENUE, "国展 4.1 馆")
    stands = await make_resource(
        session, org, ResourceKind.MATERIAL, "展架", unit="个", stock=Decimal(10)
    )
    pm = await api(Role.PROJECT_MANAGER)
    days = {"starts_on": "2026-12-10", "ends_on": "2026-12-12"}
    first = await pm.post(
        f"{API}/projects/{a.id}/allocations", json={"resource_id": str(venue.id), **days}
    )
    assert first.status_code == 201
    assert first.json()["conflicts"] == []
    r = await pm.post(
        f"{API}/projects/{b.id}/allocations",
        json={"resource_id": str(venue.id), "starts_on": "2026-12-12", "ends_on": "2026-12-14"},
    )
    [conflict] = r.json()["conflicts"]
    assert conflict["kind"] == "double_booked"
    assert (conflict["starts_on"], conflict["ends_on"]) == ("2026-12-12", "2026-12-12")
    assert conflict["resource_name"] == "国展 4.1 馆"

    r = await pm.post(
        f"{API}/projects/{a.id}/allocations",
        json={"resource_id": str(stands.id), "quantity": "6", **days},
    )
    assert r.json()["conflicts"] == []
    r = await pm.post(
        f"{API}/projects/{b.id}/allocations",
        json={"resource_id": str(stands.id), "quantity": "5", **days},
    )
    [over] = r.json()["conflicts"]
    assert (over["kind"], over["quantity"], over["stock"]) == ("over_stock", "11.00", "10.00")

    found = await pm.get(
        f"{API}/resource-conflicts", params={"from": "2026-12-01", "to": "2026-12-31"}
    )
    assert sorted(c["kind"] for c in found.json()) == ["double_booked", "over_stock"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_on": "2026-11-29"}, "ends_on"),
        ({"starts_on": "2026-10-01"}, "starts_on"),
        ({"ends_on": "2027-04-01"}, "ends_on"),
        ({"hours_per_day": "24.5"}, "hours_per_day"),
        ({"hours_per_day": "0"}, "hours_per_day"),
        ({"hours_per_day": None}, "hours_per_day"),
        ({"hours_per_day": "1" + "0" * 20}, "hours_per_day"),
        ({"hours_per_day": 7.5}, "hours_per_day"),
        ({"quantity": "3"}, "quantity"),
        ({"note": "午\x00饭"}, "note"),
        ({"starts_on": 1764460800}, "starts_on"),
        ({"starts_on": "2026-11-31"}, "starts_on"),
        ({"resource_id": str(uuid.uuid4())}, "resource_id"),
        ({"task_id": str(uuid.uuid4())}, "task_id"),
        ({"project_id": str(uuid.uuid4())}, "project_id"),
    ],
)
async def test_bad_bookings_are_refused_naming_the_field_and_write_nothing(
    api: ApiFactory,
    session: AsyncSession,
    org: OrgWithMembers,
    change: dict[str, Any],
    field: str,
) -> None:
    project = await make_project(session, org)
    person = await make_resource(session, org, ResourceKind.PERSON)
    pm = await api(Role.PROJECT_MANAGER)
    before = await audit_rows(session)
    r = await pm.post(
        f"{API}/projects/{project.id}/allocations", json={**person_booking(person.id), **change}
    )
    assert field in fields_of(problem(r, 422, "validation-failed"))
    assert await count(session, Allocation) == 0
    assert await audit_rows(session) == before


async def test_kinds_book_in_their_own_units(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    venue = await make_resource(session, org, ResourceKind.VENUE)
    material = await make_resource(session, org, ResourceKind.MATERIAL)
    retired = await make_resource(session, org, ResourceKind.VENDOR, active=False)
    other_project = await make_project(session, org)
    foreign_task = await make_task(session, other_project, None)
    pm = await api(Role.PROJECT_MANAGER)
    url = f"{API}/projects/{project.id}/allocations"
    days = {"starts_on": "2026-12-01", "ends_on": "2026-12-02"}
    cases = [
        ({"resource_id": str(venue.id), "hours_per_day": "8", **days}, "hours_per_day"),
        ({"resource_id": str(material.id), **days}, "quantity"),
        ({"resource_id": str(retired.id), **days}, "resource_id"),
        ({"resource_id": str(venue.id), "task_id": str(foreign_task.id), **days}, "task_id"),
    ]
    for body, field in cases:
        assert fields_of(problem(await pm.post(url, json=body), 422, "validation-failed")) == [
            field
        ]
    r = await pm.post(url, json={"resource_id": str(venue.id), "quantity": "1", **days})
    assert r.status_code == 201, r.text


async def test_only_running_projects_one_manages_take_allocations(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    closed = await make_project(session, org, status=ProjectStatus.CLOSED)
    not_mine = await make_project(session, org, owner=Role.DIRECTOR)
    person = await make_resource(session, org, ResourceKind.PERSON)
    pm = await api(Role.PROJECT_MANAGER)
    r = await pm.post(f"{API}/projects/{closed.id}/allocations", json=person_booking(person.id))
    assert problem(r, 409, "conflict")["current_status"] == "closed"
    r = await pm.post(f"{API}/projects/{not_mine.id}/allocations", json=person_booking(person.id))
    problem(r, 403, "forbidden")
    director = await api(Role.DIRECTOR)
    r = await director.post(
        f"{API}/projects/{not_mine.id}/allocations", json=person_booking(person.id)
    )
    assert r.status_code == 201, r.text
    # A closed project's allocations stay as they were.
    old = await make_allocation(session, closed, person, MON, FRI, hours="1")
    problem(await pm.delete(f"{API}/allocations/{old.id}"), 409, "conflict")
    r = await pm.patch(f"{API}/allocations/{old.id}", json={"note": "改", "version": 1})
    problem(r, 409, "conflict")


async def test_update_and_delete(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    person = await make_resource(session, org, ResourceKind.PERSON)
    allocation = await make_allocation(session, project, person, MON, FRI, hours="4")
    pm = await api(Role.PROJECT_MANAGER)
    url = f"{API}/allocations/{allocation.id}"
    problem(await pm.patch(url, json={"note": "x", "version": 2}), 409, "stale-version")
    r = await pm.patch(url, json={"ends_on": "2026-11-29", "version": 1})
    assert fields_of(problem(r, 422, "validation-failed")) == ["ends_on"]
    r = await pm.patch(url, json={"resource_id": str(person.id), "version": 1})
    assert fields_of(problem(r, 422, "validation-failed")) == ["resource_id"]
    r = await pm.patch(url, json={"ends_on": "2026-12-08", "note": "延长", "version": 1})
    assert r.status_code == 200, r.text
    assert (r.json()["working_days"], r.json()["planned_hours"]) == (7, "28.00")
    assert (await pm.delete(url)).status_code == 204
    problem(await pm.get(url), 404, "not-found")
    assert await count(session, Allocation) == 0


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/workload", {"weeks": 0}),
        ("/workload", {"weeks": 53}),
        ("/workload", {"from": "2026-13-01"}),
        ("/workload", {"from": "20261201"}),
        ("/resource-conflicts", {"from": "2026-12-10", "to": "2026-12-01"}),
        ("/resource-conflicts", {"from": "2026-01-01", "to": "2027-01-02"}),
        ("/resource-conflicts", {"to": "yesterday"}),
        ("/resources", {"kind": "planet"}),
        ("/resources", {"q": "x" * 101}),
        ("/resources", {"q": "a\x00b"}),
    ],
)
async def test_bad_queries_are_422(api: ApiFactory, path: str, params: dict[str, Any]) -> None:
    c = await api(Role.VIEWER)
    problem(await c.get(f"{API}{path}", params=params), 422, "validation-failed")


async def test_the_workload_defaults_to_eight_weeks_from_this_week(api: ApiFactory) -> None:
    c = await api(Role.VIEWER)
    load = (await c.get(f"{API}/workload")).json()
    assert len(load["weeks"]) == 8
    assert date.fromisoformat(load["starts_on"]).weekday() == 0
    assert load["people"] == []
