"""Small API helpers shared by the project and approval tests."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.identity.models import Membership
from mems.identity.permissions import Role
from mems.projects.naming import DEFAULT_CONVENTION
from tests.factories import OrgWithMembers, make_user

API = "/api/v1"
PROBLEM = "application/problem+json"

DEFAULT_CONVENTION_IN = DEFAULT_CONVENTION  # the demo's: {期间}-{品牌线}-{活动名}


async def count(session: AsyncSession, model: type, *where: Any) -> int:
    stmt = select(func.count()).select_from(model)
    if where:
        stmt = stmt.where(*where)
    return int(await session.scalar(stmt) or 0)


def problem(r: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body: dict[str, Any] = r.json()
    assert body["type"] == f"urn:mems:problem:{slug}", body
    return body


async def make_period(c: httpx.AsyncClient, name: str | None = None) -> dict[str, Any]:
    r = await c.post(
        f"{API}/strategy-periods",
        json={
            "name": name or f"2026-{uuid.uuid4().hex[:6]}",
            "kind": "year",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    )
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def make_goal(
    c: httpx.AsyncClient, title: str = "提升品牌知名度", period: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A company goal (the caller needs strategy:manage: admin or director)."""
    period = period or await make_period(c)
    r = await c.post(
        f"{API}/goals", json={"period_id": period["id"], "level": "company", "title": title}
    )
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def project_body(**values: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": f"2026Q4-电商-双十一大促{uuid.uuid4().hex[:4]}",
        "type": "promotion",
        "starts_on": "2026-10-01",
        "ends_on": "2026-11-15",
    }
    goal = values.pop("goal", None)
    if goal is not None:
        body["goal_links"] = [{"objective_id": goal["id"]}]
    body.update(values)
    return body


async def create_project(c: httpx.AsyncClient, **values: Any) -> dict[str, Any]:
    r = await c.post(f"{API}/projects", json=project_body(**values))
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def move(c: httpx.AsyncClient, project: dict[str, Any], action: str) -> dict[str, Any]:
    """Take a lifecycle action with the version last read; the project as it is after."""
    r = await c.post(
        f"{API}/projects/{project['id']}/transitions",
        json={"action": action, "version": project["version"]},
    )
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def reload(c: httpx.AsyncClient, project: dict[str, Any]) -> dict[str, Any]:
    r = await c.get(f"{API}/projects/{project['id']}")
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def decide(
    c: httpx.AsyncClient, approval_id: str, decision: str = "approve", comment: str = "同意"
) -> httpx.Response:
    return await c.post(
        f"{API}/approvals/{approval_id}/decisions",
        json={"decision": decision, "comment": comment},
    )


async def another_member(
    session: AsyncSession, org: OrgWithMembers, role: Role, name: str
) -> OrgWithMembers:
    """One more member of `org` with this role, as an OrgWithMembers for `api(role, in_org=…)`."""
    user = await make_user(session, name=name)
    member = Membership(org_id=org.org.id, user_id=user.id, role=role, user=user)
    session.add(member)
    await session.commit()
    return OrgWithMembers(org.org, {role: member})


RETRO = {
    "summary": "活动如期完成，GMV 达成 112%。",
    "went_well": "预热节奏好。",
    "problems": "直播高峰期卡顿。",
    "lessons": "大流量前做压测。",
}


async def put_convention(client: httpx.AsyncClient, body: dict[str, Any]) -> httpx.Response:
    """PUT the naming convention at the revision it is at now (as an editor would)."""
    revision = (await client.get(f"{API}/naming-convention")).json()["revision"]
    return await client.put(f"{API}/naming-convention", json={"revision": revision, **body})


async def put_flow(
    client: httpx.AsyncClient, request_type: str, body: dict[str, Any]
) -> httpx.Response:
    """PUT an approval flow at the revision it is at now (as an editor would)."""
    flows = (await client.get(f"{API}/approval-flows")).json()
    revision = next(f["revision"] for f in flows if f["request_type"] == request_type)
    return await client.put(
        f"{API}/approval-flows/{request_type}", json={"revision": revision, **body}
    )
