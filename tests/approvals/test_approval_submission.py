"""The submission is part of a request's history: who sent it and when, even when someone
other than the requester (the project's manager) submitted it."""

from __future__ import annotations

from datetime import datetime

from mems.identity.permissions import Role
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.projects.helpers import API, create_project, make_goal, move


async def test_the_detail_names_who_submitted_and_when(
    api: ApiFactory, org: OrgWithMembers
) -> None:
    director, pm = await api("director"), await api("project_manager")
    pm_id = str(org.members[Role.PROJECT_MANAGER].id)
    director_id = str(org.members[Role.DIRECTOR].id)

    own = await move(pm, await create_project(pm, goal=await make_goal(director)), "submit")
    detail = (await director.get(f"{API}/approvals/{own['approval']['id']}")).json()
    assert detail["submission"]["submitted_by_member_id"] == pm_id
    assert detail["submission"]["submitted_by_name"] == "project_manager 用户"
    assert datetime.fromisoformat(detail["submission"]["submitted_at"]) == datetime.fromisoformat(
        detail["created_at"]
    )
    assert detail["history"] == []

    # The director submits the project manager's project: the request stays the manager's,
    # the submission is the director's.
    theirs = await create_project(director, goal=await make_goal(director), owner_member_id=pm_id)
    theirs = await move(director, theirs, "submit")
    detail = (await pm.get(f"{API}/approvals/{theirs['approval']['id']}")).json()
    assert detail["requested_by_member_id"] == pm_id
    assert detail["submission"]["submitted_by_member_id"] == director_id
    assert detail["submission"]["submitted_by_name"] == "director 用户"
