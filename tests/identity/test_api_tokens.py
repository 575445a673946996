"""Scoped API tokens for integrations: the secret is shown once and stored hashed."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.clock import utcnow
from mems.core.security import token_hash
from mems.identity.models import ApiToken
from tests.conftest import ENGLISH, ApiFactory
from tests.factories import OrgWithMembers


def bearer(app_client: httpx.AsyncClient, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=app_client._transport,  # the same app
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {token}", **ENGLISH},
    )


async def test_create_shows_secret_once_and_stores_only_its_hash(
    api: ApiFactory, session: AsyncSession
) -> None:
    c = await api("director")
    r = await c.post(
        "/api/v1/api-tokens", json={"name": "投放数据同步", "scopes": ["members:read"]}
    )
    assert r.status_code == 201, r.text
    created = r.json()
    secret = created["token"]
    assert secret.startswith("mems_pat_")
    assert created["prefix"] == secret[:13]
    assert created["scopes"] == ["members:read"]

    listed = (await c.get("/api/v1/api-tokens")).json()
    assert listed["total"] == 1
    assert "token" not in listed["items"][0]
    assert secret not in str(listed)

    row = await session.get(ApiToken, uuid.UUID(created["id"]))
    assert row is not None
    assert row.token_hash == token_hash(secret)
    assert secret not in (row.token_hash, row.prefix)


async def test_token_acts_within_its_scopes(api: ApiFactory) -> None:
    admin = await api("admin")
    secret = (
        await admin.post(
            "/api/v1/api-tokens", json={"name": "只读成员", "scopes": ["members:read", "org:read"]}
        )
    ).json()["token"]
    async with bearer(admin, secret) as integ:
        me = (await integ.get("/api/v1/me")).json()
        assert me["via"] == "api_token"
        assert sorted(me["permissions"]) == ["members:read", "org:read"]
        assert (await integ.get("/api/v1/members")).status_code == 200
        # The admin may manage members, but this token was not given that scope.
        r = await integ.post(
            "/api/v1/members",
            json={"email": "x@example.cn", "name": "X", "role": "member", "password": "12345678"},
        )
        assert r.status_code == 403
        assert "scope" in r.json()["detail"]
        # Tokens cannot mint tokens, nor log out.
        assert (await integ.get("/api/v1/audit-logs")).status_code == 403


async def test_revoked_token_stops_working(api: ApiFactory) -> None:
    c = await api("finance")
    created = (
        await c.post("/api/v1/api-tokens", json={"name": "财务导出", "scopes": ["org:read"]})
    ).json()
    async with bearer(c, created["token"]) as integ:
        assert (await integ.get("/api/v1/org")).status_code == 200
        assert (await c.delete(f"/api/v1/api-tokens/{created['id']}")).status_code == 204
        assert (await integ.get("/api/v1/org")).status_code == 401
    listed = (await c.get("/api/v1/api-tokens")).json()["items"]
    assert listed[0]["revoked_at"] is not None


async def test_expired_token_is_refused(api: ApiFactory, session: AsyncSession) -> None:
    c = await api("viewer")
    created = (
        await c.post(
            "/api/v1/api-tokens",
            json={"name": "看板", "scopes": ["org:read"], "expires_in_days": 1},
        )
    ).json()
    row = await session.get(ApiToken, uuid.UUID(created["id"]))
    assert row is not None
    row.expires_at = utcnow() - timedelta(seconds=1)
    await session.commit()
    async with bearer(c, created["token"]) as integ:
        assert (await integ.get("/api/v1/org")).status_code == 401


async def test_cannot_grant_scopes_beyond_the_role(api: ApiFactory, session: AsyncSession) -> None:
    c = await api("project_manager")
    r = await c.post(
        "/api/v1/api-tokens", json={"name": "越权", "scopes": ["org:read", "members:manage"]}
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "scopes[1]"
    assert (await session.scalar(select(ApiToken).where(ApiToken.name == "越权"))) is None
    scopes = (await c.get("/api/v1/api-token-scopes")).json()
    assert "members:manage" not in scopes
    assert "org:read" in scopes


async def test_unknown_scope_is_422(api: ApiFactory) -> None:
    c = await api("admin")
    r = await c.post("/api/v1/api-tokens", json={"name": "坏", "scopes": ["everything"]})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "scopes[0]"


async def test_people_see_their_own_tokens_admins_see_all(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    director = await api("director")
    finance = await api("finance")
    admin = await api("admin")
    d = (
        await director.post("/api/v1/api-tokens", json={"name": "D", "scopes": ["org:read"]})
    ).json()
    await finance.post("/api/v1/api-tokens", json={"name": "F", "scopes": ["org:read"]})
    assert [t["name"] for t in (await director.get("/api/v1/api-tokens")).json()["items"]] == ["D"]
    assert sorted(t["name"] for t in (await admin.get("/api/v1/api-tokens")).json()["items"]) == [
        "D",
        "F",
    ]
    # Someone else's token is not found for a non-admin, and can be revoked by an admin.
    assert (await finance.delete(f"/api/v1/api-tokens/{d['id']}")).status_code == 404
    assert (await admin.delete(f"/api/v1/api-tokens/{d['id']}")).status_code == 204


async def test_api_token_cannot_create_tokens(api: ApiFactory) -> None:
    admin = await api("admin")
    secret = (
        await admin.post(
            "/api/v1/api-tokens", json={"name": "集成", "scopes": ["api_tokens:manage"]}
        )
    ).json()["token"]
    async with bearer(admin, secret) as integ:
        r = await integ.post("/api/v1/api-tokens", json={"name": "套娃", "scopes": ["org:read"]})
        assert r.status_code == 403
        assert (await integ.post("/api/v1/auth/logout")).status_code == 409
