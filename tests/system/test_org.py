"""The caller's organisation: read with an ETag, update with a version."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.identity.models import Organization
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers

API = "/api/v1"
PROBLEM = "application/problem+json"


def _problem(r: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body = dict(r.json())
    assert body["type"] == f"urn:mems:problem:{slug}"
    assert body["status"] == status
    return body


async def _org_row(session: AsyncSession, org: OrgWithMembers) -> tuple[Any, ...]:
    row = (
        await session.execute(
            select(
                Organization.name,
                Organization.timezone,
                Organization.locale,
                Organization.version,
            ).where(Organization.id == org.org.id)
        )
    ).one()
    return tuple(row)


async def test_get_org_with_etag(api: ApiFactory, org: OrgWithMembers) -> None:
    viewer = await api("viewer")
    r = await viewer.get(f"{API}/org")
    assert r.status_code == 200
    assert r.headers["etag"] == '"1"'
    body = r.json()
    assert body["id"] == str(org.org.id)
    assert body["name"] == "测试品牌 (Test Co.)"
    assert body["slug"] == org.org.slug
    assert body["timezone"] == "Asia/Shanghai"
    assert body["locale"] == "zh-CN"
    assert body["currency"] == "CNY"
    assert body["version"] == 1


async def test_patch_org(api: ApiFactory, org: OrgWithMembers, session: AsyncSession) -> None:
    admin = await api("admin")
    r = await admin.patch(
        f"{API}/org",
        json={"name": "新品牌名", "timezone": "America/New_York", "locale": "en", "version": 1},
    )
    assert r.status_code == 200, r.text
    assert r.headers["etag"] == '"2"'
    body = r.json()
    assert (body["name"], body["timezone"], body["locale"], body["version"]) == (
        "新品牌名",
        "America/New_York",
        "en",
        2,
    )
    got = await admin.get(f"{API}/org")
    assert got.headers["etag"] == '"2"'
    assert got.json() == body
    assert await _org_row(session, org) == ("新品牌名", "America/New_York", "en", 2)

    # A partial update leaves the other fields alone.
    r = await admin.patch(f"{API}/org", json={"locale": "zh-CN", "version": 2})
    assert r.status_code == 200, r.text
    assert await _org_row(session, org) == ("新品牌名", "America/New_York", "zh-CN", 3)


async def test_stale_version_is_409(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    admin = await api("admin")
    assert (
        await admin.patch(f"{API}/org", json={"name": "第一次", "version": 1})
    ).status_code == 200
    stale = await admin.patch(f"{API}/org", json={"name": "第二次", "version": 1})
    body = _problem(stale, 409, "stale-version")
    assert body["current_version"] == 2
    assert await _org_row(session, org) == ("第一次", "Asia/Shanghai", "zh-CN", 2)


async def test_stale_if_match_is_412(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    admin = await api("admin")
    r = await admin.patch(
        f"{API}/org", json={"name": "不应保存", "version": 1}, headers={"If-Match": '"5"'}
    )
    body = _problem(r, 412, "precondition-failed")
    assert body["current_version"] == 1
    assert await _org_row(session, org) == ("测试品牌 (Test Co.)", "Asia/Shanghai", "zh-CN", 1)
    ok = await admin.patch(
        f"{API}/org", json={"name": "已保存", "version": 1}, headers={"If-Match": '"1"'}
    )
    assert ok.status_code == 200, ok.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "asia/shanghai"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"locale": "fr"}, "locale"),
        ({"locale": "zh-TW"}, "locale"),
        ({"locale": "en-US"}, "locale"),
        ({"name": ""}, "name"),
        ({"name": "名" * 201}, "name"),
        ({"currency": "USD"}, "currency"),
        ({"version": 0}, "version"),
    ],
    ids=lambda v: str(v) if isinstance(v, str) else None,
)
async def test_invalid_org_update_is_422(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession, body: dict[str, Any], field: str
) -> None:
    admin = await api("admin")
    r = await admin.patch(f"{API}/org", json={"version": 1, **body})
    problem = _problem(r, 422, "validation-failed")
    assert [e["field"] for e in problem["errors"]] == [field]
    assert await _org_row(session, org) == ("测试品牌 (Test Co.)", "Asia/Shanghai", "zh-CN", 1)


@pytest.mark.parametrize("field", ["name", "timezone", "locale"])
async def test_null_for_a_required_org_field_is_422(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession, field: str
) -> None:
    """Sending null is a validation error naming the field, not a server error."""
    admin = await api("admin")
    r = await admin.patch(f"{API}/org", json={field: None, "version": 1})
    problem = _problem(r, 422, "validation-failed")
    assert [e["field"] for e in problem["errors"]] == [field]
    assert await _org_row(session, org) == ("测试品牌 (Test Co.)", "Asia/Shanghai", "zh-CN", 1)


async def test_version_is_required(api: ApiFactory) -> None:
    admin = await api("admin")
    r = await admin.patch(f"{API}/org", json={"name": "没有版本"})
    problem = _problem(r, 422, "validation-failed")
    assert [e["field"] for e in problem["errors"]] == ["version"]


async def test_only_admins_may_patch(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    director = await api("director")
    r = await director.patch(f"{API}/org", json={"name": "越权", "version": 1})
    _problem(r, 403, "forbidden")
    assert await _org_row(session, org) == ("测试品牌 (Test Co.)", "Asia/Shanghai", "zh-CN", 1)


@pytest.mark.parametrize(
    ("if_match", "status"),
    [
        ('"1"', 200),
        ('"4", "1"', 200),
        ("*", 200),
        ('"2"', 412),
        # RFC 9110 §13.1.1: If-Match uses the strong comparison; a weak tag never matches.
        ('W/"1"', 412),
    ],
)
async def test_if_match_forms(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession, if_match: str, status: int
) -> None:
    admin = await api("admin")
    r = await admin.patch(
        f"{API}/org", json={"name": "条件更新", "version": 1}, headers={"If-Match": if_match}
    )
    assert r.status_code == status, r.text
    expected_name = "条件更新" if status == 200 else "测试品牌 (Test Co.)"
    assert (await _org_row(session, org))[0] == expected_name
