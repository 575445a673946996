"""Telling people about alerts: in-app to the organisation's directors and admins, the
scope's project manager and the rule's author; and one delivery per active notification
channel whose minimum severity the alert reaches (sent by the job `alerts.deliver`, logged).

A notice's words are rendered in Chinese (the organisation's working language) when it is
sent to a chat bot; in-app notifications are rendered in each reader's language.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.alerts import suggestions
from mems.alerts.evaluation import Severity
from mems.alerts.models import (
    Alert,
    AlertRule,
    Delivery,
    DeliveryStatus,
    NotificationChannel,
)
from mems.core.i18n import Message, _, term
from mems.core.jobs import enqueue_after_commit
from mems.identity import service as identity
from mems.notifications import service as notifications

FIRED = "alert.fired"
RESOLVED = "alert.resolved"
DELIVER_JOB = "alerts.deliver"
_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}
PERCENT_METRICS = frozenset({"ctr", "cvr", "roi", "spend_pace", "budget_use"})
MONEY_METRICS = frozenset({"spend", "revenue", "cpc", "cpm", "cpa"})


def shown(metric: str, value: Decimal | None) -> str:
    """A figure as people read it: ratios as percents, money in yuan, counts whole."""
    if value is None:
        return "—"
    if metric in PERCENT_METRICS:
        return f"{value * 100:,.2f}%"
    if metric in MONEY_METRICS:
        return f"¥{value:,.2f}"
    if metric == "roas":
        return f"{value:,.2f}"
    return f"{value:,.0f}"


def title_of(alert: Alert) -> Message:
    return _(
        "{scope}: {metric} is {value} (threshold {threshold})",
        scope=alert.scope_label or term("organisation", "scope"),
        metric=term(alert.metric, "metric"),
        value=shown(alert.metric, alert.value),
        threshold=shown(alert.metric, alert.threshold),
    )


def resolved_title_of(alert: Alert) -> Message:
    return _(
        "Resolved: {scope}: {metric} is back to {value}",
        scope=alert.scope_label or term("organisation", "scope"),
        metric=term(alert.metric, "metric"),
        value=shown(alert.metric, alert.value),
    )


async def _recipients(
    session: AsyncSession, alert: Alert, rule: AlertRule, manager: uuid.UUID | None
) -> list[uuid.UUID]:
    people = await identity.active_member_ids_with_role(
        session, alert.org_id, {"admin", "director"}
    )
    extra = [m for m in (manager, rule.created_by_member_id) if m is not None]
    return [*people, *extra]


async def alert_fired(
    session: AsyncSession, alert: Alert, rule: AlertRule, manager: uuid.UUID | None
) -> None:
    await notifications.notify(
        session,
        alert.org_id,
        await _recipients(session, alert, rule, manager),
        FIRED,
        title=title_of(alert),
        body=suggestions.text_for(alert.suggestion),
        link=("alert", alert.id),
    )
    await _queue_deliveries(session, alert, FIRED)


async def alert_resolved(session: AsyncSession, alert: Alert) -> None:
    await notifications.settle(session, alert.org_id, FIRED, ("alert", alert.id))
    await _queue_deliveries(session, alert, RESOLVED)


async def _queue_deliveries(session: AsyncSession, alert: Alert, event: str) -> None:
    channels = (
        await session.scalars(
            select(NotificationChannel).where(
                NotificationChannel.org_id == alert.org_id,
                NotificationChannel.active.is_(True),
            )
        )
    ).all()
    for channel in channels:
        if _RANK[alert.severity] < _RANK[channel.min_severity]:
            continue
        delivery = Delivery(
            org_id=alert.org_id,
            channel_id=channel.id,
            alert_id=alert.id,
            event=event,
            status=DeliveryStatus.PENDING,
        )
        session.add(delivery)
        await session.flush()
        enqueue_after_commit(session, DELIVER_JOB, delivery_id=str(delivery.id))
