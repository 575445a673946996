from __future__ import annotations

import time
import uuid
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.audit import AuditLog
from mems.core.db import Reader, ReadStatement
from mems.core.pagination import PageParams, counted_page
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


_AUDIT_COLUMNS = (
    AuditLog.id,
    AuditLog.created_at,
    AuditLog.actor_user_id,
    AuditLog.actor_name,
    AuditLog.action,
    AuditLog.entity_type,
    AuditLog.entity_id,
    AuditLog.entity_label,
    AuditLog.parent_type,
    AuditLog.parent_id,
    AuditLog.before,
    AuditLog.after,
    AuditLog.request_id,
)
AUDIT_VIEW_KEYS = tuple(c.key for c in _AUDIT_COLUMNS)  # an audit row as the API shows it


@cache
def _audit_statement(
    entity_type: bool, entity_id: bool, actor_id: bool, action: bool
) -> ReadStatement:
    """The organisation's audit rows, a page (`:limit`, `:offset`) newest first with the
    count of all; each flag: only the rows with that column equal to the parameter of its
    name."""
    stmt = select(*_AUDIT_COLUMNS)
    for column, wanted in (
        (AuditLog.entity_type, entity_type),
        (AuditLog.entity_id, entity_id),
        (AuditLog.actor_user_id, actor_id),
        (AuditLog.action, action),
    ):
        if wanted:
            stmt = stmt.where(column == bindparam(column.key))
    return ReadStatement(counted_page(stmt, AuditLog.created_at.desc(), AuditLog.id))


async def view_audit_logs(
    reader: Reader,
    params: PageParams,
    *,
    entity_type: str | None,
    entity_id: str | None,
    actor_id: uuid.UUID | None,
    action: str | None,
) -> list[dict[str, Any]]:
    """A page of the reader's organisation's audit rows, newest first, with their total
    (`counted_page` rows); each filter given: only the rows that match it."""
    statement = _audit_statement(
        bool(entity_type), bool(entity_id), actor_id is not None, bool(action)
    )
    return await reader.all(
        statement,
        limit=params.limit,
        offset=params.offset,
        entity_type=entity_type,
        entity_id=entity_id,
        actor_user_id=actor_id,
        action=action,
    )
