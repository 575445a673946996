"""Send one logged delivery (the job `alerts.deliver`): build the notice in the organisation's
language (a chat group is read by the team, not by one person), the
request in the channel's format (`outbound`), send it with retries through the SSRF-guarded
client (`delivery`), or by SMTP for e-mail channels, and write down how it went. A delivery
already sent or failed is left alone, so running the job twice sends once.

A round that fails in a way that may pass (the receiver down, throttling, a timeout; an SMTP
server not answering) is tried again later, `LATER_ROUNDS` apart (or after the wait a
throttling platform asks for, when longer): the delivery stays pending with its
`next_attempt_at`, and its job is queued to start then. After the last round it has failed.
A test message from the settings page is not tried later: it answers now or not at all; a
raised alert's notice whose alert is resolved by its later round is skipped.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import uuid
from datetime import timedelta
from email.message import EmailMessage

from sqlalchemy.ext.asyncio import AsyncSession

from mems.alerts import notify, suggestions
from mems.alerts.delivery import DeliveryResult, deliver, guarded_client
from mems.alerts.models import (
    EMAIL,
    Alert,
    AlertState,
    Delivery,
    DeliveryStatus,
    NotificationChannel,
)
from mems.alerts.outbound import ChannelKind, Notice, build_request
from mems.config import Settings, get_settings
from mems.core.clock import utcnow
from mems.core.i18n import DEFAULT_LOCALE, Locale, _
from mems.core.jobs import enqueue_after_commit
from mems.identity import service as identity

log = logging.getLogger("mems.alerts")

# The waits before each later round: a chat platform down for minutes, or DingTalk's ten-minute
# throttle, is outlasted; after about an hour and a half the delivery has failed.
LATER_ROUNDS = (timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1))
LONGEST_WAIT = timedelta(hours=2)  # a platform asking for longer is taken at this


def locale_of(org_locale: str) -> Locale:
    return "en" if org_locale.lower().startswith("en") else DEFAULT_LOCALE


def notice_of(
    alert: Alert | None, event: str, settings: Settings, locale: Locale = DEFAULT_LOCALE
) -> Notice:
    if alert is None:  # a test message from the settings page
        return Notice(
            title=_("MEMS notification test").render(locale),
            text=_("A test message: this channel can receive MEMS alerts.").render(locale),
            severity="info",
            button=_("Open MEMS").render(locale),
            url=settings.public_url or None,
            event=event,
        )
    title = notify.title_of(alert) if event == notify.FIRED else notify.resolved_title_of(alert)
    fields = [
        (_("Metric").render(locale), notify.metric_term(alert.metric).render(locale)),
        (_("Current value").render(locale), notify.shown(alert.metric, alert.value)),
        (_("Threshold").render(locale), notify.shown(alert.metric, alert.threshold)),
    ]
    if alert.benchmark is not None:
        benchmark = notify.shown(alert.metric, alert.benchmark)
        fields.append((_("Industry benchmark").render(locale), benchmark))
    base = settings.public_url.rstrip("/")
    return Notice(
        title=title.render(locale),
        text=suggestions.text_for(alert.suggestion).render(locale),
        severity=alert.severity.value,
        button=_("View alert").render(locale),
        url=f"{base}/alerts/{alert.id}" if base else None,
        fields=fields,
        event=event,
        payload={
            "alert_id": str(alert.id),
            "rule_id": str(alert.rule_id),
            "scope": alert.scope_label,
            "metric": alert.metric,
            "value": None if alert.value is None else str(alert.value),
            "threshold": None if alert.threshold is None else str(alert.threshold),
            "state": alert.state.value,
            "suggestion": alert.suggestion,
        },
    )


async def send(session: AsyncSession, delivery_id: uuid.UUID) -> DeliveryStatus | None:
    delivery = await session.get(Delivery, delivery_id)
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return None
    channel = await session.get(NotificationChannel, delivery.channel_id)
    alert = await session.get(Alert, delivery.alert_id) if delivery.alert_id else None
    if channel is None:
        return None
    settings = get_settings()
    locale = locale_of((await identity.org_of(session, delivery.org_id)).locale)
    if _stale(delivery, alert):
        delivery.status, delivery.next_attempt_at = DeliveryStatus.SKIPPED, None
        delivery.error = _(
            "Not sent: the alert was resolved before this notice could be delivered."
        ).render(locale)
        return delivery.status
    notice = notice_of(alert, delivery.event, settings, locale)
    delivery.rounds += 1
    delivery.next_attempt_at = None
    if channel.kind == EMAIL:
        may_pass = await _email(delivery, channel, notice, settings, locale)
        wait = None
    else:
        request = build_request(
            ChannelKind(channel.kind), channel.url or "", channel.secret, notice, utcnow()
        )
        async with guarded_client(allow_private=channel.allow_private) as client:
            result = await deliver(client, request)
        _record(delivery, result)
        may_pass, wait = result.retryable, result.retry_after
    if may_pass:  # failed, in a way that may pass
        _plan_later(session, delivery, wait)
    log.info(
        "delivery",
        extra={
            "delivery": str(delivery.id),
            "status": delivery.status,
            "kind": channel.kind,
            "round": delivery.rounds,
        },
    )
    return delivery.status


def _stale(delivery: Delivery, alert: Alert | None) -> bool:
    """A later round of a raised alert's notice, the alert resolved meanwhile: the team would
    be told of a problem that is over (its resolved notice goes out on its own)."""
    return (
        delivery.rounds > 0
        and delivery.event == notify.FIRED
        and alert is not None
        and alert.state == AlertState.RESOLVED
    )


def _plan_later(session: AsyncSession, delivery: Delivery, asked: float | None) -> None:
    """Keep a delivery whose round failed in a way that may pass pending, its job queued to
    start after the next wait (or the longer one the receiver asked for, up to LONGEST_WAIT)."""
    if delivery.event == notify.TEST or delivery.rounds > len(LATER_ROUNDS):
        return
    wait = LATER_ROUNDS[delivery.rounds - 1]
    if asked is not None:
        wait = min(max(wait, timedelta(seconds=asked)), LONGEST_WAIT)
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = utcnow() + wait
    enqueue_after_commit(
        session,
        notify.DELIVER_JOB,
        run_after=delivery.next_attempt_at,
        delivery_id=str(delivery.id),
    )


def _record(delivery: Delivery, result: DeliveryResult) -> None:
    delivery.attempts += len(result.attempts)
    delivery.status_code = result.status
    delivery.error = (result.error or None) and result.error[:500]
    delivery.response = result.attempts[-1].body[:500] if result.attempts else None
    delivery.status = DeliveryStatus.SENT if result.ok else DeliveryStatus.FAILED
    delivery.sent_at = utcnow() if result.ok else None


async def _email(
    delivery: Delivery,
    channel: NotificationChannel,
    notice: Notice,
    settings: Settings,
    locale: Locale,
) -> bool:
    """Send by SMTP; False when sent or failed for good, True when the failure may pass (the
    server unreachable or answering 4xx: try again later)."""
    delivery.attempts += 1
    if not settings.smtp_host:
        delivery.status = DeliveryStatus.FAILED
        delivery.error = _("E-mail is not set up on this server (SMTP_HOST).").render(locale)
        return False
    message = EmailMessage()
    message["Subject"] = notice.title
    message["From"] = settings.smtp_from
    message["To"] = ", ".join(channel.emails)
    colon = "：" if locale == "zh-CN" else ": "
    lines = [notice.text, "", *(f"{label}{colon}{value}" for label, value in notice.fields)]
    if notice.url:
        lines += ["", notice.url]
    message.set_content("\n".join(lines))
    try:
        await asyncio.to_thread(_smtp_send, settings, message)
    except (OSError, smtplib.SMTPException) as exc:
        delivery.status = DeliveryStatus.FAILED
        delivery.error = repr(exc)[:500]
        return _may_pass(exc)
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = utcnow()
    delivery.error = None
    return False


def _may_pass(exc: OSError) -> bool:
    """An SMTP failure worth another round: the server unreachable or gone mid-way, or its
    answer a 4xx (try later); not a 5xx, a refused recipient, a failed login."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPException):  # also an OSError: checked first
        return isinstance(exc, smtplib.SMTPServerDisconnected)
    return True  # refused, unreachable, timed out


def _smtp_send(settings: Settings, message: EmailMessage) -> None:
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)
