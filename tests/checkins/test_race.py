"""Concurrent submissions of the same person's check-in of the same day, for real (committed
data, a connection per request): one row, and no 500."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from mems.checkins.models import DailyCheckIn
from mems.core.db import Database
from mems.core.tenancy import ALL_TENANTS, in_tenant
from mems.identity.permissions import Role
from tests.checkins.helpers import API
from tests.conftest import ENGLISH, FileApp
from tests.factories import OrgWithMembers, make_session_token


async def _client(app: Any, org: OrgWithMembers) -> httpx.AsyncClient:
    db: Database = app.state.db
    async with db.sessionmaker() as s:
        token = await make_session_token(s, org.members[Role.MEMBER].id)
        await s.commit()
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {token}", **ENGLISH},
    )


async def _concurrent_check_ins(app: Any, org: OrgWithMembers) -> None:
    c = await _client(app, org)
    try:
        responses = await asyncio.gather(
            *(c.put(f"{API}/checkins/me/today", json={"done": f"第{i}次"}) for i in range(4))
        )
        statuses = Counter(r.status_code for r in responses)
        assert set(statuses) <= {200, 409}, [r.text for r in responses]
        assert statuses[200] >= 1
        for r in responses:
            if r.status_code == 409:
                assert r.json()["type"].endswith("stale-version"), r.text
        assert len({r.json()["id"] for r in responses if r.status_code == 200}) == 1
        db: Database = app.state.db
        async with db.sessionmaker() as s:
            in_tenant(s, ALL_TENANTS)
            rows = await s.scalar(
                select(func.count())
                .select_from(DailyCheckIn)
                .where(DailyCheckIn.member_id == org.members[Role.MEMBER].id)
            )
        assert rows == 1
        latest = (await c.get(f"{API}/checkins/me/today")).json()["checkin"]
        assert latest["done"] in {f"第{i}次" for i in range(4)}
    finally:
        await c.aclose()


@pytest.mark.postgres
async def test_concurrent_check_ins_on_postgres(pg_app: FileApp) -> None:
    await _concurrent_check_ins(*pg_app)


async def test_concurrent_check_ins_on_sqlite(file_app: FileApp) -> None:
    await _concurrent_check_ins(*file_app)
