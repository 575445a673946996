"""Work orders' role matrix: everyone but viewers raises and handles work orders; everyone
reads their boxes. Every operation × every role, allowed and refused both asserted (harness:
tests/permission_matrix.py). Each call acts on fresh orders where the caller is the party the
action needs, so the role alone decides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.jobs import InProcessQueue
from mems.identity.permissions import Role
from mems.orders.models import WorkOrderStatus
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.orders.helpers import make_order, make_project, make_task
from tests.permission_matrix import API, Row, Setup, by_role, check_no_credential, check_roles, ids

EVERYONE = by_role(200, 200, 200, 200, 200, 200)
DOERS = by_role(200, 200, 200, 200, 200, 403)


def _step(action: str, order: str, body: dict[str, Any] | None = None) -> Row:
    """One lifecycle step through the transitions route, on an order in the state it needs."""
    return Row(
        "POST",
        f"{API}/work-orders/{{order_id}}/transitions",
        lambda c: {"action": action, "version": 1, **(body or {})},
        DOERS,
        use={"order_id": order},
    )


# Every step goes through the one route (listed once in MATRIX, with `accept`); each is run
# against every role too, as each has its own party (assignee or requester) and state.
STEPS = {
    "accept": _step("accept", "requested_order_id"),
    "reject": _step("reject", "requested_order_id", {"reason": "排期已满"}),
    "start": _step("start", "accepted_order_id"),
    "complete": _step("complete", "in_progress_order_id"),
    "verify": _step("verify", "done_order_id"),
    "cancel": _step("cancel", "order_id"),
}


# by_role(admin, director, project_manager, member, finance, viewer)
MATRIX: list[Row] = [
    Row("GET", f"{API}/work-orders", None, EVERYONE),
    Row(
        "POST",
        f"{API}/work-orders",
        lambda c: {
            "title": f"工单 {c['unique']}",
            "assignee_member_id": str(c["assignee_id"]),
            "project_id": str(c["project_id"]),
            "task_id": str(c["task_id"]),
            "due_at": (datetime.now(UTC) + timedelta(days=2)).isoformat(),
            "sla_hours": 24,
        },
        by_role(201, 201, 201, 201, 201, 403),
    ),
    Row("GET", f"{API}/work-orders/{{order_id}}", None, EVERYONE),
    STEPS["accept"],
    Row(
        "POST",
        f"{API}/work-orders/{{order_id}}/task",
        lambda c: {"version": 1, "task_id": str(c["task_id"])},
        DOERS,
        use={"order_id": "project_order_id"},
    ),
]


async def prepare(s: Setup) -> dict[str, Any]:
    """Orders the caller raised (to read, cancel, verify, link) and orders given to the
    caller in each state an assignee acts from; a project with a task."""
    other = Role.MEMBER if s.role != Role.MEMBER else Role.FINANCE
    project = await make_project(s.session, s.org)
    task = await make_task(s.session, project)
    mine = await make_order(s.session, s.org, s.role, other)
    given = {
        status: await make_order(s.session, s.org, other, s.role, status=status)
        for status in (
            WorkOrderStatus.REQUESTED,
            WorkOrderStatus.ACCEPTED,
            WorkOrderStatus.IN_PROGRESS,
        )
    }
    done = await make_order(s.session, s.org, s.role, other, status=WorkOrderStatus.DONE)
    linked = await make_order(s.session, s.org, s.role, other, project=project)
    return {
        "unique": s.unique,
        "assignee_id": s.org.members[other].id,
        "project_id": project.id,
        "task_id": task.id,
        "order_id": mine.id,
        "requested_order_id": given[WorkOrderStatus.REQUESTED].id,
        "accepted_order_id": given[WorkOrderStatus.ACCEPTED].id,
        "in_progress_order_id": given[WorkOrderStatus.IN_PROGRESS].id,
        "done_order_id": done.id,
        "project_order_id": linked.id,
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


@pytest.mark.parametrize("action", list(STEPS))
async def test_every_step_role_matrix(
    action: str,
    api: ApiFactory,
    org: OrgWithMembers,
    session: AsyncSession,
    jobs: InProcessQueue,
) -> None:
    await check_roles(STEPS[action], prepare, api, org, session, jobs)
