"""The resource catalogue (issue 10): people, materials, channels, vendors and venues, with
the fields of their kind; unique names per kind; bad input refused whole, nothing written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.identity.permissions import Role
from mems.resources.models import Resource, ResourceKind
from tests.checkins.helpers import count, fields_of, problem
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.permission_matrix import audit_rows
from tests.resources.helpers import API, MON, make_allocation, make_project, make_resource


async def test_a_member_becomes_a_person_resource_with_their_name_and_default_capacity(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    c = await api(Role.ADMIN)
    member = org.members[Role.MEMBER]
    r = await c.post(
        f"{API}/resources",
        json={
            "kind": "person",
            "member_id": str(member.id),
            "role_title": "文案策划",
            "cost_rate": "180.50",
        },
    )
    assert r.status_code == 201, r.text
    person = r.json()
    assert person["name"] == member.user.name
    assert person["member_name"] == member.user.name
    assert person["capacity_hours_week"] == "40.00"
    assert person["cost_rate"] == "180.50"
    assert person["currency"] == "CNY"
    assert person["active"] is True
    assert person["allocations"] == 0
    assert person["unit"] is None
    assert person["address"] is None

    got = await c.get(f"{API}/resources/{person['id']}")
    assert got.status_code == 200
    assert got.headers["etag"] == '"1"'
    assert got.json() == person


async def test_each_kind_keeps_its_own_fields(api: ApiFactory) -> None:
    c = await api(Role.FINANCE)
    bodies: list[dict[str, Any]] = [
        {"kind": "material", "name": "易拉宝", "unit": "个", "unit_cost": "85.00", "stock": "120"},
        {"kind": "channel", "name": "抖音信息流", "unit": "千次曝光", "unit_cost": "35.00"},
        {
            "kind": "vendor",
            "name": "星河会展服务",
            "contact_name": "马经理",
            "contact_phone": "+86 138-0000-0000",
            "contact_email": "Ma@Example.CN",
            "contract_no": "HT-2026-018",
            "contract_ends_on": "2027-06-30",
        },
        {
            "kind": "venue",
            "name": "国家会展中心 4.1 馆",
            "address": "上海市青浦区",
            "venue_capacity": 3000,
        },
        {"kind": "person", "name": "外聘摄影师", "capacity_hours_week": "20", "cost_rate": "300"},
    ]
    for body in bodies:
        r = await c.post(f"{API}/resources", json=body)
        assert r.status_code == 201, r.text
        got = r.json()
        for key, value in body.items():
            if key == "contact_email":
                assert got[key] == "ma@example.cn"
            elif key in {"unit_cost", "stock", "capacity_hours_week", "cost_rate"}:
                assert Decimal(got[key]) == Decimal(value)
            else:
                assert got[key] == value, key

    listed = await c.get(f"{API}/resources", params={"kind": "venue"})
    assert [i["name"] for i in listed.json()["items"]] == ["国家会展中心 4.1 馆"]
    found = await c.get(f"{API}/resources", params={"q": "马经理"})
    assert [i["name"] for i in found.json()["items"]] == ["星河会展服务"]
    assert (await c.get(f"{API}/resources", params={"q": "100%_"})).json()["total"] == 0
    everything = await c.get(f"{API}/resources")
    assert everything.json()["total"] == 5


async def test_fields_of_another_kind_are_refused_by_name_and_nothing_is_written(
    api: ApiFactory, session: AsyncSession
) -> None:
    c = await api(Role.ADMIN)
    before = await audit_rows(session)
    r = await c.post(
        f"{API}/resources",
        json={"kind": "venue", "name": "会议室", "cost_rate": "100", "stock": "3"},
    )
    body = problem(r, 422, "validation-failed")
    assert sorted(fields_of(body)) == ["cost_rate", "stock"]
    assert {e["type"] for e in body["errors"]} == {"not_for_kind"}
    assert await count(session, Resource) == 0
    assert await audit_rows(session) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "venue", "name": "会议\x00室"}, "name"),
        ({"kind": "venue", "name": "   "}, "name"),
        ({"kind": "venue"}, "name"),
        ({"kind": "venue", "name": "x" * 201}, "name"),
        ({"kind": "planet", "name": "火星"}, "kind"),
        ({"kind": "person", "name": "甲", "cost_rate": "1" + "0" * 30}, "cost_rate"),
        ({"kind": "person", "name": "甲", "cost_rate": 12.5}, "cost_rate"),
        ({"kind": "person", "name": "甲", "cost_rate": "-1"}, "cost_rate"),
        ({"kind": "person", "name": "甲", "cost_rate": "NaN"}, "cost_rate"),
        ({"kind": "person", "name": "甲", "capacity_hours_week": "200"}, "capacity_hours_week"),
        ({"kind": "person", "name": "甲", "capacity_hours_week": "0"}, "capacity_hours_week"),
        ({"kind": "material", "name": "乙", "stock": "1e400"}, "stock"),
        ({"kind": "vendor", "name": "丙", "contract_ends_on": "2026-02-30"}, "contract_ends_on"),
        ({"kind": "vendor", "name": "丙", "contract_ends_on": 20261201}, "contract_ends_on"),
        ({"kind": "vendor", "name": "丙", "contact_email": "not-an-email"}, "contact_email"),
        ({"kind": "vendor", "name": "丙", "contact_phone": "call me"}, "contact_phone"),
        ({"kind": "venue", "name": "丁", "venue_capacity": 10**12}, "venue_capacity"),
        ({"kind": "venue", "name": "丁", "extra": 1}, "extra"),
        ({"kind": "person", "name": "甲", "member_id": "not-a-uuid"}, "member_id"),
    ],
)
async def test_bad_input_is_a_problem_naming_the_field(
    api: ApiFactory, session: AsyncSession, body: dict[str, Any], field: str
) -> None:
    c = await api(Role.ADMIN)
    r = await c.post(f"{API}/resources", json=body)
    assert field in fields_of(problem(r, 422, "validation-failed"))
    assert await count(session, Resource) == 0


async def test_a_person_must_be_an_active_member_of_this_organisation(
    api: ApiFactory, org: OrgWithMembers, other_org: OrgWithMembers, session: AsyncSession
) -> None:
    c = await api(Role.ADMIN)
    stranger = other_org.members[Role.MEMBER].id
    r = await c.post(f"{API}/resources", json={"kind": "person", "member_id": str(stranger)})
    assert fields_of(problem(r, 422, "validation-failed")) == ["member_id"]
    member = org.members[Role.MEMBER]
    member.is_active = False
    await session.commit()
    r = await c.post(f"{API}/resources", json={"kind": "person", "member_id": str(member.id)})
    assert fields_of(problem(r, 422, "validation-failed")) == ["member_id"]


async def test_names_are_unique_per_kind_whatever_the_case_and_a_member_is_one_resource(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    c = await api(Role.ADMIN)
    assert (await c.post(f"{API}/resources", json={"kind": "venue", "name": "Hall A"})).is_success
    r = await c.post(f"{API}/resources", json={"kind": "venue", "name": " hall   a "})
    assert fields_of(problem(r, 409, "duplicate")) == ["name"]
    # Another kind may share the name.
    r = await c.post(f"{API}/resources", json={"kind": "vendor", "name": "Hall A"})
    assert r.status_code == 201, r.text
    pm = str(org.members[Role.PROJECT_MANAGER].id)
    assert (await c.post(f"{API}/resources", json={"kind": "person", "member_id": pm})).is_success
    r = await c.post(
        f"{API}/resources", json={"kind": "person", "member_id": pm, "name": "张伟 (第二个)"}
    )
    assert fields_of(problem(r, 409, "duplicate")) == ["member_id"]


async def test_update_checks_version_kind_and_name(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    c = await api(Role.DIRECTOR)
    venue = (await c.post(f"{API}/resources", json={"kind": "venue", "name": "一号厅"})).json()
    await c.post(f"{API}/resources", json={"kind": "venue", "name": "二号厅"})
    url = f"{API}/resources/{venue['id']}"

    r = await c.patch(url, json={"address": "北京市朝阳区", "venue_capacity": 500, "version": 1})
    assert r.status_code == 200, r.text
    assert r.headers["etag"] == '"2"'
    assert (r.json()["address"], r.json()["venue_capacity"]) == ("北京市朝阳区", 500)

    problem(await c.patch(url, json={"notes": "旧版本", "version": 1}), 409, "stale-version")
    r = await c.patch(url, json={"notes": "x", "version": 2}, headers={"If-Match": '"1"'})
    problem(r, 412, "precondition-failed")
    r = await c.patch(url, json={"unit": "个", "version": 2})
    assert fields_of(problem(r, 422, "validation-failed")) == ["unit"]
    r = await c.patch(url, json={"name": "二号厅", "version": 2})
    assert fields_of(problem(r, 409, "duplicate")) == ["name"]
    r = await c.patch(url, json={"name": None, "version": 2})
    assert fields_of(problem(r, 422, "validation-failed")) == ["name"]
    r = await c.patch(url, json={"kind": "vendor", "version": 2})
    assert fields_of(problem(r, 422, "validation-failed")) == ["kind"]

    r = await c.patch(url, json={"active": False, "address": None, "version": 2})
    assert r.status_code == 200, r.text
    assert (r.json()["active"], r.json()["address"], r.json()["version"]) == (False, None, 3)
    listed = await c.get(f"{API}/resources", params={"active": "false"})
    assert [i["name"] for i in listed.json()["items"]] == ["一号厅"]

    person = await make_resource(session, org, ResourceKind.PERSON, "外援")
    r = await c.patch(
        f"{API}/resources/{person.id}", json={"capacity_hours_week": "169", "version": 1}
    )
    assert fields_of(problem(r, 422, "validation-failed")) == ["capacity_hours_week"]
    r = await c.patch(
        f"{API}/resources/{person.id}", json={"capacity_hours_week": None, "version": 1}
    )
    assert fields_of(problem(r, 422, "validation-failed")) == ["capacity_hours_week"]


async def test_a_booked_resource_is_retired_not_deleted(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    c = await api(Role.ADMIN)
    project = await make_project(session, org)
    booked = await make_resource(session, org, ResourceKind.VENUE, "展厅")
    free = await make_resource(session, org, ResourceKind.VENUE, "空厅")
    await make_allocation(session, project, booked, MON, MON)

    r = await c.delete(f"{API}/resources/{booked.id}")
    assert problem(r, 409, "conflict")["reason"] == "has_allocations"
    assert (await c.get(f"{API}/resources/{booked.id}")).json()["allocations"] == 1

    assert (await c.delete(f"{API}/resources/{free.id}")).status_code == 204
    problem(await c.get(f"{API}/resources/{free.id}"), 404, "not-found")


async def test_rates_are_budget_figures_members_do_not_see(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    person = await make_resource(
        session, org, ResourceKind.PERSON, "设计师", cost_rate=Decimal("220.00")
    )
    material = await make_resource(
        session, org, ResourceKind.MATERIAL, "礼盒", unit="个", unit_cost=Decimal("49.90")
    )
    member = await api(Role.MEMBER)
    viewer = await api(Role.VIEWER)
    for c, visible in ((member, False), (viewer, True)):
        got = (await c.get(f"{API}/resources/{person.id}")).json()
        assert got["cost_rate"] == ("220.00" if visible else None)
        got = (await c.get(f"{API}/resources/{material.id}")).json()
        assert got["unit_cost"] == ("49.90" if visible else None)
        assert got["unit"] == "个"


async def test_chinese_messages_by_default(api: ApiFactory) -> None:
    c = await api(Role.ADMIN)
    r = await c.post(
        f"{API}/resources",
        json={"kind": "venue", "name": "会议室", "stock": "3"},
        headers={"Accept-Language": "zh-CN"},
    )
    body = problem(r, 422, "validation-failed")
    assert "场地" in body["detail"]
    _ = date  # the module's dates are ISO strings
