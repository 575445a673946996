"""The baseline: a bare FastAPI app with one asyncpg pool and one primary-key query.

`GET /members/{id}` runs the same query MEMS runs for `GET /api/v1/members/{id}` (a
membership joined to its user by primary key) and returns the same JSON fields as
`MemberRead`, written the way a minimal FastAPI endpoint is: no authentication, no tenant
scoping, no ORM, no session or transaction, no response model, no middleware.

    BENCH_PG_DSN=postgresql://postgres@127.0.0.1:5432/mems_bench \
        .venv/bin/uvicorn bare_app:app --app-dir bench --port 8102
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from fastapi import FastAPI, HTTPException, Request

DSN = os.environ.get("BENCH_PG_DSN", "postgresql://postgres@127.0.0.1:5432/mems_bench")
# The same number of connections MEMS may open (pool_size 10 + max_overflow 10).
POOL_MIN = int(os.environ.get("BENCH_POOL_MIN", "10"))
POOL_MAX = int(os.environ.get("BENCH_POOL_MAX", "20"))

QUERY = """
SELECT m.id, m.user_id, u.email, u.name, m.role, m.is_active,
       m.created_at, m.updated_at, m.version
FROM memberships AS m JOIN users AS u ON u.id = m.user_id
WHERE m.id = $1
"""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.pool = await asyncpg.create_pool(DSN, min_size=POOL_MIN, max_size=POOL_MAX)
    try:
        yield
    finally:
        await app.state.pool.close()


app = FastAPI(lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/members/{member_id}")
async def get_member(member_id: uuid.UUID, request: Request) -> Any:
    pool: asyncpg.Pool = request.app.state.pool
    row = await pool.fetchrow(QUERY, member_id)
    if row is None:
        raise HTTPException(404, "Member not found.")
    return dict(row)
