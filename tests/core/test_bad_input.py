"""Bad input is refused with a precise RFC 9457 problem, and refused writes write nothing."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.audit import AuditLog
from mems.core.clock import utcnow
from mems.core.security import new_token, token_hash
from mems.identity.models import ApiToken, AuthSession, Membership, User
from mems.identity.permissions import Role
from mems.identity.principal import API_TOKEN_PREFIX
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers, make_session_token

API = "/api/v1"
PROBLEM = "application/problem+json"
LIMIT = 64 * 1024  # settings.max_body_bytes in the test settings


def _problem(r: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body = dict(r.json())
    assert body["type"] == f"urn:mems:problem:{slug}"
    assert body["status"] == status
    assert body["title"]
    return body


def _fields(problem: dict[str, Any]) -> list[str]:
    errors = problem["errors"]
    assert errors, problem
    for e in errors:
        assert set(e) == {"field", "message", "type"}
        assert e["message"]
    return sorted(e["field"] for e in errors)


async def _counts(session: AsyncSession) -> tuple[int, int, int, int]:
    """Rows a rejected write must not add or change."""
    result = []
    for model in (Membership, User, AuditLog, ApiToken):
        result.append(int(await session.scalar(select(func.count()).select_from(model)) or 0))
    return tuple(result)  # type: ignore[return-value]


@pytest.fixture
async def admin(api: ApiFactory) -> httpx.AsyncClient:
    return await api("admin")


@pytest.fixture
async def unchanged(session: AsyncSession) -> AsyncIterator[None]:
    """Asserts, after the test, that it wrote no member, user, audit row or token."""
    before = await _counts(session)
    yield
    assert await _counts(session) == before, "a rejected request wrote something"


def _member_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": f"bad-{uuid.uuid4().hex[:8]}@example.cn",
        "name": "输入测试",
        "role": "member",
        "password": "long-enough-1",
    }
    body.update(overrides)
    return body


# --- malformed JSON -------------------------------------------------------------------


MALFORMED = [b'{"email": "a@example.cn",', b"{'email': 'a@example.cn'}", b"not json", b'{"a": 1} x']


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/members"), ("PATCH", "/org"), ("POST", "/api-tokens")],
)
async def test_malformed_json_is_400(
    admin: httpx.AsyncClient, unchanged: None, method: str, path: str
) -> None:
    for raw in MALFORMED:
        r = await admin.request(
            method, f"{API}{path}", content=raw, headers={"Content-Type": "application/json"}
        )
        body = _problem(r, 400, "malformed-body")
        assert "JSON" in body["detail"], raw
        assert body["instance"] == f"{API}{path}"


async def test_malformed_json_to_a_member_is_400(
    admin: httpx.AsyncClient, org: OrgWithMembers, unchanged: None
) -> None:
    r = await admin.patch(
        f"{API}/members/{org.members[Role.MEMBER].id}",
        content=b'{"role": "admin", "version": 1',
        headers={"Content-Type": "application/json"},
    )
    _problem(r, 400, "malformed-body")


@pytest.mark.parametrize("raw", [b"[]", b'"a string"', b"42", b"null"])
async def test_json_that_is_not_an_object_is_422(
    admin: httpx.AsyncClient, unchanged: None, raw: bytes
) -> None:
    r = await admin.post(
        f"{API}/members", content=raw, headers={"Content-Type": "application/json"}
    )
    problem = _problem(r, 422, "validation-failed")
    assert problem["errors"]


# --- wrong types, missing and unknown fields ------------------------------------------


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, ["email", "name", "password", "role"]),
        ({"email": "a@example.cn"}, ["name", "password", "role"]),
        (
            {"email": "not-an-email", "name": "", "role": "overlord", "password": "short"},
            ["email", "name", "password", "role"],
        ),
        (_member_body(email=42), ["email"]),
        (_member_body(name=["张三"]), ["name"]),
        (_member_body(name="名" * 201), ["name"]),
        (_member_body(name="   "), ["name"]),
        (_member_body(role="Admin"), ["role"]),
        (_member_body(role=None), ["role"]),
        (_member_body(password="x" * 7), ["password"]),
        (_member_body(nickname="小王"), ["nickname"]),
        (_member_body(is_admin=True, org_id=str(uuid.uuid4())), ["is_admin", "org_id"]),
    ],
    ids=[
        "empty",
        "only-email",
        "all-wrong",
        "email-number",
        "name-list",
        "name-too-long",
        "name-blank",
        "role-case",
        "role-null",
        "password-short",
        "unknown-field",
        "unknown-fields",
    ],
)
async def test_create_member_validation(
    admin: httpx.AsyncClient, unchanged: None, body: dict[str, Any], fields: list[str]
) -> None:
    r = await admin.post(f"{API}/members", json=body)
    problem = _problem(r, 422, "validation-failed")
    assert _fields(problem) == fields
    for field in fields:
        assert field in problem["detail"]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"name": "集成"}, ["scopes"]),
        ({"name": "集成", "scopes": []}, ["scopes"]),
        ({"name": "集成", "scopes": ["nope"]}, ["scopes[0]"]),
        ({"name": "集成", "scopes": ["org:read", "nope", 7]}, ["scopes[1]", "scopes[2]"]),
        ({"name": "集成", "scopes": "org:read"}, ["scopes"]),
        ({"name": "", "scopes": ["org:read"]}, ["name"]),
        ({"name": "集成", "scopes": ["org:read"], "expires_in_days": 0}, ["expires_in_days"]),
        ({"name": "集成", "scopes": ["org:read"], "expires_in_days": "soon"}, ["expires_in_days"]),
        ({"name": "集成", "scopes": ["org:read"], "secret": "mine"}, ["secret"]),
        # Valid scope names the caller's role may not grant: refused by the service.
        ({"name": "集成", "scopes": ["org:read", "audit:read"]}, ["scopes[1]"]),
    ],
    ids=[
        "missing-scopes",
        "empty-scopes",
        "unknown-scope",
        "bad-items",
        "scopes-not-list",
        "empty-name",
        "zero-days",
        "days-not-int",
        "unknown-field",
        "not-grantable",
    ],
)
async def test_create_api_token_validation(
    api: ApiFactory, unchanged: None, body: dict[str, Any], fields: list[str]
) -> None:
    director = await api("director")
    r = await director.post(f"{API}/api-tokens", json=body)
    problem = _problem(r, 422, "validation-failed")
    assert _fields(problem) == fields


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"role": "viewer"}, ["version"]),
        ({"role": "viewer", "version": "one"}, ["version"]),
        ({"role": "viewer", "version": 0}, ["version"]),
        ({"role": "root", "version": 1}, ["role"]),
        ({"is_active": "maybe", "version": 1}, ["is_active"]),
        ({"name": "", "version": 1}, ["name"]),
        ({"email": "x@example.cn", "version": 1}, ["email"]),
        ({"password": "new-password-1", "version": 1}, ["password"]),
        # null is not "leave unchanged": these columns cannot be empty.
        ({"name": None, "version": 1}, ["name"]),
        ({"role": None, "version": 1}, ["role"]),
        ({"is_active": None, "version": 1}, ["is_active"]),
    ],
    ids=[
        "no-version",
        "version-text",
        "version-zero",
        "unknown-role",
        "active-text",
        "empty-name",
        "email-not-updatable",
        "password-not-updatable",
        "null-name",
        "null-role",
        "null-is-active",
    ],
)
async def test_update_member_validation(
    admin: httpx.AsyncClient,
    org: OrgWithMembers,
    session: AsyncSession,
    unchanged: None,
    body: dict[str, Any],
    fields: list[str],
) -> None:
    target = org.members[Role.MEMBER]
    r = await admin.patch(f"{API}/members/{target.id}", json=body)
    problem = _problem(r, 422, "validation-failed")
    assert _fields(problem) == fields
    row = (
        await session.execute(
            select(Membership.role, Membership.is_active, Membership.version, User.name)
            .join(User, User.id == Membership.user_id)
            .where(Membership.id == target.id)
        )
    ).one()
    assert tuple(row) == (Role.MEMBER, True, 1, "member 用户")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/members/not-a-uuid"),
        ("DELETE", "/members/12345"),
        ("DELETE", "/api-tokens/xyz"),
        ("GET", "/system/job-checks/🙂"),
    ],
)
async def test_bad_path_id_is_422(
    admin: httpx.AsyncClient, unchanged: None, method: str, path: str
) -> None:
    r = await admin.request(method, f"{API}{path}")
    problem = _problem(r, 422, "validation-failed")
    assert len(problem["errors"]) == 1
    assert problem["errors"][0]["field"] in {"member_id", "token_id", "check_id"}


async def test_several_wrong_fields_are_all_reported(admin: httpx.AsyncClient) -> None:
    r = await admin.post(
        f"{API}/members",
        json={"email": "@", "name": 5, "role": "boss", "password": None, "extra": 1},
    )
    problem = _problem(r, 422, "validation-failed")
    assert _fields(problem) == ["email", "extra", "name", "password", "role"]


# --- oversized bodies -----------------------------------------------------------------


def _big_member_body(size: int) -> bytes:
    body = _member_body(name="大" * 10)
    raw = (
        b'{"email": "'
        + str(body["email"]).encode()
        + b'", "role": "member", "password": "long-enough-1", "name": "'
    )
    return raw + b"x" * (size - len(raw) - 2) + b'"}'


async def test_oversized_body_with_content_length_is_413(
    admin: httpx.AsyncClient, unchanged: None
) -> None:
    raw = _big_member_body(LIMIT + 1)
    assert len(raw) == LIMIT + 1
    r = await admin.post(
        f"{API}/members", content=raw, headers={"Content-Type": "application/json"}
    )
    body = _problem(r, 413, "payload-too-large")
    assert str(LIMIT) in body["detail"]
    assert r.headers["x-request-id"]


async def test_oversized_streamed_body_is_413(admin: httpx.AsyncClient, unchanged: None) -> None:
    """Chunked transfer, no Content-Length: the limit is enforced while reading."""
    raw = _big_member_body(LIMIT * 2)
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        for i in range(0, len(raw), 8 * 1024):
            sent.append(i)
            yield raw[i : i + 8 * 1024]

    r = await admin.post(
        f"{API}/members", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert r.request.headers["transfer-encoding"] == "chunked"
    body = _problem(r, 413, "payload-too-large")
    assert body["instance"] == f"{API}/members"
    assert r.headers["x-request-id"]
    assert len(sent) < len(raw) // (8 * 1024) + 1  # reading stopped early
    # The same problem as when the size is declared up front.
    declared = await admin.post(
        f"{API}/members",
        content=_big_member_body(LIMIT + 1),
        headers={"Content-Type": "application/json"},
    )
    assert {k: body[k] for k in ("type", "title", "status")} == {
        k: declared.json()[k] for k in ("type", "title", "status")
    }


async def test_body_just_under_the_limit_reaches_validation(
    admin: httpx.AsyncClient, unchanged: None
) -> None:
    raw = _big_member_body(LIMIT)
    r = await admin.post(
        f"{API}/members", content=raw, headers={"Content-Type": "application/json"}
    )
    problem = _problem(r, 422, "validation-failed")
    assert _fields(problem) == ["name"]  # too long for a name, but not too large a body


async def test_oversized_body_is_413_before_authentication(
    client: httpx.AsyncClient, unchanged: None
) -> None:
    r = await client.post(
        f"{API}/members",
        content=_big_member_body(LIMIT + 100),
        headers={"Content-Type": "application/json"},
    )
    _problem(r, 413, "payload-too-large")


# --- query parameters -----------------------------------------------------------------


BAD_PAGES: list[tuple[dict[str, Any], str]] = [
    ({"limit": 0}, "limit"),
    ({"limit": 1000}, "limit"),
    ({"limit": 201}, "limit"),
    ({"limit": -1}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"offset": -1}, "offset"),
    ({"offset": "x"}, "offset"),
    ({"limit": 0, "offset": -1}, "limit offset"),
]


@pytest.mark.parametrize("path", ["/members", "/api-tokens", "/audit-logs"])
async def test_bad_pagination_is_422(admin: httpx.AsyncClient, path: str) -> None:
    for params, fields in BAD_PAGES:
        r = await admin.get(f"{API}{path}", params=params)
        problem = _problem(r, 422, "validation-failed")
        assert _fields(problem) == fields.split(), params


async def test_pagination_edges_are_accepted(admin: httpx.AsyncClient) -> None:
    for params in ({"limit": 1}, {"limit": 200}, {"offset": 0}):
        r = await admin.get(f"{API}/members", params=params)
        assert r.status_code == 200, (params, r.text)


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/audit-logs", {"action": "explode"}, "action"),
        ("/audit-logs", {"actor_id": "someone"}, "actor_id"),
        ("/audit-logs", {"entity_type": "x" * 65}, "entity_type"),
        ("/members", {"include_inactive": "perhaps"}, "include_inactive"),
        ("/members", {"q": "长" * 101}, "q"),
    ],
)
async def test_bad_filters_are_422(
    admin: httpx.AsyncClient, path: str, params: dict[str, Any], field: str
) -> None:
    r = await admin.get(f"{API}{path}", params=params)
    problem = _problem(r, 422, "validation-failed")
    assert _fields(problem) == [field]


# --- unknown routes and methods -------------------------------------------------------


@pytest.mark.parametrize(
    "path", [f"{API}/nope", f"{API}/members/{uuid.uuid4()}/roles", f"{API}", "/api/v2/members"]
)
async def test_unknown_route_is_404_problem(admin: httpx.AsyncClient, path: str) -> None:
    r = await admin.get(path)
    body = _problem(r, 404, "not-found")
    assert body["instance"] == path


async def test_unknown_route_is_404_for_anonymous_callers_too(client: httpx.AsyncClient) -> None:
    _problem(await client.get(f"{API}/nope"), 404, "not-found")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/me", {"GET"}),
        ("PUT", "/org", {"GET", "PATCH"}),
        ("PUT", "/members", {"GET", "POST"}),
        ("POST", "/audit-logs", {"GET"}),
        ("GET", "/auth/logout", {"POST"}),
    ],
)
async def test_wrong_method_is_405_problem_with_allow(
    admin: httpx.AsyncClient, unchanged: None, method: str, path: str, allowed: set[str]
) -> None:
    r = await admin.request(method, f"{API}{path}", json={})
    _problem(r, 405, "method-not-allowed")
    # RFC 9110 §15.5.6: a 405 lists the methods the resource does support.
    assert {m.strip() for m in r.headers["allow"].split(",")} == allowed


# --- credentials ----------------------------------------------------------------------


async def _expired_session(session: AsyncSession, org: OrgWithMembers) -> str:
    token = await make_session_token(session, org.members[Role.ADMIN].id, hours=-1)
    await session.commit()
    return token


async def _revoked_session(session: AsyncSession, org: OrgWithMembers) -> str:
    token = await make_session_token(session, org.members[Role.ADMIN].id)
    await session.execute(
        update(AuthSession)
        .where(AuthSession.token_hash == token_hash(token))
        .values(revoked_at=utcnow())
    )
    await session.commit()
    return token


async def _api_token(
    session: AsyncSession, org: OrgWithMembers, *, revoked: bool = False, expired: bool = False
) -> str:
    secret = new_token(API_TOKEN_PREFIX)
    session.add(
        ApiToken(
            org_id=org.org.id,
            membership_id=org.members[Role.ADMIN].id,
            name="凭据测试",
            prefix=secret[:13],
            token_hash=token_hash(secret),
            scopes=["members:manage", "members:read"],
            revoked_at=utcnow() if revoked else None,
            expires_at=utcnow() - timedelta(days=1) if expired else None,
        )
    )
    await session.commit()
    return secret


CREDENTIALS = [
    "basic",
    "empty-bearer",
    "bearer-no-space",
    "unknown-bearer",
    "unknown-api-token",
    "expired-session",
    "revoked-session",
    "revoked-api-token",
    "expired-api-token",
    "bad-cookie",
]


async def _credential(kind: str, session: AsyncSession, org: OrgWithMembers) -> dict[str, str]:
    if kind == "basic":
        return {"Authorization": "Basic YWRtaW46ZGVtbzEyMzQ="}
    if kind == "empty-bearer":
        return {"Authorization": "Bearer "}
    if kind == "bearer-no-space":
        return {"Authorization": "Bearer"}
    if kind == "unknown-bearer":
        return {"Authorization": f"Bearer {new_token()}"}
    if kind == "unknown-api-token":
        return {"Authorization": f"Bearer {new_token(API_TOKEN_PREFIX)}"}
    if kind == "expired-session":
        return {"Authorization": f"Bearer {await _expired_session(session, org)}"}
    if kind == "revoked-session":
        return {"Authorization": f"Bearer {await _revoked_session(session, org)}"}
    if kind == "revoked-api-token":
        return {"Authorization": f"Bearer {await _api_token(session, org, revoked=True)}"}
    if kind == "expired-api-token":
        return {"Authorization": f"Bearer {await _api_token(session, org, expired=True)}"}
    assert kind == "bad-cookie"
    return {"Cookie": f"mems_session={new_token()}"}


@pytest.mark.parametrize("kind", CREDENTIALS)
async def test_bad_credentials_are_401(
    client: httpx.AsyncClient, org: OrgWithMembers, session: AsyncSession, kind: str
) -> None:
    headers = await _credential(kind, session, org)
    before = await _counts(session)
    read = await client.get(f"{API}/members", headers=headers)
    _problem(read, 401, "unauthorized")
    assert "items" not in read.json()
    write = await client.post(f"{API}/members", headers=headers, json=_member_body())
    _problem(write, 401, "unauthorized")
    assert await _counts(session) == before


async def test_every_401_carries_a_www_authenticate_challenge(
    client: httpx.AsyncClient, org: OrgWithMembers, session: AsyncSession
) -> None:
    """RFC 9110 §15.5.2: a server sending 401 MUST send WWW-Authenticate, whether the
    credential was missing or was presented and refused."""
    missing: list[str] = []
    for kind in ["no-credential", *CREDENTIALS]:
        headers = {} if kind == "no-credential" else await _credential(kind, session, org)
        r = await client.get(f"{API}/me", headers=headers)
        assert r.status_code == 401, kind
        if not r.headers.get("www-authenticate", "").lower().startswith("bearer"):
            missing.append(kind)
    assert missing == [], f"401 without WWW-Authenticate for: {missing}"
