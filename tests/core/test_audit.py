"""The audit log: every create, update and delete, with who, what, before/after and the
request it came from; readable by admins through GET /audit-logs."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.audit import AuditLog
from mems.identity.models import ApiToken, User
from mems.identity.permissions import Role
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers

API = "/api/v1"


async def _audit(c: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    r = await c.get(f"{API}/audit-logs", params={"limit": 200, **params})
    assert r.status_code == 200, r.text
    page = r.json()
    assert set(page) == {"items", "total", "limit", "offset"}
    assert page["total"] == len(page["items"])
    return list(page["items"])


async def _audit_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(AuditLog)) or 0)


async def _create_member(
    c: httpx.AsyncClient, **extra: Any
) -> tuple[httpx.Response, dict[str, Any]]:
    """Add a new e-mail: the POST's response, and the member as listed."""
    body = {
        "email": f"audit-{uuid.uuid4().hex[:8]}@example.cn",
        "name": "审计对象",
        "role": "member",
        "password": "long-enough-1",
    }
    r = await c.post(f"{API}/members", json=body, **extra)
    assert r.status_code == 202, r.text
    listed = await c.get(f"{API}/members", params={"q": body["email"]})
    return r, dict(listed.json()["items"][0])


async def test_create_update_delete_of_a_member_are_audited(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    admin = await api("admin")
    actor = org.members[Role.ADMIN].user
    created, member = await _create_member(admin)
    updated = await admin.patch(
        f"{API}/members/{member['id']}", json={"role": "director", "version": 1}
    )
    assert updated.status_code == 200, updated.text
    deleted = await admin.delete(f"{API}/members/{member['id']}")
    assert deleted.status_code == 204

    rows = await _audit(admin, entity_type="memberships", entity_id=member["id"])
    by_action = {r["action"]: r for r in rows}
    assert sorted(by_action) == ["create", "delete", "update"]
    assert len(rows) == 3
    # Newest first.
    assert [r["action"] for r in rows] == ["delete", "update", "create"]
    for row in rows:
        assert row["actor_user_id"] == str(actor.id)
        assert row["actor_name"] == actor.name
        assert row["entity_type"] == "memberships"
        assert row["entity_id"] == member["id"]

    create = by_action["create"]
    assert create["before"] is None
    assert create["after"]["role"] == "member"
    assert create["after"]["user_id"] == member["user_id"]
    assert create["after"]["org_id"] == str(org.org.id)
    assert create["request_id"] == created.headers["x-request-id"]

    update = by_action["update"]
    assert update["before"] == {"role": "member"}
    assert update["after"] == {"role": "director"}
    assert update["request_id"] == updated.headers["x-request-id"]

    delete = by_action["delete"]
    assert delete["after"] is None
    assert delete["before"]["role"] == "director"
    assert delete["before"]["id"] == member["id"]
    assert delete["request_id"] == deleted.headers["x-request-id"]

    # The new user account was audited too, in the same request, without its password hash.
    users = await _audit(admin, entity_type="users", entity_id=member["user_id"])
    assert [u["action"] for u in users] == ["create"]
    assert users[0]["request_id"] == created.headers["x-request-id"]
    assert users[0]["after"]["email"] == member["email"]
    assert "password_hash" not in users[0]["after"]


async def test_rename_shows_only_the_changed_field(api: ApiFactory) -> None:
    admin = await api("admin")
    _, member = await _create_member(admin)
    r = await admin.patch(
        f"{API}/members/{member['id']}", json={"name": "改过的名字", "version": 1}
    )
    assert r.status_code == 200, r.text
    rows = await _audit(admin, action="update", entity_id=member["user_id"])
    assert len(rows) == 1
    assert rows[0]["entity_type"] == "users"
    assert rows[0]["before"] == {"name": "审计对象"}
    assert rows[0]["after"] == {"name": "改过的名字"}
    assert rows[0]["request_id"] == r.headers["x-request-id"]


async def test_org_update_is_audited_with_only_changed_fields(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    admin = await api("admin")
    r = await admin.patch(
        f"{API}/org",
        json={"name": org.org.name, "timezone": "Europe/Berlin", "version": 1},
        headers={"X-Request-ID": "req-org-update-1"},
    )
    assert r.status_code == 200, r.text
    assert r.headers["x-request-id"] == "req-org-update-1"
    rows = await _audit(admin, entity_type="organizations", action="update")
    assert len(rows) == 1
    row = rows[0]
    assert row["action"] == "update"
    assert row["entity_id"] == str(org.org.id)
    # The name was sent unchanged: only the time zone appears; version/updated_at never do.
    assert row["before"] == {"timezone": "Asia/Shanghai"}
    assert row["after"] == {"timezone": "Europe/Berlin"}
    assert row["request_id"] == "req-org-update-1"


async def test_secrets_never_reach_the_audit_log(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    director = await api("director")
    created = await director.post(
        f"{API}/api-tokens", json={"name": "审计集成", "scopes": ["org:read"]}
    )
    assert created.status_code == 201, created.text
    token = created.json()
    revoked = await director.delete(f"{API}/api-tokens/{token['id']}")
    assert revoked.status_code == 204
    admin = await api("admin")
    await _create_member(admin)

    rows = await _audit(admin, entity_type="api_tokens", entity_id=token["id"])
    assert [r["action"] for r in rows] == ["update", "create"]
    create, update = rows[1], rows[0]
    assert create["actor_user_id"] == str(org.members[Role.DIRECTOR].user_id)
    assert create["after"]["name"] == "审计集成"
    assert create["after"]["scopes"] == ["org:read"]
    assert set(update["before"]) == {"revoked_at"}
    assert update["before"]["revoked_at"] is None
    assert update["after"]["revoked_at"]

    stored_hash = await session.scalar(
        select(ApiToken.token_hash).where(ApiToken.id == uuid.UUID(token["id"]))
    )
    password_hashes = set((await session.scalars(select(User.password_hash))).all())
    everything = json.dumps(await _audit(admin), ensure_ascii=False)
    assert "password_hash" not in everything
    assert "token_hash" not in everything
    assert token["token"] not in everything
    assert stored_hash
    assert stored_hash not in everything
    assert not any(h in everything for h in password_hashes)
    # And straight from the table, not only through the API's view of it.
    raw = [
        json.dumps([r.before, r.after], ensure_ascii=False)
        for r in (await session.scalars(select(AuditLog))).all()
    ]
    assert raw
    assert not any("password_hash" in r or "token_hash" in r for r in raw)


async def test_request_id_is_generated_when_not_sent(api: ApiFactory) -> None:
    admin = await api("admin")
    r, member = await _create_member(admin)
    request_id = r.headers["x-request-id"]
    assert len(request_id) >= 16
    rows = await _audit(admin, entity_id=member["id"])
    assert [row["request_id"] for row in rows] == [request_id]
    # A bad incoming id is replaced, not stored.
    r2, member2 = await _create_member(admin, headers={"X-Request-ID": "bad id; drop table"})
    assert r2.headers["x-request-id"] != "bad id; drop table"
    rows = await _audit(admin, entity_id=member2["id"])
    assert [row["request_id"] for row in rows] == [r2.headers["x-request-id"]]


async def test_filters(api: ApiFactory, org: OrgWithMembers) -> None:
    admin = await api("admin")
    director = await api("director")
    _, member = await _create_member(admin)
    await admin.patch(f"{API}/members/{member['id']}", json={"role": "viewer", "version": 1})
    token = await director.post(f"{API}/api-tokens", json={"name": "过滤", "scopes": ["org:read"]})
    assert token.status_code == 201

    everything = await _audit(admin)
    assert {r["action"] for r in everything} == {"create", "update"}

    only_updates = await _audit(admin, action="update")
    assert only_updates
    assert all(r["action"] == "update" for r in only_updates)
    assert len(only_updates) == sum(1 for r in everything if r["action"] == "update")

    only_tokens = await _audit(admin, entity_type="api_tokens")
    assert [r["entity_id"] for r in only_tokens] == [token.json()["id"]]

    by_director = await _audit(admin, actor_id=str(org.members[Role.DIRECTOR].user_id))
    assert [(r["entity_type"], r["action"]) for r in by_director] == [("api_tokens", "create")]
    by_admin = await _audit(admin, actor_id=str(org.members[Role.ADMIN].user_id))
    assert by_admin
    assert {r["actor_user_id"] for r in by_admin} == {str(org.members[Role.ADMIN].user_id)}
    assert len(by_admin) + len(by_director) == len(
        [r for r in everything if r["actor_user_id"] is not None]
    )

    # The fixture's members were created without an actor; ours was created by the admin.
    combined = await _audit(
        admin,
        entity_type="memberships",
        action="create",
        actor_id=str(org.members[Role.ADMIN].user_id),
    )
    assert [r["entity_id"] for r in combined] == [member["id"]]
    all_member_creates = await _audit(admin, entity_type="memberships", action="create")
    assert {r["entity_id"] for r in all_member_creates} == {member["id"]} | {
        str(m.id) for m in org.members.values()
    }
    none = await _audit(admin, entity_type="memberships", action="delete")
    assert none == []

    paged = await admin.get(f"{API}/audit-logs", params={"limit": 1, "offset": 1})
    assert paged.json()["total"] == len(everything)
    assert [r["id"] for r in paged.json()["items"]] == [everything[1]["id"]]


async def test_refused_and_failed_requests_write_no_audit_row(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    admin = await api("admin")
    director = await api("director")
    target = org.members[Role.MEMBER]
    before = await _audit_count(session)
    listed_before = await _audit(admin)

    refused = await director.patch(
        f"{API}/members/{target.id}", json={"role": "admin", "version": 1}
    )
    assert refused.status_code == 403
    stale = await admin.patch(f"{API}/members/{target.id}", json={"role": "viewer", "version": 9})
    assert stale.status_code == 409
    last_admin = await admin.patch(
        f"{API}/members/{org.members[Role.ADMIN].id}", json={"role": "viewer", "version": 1}
    )
    assert last_admin.status_code == 409
    invalid = await admin.post(f"{API}/members", json={"email": "x@example.cn"})
    assert invalid.status_code == 422
    duplicate = await admin.post(
        f"{API}/members",
        json={"email": org.email("viewer"), "name": "重复", "role": "member", "password": "x" * 10},
    )
    assert duplicate.status_code == 409
    bad_scope = await director.post(
        f"{API}/api-tokens", json={"name": "越权", "scopes": ["audit:read"]}
    )
    assert bad_scope.status_code == 422

    assert await _audit_count(session) == before
    assert await _audit(admin) == listed_before


async def test_non_admins_cannot_read_the_audit_log(api: ApiFactory) -> None:
    admin = await api("admin")
    await _create_member(admin)
    for role in ("director", "project_manager", "member", "finance", "viewer"):
        c = await api(role)
        r = await c.get(f"{API}/audit-logs")
        assert r.status_code == 403, role
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["type"] == "urn:mems:problem:forbidden"
        assert "items" not in r.json()


async def test_removing_a_member_audits_the_removal_of_their_tokens(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    admin = await api("admin")
    finance = await api("finance")
    token = (
        await finance.post("/api/v1/api-tokens", json={"name": "导出", "scopes": ["org:read"]})
    ).json()
    assert (
        await admin.delete(f"/api/v1/members/{org.members[Role.FINANCE].id}")
    ).status_code == 204
    rows = (await admin.get("/api/v1/audit-logs", params={"action": "delete"})).json()["items"]
    assert {(r["entity_type"], r["entity_id"]) for r in rows} >= {
        ("api_tokens", token["id"]),
        ("memberships", str(org.members[Role.FINANCE].id)),
    }


async def test_the_audit_log_pages_newest_first_and_filters_by_actor(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    admin = await api("admin")
    for _ in range(3):
        await _create_member(admin)
    everything = await _audit(admin)
    assert len(everything) >= 3
    assert [r["created_at"] for r in everything] == sorted(
        (r["created_at"] for r in everything), reverse=True
    )
    r = await admin.get(f"{API}/audit-logs", params={"limit": 2, "offset": 1})
    page = r.json()
    assert page["items"] == everything[1:3]
    assert (page["total"], page["limit"], page["offset"]) == (len(everything), 2, 1)
    r = await admin.get(f"{API}/audit-logs", params={"limit": 2, "offset": 10_000})
    assert r.json() == {"items": [], "total": len(everything), "limit": 2, "offset": 10_000}

    admin_user = str(org.members[Role.ADMIN].user_id)
    by_admin = [r for r in everything if r["actor_user_id"] == admin_user]
    assert len(by_admin) >= 3
    assert await _audit(admin, actor_id=admin_user) == by_admin
    assert await _audit(admin, actor_id=str(uuid.uuid4())) == []
