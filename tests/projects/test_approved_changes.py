"""An approved project's decided fields (budget, manager, goals, dates beyond a tolerance)
change only through a change request: until the budget module adds those, 409 says why."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.audit import AuditLog
from mems.identity.permissions import Role
from mems.projects.service import DATE_TOLERANCE_DAYS
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.projects.helpers import API, count, create_project, decide, make_goal, move, problem


async def _approved(api: ApiFactory, budget: str = "400000") -> tuple[Any, ...]:
    director = await api("director")
    pm = await api("project_manager")
    goal = await make_goal(director)
    p = await create_project(pm, goal=goal, total_budget=budget)
    p = await move(pm, p, "submit")
    r = await decide(director, p["approval"]["id"])
    assert r.status_code == 201, r.text
    p = (await pm.get(f"{API}/projects/{p['id']}")).json()
    assert p["status"] == "approved"
    return pm, director, p, goal


async def _patch(c: httpx.AsyncClient, p: dict[str, Any], **changes: Any) -> httpx.Response:
    return await c.patch(f"{API}/projects/{p['id']}", json={**changes, "version": p["version"]})


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"total_budget": "900000"}, "total_budget"),
        ({"total_budget": "1"}, "total_budget"),
        ({"currency": "USD"}, "currency"),
        ({"ends_on": "2026-12-31"}, "ends_on"),
        ({"starts_on": "2026-08-01"}, "starts_on"),
    ],
)
async def test_decided_fields_of_an_approved_project_are_409(
    api: ApiFactory, session: AsyncSession, changes: dict[str, Any], field: str
) -> None:
    pm, _director, p, _goal = await _approved(api)
    before = await count(session, AuditLog)
    body = problem(await _patch(pm, p, **changes), 409, "conflict")
    assert body["reason"] == "change_request_needed"
    assert [e["field"] for e in body["errors"]] == [field]
    assert body["current_status"] == "approved"
    assert p["code"] in body["detail"]
    assert await count(session, AuditLog) == before
    again = (await pm.get(f"{API}/projects/{p['id']}")).json()
    assert again["total_budget"] == p["total_budget"]
    assert again["version"] == p["version"]


async def test_the_manager_of_an_active_project_changes_only_by_change_request(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    pm, director, p, _goal = await _approved(api)
    p = await move(pm, p, "start")
    assert p["status"] == "active"
    body = problem(
        await _patch(director, p, owner_member_id=str(org.members[Role.DIRECTOR].id)),
        409,
        "conflict",
    )
    assert [e["field"] for e in body["errors"]] == ["owner_member_id"]


async def test_goals_of_an_approved_project_are_fixed(api: ApiFactory) -> None:
    pm, director, p, _goal = await _approved(api)
    other = await make_goal(director, title="另一个目标")
    r = await pm.put(
        f"{API}/projects/{p['id']}/goal-links",
        json={"goal_links": [{"objective_id": other["id"]}], "version": p["version"]},
    )
    body = problem(r, 409, "conflict")
    assert body["reason"] == "change_request_needed"


async def test_what_the_approval_did_not_decide_still_changes(api: ApiFactory) -> None:
    pm, _director, p, _goal = await _approved(api)
    r = await _patch(
        pm,
        p,
        description="加一场直播",
        total_budget=p["total_budget"],  # unchanged is fine
        ends_on=_shift(p["ends_on"], DATE_TOLERANCE_DAYS),  # a slip within the tolerance
    )
    assert r.status_code == 200, r.text
    assert r.json()["description"] == "加一场直播"


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()
