"""Work-order numbers under concurrency: parallel requests on their own pooled connections
against committed data each get a distinct number, without gaps, and none fails."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from mems.core.db import Database
from mems.identity.models import Membership
from mems.identity.permissions import Role
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


async def _thirty_orders(app: Any, org: Any) -> None:
    pm = await _client(app, org.members[Role.PROJECT_MANAGER])
    assignee = str(org.members[Role.MEMBER].id)
    responses = await asyncio.gather(
        *(
            pm.post(
                f"{API}/work-orders",
                json={"title": f"并发工单 {i}", "assignee_member_id": assignee},
            )
            for i in range(30)
        )
    )
    await pm.aclose()
    assert [r.status_code for r in responses] == [201] * 30, [
        r.text for r in responses if r.status_code != 201
    ]
    numbers = sorted(r.json()["number"] for r in responses)
    assert numbers == list(range(1, 31))
    assert {r.json()["code"] for r in responses} == {f"WO-{n}" for n in range(1, 31)}


@pytest.mark.postgres
async def test_parallel_work_orders_get_distinct_numbers_on_postgres(pg_app: FileApp) -> None:
    await _thirty_orders(*pg_app)


async def test_parallel_work_orders_get_distinct_numbers_on_sqlite(file_app: FileApp) -> None:
    await _thirty_orders(*file_app)
