from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.demo.seed import DEMO_PASSWORD, DEMO_USERS, seed_demo
from mems.identity.models import Membership, Organization, User


async def test_seeding_is_idempotent_and_gives_one_login_per_role(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    assert await seed_demo(session) is True
    await session.commit()
    assert await seed_demo(session) is False
    await session.commit()
    assert (
        await session.scalar(
            select(func.count()).select_from(Organization).where(Organization.slug == "demo")
        )
        == 1
    )
    roles = (
        await session.scalars(
            select(Membership.role).join(Organization).where(Organization.slug == "demo")
        )
    ).all()
    assert sorted(roles) == sorted(d.role for d in DEMO_USERS)
    assert len({d.role for d in DEMO_USERS}) == 6
    emails = set((await session.scalars(select(User.email))).all())
    assert {d.email for d in DEMO_USERS} <= emails

    r = await client.post(
        "/api/v1/auth/login", json={"email": "director@demo.mems", "password": DEMO_PASSWORD}
    )
    assert r.status_code == 200
    assert r.json()["role"] == "director"
    assert r.json()["me"]["org"]["currency"] == "CNY"
    assert r.json()["me"]["org"]["timezone"] == "Asia/Shanghai"


async def test_demo_strategy_is_the_seed_documents_example(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    await seed_demo(session)
    await session.commit()
    r = await client.post(
        "/api/v1/auth/token", json={"email": "viewer@demo.mems", "password": DEMO_PASSWORD}
    )
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    roots = (
        await client.get("/api/v1/goals", params={"roots_only": True}, headers=headers)
    ).json()["items"]
    assert [g["title"] for g in roots] == ["提升品牌知名度"]
    tree = (await client.get(f"/api/v1/goals/{roots[0]['id']}/tree", headers=headers)).json()
    assert {k["name"] for k in tree["key_results"]} == {"社交媒体曝光量增长30%", "新增粉丝5万人"}
    assert 0 < tree["goal"]["progress"]["capped"] < 1
    flagged = [c for child in tree["children"] for c in child["children"] if c["unmeasured"]]
    assert [c["goal"]["title"] for c in flagged] == ["达人合作：签约30位美妆达人"]


async def test_demo_campaigns_are_linked_approved_projects(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    """The demo shows the lifecycle: an active (approved) and a closed campaign, one waiting
    in the director's inbox and a draft, all linked under the 2026 goals."""
    await seed_demo(session)
    await session.commit()

    async def login(email: str) -> dict[str, str]:
        r = await client.post(
            "/api/v1/auth/token", json={"email": email, "password": DEMO_PASSWORD}
        )
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    pm = await login("pm@demo.mems")
    projects = (await client.get("/api/v1/projects", headers=pm)).json()["items"]
    by_name = {p["name"]: p for p in projects}
    assert {p["status"] for p in projects} == {"active", "closed", "submitted", "draft"}
    assert by_name["2026Q4-电商-双十一大促"]["registered"] is True
    assert by_name["2026Q4-渠道-年货节预热"]["registered"] is False
    closed = (
        await client.get(
            f"/api/v1/projects/{by_name['2026Q3-新品-秋冬新品发布会']['id']}", headers=pm
        )
    ).json()
    assert closed["retrospective"]["lessons"]
    assert closed["phases"]
    assert closed["phases"][0]["tasks"]

    director = await login("director@demo.mems")
    inbox = (await client.get("/api/v1/approvals", headers=director)).json()["items"]
    assert [a["title"] for a in inbox] == [
        f"{by_name['2026Q4-品牌-年终美妆展会']['code']} 2026Q4-品牌-年终美妆展会"
    ]
    assert inbox[0]["can_decide"] is True

    roots = (await client.get("/api/v1/goals", params={"roots_only": True}, headers=pm)).json()[
        "items"
    ]
    tree = (await client.get(f"/api/v1/goals/{roots[0]['id']}/tree", headers=pm)).json()
    assert {p["name"] for p in tree["projects"]} >= {"2026Q4-电商-双十一大促"}
    assert tree["no_work"] is False
    children = {c["goal"]["title"]: c for c in tree["children"]}
    events = children["活动部：双十一大促引流"]
    assert [p["status"] for p in events["projects"]] == ["active"]
    # The talent-signing goal has neither KPIs nor projects: flagged both ways.
    talent = children["内容营销部：打造爆款短视频"]["children"][0]
    assert talent["no_work"] is True
    assert talent["unmeasured"] is True
    assert children["内容营销部：打造爆款短视频"]["no_work"] is False  # the launch serves it

    naming = (await client.get("/api/v1/naming-convention", headers=pm)).json()
    assert naming["enabled"] is True
    assert naming["expected_form"] == "{期间}-{品牌线}-{活动名}"
