"""The caller's own notifications: list (newest first), unread count, mark read."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Request

from mems.core.db import SessionDep
from mems.core.errors import Forbidden, NotFound, Unauthorized, problem_responses, request_locale
from mems.core.i18n import Locale
from mems.core.pagination import Page, PageParamsDep
from mems.core.routing import api_router
from mems.identity.auth import Requires
from mems.identity.permissions import Permission
from mems.identity.principal import Principal
from mems.notifications import service
from mems.notifications.models import Notification
from mems.notifications.schemas import MarkedRead, NotificationRead, UnreadCount

router = api_router(tags=["notifications"], responses=problem_responses(Unauthorized, Forbidden))

Reader = Requires(Permission.NOTIFICATIONS_READ)


def _read(n: Notification, locale: Locale) -> NotificationRead:
    return NotificationRead(
        id=n.id,
        kind=n.kind,
        title=service.render_title(n, locale),
        body=service.render_body(n, locale),
        link_type=n.link_type,
        link_id=n.link_id,
        created_at=n.created_at,
        read_at=n.read_at,
    )


@router.get("/notifications", response_model=Page[NotificationRead])
async def list_notifications(
    request: Request,
    session: SessionDep,
    page: PageParamsDep,
    unread: Annotated[bool, Query(description="Only the unread ones")] = False,
    principal: Principal = Reader,
) -> Page[NotificationRead]:
    """The caller's notifications, newest first, rendered in the caller's language."""
    items, total = await service.list_mine(session, principal, page, unread_only=unread)
    locale = request_locale(request)
    return Page(
        items=[_read(n, locale) for n in items], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/notifications/unread-count", response_model=UnreadCount)
async def unread_count(session: SessionDep, principal: Principal = Reader) -> UnreadCount:
    """How many of the caller's notifications are unread (the bell's badge)."""
    return UnreadCount(unread=await service.unread_count(session, principal))


@router.post(
    "/notifications/{notification_id}/read",
    response_model=NotificationRead,
    responses=problem_responses(NotFound),
)
async def mark_read(
    notification_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    principal: Principal = Reader,
) -> NotificationRead:
    """Mark one of the caller's notifications read (again is fine). Anyone else's is 404."""
    n = await service.mark_read(session, principal, notification_id)
    return _read(n, request_locale(request))


@router.post("/notifications/read-all", response_model=MarkedRead)
async def mark_all_read(session: SessionDep, principal: Principal = Reader) -> MarkedRead:
    """Mark all the caller's unread notifications read."""
    return MarkedRead(marked=await service.mark_all_read(session, principal))
