"""KPIs whose value comes from channel data: the sum (or a ratio of sums) of a metric over the
campaigns of the projects linked to the goal, or of the whole organisation, on one channel or
all, over the goal's period — computed after each batch and when the KPI is made."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.jobs import InProcessQueue
from mems.identity.permissions import Role
from mems.projects.models import ProjectGoalLink
from tests.channels.helpers import record, send, with_channels
from tests.checkins.helpers import API, fields_of, problem
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.finance.test_costs_api import budgeted_project


async def kpi(
    client: httpx.AsyncClient, jobs: InProcessQueue, goal_id: str, name: str, config: dict[str, Any]
) -> Any:
    body = {
        "objective_id": goal_id,
        "name": name,
        "unit": "%" if config.get("metric") == "ctr" else "次",
        "baseline": "0",
        "target": "100000000",
        "direction": "increase",
        "source": "channel_metric",
        "source_config": config,
    }
    r = await client.post(f"{API}/kpis", json=body)
    await jobs.drain()  # (tests share one connection: its job runs before the next call)
    return r


async def test_channel_metric_kpis_follow_the_data(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue, org: OrgWithMembers
) -> None:
    director = await api(Role.DIRECTOR)
    await with_channels(await api(Role.ADMIN))
    period = await director.post(
        f"{API}/strategy-periods",
        json={
            "name": "2026 年",
            "kind": "year",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    )
    assert period.status_code == 201, period.text
    goal = await director.post(
        f"{API}/goals",
        json={"period_id": period.json()["id"], "level": "company", "title": "品牌声量"},
    )
    assert goal.status_code == 201, goal.text
    goal_id = goal.json()["id"]
    project, *_ = await budgeted_project(session, org)
    session.add(
        ProjectGoalLink(org_id=org.org.id, project_id=project.id, objective_id=uuid.UUID(goal_id))
    )
    await session.commit()

    made = [
        await kpi(director, jobs, goal_id, "项目曝光", {"metric": "impressions"}),
        await kpi(director, jobs, goal_id, "全渠道点击率", {"metric": "ctr", "scope": "org"}),
        await kpi(
            director,
            jobs,
            goal_id,
            "小红书消耗",
            {"metric": "spend", "scope": "org", "channel": "xiaohongshu"},
        ),
    ]
    assert [r.status_code for r in made] == [201, 201, 201], [r.text for r in made]
    ids = [r.json()["id"] for r in made]
    for bad, field in (
        ({"metric": "likes"}, "source_config.metric"),
        ({"metric": "ctr", "scope": "world"}, "source_config.scope"),
        ({"metric": "ctr", "sql": "drop"}, "source_config.sql"),
    ):
        answer = problem(await kpi(director, jobs, goal_id, "坏的", bad), 422, "validation-failed")
        assert fields_of(answer) == [field]

    # The project's campaign on 抖音, another campaign on 小红书 (no project).
    assert (
        await send(director, [record(campaign="p-1", impressions=10_000, clicks=200)])
    ).status_code == 202
    await jobs.drain()
    campaign = next(
        c
        for c in (await director.get(f"{API}/campaigns")).json()["items"]
        if c["external_id"] == "p-1"
    )
    r = await director.patch(
        f"{API}/campaigns/{campaign['id']}",
        json={"project_id": str(project.id), "version": campaign["version"]},
    )
    assert r.status_code == 200, r.text
    await jobs.drain()
    other = [
        record(
            channel="xiaohongshu",
            campaign="x-1",
            campaign_name="种草",
            impressions=30_000,
            clicks=300,
            spend="88.8",
        )
    ]
    assert (await send(director, other)).status_code == 202
    await jobs.drain()
    values = [(await director.get(f"{API}/kpis/{i}")).json()["current_value"] for i in ids]
    assert [Decimal(v) for v in values] == [
        Decimal(10_000),  # only the linked project's campaign
        (Decimal(500) / Decimal(40_000) * 100).quantize(Decimal("0.0001")),  # 1.25 %
        Decimal("88.8"),
    ]
    # No manual check-ins on a computed KPI.
    problem(
        await director.post(f"{API}/kpis/{ids[0]}/check-ins", json={"value": "1"}), 409, "conflict"
    )
    # The query is fixed once made, as the form says (a new query is a new KPI).
    kpi_now = (await director.get(f"{API}/kpis/{ids[0]}")).json()
    refused = problem(
        await director.patch(
            f"{API}/kpis/{ids[0]}",
            json={"source_config": {"metric": "clicks"}, "version": kpi_now["version"]},
        ),
        422,
        "validation-failed",
    )
    assert fields_of(refused) == ["source_config"]
