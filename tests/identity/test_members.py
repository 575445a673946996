"""Members through the API, as an admin: create, read, search, update, remove."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.identity.models import AuthSession, Membership, User
from mems.identity.permissions import Role
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers, make_user

API = "/api/v1"
PROBLEM = "application/problem+json"


def _email() -> str:
    return f"new-{uuid.uuid4().hex[:10]}@example.cn"


async def _create(
    c: httpx.AsyncClient, name: str = "王小明", role: str = "member", email: str | None = None
) -> dict[str, Any]:
    """Add a new e-mail (it joins at once) and return the member as listed."""
    address = email or _email()
    r = await c.post(
        f"{API}/members",
        json={"email": address, "name": name, "role": role, "password": "long-enough-1"},
    )
    assert r.status_code == 202, r.text
    assert r.json() == {"email": address.lower(), "name": name, "role": role}
    found = (await c.get(f"{API}/members", params={"q": address.lower()})).json()["items"]
    assert len(found) == 1
    return dict(found[0])


def _problem(r: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body = dict(r.json())
    assert body["type"] == f"urn:mems:problem:{slug}"
    assert body["status"] == status
    return body


async def test_create_then_get(api: ApiFactory, org: OrgWithMembers, session: AsyncSession) -> None:
    admin = await api("admin")
    email = _email()
    created = await _create(admin, name="李雷", role="project_manager", email=email.upper())
    assert created["email"] == email  # stored lower-case
    assert created["name"] == "李雷"
    assert created["role"] == "project_manager"
    assert created["is_active"] is True
    assert created["version"] == 1
    assert "password" not in created
    assert "password_hash" not in created

    r = await admin.get(f"{API}/members/{created['id']}")
    assert r.status_code == 200
    assert r.headers["etag"] == '"1"'
    assert r.json() == created

    row = (
        await session.execute(
            select(Membership.org_id, Membership.role, User.email, User.password_hash)
            .join(User, User.id == Membership.user_id)
            .where(Membership.id == uuid.UUID(created["id"]))
        )
    ).one()
    assert row.org_id == org.org.id
    assert row.role == Role.PROJECT_MANAGER
    assert row.email == email
    assert row.password_hash.startswith("$argon2")  # hashed, never the password


async def test_list_search_and_pagination(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    admin = await api("admin")
    await _create(admin, name="张三丰")
    # The rest straight into the database: creating through the API hashes each password.
    for name in ("张无忌", "赵敏", "Zhou Zhiruo"):
        user = await make_user(session, name=name)
        session.add(Membership(org_id=org.org.id, user_id=user.id, role=Role.MEMBER, user=user))
    await session.commit()
    everyone = await admin.get(f"{API}/members")
    assert everyone.status_code == 200
    page = everyone.json()
    assert set(page) == {"items", "total", "limit", "offset"}
    assert page["total"] == len(org.members) + 4
    assert (page["limit"], page["offset"]) == (50, 0)
    assert len(page["items"]) == page["total"]

    zhang = (await admin.get(f"{API}/members", params={"q": "张"})).json()
    assert sorted(m["name"] for m in zhang["items"]) == ["张三丰", "张无忌"]
    assert zhang["total"] == 2
    assert [
        m["name"] for m in (await admin.get(f"{API}/members", params={"q": "赵敏"})).json()["items"]
    ] == ["赵敏"]
    # Case-insensitive on names, and e-mail addresses are searched too.
    assert [
        m["name"] for m in (await admin.get(f"{API}/members", params={"q": "zhou"})).json()["items"]
    ] == ["Zhou Zhiruo"]
    by_mail = (await admin.get(f"{API}/members", params={"q": org.email("finance")})).json()
    assert [m["role"] for m in by_mail["items"]] == ["finance"]
    nobody = (await admin.get(f"{API}/members", params={"q": "不存在的人"})).json()
    assert nobody == {"items": [], "total": 0, "limit": 50, "offset": 0}

    # Pages walk the whole list once, in a stable order, with the same total.
    seen: list[str] = []
    for offset in range(0, page["total"], 3):
        r = (await admin.get(f"{API}/members", params={"limit": 3, "offset": offset})).json()
        assert (r["limit"], r["offset"], r["total"]) == (3, offset, page["total"])
        assert len(r["items"]) == min(3, page["total"] - offset)
        seen.extend(m["id"] for m in r["items"])
    assert seen == [m["id"] for m in page["items"]]
    past_end = (await admin.get(f"{API}/members", params={"offset": 100})).json()
    assert past_end["items"] == []
    assert past_end["total"] == page["total"]


async def test_search_treats_wildcards_literally(api: ApiFactory) -> None:
    """`q` is text, not a LIKE pattern: `_` and `%` match only themselves."""
    admin = await api("admin")
    # Of the fixture's names only "project_manager 用户" contains an underscore.
    underscore = (await admin.get(f"{API}/members", params={"q": "_"})).json()
    assert [m["role"] for m in underscore["items"]] == ["project_manager"]
    percent = (await admin.get(f"{API}/members", params={"q": "%"})).json()
    assert percent["total"] == 0


async def test_inactive_members_are_listed_only_on_request(api: ApiFactory) -> None:
    admin = await api("admin")
    created = await _create(admin, name="休假中")
    r = await admin.patch(f"{API}/members/{created['id']}", json={"is_active": False, "version": 1})
    assert r.status_code == 200, r.text
    assert r.json()["is_active"] is False
    default = (await admin.get(f"{API}/members", params={"q": "休假中"})).json()
    assert default["total"] == 0
    everyone = (
        await admin.get(f"{API}/members", params={"q": "休假中", "include_inactive": True})
    ).json()
    assert [m["id"] for m in everyone["items"]] == [created["id"]]


async def test_update_role_bumps_version_and_etag(api: ApiFactory) -> None:
    admin = await api("admin")
    created = await _create(admin)
    r = await admin.patch(f"{API}/members/{created['id']}", json={"role": "director", "version": 1})
    assert r.status_code == 200, r.text
    assert r.json()["role"] == "director"
    assert r.json()["version"] == 2
    assert r.headers["etag"] == '"2"'
    got = await admin.get(f"{API}/members/{created['id']}")
    assert got.headers["etag"] == '"2"'
    assert got.json()["role"] == "director"


async def test_rename_bumps_version_and_etag(api: ApiFactory) -> None:
    """A rename is an update of the member like any other: its version must move on, or a
    second client holding the old version could overwrite the rename unnoticed."""
    admin = await api("admin")
    created = await _create(admin, name="旧名字")
    r = await admin.patch(f"{API}/members/{created['id']}", json={"name": "新名字", "version": 1})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "新名字"
    assert r.json()["version"] == 2
    assert r.headers["etag"] == '"2"'
    got = await admin.get(f"{API}/members/{created['id']}")
    assert got.json()["name"] == "新名字"
    assert got.headers["etag"] == '"2"'
    # The old version is now stale.
    stale = await admin.patch(f"{API}/members/{created['id']}", json={"name": "覆盖", "version": 1})
    _problem(stale, 409, "stale-version")


async def test_stale_version_is_409_and_changes_nothing(
    api: ApiFactory, session: AsyncSession
) -> None:
    admin = await api("admin")
    created = await _create(admin)
    ok = await admin.patch(f"{API}/members/{created['id']}", json={"role": "viewer", "version": 1})
    assert ok.status_code == 200
    stale = await admin.patch(
        f"{API}/members/{created['id']}", json={"role": "finance", "version": 1}
    )
    body = _problem(stale, 409, "stale-version")
    assert body["current_version"] == 2
    row = (
        await session.execute(
            select(Membership.role, Membership.version).where(
                Membership.id == uuid.UUID(created["id"])
            )
        )
    ).one()
    assert (row.role, row.version) == (Role.VIEWER, 2)


async def test_if_match(api: ApiFactory, session: AsyncSession) -> None:
    admin = await api("admin")
    created = await _create(admin)
    path = f"{API}/members/{created['id']}"
    stale = await admin.patch(
        path, json={"role": "viewer", "version": 1}, headers={"If-Match": '"7"'}
    )
    body = _problem(stale, 412, "precondition-failed")
    assert body["current_version"] == 1
    role = await session.scalar(
        select(Membership.role).where(Membership.id == uuid.UUID(created["id"]))
    )
    assert role == Role.MEMBER
    etag = (await admin.get(path)).headers["etag"]
    ok = await admin.patch(path, json={"role": "viewer", "version": 1}, headers={"If-Match": etag})
    assert ok.status_code == 200, ok.text
    assert ok.headers["etag"] == '"2"'


async def test_duplicate_email_is_409(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    admin = await api("admin")
    before = await session.scalar(select(func.count()).select_from(Membership))
    r = await admin.post(
        f"{API}/members",
        json={
            "email": org.email("viewer").upper(),
            "name": "重复",
            "role": "member",
            "password": "long-enough-1",
        },
    )
    body = _problem(r, 409, "conflict")
    assert [e["field"] for e in body["errors"]] == ["email"]
    assert await session.scalar(select(func.count()).select_from(Membership)) == before


async def test_last_admin_cannot_be_demoted_deactivated_or_removed(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    admin = await api("admin")
    me = org.members[Role.ADMIN]
    path = f"{API}/members/{me.id}"
    demote = await admin.patch(path, json={"role": "director", "version": 1})
    assert "admin" in _problem(demote, 409, "conflict")["detail"]
    deactivate = await admin.patch(path, json={"is_active": False, "version": 1})
    _problem(deactivate, 409, "conflict")
    remove = await admin.delete(path)
    _problem(remove, 409, "conflict")
    row = (
        await session.execute(
            select(Membership.role, Membership.is_active, Membership.version).where(
                Membership.id == me.id
            )
        )
    ).one()
    assert tuple(row) == (Role.ADMIN, True, 1)
    assert (await admin.get(f"{API}/me")).status_code == 200


async def test_with_a_second_admin_an_admin_may_be_demoted(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    admin = await api("admin")
    second = await _create(admin, name="第二管理员", role="admin")
    r = await admin.patch(f"{API}/members/{second['id']}", json={"role": "member", "version": 1})
    assert r.status_code == 200, r.text
    # Now the fixture admin is the last one again.
    again = await admin.patch(
        f"{API}/members/{org.members[Role.ADMIN].id}", json={"role": "member", "version": 1}
    )
    _problem(again, 409, "conflict")


async def test_removing_yourself_is_409(api: ApiFactory, org: OrgWithMembers) -> None:
    admin = await api("admin")
    await _create(admin, name="另一位管理员", role="admin")  # so "last admin" is not the reason
    r = await admin.delete(f"{API}/members/{org.members[Role.ADMIN].id}")
    body = _problem(r, 409, "conflict")
    assert "yourself" in body["detail"]
    assert (await admin.get(f"{API}/members/{org.members[Role.ADMIN].id}")).status_code == 200


async def test_deactivating_a_member_ends_their_sessions(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    admin = await api("admin")
    finance = await api("finance")
    assert (await finance.get(f"{API}/me")).status_code == 200
    target = org.members[Role.FINANCE]

    r = await admin.patch(f"{API}/members/{target.id}", json={"is_active": False, "version": 1})
    assert r.status_code == 200, r.text
    refused = await finance.get(f"{API}/me")
    _problem(refused, 401, "unauthorized")
    open_sessions = await session.scalar(
        select(func.count())
        .select_from(AuthSession)
        .where(AuthSession.membership_id == target.id, AuthSession.revoked_at.is_(None))
    )
    assert open_sessions == 0

    # Reactivating does not bring the old sessions back: they were ended, not paused.
    r = await admin.patch(f"{API}/members/{target.id}", json={"is_active": True, "version": 2})
    assert r.status_code == 200, r.text
    assert (await finance.get(f"{API}/me")).status_code == 401


async def test_delete_then_404(api: ApiFactory, session: AsyncSession) -> None:
    admin = await api("admin")
    created = await _create(admin)
    path = f"{API}/members/{created['id']}"
    r = await admin.delete(path)
    assert r.status_code == 204
    assert r.content == b""
    _problem(await admin.get(path), 404, "not-found")
    _problem(await admin.delete(path), 404, "not-found")
    _problem(await admin.patch(path, json={"role": "viewer", "version": 1}), 404, "not-found")
    listed = (await admin.get(f"{API}/members", params={"include_inactive": True})).json()
    assert created["id"] not in {m["id"] for m in listed["items"]}
    # The membership is gone; the person's user account stays.
    assert (
        await session.scalar(select(Membership.id).where(Membership.id == uuid.UUID(created["id"])))
        is None
    )
    assert (
        await session.scalar(select(User.id).where(User.id == uuid.UUID(created["user_id"])))
        is not None
    )


async def test_removed_member_loses_access(api: ApiFactory, org: OrgWithMembers) -> None:
    admin = await api("admin")
    viewer = await api("viewer")
    assert (await viewer.get(f"{API}/me")).status_code == 200
    r = await admin.delete(f"{API}/members/{org.members[Role.VIEWER].id}")
    assert r.status_code == 204
    _problem(await viewer.get(f"{API}/me"), 401, "unauthorized")


async def test_members_can_read_but_not_manage(api: ApiFactory, org: OrgWithMembers) -> None:
    member = await api("member")
    listed = await member.get(f"{API}/members")
    assert listed.status_code == 200
    assert listed.json()["total"] == len(org.members)
    r = await member.patch(
        f"{API}/members/{org.members[Role.MEMBER].id}", json={"role": "admin", "version": 1}
    )
    _problem(r, 403, "forbidden")
    assert (await member.get(f"{API}/me")).json()["role"] == "member"


async def test_a_member_with_work_on_record_is_deactivated_not_removed(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    pm = org.members[Role.PROJECT_MANAGER]
    r = await (await api("project_manager")).post(
        f"{API}/projects",
        json={
            "name": "品牌片",
            "type": "brand",
            "starts_on": "2026-03-01",
            "ends_on": "2026-04-01",
        },
    )
    assert r.status_code == 201, r.text
    admin = await api("admin")
    r = await admin.delete(f"{API}/members/{pm.id}")
    assert r.status_code == 409
    assert r.headers["content-type"] == PROBLEM
    assert "deactivate" in r.json()["detail"]
    assert await session.scalar(select(func.count()).where(Membership.id == pm.id)) == 1
    # Deactivating works and keeps the project's manager.
    r = await admin.patch(f"{API}/members/{pm.id}", json={"is_active": False, "version": 1})
    assert r.status_code == 200, r.text


async def test_the_member_list_pages_by_name_with_its_total(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    """Each page carries the count of the whole list (a page past the end too, empty); an
    inactive member counts only with `include_inactive`."""
    admin = await api("admin")
    everyone = (await admin.get(f"{API}/members", params={"limit": 200})).json()
    names = [m["name"] for m in everyone["items"]]
    assert everyone["total"] == len(names) >= 6
    assert names == sorted(names)
    pages = []
    for offset in range(0, everyone["total"] + 2, 2):
        r = await admin.get(f"{API}/members", params={"limit": 2, "offset": offset})
        assert r.status_code == 200, r.text
        page = r.json()
        assert (page["total"], page["limit"], page["offset"]) == (everyone["total"], 2, offset)
        pages += page["items"]
    assert pages == everyone["items"]

    viewer = org.members[Role.VIEWER]
    r = await admin.patch(f"{API}/members/{viewer.id}", json={"is_active": False, "version": 1})
    assert r.status_code == 200, r.text
    active = (await admin.get(f"{API}/members", params={"limit": 200})).json()
    assert active["total"] == everyone["total"] - 1
    assert str(viewer.id) not in {m["id"] for m in active["items"]}
    r = await admin.get(
        f"{API}/members", params={"limit": 1, "offset": 500, "include_inactive": True}
    )
    assert r.json() == {"items": [], "total": everyone["total"], "limit": 1, "offset": 500}
