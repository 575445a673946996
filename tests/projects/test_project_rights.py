"""Rights on a project: the pure policy (`projects.policy`), and `project_for`, the one entry
every service uses to load a project it works on (404 outside the caller's organisation, 403
without the right, in the reader's language)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.errors import Forbidden, NotFound
from mems.core.i18n import Locale, render
from mems.identity.permissions import Permission, Role
from mems.identity.principal import Principal
from mems.projects import service as projects
from mems.projects.lifecycle import ProjectStatus
from mems.projects.models import Project, ProjectMember, ProjectRole, ProjectType
from mems.projects.policy import ProjectFacts, ProjectRight, may_manage_as, rights
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.projects.helpers import (
    API,
    RETRO,
    another_member,
    create_project,
    problem,
)

V, C, M, H = ProjectRight.VIEW, ProjectRight.CONTRIBUTE, ProjectRight.MANAGE, ProjectRight.HAND_OVER


def _principal(role: Role, scopes: set[Permission] | None = None) -> Principal:
    return Principal(
        uuid.uuid4(),
        "某人",
        uuid.uuid4(),
        uuid.uuid4(),
        role,
        "session",
        uuid.uuid4(),
        "",
        None if scopes is None else frozenset(scopes),
    )


# ---- the pure policy -------------------------------------------------------------------------

# Rights on a project someone else manages, for a caller not on its team.
ON_OTHERS = {
    Role.ADMIN: {V, C, M, H},
    Role.DIRECTOR: {V, C, M, H},
    Role.PROJECT_MANAGER: {V},
    Role.MEMBER: {V},
    Role.FINANCE: {V},
    Role.VIEWER: {V},
}


@pytest.mark.parametrize("role", list(Role))
def test_rights_on_someone_elses_project(role: Role) -> None:
    p = _principal(role)
    assert rights(p, ProjectFacts(owner_member_id=uuid.uuid4())) == ON_OTHERS[role]


# Rights on a project the caller is recorded as managing (only planners are made managers, but
# the policy answers for every role).
ON_OWN = {
    Role.ADMIN: {V, C, M, H},
    Role.DIRECTOR: {V, C, M, H},
    Role.PROJECT_MANAGER: {V, C, M},
    Role.MEMBER: {V, C},
    Role.FINANCE: {V, C},
    Role.VIEWER: {V, C},
}


@pytest.mark.parametrize("role", list(Role))
def test_rights_on_ones_own_project(role: Role) -> None:
    p = _principal(role)
    assert rights(p, ProjectFacts(owner_member_id=p.membership_id)) == ON_OWN[role]


@pytest.mark.parametrize(
    ("team_role", "contributes"),
    [
        (ProjectRole.MANAGER, True),
        (ProjectRole.CORE, True),
        (ProjectRole.CONTRIBUTOR, True),
        (ProjectRole.REVIEWER, False),
        (ProjectRole.OBSERVER, False),
        (None, False),
    ],
)
def test_the_team_contributes_reviewers_and_observers_look(
    team_role: ProjectRole | None, contributes: bool
) -> None:
    p = _principal(Role.MEMBER)
    got = rights(p, ProjectFacts(owner_member_id=uuid.uuid4(), team_role=team_role))
    assert got == ({V, C} if contributes else {V})


def test_a_token_holds_only_its_scopes_on_projects_too() -> None:
    director = _principal(Role.DIRECTOR, {Permission.PROJECTS_READ, Permission.PROJECTS_WRITE})
    others = ProjectFacts(owner_member_id=uuid.uuid4())
    assert rights(director, others) == {V}  # no projects:manage_all in the token
    assert rights(director, ProjectFacts(owner_member_id=director.membership_id)) == {V, C, M}
    pm = _principal(Role.PROJECT_MANAGER, {Permission.PROJECTS_READ})
    assert M not in rights(pm, ProjectFacts(owner_member_id=pm.membership_id))


def test_who_may_create_a_project_for_whom() -> None:
    pm, director = _principal(Role.PROJECT_MANAGER), _principal(Role.DIRECTOR)
    assert may_manage_as(pm, pm.membership_id)
    assert not may_manage_as(pm, uuid.uuid4())
    assert may_manage_as(director, uuid.uuid4())


def test_owns_or_can_is_the_owner_or_the_permission() -> None:
    member, director = _principal(Role.MEMBER), _principal(Role.DIRECTOR)
    assert member.owns_or_can(member.membership_id, Permission.STRATEGY_MANAGE)
    assert not member.owns_or_can(uuid.uuid4(), Permission.STRATEGY_MANAGE)
    assert not member.owns_or_can(None, Permission.STRATEGY_MANAGE)
    assert director.owns_or_can(uuid.uuid4(), Permission.STRATEGY_MANAGE)


# ---- project_for: the one way a service loads a project it works on --------------------------


def _said(refusal: Forbidden, locale: Locale) -> str:
    return render(refusal.detail, locale) or ""


def _as(org: OrgWithMembers, role: Role) -> Principal:
    m = org.members[role]
    return Principal(m.user_id, m.user.name, org.org.id, m.id, role, "session", m.id, "")


async def _project(session: AsyncSession, org: OrgWithMembers, owner: Role) -> Project:
    unique = uuid.uuid4().hex[:8]
    project = Project(
        org_id=org.org.id,
        code=f"R{unique}",
        name=f"权限项目 {unique}",
        type=ProjectType.PROMOTION,
        status=ProjectStatus.DRAFT,
        owner_member_id=org.members[owner].id,
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 11, 15),
    )
    session.add(project)
    await session.flush()
    return project


async def test_project_for_applies_the_policy(session: AsyncSession, org: OrgWithMembers) -> None:
    project = await _project(session, org, owner=Role.PROJECT_MANAGER)
    for role in Role:  # everyone in the organisation sees it
        seen = await projects.project_for(session, _as(org, role), project.id)
        assert seen.id == project.id
    owner, director = _as(org, Role.PROJECT_MANAGER), _as(org, Role.DIRECTOR)
    assert await projects.project_for(session, owner, project.id, M) is project
    assert await projects.project_for(session, director, project.id, M) is project
    for role in (Role.MEMBER, Role.FINANCE, Role.VIEWER):
        with pytest.raises(Forbidden) as refused:
            await projects.project_for(session, _as(org, role), project.id, M)
        assert _said(refused.value, "zh-CN") == "只有项目经理、营销总监或管理员可以修改该项目。"


async def test_the_team_contributes(session: AsyncSession, org: OrgWithMembers) -> None:
    project = await _project(session, org, owner=Role.PROJECT_MANAGER)
    session.add_all(
        [
            ProjectMember(
                org_id=org.org.id,
                project_id=project.id,
                membership_id=org.members[Role.MEMBER].id,
                role=ProjectRole.CONTRIBUTOR,
            ),
            ProjectMember(
                org_id=org.org.id,
                project_id=project.id,
                membership_id=org.members[Role.FINANCE].id,
                role=ProjectRole.OBSERVER,
            ),
        ]
    )
    await session.flush()
    for role in (Role.MEMBER, Role.PROJECT_MANAGER, Role.DIRECTOR, Role.ADMIN):
        assert await projects.project_for(session, _as(org, role), project.id, C) is project
    for role in (Role.FINANCE, Role.VIEWER):  # an observer, and someone not on the team
        with pytest.raises(Forbidden) as refused:
            await projects.project_for(session, _as(org, role), project.id, C)
        assert "team" in _said(refused.value, "en")
        assert "团队" in _said(refused.value, "zh-CN")


async def test_another_organisations_project_is_not_found(
    session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    theirs = await _project(session, other_org, owner=Role.PROJECT_MANAGER)
    for right in ProjectRight:
        with pytest.raises(NotFound):
            await projects.project_for(session, _as(org, Role.ADMIN), theirs.id, right)
    with pytest.raises(NotFound):
        await projects.project_for(session, _as(org, Role.ADMIN), uuid.uuid4())


# ---- through the API: what the matrix (every project the caller's own) does not show ---------


async def test_a_project_manager_reads_and_copies_others_projects_but_reviews_only_theirs(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    second = await another_member(session, org, Role.PROJECT_MANAGER, "另一位项目经理")
    other_pm = await api("project_manager", in_org=second)
    theirs = await create_project(other_pm)
    project = await session.get(Project, uuid.UUID(theirs["id"]))
    assert project is not None
    project.status = ProjectStatus.ACTIVE
    await session.commit()

    pm = await api("project_manager")
    base = f"{API}/projects/{theirs['id']}"
    assert (await pm.get(base)).status_code == 200
    copied = await pm.post(f"{base}/save-as-template", json={"name": f"抄-{uuid.uuid4().hex[:6]}"})
    assert copied.status_code == 201, copied.text
    refused = await pm.put(
        f"{base}/retrospective", json=RETRO, headers={"Accept-Language": "zh-CN"}
    )
    body = problem(refused, 403, "forbidden")
    assert body["detail"] == "只有项目经理、营销总监或管理员可以修改该项目。"
    assert (await other_pm.put(f"{base}/retrospective", json=RETRO)).status_code == 200
