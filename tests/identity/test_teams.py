"""Teams: groups of members that own goals (and, later, projects)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.identity.models import Team, TeamMember
from mems.identity.permissions import Role
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers

API = "/api/v1"


async def test_create_read_update_delete(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    director = await api("director")
    pm, member = org.members[Role.PROJECT_MANAGER], org.members[Role.MEMBER]
    r = await director.post(
        f"{API}/teams",
        json={
            "name": "内容营销组",
            "lead_member_id": str(pm.id),
            "member_ids": [str(pm.id), str(member.id)],
        },
    )
    assert r.status_code == 201, r.text
    team = r.json()
    assert set(team["member_ids"]) == {str(pm.id), str(member.id)}
    assert team["lead_member_id"] == str(pm.id)

    got = await director.get(f"{API}/teams/{team['id']}")
    assert got.headers["etag"] == '"1"'
    # Replacing the member list is an update of the team: its version moves on.
    r = await director.patch(
        f"{API}/teams/{team['id']}", json={"member_ids": [str(member.id)], "version": 1}
    )
    assert r.status_code == 200, r.text
    assert r.json()["member_ids"] == [str(member.id)]
    assert r.json()["version"] == 2
    stale = await director.patch(f"{API}/teams/{team['id']}", json={"name": "旧", "version": 1})
    assert stale.status_code == 409

    listed = (await (await api("viewer")).get(f"{API}/teams")).json()
    assert [t["name"] for t in listed["items"]] == ["内容营销组"]

    assert (await director.delete(f"{API}/teams/{team['id']}")).status_code == 204
    assert (await director.get(f"{API}/teams/{team['id']}")).status_code == 404
    assert await session.scalar(select(func.count()).select_from(TeamMember)) == 0


async def test_bad_team_input_is_refused_and_writes_nothing(
    api: ApiFactory, other_org: OrgWithMembers, session: AsyncSession
) -> None:
    director = await api("director")
    assert (await director.post(f"{API}/teams", json={"name": "活动组"})).status_code == 201
    dup = await director.post(f"{API}/teams", json={"name": "活动组"})
    assert dup.status_code == 409
    assert dup.json()["errors"][0]["field"] == "name"
    foreign = str(other_org.members[Role.MEMBER].id)
    for body, field in [
        ({"name": "X", "member_ids": [str(uuid.uuid4())]}, "member_ids[0]"),
        ({"name": "X", "member_ids": [foreign]}, "member_ids[0]"),
        ({"name": "X", "lead_member_id": foreign}, "lead_member_id"),
        ({"name": ""}, "name"),
        ({"name": "X", "colour": "red"}, "colour"),
    ]:
        r = await director.post(f"{API}/teams", json=body)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["errors"][0]["field"] == field
    assert await session.scalar(select(func.count()).select_from(Team)) == 1


async def test_other_orgs_teams_are_invisible(api: ApiFactory, other_org: OrgWithMembers) -> None:
    theirs = await api("admin", in_org=other_org)
    team = (await theirs.post(f"{API}/teams", json={"name": "竞品组"})).json()
    mine = await api("admin")
    assert (await mine.get(f"{API}/teams/{team['id']}")).status_code == 404
    assert (
        await mine.patch(f"{API}/teams/{team['id']}", json={"name": "x", "version": 1})
    ).status_code == 404
    assert (await mine.delete(f"{API}/teams/{team['id']}")).status_code == 404
    assert (await mine.get(f"{API}/teams")).json()["total"] == 0
    assert (await theirs.get(f"{API}/teams/{team['id']}")).json()["name"] == "竞品组"


async def test_a_goal_can_be_owned_by_a_team_of_this_org_only(
    api: ApiFactory, other_org: OrgWithMembers
) -> None:
    director = await api("director")
    team = (await director.post(f"{API}/teams", json={"name": "品牌组"})).json()
    period = (
        await director.post(
            f"{API}/strategy-periods",
            json={
                "name": "2026",
                "kind": "year",
                "starts_on": "2026-01-01",
                "ends_on": "2026-12-31",
            },
        )
    ).json()
    r = await director.post(
        f"{API}/goals",
        json={
            "period_id": period["id"],
            "level": "team",
            "title": "品牌声量",
            "owner_team_id": team["id"],
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["owner_team_id"] == team["id"]
    theirs = (
        await (await api("admin", in_org=other_org)).post(f"{API}/teams", json={"name": "外部"})
    ).json()
    r = await director.patch(
        f"{API}/goals/{r.json()['id']}", json={"owner_team_id": theirs["id"], "version": 1}
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "owner_team_id"
