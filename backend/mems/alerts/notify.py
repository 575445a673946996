"""Telling people about alerts: in-app to the organisation's directors and admins, the
scope's project manager and the rule's author; and one delivery per active notification
channel whose minimum severity the alert reaches (sent by the job `alerts.deliver`, logged).

A notice's words are rendered in Chinese (the organisation's working language) when it is
sent to a chat bot; in-app notifications are rendered in each reader's language.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from sqlalchemy import Table, insert, select
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
from mems.core.i18n import Message, Term, _, term
from mems.core.jobs import enqueue_after_commit
from mems.identity import service as identity
from mems.notifications import service as notifications

FIRED = "alert.fired"
RESOLVED = "alert.resolved"
DIGEST = "alert.digest"  # many new alerts at once, for one reader
TEST = "test"  # a test message from the settings page
DIGEST_AFTER = 5
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


# How English names the metrics (other languages: their `term:metric:<metric>` entries).
_ENGLISH_METRICS = {
    "ctr": "CTR",
    "cvr": "CVR",
    "cpc": "CPC",
    "cpm": "CPM",
    "cpa": "CPA",
    "roas": "ROAS",
    "roi": "ROI",
    "spend_pace": "spend pace",
    "budget_use": "budget use",
}


def metric_term(metric: str) -> Term:
    """A metric's name in a message: CTR in English, 点击率 (CTR) in Chinese."""
    word = Term(_ENGLISH_METRICS.get(metric, metric))
    word.key = f"term:metric:{metric}"
    return word


def title_of(alert: Alert) -> Message:
    return _(
        "{scope}: {metric} is {value} (threshold {threshold})",
        scope=alert.scope_label or term("organisation", "scope"),
        metric=metric_term(alert.metric),
        value=shown(alert.metric, alert.value),
        threshold=shown(alert.metric, alert.threshold),
    )


def resolved_title_of(alert: Alert) -> Message:
    return _(
        "Resolved: {scope}: {metric} is back to {value}",
        scope=alert.scope_label or term("organisation", "scope"),
        metric=metric_term(alert.metric),
        value=shown(alert.metric, alert.value),
    )


@dataclass(frozen=True)
class Fired:
    """A new alert, its rule, and the manager of the project it concerns (if any)."""

    alert: Alert
    rule: AlertRule
    manager: uuid.UUID | None = None


def digest_title(count: int, critical: int) -> Message:
    return _("{count} new alerts, {critical} of them critical", count=count, critical=critical)


async def alerts_fired(session: AsyncSession, org_id: uuid.UUID, fired: list[Fired]) -> None:
    """Tell people about new alerts: the organisation's admins and directors, the scope's
    project manager and the rule's author in the app — one notice per alert, or one digest
    (linking to the alert center) for a person more than `DIGEST_AFTER` alerts concern at
    once, so a sweep that raises hundreds does not bury anyone; and each active notification
    channel the severity reaches, by a queued delivery. The alerts must have their ids."""
    if not fired:
        return
    people = await identity.active_member_ids_with_role(session, org_id, {"admin", "director"})
    concerns: dict[uuid.UUID, list[Fired]] = defaultdict(list)
    for f in fired:
        extra = (m for m in (f.manager, f.rule.created_by_member_id) if m is not None)
        for member in dict.fromkeys([*people, *extra]):
            concerns[member].append(f)
    told: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)  # alert id -> its readers
    notices = []
    for member, items in concerns.items():
        if len(items) > DIGEST_AFTER:
            critical = sum(1 for f in items if f.alert.severity == Severity.CRITICAL)
            notices.append(
                notifications.Notice([member], DIGEST, digest_title(len(items), critical))
            )
        else:
            for f in items:
                told[f.alert.id].append(member)
    notices.extend(
        notifications.Notice(
            told[f.alert.id],
            FIRED,
            title_of(f.alert),
            suggestions.text_for(f.alert.suggestion),
            ("alert", f.alert.id),
        )
        for f in fired
        if told[f.alert.id]
    )
    await notifications.notify_all(session, org_id, notices)
    await _queue_deliveries(session, org_id, [f.alert for f in fired], FIRED)


async def alerts_resolved(session: AsyncSession, org_id: uuid.UUID, alerts: list[Alert]) -> None:
    """Resolved alerts: their in-app notices settle, and the channels hear of it."""
    if not alerts:
        return
    await notifications.settle_all(session, org_id, FIRED, "alert", [a.id for a in alerts])
    await _queue_deliveries(session, org_id, alerts, RESOLVED)


async def _queue_deliveries(
    session: AsyncSession, org_id: uuid.UUID, alerts: list[Alert], event: str
) -> None:
    channels = (
        await session.scalars(
            select(NotificationChannel).where(
                NotificationChannel.org_id == org_id,
                NotificationChannel.active.is_(True),
            )
        )
    ).all()
    deliveries = [
        {
            "id": uuid.uuid4(),
            "org_id": org_id,
            "channel_id": channel.id,
            "alert_id": alert.id,
            "event": event,
            "status": DeliveryStatus.PENDING,
        }
        for alert in alerts
        for channel in channels
        if _RANK[alert.severity] >= _RANK[channel.min_severity]
    ]
    if deliveries:
        await session.execute(insert(cast(Table, Delivery.__table__)), deliveries)
    for delivery in deliveries:
        enqueue_after_commit(session, DELIVER_JOB, delivery_id=str(delivery["id"]))
