from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from mems.core.schemas import ReadModel


class DatabaseHealth(ReadModel):
    ok: bool
    dialect: str
    latency_ms: float | None = None
    error: str | None = None


class RedisHealth(ReadModel):
    configured: bool
    ok: bool | None = None
    latency_ms: float | None = None
    error: str | None = None


class Health(ReadModel):
    status: Literal["ok", "degraded"]
    version: str
    environment: str
    jobs: str
    database: DatabaseHealth
    redis: RedisHealth


class JobCheckRead(ReadModel):
    id: uuid.UUID
    status: str
    queue_mode: str
    ran_in_mode: str | None
    worker: str | None
    created_at: datetime
    completed_at: datetime | None


class AuditLogRead(ReadModel):
    id: uuid.UUID
    created_at: datetime
    actor_user_id: uuid.UUID | None
    actor_name: str | None
    action: str
    entity_type: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None
