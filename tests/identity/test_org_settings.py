"""Organisation settings: one row per setting, each with its own revision, so editing one never
makes another (or the organisation itself) stale; stale and concurrent writes are 409s."""

from __future__ import annotations

import asyncio
import copy
from collections import Counter
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.audit import AuditLog
from mems.core.db import Database
from mems.core.errors import StaleVersion
from mems.identity import service as identity
from mems.identity.models import Membership, OrgSetting
from mems.identity.permissions import Role
from mems.projects.service import NAMING_SETTING
from tests.conftest import ENGLISH, ApiFactory, FileApp
from tests.factories import OrgWithMembers, make_session_token
from tests.projects.helpers import API, DEFAULT_CONVENTION_IN, problem

OTHER = "thresholds"  # a setting another domain will own


async def _org_version(c: httpx.AsyncClient) -> int:
    version: int = (await c.get(f"{API}/org")).json()["version"]
    return version


async def _flow_revisions(c: httpx.AsyncClient) -> dict[str, Any]:
    return {f["request_type"]: f["revision"] for f in (await c.get(f"{API}/approval-flows")).json()}


async def test_a_setting_starts_at_revision_zero_and_each_write_adds_one(api: ApiFactory) -> None:
    admin = await api("admin")
    assert (await admin.get(f"{API}/naming-convention")).json()["revision"] == 0
    first = await admin.put(
        f"{API}/naming-convention", json={"revision": 0, **DEFAULT_CONVENTION_IN}
    )
    assert first.status_code == 200, first.text
    assert first.json()["revision"] == 1
    second = await admin.put(
        f"{API}/naming-convention", json={"revision": 1, **DEFAULT_CONVENTION_IN, "enabled": False}
    )
    assert second.json()["revision"] == 2
    assert (await admin.get(f"{API}/naming-convention")).json() == second.json()


async def test_stale_revisions_are_refused(api: ApiFactory) -> None:
    admin = await api("admin")
    # Claiming a revision of a setting that was never written is stale too.
    never = await admin.put(
        f"{API}/naming-convention", json={"revision": 1, **DEFAULT_CONVENTION_IN}
    )
    assert problem(never, 409, "stale-version")["current_revision"] == 0
    await admin.put(f"{API}/naming-convention", json={"revision": 0, **DEFAULT_CONVENTION_IN})
    off = {**DEFAULT_CONVENTION_IN, "enabled": False}
    await admin.put(f"{API}/naming-convention", json={"revision": 1, **off})
    stale = await admin.put(
        f"{API}/naming-convention", json={"revision": 1, **DEFAULT_CONVENTION_IN}
    )
    assert problem(stale, 409, "stale-version")["current_revision"] == 2
    assert (await admin.get(f"{API}/naming-convention")).json()["enabled"] is False
    # Saving what is already there changes nothing: no new revision, nothing to make stale.
    same = await admin.put(f"{API}/naming-convention", json={"revision": 2, **off})
    assert same.json()["revision"] == 2


async def test_editing_a_setting_leaves_the_organisation_and_other_settings_alone(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    admin = await api("admin")
    org_id = org.org.id
    await identity.set_org_setting(session, org_id, OTHER, {"ctr_drop": "0.2"}, 0, None)
    await session.commit()
    org_version = await _org_version(admin)

    flows = await _flow_revisions(admin)

    r = await admin.put(f"{API}/naming-convention", json={"revision": 0, **DEFAULT_CONVENTION_IN})
    assert r.status_code == 200, r.text
    assert await _org_version(admin) == org_version
    assert await _flow_revisions(admin) == flows
    session.expire_all()
    assert await identity.org_setting(session, org_id, OTHER) == ({"ctr_drop": "0.2"}, 1)

    # … and the other way round: the other setting, then the organisation's name, change.
    await identity.set_org_setting(session, org_id, OTHER, {"ctr_drop": "0.3"}, 1, None)
    await session.commit()
    renamed = await admin.patch(f"{API}/org", json={"name": "新名字", "version": org_version})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["version"] == org_version + 1
    assert "settings" not in renamed.json()  # settings are served by their owners, not here
    # An approval flow is a setting of its own too (per request type).
    flow = await admin.put(
        f"{API}/approval-flows/project_initiation",
        json={"revision": flows["project_initiation"], "steps": [{"role": "director"}]},
    )
    assert flow.status_code == 200, flow.text
    assert (await _flow_revisions(admin))["budget_request"] == flows["budget_request"]
    read = (await admin.get(f"{API}/naming-convention")).json()
    assert read["revision"] == 1  # not stale: an edit made from it still goes through
    r = await admin.put(
        f"{API}/naming-convention", json={"revision": 1, **DEFAULT_CONVENTION_IN, "enabled": False}
    )
    assert r.status_code == 200, r.text
    assert r.json()["revision"] == 2


async def test_settings_belong_to_their_organisation(
    api: ApiFactory, session: AsyncSession, other_org: OrgWithMembers
) -> None:
    admin = await api("admin")
    await admin.put(f"{API}/naming-convention", json={"revision": 0, **DEFAULT_CONVENTION_IN})
    theirs = await api("admin", in_org=other_org)
    assert (await theirs.get(f"{API}/naming-convention")).json()["revision"] == 0
    assert await identity.org_setting(session, other_org.org.id, NAMING_SETTING) == (None, 0)


async def test_writes_of_a_setting_are_audited(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    admin = await api("admin")
    await admin.put(f"{API}/naming-convention", json={"revision": 0, **DEFAULT_CONVENTION_IN})
    await admin.put(
        f"{API}/naming-convention", json={"revision": 1, **DEFAULT_CONVENTION_IN, "enabled": False}
    )
    rows = (
        await session.scalars(
            select(AuditLog)
            .where(AuditLog.entity_type == "org_settings")
            .order_by(AuditLog.created_at)
        )
    ).all()
    assert [r.action for r in rows] == ["create", "update"]
    assert all(r.entity_label == NAMING_SETTING and r.org_id == org.org.id for r in rows)
    assert rows[0].actor_user_id == org.members[Role.ADMIN].user_id
    assert rows[0].after is not None
    assert rows[0].after["value"]["enabled"] is True
    assert rows[1].before == {"value": rows[0].after["value"]}
    assert rows[1].after is not None
    assert rows[1].after["value"]["enabled"] is False
    stored = await session.scalar(select(OrgSetting).where(OrgSetting.key == NAMING_SETTING))
    assert stored is not None
    assert stored.updated_by_member_id == org.members[Role.ADMIN].id


async def test_the_service_refuses_a_stale_write(
    session: AsyncSession, org: OrgWithMembers
) -> None:
    assert await identity.set_org_setting(session, org.org.id, OTHER, [1], 0, None) == 1
    assert await identity.set_org_setting(session, org.org.id, OTHER, [2], 1, None) == 2
    with pytest.raises(StaleVersion):
        await identity.set_org_setting(session, org.org.id, OTHER, [3], 1, None)
    with pytest.raises(StaleVersion):
        await identity.set_org_setting(session, org.org.id, OTHER, [3], 0, None)
    assert await identity.org_setting(session, org.org.id, OTHER) == ([2], 2)


# ---- concurrent writes, for real (committed data, a connection per request) -----------------


async def _admin_client(app: Any, member: Membership) -> httpx.AsyncClient:
    db: Database = app.state.db
    async with db.sessionmaker() as s:
        token = await make_session_token(s, member.id)
        await s.commit()
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {token}", **ENGLISH},
    )


async def _one_wins(c: httpx.AsyncClient, revision: int, n: int) -> list[httpx.Response]:
    def body(i: int) -> dict[str, Any]:  # each different from the others and from now
        parts = copy.deepcopy(DEFAULT_CONVENTION_IN["parts"])
        parts["campaign"]["label"] = f"活动名{revision}-{i}"
        return {**DEFAULT_CONVENTION_IN, "revision": revision, "parts": parts}

    responses = await asyncio.gather(
        *(c.put(f"{API}/naming-convention", json=body(i)) for i in range(n))
    )
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 409: n - 1}, [r.text for r in responses]
    for r in responses:
        if r.status_code == 409:
            assert r.headers["content-type"] == "application/problem+json"
            assert r.json()["type"].endswith("stale-version"), r.text
    return list(responses)


async def _concurrent_writes(app: Any, org: OrgWithMembers) -> None:
    admin = await _admin_client(app, org.members[Role.ADMIN])
    try:
        # Two first writes: both find no row, both insert; the unique (org, key) lets one in.
        first = await _one_wins(admin, 0, 2)
        winner = next(r.json() for r in first if r.status_code == 200)
        assert winner["revision"] == 1
        assert (await admin.get(f"{API}/naming-convention")).json() == winner
        # Writes from the same revision: the revision check in the UPDATE lets one in.
        await _one_wins(admin, 1, 4)
        assert (await admin.get(f"{API}/naming-convention")).json()["revision"] == 2
    finally:
        await admin.aclose()


@pytest.mark.postgres
async def test_concurrent_writes_of_a_setting_on_postgres(pg_app: FileApp) -> None:
    await _concurrent_writes(*pg_app)


async def test_concurrent_writes_of_a_setting_on_sqlite(file_app: FileApp) -> None:
    await _concurrent_writes(*file_app)
