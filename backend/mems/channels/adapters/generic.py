"""MEMS's own webhook format: the body is a batch as the REST API takes it (`{"records":
[...]}`), signed with `X-MEMS-Timestamp` and `X-MEMS-Signature` (`core.signing`). A delivery
is named by its signature: the same signed request again, within the 5 minutes a signature
lives, is a replay and is refused."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from mems.channels.adapters.base import MalformedDelivery, json_object
from mems.core.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_generic

REPLAY_IS_ERROR = True


def verify(secret: str, headers: Mapping[str, str], body: bytes, now: datetime) -> str:
    signature = headers.get(SIGNATURE_HEADER.lower())
    verify_generic(secret, headers.get(TIMESTAMP_HEADER.lower()), signature, body, now)
    assert signature is not None  # verify_generic refuses a missing one
    return "sig:" + signature.strip().lower().removeprefix("sha256=")


def parse(body: bytes, channel: str | None) -> list[dict[str, Any]]:
    records = json_object(body).get("records")
    if not isinstance(records, list):
        raise MalformedDelivery("no records list")
    return records
