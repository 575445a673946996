"""Collaboration's SQL: comments, attachments, the activity feed."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ScalarSelect, SQLColumnExpression, and_, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.collab.models import Attachment, Comment, SubjectType
from mems.core.audit import AuditLog
from mems.core.db import ReadStatement
from mems.core.pagination import counted_page
from mems.core.tenancy import across_tenants, scoped
from mems.identity import service as identity

# ---- comments ------------------------------------------------------------------------------


async def get_comment(
    session: AsyncSession, org_id: uuid.UUID, comment_id: uuid.UUID
) -> Comment | None:
    return await session.scalar(scoped(Comment, org_id, Comment.id == comment_id))


_COMMENTS = ReadStatement(
    counted_page(
        select(
            Comment.id,
            Comment.subject_type,
            Comment.subject_id,
            Comment.author_member_id,
            identity.member_name_of(Comment.author_member_id).label("author_name"),
            Comment.body,
            Comment.mentions,
            Comment.deleted_at,
            Comment.created_at,
            Comment.updated_at,
            Comment.version,
        ).where(
            Comment.subject_type == bindparam("subject_type"),
            Comment.subject_id == bindparam("subject_id"),
        ),
        Comment.created_at,
        Comment.id,
    )
)


async def comments_page(
    session: AsyncSession,
    subject_type: SubjectType,
    subject_id: uuid.UUID,
    limit: int,
    offset: int,
) -> list[dict[str, Any]]:
    """A page of the subject's comments, oldest first, with their total (`counted_page`)."""
    return await _COMMENTS.all(
        session, subject_type=subject_type, subject_id=subject_id, limit=limit, offset=offset
    )


# ---- attachments ---------------------------------------------------------------------------


async def get_attachment(
    session: AsyncSession, org_id: uuid.UUID, attachment_id: uuid.UUID
) -> Attachment | None:
    return await session.scalar(scoped(Attachment, org_id, Attachment.id == attachment_id))


async def known_storage_keys(session: AsyncSession, keys: list[str]) -> set[str]:
    """Which of these storage keys an attachment row names (in any organisation)."""
    rows = await session.scalars(
        across_tenants(select(Attachment.storage_key).where(Attachment.storage_key.in_(keys)))
    )
    return set(rows.all())


_ATTACHMENTS = ReadStatement(
    counted_page(
        select(
            Attachment.id,
            Attachment.subject_type,
            Attachment.subject_id,
            Attachment.filename,
            Attachment.content_type,
            Attachment.size_bytes,
            Attachment.sha256,
            Attachment.uploaded_by_member_id,
            identity.member_name_of(Attachment.uploaded_by_member_id).label("uploaded_by_name"),
            Attachment.created_at,
        ).where(
            Attachment.subject_type == bindparam("subject_type"),
            Attachment.subject_id == bindparam("subject_id"),
        ),
        Attachment.created_at.desc(),
        Attachment.id,
    )
)


def attachment_count_of(
    subject_type: SubjectType,
    subject_id: SQLColumnExpression[uuid.UUID],
    org_id: SQLColumnExpression[uuid.UUID],
) -> ScalarSelect[int]:
    """SQL: how many files the subject `subject_id` refers to has (a correlated count)."""
    return (
        select(func.count(Attachment.id))
        .where(
            Attachment.org_id == org_id,
            Attachment.subject_type == subject_type,
            Attachment.subject_id == subject_id,
        )
        .scalar_subquery()
    )


async def attachments_page(
    session: AsyncSession,
    subject_type: SubjectType,
    subject_id: uuid.UUID,
    limit: int,
    offset: int,
) -> list[dict[str, Any]]:
    """A page of the subject's attachments, newest first, with their total."""
    return await _ATTACHMENTS.all(
        session, subject_type=subject_type, subject_id=subject_id, limit=limit, offset=offset
    )


# ---- activity ------------------------------------------------------------------------------

_ACTIVITY = ReadStatement(
    counted_page(
        select(
            AuditLog.id,
            AuditLog.created_at,
            AuditLog.actor_user_id,
            AuditLog.actor_name,
            AuditLog.action,
            AuditLog.entity_type,
            AuditLog.entity_id,
            AuditLog.entity_label,
            AuditLog.after,
        ).where(
            or_(
                and_(
                    AuditLog.parent_type == "projects",
                    AuditLog.parent_id == bindparam("project"),
                ),
                and_(
                    AuditLog.entity_type == "projects",
                    AuditLog.entity_id == bindparam("project"),
                ),
            )
        ),
        AuditLog.created_at.desc(),
        AuditLog.id.desc(),
    )
)


async def activity_page(
    session: AsyncSession, project_id: uuid.UUID, limit: int, offset: int
) -> list[dict[str, Any]]:
    """A page of the audit rows of the project and of what belongs to it, newest first, with
    their total: one statement."""
    return await _ACTIVITY.all(session, project=str(project_id), limit=limit, offset=offset)
