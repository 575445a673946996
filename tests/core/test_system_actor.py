"""Jobs act as the system (`Actor.system`), explicitly: what a job changes is audited with no
user and names the job, whoever queued it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.audit import SYSTEM, Actor, AuditLog
from mems.core.db import Database
from mems.core.jobs import InProcessQueue, JobContext, registry, run_job
from mems.identity.models import Team
from tests.factories import OrgWithMembers


def test_the_system_actor_is_nobody_in_particular() -> None:
    assert SYSTEM.is_system
    assert (SYSTEM.user_id, SYSTEM.org_id, SYSTEM.name, SYSTEM.request_id) == (None,) * 4
    job = Actor.system("identity.prune_expired_sessions")
    assert job.is_system
    assert job.request_id == "job:identity.prune_expired_sessions"
    assert not Actor(uuid.uuid4(), uuid.uuid4(), "王管理").is_system


async def test_a_jobs_changes_are_audited_as_the_system(
    db: Database, org: OrgWithMembers, session: AsyncSession
) -> None:
    team = Team(org_id=org.org.id, name=f"T-{uuid.uuid4().hex[:8]}")
    session.add(team)
    await session.commit()
    seen: list[Any] = []

    @registry.job("test.rename_team")
    async def rename_team(ctx: JobContext, s: AsyncSession, *, team_id: str) -> None:
        seen.append(s.info["actor"])
        renamed = await s.get(Team, uuid.UUID(team_id))
        assert renamed is not None
        renamed.name += "（已归档）"
        await s.flush()

    try:
        ctx = JobContext(db, InProcessQueue(db, run_crons=False), "in-process")
        await run_job(ctx, "test.rename_team", {"team_id": str(team.id)})
    finally:
        registry.jobs.pop("test.rename_team")
    assert seen == [Actor.system("test.rename_team")]
    row = (
        await session.scalars(
            select(AuditLog).where(AuditLog.entity_id == str(team.id), AuditLog.action == "update")
        )
    ).one()
    assert (row.actor_user_id, row.actor_name) == (None, None)  # the SPA shows 系统 / System
    assert row.request_id == "job:test.rename_team"
    assert row.org_id == org.org.id  # the changed object's organisation
    assert row.after == {"name": f"{team.name}（已归档）"}
