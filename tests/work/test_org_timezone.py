"""What day it is for the work pages: the organisation's own time zone (identity's
`view_org_timezone`), not the server's."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.db import SessionReader
from mems.core.tenancy import ALL_TENANTS, in_tenant
from mems.identity import service as identity
from mems.identity.permissions import Role
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.projects.helpers import API

# UTC+14 and UTC-11: 25 hours apart, so their dates always differ.
EARLIEST, LATEST = "Pacific/Kiritimati", "Pacific/Pago_Pago"


def _today_in(tz: str) -> date:
    return datetime.now(ZoneInfo(tz)).date()


async def test_view_org_timezone_reads_the_organisations_own(
    session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    org.org.timezone = EARLIEST
    other_org.org.timezone = LATEST
    await session.commit()
    reader = SessionReader(session)
    try:
        for one, tz in ((org, EARLIEST), (other_org, LATEST)):
            in_tenant(session, one.org.id)  # as a request of a member of that organisation
            assert await identity.view_org_timezone(reader, one.org.id) == tz
        # An organisation that is not there: the default zone, not an error.
        assert await identity.view_org_timezone(reader, uuid.uuid4()) == "Asia/Shanghai"
    finally:
        in_tenant(session, ALL_TENANTS)


async def test_my_tasks_today_is_the_organisations_day(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    member = await api(Role.MEMBER)
    for tz in (EARLIEST, LATEST):
        org.org.timezone = tz
        await session.commit()
        before = _today_in(tz)
        r = await member.get(f"{API}/me/tasks")
        assert r.status_code == 200, r.text
        assert r.json()["today"] in {before.isoformat(), _today_in(tz).isoformat()}
