from __future__ import annotations

import io
import json
import logging

import httpx

from mems.core.logging import JsonFormatter, RequestIdFilter


async def test_every_response_and_log_line_carries_the_request_id(
    client: httpx.AsyncClient,
) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("mems.access")
    logger.addHandler(handler)
    try:
        r = await client.get("/api/v1/health")
        given = await client.get("/api/v1/health", headers={"X-Request-ID": "trace-abc.123"})
        bad = await client.get("/api/v1/health", headers={"X-Request-ID": "has spaces; and=junk"})
    finally:
        logger.removeHandler(handler)
    assert len(r.headers["x-request-id"]) == 32
    assert given.headers["x-request-id"] == "trace-abc.123"
    assert bad.headers["x-request-id"] != "has spaces; and=junk"
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["request_id"] for line in lines] == [
        r.headers["x-request-id"],
        "trace-abc.123",
        bad.headers["x-request-id"],
    ]
    assert lines[0]["status"] == 200
    assert lines[0]["path"] == "/api/v1/health"
    assert isinstance(lines[0]["duration_ms"], float)


async def test_problem_responses_carry_the_request_id(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/me")
    assert r.status_code == 401
    assert r.headers["x-request-id"]


async def test_unexpected_errors_are_500_problems_with_the_request_id() -> None:
    from fastapi import FastAPI

    from mems.core.errors import install_error_handlers
    from mems.core.middleware import RequestContextMiddleware

    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("kaputt")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        r = await c.get("/boom", headers={"X-Request-ID": "req-500"})
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["x-request-id"] == "req-500"
    assert r.json()["type"] == "urn:mems:problem:internal-error"
    assert "kaputt" not in r.text  # internals are logged, not shown
