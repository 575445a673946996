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
