"""Notifications: other domains call `notify`; members read, count and mark their own.

    await notifications.notify(
        session, org_id, {manager_id}, "approval.approved",
        title=_("Approved: {title}", title=request.title),
        link=("approval_request", request.id),
    )

The title and body are `_()` messages: their English template and parameters are stored and
rendered in the reader's language when read, so a message written by one person's action reads
in Chinese for one recipient and in English for another. Parameters must be JSON values.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.clock import utcnow
from mems.core.errors import NotFound
from mems.core.i18n import Locale, Message, Term, _
from mems.core.pagination import PageParams
from mems.identity.principal import Principal
from mems.notifications import repository as repo
from mems.notifications.models import Notification


@dataclass(frozen=True)
class Notice:
    """One thing to tell some members (duplicates among them collapse)."""

    recipient_ids: Iterable[uuid.UUID]
    kind: str
    title: Message
    body: Message | None = None
    link: tuple[str, uuid.UUID] | None = None


async def notify(
    session: AsyncSession,
    org_id: uuid.UUID,
    recipient_ids: Iterable[uuid.UUID],
    kind: str,
    *,
    title: Message,
    body: Message | None = None,
    link: tuple[str, uuid.UUID] | None = None,
) -> int:
    """Tell each recipient (members of `org_id`; duplicates collapse) that `kind` happened.
    Runs in the caller's transaction: the notification exists exactly when the change does.
    Returns how many were written."""
    return await notify_all(session, org_id, [Notice(recipient_ids, kind, title, body, link)])


async def notify_all(session: AsyncSession, org_id: uuid.UUID, notices: Iterable[Notice]) -> int:
    """Many notices at once, in one INSERT (no ORM objects: an alert sweep may write
    thousands)."""
    now = utcnow()
    rows = [
        {
            "id": uuid.uuid4(),
            "org_id": org_id,
            "recipient_member_id": recipient,
            "kind": notice.kind,
            "title": notice.title.template,
            "body": notice.body.template if notice.body else None,
            "params": params,
            "link_type": notice.link[0] if notice.link else None,
            "link_id": notice.link[1] if notice.link else None,
            "created_at": now,
        }
        for notice in notices
        for params in [
            _stored({**notice.title.params, **(notice.body.params if notice.body else {})})
        ]
        for recipient in dict.fromkeys(notice.recipient_ids)
    ]
    if rows:
        await session.execute(insert(cast(Table, Notification.__table__)), rows)
    return len(rows)


async def settle(
    session: AsyncSession, org_id: uuid.UUID, kind: str, link: tuple[str, uuid.UUID]
) -> int:
    """The notifications of `kind` about `link` no longer call for anything (e.g. the step they
    announced was decided, by their reader or someone else): mark them read for everyone."""
    return await settle_all(session, org_id, kind, link[0], [link[1]])


async def settle_all(
    session: AsyncSession,
    org_id: uuid.UUID,
    kind: str,
    link_type: str,
    link_ids: Iterable[uuid.UUID],
) -> int:
    """`settle` for many objects of one type, in one statement."""
    ids = list(link_ids)
    if not ids:
        return 0
    return await repo.mark_read_about(session, org_id, kind, link_type, ids, utcnow())


def _stored(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as JSON: a vocabulary word (`term(...)`) is kept as its value and key, so it
    is rendered in each reader's language too."""
    return {
        k: {"term": v.template, "key": v.key} if isinstance(v, Term) else v
        for k, v in params.items()
    }


def _loaded(params: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in params.items():
        if isinstance(v, dict) and set(v) == {"term", "key"}:
            word = Term(v["term"])
            word.key = v["key"]
            out[k] = word
        else:
            out[k] = v
    return out


def render_title(n: Notification, locale: Locale) -> str:
    return Message(n.title, _loaded(n.params)).render(locale)


def render_body(n: Notification, locale: Locale) -> str | None:
    return None if n.body is None else Message(n.body, _loaded(n.params)).render(locale)


async def list_mine(
    session: AsyncSession, principal: Principal, params: PageParams, *, unread_only: bool
) -> tuple[list[Notification], int]:
    return await repo.list_for(
        session, principal.org_id, principal.membership_id, params, unread_only=unread_only
    )


async def unread_count(session: AsyncSession, principal: Principal) -> int:
    return await repo.unread_count(session, principal.org_id, principal.membership_id)


async def mark_read(
    session: AsyncSession, principal: Principal, notification_id: uuid.UUID
) -> Notification:
    """Someone else's notification is not found, like a missing one."""
    n = await repo.get_for(session, principal.org_id, principal.membership_id, notification_id)
    if n is None:
        raise NotFound(_("Notification {id} not found.", id=str(notification_id)))
    if n.read_at is None:
        n.read_at = utcnow()
        await session.flush()
    return n


async def mark_all_read(session: AsyncSession, principal: Principal) -> int:
    return await repo.mark_all_read(session, principal.org_id, principal.membership_id, utcnow())
