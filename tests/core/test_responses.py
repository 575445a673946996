"""Fast JSON responses (core/responses.py): the same JSON the response model would send, and
a drift from the model fails loudly in tests."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import orjson
import pytest
from pydantic import BaseModel

from mems.core import responses
from mems.core.responses import ResponseDrift, json_response
from mems.identity.permissions import Role


class Row(BaseModel):
    id: uuid.UUID
    at: datetime
    on: date
    amount: Decimal
    role: Role
    note: str | None = None


def test_rows_serialise_as_their_model_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(responses, "VERIFY", True)
    row = {
        "id": uuid.uuid4(),
        "at": datetime(2026, 11, 30, 8, 0, 1, 250, tzinfo=UTC),
        "on": date(2026, 12, 1),
        "amount": Decimal("1234.50"),
        "role": Role.DIRECTOR,
        "note": None,
    }
    r = json_response([row], list[Row], headers={"ETag": '"3"'})
    assert r.headers["content-type"] == "application/json"
    assert r.headers["etag"] == '"3"'
    body = orjson.loads(r.body)
    assert body == [Row(**row).model_dump(mode="json")]
    assert body[0]["at"] == "2026-11-30T08:00:01.000250Z"
    assert body[0]["amount"] == "1234.50"


def test_a_row_that_drifts_from_its_model_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(responses, "VERIFY", True)
    row = {
        "id": str(uuid.uuid4()),
        "at": datetime(2026, 11, 30, tzinfo=UTC),
        "on": date(2026, 12, 1),
        "amount": 12.5,  # a float: the model sends "12.5"
        "role": "director",
        "extra": "not in the model",
    }
    with pytest.raises(ResponseDrift):
        json_response(row, Row)
