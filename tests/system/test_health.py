from __future__ import annotations

import httpx


async def test_health_reports_database_and_jobs(client: httpx.AsyncClient, db_kind: str) -> None:
    r = await client.get("/api/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["database"]["dialect"] == ("sqlite" if db_kind == "sqlite" else "postgresql")
    assert body["redis"]["configured"] is False
    assert body["jobs"] == "in-process"
