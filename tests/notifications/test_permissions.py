"""Notifications' role matrix: everyone reads and marks their own (harness:
tests/permission_matrix.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.jobs import InProcessQueue
from mems.notifications.models import Notification
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.permission_matrix import API, Row, Setup, by_role, check_no_credential, check_roles, ids

# by_role(admin, director, project_manager, member, finance, viewer)
MATRIX: list[Row] = [
    Row("GET", f"{API}/notifications", None, by_role(200, 200, 200, 200, 200, 200)),
    Row("GET", f"{API}/notifications/unread-count", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/notifications/{{notification_id}}/read",
        None,
        by_role(200, 200, 200, 200, 200, 200),
    ),
    Row("POST", f"{API}/notifications/read-all", None, by_role(200, 200, 200, 200, 200, 200)),
]


async def prepare(s: Setup) -> dict[str, Any]:
    """A notification to the caller."""
    notification = Notification(
        org_id=s.org.org.id,
        recipient_member_id=s.caller,
        kind="approval.approved",
        title="Approved: {title}",
        params={"title": f"矩阵项目 {s.unique}"},
    )
    s.session.add(notification)
    await s.session.commit()
    return {"notification_id": notification.id}


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
