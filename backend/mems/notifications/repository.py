"""The SQL of notifications: always one organisation's, always one recipient's."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.pagination import PageParams, paginate
from mems.core.tenancy import scoped
from mems.notifications.models import Notification


async def list_for(
    session: AsyncSession,
    org_id: uuid.UUID,
    recipient_id: uuid.UUID,
    params: PageParams,
    *,
    unread_only: bool,
) -> tuple[list[Notification], int]:
    stmt = scoped(Notification, org_id, Notification.recipient_member_id == recipient_id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    stmt = stmt.order_by(Notification.created_at.desc(), Notification.id.desc())
    return await paginate(session, stmt, params)


async def unread_count(session: AsyncSession, org_id: uuid.UUID, recipient_id: uuid.UUID) -> int:
    total = await session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(
            Notification.org_id == org_id,
            Notification.recipient_member_id == recipient_id,
            Notification.read_at.is_(None),
        )
    )
    return int(total or 0)


async def get_for(
    session: AsyncSession, org_id: uuid.UUID, recipient_id: uuid.UUID, notification_id: uuid.UUID
) -> Notification | None:
    return await session.scalar(
        scoped(
            Notification,
            org_id,
            Notification.id == notification_id,
            Notification.recipient_member_id == recipient_id,
        )
    )


async def mark_read_about(
    session: AsyncSession,
    org_id: uuid.UUID,
    kind: str,
    link_type: str,
    link_ids: list[uuid.UUID],
    at: datetime,
) -> int:
    result = await session.execute(
        update(Notification)
        .where(
            Notification.org_id == org_id,
            Notification.kind == kind,
            Notification.link_type == link_type,
            Notification.link_id.in_(link_ids),
            Notification.read_at.is_(None),
        )
        .values(read_at=at)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def mark_all_read(
    session: AsyncSession, org_id: uuid.UUID, recipient_id: uuid.UUID, at: datetime
) -> int:
    result = await session.execute(
        update(Notification)
        .where(
            Notification.org_id == org_id,
            Notification.recipient_member_id == recipient_id,
            Notification.read_at.is_(None),
        )
        .values(read_at=at)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
