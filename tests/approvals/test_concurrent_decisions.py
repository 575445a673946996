"""Two deciders at the same moment: the second loses on the request's version, never
approving a step twice (and the API answers it 409, not 500)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from mems.approvals import service
from mems.approvals.flow import Decision
from mems.approvals.models import ApprovalRecord, ApprovalRequest
from mems.core.errors import install_error_handlers
from mems.identity.permissions import Role
from mems.identity.principal import Principal
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.projects.helpers import count, create_project, make_goal, move


async def test_a_decision_on_a_request_changed_meanwhile_is_refused(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    director_client = await api("director")
    pm = await api("project_manager")
    project = await move(
        pm, await create_project(pm, goal=await make_goal(director_client)), "submit"
    )
    request_id = uuid.UUID(project["approval"]["id"])

    # This session read the request; then another request's decision bumped its version.
    request = await session.scalar(select(ApprovalRequest).where(ApprovalRequest.id == request_id))
    assert request is not None
    await session.execute(
        update(ApprovalRequest)
        .where(ApprovalRequest.id == request_id)
        .values(version=ApprovalRequest.version + 1)
        .execution_options(synchronize_session=False)
    )
    director = org.members[Role.DIRECTOR]
    principal = Principal(
        director.user_id, "李总监", org.org.id, director.id, Role.DIRECTOR, "test", director.id, ""
    )
    with pytest.raises(StaleDataError):
        await service.decide(session, principal, request_id, Decision.APPROVE, "同意")
    await session.rollback()
    assert await count(session, ApprovalRecord, ApprovalRecord.request_id == request_id) == 0


async def test_a_lost_concurrent_update_is_a_409_problem() -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/race")
    async def race() -> None:
        raise StaleDataError(
            "UPDATE statement on table 'x' expected to update 1 row(s); 0 were matched."
        )

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        r = await client.post("/race")
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"] == "urn:mems:problem:stale-version"
