"""Health, job checks and the audit trail."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mems import __version__
from mems.config import Settings
from mems.core.audit import audited_types
from mems.core.clock import utcnow
from mems.core.db import Reader
from mems.core.errors import NotFound
from mems.core.i18n import _
from mems.core.jobs import JobContext, JobQueue, enqueue_after_commit
from mems.core.pagination import PageParams, page_of
from mems.identity.principal import Principal
from mems.system import repository as repo
from mems.system.models import JobCheck
from mems.system.schemas import DatabaseHealth, Health, RedisHealth


async def health(session: AsyncSession, settings: Settings, queue: JobQueue) -> Health:
    dialect = session.get_bind().dialect.name
    try:
        database = DatabaseHealth(
            ok=True, dialect=dialect, latency_ms=round(await repo.ping_database(session), 2)
        )
    except Exception as exc:  # health reports failures, it does not raise them
        database = DatabaseHealth(ok=False, dialect=dialect, error=type(exc).__name__)
    redis = RedisHealth(configured=bool(settings.redis_url))
    ping = getattr(queue, "ping", None)
    if settings.redis_url and ping is not None:
        started = time.perf_counter()
        try:
            ok = await asyncio.wait_for(ping(), timeout=2)
            redis = RedisHealth(
                configured=True, ok=ok, latency_ms=round((time.perf_counter() - started) * 1000, 2)
            )
        except Exception as exc:
            redis = RedisHealth(configured=True, ok=False, error=type(exc).__name__)
    healthy = database.ok and (redis.ok is not False)
    return Health(
        status="ok" if healthy else "degraded",
        version=__version__,
        environment=settings.environment,
        jobs=queue.mode,
        database=database,
        redis=redis,
    )


async def start_job_check(session: AsyncSession, principal: Principal, queue: JobQueue) -> JobCheck:
    check = JobCheck(org_id=principal.org_id, requested_by=principal.user_id, queue_mode=queue.mode)
    session.add(check)
    await session.flush()
    enqueue_after_commit(session, "system.complete_job_check", check_id=str(check.id))
    return check


async def get_job_check(
    session: AsyncSession, principal: Principal, check_id: uuid.UUID
) -> JobCheck:
    check = await repo.get_job_check(session, principal.org_id, check_id)
    if check is None:
        raise NotFound(_("Job check {check_id} not found.", check_id=check_id))
    return check


async def complete_job_check(ctx: JobContext, session: AsyncSession, check_id: uuid.UUID) -> bool:
    check = await repo.get_job_check_any_org(session, check_id)
    if check is None or check.status == "done":
        return False  # idempotent: a redelivered job changes nothing
    check.status = "done"
    check.ran_in_mode = ctx.mode
    check.worker = ctx.worker_name
    check.completed_at = utcnow()
    await session.flush()
    return True


async def view_audit_logs(
    reader: Reader,
    principal: Principal,
    params: PageParams,
    *,
    entity_type: str | None,
    entity_id: str | None,
    actor_id: uuid.UUID | None,
    action: str | None,
) -> dict[str, Any]:
    """A page of the organisation's audit log, newest first (`Page[AuditLogRead]`); one
    statement."""
    rows = await repo.view_audit_logs(
        reader,
        params,
        entity_type=entity_type,
        entity_id=entity_id,
        actor_id=actor_id,
        action=action,
    )
    return page_of(rows, params, _audit_view)


def _audit_view(row: dict[str, Any]) -> dict[str, Any]:
    return {key: row[key] for key in repo.AUDIT_VIEW_KEYS}


def audit_entity_types() -> list[tuple[str, bool]]:
    return sorted(audited_types().items())
