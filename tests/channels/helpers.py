"""What the channel tests share: the default channels and records in MEMS's format."""

from __future__ import annotations

from typing import Any

import httpx

from tests.checkins.helpers import API


def record(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "channel": "douyin",
        "campaign": "c-100",
        "campaign_name": "双十一短视频",
        "date": "2026-11-20",
        "impressions": 10_000,
        "clicks": 150,
        "spend": "300.50",
        "conversions": 12,
        "revenue": "2400",
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


async def with_channels(admin: httpx.AsyncClient) -> dict[str, str]:
    """The default channels added; key -> id."""
    r = await admin.post(f"{API}/channel-defaults")
    assert r.status_code == 200, r.text
    return {c["key"]: c["id"] for c in r.json()}


async def send(client: httpx.AsyncClient, records: list[dict[str, Any]], **params: str) -> Any:
    return await client.post(f"{API}/channel-data", json={"records": records}, params=params)
