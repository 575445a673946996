"""Adding a person who already has an account (in any organisation) invites them: nothing
about the account leaks, and they join only by accepting. Changing one's own password."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.identity.models import Invitation, Membership, User
from mems.identity.permissions import Role
from tests.conftest import ApiFactory
from tests.factories import PASSWORD, OrgWithMembers

API = "/api/v1"


async def _count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def _body(email: str, **values: Any) -> dict[str, Any]:
    return {
        "email": email,
        "name": "候选人",
        "role": "finance",
        "password": "ignored-123",
        **values,
    }


async def test_an_existing_account_is_invited_and_nothing_about_it_leaks(
    api: ApiFactory, org: OrgWithMembers, other_org: OrgWithMembers, session: AsyncSession
) -> None:
    """Organisation B's admin adds A's member: the answer is the same as for a new e-mail,
    and the person is not enrolled until they accept."""
    b_admin = await api("admin", in_org=other_org)
    a_member = org.members[Role.MEMBER]
    members_before, users_before = await _count(session, Membership), await _count(session, User)

    existing = await b_admin.post(f"{API}/members", json=_body(a_member.user.email.upper()))
    new = await b_admin.post(f"{API}/members", json=_body("brand-new@example.cn"))
    assert existing.status_code == new.status_code == 202
    assert set(existing.json()) == set(new.json()) == {"email", "name", "role"}
    assert existing.json()["name"] == "候选人"  # what the admin typed, not the real name
    assert a_member.user.name not in existing.text
    assert str(a_member.user_id) not in existing.text
    assert existing.headers.keys() == new.headers.keys()
    # Only the new e-mail made an account and joined; the existing one is invited.
    assert await _count(session, User) == users_before + 1
    assert await _count(session, Membership) == members_before + 1
    listed = (await b_admin.get(f"{API}/members", params={"q": a_member.user.email})).json()
    assert listed["total"] == 0
    invitations = (await b_admin.get(f"{API}/invitations")).json()["items"]
    assert [(i["email"], i["name"], i["status"]) for i in invitations] == [
        (a_member.user.email, "候选人", "pending")
    ]
    # Adding again answers the same and makes no second invitation.
    again = await b_admin.post(f"{API}/members", json=_body(a_member.user.email))
    assert again.status_code == 202
    assert await _count(session, Invitation) == 1


async def test_the_invited_person_accepts_and_joins_with_the_role(
    api: ApiFactory, org: OrgWithMembers, other_org: OrgWithMembers, client: httpx.AsyncClient
) -> None:
    b_admin = await api("admin", in_org=other_org)
    a_member = await api("member")  # logged in to organisation A
    email = org.email("member")
    assert (await b_admin.post(f"{API}/members", json=_body(email))).status_code == 202

    mine = (await a_member.get(f"{API}/me/invitations")).json()
    assert len(mine) == 1
    assert mine[0]["org_name"] == other_org.org.name
    assert mine[0]["role"] == "finance"
    # Nobody else can see or answer it.
    a_admin = await api("admin")
    assert (await a_admin.get(f"{API}/me/invitations")).json() == []
    stolen = await a_admin.post(f"{API}/me/invitations/{mine[0]['id']}/accept")
    assert stolen.status_code == 404
    revoke_other = await a_admin.delete(f"{API}/invitations/{mine[0]['id']}")
    assert revoke_other.status_code == 404  # another organisation's invitation

    accepted = await a_member.post(f"{API}/me/invitations/{mine[0]['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["slug"] == other_org.org.slug
    assert (await a_member.get(f"{API}/me/invitations")).json() == []
    joined = (await b_admin.get(f"{API}/members", params={"q": email})).json()["items"]
    assert [(m["email"], m["role"]) for m in joined] == [(email, "finance")]
    history = (await b_admin.get(f"{API}/invitations", params={"pending": False})).json()
    assert history["items"][0]["status"] == "accepted"
    # The person logs in to the new organisation by its slug.
    r = await client.post(
        f"{API}/auth/token", json={"email": email, "password": PASSWORD, "org": other_org.org.slug}
    )
    assert r.status_code == 200, r.text
    me = await client.get(
        f"{API}/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"}
    )
    assert me.json()["org"]["id"] == str(other_org.org.id)
    assert me.json()["role"] == "finance"


async def test_declined_and_revoked_invitations_enrol_nobody(
    api: ApiFactory, org: OrgWithMembers, other_org: OrgWithMembers, session: AsyncSession
) -> None:
    b_admin = await api("admin", in_org=other_org)
    a_member = await api("member")
    a_viewer = await api("viewer")
    await b_admin.post(f"{API}/members", json=_body(org.email("member")))
    await b_admin.post(f"{API}/members", json=_body(org.email("viewer")))
    members_before = await _count(session, Membership)

    to_member = (await a_member.get(f"{API}/me/invitations")).json()[0]
    declined = await a_member.post(f"{API}/me/invitations/{to_member['id']}/decline")
    assert declined.status_code == 204
    assert (
        await a_member.post(f"{API}/me/invitations/{to_member['id']}/accept")
    ).status_code == 404

    to_viewer = (await a_viewer.get(f"{API}/me/invitations")).json()[0]
    assert (await b_admin.delete(f"{API}/invitations/{to_viewer['id']}")).status_code == 204
    assert (await a_viewer.get(f"{API}/me/invitations")).json() == []
    assert (
        await a_viewer.post(f"{API}/me/invitations/{to_viewer['id']}/accept")
    ).status_code == 404
    assert await _count(session, Membership) == members_before
    statuses = {
        i["email"]: i["status"]
        for i in (await b_admin.get(f"{API}/invitations", params={"pending": False})).json()[
            "items"
        ]
    }
    assert statuses == {org.email("member"): "declined", org.email("viewer"): "revoked"}
    # A declined person may be invited again.
    assert (
        await b_admin.post(f"{API}/members", json=_body(org.email("member")))
    ).status_code == 202
    assert len((await a_member.get(f"{API}/me/invitations")).json()) == 1


async def test_only_admins_see_and_revoke_invitations(api: ApiFactory) -> None:
    for role in ("director", "project_manager", "member", "finance", "viewer"):
        c = await api(role)
        assert (await c.get(f"{API}/invitations")).status_code == 403


async def test_change_own_password(
    api: ApiFactory, org: OrgWithMembers, client: httpx.AsyncClient
) -> None:
    email = org.email("director")
    other_login = await client.post(
        f"{API}/auth/token", json={"email": email, "password": PASSWORD}
    )
    other_token = other_login.json()["access_token"]
    director = await api("director")
    wrong = await director.post(
        f"{API}/me/password", json={"current_password": "nope", "new_password": "new-secret-1"}
    )
    assert wrong.status_code == 422
    assert [e["field"] for e in wrong.json()["errors"]] == ["current_password"]
    short = await director.post(
        f"{API}/me/password", json={"current_password": PASSWORD, "new_password": "short"}
    )
    assert [e["field"] for e in short.json()["errors"]] == ["new_password"]
    ok = await director.post(
        f"{API}/me/password", json={"current_password": PASSWORD, "new_password": "new-secret-1"}
    )
    assert ok.status_code == 204, ok.text
    assert (await director.get(f"{API}/me")).status_code == 200  # this login stays
    gone = await client.get(f"{API}/me", headers={"Authorization": f"Bearer {other_token}"})
    assert gone.status_code == 401  # the others end
    old = await client.post(f"{API}/auth/token", json={"email": email, "password": PASSWORD})
    assert old.status_code == 401
    new = await client.post(f"{API}/auth/token", json={"email": email, "password": "new-secret-1"})
    assert new.status_code == 200
