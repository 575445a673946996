"""Operational records: job checks prove the job runner (in-process or arq worker) is alive."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from mems.core.clock import utcnow
from mems.core.models import Base, IdMixin, OrgScopedMixin


class JobCheck(IdMixin, OrgScopedMixin, Base):
    __tablename__ = "job_checks"

    requested_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), default="pending")
    queue_mode: Mapped[str] = mapped_column(String(16))
    ran_in_mode: Mapped[str | None] = mapped_column(String(16))
    worker: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
