"""Run an organisation's alert rules over its channel data (the job `alerts.evaluate_org`, after
every written batch and from a cron sweep).

Rules are grouped by what they need — window (days or hours, and how many) and grouping
(organisation, channel, campaign, project) — and each group's sums come from one statement
(`channels.rollups`); the open alerts and each rule's last alert come from two more. Each rule
× scope is then judged by the pure `evaluation.evaluate`, and the outcome applied: a new alert
(with its suggestion, in-app notifications and outbound deliveries), an open one kept current,
an open one resolved because the condition cleared. A thousand rules take a handful of
statements and well under a second.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession

from mems.alerts import evaluation, notify, suggestions
from mems.alerts import repository as repo
from mems.alerts.models import Alert, AlertRule, AlertState, ScopeKind, WindowUnit
from mems.channels import rollups
from mems.channels.rollups import ORG_KEY, ChannelKind, Grouping, Sums
from mems.core.clock import utcnow
from mems.core.db import advisory_xact_lock
from mems.identity import service as identity
from mems.projects import service as projects

log = logging.getLogger("mems.alerts")

_GROUPING = {
    ScopeKind.ORG: Grouping.ORG,
    ScopeKind.CHANNEL: Grouping.CHANNEL,
    ScopeKind.CAMPAIGN: Grouping.CAMPAIGN,
    ScopeKind.PROJECT: Grouping.PROJECT,
}


@dataclass
class Evaluated:
    rules: int = 0
    judged: int = 0
    fired: int = 0
    kept: int = 0
    resolved: int = 0


@dataclass(frozen=True)
class _Context:
    campaigns: dict[str, rollups.CampaignFact]
    channels: dict[str, rollups.ChannelFact]
    projects: dict[str, tuple[str, uuid.UUID]]  # id -> name, manager
    benchmarks: dict[tuple[ChannelKind, str], Decimal]


def to_rule(rule: AlertRule) -> evaluation.Rule:
    return evaluation.Rule(
        metric=rule.metric,
        comparator=rule.comparator,
        threshold=rule.threshold,
        relative=rule.relative,
        min_volume=rule.min_volume,
        cooldown=timedelta(minutes=rule.cooldown_minutes),
        severity=rule.severity,
    )


async def evaluate_org(
    session: AsyncSession, org_id: uuid.UUID, now: datetime | None = None
) -> Evaluated:
    now = now or utcnow()
    done = Evaluated()
    # One evaluation of an organisation at a time (a batch's job and the sweep may overlap):
    # both would see the same alert missing and raise it twice.
    await advisory_xact_lock(session, f"alerts:{org_id}")
    rules = list(
        (
            await session.scalars(
                select(AlertRule).where(AlertRule.org_id == org_id, AlertRule.active.is_(True))
            )
        ).all()
    )
    done.rules = len(rules)
    if not rules:
        return done
    org = await identity.org_of(session, org_id)
    local_now = now.astimezone(ZoneInfo(org.timezone))
    context = await _context(session, org_id)
    sums = await _window_sums(session, org_id, rules, local_now, context)
    unresolved, last_fired = await _states(session, org_id)
    fired: list[notify.Fired] = []
    kept: list[tuple[uuid.UUID, Decimal | None, Decimal | None, dict[str, Any]]] = []
    resolved: list[tuple[Alert, dict[str, Any]]] = []
    for rule in rules:
        judged = to_rule(rule)
        for key, observed in _scopes(rule, sums[_need(rule)]):
            done.judged += 1
            benchmark = _benchmark(rule, key, context)
            observation = evaluation.Observation(observed, benchmark=benchmark)
            alert = unresolved.get((rule.id, key))
            state = evaluation.AlertState(alert is not None, last_fired.get((rule.id, key)))
            outcome = evaluation.evaluate(judged, observation, state, now)
            if outcome.action == evaluation.Action.FIRE:
                fired.append(_fired(rule, key, outcome, benchmark, context, now))
            elif outcome.action == evaluation.Action.KEEP and alert is not None:
                kept.append(
                    (alert.id, outcome.value, outcome.effective_threshold, _numbers(outcome))
                )
            elif outcome.action == evaluation.Action.RESOLVE and alert is not None:
                resolved.append((alert, _resolved(outcome, now)))
        # An open alert whose scope has no data in the window any more is left as it is: no
        # data is not good news.
    # In bulk: the alerts (and their audit rows) in one flush, then their notices, deliveries
    # and outbox rows in another — a handful of statements however many fire.
    await repo.keep_current(session, org_id, kept, now)
    await repo.resolve_all(session, org_id, resolved)
    await repo.insert_alerts(session, [_row_of(f.alert) for f in fired])
    await notify.alerts_fired(session, org_id, fired)
    await notify.alerts_resolved(session, org_id, [alert for alert, _ in resolved])
    await session.flush()
    done.fired, done.kept, done.resolved = len(fired), len(kept), len(resolved)
    return done


def _need(rule: AlertRule) -> tuple[WindowUnit, int, Grouping]:
    return (rule.window_unit, rule.window_size, _GROUPING[rule.scope_kind])


async def _window_sums(
    session: AsyncSession,
    org_id: uuid.UUID,
    rules: list[AlertRule],
    local_now: datetime,
    context: _Context,
) -> dict[tuple[WindowUnit, int, Grouping], dict[str, Sums]]:
    out = {}
    for need in {_need(r) for r in rules}:
        unit, size, grouping = need
        if unit == WindowUnit.DAY:
            today = local_now.date()
            out[need] = await rollups.day_sums(
                session, org_id, grouping, today - timedelta(days=size - 1), today
            )
        else:
            since = local_now - timedelta(hours=size - 1)
            out[need] = await rollups.hour_sums(
                session,
                org_id,
                grouping,
                since.date(),
                since.hour,
                [uuid.UUID(c) for c in context.campaigns],
            )
    return out


def _scopes(rule: AlertRule, sums: dict[str, Sums]) -> list[tuple[str, Sums]]:
    """The scopes a rule judges: its one scope, or each with data (scope_id empty)."""
    if rule.scope_kind == ScopeKind.ORG:
        return [(ORG_KEY, sums[ORG_KEY])] if ORG_KEY in sums else []
    if rule.scope_id is not None:
        key = str(rule.scope_id)
        return [(key, sums[key])] if key in sums else []
    return sorted(sums.items())


async def _context(session: AsyncSession, org_id: uuid.UUID) -> _Context:
    campaigns = await rollups.campaign_facts(session, org_id)
    project_ids = {c.project_id for c in campaigns.values() if c.project_id is not None}
    table = projects.projects_table()
    names: dict[str, tuple[str, uuid.UUID]] = {}
    if project_ids:
        rows = await session.execute(
            select(table.id, table.name, table.owner_member_id).where(
                table.org_id == org_id, table.id.in_(project_ids)
            )
        )
        names = {str(r.id): (r.name, r.owner_member_id) for r in rows.all()}
    return _Context(
        campaigns,
        await rollups.channel_facts(session, org_id),
        names,
        await rollups.benchmark_grid(session, org_id),
    )


async def _states(
    session: AsyncSession, org_id: uuid.UUID
) -> tuple[dict[tuple[uuid.UUID, str], Alert], dict[tuple[uuid.UUID, str], datetime]]:
    open_alerts = (
        await session.scalars(
            select(Alert).where(Alert.org_id == org_id, Alert.state != AlertState.RESOLVED)
        )
    ).all()
    fired = await session.execute(
        select(Alert.rule_id, Alert.scope_key, func.max(Alert.opened_at))
        .where(Alert.org_id == org_id)
        .group_by(Alert.rule_id, Alert.scope_key)
    )
    return (
        {(a.rule_id, a.scope_key): a for a in open_alerts},
        {(r[0], r[1]): r[2] for r in fired.all()},
    )


def _kind_of(rule: AlertRule, key: str, context: _Context) -> ChannelKind | None:
    if rule.scope_kind == ScopeKind.CHANNEL and key in context.channels:
        return context.channels[key].kind
    if rule.scope_kind == ScopeKind.CAMPAIGN and key in context.campaigns:
        channel = context.channels.get(str(context.campaigns[key].channel_id))
        return channel.kind if channel else None
    return ChannelKind(rule.benchmark_kind) if rule.benchmark_kind else None


def _benchmark(rule: AlertRule, key: str, context: _Context) -> Decimal | None:
    kind = _kind_of(rule, key, context)
    return context.benchmarks.get((kind, rule.metric)) if kind is not None else None


def _label_and_project(
    rule: AlertRule, key: str, context: _Context
) -> tuple[str, uuid.UUID | None]:
    if rule.scope_kind == ScopeKind.CHANNEL:
        channel = context.channels.get(key)
        return (channel.name if channel else key), None
    if rule.scope_kind == ScopeKind.CAMPAIGN:
        campaign = context.campaigns.get(key)
        if campaign is None:
            return key, None
        channel = context.channels.get(str(campaign.channel_id))
        label = f"{channel.name} · {campaign.name}" if channel else campaign.name
        return label, campaign.project_id
    if rule.scope_kind == ScopeKind.PROJECT:
        name = context.projects.get(key, (key, None))[0]
        return name, uuid.UUID(key)
    return "", None


def _numbers(outcome: evaluation.Outcome) -> dict[str, Any]:
    return dict(outcome.numbers)


def _fired(
    rule: AlertRule,
    key: str,
    outcome: evaluation.Outcome,
    benchmark: Decimal | None,
    context: _Context,
    now: datetime,
) -> notify.Fired:
    label, project_id = _label_and_project(rule, key, context)
    suggestion = suggestions.suggest(
        rule.metric, outcome.value, outcome.effective_threshold, rule.comparator
    )
    alert = Alert(
        id=uuid.uuid4(),
        org_id=rule.org_id,
        rule_id=rule.id,
        scope_kind=rule.scope_kind,
        scope_id=None if key == ORG_KEY else uuid.UUID(key),
        scope_key=key,
        scope_label=label[:300],
        project_id=project_id,
        state=AlertState.OPEN,
        severity=rule.severity,
        metric=rule.metric,
        comparator=rule.comparator,
        value=outcome.value,
        threshold=outcome.effective_threshold,
        benchmark=benchmark,
        numbers=_numbers(outcome),
        suggestion=suggestion.key,
        opened_at=now,
        last_seen_at=now,
        created_at=now,
        updated_at=now,
        version=1,
    )
    manager = context.projects.get(str(project_id), (None, None))[1] if project_id else None
    return notify.Fired(alert, rule, manager)


_ALERT_COLUMNS = [attr.key for attr in sa_inspect(Alert).column_attrs]


def _row_of(alert: Alert) -> dict[str, Any]:
    """A new alert (built, never added to the session) as the row to insert, every column."""
    return {key: getattr(alert, key) for key in _ALERT_COLUMNS}


def _resolved(outcome: evaluation.Outcome, now: datetime) -> dict[str, Any]:
    """What an alert that resolved by itself (its condition cleared) gets."""
    return {
        "state": AlertState.RESOLVED,
        "resolved_at": now,
        "resolved_by_member_id": None,
        "value": outcome.value,
        "numbers": _numbers(outcome),
    }
