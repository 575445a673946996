"""The demo organisation, modelled on the seed document's beauty-brand case.

One user per role (password `demo1234`). Idempotent: running it again changes nothing.
Domains add their demo data here as they are built (strategy, projects, …).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.security import hash_password
from mems.identity.models import Membership, Organization, User
from mems.identity.permissions import Role

log = logging.getLogger("mems.demo")

DEMO_ORG_SLUG = "demo"
DEMO_PASSWORD = "demo1234"  # noqa: S105 - the documented demo password


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: Role


DEMO_USERS = (
    DemoUser("admin@demo.mems", "王管理 (Admin)", Role.ADMIN),
    DemoUser("director@demo.mems", "李总监 (Director)", Role.DIRECTOR),
    DemoUser("pm@demo.mems", "张项目 (Project manager)", Role.PROJECT_MANAGER),
    DemoUser("member@demo.mems", "陈执行 (Member)", Role.MEMBER),
    DemoUser("finance@demo.mems", "刘财务 (Finance)", Role.FINANCE),
    DemoUser("viewer@demo.mems", "赵只读 (Viewer)", Role.VIEWER),
)


async def seed_demo(session: AsyncSession) -> bool:
    """Create the demo organisation if it is missing. Returns True when it created anything."""
    org = await session.scalar(select(Organization).where(Organization.slug == DEMO_ORG_SLUG))
    created = False
    if org is None:
        org = Organization(
            name="花漾美妆 (Demo Beauty Co.)",
            slug=DEMO_ORG_SLUG,
            timezone="Asia/Shanghai",
            locale="zh-CN",
            currency="CNY",
            settings={"demo": True},
        )
        session.add(org)
        await session.flush()
        created = True
    password_hash: str | None = None
    for demo in DEMO_USERS:
        user = await session.scalar(select(User).where(User.email == demo.email))
        if user is None:
            password_hash = password_hash or hash_password(DEMO_PASSWORD)
            user = User(email=demo.email, name=demo.name, password_hash=password_hash)
            session.add(user)
            await session.flush()
            created = True
        member = await session.scalar(
            select(Membership).where(Membership.org_id == org.id, Membership.user_id == user.id)
        )
        if member is None:
            session.add(Membership(org_id=org.id, user_id=user.id, role=demo.role))
            created = True
    await session.flush()
    return created


def demo_logins_text() -> str:
    lines = [f"  {d.role.value:<16} {d.email:<22} password: {DEMO_PASSWORD}" for d in DEMO_USERS]
    return "Demo logins:\n" + "\n".join(lines)
