"""The strategy engine through the API: periods, the goal tree, KPIs, check-ins, progress."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.audit import AuditLog
from mems.strategy.models import KeyResult, Objective, StrategyPeriod
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers

API = "/api/v1"


async def _year(c: httpx.AsyncClient, name: str = "2026") -> dict[str, Any]:
    r = await c.post(
        f"{API}/strategy-periods",
        json={"name": name, "kind": "year", "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
    )
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def _goal(
    c: httpx.AsyncClient,
    period: dict[str, Any],
    title: str,
    parent: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body = {
        "period_id": period["id"],
        "level": "company" if parent is None else "department",
        "title": title,
        **({"parent_id": parent["id"]} if parent else {}),
        **extra,
    }
    r = await c.post(f"{API}/goals", json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def _kpi(c: httpx.AsyncClient, goal: dict[str, Any], **values: Any) -> dict[str, Any]:
    body = {
        "objective_id": goal["id"],
        "name": "新增粉丝5万人",
        "unit": "人",
        "baseline": "0",
        "target": "50000",
        "direction": "increase",
        **values,
    }
    r = await c.post(f"{API}/kpis", json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def _count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_goal_tree_rolls_progress_up_and_flags_unmeasured_goals(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    director = await api("director")
    year = await _year(director)
    company = await _goal(director, year, "提升品牌知名度")
    reach = await _kpi(
        director,
        company,
        name="社交媒体曝光量增长30%",
        unit="万次",
        baseline="12000",
        target="15600",
        weight="2",
        owner_member_id=str(org.members["director"].id),
    )  # type: ignore[index]
    fans = await _kpi(director, company, owner_member_id=str(org.members["director"].id))  # type: ignore[index]
    dept = await _goal(director, year, "内容营销部", parent=company)
    await _goal(director, year, "达人合作", parent=dept)

    assert (
        await director.post(f"{API}/kpis/{reach['id']}/check-ins", json={"value": "14700"})
    ).status_code == 201
    r = await director.post(
        f"{API}/kpis/{fans['id']}/check-ins",
        json={"value": "20000", "checked_on": "2026-09-30", "note": "Q3"},
    )
    assert r.status_code == 201, r.text

    tree = (await director.get(f"{API}/goals/{company['id']}/tree")).json()
    kpis = {k["name"]: k for k in tree["key_results"]}
    assert kpis["社交媒体曝光量增长30%"]["attainment"]["capped"] == pytest.approx(0.75)
    assert kpis["新增粉丝5万人"]["attainment"]["capped"] == pytest.approx(0.4)
    # (2 × 0.75 + 1 × 0.4) / 3; the unmeasured department is left out, not counted as 0.
    assert tree["goal"]["progress"]["capped"] == pytest.approx(0.6333, abs=1e-4)
    assert tree["unmeasured"] is False
    [dept_node] = tree["children"]
    assert dept_node["unmeasured"] is True
    assert dept_node["goal"]["progress"] is None
    assert dept_node["children"][0]["unmeasured"] is True

    # Progress is recomputed when something under it changes.
    ctr = await _kpi(director, dept, name="CTR", unit="%", baseline="2", target="4")
    await director.post(f"{API}/kpis/{ctr['id']}/check-ins", json={"value": "4.6"})
    goal = (await director.get(f"{API}/goals/{company['id']}")).json()
    # dept: capped 1.0 (uncapped 1.3); company: (2×0.75 + 0.4 + 1.0) / 4
    assert goal["progress"]["capped"] == pytest.approx((1.5 + 0.4 + 1.0) / 4, abs=1e-4)
    assert goal["progress"]["uncapped"] == pytest.approx((1.5 + 0.4 + 1.3) / 4, abs=1e-4)


async def test_check_in_history_and_latest_value(api: ApiFactory, org: OrgWithMembers) -> None:
    director = await api("director")
    goal = await _goal(director, await _year(director), "目标")
    kpi = await _kpi(director, goal, owner_member_id=str(org.members["member"].id))  # type: ignore[index]
    member = await api("member")
    for day, value in [("2026-03-31", "5000"), ("2026-06-30", "12000"), ("2026-01-31", "1000")]:
        r = await member.post(
            f"{API}/kpis/{kpi['id']}/check-ins", json={"value": value, "checked_on": day}
        )
        assert r.status_code == 201, r.text
    history = (await member.get(f"{API}/kpis/{kpi['id']}/check-ins")).json()
    assert [h["checked_on"] for h in history["items"]] == ["2026-06-30", "2026-03-31", "2026-01-31"]
    current = (await member.get(f"{API}/kpis/{kpi['id']}")).json()
    # The latest-dated value counts, even when an older one was entered last.
    assert current["current_value"] == "12000.0000"
    assert current["current_as_of"] == "2026-06-30"


async def test_only_owner_or_manager_checks_in(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    director = await api("director")
    goal = await _goal(director, await _year(director), "目标")
    kpi = await _kpi(director, goal, owner_member_id=str(org.members["member"].id))  # type: ignore[index]
    pm = await api("project_manager")
    r = await pm.post(f"{API}/kpis/{kpi['id']}/check-ins", json={"value": "1"})
    assert r.status_code == 403
    assert (await pm.get(f"{API}/kpis/{kpi['id']}/check-ins")).json()["total"] == 0
    assert (
        await director.post(f"{API}/kpis/{kpi['id']}/check-ins", json={"value": "1"})
    ).status_code == 201


async def test_decreasing_kpi(api: ApiFactory) -> None:
    director = await api("director")
    goal = await _goal(director, await _year(director), "降本")
    kpi = await _kpi(
        director,
        goal,
        name="获客成本",
        unit="CNY",
        baseline="68",
        target="45",
        direction="decrease",
    )
    await director.post(f"{API}/kpis/{kpi['id']}/check-ins", json={"value": "56.5"})
    got = (await director.get(f"{API}/kpis/{kpi['id']}")).json()
    assert got["attainment"]["capped"] == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"weight": "-1"}, "weight"),
        ({"baseline": "100", "target": "100"}, "target"),
        ({"baseline": "100", "target": "50", "direction": "increase"}, "direction"),
        ({"baseline": "10", "target": "50", "direction": "decrease"}, "direction"),
        ({"baseline": "NaN"}, "baseline"),
        ({"target": "1e30"}, "target"),
        ({"direction": "sideways"}, "direction"),
        ({"source": "crystal_ball"}, "source"),
    ],
)
async def test_bad_kpi_is_422_and_writes_nothing(
    api: ApiFactory, session: AsyncSession, values: dict[str, Any], field: str
) -> None:
    director = await api("director")
    goal = await _goal(director, await _year(director), "目标")
    before = (await _count(session, KeyResult), await _count(session, AuditLog))
    body = {
        "objective_id": goal["id"],
        "name": "x",
        "unit": "人",
        "baseline": "0",
        "target": "10",
        "direction": "increase",
        **values,
    }
    r = await director.post(f"{API}/kpis", json=body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in r.json()["errors"]]
    assert (await _count(session, KeyResult), await _count(session, AuditLog)) == before


async def test_kpi_update_keeps_values_consistent(api: ApiFactory) -> None:
    director = await api("director")
    kpi = await _kpi(director, await _goal(director, await _year(director), "目标"))
    r = await director.patch(f"{API}/kpis/{kpi['id']}", json={"target": "0", "version": 1})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "target"
    r = await director.patch(
        f"{API}/kpis/{kpi['id']}", json={"target": "-5", "direction": "decrease", "version": 1}
    )
    assert r.status_code == 200, r.text
    stale = await director.patch(f"{API}/kpis/{kpi['id']}", json={"name": "旧", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2


async def test_cycles_in_the_goal_tree_are_refused(api: ApiFactory, session: AsyncSession) -> None:
    director = await api("director")
    year = await _year(director)
    a = await _goal(director, year, "A")
    b = await _goal(director, year, "B", parent=a)
    c = await _goal(director, year, "C", parent=b)
    for target, parent in [(a, c), (a, a), (b, c)]:
        r = await director.patch(
            f"{API}/goals/{target['id']}", json={"parent_id": parent["id"], "version": 1}
        )
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "parent_id"
        assert r.json()["errors"][0]["type"] == "cycle"
    parents = dict((await session.execute(select(Objective.title, Objective.parent_id))).all())
    assert parents["A"] is None
    # A legal move works, and moving back to the top too.
    assert (
        await director.patch(f"{API}/goals/{c['id']}", json={"parent_id": a["id"], "version": 1})
    ).status_code == 200
    assert (
        await director.patch(f"{API}/goals/{c['id']}", json={"parent_id": None, "version": 2})
    ).status_code == 200


async def test_parent_must_be_in_the_same_period(api: ApiFactory) -> None:
    director = await api("director")
    y26 = await _year(director)
    r = await director.post(
        f"{API}/strategy-periods",
        json={"name": "2027", "kind": "year", "starts_on": "2027-01-01", "ends_on": "2027-12-31"},
    )
    y27 = r.json()
    a = await _goal(director, y26, "A")
    r = await director.post(
        f"{API}/goals",
        json={"period_id": y27["id"], "parent_id": a["id"], "level": "team", "title": "B"},
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "parent_id"


async def test_periods_validate_dates_names_and_quarters(
    api: ApiFactory, session: AsyncSession
) -> None:
    director = await api("director")
    r = await director.post(
        f"{API}/strategy-periods",
        json={"name": "坏", "kind": "year", "starts_on": "2026-12-31", "ends_on": "2026-01-01"},
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "ends_on"
    assert await _count(session, StrategyPeriod) == 0
    year = await _year(director)
    dup = await director.post(
        f"{API}/strategy-periods",
        json={"name": "2026", "kind": "year", "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
    )
    assert dup.status_code == 409
    outside = await director.post(
        f"{API}/strategy-periods",
        json={
            "name": "2027Q1",
            "kind": "quarter",
            "parent_id": year["id"],
            "starts_on": "2027-01-01",
            "ends_on": "2027-03-31",
        },
    )
    assert outside.status_code == 422
    q4 = await director.post(
        f"{API}/strategy-periods",
        json={
            "name": "2026Q4",
            "kind": "quarter",
            "parent_id": year["id"],
            "starts_on": "2026-10-01",
            "ends_on": "2026-12-31",
        },
    )
    assert q4.status_code == 201, q4.text
    # A year with quarters (or goals) cannot be deleted; an empty quarter can.
    assert (await director.delete(f"{API}/strategy-periods/{year['id']}")).status_code == 409
    assert (await director.delete(f"{API}/strategy-periods/{q4.json()['id']}")).status_code == 204
    assert (await director.delete(f"{API}/strategy-periods/{year['id']}")).status_code == 204


async def test_goal_with_something_under_it_cannot_be_deleted(api: ApiFactory) -> None:
    director = await api("director")
    year = await _year(director)
    a = await _goal(director, year, "A")
    await _goal(director, year, "B", parent=a)
    assert (await director.delete(f"{API}/goals/{a['id']}")).status_code == 409


async def test_owner_must_be_a_member_of_this_org(
    api: ApiFactory, other_org: OrgWithMembers
) -> None:
    director = await api("director")
    year = await _year(director)
    foreign = str(other_org.members["member"].id)  # type: ignore[index]
    r = await director.post(
        f"{API}/goals",
        json={
            "period_id": year["id"],
            "level": "company",
            "title": "X",
            "owner_member_id": foreign,
        },
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "owner_member_id"


async def test_another_orgs_strategy_is_invisible(
    api: ApiFactory, other_org: OrgWithMembers
) -> None:
    theirs = await api("director", in_org=other_org)
    year = await _year(theirs)
    goal = await _goal(theirs, year, "竞品目标")
    kpi = await _kpi(theirs, goal)
    mine = await api("admin")
    for path in (
        f"/strategy-periods/{year['id']}",
        f"/goals/{goal['id']}",
        f"/goals/{goal['id']}/tree",
        f"/kpis/{kpi['id']}",
        f"/kpis/{kpi['id']}/check-ins",
    ):
        r = await mine.get(API + path)
        assert r.status_code == 404, path
    assert (
        await mine.patch(f"{API}/goals/{goal['id']}", json={"title": "x", "version": 1})
    ).status_code == 404
    assert (
        await mine.post(f"{API}/kpis/{kpi['id']}/check-ins", json={"value": "1"})
    ).status_code == 404
    assert (await mine.delete(f"{API}/kpis/{kpi['id']}")).status_code == 404
    # Nor can one build on it.
    r = await mine.post(
        f"{API}/goals", json={"period_id": year["id"], "level": "company", "title": "x"}
    )
    assert r.status_code == 422
    assert (await mine.get(f"{API}/goals")).json()["total"] == 0
    assert (await theirs.get(f"{API}/kpis/{kpi['id']}")).json()["name"] == "新增粉丝5万人"


async def test_future_check_in_is_refused(api: ApiFactory) -> None:
    director = await api("director")
    kpi = await _kpi(director, await _goal(director, await _year(director), "目标"))
    r = await director.post(
        f"{API}/kpis/{kpi['id']}/check-ins", json={"value": "1", "checked_on": "2999-01-01"}
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "checked_on"


async def test_goal_tree_lists_linked_projects_and_flags_goals_without_work(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    director = await api("director")
    year = await _year(director)
    root = await _goal(director, year, "提升品牌知名度")
    served = await _goal(director, year, "活动部：双十一大促引流", root)
    idle = await _goal(director, year, "渠道部：拓展新渠道", root)
    r = await director.post(
        f"{API}/projects",
        json={
            "name": "双十一大促",
            "type": "promotion",
            "starts_on": "2026-10-01",
            "ends_on": "2026-11-15",
            "goal_links": [{"objective_id": served["id"]}],
        },
    )
    assert r.status_code == 201, r.text
    project = r.json()

    tree = (await director.get(f"{API}/goals/{root['id']}/tree")).json()
    nodes = {n["goal"]["id"]: n for n in tree["children"]}
    assert [p["code"] for p in nodes[served["id"]]["projects"]] == [project["code"]]
    assert nodes[served["id"]]["projects"][0]["status"] == "draft"
    assert nodes[served["id"]]["no_work"] is False
    assert nodes[idle["id"]]["projects"] == []
    assert nodes[idle["id"]]["no_work"] is True
    assert tree["projects"] == []
    assert tree["no_work"] is False  # work under it counts

    # A cancelled project is no work: the goal (and so its parent) is flagged again.
    r = await director.post(
        f"{API}/projects/{project['id']}/transitions",
        json={"action": "cancel", "version": project["version"]},
    )
    assert r.status_code == 200, r.text
    tree = (await director.get(f"{API}/goals/{root['id']}/tree")).json()
    nodes = {n["goal"]["id"]: n for n in tree["children"]}
    assert nodes[served["id"]]["projects"][0]["status"] == "cancelled"
    assert nodes[served["id"]]["no_work"] is True
    assert tree["no_work"] is True


async def test_goal_list_filters_and_pages_with_progress_over_the_whole_period(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    director = await api("director")
    y26, y27 = await _year(director, "2026"), await _year(director, "2027")
    owner = str(org.members["project_manager"].id)  # type: ignore[index]
    a = await _goal(director, y26, "A")
    await _goal(director, y26, "B", owner_member_id=owner)
    a1 = await _goal(director, y26, "A1", a, owner_member_id=owner)
    await _goal(director, y26, "A2", a)
    c = await _goal(director, y27, "C")
    # Progress lives below the listed goals: A's comes from A1's key result only.
    kpi = await _kpi(director, a1, baseline="0", target="10")
    assert (
        await director.post(f"{API}/kpis/{kpi['id']}/check-ins", json={"value": "4"})
    ).status_code == 201

    async def listed(**params: Any) -> dict[str, Any]:
        r = await director.get(f"{API}/goals", params=params)
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    def titles(page: dict[str, Any]) -> list[str]:
        return [g["title"] for g in page["items"]]

    everything = await listed()
    assert titles(everything) == ["A", "B", "A1", "A2", "C"]
    assert everything["total"] == 5
    assert titles(await listed(period_id=y26["id"], roots_only=True)) == ["A", "B"]
    assert titles(await listed(roots_only=True)) == ["A", "B", "C"]
    assert titles(await listed(parent_id=a["id"])) == ["A1", "A2"]
    assert titles(await listed(owner_member_id=owner)) == ["B", "A1"]
    assert titles(await listed(period_id=y27["id"])) == ["C"]

    # Pages: the total is that of every goal matching, on any page and past the end.
    page = await listed(roots_only=True, limit=1, offset=1)
    assert (titles(page), page["total"], page["limit"], page["offset"]) == (["B"], 3, 1, 1)
    past = await listed(period_id=y26["id"], limit=2, offset=10)
    assert (past["items"], past["total"]) == ([], 4)
    mine = await listed(period_id=y26["id"], owner_member_id=owner, roots_only=True)
    assert (titles(mine), mine["total"]) == (["B"], 1)

    # Each listed goal's progress is rolled up over its period's whole tree, as the goal
    # itself reports it, whatever else the page shows.
    for params in ({}, {"roots_only": True, "limit": 1}, {"parent_id": a["id"]}):
        for goal in (await listed(**params))["items"]:
            one = (await director.get(f"{API}/goals/{goal['id']}")).json()
            assert goal == one
    by_title = {g["title"]: g for g in everything["items"]}
    assert by_title["A"]["progress"] == {"capped": 0.4, "uncapped": 0.4}
    assert by_title["A1"]["progress"] == {"capped": 0.4, "uncapped": 0.4}
    assert by_title["A2"]["progress"] is None
    assert by_title["B"]["progress"] is None
    assert c["id"] == by_title["C"]["id"]


async def test_goal_tree_of_a_sub_goal_holds_only_its_subtree(api: ApiFactory) -> None:
    director = await api("director")
    year = await _year(director)
    root = await _goal(director, year, "公司目标")
    dept = await _goal(director, year, "部门目标", root)
    team = await _goal(director, year, "团队目标", dept)
    sibling = await _goal(director, year, "另一个部门", root)
    await _kpi(director, root, name="公司 KPI")
    await _kpi(director, sibling, name="兄弟 KPI")
    team_kpi = await _kpi(
        director, team, name="团队 KPI", baseline="100", target="50", direction="decrease"
    )
    await _kpi(director, team, name="团队 KPI 2", baseline="0", target="10", weight="0")
    r = await director.post(f"{API}/kpis/{team_kpi['id']}/check-ins", json={"value": "75"})
    assert r.status_code == 201, r.text
    for goal, name in ((team, "团队项目"), (sibling, "兄弟项目"), (root, "公司项目")):
        r = await director.post(
            f"{API}/projects",
            json={
                "name": name,
                "type": "promotion",
                "starts_on": "2026-10-01",
                "ends_on": "2026-11-15",
                "goal_links": [{"objective_id": goal["id"]}],
            },
        )
        assert r.status_code == 201, r.text

    tree = (await director.get(f"{API}/goals/{dept['id']}/tree")).json()
    assert tree["goal"] == (await director.get(f"{API}/goals/{dept['id']}")).json()
    assert (tree["key_results"], tree["projects"]) == ([], [])
    [team_node] = tree["children"]
    assert team_node["children"] == []
    assert team_node["goal"]["id"] == team["id"]
    assert [k["name"] for k in team_node["key_results"]] == ["团队 KPI", "团队 KPI 2"]
    assert [p["name"] for p in team_node["projects"]] == ["团队项目"]
    # The team's progress: its decreasing KPI halfway (the other weighs 0), and the
    # department's is the team's; the root and its other branch are not in this tree.
    assert team_node["goal"]["progress"] == {"capped": 0.5, "uncapped": 0.5}
    assert tree["goal"]["progress"] == {"capped": 0.5, "uncapped": 0.5}
    assert (tree["unmeasured"], tree["no_work"]) == (False, False)
    kpis = (await director.get(f"{API}/kpis", params={"objective_id": team["id"]})).json()
    assert team_node["key_results"] == kpis["items"]
