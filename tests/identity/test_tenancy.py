"""Another organisation's objects are invisible: a foreign id is answered exactly like a
missing one (404, same body), lists never show foreign rows, and nothing foreign changes."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.audit import AuditLog
from mems.core.jobs import InProcessQueue
from mems.identity.models import ApiToken, Membership, Organization, User
from mems.identity.permissions import Role
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers

API = "/api/v1"
PROBLEM = "application/problem+json"


def _shape(r: httpx.Response, the_id: str) -> dict[str, Any]:
    """The problem body with the requested id masked, to compare foreign with missing."""
    assert r.headers["content-type"] == PROBLEM
    return {
        k: (v.replace(the_id, "<id>") if isinstance(v, str) else v) for k, v in r.json().items()
    }


async def _assert_like_missing(
    c: httpx.AsyncClient, method: str, path: str, foreign_id: Any, body: Any = None
) -> None:
    missing_id = uuid.uuid4()
    foreign = await c.request(method, path.format(id=foreign_id), json=body)
    missing = await c.request(method, path.format(id=missing_id), json=body)
    assert foreign.status_code == 404, foreign.text
    assert missing.status_code == 404, missing.text
    assert foreign.json()["type"] == "urn:mems:problem:not-found"
    assert _shape(foreign, str(foreign_id)) == _shape(missing, str(missing_id))
    assert set(foreign.headers) - {"x-request-id"} == set(missing.headers) - {"x-request-id"}


async def _foreign_state(session: AsyncSession, other: OrgWithMembers) -> dict[str, Any]:
    """Everything about the other organisation that a leak could change."""
    members = (
        await session.execute(
            select(
                Membership.id,
                Membership.role,
                Membership.is_active,
                Membership.version,
                User.name,
                User.version,
            )
            .join(User, User.id == Membership.user_id)
            .where(Membership.org_id == other.org.id)
            .order_by(Membership.id)
        )
    ).all()
    tokens = (
        await session.execute(
            select(ApiToken.id, ApiToken.revoked_at, ApiToken.version)
            .where(ApiToken.org_id == other.org.id)
            .order_by(ApiToken.id)
        )
    ).all()
    org_row = (
        await session.execute(
            select(Organization.name, Organization.version).where(Organization.id == other.org.id)
        )
    ).one()
    audit = await session.scalar(
        select(func.count()).select_from(AuditLog).where(AuditLog.org_id == other.org.id)
    )
    return {"members": members, "tokens": tokens, "org": org_row, "audit": audit}


def _only(listed: httpx.Response) -> str:
    items = listed.json()["items"]
    assert len(items) == 1, items
    return str(items[0]["id"])


@pytest.fixture
async def foreign(
    api: ApiFactory, other_org: OrgWithMembers, jobs: InProcessQueue
) -> dict[str, Any]:
    """Objects of the other organisation, made through its own API (so it has audit rows)."""
    admin = await api("admin", in_org=other_org)
    director = await api("director", in_org=other_org)
    email = f"foreign-{uuid.uuid4().hex[:8]}@example.cn"
    added = await admin.post(
        f"{API}/members",
        json={
            "email": email,
            "name": "外部公司员工",
            "role": "member",
            "password": "long-enough-1",
        },
    )
    assert added.status_code == 202, added.text
    member = await admin.get(
        f"{API}/members/{_only(await admin.get(f'{API}/members', params={'q': email}))}"
    )
    token = await director.post(
        f"{API}/api-tokens", json={"name": "外部集成", "scopes": ["org:read"]}
    )
    assert token.status_code == 201, token.text
    check = await admin.post(f"{API}/system/job-checks")
    assert check.status_code == 202, check.text
    await jobs.drain()
    return {
        "member": member.json(),
        "token": token.json(),
        "check": check.json(),
        "admin_user_id": str(other_org.members[Role.ADMIN].user_id),
    }


async def test_foreign_member_is_404_like_a_missing_one(
    api: ApiFactory,
    other_org: OrgWithMembers,
    foreign: dict[str, Any],
    session: AsyncSession,
) -> None:
    admin = await api("admin")
    before = await _foreign_state(session, other_org)
    member_id = foreign["member"]["id"]
    path = f"{API}/members/{{id}}"
    await _assert_like_missing(admin, "GET", path, member_id)
    await _assert_like_missing(
        admin, "PATCH", path, member_id, {"name": "被篡改", "role": "admin", "version": 1}
    )
    await _assert_like_missing(admin, "PATCH", path, member_id, {"is_active": False, "version": 1})
    await _assert_like_missing(admin, "DELETE", path, member_id)
    # Also the other organisation's own admin, the most tempting target.
    other_admin_id = other_org.members[Role.ADMIN].id
    await _assert_like_missing(admin, "DELETE", path, other_admin_id)
    assert await _foreign_state(session, other_org) == before


async def test_foreign_api_token_is_404_and_stays_valid(
    app: object,
    api: ApiFactory,
    other_org: OrgWithMembers,
    foreign: dict[str, Any],
    session: AsyncSession,
) -> None:
    admin = await api("admin")
    before = await _foreign_state(session, other_org)
    await _assert_like_missing(admin, "DELETE", f"{API}/api-tokens/{{id}}", foreign["token"]["id"])
    assert await _foreign_state(session, other_org) == before
    # The token still works, in its own organisation only.
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    headers = {"Authorization": f"Bearer {foreign['token']['token']}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=headers) as c:
        r = await c.get(f"{API}/org")
        assert r.status_code == 200, r.text
        assert r.json()["id"] == str(other_org.org.id)


async def test_foreign_job_check_is_404(
    api: ApiFactory, foreign: dict[str, Any], session: AsyncSession
) -> None:
    admin = await api("admin")
    await _assert_like_missing(
        admin, "GET", f"{API}/system/job-checks/{{id}}", foreign["check"]["id"]
    )


async def test_lists_never_include_foreign_rows(
    api: ApiFactory,
    org: OrgWithMembers,
    other_org: OrgWithMembers,
    foreign: dict[str, Any],
    session: AsyncSession,
) -> None:
    admin = await api("admin")
    # Our own token, so the token list is not trivially empty.
    mine = await admin.post(f"{API}/api-tokens", json={"name": "本公司", "scopes": ["org:read"]})
    assert mine.status_code == 201

    members = (await admin.get(f"{API}/members", params={"include_inactive": True})).json()
    own_ids = {str(m.id) for m in org.members.values()}
    assert {m["id"] for m in members["items"]} == own_ids
    assert members["total"] == len(own_ids)
    searched = await admin.get(f"{API}/members", params={"q": "外部公司"})
    assert searched.json()["items"] == []
    assert searched.json()["total"] == 0

    tokens = (await admin.get(f"{API}/api-tokens")).json()
    assert [t["id"] for t in tokens["items"]] == [mine.json()["id"]]
    assert tokens["total"] == 1

    foreign_audit_ids = set(
        (
            await session.scalars(select(AuditLog.id).where(AuditLog.org_id == other_org.org.id))
        ).all()
    )
    assert foreign_audit_ids, "the other organisation should have audit rows"
    audit = (await admin.get(f"{API}/audit-logs", params={"limit": 200})).json()
    assert audit["items"], "our own organisation has audit rows too"
    assert not {a["id"] for a in audit["items"]} & {str(i) for i in foreign_audit_ids}
    assert foreign["member"]["id"] not in {a["entity_id"] for a in audit["items"]}
    for params in (
        {"entity_id": foreign["member"]["id"]},
        {"entity_id": foreign["token"]["id"]},
        {"actor_id": foreign["admin_user_id"]},
        {"entity_type": "organizations", "entity_id": str(other_org.org.id)},
    ):
        r = await admin.get(f"{API}/audit-logs", params=params)
        assert r.status_code == 200
        assert r.json()["items"] == [], params
        assert r.json()["total"] == 0, params


async def test_other_org_admin_sees_only_its_own(
    api: ApiFactory, org: OrgWithMembers, other_org: OrgWithMembers, session: AsyncSession
) -> None:
    """The mirror image: our writes are invisible to the other organisation."""
    admin = await api("admin")
    email = f"ours-{uuid.uuid4().hex[:8]}@example.cn"
    added = await admin.post(
        f"{API}/members",
        json={"email": email, "name": "本公司新人", "role": "viewer", "password": "long-enough-1"},
    )
    assert added.status_code == 202
    created = await admin.get(
        f"{API}/members/{_only(await admin.get(f'{API}/members', params={'q': email}))}"
    )
    other_admin = await api("admin", in_org=other_org)
    assert (await other_admin.get(f"{API}/org")).json()["id"] == str(other_org.org.id)
    await _assert_like_missing(other_admin, "GET", f"{API}/members/{{id}}", created.json()["id"])
    listed = (await other_admin.get(f"{API}/members")).json()
    assert created.json()["id"] not in {m["id"] for m in listed["items"]}
    audit = (await other_admin.get(f"{API}/audit-logs", params={"limit": 200})).json()
    assert created.json()["id"] not in {a["entity_id"] for a in audit["items"]}
    # And the member really exists, in our organisation.
    org_of_created = await session.scalar(
        select(Membership.org_id).where(Membership.id == uuid.UUID(created.json()["id"]))
    )
    assert org_of_created == org.org.id


async def test_adding_a_person_from_another_org_changes_nothing_there(
    api: ApiFactory, other_org: OrgWithMembers, session: AsyncSession
) -> None:
    """A person may belong to two organisations, but one organisation's admin must not be
    able to change what the other organisation sees (here: the person's name)."""
    admin = await api("admin")
    shared = other_org.members[Role.FINANCE]
    before = await _foreign_state(session, other_org)
    added = await admin.post(
        f"{API}/members",
        json={
            "email": other_org.email(Role.FINANCE),
            "name": "随便起的名字",
            "role": "viewer",
            "password": "long-enough-1",
        },
    )
    # Invited, not enrolled: nothing of the person shows here, nothing changes there.
    assert added.status_code == 202, added.text
    assert added.json()["name"] == "随便起的名字"
    listed = await admin.get(f"{API}/members", params={"q": other_org.email(Role.FINANCE)})
    assert listed.json()["total"] == 0

    other_admin = await api("admin", in_org=other_org)
    seen = await other_admin.get(f"{API}/members/{shared.id}")
    assert seen.status_code == 200
    assert seen.json()["name"] == "finance 用户"
    assert await _foreign_state(session, other_org) == before
