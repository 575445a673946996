"""Audit rows name their object (as it was named then) and the object it belongs to, so the
SPA can show 品牌部 and link to it instead of a table name and a UUID; and the log says which
object types exist, so the filter offers them all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from mems.identity.permissions import Role
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers

API = "/api/v1"
SPA_ZH = Path(__file__).resolve().parents[2] / "frontend" / "src" / "i18n" / "zh-CN.json"


async def _audit(c: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    r = await c.get(f"{API}/audit-logs", params={"limit": 200, **params})
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


async def test_a_team_and_its_memberships_are_named_and_linked_even_after_deletion(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    admin = await api("admin")
    pm = org.members[Role.PROJECT_MANAGER]
    r = await admin.post(
        f"{API}/teams",
        json={"name": "电商部", "lead_member_id": str(pm.id), "member_ids": [str(pm.id)]},
    )
    assert r.status_code == 201, r.text
    team = r.json()
    r = await admin.patch(f"{API}/teams/{team['id']}", json={"name": "电商事业部", "version": 1})
    assert r.status_code == 200, r.text
    assert (await admin.delete(f"{API}/teams/{team['id']}")).status_code == 204

    rows = await _audit(admin, entity_id=team["id"])
    # Newest first: the delete keeps the last name, the update the new one, the create the first.
    assert [(r["action"], r["entity_label"]) for r in rows] == [
        ("delete", "电商事业部"),
        ("update", "电商事业部"),
        ("create", "电商部"),
    ]
    assert all(r["parent_type"] is None and r["parent_id"] is None for r in rows)

    links = await _audit(admin, entity_type="team_members")
    assert {r["action"] for r in links} == {"create", "delete"}
    assert {(r["parent_type"], r["parent_id"]) for r in links} == {("teams", team["id"])}


async def test_a_member_row_is_named_after_the_person(api: ApiFactory, org: OrgWithMembers) -> None:
    admin = await api("admin")
    member = org.members[Role.MEMBER]
    r = await admin.patch(f"{API}/members/{member.id}", json={"role": "finance", "version": 1})
    assert r.status_code == 200, r.text
    rows = await _audit(admin, entity_type="memberships", entity_id=str(member.id))
    assert {r["entity_label"] for r in rows} == {member.user.name}
    [row] = [r for r in rows if r["action"] == "update"]
    assert row["before"] == {"role": "member"}


async def test_a_kpi_belongs_to_its_goal(api: ApiFactory) -> None:
    director = await api("director")
    period = await director.post(
        f"{API}/strategy-periods",
        json={"name": "2031", "kind": "year", "starts_on": "2031-01-01", "ends_on": "2031-12-31"},
    )
    assert period.status_code == 201, period.text
    goal = await director.post(
        f"{API}/goals",
        json={"period_id": period.json()["id"], "level": "company", "title": "提升品牌知名度"},
    )
    assert goal.status_code == 201, goal.text
    kpi = await director.post(
        f"{API}/kpis",
        json={
            "objective_id": goal.json()["id"],
            "name": "新增粉丝5万人",
            "unit": "人",
            "baseline": "0",
            "target": "50000",
            "direction": "increase",
        },
    )
    assert kpi.status_code == 201, kpi.text
    admin = await api("admin")
    [goal_row] = await _audit(admin, entity_id=goal.json()["id"])
    assert goal_row["entity_label"] == "提升品牌知名度"
    [kpi_row] = await _audit(admin, entity_id=kpi.json()["id"])
    assert kpi_row["entity_label"] == "新增粉丝5万人"
    assert (kpi_row["parent_type"], kpi_row["parent_id"]) == ("objectives", goal.json()["id"])


async def test_declared_parents_point_at_real_types_and_attributes() -> None:
    """Each declared parent names an audited type and an attribute its model has."""
    import mems.models_registry  # noqa: F401  (every model mapped)
    from mems.core.audit import audited_types
    from mems.core.models import AuditedMixin, Base

    types = audited_types()
    declared = {}
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if issubclass(cls, AuditedMixin) and cls.__audit_parent__:
            parent_type, attribute = cls.__audit_parent__
            assert parent_type in types, cls
            assert attribute in mapper.columns, cls
            declared[str(getattr(cls, "__tablename__"))] = parent_type  # noqa: B009
    assert declared["retrospectives"] == "projects"
    assert declared["key_results"] == "objectives"
    assert declared["team_members"] == "teams"


async def test_the_log_lists_its_object_types_and_marks_bookkeeping(api: ApiFactory) -> None:
    admin = await api("admin")
    r = await admin.get(f"{API}/audit-logs/entity-types")
    assert r.status_code == 200, r.text
    types = {t["entity_type"]: t["internal"] for t in r.json()}
    assert {"projects", "objectives", "key_results", "teams", "memberships"} <= set(types)
    assert {"approval_requests", "strategy_periods", "api_tokens", "organizations"} <= set(types)
    assert types["team_members"] is True
    assert types["projects"] is False
    # Sessions and login attempts are not audited objects at all.
    assert "auth_sessions" not in types
    assert "login_attempts" not in types
    assert "audit_logs" not in types

    member = await api("member")
    assert (await member.get(f"{API}/audit-logs/entity-types")).status_code == 403


async def test_every_audited_type_has_a_chinese_name_in_the_spa(api: ApiFactory) -> None:
    """The audit page names object types in the user's language: none may be left untranslated."""
    admin = await api("admin")
    types = [t["entity_type"] for t in (await admin.get(f"{API}/audit-logs/entity-types")).json()]
    names = json.loads(SPA_ZH.read_text(encoding="utf-8"))["audit"]["entities"]
    assert sorted(t for t in types if t not in names) == []
