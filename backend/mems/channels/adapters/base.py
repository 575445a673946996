"""What adapters share."""

from __future__ import annotations

from typing import Any

import orjson


class MalformedDelivery(ValueError):
    """The body is not the adapter's format: not JSON, or not its shape."""


def json_object(body: bytes) -> dict[str, Any]:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise MalformedDelivery("not JSON") from exc
    if not isinstance(data, dict):
        raise MalformedDelivery("not a JSON object")
    return data
