"""In-app notifications: what happened that a member should know, addressed to them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from mems.core.clock import utcnow
from mems.core.models import Base, IdMixin, OrgScopedMixin


class Notification(IdMixin, OrgScopedMixin, Base):
    """One message to one member. The title and body are kept as English templates with their
    parameters (the `_()` catalogue), so each reader sees them in their own language; the link
    names the object it is about (e.g. `approval_request` + id). Not audited: a notification is
    a consequence of an audited change, not a business change itself."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_recipient_created", "recipient_member_id", "created_at"),
        Index("ix_notifications_recipient_read", "recipient_member_id", "read_at"),
    )

    recipient_member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(String(2000))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    link_type: Mapped[str | None] = mapped_column(String(32))
    link_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
