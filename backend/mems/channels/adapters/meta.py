"""Meta's webhook format (REFERENCE.md, Meta Marketing API).

A delivery is `{"object": …, "entry": [{"id", "time", "changes": [{"field", "value"}]}]}`,
signed `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`. A change's value
is an insights row, or `{"data": [rows]}`: `campaign_id, campaign_name, ad_id, ad_name,
date_start, impressions, clicks, spend, actions, action_values, account_currency`, numbers as
strings. Conversions are the purchase actions, leads the lead actions, revenue the purchase
action values; Meta's own ratios (ctr, cpc, cpm) are ignored: MEMS derives them from sums.

Each entry is an event (its id, time and the fields changed); a delivery is named by its
events, so Meta's retry of a delivery is recognised and answered 200 without a second batch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from mems.channels.adapters.base import MalformedDelivery, json_object
from mems.core.signing import verify_meta

REPLAY_IS_ERROR = False
SIGNATURE_HEADER = "x-hub-signature-256"
PURCHASES = frozenset(
    {"purchase", "omni_purchase", "offsite_conversion.fb_pixel_purchase", "onsite_web_purchase"}
)
LEADS = frozenset(
    {"lead", "onsite_conversion.lead_grouped", "offsite_conversion.fb_pixel_lead", "leadgen"}
)


def verify(secret: str, headers: Mapping[str, str], body: bytes, now: datetime) -> str:
    verify_meta(secret, headers.get(SIGNATURE_HEADER), body)
    events = sorted(_event_ids(json_object(body)))
    return "meta:" + hashlib.sha256("\n".join(events).encode()).hexdigest()


def _entries(payload: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    entries = payload.get("entry")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise MalformedDelivery("no entry list")
    return entries


def _event_ids(payload: Mapping[str, Any]) -> list[str]:
    ids = []
    for entry in _entries(payload):
        found = entry.get("changes")
        changes: list[Any] = found if isinstance(found, list) else []
        fields = ",".join(sorted(str(c.get("field")) for c in changes if isinstance(c, dict)))
        ids.append(f"{entry.get('id')}:{entry.get('time')}:{fields}")
    return ids


def parse(body: bytes, channel: str | None) -> list[dict[str, Any]]:
    records = []
    for entry in _entries(json_object(body)):
        changes = entry.get("changes")
        if not isinstance(changes, list):
            raise MalformedDelivery("an entry without changes")
        for change in changes:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                raise MalformedDelivery("a change without a value")
            rows = value.get("data", [value])
            if not isinstance(rows, list):
                raise MalformedDelivery("data is not a list")
            records += [_record(row, channel) for row in rows]
    return records


def _record(row: Any, channel: str | None) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise MalformedDelivery("an insights row is not an object")
    record: dict[str, Any] = {
        "campaign": row.get("campaign_id"),
        "campaign_name": row.get("campaign_name"),
        "creative": row.get("ad_id"),
        "creative_name": row.get("ad_name"),
        "date": row.get("date_start"),
        "impressions": row.get("impressions", 0),
        "clicks": row.get("clicks", 0),
        "spend": row.get("spend", "0"),
        "conversions": _sum(row.get("actions"), PURCHASES, whole=True),
        "leads": _sum(row.get("actions"), LEADS, whole=True),
        "revenue": _sum(row.get("action_values"), PURCHASES, whole=False),
        "currency": row.get("account_currency"),
    }
    if channel:
        record["channel"] = channel
    return {k: v for k, v in record.items() if v is not None}


def _sum(actions: Any, types: frozenset[str], *, whole: bool) -> Any:
    """The total of the actions of these types (Meta's values are strings)."""
    if actions is None:
        return 0
    if not isinstance(actions, list):
        raise MalformedDelivery("actions is not a list")
    total = Decimal(0)
    for action in actions:
        if isinstance(action, dict) and action.get("action_type") in types:
            try:
                total += Decimal(str(action.get("value", "0")))
            except InvalidOperation as exc:
                raise MalformedDelivery("an action value is not a number") from exc
    if not total.is_finite():
        raise MalformedDelivery("an action value is not a number")
    return int(total) if whole and total == total.to_integral_value() else str(total)
