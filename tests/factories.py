"""Small async factories: build rows the way the services would, without the HTTP layer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.clock import utcnow
from mems.core.security import hash_password, new_token, token_hash
from mems.identity.models import AuthSession, Membership, Organization, User
from mems.identity.permissions import Role

PASSWORD = "demo1234"


@cache
def password_hash() -> str:
    return hash_password(PASSWORD)  # argon2 is slow on purpose: hash once per run


@dataclass
class OrgWithMembers:
    org: Organization
    members: dict[Role, Membership]

    def email(self, role: Role | str) -> str:
        return self.members[Role(role)].user.email


async def make_user(
    session: AsyncSession, email: str | None = None, name: str = "测试用户"
) -> User:
    user = User(
        email=email or f"user-{uuid.uuid4().hex[:10]}@example.cn",
        name=name,
        password_hash=password_hash(),
    )
    session.add(user)
    await session.flush()
    return user


async def make_org_with_members(
    session: AsyncSession, name: str = "测试品牌 (Test Co.)"
) -> OrgWithMembers:
    org = Organization(name=name, slug=f"org-{uuid.uuid4().hex[:10]}")
    session.add(org)
    await session.flush()
    members: dict[Role, Membership] = {}
    for role in Role:
        user = await make_user(session, name=f"{role.value} 用户")
        member = Membership(org_id=org.id, user_id=user.id, role=role, user=user)
        session.add(member)
        members[role] = member
    await session.flush()
    return OrgWithMembers(org, members)


async def make_session_token(
    session: AsyncSession, membership_id: uuid.UUID, *, hours: float = 1
) -> str:
    token = new_token()
    session.add(
        AuthSession(
            token_hash=token_hash(token),
            membership_id=membership_id,
            expires_at=utcnow() + timedelta(hours=hours),
        )
    )
    await session.flush()
    return token
