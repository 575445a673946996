"""Operations: health, job checks, the audit log."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Query, Request, Response, status
from fastapi.responses import JSONResponse

from mems.core.db import OneReaderDep, SessionDep
from mems.core.errors import Forbidden, NotFound, Unauthorized, problem_responses
from mems.core.pagination import Page, PageParamsDep
from mems.core.responses import json_response
from mems.core.routing import api_router
from mems.identity.auth import Requires
from mems.identity.permissions import Permission
from mems.identity.principal import Principal
from mems.system import service
from mems.system.schemas import AuditEntityType, AuditLogRead, Health, JobCheckRead

public_router = api_router(tags=["system"])
router = api_router(
    tags=["system"],
    responses=problem_responses(Unauthorized, Forbidden),
)


@public_router.get("/health", response_model=Health, responses={503: {"model": Health}})
async def get_health(request: Request, session: SessionDep) -> JSONResponse:
    """Liveness and readiness: the database and, when configured, Redis. 503 when degraded."""
    result = await service.health(session, request.app.state.settings, request.app.state.jobs)
    code = 200 if result.status == "ok" else 503
    return JSONResponse(result.model_dump(mode="json"), status_code=code)


@router.post(
    "/system/job-checks", response_model=JobCheckRead, status_code=status.HTTP_202_ACCEPTED
)
async def start_job_check(
    request: Request,
    session: SessionDep,
    principal: Principal = Requires(Permission.SYSTEM_DIAGNOSE),
) -> JobCheckRead:
    """Queue a no-op job and record which runner picks it up: proves the worker is alive."""
    check = await service.start_job_check(session, principal, request.app.state.jobs)
    return JobCheckRead.model_validate(check)


@router.get(
    "/system/job-checks/{check_id}",
    response_model=JobCheckRead,
    responses=problem_responses(NotFound),
)
async def get_job_check(
    check_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = Requires(Permission.SYSTEM_DIAGNOSE),
) -> JobCheckRead:
    """A job check: `pending` until a runner has run it, then `done` with the runner's name."""
    return JobCheckRead.model_validate(await service.get_job_check(session, principal, check_id))


@router.get("/audit-logs", response_model=Page[AuditLogRead])
async def list_audit_logs(
    reader: OneReaderDep,
    page: PageParamsDep,
    entity_type: Annotated[str | None, Query(max_length=64)] = None,
    entity_id: Annotated[str | None, Query(max_length=64)] = None,
    actor_id: uuid.UUID | None = None,
    action: Literal["create", "update", "delete"] | None = None,
    principal: Principal = Requires(Permission.AUDIT_READ),
) -> Response:
    """Every create, update and delete in the organisation, newest first, with before/after."""
    logs = await service.view_audit_logs(
        reader,
        principal,
        page,
        entity_type=entity_type,
        entity_id=entity_id,
        actor_id=actor_id,
        action=action,
    )
    return json_response(logs, Page[AuditLogRead])


@router.get("/audit-logs/entity-types", response_model=list[AuditEntityType])
async def list_audit_entity_types(
    principal: Principal = Requires(Permission.AUDIT_READ),
) -> list[AuditEntityType]:
    """Every type of object the audit log records, by name; `internal` ones are bookkeeping."""
    return [
        AuditEntityType(entity_type=name, internal=internal)
        for name, internal in service.audit_entity_types()
    ]
