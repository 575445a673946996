from __future__ import annotations

import time
import uuid

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.audit import AuditLog
from mems.core.pagination import PageParams, paginate
from mems.core.tenancy import scoped
from mems.system.models import JobCheck


async def ping_database(session: AsyncSession) -> float:
    started = time.perf_counter()
    await session.execute(text("SELECT 1"))
    return (time.perf_counter() - started) * 1000


async def get_job_check(
    session: AsyncSession, org_id: uuid.UUID, check_id: uuid.UUID
) -> JobCheck | None:
    return await session.scalar(scoped(JobCheck, org_id, JobCheck.id == check_id))


async def get_job_check_any_org(session: AsyncSession, check_id: uuid.UUID) -> JobCheck | None:
    """For the job, which acts for the organisation that queued it."""
    return await session.get(JobCheck, check_id)


async def list_audit_logs(
    session: AsyncSession,
    org_id: uuid.UUID,
    params: PageParams,
    *,
    entity_type: str | None,
    entity_id: str | None,
    actor_id: uuid.UUID | None,
    action: str | None,
) -> tuple[list[AuditLog], int]:
    stmt = select(AuditLog).where(AuditLog.org_id == org_id)
    if entity_type:
        stmt = stmt.where(AuditLog.entity_type == entity_type)
    if entity_id:
        stmt = stmt.where(AuditLog.entity_id == entity_id)
    if actor_id:
        stmt = stmt.where(AuditLog.actor_user_id == actor_id)
    if action:
        stmt = stmt.where(AuditLog.action == action)
    return await paginate(session, stmt.order_by(AuditLog.created_at.desc(), AuditLog.id), params)
