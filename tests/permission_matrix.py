"""The role matrix harness: every endpoint × every role, allowed and refused both asserted.

Each domain keeps its own table in `tests/<domain>/test_permissions.py`: a `MATRIX` of `Row`s
(the operations of `mems.<domain>.router`), a `prepare` that makes fresh targets for one call,
and the two tests below, run through `check_roles` and `check_no_credential`.
`tests/test_permission_matrix.py` collects every domain's `MATRIX` and fails when an operation
under /api/v1 (except the public ones) is in none of them, is in two, or sits in another
domain's table, and when a route has no authentication dependency.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.audit import AuditLog
from mems.core.jobs import InProcessQueue
from mems.identity.permissions import Role
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers

API = "/api/v1"
PUBLIC = {
    ("GET", f"{API}/health"),
    ("POST", f"{API}/auth/login"),
    ("POST", f"{API}/auth/token"),
    # Webhooks: the source's signature authenticates them (tests/channels/test_webhooks.py).
    ("POST", f"{API}/hooks/{{source_id}}"),
    ("GET", f"{API}/hooks/meta/{{source_id}}"),
    ("POST", f"{API}/hooks/meta/{{source_id}}"),
}
ROLES = (
    Role.ADMIN,
    Role.DIRECTOR,
    Role.PROJECT_MANAGER,
    Role.MEMBER,
    Role.FINANCE,
    Role.VIEWER,
)
PROBLEM = "application/problem+json"


def by_role(
    admin: int, director: int, project_manager: int, member: int, finance: int, viewer: int
) -> dict[Role, int]:
    """Expected status per role, in the column order of the tables."""
    return dict(
        zip(ROLES, (admin, director, project_manager, member, finance, viewer), strict=True)
    )


@dataclass
class Row:
    method: str
    path: str  # placeholders are filled from the domain's `prepare`, e.g. {member_id}
    body: Callable[[dict[str, Any]], dict[str, Any]] | None
    expected: dict[Role, int]
    # Fill a placeholder from another prepared object, e.g. {"goal_id": "leaf_goal_id"}.
    use: dict[str, str] | None = None
    # A multipart upload instead of a JSON body: the files to send, e.g. {"file": (name, b"")}.
    files: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    # The media type an allowed call answers with (a download: the file's own).
    content_type: str = "application/json"

    @property
    def id(self) -> str:
        return f"{self.method} {self.path.removeprefix(API)}"


def ids(rows: list[Row]) -> list[str]:
    return [r.id for r in rows]


@dataclass
class Setup:
    """What a domain's `prepare` works with: the test's session, the organisation, the role
    about to call, its client (to read what a client would, e.g. a revision) and a unique
    suffix for names."""

    session: AsyncSession
    org: OrgWithMembers
    role: Role
    client: httpx.AsyncClient
    unique: str

    @property
    def caller(self) -> uuid.UUID:
        """The calling member's id."""
        return self.org.members[self.role].id


Prepare = Callable[[Setup], Awaitable[dict[str, Any]]]


class AnyIds(dict[str, Any]):
    """The context of a call without credentials: every placeholder is some fresh id (the
    call is refused before anything is looked up)."""

    def __missing__(self, key: str) -> str:
        value = str(uuid.uuid4())
        self[key] = value
        return value


async def send(c: httpx.AsyncClient, row: Row, ctx: dict[str, Any]) -> httpx.Response:
    filled = {k: ctx[v] for k, v in (row.use or {}).items()}
    path = row.path.format_map(_Overlay(filled, ctx))
    if row.files is not None:
        return await c.request(row.method, path, files=row.files(ctx))
    body = row.body(ctx) if row.body else None
    return await c.request(row.method, path, json=body)


class _Overlay(dict[str, Any]):
    def __init__(self, first: dict[str, Any], then: dict[str, Any]) -> None:
        super().__init__(first)
        self._then = then

    def __missing__(self, key: str) -> Any:
        return self._then[key]


async def audit_rows(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(AuditLog)) or 0)


def assert_problem(r: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body: dict[str, Any] = r.json()
    assert body["type"] == f"urn:mems:problem:{slug}"
    assert body["status"] == status
    assert body["title"]
    return body


async def check_roles(
    row: Row,
    prepare: Prepare,
    api: ApiFactory,
    org: OrgWithMembers,
    session: AsyncSession,
    jobs: InProcessQueue,
) -> None:
    """Every role calls the row's operation on fresh targets: a refusal is a 403 problem
    naming the role and writes nothing; an allowed call answers the expected status."""
    assert set(row.expected) == set(Role), "every role needs an expectation"
    for role in ROLES:
        c = await api(role)
        ctx = await prepare(Setup(session, org, role, c, uuid.uuid4().hex[:10]))
        audit_before = await audit_rows(session)
        r = await send(c, row, ctx)
        await jobs.drain()  # a queued job shares the test's connection: let it finish
        expected = row.expected[role]
        if expected == 403:
            body = assert_problem(r, 403, "forbidden")
            assert role.value in body["detail"], body
            # A refusal writes nothing.
            assert await audit_rows(session) == audit_before, f"{role}: refused but audited"
        else:
            assert r.status_code == expected, f"{role}: {r.status_code} {r.text}"
            if expected == 204:
                assert r.content == b""
            elif row.content_type != "application/json":
                assert r.headers["content-type"].startswith(row.content_type), r.headers
            else:
                assert r.headers["content-type"] == "application/json"
                assert isinstance(r.json(), dict | list)


async def check_no_credential(
    row: Row, client: httpx.AsyncClient, session: AsyncSession, **known: Any
) -> None:
    """Without a credential the operation is a 401 problem with a Bearer challenge and
    writes nothing. `known`: placeholders that must hold a valid value (e.g. an enum)."""
    ctx = AnyIds(unique=uuid.uuid4().hex[:10], **known)
    audit_before = await audit_rows(session)
    r = await send(client, row, ctx)
    assert_problem(r, 401, "unauthorized")
    assert r.headers.get("www-authenticate", "").lower().startswith("bearer")
    assert await audit_rows(session) == audit_before
