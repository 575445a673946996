"""The rules of daily work an admin sets (`/work-settings`): the check-in grace days and how
long before overdue issues reach the directors. Each is stored as its own organisation setting
(read by the check-ins and the escalation job); members read them, only admins change them,
bad values are refused naming the field and write nothing, a stale revision is a 409."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.checkins.service import GRACE_DAYS_SETTING, grace_days
from mems.identity import service as identity
from mems.identity.permissions import Role
from mems.risks.service import DIRECTOR_AFTER_SETTING, director_after_setting
from tests.checkins.helpers import API, fields_of, org_today, problem
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.permission_matrix import audit_rows

SETTINGS = f"{API}/work-settings"
DEFAULTS = {"checkin_grace_days": 1, "issue_director_after_days": 2, "revision": 0}


async def test_members_read_the_defaults_until_an_admin_sets_them(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    org_id = org.org.id
    member = await api(Role.MEMBER)
    r = await member.get(SETTINGS)
    assert r.status_code == 200, r.text
    assert r.json() == DEFAULTS

    admin = await api(Role.ADMIN)
    r = await admin.put(
        SETTINGS, json={"checkin_grace_days": 3, "issue_director_after_days": 5, "revision": 0}
    )
    assert r.status_code == 200, r.text
    saved = r.json()
    assert saved["checkin_grace_days"] == 3
    assert saved["issue_director_after_days"] == 5
    assert saved["revision"] == 2  # each setting written once
    assert (await member.get(SETTINGS)).json() == saved

    # Stored as the settings their domains read.
    session.expire_all()
    assert await identity.org_setting(session, org_id, GRACE_DAYS_SETTING) == (3, 1)
    assert await identity.org_setting(session, org_id, DIRECTOR_AFTER_SETTING) == (5, 1)
    assert await grace_days(session, org_id) == 3
    assert await director_after_setting(session, org_id) == (5, 1)

    # Changing one writes only that one; saving what is there adds no revision.
    r = await admin.put(
        SETTINGS, json={"checkin_grace_days": 0, "issue_director_after_days": 5, "revision": 2}
    )
    assert r.json() == {"checkin_grace_days": 0, "issue_director_after_days": 5, "revision": 3}
    session.expire_all()
    assert await identity.org_setting(session, org_id, DIRECTOR_AFTER_SETTING) == (5, 1)
    same = await admin.put(
        SETTINGS, json={"checkin_grace_days": 0, "issue_director_after_days": 5, "revision": 3}
    )
    assert same.json()["revision"] == 3


async def test_the_grace_days_set_here_decide_which_days_can_be_checked_in(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    admin = await api(Role.ADMIN)
    member = await api(Role.MEMBER)
    yesterday = org_today(org) - timedelta(days=1)
    r = await admin.put(
        SETTINGS, json={"checkin_grace_days": 0, "issue_director_after_days": 2, "revision": 0}
    )
    assert r.status_code == 200, r.text
    r = await member.put(f"{API}/checkins/me/{yesterday}", json={"done": "补卡"})
    body = problem(r, 422, "validation-failed")
    assert body["errors"][0]["type"] == "past_grace"

    r = await admin.put(
        SETTINGS, json={"checkin_grace_days": 2, "issue_director_after_days": 2, "revision": 1}
    )
    assert r.status_code == 200, r.text
    r = await member.put(f"{API}/checkins/me/{yesterday}", json={"done": "补卡"})
    assert r.status_code == 200, r.text


BAD: list[tuple[dict[str, Any], str, str]] = [
    ({"checkin_grace_days": -1}, "checkin_grace_days", "greater_than_equal"),
    ({"checkin_grace_days": 31}, "checkin_grace_days", "less_than_equal"),
    ({"checkin_grace_days": 1.5}, "checkin_grace_days", "int_from_float"),
    ({"checkin_grace_days": "2"}, "checkin_grace_days", "int_type"),
    ({"checkin_grace_days": True}, "checkin_grace_days", "int_type"),
    ({"checkin_grace_days": None}, "checkin_grace_days", "int_type"),
    ({"issue_director_after_days": 0}, "issue_director_after_days", "greater_than_equal"),
    ({"issue_director_after_days": 61}, "issue_director_after_days", "less_than_equal"),
    ({"issue_director_after_days": "3"}, "issue_director_after_days", "int_type"),
    ({"revision": -1}, "revision", "greater_than_equal"),
    ({"revision": False}, "revision", "int_type"),
    ({"grace_days": 3}, "grace_days", "extra_forbidden"),
]


@pytest.mark.parametrize(("change", "field", "kind"), BAD, ids=[f"{b[1]}-{b[2]}" for b in BAD])
async def test_bad_values_are_refused_naming_the_field_and_write_nothing(
    api: ApiFactory,
    session: AsyncSession,
    org: OrgWithMembers,
    change: dict[str, Any],
    field: str,
    kind: str,
) -> None:
    admin = await api(Role.ADMIN)
    before = await audit_rows(session)
    r = await admin.put(SETTINGS, json={**DEFAULTS, "checkin_grace_days": 3, **change})
    body = problem(r, 422, "validation-failed")
    assert fields_of(body) == [field]
    assert body["errors"][0]["type"] == kind
    assert field in body["detail"]
    assert await audit_rows(session) == before
    assert (await admin.get(SETTINGS)).json() == DEFAULTS


async def test_a_whole_number_written_with_a_point_is_that_number(api: ApiFactory) -> None:
    admin = await api(Role.ADMIN)
    r = await admin.put(
        SETTINGS, json={"checkin_grace_days": 4.0, "issue_director_after_days": 6, "revision": 0}
    )
    assert r.status_code == 200, r.text
    assert r.json()["checkin_grace_days"] == 4


async def test_a_missing_value_is_refused(api: ApiFactory) -> None:
    admin = await api(Role.ADMIN)
    r = await admin.put(SETTINGS, json={"checkin_grace_days": 2, "revision": 0})
    body = problem(r, 422, "validation-failed")
    assert fields_of(body) == ["issue_director_after_days"]
    assert body["errors"][0]["type"] == "missing"


async def test_refusals_are_explained_in_chinese(api: ApiFactory) -> None:
    admin = await api(Role.ADMIN)
    r = await admin.put(
        SETTINGS,
        json={"checkin_grace_days": 31, "issue_director_after_days": 2, "revision": 0},
        headers={"Accept-Language": "zh-CN"},
    )
    body = problem(r, 422, "validation-failed")
    assert body["errors"][0]["message"] == "应小于或等于 30"


async def test_a_stale_revision_is_refused_and_writes_nothing(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    admin = await api(Role.ADMIN)
    # Someone changed the escalation delay after this admin read revision 0.
    await identity.set_org_setting(session, org.org.id, DIRECTOR_AFTER_SETTING, 4, 0, None)
    await session.commit()
    before = await audit_rows(session)
    r = await admin.put(
        SETTINGS, json={"checkin_grace_days": 5, "issue_director_after_days": 2, "revision": 0}
    )
    assert problem(r, 409, "stale-version")["current_revision"] == 1
    assert await audit_rows(session) == before
    assert (await admin.get(SETTINGS)).json() == {
        "checkin_grace_days": 1,
        "issue_director_after_days": 4,
        "revision": 1,
    }


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.PROJECT_MANAGER, Role.MEMBER, Role.VIEWER])
async def test_only_admins_change_them(api: ApiFactory, session: AsyncSession, role: Role) -> None:
    c = await api(role)
    assert (await c.get(SETTINGS)).status_code == 200
    r = await c.put(
        SETTINGS, json={"checkin_grace_days": 5, "issue_director_after_days": 9, "revision": 0}
    )
    body = problem(r, 403, "forbidden")
    assert role.value in body["detail"]
    assert (await c.get(SETTINGS)).json() == DEFAULTS


async def test_each_organisation_has_its_own(api: ApiFactory, other_org: OrgWithMembers) -> None:
    mine = await api(Role.ADMIN)
    theirs = await api(Role.ADMIN, in_org=other_org)
    r = await theirs.put(
        SETTINGS, json={"checkin_grace_days": 7, "issue_director_after_days": 9, "revision": 0}
    )
    assert r.status_code == 200, r.text
    assert (await mine.get(SETTINGS)).json() == DEFAULTS
    r = await mine.put(
        SETTINGS, json={"checkin_grace_days": 2, "issue_director_after_days": 3, "revision": 0}
    )
    assert r.status_code == 200, r.text
    assert (await theirs.get(SETTINGS)).json()["checkin_grace_days"] == 7
