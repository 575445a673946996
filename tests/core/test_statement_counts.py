"""SQL statements per request: constant in the data size, and few (issue 8).

Every endpoint behind the SPA's main pages (the ones `bench/` measures) is called with the
SPA's parameters on a small organisation, then again after the organisation has grown (more
projects, each with its team, template phases and tasks, budget lines, goal links with key
results and a pending approval; more goals and KPIs; more members; more audit rows). The
number of statements must not change, and must stay within the endpoint's bound: a query per
row (an N+1) fails here, whatever the data the test happens to have.

Statements are counted on the engine (`before_cursor_execute`), so whatever path a query takes
through SQLAlchemy is seen. Transaction control is not counted: the test's savepoints and
`SET LOCAL` stand in for the request's own transaction, which is not a query. The principal is
cached, as it is in production (`PRINCIPAL_CACHE_SECONDS`): each endpoint is called once to
warm the cache, then counted on the next call.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from mems.config import Settings
from mems.identity.models import Membership, OrgSetting
from mems.identity.permissions import Role
from mems.work.models import Task
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers, make_user
from tests.finance.test_costs_api import budgeted_project

API = "/api/v1"

# The most statements each endpoint may run (beside transaction control).
BOUNDS = {
    "me": 1,
    "members": 1,
    # The page with its total, owners' names and goal ids.
    "projects": 1,
    # A detail page: at most 4 (issue 8). The project page: the project with its parts and
    # the names of its people, goals and key results; its approval with the caller's decisions.
    "project": 2,
    # The page with its total; every goal and key result of the page's periods (the roll-up).
    "goals": 2,
    # The goal's subtree; its key results; the projects linked to it.
    "goal-tree": 3,
    "approvals": 1,
    "audit": 1,
}
_CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET ", "SHOW ")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """As in production, a resolved principal is cached (the suite's default turns it off)."""
    return settings.model_copy(update={"principal_cache_seconds": 300})


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(_CONTROL):
            statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


class Org:
    """Grows the test organisation through the API, the way people fill it."""

    def __init__(
        self, session: AsyncSession, org: OrgWithMembers, director: httpx.AsyncClient
    ) -> None:
        self.session, self.org, self.director = session, org, director
        self.pm: httpx.AsyncClient | None = None
        self.period: dict[str, Any] = {}
        self.root: dict[str, Any] = {}
        self.projects: list[dict[str, Any]] = []
        self.staff: list[uuid.UUID] = []

    async def start(self, pm: httpx.AsyncClient) -> None:
        self.pm = pm
        r = await self.director.post(
            f"{API}/strategy-periods",
            json={
                "name": "2026",
                "kind": "year",
                "starts_on": "2026-01-01",
                "ends_on": "2026-12-31",
            },
        )
        assert r.status_code == 201, r.text
        self.period = r.json()
        self.root = await self._goal("提升品牌知名度", None)

    async def _goal(self, title: str, parent: dict[str, Any] | None) -> dict[str, Any]:
        body = {"period_id": self.period["id"], "level": "company", "title": title}
        if parent is not None:
            body |= {"parent_id": parent["id"], "level": "department"}
        r = await self.director.post(f"{API}/goals", json=body)
        assert r.status_code == 201, r.text
        goal: dict[str, Any] = r.json()
        for i in range(2):
            r = await self.director.post(
                f"{API}/kpis",
                json={
                    "objective_id": goal["id"],
                    "name": f"新增粉丝 {i}",
                    "unit": "人",
                    "baseline": "0",
                    "target": "50000",
                    "direction": "increase",
                },
            )
            assert r.status_code == 201, r.text
            r = await self.director.post(
                f"{API}/kpis/{r.json()['id']}/check-ins", json={"value": str(1000 * (i + 1))}
            )
            assert r.status_code == 201, r.text
        return goal

    async def grow(self, projects: int) -> None:
        """`projects` more projects (each with a sub-goal of its own, two KPIs, a team of
        three, the holiday-promotion template's phases, tasks and budget lines, and a pending
        approval), and as many more members."""
        assert self.pm is not None
        for _ in range(projects):
            user = await make_user(self.session)
            member = Membership(org_id=self.org.org.id, user_id=user.id, role=Role.MEMBER)
            self.session.add(member)
            await self.session.flush()
            self.staff.append(member.id)
            await self.session.commit()
            goal = await self._goal(f"子目标 {len(self.projects)}", self.root)
            kpis = (
                await self.director.get(f"{API}/kpis", params={"objective_id": goal["id"]})
            ).json()["items"]
            r = await self.pm.post(
                f"{API}/projects",
                json={
                    "name": f"2026Q4-电商-双十一大促{uuid.uuid4().hex[:6]}",
                    "type": "promotion",
                    "template": "builtin:holiday_promotion",
                    "starts_on": "2026-10-01",
                    "ends_on": "2026-11-15",
                    "period_id": self.period["id"],
                    "total_budget": "800000",
                    "goal_links": [
                        {"objective_id": goal["id"], "key_result_id": kpis[0]["id"]},
                        {"objective_id": self.root["id"]},
                    ],
                    "members": [{"member_id": str(m), "role": "core"} for m in self.staff[-3:]],
                },
            )
            assert r.status_code == 201, r.text
            project = r.json()
            r = await self.pm.post(
                f"{API}/projects/{project['id']}/transitions",
                json={"action": "submit", "version": project["version"]},
            )
            assert r.status_code == 200, r.text
            self.projects.append(r.json())

    def paths(self) -> dict[str, str]:
        """Each endpoint as the SPA calls it (page size 20; the strategy page asks for the
        year's top goals with a page of 200, then each top goal's tree)."""
        return {
            "me": "/me",
            "members": "/members?limit=20&offset=0",
            "projects": "/projects?limit=20&offset=0",
            "project": f"/projects/{self.projects[-1]['id']}",  # the newest: the largest team
            "goals": f"/goals?period_id={self.period['id']}&roots_only=true&limit=200&offset=0",
            "goal-tree": f"/goals/{self.root['id']}/tree",
            "approvals": "/approvals?box=inbox&limit=20&offset=0",
            "audit": "/audit-logs?limit=20&offset=0",
        }


async def _statements(
    engine: AsyncEngine, client: httpx.AsyncClient, paths: dict[str, str]
) -> dict[str, list[str]]:
    out = {}
    for name, path in paths.items():
        assert (await client.get(API + path)).status_code == 200  # warms the principal cache
        with counted(engine) as statements:
            r = await client.get(API + path)
        assert r.status_code == 200, r.text
        out[name] = statements
    return out


async def test_statements_per_request_do_not_grow_with_the_data(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession, engine: AsyncEngine
) -> None:
    admin = await api("admin")
    grown = Org(session, org, await api("director"))
    await grown.start(await api("project_manager"))
    await grown.grow(1)
    small = await _statements(engine, admin, grown.paths())

    await grown.grow(4)
    # The data really grew where each endpoint reads it.
    body = (await admin.get(f"{API}/projects/{grown.projects[-1]['id']}")).json()
    assert len(body["goal_links"]) == 2
    assert len(body["members"]) >= 3
    assert body["phases"]
    assert body["phases"][0]["task_count"]  # the tasks themselves are the Gantt's
    assert body["budget_lines"]
    assert body["approval"]["state"] == "pending"
    assert (await admin.get(f"{API}/approvals?box=inbox")).json()["total"] == 5
    assert (await admin.get(f"{API}/projects")).json()["total"] == 5
    tree = (await admin.get(f"{API}/goals/{grown.root['id']}/tree")).json()
    assert len(tree["children"]) == 5
    assert len(tree["projects"]) == 5
    large = await _statements(engine, admin, grown.paths())

    counts = {name: (len(small[name]), len(large[name])) for name in small}
    grew = {name: c for name, c in counts.items() if c[0] != c[1]}
    assert not grew, f"statements per request grew with the data (small, large): {grew}"
    over = {name: c[1] for name, c in counts.items() if c[1] > BOUNDS[name]}
    assert not over, f"more statements than allowed {BOUNDS}: {over}\n" + "\n\n".join(
        f"{name}:\n" + "\n---\n".join(large[name]) for name in over
    )


# The Gantt: the project, its phases, tasks (with assignees' names), dependencies, baselines
# and the shown baseline's dates, the calendar setting with the time zone, the calendar's own
# days. As many for 3 tasks as for 30 (issue 9: "the number of SQL queries does not grow").
GANTT_BOUND = 8


async def _plan(pm: httpx.AsyncClient, project: dict[str, Any], tasks: int) -> None:
    """`tasks` more tasks under summaries (WBS two levels), each linked to the one before,
    some milestones, and a baseline saved."""
    before: dict[str, Any] | None = None
    for i in range(tasks):
        body: dict[str, Any] = {"title": f"任务 {i}", "duration_days": 0 if i % 7 == 6 else 2}
        if i % 5 == 0:  # a summary with the next four under it
            r = await pm.post(f"{API}/projects/{project['id']}/tasks", json=body)
            assert r.status_code == 201, r.text
            parent = r.json()["task"]
            continue
        r = await pm.post(
            f"{API}/projects/{project['id']}/tasks", json=body | {"parent_id": parent["id"]}
        )
        assert r.status_code == 201, r.text
        task = r.json()["task"]
        if before is not None:
            r = await pm.post(
                f"{API}/projects/{project['id']}/dependencies",
                json={"predecessor_id": before["id"], "successor_id": task["id"]},
            )
            assert r.status_code == 201, r.text
        before = task
    r = await pm.post(f"{API}/projects/{project['id']}/baselines", json={"name": f"{tasks}"})
    assert r.status_code == 201, r.text


async def test_the_gantt_runs_as_many_statements_for_3_tasks_as_for_30(
    api: ApiFactory, engine: AsyncEngine
) -> None:
    pm = await api("project_manager")
    counts, bodies = [], []
    for tasks in (3, 30):
        r = await pm.post(
            f"{API}/projects",
            json={
                "name": f"甘特图 {tasks}",
                "type": "promotion",
                "starts_on": "2027-03-01",
                "ends_on": "2027-06-30",
            },
        )
        assert r.status_code == 201, r.text
        project = r.json()
        await _plan(pm, project, tasks)
        path = f"{API}/projects/{project['id']}/gantt"
        assert (await pm.get(path)).status_code == 200  # warms the principal cache
        with counted(engine) as statements:
            r = await pm.get(path)
        assert r.status_code == 200, r.text
        counts.append(len(statements))
        bodies.append(r.json())
    small, large = bodies
    # The data really differs where the Gantt reads it.
    assert len(large["tasks"]) - len(small["tasks"]) == 27
    assert len(large["dependencies"]) > len(small["dependencies"])
    assert any(t["summary"] for t in large["tasks"])
    assert large["baseline_id"] is not None
    assert all(t["baseline_due_on"] is not None for t in large["tasks"])
    assert large["critical_path"]
    assert counts[0] == counts[1], f"the Gantt's statements grew with its tasks: {counts}"
    assert counts[1] <= GANTT_BOUND, f"the Gantt ran {counts[1]} statements (at most {GANTT_BOUND})"


# Finance (issue 10). The budget summary: one statement, the project with every figure's
# ingredients (its thresholds and the organisation's, the time zone, its lines, its ledger
# summed per line, category, phase and kind, the work's progress).
# The overspend list: the organisation's thresholds, then the running projects over theirs
# with their lines. As many for a project with 2 costs as for 4 projects with 60.
FINANCE_BOUNDS = {"budget": 1, "overspend": 2}


async def _record(
    finance: httpx.AsyncClient, project_id: uuid.UUID, lines: list[Any], count: int, amount: str
) -> None:
    """`count` costs through the API: on the lines in turn, every fourth on none, every fifth
    in another currency, every third committed."""
    for i in range(count):
        body: dict[str, Any] = {
            "kind": "committed" if i % 3 == 2 else "actual",
            "amount": amount,
            "incurred_on": "2026-03-02",
        }
        if i % 4 == 3:
            body["category"] = "other"
        else:
            body["line_id"] = str(lines[i % len(lines)].id)
        if i % 5 == 4:
            body |= {"currency": "USD", "rate": "7.1"}
        r = await finance.post(f"{API}/projects/{project_id}/costs", json=body)
        assert r.status_code == 201, r.text


async def test_the_budget_and_the_overspend_list_run_as_many_statements_for_2_costs_as_60(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession, engine: AsyncEngine
) -> None:
    finance = await api("finance")
    project, venue, travel, phase = await budgeted_project(session, org)
    await _record(finance, project.id, [venue, travel], 2, "4500.00")  # travel 90 %: over
    paths = {"budget": f"/projects/{project.id}/budget", "overspend": "/finance/overspend"}
    small = await _statements(engine, finance, paths)

    # More costs on it, tasks to weigh its progress, three more running projects past a
    # threshold (one its own), and the organisation's own thresholds.
    await _record(finance, project.id, [venue, travel], 30, "100.00")
    for i, (progress, days) in enumerate(((100, 3), (40, 5), (0, 0))):
        session.add(
            Task(
                org_id=org.org.id,
                project_id=project.id,
                phase_id=phase.id,
                title=f"任务 {i}",
                position=i,
                duration_days=days,
                progress=progress,
                starts_on=phase.starts_on,
                due_on=phase.starts_on,
            )
        )
    session.add(OrgSetting(org_id=org.org.id, key="finance.warn_percent", value=75))
    await session.commit()
    for n in range(3):
        other, other_venue, other_travel, _phase = await budgeted_project(session, org)
        await _record(finance, other.id, [other_venue, other_travel], 10, "1000.00")
        if n == 0:
            r = await finance.put(
                f"{API}/projects/{other.id}/budget-settings", json={"warn_percent": "50"}
            )
            assert r.status_code == 200, r.text
    large = await _statements(engine, finance, paths)

    # The data really grew where each endpoint reads it.
    summary = (await finance.get(API + paths["budget"])).json()
    assert summary["project"]["entries"] == 32
    assert summary["unbudgeted"]["entries"] > 0
    assert summary["burn"]["forecast_by_progress"]["at_completion"] is not None
    assert summary["thresholds"]["source"] == "organisation"
    over = (await finance.get(API + paths["overspend"])).json()
    assert len(over) == 4
    assert any(p["warn_percent"] == "50.00" for p in over)

    counts = {name: (len(small[name]), len(large[name])) for name in small}
    grew = {name: c for name, c in counts.items() if c[0] != c[1]}
    assert not grew, f"statements per request grew with the data (small, large): {grew}"
    over_bound = {name: c[1] for name, c in counts.items() if c[1] > FINANCE_BOUNDS[name]}
    assert not over_bound, f"more statements than allowed {FINANCE_BOUNDS}: {over_bound}\n" + (
        "\n\n".join(f"{name}:\n" + "\n---\n".join(large[name]) for name in over_bound)
    )


async def test_the_channel_pages_run_as_many_statements_for_2_days_as_for_60(
    api: ApiFactory, org: OrgWithMembers, engine: AsyncEngine, jobs: Any
) -> None:
    """The dashboard, the alert list and the rules: constant in the days, channels, campaigns
    and alerts (the dashboard: one statement for the channels with the organisation's
    currency, industry and own benchmarks, the channel days of the range and of the days
    before it, and the top campaigns)."""
    from datetime import date, timedelta

    from tests.channels.helpers import record, send, with_channels

    admin = await api("admin")
    await with_channels(admin)
    rule = {
        "name": "每个渠道 CTR",
        "metric": "ctr",
        "comparator": "lt",
        "threshold": "0.5",
        "scope_kind": "channel",
    }
    assert (await admin.post(f"{API}/alert-rules", json=rule)).status_code == 201

    async def grow(days: int, channels: tuple[str, ...]) -> None:
        start = date(2026, 11, 1)
        records = [
            record(
                channel=ch,
                campaign=f"{ch}-{n}",
                campaign_name=f"{ch} {n}",
                date=(start + timedelta(days=d)).isoformat(),
            )
            for ch in channels
            for n in range(3)
            for d in range(days)
        ]
        assert (await send(admin, records)).status_code == 202
        await jobs.drain()

    paths = {
        "dashboard": "/channel-dashboard?from=2026-11-01&to=2026-12-30",
        "alerts": "/alerts",
        "rules": "/alert-rules",
    }
    await grow(2, ("douyin",))
    small = await _statements(engine, admin, paths)
    await grow(60, ("douyin", "xiaohongshu", "baidu", "weibo"))
    channels = {c["key"]: c["id"] for c in (await admin.get(f"{API}/channels")).json()}
    campaigns = (await admin.get(f"{API}/campaigns")).json()["items"]
    for n, key in enumerate(("douyin", "baidu")):
        one = {**rule, "name": f"{key} CTR", "channel_id": channels[key]}
        assert (await admin.post(f"{API}/alert-rules", json=one)).status_code == 201
        scoped = {
            **rule,
            "name": f"计划 CPA {n}",
            "metric": "cpa",
            "comparator": "gt",
            "threshold": "1",
            "scope_kind": "campaign",
            "campaign_id": campaigns[n]["id"],
        }
        assert (await admin.post(f"{API}/alert-rules", json=scoped)).status_code == 201
    assert (await admin.post(f"{API}/alert-rule-runs")).status_code == 200
    large = await _statements(engine, admin, paths)
    dash = (await admin.get(API + paths["dashboard"])).json()
    assert len(dash["channels"]) == 4  # the data really grew
    assert len(dash["campaigns"]) == 12
    assert len((await admin.get(API + paths["rules"])).json()) == 5
    assert (await admin.get(API + paths["alerts"])).json()["total"] > 0
    counts = {name: (len(small[name]), len(large[name])) for name in paths}
    assert counts["dashboard"] == counts["dashboard"][:1] * 2, counts
    assert counts["alerts"] == (2, 2), counts  # the page and its total
    assert counts["dashboard"][0] == 1, counts
    # The rules, their open alerts, and one read per kind of scope they name (at most 5).
    assert counts["rules"][1] <= 5, counts


async def test_an_evaluation_runs_as_many_statements_for_2_alerts_as_for_26(
    api: ApiFactory, org: OrgWithMembers, engine: AsyncEngine, jobs: Any
) -> None:
    """Judging the rules writes in bulk: alerts, their audit rows, notices, deliveries and
    outbox rows are one statement each, however many fire, are kept or resolve."""
    from datetime import date, timedelta

    from tests.alerts.receiver import serve
    from tests.channels.helpers import record, send, with_channels

    async with serve() as receiver:
        admin = await api("admin")
        await with_channels(admin)
        hook = {
            "name": "群机器人",
            "kind": "webhook",
            "url": receiver.url(),
            "allow_private": True,
            "min_severity": "info",
        }
        made = await admin.post(f"{API}/notification-channels", json=hook)
        assert made.status_code == 201, made.text
        rule = {
            "name": "每个计划 CTR",
            "metric": "ctr",
            "comparator": "lt",
            "threshold": "0.5",  # every campaign's CTR (1.5 %) is below: each fires
            "scope_kind": "campaign",
        }
        yesterday = (date.today() - timedelta(days=1)).isoformat()

        async def campaigns(first: int, last: int) -> None:
            records = [
                record(campaign=f"c-{n}", campaign_name=f"计划 {n}", date=yesterday)
                for n in range(first, last)
            ]
            assert (await send(admin, records)).status_code == 202
            await jobs.drain()

        async def run() -> tuple[dict[str, Any], int]:
            with counted(engine) as statements:
                r = await admin.post(f"{API}/alert-rule-runs")
            assert r.status_code == 200, r.text
            await jobs.drain()  # the deliveries
            return r.json(), len(statements)

        await campaigns(0, 2)  # no rule yet: nothing judged
        made = await admin.post(f"{API}/alert-rules", json=rule)
        assert made.status_code == 201, made.text
        small, small_count = await run()
        assert small["fired"] == 2, small
        assert len(receiver.requests) == 2  # one notice per alert reached the channel

        await campaigns(2, 14)  # its own evaluation fires the 12 new ones and keeps the 2
        second = {**rule, "name": "每个计划 CTR（复核）"}
        assert (await admin.post(f"{API}/alert-rules", json=second)).status_code == 201
        large, large_count = await run()
        assert (large["fired"], large["kept"]) == (14, 14), large
        # Keeping alerts current adds one UPDATE (all rows in one statement).
        assert large_count == small_count + 1, (small_count, large_count)

        # Everything clears: 28 alerts resolve, still a handful of statements.
        for item in (await admin.get(f"{API}/alert-rules")).json():
            changed = await admin.patch(
                f"{API}/alert-rules/{item['id']}",
                json={"threshold": "0.001", "version": item["version"]},
            )
            assert changed.status_code == 200, changed.text
        await jobs.drain()
        cleared, cleared_count = await run()
        assert cleared["fired"] == 0, cleared
        open_alerts = (await admin.get(f"{API}/alerts?state=open")).json()["total"]
        assert open_alerts == 0
        assert cleared["resolved"] == 28, cleared
        # Resolving: one UPDATE, its audit rows and the notices settled, in three statements.
        assert cleared_count <= small_count + 3, (small_count, cleared_count)
        resolutions = (await admin.get(f"{API}/audit-logs?entity_type=alerts&limit=100")).json()
        actions = Counter(row["action"] for row in resolutions["items"])
        assert actions == {"create": 28, "update": 28}, actions  # each alert raised, resolved
