"""JSON responses built straight from rows, for reads.

A read endpoint that returns Pydantic models pays for them twice: validating the rows into
models, then serialising the models. Reads that come from `ReadStatement` rows (plain dicts)
skip both: `json_response(rows, Model)` serialises them with orjson, and the route keeps
`response_model=Model` for the OpenAPI document and the generated client.

The model stays the contract: when `VERIFY` is on (the test suite: `ENVIRONMENT=test`), every
such response is also validated through its model and must serialise to the same JSON, so a
row that drifts from the documented shape fails the tests, not a client.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any
from uuid import UUID

import orjson
from fastapi import Response
from pydantic import TypeAdapter

VERIFY = False  # set by create_app from the settings (on in tests)
_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


# Written as their text: Decimals, and UUIDs of asyncpg's own class (orjson knows only the
# standard library's). Called once per such value (a Gantt has tens of thousands of ids):
# one isinstance for both.
_AS_TEXT = (UUID, Decimal)


def _default(value: Any) -> Any:
    if isinstance(value, _AS_TEXT):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(content: Any) -> bytes:
    return orjson.dumps(content, default=_default, option=_OPTIONS)


@cache
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


class ResponseDrift(AssertionError):
    """A fast response differs from what its response model would have sent."""


def json_response(
    content: Any, model: Any, *, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """`content` (dicts, lists and scalars; UUIDs, dates, Decimals, enums) as the JSON its
    `model` documents."""
    body = dumps(content)
    if VERIFY:
        adapter = _adapter(model)
        expected = adapter.dump_python(adapter.validate_python(content), mode="json", by_alias=True)
        actual = orjson.loads(body)
        if actual != expected:
            raise ResponseDrift(f"{model}: sent {actual!r}, the model says {expected!r}")
    return Response(body, status_code=status_code, headers=headers, media_type="application/json")
