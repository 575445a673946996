"""Alerts' bulk writes the ORM would make one statement per row."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mems.alerts.models import Alert, AlertState
from mems.core.audit import audit_bulk_deletes, audit_bulk_inserts, audit_bulk_updates

_ALERTS = cast(Table, Alert.__table__)


async def insert_alerts(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """New alerts (every column given) and their audit rows: two statements however many."""
    if not rows:
        return
    await session.execute(insert(_ALERTS), rows)
    await audit_bulk_inserts(session, Alert, rows)


async def keep_current(
    session: AsyncSession,
    org_id: uuid.UUID,
    kept: list[tuple[uuid.UUID, Decimal | None, Decimal | None, dict[str, Any]]],
    now: datetime,
) -> None:
    """The figures of alerts whose condition still holds (id, value, threshold, numbers), in
    one statement. Bookkeeping, not an edit: the version stays, so a person acknowledging an
    alert while the sweep refreshes it is not refused as stale."""
    if not kept:
        return
    a = _ALERTS.c
    stmt = (
        update(_ALERTS)
        .where(a.org_id == org_id, a.id == bindparam("alert_id"))
        .values(
            value=bindparam("new_value"),
            threshold=bindparam("new_threshold"),
            numbers=bindparam("new_numbers"),
            last_seen_at=now,
        )
    )
    await session.execute(
        stmt,
        [
            {"alert_id": i, "new_value": v, "new_threshold": t, "new_numbers": n}
            for i, v, t, n in kept
        ],
    )


async def resolve_all(
    session: AsyncSession, org_id: uuid.UUID, resolved: list[tuple[Alert, dict[str, Any]]]
) -> None:
    """Alerts resolved by themselves (their condition cleared), with the values each gets,
    in one UPDATE and one INSERT of audit rows. An alert someone resolved meanwhile is left
    as they left it."""
    if not resolved:
        return
    a = _ALERTS.c
    stmt = (
        update(_ALERTS)
        .where(a.org_id == org_id, a.id == bindparam("alert_id"), a.state != AlertState.RESOLVED)
        .values(
            state=AlertState.RESOLVED,
            resolved_at=bindparam("new_resolved_at"),
            resolved_by_member_id=None,
            value=bindparam("new_value"),
            numbers=bindparam("new_numbers"),
            last_seen_at=bindparam("new_resolved_at"),
            version=a.version + 1,
        )
    )
    await session.execute(
        stmt,
        [
            {
                "alert_id": alert.id,
                "new_resolved_at": values["resolved_at"],
                "new_value": values["value"],
                "new_numbers": values["numbers"],
            }
            for alert, values in resolved
        ],
    )
    await audit_bulk_updates(session, [(alert, values) for alert, values in resolved])


async def delete_alerts_of_rule(
    session: AsyncSession, org_id: uuid.UUID, rule_id: uuid.UUID
) -> None:
    """A rule's alerts deleted (their deliveries with them) and their audit rows written:
    three statements however many (the unit of work deletes versioned rows one at a time on
    PostgreSQL)."""
    alerts = list(
        (
            await session.scalars(
                select(Alert).where(Alert.org_id == org_id, Alert.rule_id == rule_id)
            )
        ).all()
    )
    if not alerts:
        return
    await session.execute(
        delete(_ALERTS).where(_ALERTS.c.org_id == org_id, _ALERTS.c.rule_id == rule_id)
    )
    await audit_bulk_deletes(session, alerts)
    for alert in alerts:  # gone from the database: nothing for the unit of work to do
        session.expunge(alert)
