"""The same signed delivery arriving several times at once (a platform retrying while the
first is in flight), for real (committed data, a connection per request): one batch, the rest
refused as replays, and no 500."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import func, select

from mems.channels.models import IngestBatch
from mems.core.db import Database
from mems.core.tenancy import ALL_TENANTS, in_tenant
from mems.identity.permissions import Role
from tests.channels.helpers import record, with_channels
from tests.channels.test_webhooks import make_source, signed
from tests.conftest import ENGLISH, FileApp
from tests.factories import OrgWithMembers, make_session_token


async def _same_delivery_at_once(app: Any, org: OrgWithMembers) -> None:
    db: Database = app.state.db
    async with db.sessionmaker() as s:
        token = await make_session_token(s, org.members[Role.ADMIN].id)
        await s.commit()
    transport = httpx.ASGITransport(app=app)
    admin = httpx.AsyncClient(
        transport=transport,
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {token}", **ENGLISH},
    )
    platform = httpx.AsyncClient(transport=transport, base_url="http://testserver")
    try:
        channels = await with_channels(admin)
        source, secret = await make_source(
            admin, name="抖音推送", kind="webhook", channel_id=channels["douyin"]
        )
        body = orjson.dumps({"records": [record(channel=None, hour=3)]})
        headers = signed(secret["secret"], body)
        responses = await asyncio.gather(
            *(
                platform.post(source["webhook_path"], content=body, headers=headers)
                for _ in range(4)
            )
        )
        statuses = Counter(r.status_code for r in responses)
        assert set(statuses) <= {202, 409}, [r.text for r in responses]
        assert statuses[202] == 1, [r.text for r in responses]
        for r in responses:
            if r.status_code == 409:
                assert r.json()["reason"] == "replayed", r.text
        async with db.sessionmaker() as s:
            in_tenant(s, ALL_TENANTS)
            batches = await s.scalar(
                select(func.count())
                .select_from(IngestBatch)
                .where(IngestBatch.org_id == org.org.id)
            )
        assert batches == 1
    finally:
        await admin.aclose()
        await platform.aclose()


@pytest.mark.postgres
async def test_the_same_delivery_at_once_on_postgres(pg_app: FileApp) -> None:
    await _same_delivery_at_once(*pg_app)


async def test_the_same_delivery_at_once_on_sqlite(file_app: FileApp) -> None:
    await _same_delivery_at_once(*file_app)
