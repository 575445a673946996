"""A second organisation for the browser tests, so that a person with an account elsewhere can
be invited to the demo organisation and accept (issue 7, point 1). Run after migrating, on the
e2e server's fresh database only: 星河咨询 (slug `e2e-other`) with one admin,
`admin@xinghe.mems` / demo1234."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from mems.config import get_settings
from mems.core.db import Database
from mems.core.security import hash_password
from mems.identity.models import Membership, Organization, User
from mems.identity.permissions import Role

SLUG, ADMIN_EMAIL, PASSWORD = "e2e-other", "admin@xinghe.mems", "demo1234"


async def main() -> None:
    db = Database.from_url(get_settings().effective_database_url)
    try:
        async with db.sessionmaker() as session:
            if await session.scalar(select(Organization).where(Organization.slug == SLUG)):
                return
            org = Organization(
                name="星河咨询", slug=SLUG, timezone="Asia/Shanghai", locale="zh-CN", currency="CNY"
            )
            user = User(email=ADMIN_EMAIL, name="陈静", password_hash=hash_password(PASSWORD))
            session.add_all([org, user])
            await session.flush()
            session.add(Membership(org_id=org.id, user_id=user.id, role=Role.ADMIN))
            await session.commit()
    finally:
        await db.engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
