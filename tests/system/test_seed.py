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
    assert r.json()["me"]["role"] == "director"
    assert r.json()["me"]["org"]["currency"] == "CNY"
    assert r.json()["me"]["org"]["timezone"] == "Asia/Shanghai"


async def test_demo_strategy_is_the_seed_documents_example(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    await seed_demo(session)
    await session.commit()
    r = await client.post(
        "/api/v1/auth/login", json={"email": "viewer@demo.mems", "password": DEMO_PASSWORD}
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
