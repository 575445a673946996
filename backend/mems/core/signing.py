"""Webhook signatures, one scheme for both directions (ARCHITECTURE: "outbound webhooks are
signed the same way"), plus Meta's for its deliveries.

MEMS's scheme: headers `X-MEMS-Timestamp: <unix seconds>` and
`X-MEMS-Signature: sha256=<hex HMAC-SHA256(secret, "{timestamp}." + raw body)>`. The timestamp
is inside the MAC, so a captured request cannot be replayed after the tolerance (5 minutes);
within it, the receiver remembers signatures it has seen. Meta's: `X-Hub-Signature-256:
sha256=<hex HMAC-SHA256(app secret, raw body)>`. Both are computed over the raw bytes as
received, never re-serialised JSON, and compared in constant time; a refusal is a
`SignatureRefused` whose `reason` the endpoint can log.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta
from typing import Literal

DEFAULT_TOLERANCE = timedelta(minutes=5)
TIMESTAMP_HEADER = "X-MEMS-Timestamp"
SIGNATURE_HEADER = "X-MEMS-Signature"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class SignatureRefused(Exception):
    """An inbound signature that does not check out; `reason` says why, for the log."""

    def __init__(self, reason: Literal["missing", "malformed", "stale", "bad_signature"]) -> None:
        super().__init__(reason)
        self.reason = reason


_SIGNATURE = re.compile(r"sha256=([0-9a-fA-F]{64})")
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


def sign_generic(secret: str, timestamp: int, body: bytes) -> str:
    """The `X-MEMS-Signature` value: `sha256=` + hex HMAC-SHA256(secret, "{timestamp}." + body).
    The timestamp is inside the MAC, so a captured request cannot be replayed later."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_generic(
    secret: str,
    timestamp_header: str | None,
    signature_header: str | None,
    body: bytes,
    now: datetime,
    tolerance: timedelta = DEFAULT_TOLERANCE,
) -> None:
    """Accept a generic-webhook request or raise `SignatureRefused`: `missing` (a header is
    absent or empty), `malformed`, `bad_signature` (wrong secret, tampered body or timestamp),
    `stale` (signed more than `tolerance` before or after `now`). The signature is checked
    before the time, so only a holder of the secret learns that a request was merely late."""
    if not secret:
        raise ValueError("no secret to verify with")
    if not timestamp_header or not signature_header:
        raise SignatureRefused("missing")
    presented = _SIGNATURE.fullmatch(signature_header.strip())
    if not _TIMESTAMP.fullmatch(timestamp_header.strip()) or presented is None:
        raise SignatureRefused("malformed")
    timestamp = int(timestamp_header.strip())
    expected = sign_generic(secret, timestamp, body).removeprefix("sha256=")
    if not hmac.compare_digest(expected, presented.group(1).lower()):
        raise SignatureRefused("bad_signature")
    if abs(_seconds(now) - timestamp) > tolerance.total_seconds():
        raise SignatureRefused("stale")


def verify_meta(app_secret: str, signature_header: str | None, body: bytes) -> None:
    """Meta's `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(raw body, app secret)>`, over the
    raw bytes as received. Raises `SignatureRefused` (`missing`, `malformed`, `bad_signature`)."""
    if not app_secret:
        raise ValueError("no app secret to verify with")
    if not signature_header:
        raise SignatureRefused("missing")
    presented = _SIGNATURE.fullmatch(signature_header.strip())
    if presented is None:
        raise SignatureRefused("malformed")
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, presented.group(1).lower()):
        raise SignatureRefused("bad_signature")


def _seconds(now: datetime) -> int:
    return (now - _EPOCH) // timedelta(seconds=1)
