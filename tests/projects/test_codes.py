"""Project codes: per organisation and start year, unique even when numbers collide."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from mems.identity.permissions import Role
from mems.projects.models import Project, ProjectType
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers

API = "/api/v1"


async def test_codes_count_per_year_and_skip_a_taken_number(
    api: ApiFactory, org: OrgWithMembers, other_org: OrgWithMembers, session: AsyncSession
) -> None:
    pm = await api("project_manager")

    async def create(name: str, starts_on: str) -> str:
        r = await pm.post(
            f"{API}/projects",
            json={"name": name, "type": "brand", "starts_on": starts_on, "ends_on": "2027-12-31"},
        )
        assert r.status_code == 201, r.text
        return str(r.json()["code"])

    assert await create("品牌片", "2026-03-01") == "P2026-001"
    # Another organisation's numbering is its own; a number taken out of order is skipped.
    session.add_all(
        [
            Project(
                org_id=other_org.org.id,
                code="P2026-002",
                name="别家",
                type=ProjectType.OTHER,
                owner_member_id=other_org.members[Role.PROJECT_MANAGER].id,
                starts_on=date(2026, 1, 1),
                ends_on=date(2026, 2, 1),
            ),
            Project(
                org_id=org.org.id,
                code="P2026-003",
                name="导入的旧项目",
                type=ProjectType.OTHER,
                owner_member_id=org.members[Role.PROJECT_MANAGER].id,
                starts_on=date(2026, 1, 1),
                ends_on=date(2026, 2, 1),
            ),
        ]
    )
    await session.commit()
    # The counter goes on at 002 (the other org's 002 is its own); 003 was imported: skipped.
    assert await create("品牌片二期", "2026-06-01") == "P2026-002"
    assert await create("品牌片三期", "2026-06-01") == "P2026-004"
    assert await create("明年的", "2027-01-05") == "P2027-001"
