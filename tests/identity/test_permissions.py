"""Identity's role matrix (members, the organisation, API tokens, teams, invitations, one's
own password): every operation × every role, allowed and refused both asserted. The harness
and the check that every operation is in some domain's table: tests/permission_matrix.py and
tests/test_permission_matrix.py."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.clock import utcnow
from mems.core.jobs import InProcessQueue
from mems.core.security import new_token, token_hash
from mems.identity.models import ApiToken, Invitation, Membership, Organization, Team
from mems.identity.permissions import Role
from mems.identity.principal import API_TOKEN_PREFIX
from tests.conftest import ApiFactory
from tests.factories import PASSWORD, OrgWithMembers, make_user
from tests.permission_matrix import (
    API,
    Row,
    Setup,
    assert_problem,
    by_role,
    check_no_credential,
    check_roles,
    ids,
)

# by_role(admin, director, project_manager, member, finance, viewer)
MATRIX: list[Row] = [
    Row("POST", f"{API}/auth/logout", None, by_role(204, 204, 204, 204, 204, 204)),
    Row("GET", f"{API}/me", None, by_role(200, 200, 200, 200, 200, 200)),
    Row("GET", f"{API}/org", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "PATCH",
        f"{API}/org",
        lambda c: {"name": "改名的品牌", "version": c["org_version"]},
        by_role(200, 403, 403, 403, 403, 403),
    ),
    Row("GET", f"{API}/members", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/members",
        lambda c: {
            "email": f"new-{c['unique']}@example.cn",
            "name": "新同事",
            "role": "member",
            "password": "long-enough-1",
        },
        by_role(202, 403, 403, 403, 403, 403),
    ),
    Row("GET", f"{API}/members/{{member_id}}", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "PATCH",
        f"{API}/members/{{member_id}}",
        lambda c: {"role": "viewer", "version": 1},
        by_role(200, 403, 403, 403, 403, 403),
    ),
    Row("DELETE", f"{API}/members/{{member_id}}", None, by_role(204, 403, 403, 403, 403, 403)),
    # Every role makes tokens for itself; a token never holds more than its owner.
    Row("GET", f"{API}/api-tokens", None, by_role(200, 200, 200, 200, 200, 200)),
    Row("GET", f"{API}/api-token-scopes", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/api-tokens",
        lambda c: {"name": f"集成-{c['unique']}", "scopes": ["org:read"]},
        by_role(201, 201, 201, 201, 201, 201),
    ),
    Row("DELETE", f"{API}/api-tokens/{{token_id}}", None, by_role(204, 204, 204, 204, 204, 204)),
    Row("GET", f"{API}/teams", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/teams",
        lambda c: {"name": f"项目组-{c['unique']}"},
        by_role(201, 201, 403, 403, 403, 403),
    ),
    Row("GET", f"{API}/teams/{{team_id}}", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "PATCH",
        f"{API}/teams/{{team_id}}",
        lambda c: {"name": f"改名-{c['unique']}", "version": 1},
        by_role(200, 200, 403, 403, 403, 403),
    ),
    Row("DELETE", f"{API}/teams/{{team_id}}", None, by_role(204, 204, 403, 403, 403, 403)),
    # The organisation's invitations: admins see and revoke them.
    Row("GET", f"{API}/invitations", None, by_role(200, 403, 403, 403, 403, 403)),
    Row(
        "DELETE",
        f"{API}/invitations/{{invitation_id}}",
        None,
        by_role(204, 403, 403, 403, 403, 403),
    ),
    # One's own invitations and password: everyone, for themselves.
    Row("GET", f"{API}/me/invitations", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/me/invitations/{{invitation_id}}/accept",
        None,
        by_role(200, 200, 200, 200, 200, 200),
    ),
    Row(
        "POST",
        f"{API}/me/invitations/{{invitation_id}}/decline",
        None,
        by_role(204, 204, 204, 204, 204, 204),
    ),
    Row(
        "POST",
        f"{API}/me/password",
        lambda c: {"current_password": PASSWORD, "new_password": f"matrix-{c['unique']}"},
        by_role(204, 204, 204, 204, 204, 204),
    ),
]


async def prepare(s: Setup) -> dict[str, Any]:
    """Fresh targets for one call: a member, a token owned by the caller, a team, and an
    invitation to the caller (accepting keeps their membership as it is; an admin may revoke
    it)."""
    session, org = s.session, s.org
    user = await make_user(session, name="目标成员")
    target = Membership(
        id=uuid.uuid4(), org_id=org.org.id, user_id=user.id, role=Role.MEMBER, user=user
    )
    secret = new_token(API_TOKEN_PREFIX)
    token = ApiToken(
        org_id=org.org.id,
        membership_id=s.caller,
        name="matrix",
        prefix=secret[:13],
        token_hash=token_hash(secret),
        scopes=["org:read"],
    )
    team = Team(org_id=org.org.id, name=f"T-{s.unique}")
    invitation = Invitation(
        org_id=org.org.id,
        email=org.members[s.role].user.email,
        name="受邀人",
        role=Role.MEMBER,
        expires_at=utcnow() + timedelta(days=14),
    )
    session.add_all([target, token, team, invitation])
    await session.commit()
    version = await session.scalar(
        select(Organization.version).where(Organization.id == org.org.id)
    )
    return {
        "member_id": target.id,
        "token_id": token.id,
        "team_id": team.id,
        "invitation_id": invitation.id,
        "org_version": version,
        "unique": s.unique,
    }


@pytest.mark.parametrize("row", MATRIX, ids=ids(MATRIX))
async def test_role_matrix(
    row: Row, api: ApiFactory, org: OrgWithMembers, session: AsyncSession, jobs: InProcessQueue
) -> None:
    await check_roles(row, prepare, api, org, session, jobs)


@pytest.mark.parametrize("row", MATRIX, ids=ids(MATRIX))
async def test_no_credential_is_401(
    row: Row, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await check_no_credential(row, client, session)


async def test_api_token_is_limited_to_its_scopes(app: FastAPI, api: ApiFactory) -> None:
    director = await api("director")
    r = await director.post(
        f"{API}/api-tokens", json={"name": "只读集成", "scopes": ["org:read", "api_tokens:manage"]}
    )
    assert r.status_code == 201, r.text
    secret = r.json()["token"]
    assert secret.startswith(API_TOKEN_PREFIX)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {secret}"},
    ) as token_client:
        me = await token_client.get(f"{API}/me")
        assert me.status_code == 200, me.text
        assert me.json()["via"] == "api_token"
        assert sorted(me.json()["permissions"]) == ["api_tokens:manage", "org:read"]
        assert (await token_client.get(f"{API}/org")).status_code == 200
        # The role allows members:read, the token's scopes do not.
        refused = await token_client.get(f"{API}/members")
        body = assert_problem(refused, 403, "forbidden")
        assert "members:read" in body["detail"]
        # A token may not mint tokens, even with the scope.
        minted = await token_client.post(
            f"{API}/api-tokens", json={"name": "套娃", "scopes": ["org:read"]}
        )
        assert_problem(minted, 403, "forbidden")


async def test_role_cannot_grant_scopes_it_does_not_hold(api: ApiFactory) -> None:
    viewer = await api("viewer")
    scopes = await viewer.get(f"{API}/api-token-scopes")
    assert scopes.status_code == 200
    assert "members:manage" not in scopes.json()
    assert set(scopes.json()) == {
        "org:read",
        "members:read",
        "strategy:read",
        "projects:read",
        "approvals:read",
        "notifications:read",
        "api_tokens:manage",
        "budget:read",
        "resources:read",
        "channels:read",
        "alerts:read",
    }
    r = await viewer.post(
        f"{API}/api-tokens", json={"name": "越权", "scopes": ["org:read", "members:manage"]}
    )
    body = assert_problem(r, 422, "validation-failed")
    assert [e["field"] for e in body["errors"]] == ["scopes[1]"]
