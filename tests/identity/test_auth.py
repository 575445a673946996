"""Logging in and out: cookies for the SPA, bearer tokens for clients, CSRF, throttling."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.clock import utcnow
from mems.core.security import token_hash
from mems.identity.models import AuthSession, LoginAttempt
from tests.factories import PASSWORD, OrgWithMembers


def _cookie_headers(response: httpx.Response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h for h in response.headers.get_list("set-cookie")}


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    """The SPA's login: cookies, and the user in the body."""
    return await client.post("/api/v1/auth/login", json={"email": email, "password": password})


async def bearer(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> str:
    """An API client's login: a bearer token."""
    r = await client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


async def test_login_sets_session_and_csrf_cookies_and_returns_the_user_and_no_secret(
    client: httpx.AsyncClient, org: OrgWithMembers, session: AsyncSession
) -> None:
    r = await login(client, org.email("director"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["role"] == "director"
    assert body["org"]["id"] == str(org.org.id)
    assert "members:read" in body["permissions"]
    assert body["via"] == "session"

    cookies = _cookie_headers(r)
    session_cookie = cookies["mems_session"].lower()
    assert "httponly" in session_cookie
    assert "samesite=lax" in session_cookie
    assert "httponly" not in cookies["mems_csrf"].lower()  # the SPA must read it
    assert "httponly" in cookies["mems_device"].lower()
    secret = client.cookies["mems_session"]
    assert secret not in r.text  # the secret is only in the HttpOnly cookie
    assert "access_token" not in body
    assert "csrf_token" not in body

    # Only the hash of the token is stored.
    stored = await session.scalar(
        select(AuthSession).where(AuthSession.token_hash == token_hash(secret))
    )
    assert stored is not None
    assert secret not in {stored.token_hash, stored.id.hex}


async def test_token_endpoint_gives_api_clients_a_bearer_token_and_no_cookie(
    client: httpx.AsyncClient, org: OrgWithMembers
) -> None:
    r = await client.post(
        "/api/v1/auth/token", json={"email": org.email("member"), "password": PASSWORD}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"access_token", "token_type", "expires_at"}
    assert body["token_type"] == "bearer"
    assert "set-cookie" not in r.headers
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["via"] == "bearer"
    wrong = await client.post(
        "/api/v1/auth/token", json={"email": org.email("member"), "password": "nope"}
    )
    assert wrong.status_code == 401


async def test_login_email_is_case_insensitive(
    client: httpx.AsyncClient, org: OrgWithMembers
) -> None:
    r = await login(client, org.email("member").upper())
    assert r.status_code == 200, r.text


async def test_bearer_token_from_login_works_without_csrf(
    client: httpx.AsyncClient, org: OrgWithMembers
) -> None:
    token = await bearer(client, org.email("admin"))
    client.cookies.clear()
    headers = {"Authorization": f"Bearer {token}"}
    assert (await client.get("/api/v1/me", headers=headers)).json()["via"] == "bearer"
    r = await client.patch("/api/v1/org", headers=headers, json={"name": "新名字", "version": 1})
    assert r.status_code == 200, r.text


async def test_cookie_session_needs_csrf_on_unsafe_methods(
    client: httpx.AsyncClient, org: OrgWithMembers
) -> None:
    await login(client, org.email("admin"))
    me = await client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["via"] == "session"

    refused = await client.patch("/api/v1/org", json={"name": "被拒绝", "version": 1})
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    wrong = await client.patch(
        "/api/v1/org", json={"name": "被拒绝", "version": 1}, headers={"X-CSRF-Token": "0" * 64}
    )
    assert wrong.status_code == 403
    assert (await client.get("/api/v1/org")).json()["name"] != "被拒绝"

    ok = await client.patch(
        "/api/v1/org",
        json={"name": "已接受", "version": 1},
        headers={"X-CSRF-Token": client.cookies["mems_csrf"]},
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["name"] == "已接受"


async def test_logout_ends_the_session(client: httpx.AsyncClient, org: OrgWithMembers) -> None:
    assert (await login(client, org.email("member"))).status_code == 200
    csrf = client.cookies["mems_csrf"]
    r = await client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 204
    assert (await client.get("/api/v1/me")).status_code == 401
    # A client's bearer login ends the same way.
    token = await bearer(client, org.email("member"))
    r = await client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 204
    r = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("email", "password"),
    [("member", "wrong-password"), ("nobody@example.cn", PASSWORD)],
    ids=["wrong-password", "unknown-user"],
)
async def test_failed_login_is_401_and_recorded(
    client: httpx.AsyncClient, org: OrgWithMembers, session: AsyncSession, email: str, password: str
) -> None:
    address = org.email(email) if "@" not in email else email
    r = await login(client, address, password)
    assert r.status_code == 401
    assert r.json()["type"] == "urn:mems:problem:unauthorized"
    assert "mems_session" not in client.cookies
    attempts = await session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.email == address.lower(), LoginAttempt.succeeded.is_(False))
    )
    assert attempts == 1
    sessions = await session.scalar(select(func.count()).select_from(AuthSession))
    assert sessions == 0


async def test_inactive_member_cannot_log_in(
    client: httpx.AsyncClient, org: OrgWithMembers, session: AsyncSession
) -> None:
    org.members["viewer"].is_active = False  # type: ignore[index]
    await session.commit()
    assert (await login(client, org.email("viewer"))).status_code == 401


async def test_repeated_failures_slow_down_the_account(
    client: httpx.AsyncClient, org: OrgWithMembers, session: AsyncSession
) -> None:
    email = org.email("finance")
    for _ in range(5):
        assert (await login(client, email, "guess")).status_code == 401
    # Past the allowance even the right password waits, and is told for how long.
    r = await login(client, email)
    assert r.status_code == 429
    assert r.headers["content-type"] == "application/problem+json"
    assert int(r.headers["Retry-After"]) >= 1
    # Other accounts are not affected.
    assert (await login(client, org.email("viewer"))).status_code == 200

    # Once the wait has passed (attempts moved back in time), the right password works.
    await session.execute(update(LoginAttempt).values(created_at=utcnow() - timedelta(minutes=5)))
    await session.commit()
    assert (await login(client, email)).status_code == 200


async def test_repeated_failures_slow_down_the_address(app: object, org: OrgWithMembers) -> None:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 5000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        for i in range(20):  # many accounts from one address: 4x the per-account allowance
            assert (await login(c, f"guess{i}@example.cn", "x")).status_code == 401
        r = await login(c, org.email("admin"))
        assert r.status_code == 429
    # The same account from another address still logs in.
    other = httpx.ASGITransport(app=app, client=("198.51.100.7", 5000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=other, base_url="http://testserver") as c:
        assert (await login(c, org.email("admin"))).status_code == 200


async def test_expired_session_is_refused(
    client: httpx.AsyncClient, org: OrgWithMembers, session: AsyncSession
) -> None:
    token = await bearer(client, org.email("project_manager"))
    await session.execute(
        update(AuthSession)
        .where(AuthSession.token_hash == token_hash(token))
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
    await session.commit()
    r = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer not-a-token", "Token x"])
async def test_bad_authorization_header_is_401(client: httpx.AsyncClient, header: str) -> None:
    r = await client.get("/api/v1/me", headers={"Authorization": header})
    assert r.status_code == 401
    assert r.json()["status"] == 401
