"""Racing creates of the same resource: parallel requests on their own pooled connections
against committed data — one wins, the others are told 409 naming the field, none fails."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import pytest

from mems.identity.permissions import Role
from tests.conftest import FileApp
from tests.core.test_races import _client

API = "/api/v1"


def _one_wins(responses: list[httpx.Response], field: str) -> None:
    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {201, 409}, [
        r.text for r in responses if r.status_code not in (201, 409)
    ]
    assert statuses[201] == 1, statuses
    for r in responses:
        if r.status_code == 409:
            body = r.json()
            assert r.headers["content-type"] == "application/problem+json"
            assert body["type"] == "urn:mems:problem:duplicate", body
            assert [e["field"] for e in body["errors"]] == [field], body


async def _race(app: Any, org: Any) -> None:
    admin = await _client(app, org.members[Role.ADMIN])
    finance = await _client(app, org.members[Role.FINANCE])
    names = ["会展中心 A 馆", "会展中心 a 馆", "会展中心  A 馆", "会展中心 A 馆"] * 2
    responses = await asyncio.gather(
        *(
            (admin if i % 2 else finance).post(
                f"{API}/resources", json={"kind": "venue", "name": name}
            )
            for i, name in enumerate(names)
        )
    )
    _one_wins(list(responses), "name")

    member = str(org.members[Role.MEMBER].id)
    responses = await asyncio.gather(
        *(
            admin.post(
                f"{API}/resources",
                json={"kind": "person", "member_id": member, "name": f"陈晨 {i}"},
            )
            for i in range(6)
        )
    )
    _one_wins(list(responses), "member_id")
    listed = (await admin.get(f"{API}/resources")).json()
    assert listed["total"] == 2
    for c in (admin, finance):
        await c.aclose()


@pytest.mark.postgres
async def test_racing_creates_of_one_name_or_member_give_one_resource_on_postgres(
    pg_app: FileApp,
) -> None:
    await _race(*pg_app)


async def test_racing_creates_of_one_name_or_member_give_one_resource_on_sqlite(
    file_app: FileApp,
) -> None:
    await _race(*file_app)
