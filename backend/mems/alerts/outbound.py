"""Outbound notifications: one notice, the HTTP request each chat platform expects (pure).

A `Notice` is what an alert has to say, already rendered in the organisation's language by the
caller (title, text, the button's label, labelled figures). `build_request` turns it into the
exact request for one channel; `mems.alerts.delivery` sends it. Formats and signatures follow
the platforms' documentation (REFERENCE.md, "Outbound chat notifications"):

- feishu: an interactive card, header colour by severity (red critical, orange warning, blue
  info), one lark_md block with the text, the figures and the link. With a secret, the body
  gets `timestamp` (seconds) and `sign` = Base64(HMAC-SHA256(key `"{ts}\\n{secret}"`, empty
  message)). Body at most 20 000 bytes.
- dingtalk: an actionCard with one button (markdown when there is no link). With a secret, the
  URL gets `timestamp` (ms) and `sign` = URL-encoded Base64(HMAC-SHA256(key secret, message
  `"{ms}\\n{secret}"`)) — Feishu's key and message reversed. Body at most 20 000 bytes.
- wecom: markdown, content at most 4096 bytes; no signing (the URL's `key` is the secret).
- slack: one mrkdwn section (at most 3000 characters) and a `text` fallback; no signing (the
  URL carries the token).
- webhook: our JSON `{event, title, text, severity, url, fields, data, sent_at}`, signed in
  headers: `X-MEMS-Timestamp: <unix seconds>` and
  `X-MEMS-Signature: sha256=<hex HMAC-SHA256(secret, "{ts}." + body)>`.

Feishu documents 20 KB per body; DingTalk documents none, and we hold it to the same so a
runaway text cannot be refused. Only the message's text and figures are shortened (cut on a
character, ending in "…"); the title (at most 200 characters) and the link always survive, and
the body is serialised after cutting, so it is always valid JSON and valid UTF-8.

Texts are inserted as they are: markdown in a campaign's name formats in Feishu, DingTalk and
WeCom (they define no escaping). Slack's three control characters `& < >` are escaped, as
Slack asks, so a name cannot forge a link.

The generic webhook is signed as inbound webhooks are (`mems.core.signing`, one scheme both
ways).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit
from uuid import UUID

from mems.core.signing import sign_generic

FEISHU_MAX_BODY = 20_000  # bytes; Feishu documents 20 KB
DINGTALK_MAX_BODY = 20_000  # bytes; not documented, held to Feishu's
WECOM_MAX_CONTENT = 4096  # bytes of the markdown content
SLACK_MAX_TEXT = 3000  # characters of a section's text
TITLE_MAX = 200  # characters
ELLIPSIS = "…"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class ChannelKind(StrEnum):
    FEISHU = "feishu"
    DINGTALK = "dingtalk"
    WECOM = "wecom"
    SLACK = "slack"
    WEBHOOK = "webhook"  # our generic signed JSON


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


@dataclass(frozen=True, slots=True, kw_only=True)
class Notice:
    """What to say. Every text is already in the reader's language (the caller renders it)."""

    title: str
    text: str  # plain text
    severity: str  # a Severity
    button: str  # the link's label: "查看" / "View"
    url: str | None = None  # the alert in MEMS
    fields: Sequence[tuple[str, str]] = ()  # (label, value): metric, value, threshold …
    event: str = "alert.fired"
    payload: Mapping[str, Any] = field(default_factory=dict)  # machine data (generic webhook)

    def __post_init__(self) -> None:
        if self.severity not in {s.value for s in Severity}:
            raise ValueError(f"unknown severity {self.severity!r}")


@dataclass(frozen=True, slots=True)
class OutboundRequest:
    kind: ChannelKind  # tells delivery how the platform reports errors
    url: str
    headers: dict[str, str]
    body: bytes
    method: str = "POST"


def build_request(
    kind: ChannelKind, url: str, secret: str | None, notice: Notice, now: datetime
) -> OutboundRequest:
    """The request that posts `notice` to a channel of `kind` at `url`, signed with `secret`
    when the channel has one (`now`: an aware datetime, the signature's time)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    secret = secret or None
    match ChannelKind(kind):
        case ChannelKind.FEISHU:
            body = _feishu_body(notice, secret, _seconds(now))
        case ChannelKind.DINGTALK:
            body = _dingtalk_body(notice)
            if secret:
                url = dingtalk_signed_url(url, secret, _milliseconds(now))
        case ChannelKind.WECOM:
            body = _dumps(_wecom_payload(notice))
        case ChannelKind.SLACK:
            body = _dumps(_slack_payload(notice))
        case ChannelKind.WEBHOOK:
            body = _generic_body(notice, now)
            headers = _headers()
            headers["X-MEMS-Event"] = notice.event
            if secret:
                timestamp = _seconds(now)
                headers["X-MEMS-Timestamp"] = str(timestamp)
                headers["X-MEMS-Signature"] = sign_generic(secret, timestamp, body)
            return OutboundRequest(ChannelKind.WEBHOOK, url, headers, body)
    return OutboundRequest(ChannelKind(kind), url, _headers(), body)


# --- signatures -------------------------------------------------------------------------


def feishu_sign(secret: str, timestamp: int) -> str:
    """Feishu: the key is `"{timestamp}\\n{secret}"` and the message is empty."""
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk: the key is the secret and the message `"{timestamp}\\n{secret}"` (Feishu's
    reversed). Base64, not yet URL-encoded."""
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """`url` with `timestamp` and `sign` appended to its query (replacing any already there);
    the rest of the query (the access token) is kept byte for byte."""
    parts = urlsplit(url)
    kept = [
        p for p in parts.query.split("&") if p and p.split("=", 1)[0] not in ("timestamp", "sign")
    ]
    signed = urlencode({"timestamp": timestamp_ms, "sign": dingtalk_sign(secret, timestamp_ms)})
    return urlunsplit(parts._replace(query="&".join([*kept, signed])))


# --- bodies -----------------------------------------------------------------------------

_FEISHU_TEMPLATE = {Severity.CRITICAL: "red", Severity.WARNING: "orange", Severity.INFO: "blue"}
_WECOM_COLOUR = {Severity.CRITICAL: "warning", Severity.WARNING: "warning", Severity.INFO: "info"}


def _feishu_body(notice: Notice, secret: str | None, timestamp: int) -> bytes:
    signature = (
        {"timestamp": str(timestamp), "sign": feishu_sign(secret, timestamp)} if secret else {}
    )
    link = f"\n\n[{_clean(notice.button)}]({notice.url})" if notice.url else ""

    def body(main: str) -> bytes:
        card = {
            "header": {
                "title": {"tag": "plain_text", "content": _title(notice)},
                "template": _FEISHU_TEMPLATE[Severity(notice.severity)],
            },
            "elements": [{"tag": "div", "text": {"tag": "lark_md", "content": main + link}}],
        }
        return _dumps({**signature, "msg_type": "interactive", "card": card})

    return _fit_body(_markdown_main(notice, "\n"), body, FEISHU_MAX_BODY)


def _dingtalk_body(notice: Notice) -> bytes:
    title = _title(notice)

    def body(main: str) -> bytes:
        text = f"### {title}\n\n{main}"
        if notice.url:
            card = {
                "title": title,
                "text": text,
                "singleTitle": _clean(notice.button),
                "singleURL": notice.url,
            }
            return _dumps({"msgtype": "actionCard", "actionCard": card})
        return _dumps({"msgtype": "markdown", "markdown": {"title": title, "text": text}})

    # DingTalk's markdown needs a blank line for a line break
    return _fit_body(_markdown_main(notice, "\n\n"), body, DINGTALK_MAX_BODY)


def _wecom_payload(notice: Notice) -> dict[str, Any]:
    colour = _WECOM_COLOUR[Severity(notice.severity)]
    head = f'<font color="{colour}">**{_title(notice)}**</font>\n'
    tail = f"\n[{_clean(notice.button)}]({notice.url})" if notice.url else ""
    lines = [f"> {_clean(label)}: {_clean(value)}" for label, value in notice.fields]
    main = "\n".join([_clean(notice.text), *lines])
    content = head + _fit(main, lambda m: _utf8_len(head + m + tail) <= WECOM_MAX_CONTENT) + tail
    return {"msgtype": "markdown", "markdown": {"content": content}}


def _slack_payload(notice: Notice) -> dict[str, Any]:
    title = _slack_escape(_title(notice))
    head = f"*{title}*\n"
    tail = f"\n<{notice.url}|{_slack_escape(_clean(notice.button))}>" if notice.url else ""
    lines = [f"*{label}:* {value}" for label, value in notice.fields]
    main = "\n".join([_clean(notice.text), *(_clean(line) for line in lines)])

    def section(m: str) -> str:
        return head + _slack_escape(m) + tail

    text = section(_fit(main, lambda m: len(section(m)) <= SLACK_MAX_TEXT))
    fallback_text = _clean(f"{_title(notice)}: {notice.text}")
    fallback = _fit(fallback_text, lambda m: len(_slack_escape(m)) <= SLACK_MAX_TEXT)
    return {
        "text": _slack_escape(fallback),
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


def _generic_body(notice: Notice, now: datetime) -> bytes:
    return _dumps(
        {
            "event": notice.event,
            "title": _clean(notice.title),
            "text": _clean(notice.text),
            "severity": notice.severity,
            "url": notice.url,
            "fields": [{"label": _clean(k), "value": _clean(v)} for k, v in notice.fields],
            "data": dict(notice.payload),
            "sent_at": now.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        }
    )


def _markdown_main(notice: Notice, newline: str) -> str:
    """The text, then one `**label**: value` line per figure."""
    lines = [f"**{_clean(label)}**: {_clean(value)}" for label, value in notice.fields]
    text = _clean(notice.text)
    return newline.join([text, *lines]) if lines else text


# --- helpers ----------------------------------------------------------------------------


def _fit(text: str, fits: Callable[[str], bool]) -> str:
    """`text`, or its longest prefix followed by "…" for which `fits` holds. Cut on characters
    of a str, so never inside a UTF-8 sequence; `fits` must only turn false as text grows."""
    if fits(text):
        return text
    if not fits(ELLIPSIS):
        raise ValueError("the message does not fit even without its text")
    short, long = 0, len(text)  # text[:short] + … fits, text[:long] + … does not
    while long - short > 1:
        middle = (short + long) // 2
        if fits(text[:middle] + ELLIPSIS):
            short = middle
        else:
            long = middle
    return text[:short] + ELLIPSIS


def _fit_body(main: str, render: Callable[[str], bytes], limit: int) -> bytes:
    """The body `render` makes from the longest prefix of `main` that keeps it within `limit`
    bytes."""
    return render(_fit(main, lambda m: len(render(m)) <= limit))


def _title(notice: Notice) -> str:
    title = _clean(notice.title)
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + ELLIPSIS


def _clean(text: str) -> str:
    """Text that encodes as UTF-8: a lone surrogate (only from broken input) becomes "?"."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _headers() -> dict[str, str]:
    return {"Content-Type": "application/json; charset=utf-8"}


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _dumps(data: Mapping[str, Any]) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_json_default)
    return text.encode("utf-8")


def _seconds(now: datetime) -> int:
    return (now - _EPOCH) // timedelta(seconds=1)


def _milliseconds(now: datetime) -> int:
    return (now - _EPOCH) // timedelta(milliseconds=1)
