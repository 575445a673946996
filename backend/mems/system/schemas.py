from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

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
    entity_label: str | None = Field(
        description="The object's name when the change was made (absent for rows without one)"
    )
    parent_type: str | None = Field(description="The type of the object this one belongs to")
    parent_id: str | None = Field(description="The id of the object this one belongs to")
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None


class AuditEntityType(ReadModel):
    entity_type: str
    internal: bool = Field(description="Bookkeeping (link tables): not offered as a filter")
