"""Tenancy by mechanism (core/tenancy.py): every ORM statement on tenant rows is filtered to
the session's organisation, a session in no organisation reads none, and the database refuses
a child row that points into another organisation (composite foreign keys)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.audit import AuditLog
from mems.core.tenancy import ALL_TENANTS, NoTenant, across_tenants, in_tenant
from mems.identity.models import Membership, Team, TeamMember
from mems.identity.permissions import Role
from mems.projects.models import Project, ProjectMember, ProjectRole, ProjectType
from tests.factories import OrgWithMembers


def _project(org: OrgWithMembers, code: str) -> Project:
    return Project(
        org_id=org.org.id,
        code=code,
        name=f"项目 {code}",
        type=ProjectType.OTHER,
        owner_member_id=org.members[Role.PROJECT_MANAGER].id,
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 2, 1),
    )


@pytest.fixture
async def two_projects(
    session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> tuple[Project, Project]:
    mine, theirs = _project(org, "T-1"), _project(other_org, "T-2")
    session.add_all([mine, theirs])
    await session.flush()
    return mine, theirs


async def test_selects_see_only_the_sessions_organisation(
    session: AsyncSession,
    org: OrgWithMembers,
    other_org: OrgWithMembers,
    two_projects: tuple[Project, Project],
) -> None:
    mine, theirs = two_projects
    in_tenant(session, org.org.id)
    session.expunge_all()  # so get() must ask the database
    codes = set((await session.scalars(select(Project.code))).all())
    assert codes == {"T-1"}
    assert await session.get(Project, theirs.id) is None
    assert (await session.get(Project, mine.id)) is not None
    # A joined entity is filtered too, not only the statement's first one.
    foreign_member = other_org.members[Role.ADMIN].id
    joined = select(Project.code).join(Membership, Membership.id == foreign_member)
    assert (await session.scalars(joined)).all() == []
    # Aggregates and the audit log (a tenant table without the mixin) as well.
    assert await session.scalar(select(func.count()).select_from(Membership)) == len(org.members)
    actors = await session.scalars(select(AuditLog.org_id).distinct())
    assert set(actors.all()) <= {org.org.id}


async def test_updates_and_deletes_touch_only_the_sessions_organisation(
    session: AsyncSession, org: OrgWithMembers, two_projects: tuple[Project, Project]
) -> None:
    _mine, theirs = two_projects
    in_tenant(session, org.org.id)
    renamed = await session.execute(
        update(Project).where(Project.id == theirs.id).values(name="被改名")
    )
    assert renamed.rowcount == 0  # type: ignore[attr-defined]
    deleted = await session.execute(delete(Project).where(Project.id == theirs.id))
    assert deleted.rowcount == 0  # type: ignore[attr-defined]
    in_tenant(session, ALL_TENANTS)
    assert await session.scalar(select(Project.name).where(Project.id == theirs.id)) == "项目 T-2"


async def test_a_session_in_no_organisation_reads_no_tenant_rows(
    session: AsyncSession, org: OrgWithMembers, two_projects: tuple[Project, Project]
) -> None:
    session.info.pop("mems.tenant")
    with pytest.raises(NoTenant, match="Project"):
        await session.scalars(select(Project))
    # The one escape, per statement.
    codes = set((await session.scalars(across_tenants(select(Project.code)))).all())
    assert {"T-1", "T-2"} <= codes


async def test_the_database_refuses_a_child_in_another_organisation(
    session: AsyncSession,
    org: OrgWithMembers,
    other_org: OrgWithMembers,
    two_projects: tuple[Project, Project],
) -> None:
    """Composite (org_id, parent) keys: even code that skips every check cannot attach a
    row to another organisation's parent."""
    _mine, theirs = two_projects
    async with session.begin_nested():
        session.add(
            ProjectMember(
                org_id=org.org.id,
                project_id=theirs.id,
                membership_id=org.members[Role.MEMBER].id,
                role=ProjectRole.CONTRIBUTOR,
            )
        )
        with pytest.raises(IntegrityError):
            await session.flush()
    session.expunge_all()
    team = Team(org_id=org.org.id, name="本组织的组")
    session.add(team)
    await session.flush()
    async with session.begin_nested():
        session.add(
            TeamMember(
                org_id=org.org.id, team_id=team.id, member_id=other_org.members[Role.MEMBER].id
            )
        )
        with pytest.raises(IntegrityError):
            await session.flush()
