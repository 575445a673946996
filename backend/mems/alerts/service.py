"""Alert rules, alerts and notification channels (预警, issue 11).

Rules are kept by those who plan (admins, directors, project managers); everyone reads rules
and alerts; the same planners acknowledge (someone is on it) and resolve (it is dealt with)
alerts — an alert also resolves itself when its condition clears. Notification channels (chat
bots, signed webhooks, e-mail) are kept by directors and admins; a URL is checked against
private and loopback addresses when saved and at every connection, and only an admin may
allow a private one (an intranet bot).
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mems.alerts import engine, notify, suggestions
from mems.alerts import repository as repo
from mems.alerts.evaluation import Comparator
from mems.alerts.models import (
    EMAIL,
    Alert,
    AlertRule,
    AlertState,
    Delivery,
    DeliveryStatus,
    NotificationChannel,
    ScopeKind,
)
from mems.alerts.schemas import (
    AlertAction,
    AlertRead,
    DeliveryRead,
    EvaluatedRead,
    NoticeChannelCreate,
    NoticeChannelRead,
    NoticeChannelUpdate,
    RuleCreate,
    RuleRead,
    RuleUpdate,
)
from mems.alerts.urlsafety import UnsafeUrl, check_url
from mems.channels import service as channels
from mems.core.clock import utcnow
from mems.core.errors import Conflict, Duplicate, FieldError, Forbidden, NotFound, ValidationFailed
from mems.core.i18n import Locale, _
from mems.core.jobs import enqueue_after_commit
from mems.core.pagination import PageParams
from mems.core.versioning import apply_changes, changes_to, check_version
from mems.identity.permissions import Permission
from mems.identity.principal import Principal
from mems.projects import service as projects

_SCOPE_FIELD = {
    ScopeKind.CHANNEL: "channel_id",
    ScopeKind.PROJECT: "project_id",
    ScopeKind.CAMPAIGN: "campaign_id",
}
_MONEY_OR_COUNT = frozenset(
    {"impressions", "clicks", "spend", "conversions", "revenue", "leads", "followers"}
)


async def _flush_named(session: AsyncSession, obj: object, *, add: bool, name: str) -> None:
    try:
        async with session.begin_nested():
            if add:
                session.add(obj)
            await session.flush()
    except IntegrityError as exc:
        raise Duplicate(
            _("The name {name} is taken.", name=name),
            errors=[FieldError(field="name", message="already taken", type="duplicate")],
        ) from exc


# ---- rules ------------------------------------------------------------------------------------


async def _scope_label(
    session: AsyncSession, principal: Principal, kind: ScopeKind, scope_id: uuid.UUID | None
) -> str | None:
    if scope_id is None:
        return None
    if kind == ScopeKind.CHANNEL:
        return (await channels.get_channel(session, principal, scope_id)).name
    if kind == ScopeKind.CAMPAIGN:
        return (await channels.get_campaign(session, principal, scope_id)).name
    if kind == ScopeKind.PROJECT:
        return (await projects.project_for(session, principal, scope_id)).name
    return None


def _check_rule(values: dict[str, Any]) -> None:
    metric, relative = values["metric"], values["relative"]
    if relative and metric in _MONEY_OR_COUNT:
        raise ValidationFailed.on(
            "relative",
            _(
                "Benchmarks are ratios (CTR, CVR, CPC, CPM, CPA, ROAS): {metric} has none.",
                metric=metric,
            ),
            "no_benchmark",
        )
    if relative and values["threshold"] <= 0:
        raise ValidationFailed.on(
            "threshold", _("A percent of the benchmark is more than zero."), "not_positive"
        )
    needs_kind = values["scope_kind"] in (ScopeKind.ORG, ScopeKind.PROJECT)
    if relative and needs_kind and values.get("benchmark_kind") is None:
        raise ValidationFailed.on(
            "benchmark_kind",
            _("Say which channels' benchmark applies to this scope (benchmark_kind)."),
            "required",
        )


async def _rule_reads(
    session: AsyncSession, principal: Principal, rules: list[AlertRule]
) -> list[RuleRead]:
    """The rules with their open alerts and scope names, in a constant number of statements."""
    open_counts = await repo.open_alert_counts(session, [r.id for r in rules])
    wanted: dict[ScopeKind, set[uuid.UUID]] = {}
    for r in rules:
        if r.scope_id is not None:
            wanted.setdefault(r.scope_kind, set()).add(r.scope_id)
    labels = await _labels(session, principal, wanted)
    return [
        RuleRead.model_validate(
            {
                **{c: getattr(r, c) for c in RuleRead.model_fields if hasattr(r, c)},
                "scope_label": labels.get(r.scope_id) if r.scope_id else None,
                "open_alerts": open_counts.get(r.id, 0),
            }
        )
        for r in rules
    ]


async def _labels(
    session: AsyncSession, principal: Principal, wanted: dict[ScopeKind, set[uuid.UUID]]
) -> dict[uuid.UUID, str]:
    out: dict[uuid.UUID, str] = {}
    if wanted.get(ScopeKind.CHANNEL):
        out |= {c.id: c.name for c in await channels.list_channels(session, principal)}
    if ids := wanted.get(ScopeKind.CAMPAIGN):
        out |= await channels.campaign_names(session, principal, ids)
    if ids := wanted.get(ScopeKind.PROJECT):
        out |= await repo.project_names(session, principal.org_id, ids)
    return out


async def _rule_read(session: AsyncSession, principal: Principal, rule: AlertRule) -> RuleRead:
    return (await _rule_reads(session, principal, [rule]))[0]


async def list_rules(session: AsyncSession, principal: Principal) -> list[RuleRead]:
    return await _rule_reads(session, principal, await repo.list_rules(session, principal.org_id))


async def _rule(session: AsyncSession, principal: Principal, rule_id: uuid.UUID) -> AlertRule:
    rule = await repo.get_rule(session, principal.org_id, rule_id)
    if rule is None:
        raise NotFound(_("Alert rule {rule_id} not found.", rule_id=rule_id))
    return rule


async def get_rule(session: AsyncSession, principal: Principal, rule_id: uuid.UUID) -> RuleRead:
    return await _rule_read(session, principal, await _rule(session, principal, rule_id))


async def create_rule(session: AsyncSession, principal: Principal, body: RuleCreate) -> RuleRead:
    ids = {f: getattr(body, f) for f in _SCOPE_FIELD.values()}
    own = _SCOPE_FIELD.get(body.scope_kind)
    stray = [f for f, v in ids.items() if v is not None and f != own]
    if stray:
        raise ValidationFailed.on(
            stray[0],
            _("A {kind} rule names no {field}.", kind=body.scope_kind.value, field=stray[0]),
            "not_for_scope",
        )
    scope_id = ids[own] if own else None
    values = body.model_dump(exclude=set(_SCOPE_FIELD.values()))
    _check_rule(values)
    await _scope_label(session, principal, body.scope_kind, scope_id)  # 404 outside the org
    rule = AlertRule(
        org_id=principal.org_id,
        scope_id=scope_id,
        created_by_member_id=principal.membership_id,
        **values,
    )
    await _flush_named(session, rule, add=True, name=body.name)
    return await _rule_read(session, principal, rule)


async def update_rule(
    session: AsyncSession,
    principal: Principal,
    rule_id: uuid.UUID,
    body: RuleUpdate,
    if_match: str | None,
) -> RuleRead:
    rule = await _rule(session, principal, rule_id)
    changes = changes_to(rule, body, if_match)
    current = {
        "metric": rule.metric,
        "relative": rule.relative,
        "threshold": rule.threshold,
        "scope_kind": rule.scope_kind,
        "benchmark_kind": rule.benchmark_kind,
    }
    _check_rule({**current, **changes})
    apply_changes(rule, changes)
    await _flush_named(session, rule, add=False, name=rule.name)
    return await _rule_read(session, principal, rule)


async def delete_rule(session: AsyncSession, principal: Principal, rule_id: uuid.UUID) -> None:
    """Delete a rule and its alerts (their record stays in the audit log)."""
    rule = await _rule(session, principal, rule_id)
    await repo.delete_alerts_of_rule(session, principal.org_id, rule.id)
    await session.delete(rule)
    await session.flush()


async def evaluate_now(session: AsyncSession, principal: Principal) -> EvaluatedRead:
    done = await engine.evaluate_org(session, principal.org_id)
    return EvaluatedRead(**done.__dict__)


# ---- alerts -----------------------------------------------------------------------------------


def alert_read(alert: Alert, rule: AlertRule, locale: Locale) -> AlertRead:
    return AlertRead(
        id=alert.id,
        rule_id=alert.rule_id,
        rule_name=rule.name,
        scope_kind=alert.scope_kind,
        scope_id=alert.scope_id,
        scope_label=alert.scope_label,
        project_id=alert.project_id,
        state=alert.state,
        severity=alert.severity,
        metric=alert.metric,
        comparator=Comparator(alert.comparator),
        value=alert.value,
        threshold=alert.threshold,
        benchmark=alert.benchmark,
        numbers=alert.numbers,
        suggestion=alert.suggestion,
        suggestion_text=suggestions.text_for(alert.suggestion).render(locale),
        window_unit=rule.window_unit,
        window_size=rule.window_size,
        opened_at=alert.opened_at,
        last_seen_at=alert.last_seen_at,
        acknowledged_at=alert.acknowledged_at,
        acknowledged_by_member_id=alert.acknowledged_by_member_id,
        resolved_at=alert.resolved_at,
        resolved_by_member_id=alert.resolved_by_member_id,
        auto_resolved=alert.resolved_at is not None and alert.resolved_by_member_id is None,
        note=alert.note,
        version=alert.version,
    )


async def list_alerts(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    locale: Locale,
    *,
    states: list[AlertState] | None,
    project_id: uuid.UUID | None,
) -> tuple[list[AlertRead], int]:
    rows, total = await repo.list_alerts(
        session, principal.org_id, params, states=states, project_id=project_id
    )
    return [alert_read(a, r, locale) for a, r in rows], total


async def _alert(
    session: AsyncSession, principal: Principal, alert_id: uuid.UUID
) -> tuple[Alert, AlertRule]:
    found = await repo.get_alert(session, principal.org_id, alert_id)
    if found is None:
        raise NotFound(_("Alert {alert_id} not found.", alert_id=alert_id))
    return found


async def get_alert(
    session: AsyncSession, principal: Principal, alert_id: uuid.UUID, locale: Locale
) -> AlertRead:
    alert, rule = await _alert(session, principal, alert_id)
    return alert_read(alert, rule, locale)


async def acknowledge(
    session: AsyncSession,
    principal: Principal,
    alert_id: uuid.UUID,
    body: AlertAction,
    locale: Locale,
) -> AlertRead:
    """Someone is on it: an open alert becomes acknowledged (it still resolves by itself)."""
    alert, rule = await _alert(session, principal, alert_id)
    check_version(alert.version, body.version)
    if alert.state != AlertState.OPEN:
        raise Conflict(
            _("Only an open alert is acknowledged; this one is {state}.", state=alert.state.value),
            reason="not_open",
            current_status=alert.state.value,
        )
    alert.state = AlertState.ACKNOWLEDGED
    alert.acknowledged_at = utcnow()
    alert.acknowledged_by_member_id = principal.membership_id
    alert.note = body.note or alert.note
    await session.flush()
    return alert_read(alert, rule, locale)


async def resolve(
    session: AsyncSession,
    principal: Principal,
    alert_id: uuid.UUID,
    body: AlertAction,
    locale: Locale,
) -> AlertRead:
    """It is dealt with: an open or acknowledged alert is resolved by the caller."""
    alert, rule = await _alert(session, principal, alert_id)
    check_version(alert.version, body.version)
    if alert.state == AlertState.RESOLVED:
        raise Conflict(
            _("This alert is resolved already."), reason="resolved", current_status="resolved"
        )
    alert.state = AlertState.RESOLVED
    alert.resolved_at = utcnow()
    alert.resolved_by_member_id = principal.membership_id
    alert.note = body.note or alert.note
    await session.flush()
    await notify.alerts_resolved(session, alert.org_id, [alert])
    return alert_read(alert, rule, locale)


# ---- notification channels --------------------------------------------------------------------


def _shown_url(url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    return (
        f"{parts.scheme}://{parts.netloc}/…" if parts.path not in ("", "/") or parts.query else url
    )


def channel_read(channel: NotificationChannel) -> NoticeChannelRead:
    return NoticeChannelRead(
        id=channel.id,
        name=channel.name,
        kind=channel.kind,
        url=_shown_url(channel.url),
        has_secret=channel.secret is not None,
        emails=channel.emails,
        min_severity=channel.min_severity,
        allow_private=channel.allow_private,
        active=channel.active,
        version=channel.version,
    )


async def _check_target(principal: Principal, values: dict[str, Any]) -> None:
    if values.get("allow_private") and not principal.can(Permission.ORG_MANAGE):
        raise Forbidden(_("Only an admin allows private or loopback addresses."))
    if values["kind"] == EMAIL:
        if not values.get("emails"):
            raise ValidationFailed.on("emails", _("An e-mail channel needs addresses."), "required")
        return
    url = values.get("url")
    if not url:
        raise ValidationFailed.on("url", _("This channel needs its URL."), "required")
    try:
        await check_url(url, allow_private=bool(values.get("allow_private")))
    except UnsafeUrl as exc:
        raise ValidationFailed.on(
            "url",
            _(
                "MEMS does not send to this address ({reason}): only public HTTPS addresses, "
                "unless an admin allows a private one.",
                reason=exc.reason,
            ),
            "unsafe_url",
        ) from exc


async def list_channels(session: AsyncSession, principal: Principal) -> list[NoticeChannelRead]:
    return [channel_read(c) for c in await repo.list_notice_channels(session, principal.org_id)]


async def _channel(
    session: AsyncSession, principal: Principal, channel_id: uuid.UUID
) -> NotificationChannel:
    channel = await repo.get_notice_channel(session, principal.org_id, channel_id)
    if channel is None:
        raise NotFound(_("Notification channel {channel_id} not found.", channel_id=channel_id))
    return channel


async def get_channel(
    session: AsyncSession, principal: Principal, channel_id: uuid.UUID
) -> NoticeChannelRead:
    return channel_read(await _channel(session, principal, channel_id))


async def create_channel(
    session: AsyncSession, principal: Principal, body: NoticeChannelCreate
) -> NoticeChannelRead:
    values = body.model_dump()
    await _check_target(principal, values)
    channel = NotificationChannel(org_id=principal.org_id, **values)
    await _flush_named(session, channel, add=True, name=body.name)
    return channel_read(channel)


async def update_channel(
    session: AsyncSession,
    principal: Principal,
    channel_id: uuid.UUID,
    body: NoticeChannelUpdate,
    if_match: str | None,
) -> NoticeChannelRead:
    channel = await _channel(session, principal, channel_id)
    changes = changes_to(channel, body, if_match)
    merged = {
        "kind": channel.kind,
        "url": channel.url,
        "emails": channel.emails,
        "allow_private": channel.allow_private,
        **changes,
    }
    if {"url", "emails", "allow_private"} & changes.keys():
        await _check_target(principal, merged)
    apply_changes(channel, changes)
    await _flush_named(session, channel, add=False, name=channel.name)
    return channel_read(channel)


async def delete_channel(
    session: AsyncSession, principal: Principal, channel_id: uuid.UUID
) -> None:
    await session.delete(await _channel(session, principal, channel_id))
    await session.flush()


async def send_test_message(
    session: AsyncSession, principal: Principal, channel_id: uuid.UUID
) -> DeliveryRead:
    """Queue a test message to the channel; its delivery says how it went."""
    channel = await _channel(session, principal, channel_id)
    delivery = Delivery(
        org_id=principal.org_id,
        channel_id=channel.id,
        event=notify.TEST,
        status=DeliveryStatus.PENDING,
    )
    session.add(delivery)
    await session.flush()
    enqueue_after_commit(session, notify.DELIVER_JOB, delivery_id=str(delivery.id))
    return DeliveryRead.model_validate(delivery)


async def list_deliveries(
    session: AsyncSession, principal: Principal, channel_id: uuid.UUID, params: PageParams
) -> tuple[list[DeliveryRead], int]:
    channel = await _channel(session, principal, channel_id)
    rows, total = await repo.list_deliveries(session, principal.org_id, channel.id, params)
    return [DeliveryRead.model_validate(d) for d in rows], total
