"""Concurrent duplicate creates answer 409, never 500; concurrent valid creates all succeed.

Run for real: each request on its own pooled connection against committed data (PostgreSQL in
its own database, SQLite on a file with the embedded default's engine set-up).
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import httpx
import pytest

from mems.core.db import Database
from mems.identity.models import Membership
from mems.identity.permissions import Role
from mems.projects.lifecycle import ProjectStatus
from mems.projects.models import Project
from tests.conftest import ENGLISH, FileApp
from tests.factories import make_session_token

API = "/api/v1"


async def _client(app: Any, member: Membership) -> httpx.AsyncClient:
    db: Database = app.state.db
    async with db.sessionmaker() as s:
        token = await make_session_token(s, member.id)
        await s.commit()
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {token}", **ENGLISH},
    )


async def _race(n: int, send: Callable[[int], Awaitable[httpx.Response]]) -> list[httpx.Response]:
    return list(await asyncio.gather(*(send(i) for i in range(n))))


def _only_one_wins(responses: list[httpx.Response], ok: int) -> None:
    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {ok, 409}, [r.text for r in responses if r.status_code not in (ok, 409)]
    assert statuses[ok] >= 1
    for r in responses:
        if r.status_code == 409:
            assert r.headers["content-type"] == "application/problem+json"
            assert r.json()["status"] == 409


async def _active_project(app: Any, org: Any) -> Project:
    db: Database = app.state.db
    async with db.sessionmaker() as s:
        project = Project(
            org_id=org.org.id,
            code=f"R{uuid.uuid4().hex[:10]}",
            name=f"竞速项目 {uuid.uuid4().hex[:6]}",
            type="promotion",
            status=ProjectStatus.ACTIVE,
            owner_member_id=org.members[Role.PROJECT_MANAGER].id,
            starts_on=date(2026, 10, 1),
            ends_on=date(2026, 11, 15),
        )
        s.add(project)
        await s.commit()
        return project


@pytest.mark.postgres
async def test_six_identical_creates_give_one_success_and_409s(pg_app: FileApp) -> None:
    app, org = pg_app
    admin = await _client(app, org.members[Role.ADMIN])
    pm = await _client(app, org.members[Role.PROJECT_MANAGER])
    email = f"race-{uuid.uuid4().hex[:6]}@example.cn"
    _only_one_wins(
        await _race(
            6,
            lambda _: admin.post(
                f"{API}/members",
                json={"email": email, "name": "并发", "role": "member", "password": "pw-123456"},
            ),
        ),
        202,
    )
    _only_one_wins(
        await _race(6, lambda _: admin.post(f"{API}/teams", json={"name": "并发组"})), 201
    )
    period = {"name": "2031", "kind": "year", "starts_on": "2031-01-01", "ends_on": "2031-12-31"}
    _only_one_wins(
        await _race(6, lambda _: admin.post(f"{API}/strategy-periods", json=period)), 201
    )

    project = await _active_project(app, org)
    _only_one_wins(
        await _race(
            6,
            lambda _: pm.post(
                f"{API}/projects/{project.id}/save-as-template", json={"name": "并发模板"}
            ),
        ),
        201,
    )
    retro = {"summary": "总结", "went_well": "好", "problems": "问题", "lessons": "经验"}
    _only_one_wins(
        await _race(6, lambda _: pm.put(f"{API}/projects/{project.id}/retrospective", json=retro)),
        200,
    )
    flows = (await admin.get(f"{API}/approval-flows")).json()
    revision = next(f["revision"] for f in flows if f["request_type"] == "project_initiation")
    steps = {"revision": revision, "steps": [{"role": "director"}]}
    _only_one_wins(
        await _race(6, lambda _: admin.put(f"{API}/approval-flows/project_initiation", json=steps)),
        200,
    )
    for c in (admin, pm):
        await c.aclose()


async def _fifty_projects(app: Any, org: Any) -> None:
    pm = await _client(app, org.members[Role.PROJECT_MANAGER])
    tag = uuid.uuid4().hex[:4]
    responses = await _race(
        50,
        lambda i: pm.post(
            f"{API}/projects",
            json={
                "name": f"2027Q1-电商-并发{tag}{i:02d}",
                "type": "promotion",
                "starts_on": "2027-01-01",
                "ends_on": "2027-02-01",
            },
        ),
    )
    await pm.aclose()
    assert [r.status_code for r in responses] == [201] * 50, [
        r.text for r in responses if r.status_code != 201
    ]
    codes = sorted(r.json()["code"] for r in responses)
    assert len(set(codes)) == 50
    assert codes == [f"P2027-{n:03d}" for n in range(1, 51)]  # no gaps when none rolled back


@pytest.mark.postgres
async def test_fifty_parallel_project_creates_all_get_distinct_codes_on_postgres(
    pg_app: FileApp,
) -> None:
    await _fifty_projects(*pg_app)


async def test_fifty_parallel_project_creates_all_get_distinct_codes_on_sqlite(
    file_app: FileApp,
) -> None:
    await _fifty_projects(*file_app)


async def test_the_embedded_database_takes_fifty_concurrent_writers(file_app: FileApp) -> None:
    """SQLite on a file, as `make run` uses it: 50 concurrent creates of teams and strategy
    periods all succeed (write transactions begin IMMEDIATE and wait for the lock)."""
    app, org = file_app
    admin = await _client(app, org.members[Role.ADMIN])
    teams = await _race(50, lambda i: admin.post(f"{API}/teams", json={"name": f"团队{i}"}))
    assert [r.status_code for r in teams] == [201] * 50, {r.text for r in teams}
    periods = await _race(
        50,
        lambda i: admin.post(
            f"{API}/strategy-periods",
            json={
                "name": f"{2100 + i}",
                "kind": "year",
                "starts_on": f"{2100 + i}-01-01",
                "ends_on": f"{2100 + i}-12-31",
            },
        ),
    )
    assert [r.status_code for r in periods] == [201] * 50, {r.text for r in periods}
    listed = await admin.get(f"{API}/teams", params={"limit": 200})
    assert listed.json()["total"] == 50
    await admin.aclose()
