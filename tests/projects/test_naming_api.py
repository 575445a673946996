"""The naming convention through the API: the check guides (the part at fault, what it may
hold, the project's period), names are unique among live projects (also under a race), and
no convention makes the check slow."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.db import Database
from mems.identity.permissions import Role
from mems.projects import repository as repo
from mems.projects.models import Project
from mems.projects.naming import MAX_PARTS
from tests.conftest import ENGLISH, ApiFactory, FileApp
from tests.factories import OrgWithMembers, make_session_token
from tests.projects.helpers import (
    API,
    DEFAULT_CONVENTION_IN,
    count,
    create_project,
    move,
    problem,
    project_body,
    put_convention,
    reload,
)

CHECK = f"{API}/naming-convention/check"
BRAND_LINES = ["品牌", "电商", "新品", "渠道", "私域"]
ZH = {"Accept-Language": "zh-CN"}


async def _period(c: httpx.AsyncClient, name: str, starts_on: str, ends_on: str) -> str:
    kind = "quarter" if "Q" in name else "year"
    r = await c.post(
        f"{API}/strategy-periods",
        json={"name": name, "kind": kind, "starts_on": starts_on, "ends_on": ends_on},
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


@pytest.fixture
async def admin(api: ApiFactory) -> httpx.AsyncClient:
    """The admin, after setting the demo's convention {期间}-{品牌线}-{活动名}."""
    client = await api("admin")
    r = await put_convention(client, DEFAULT_CONVENTION_IN)
    assert r.status_code == 200, r.text
    return client


# ---- the check guides -----------------------------------------------------------------------


async def test_the_check_names_the_part_at_fault_and_its_allowed_values(
    admin: httpx.AsyncClient, api: ApiFactory
) -> None:
    viewer = await api("viewer")
    r = await viewer.post(CHECK, json={"name": "2026Q4-美妆-双十二"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is False
    assert body["expected_form"] == "{期间}-{品牌线}-{活动名}"
    assert body["issues"] == [
        {
            "type": "choice",
            "message": "品牌线 must be one of 品牌 / 电商 / 新品 / 渠道 / 私域, not “美妆”.",
            "part": "brand_line",
            "label": "品牌线",
            "value": "美妆",
            "allowed_values": BRAND_LINES,
            "max_length": None,
        }
    ]
    assert body["problems"] == [body["issues"][0]["message"]]
    # The same answer in Chinese for a Chinese reader.
    zh = (await viewer.post(CHECK, json={"name": "2026Q4-美妆-双十二"}, headers=ZH)).json()
    assert (
        zh["issues"][0]["message"]
        == "品牌线应为 品牌 / 电商 / 新品 / 渠道 / 私域 之一，而不是“美妆”。"
    )
    assert zh["issues"][0]["allowed_values"] == BRAND_LINES

    long = (await viewer.post(CHECK, json={"name": "2026Q4-品牌-" + "长" * 31})).json()
    assert [(i["type"], i["part"], i["max_length"]) for i in long["issues"]] == [
        ("too_long", "campaign", 30)
    ]


async def test_the_period_part_must_agree_with_the_projects_period(
    admin: httpx.AsyncClient, api: ApiFactory
) -> None:
    q4 = await _period(admin, "2026Q4", "2026-10-01", "2026-12-31")
    pm = await api("project_manager")
    r = await pm.post(CHECK, json={"name": "2027Q1-品牌-年货节", "period_id": q4})
    body = r.json()
    assert body["ok"] is False
    assert body["period_values"] == ["2026Q4", "2026"]
    (issue,) = body["issues"]
    assert (issue["type"], issue["part"], issue["label"], issue["value"]) == (
        "period_mismatch",
        "period",
        "期间",
        "2027Q1",
    )
    assert issue["allowed_values"] == ["2026Q4", "2026"]
    assert issue["message"] == (
        "期间 “2027Q1” does not match the project's period 2026Q4; use 2026Q4 / 2026."
    )
    ok = (await pm.post(CHECK, json={"name": "2026Q4-品牌-年货节", "period_id": q4})).json()
    assert ok["ok"] is True
    # Without a period the project's dates decide; without either any period fits.
    by_dates = {"starts_on": "2026-10-01", "ends_on": "2026-11-15"}
    dated = (await pm.post(CHECK, json={"name": "2027Q1-品牌-年货节", **by_dates})).json()
    assert [i["type"] for i in dated["issues"]] == ["period_mismatch"]
    assert dated["period_values"] == ["2026Q4", "2026"]
    assert (await pm.post(CHECK, json={"name": "2027Q1-品牌-年货节"})).json()["ok"] is True

    # Creating is refused the same way, with the part and what it may hold.
    r = await pm.post(f"{API}/projects", json=project_body(name="2027Q1-品牌-年货节", period_id=q4))
    body = problem(r, 422, "validation-failed")
    assert [(e["field"], e["type"]) for e in body["errors"]] == [("name", "naming_convention")]
    assert (body["part"], body["part_label"], body["allowed_values"]) == (
        "period",
        "期间",
        ["2026Q4", "2026"],
    )
    assert "does not match the project's period 2026Q4" in body["detail"]
    r = await pm.post(
        f"{API}/projects",
        json=project_body(name="2027Q1-品牌-年货节", period_id=q4),
        headers=ZH,
    )
    assert problem(r, 422, "validation-failed")["detail"] == (
        "名称不符合命名规则：期间“2027Q1”与项目期间 2026Q4 不符；请使用 2026Q4 / 2026。"
    )
    await create_project(pm, name="2026Q4-品牌-年货节", period_id=q4)


async def test_a_bad_choice_on_create_says_which_values_are_allowed(
    admin: httpx.AsyncClient, api: ApiFactory, session: AsyncSession
) -> None:
    pm = await api("project_manager")
    before = await count(session, Project)
    r = await pm.post(f"{API}/projects", json=project_body(name="2026Q4-美妆-双十二"), headers=ZH)
    body = problem(r, 422, "validation-failed")
    assert (body["part"], body["part_label"], body["allowed_values"]) == (
        "brand_line",
        "品牌线",
        BRAND_LINES,
    )
    assert body["detail"] == (
        "名称不符合命名规则：品牌线应为 品牌 / 电商 / 新品 / 渠道 / 私域 之一，而不是“美妆”。"
    )
    assert body["errors"][0]["message"] == "不符合命名规则"
    assert await count(session, Project) == before


async def test_moving_a_project_to_another_period_must_agree_with_its_name(
    admin: httpx.AsyncClient, api: ApiFactory
) -> None:
    q4 = await _period(admin, "2026Q4", "2026-10-01", "2026-12-31")
    q1 = await _period(admin, "2027Q1", "2027-01-01", "2027-03-31")
    pm = await api("project_manager")
    project = await create_project(pm, name="2026Q4-品牌-年终盛典", period_id=q4)
    r = await pm.patch(f"{API}/projects/{project['id']}", json={"period_id": q1, "version": 1})
    body = problem(r, 422, "validation-failed")
    assert [(e["field"], e["type"]) for e in body["errors"]] == [("period_id", "naming_convention")]
    assert (body["part"], body["allowed_values"]) == ("period", ["2027Q1", "2027"])
    # Renamed along with the move, it is fine.
    r = await pm.patch(
        f"{API}/projects/{project['id']}",
        json={"period_id": q1, "name": "2027Q1-品牌-年终盛典", "version": 1},
    )
    assert r.status_code == 200, r.text
    # Without a period, new dates must agree with the name's period.
    dated = await create_project(pm, name="2026Q4-电商-双十二")
    r = await pm.patch(
        f"{API}/projects/{dated['id']}",
        json={"starts_on": "2027-04-01", "ends_on": "2027-05-01", "version": 1},
    )
    assert problem(r, 422, "validation-failed")["errors"][0]["field"] == "starts_on"
    # A name from before the convention does not hold the project's dates hostage.
    admin_off = await put_convention(admin, {**DEFAULT_CONVENTION_IN, "enabled": False})
    assert admin_off.status_code == 200
    old = await create_project(pm, name="老项目")
    await put_convention(admin, DEFAULT_CONVENTION_IN)
    r = await pm.patch(
        f"{API}/projects/{old['id']}",
        json={"starts_on": "2027-04-01", "ends_on": "2027-05-01", "version": 1},
    )
    assert r.status_code == 200, r.text


async def test_checking_a_rename_uses_the_projects_own_period(
    admin: httpx.AsyncClient, api: ApiFactory
) -> None:
    q4 = await _period(admin, "2026Q4", "2026-10-01", "2026-12-31")
    pm = await api("project_manager")
    project = await create_project(pm, name="2026Q4-品牌-年终盛典", period_id=q4)
    own = (await pm.post(CHECK, json={"name": project["name"], "project_id": project["id"]})).json()
    assert own["ok"] is True, own  # its own name is not taken by itself
    moved = (
        await pm.post(CHECK, json={"name": "2027Q1-品牌-年终盛典", "project_id": project["id"]})
    ).json()
    assert [i["type"] for i in moved["issues"]] == ["period_mismatch"]
    # Another period given with the project overrides the project's own.
    q1 = await _period(admin, "2027Q1", "2027-01-01", "2027-03-31")
    r = await pm.post(
        CHECK, json={"name": "2027Q1-品牌-年终盛典", "project_id": project["id"], "period_id": q1}
    )
    assert r.json()["ok"] is True
    missing = await pm.post(
        CHECK, json={"name": "x", "project_id": "00000000-0000-0000-0000-000000000001"}
    )
    problem(missing, 404, "not-found")


# ---- unique names among live projects --------------------------------------------------------


async def test_names_are_unique_among_live_projects(
    admin: httpx.AsyncClient, api: ApiFactory, session: AsyncSession
) -> None:
    pm = await api("project_manager")
    name = "2026Q4-电商-双十一大促"
    first = await create_project(pm, name=name)
    # The check says so as you type, naming the project that has it.
    taken = (await pm.post(CHECK, json={"name": name})).json()
    assert taken["ok"] is False
    assert taken["issues"] == [
        {
            "type": "duplicate",
            "message": f"The name is already used by project {first['code']}.",
            "part": None,
            "label": None,
            "value": name,
            "allowed_values": [],
            "max_length": None,
        }
    ]
    zh = (await pm.post(CHECK, json={"name": name}, headers=ZH)).json()
    assert zh["issues"][0]["message"] == f"该名称已被项目 {first['code']} 使用。"

    before = await count(session, Project)
    r = await pm.post(f"{API}/projects", json=project_body(name=name))
    body = problem(r, 409, "duplicate")
    assert [(e["field"], e["type"]) for e in body["errors"]] == [("name", "duplicate")]
    assert first["code"] in body["detail"]
    assert await count(session, Project) == before

    # Renaming another project to it is refused too; renaming to something free is not.
    second = await create_project(pm, name="2026Q4-电商-双十二")
    r = await pm.patch(f"{API}/projects/{second['id']}", json={"name": name, "version": 1})
    problem(r, 409, "duplicate")
    assert (await reload(pm, second))["name"] == "2026Q4-电商-双十二"

    # A cancelled project frees its name.
    await move(pm, first, "cancel")
    assert (await pm.post(CHECK, json={"name": name})).json()["ok"] is True
    again = await create_project(pm, name=name)
    assert again["id"] != first["id"]


async def test_names_are_unique_per_organisation_and_without_a_convention(
    api: ApiFactory, other_org: OrgWithMembers
) -> None:
    pm = await api("project_manager")
    other_api_pm = await api("project_manager", in_org=other_org)
    await create_project(pm, name="年终盛典")  # no convention: any name, once
    problem(await pm.post(f"{API}/projects", json=project_body(name="年终盛典")), 409, "duplicate")
    # Another organisation's projects do not take names here.
    await create_project(other_api_pm, name="年终盛典")
    assert (await other_api_pm.post(CHECK, json={"name": "另一个"})).json()["ok"] is True


async def test_two_creates_with_one_name_at_the_same_moment_give_409_not_500(
    admin: httpx.AsyncClient,
    api: ApiFactory,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The service looks first; the one that loses a race finds nothing there and is stopped by
    the partial unique index, which answers 409 the same way."""
    pm = await api("project_manager")
    name = "2026Q4-渠道-年货节预热"
    await create_project(pm, name=name)

    async def nobody_yet(*args: Any, **kwargs: Any) -> None:
        return None  # as if the other create had not committed when this one looked

    monkeypatch.setattr(repo, "live_project_named", nobody_yet)
    before = await count(session, Project)
    r = await pm.post(f"{API}/projects", json=project_body(name=name))
    body = problem(r, 409, "duplicate")
    assert [(e["field"], e["type"]) for e in body["errors"]] == [("name", "duplicate")]
    assert await count(session, Project) == before


# ---- no convention makes checking slow ------------------------------------------------------


async def test_the_most_parts_allowed_check_fast_and_more_are_refused(
    api: ApiFactory,
) -> None:
    admin = await api("admin")
    texts = {
        "pattern": "".join(f"{{p{i}}}" for i in range(MAX_PARTS)),
        "parts": {f"p{i}": {"kind": "text", "label": f"P{i}"} for i in range(MAX_PARTS)},
    }
    assert (await put_convention(admin, texts)).status_code == 200
    viewer = await api("viewer")
    for name, fits in (("a" * 199 + "-", False), ("a" * 200, True), ("-" + "a" * 199, False)):
        started = time.perf_counter()
        r = await viewer.post(CHECK, json={"name": name})
        elapsed = time.perf_counter() - started
        assert r.status_code == 200
        assert r.json()["ok"] is fits
        assert elapsed < 1.0, f"{elapsed:.2f} s"  # was 5.4 s for 45 characters

    nine = {
        "pattern": "".join(f"{{p{i}}}" for i in range(MAX_PARTS + 1)),
        "parts": {f"p{i}": {"kind": "text", "label": f"P{i}"} for i in range(MAX_PARTS + 1)},
    }
    body = problem(await put_convention(admin, nine), 422, "validation-failed")
    assert body["errors"][0]["field"] == "parts"


# ---- for real: concurrent creates on committed data -----------------------------------------


async def _eight_creates_with_one_name(app: Any, org: OrgWithMembers) -> None:
    """Eight parallel creates of one name, each on its own connection: exactly one is made,
    the others are 409 duplicate on `name` (the check or the partial unique index), none 500."""
    db: Database = app.state.db
    async with db.sessionmaker() as s:
        token = await make_session_token(s, org.members[Role.PROJECT_MANAGER].id)
        await s.commit()
    name = f"2026Q4-电商-并发同名{uuid.uuid4().hex[:6]}"
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {token}", **ENGLISH},
    ) as pm:
        responses = await asyncio.gather(
            *(pm.post(f"{API}/projects", json=project_body(name=name)) for _ in range(8))
        )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 7, [r.text for r in responses]
    for r in responses:
        if r.status_code == 409:
            body = problem(r, 409, "duplicate")
            assert [(e["field"], e["type"]) for e in body["errors"]] == [("name", "duplicate")]
    async with db.sessionmaker() as s:
        assert await count(s, Project, Project.org_id == org.org.id, Project.name == name) == 1


@pytest.mark.postgres
async def test_concurrent_creates_of_one_name_give_one_project_on_postgres(
    pg_app: FileApp,
) -> None:
    await _eight_creates_with_one_name(*pg_app)


async def test_concurrent_creates_of_one_name_give_one_project_on_sqlite(
    file_app: FileApp,
) -> None:
    await _eight_creates_with_one_name(*file_app)
