"""Collaboration on any object: comments with @mentions, and attachments."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from mems.core.clock import utcnow
from mems.core.models import (
    AuditedMixin,
    Base,
    IdMixin,
    OrgScopedMixin,
    TimestampMixin,
    VersionedMixin,
    same_org,
    str_enum,
)


class SubjectType(StrEnum):
    """What a comment or an attachment is about."""

    PROJECT = "project"
    TASK = "task"
    WORK_ORDER = "work_order"
    ISSUE = "issue"
    COST = "cost"  # a cost entry of the ledger: its files are its receipts


class Comment(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    __tablename__ = "comments"
    __audit_exclude__ = frozenset({"body"})
    __audit_parent__ = ("projects", "project_id")  # the project's activity feed shows it
    __table_args__ = (
        Index("ix_comments_subject", "subject_type", "subject_id", "created_at"),
        same_org("author_member_id", "memberships"),
    )

    subject_type: Mapped[SubjectType] = mapped_column(str_enum(SubjectType))
    subject_id: Mapped[uuid.UUID] = mapped_column()
    project_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    author_member_id: Mapped[uuid.UUID] = mapped_column()
    body: Mapped[str] = mapped_column(Text)
    mentions: Mapped[list[str]] = mapped_column(default=list)  # member ids
    deleted_at: Mapped[datetime | None]


class Attachment(IdMixin, OrgScopedMixin, AuditedMixin, Base):
    """An uploaded document; its bytes live in the storage backend under `storage_key`."""

    __tablename__ = "attachments"
    __audit_label__ = "filename"
    __audit_parent__ = ("projects", "project_id")
    __table_args__ = (
        Index("ix_attachments_subject", "subject_type", "subject_id"),
        CheckConstraint("size_bytes >= 0", name="size_not_negative"),
    )

    subject_type: Mapped[SubjectType] = mapped_column(str_enum(SubjectType))
    subject_id: Mapped[uuid.UUID] = mapped_column()
    project_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(300), unique=True)
    uploaded_by_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
