from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from mems.core.schemas import ReadModel


class NotificationRead(ReadModel):
    id: uuid.UUID
    kind: str = Field(description="What happened, e.g. `approval.awaiting`, `approval.approved`")
    title: str = Field(description="In the reader's language (Accept-Language)")
    body: str | None
    link_type: str | None = Field(
        description="The kind of object it is about, e.g. `approval_request`, `project`"
    )
    link_id: uuid.UUID | None
    created_at: datetime
    read_at: datetime | None


class UnreadCount(ReadModel):
    unread: int


class MarkedRead(ReadModel):
    marked: int = Field(description="How many notifications were unread and are now read")
