"""The alerts domain's SQL: rules, alerts, notification channels and deliveries, and the bulk
writes the ORM would make one statement per row."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, bindparam, case, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mems.alerts.evaluation import Severity
from mems.alerts.models import Alert, AlertRule, AlertState, Delivery, NotificationChannel
from mems.core.audit import audit_bulk_inserts, audit_bulk_updates, delete_audited
from mems.core.pagination import PageParams, paginate
from mems.core.tenancy import scoped
from mems.projects import service as projects

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
    """A rule's alerts deleted (their deliveries with them), each recorded in the audit log,
    in three statements however many."""
    alerts = await session.scalars(scoped(Alert, org_id, Alert.rule_id == rule_id))
    await delete_audited(session, list(alerts.all()))


# ---- reads ------------------------------------------------------------------------------------


async def open_alert_counts(
    session: AsyncSession, rule_ids: list[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Per rule, its alerts not resolved."""
    if not rule_ids:
        return {}
    rows = await session.execute(
        select(Alert.rule_id, func.count())
        .where(Alert.rule_id.in_(rule_ids), Alert.state != AlertState.RESOLVED)
        .group_by(Alert.rule_id)
    )
    return {r[0]: int(r[1]) for r in rows.all()}


async def project_names(
    session: AsyncSession, org_id: uuid.UUID, ids: set[uuid.UUID]
) -> dict[uuid.UUID, str]:
    table = projects.projects_table()
    rows = await session.execute(
        select(table.id, table.name).where(table.org_id == org_id, table.id.in_(ids))
    )
    return {r.id: r.name for r in rows.all()}


async def list_rules(session: AsyncSession, org_id: uuid.UUID) -> list[AlertRule]:
    """Active ones first, by name."""
    stmt = scoped(AlertRule, org_id).order_by(AlertRule.active.desc(), AlertRule.name)
    return list((await session.scalars(stmt)).all())


async def get_rule(
    session: AsyncSession, org_id: uuid.UUID, rule_id: uuid.UUID
) -> AlertRule | None:
    return await session.scalar(scoped(AlertRule, org_id, AlertRule.id == rule_id))


async def list_alerts(
    session: AsyncSession,
    org_id: uuid.UUID,
    params: PageParams,
    *,
    states: list[AlertState] | None,
    project_id: uuid.UUID | None,
) -> tuple[list[tuple[Alert, AlertRule]], int]:
    """A page of alerts with their rules, and how many in all: open first, then
    acknowledged, then resolved; the most severe and newest first."""
    where = [Alert.org_id == org_id]
    if states:
        where.append(Alert.state.in_(states))
    if project_id is not None:
        where.append(Alert.project_id == project_id)
    total = await session.scalar(select(func.count()).select_from(Alert).where(*where))
    order: list[Any] = [
        (Alert.state == AlertState.RESOLVED),
        (Alert.state == AlertState.ACKNOWLEDGED),
        case(
            (Alert.severity == Severity.CRITICAL, 0),
            (Alert.severity == Severity.WARNING, 1),
            else_=2,
        ),
        Alert.opened_at.desc(),
        Alert.id,
    ]
    rows = await session.execute(
        select(Alert, AlertRule)
        .join(AlertRule, AlertRule.id == Alert.rule_id)
        .where(*where)
        .order_by(*order)
        .limit(params.limit)
        .offset(params.offset)
    )
    return [(a, r) for a, r in rows.all()], int(total or 0)


async def get_alert(
    session: AsyncSession, org_id: uuid.UUID, alert_id: uuid.UUID
) -> tuple[Alert, AlertRule] | None:
    row = (
        await session.execute(
            select(Alert, AlertRule)
            .join(AlertRule, AlertRule.id == Alert.rule_id)
            .where(Alert.org_id == org_id, Alert.id == alert_id)
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


async def list_notice_channels(
    session: AsyncSession, org_id: uuid.UUID
) -> list[NotificationChannel]:
    stmt = scoped(NotificationChannel, org_id).order_by(NotificationChannel.name)
    return list((await session.scalars(stmt)).all())


async def get_notice_channel(
    session: AsyncSession, org_id: uuid.UUID, channel_id: uuid.UUID
) -> NotificationChannel | None:
    return await session.scalar(
        scoped(NotificationChannel, org_id, NotificationChannel.id == channel_id)
    )


async def list_deliveries(
    session: AsyncSession, org_id: uuid.UUID, channel_id: uuid.UUID, params: PageParams
) -> tuple[list[Delivery], int]:
    """A channel's deliveries, newest first, and how many in all."""
    stmt = scoped(Delivery, org_id, Delivery.channel_id == channel_id).order_by(
        Delivery.created_at.desc(), Delivery.id
    )
    return await paginate(session, stmt, params)
