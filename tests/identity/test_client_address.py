"""Login throttling counts the real client address: a spoofed X-Forwarded-For changes nothing.

The connection's peer is set with the ASGI transport's `client`; TRUSTED_PROXIES decides whether
the peer's forwarding headers are believed (mems.core.proxy).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.config import Settings
from mems.core.db import Database
from mems.core.jobs import InProcessQueue
from mems.identity.models import LoginAttempt
from mems.main import create_app
from tests.factories import PASSWORD, OrgWithMembers

NGINX = "172.30.80.10"
# Far more failures than any per-address allowance: guessing from one address must hit 429.
ATTEMPTS = 100


@asynccontextmanager
async def _app(settings: Settings, db: Database, jobs: InProcessQueue) -> AsyncIterator[FastAPI]:
    app = create_app(settings, db=db, jobs=jobs)
    async with app.router.lifespan_context(app):
        yield app


def _client(app: FastAPI, peer: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(peer, 5000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def _login(
    c: httpx.AsyncClient, email: str, password: str, forwarded_for: str | None = None
) -> httpx.Response:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return await c.post(
        "/api/v1/auth/login", json={"email": email, "password": password}, headers=headers
    )


async def _guess_until_throttled(c: httpx.AsyncClient, spoof: str) -> int:
    """Failed logins on new accounts, each with a new forged header: attempts before 429."""
    for i in range(ATTEMPTS):
        r = await _login(c, f"guess{i}@example.cn", "wrong", spoof.format(i=i))
        if r.status_code == 429:
            return i
        assert r.status_code == 401, r.text
    raise AssertionError(f"{ATTEMPTS} failed logins from one address were never throttled")


async def _recorded_ips(session: AsyncSession) -> set[str]:
    return set((await session.scalars(select(LoginAttempt.ip))).all())


async def test_spoofed_forwarded_for_from_a_direct_client_is_ignored(
    settings: Settings, db: Database, jobs: InProcessQueue, session: AsyncSession
) -> None:
    assert settings.trusted_proxies == ""  # the default: no proxy is believed
    async with _app(settings, db, jobs) as app, _client(app, "203.0.113.9") as c:
        await _guess_until_throttled(c, "10.9.{i}.1")
    assert await _recorded_ips(session) == {"203.0.113.9"}


async def test_behind_the_trusted_proxy_its_address_is_used_and_forgeries_are_not(
    settings: Settings,
    db: Database,
    jobs: InProcessQueue,
    session: AsyncSession,
    org: OrgWithMembers,
) -> None:
    trusted = settings.model_copy(update={"trusted_proxies": f"{NGINX}, 10.200.0.0/16"})
    async with _app(trusted, db, jobs) as app:
        async with _client(app, NGINX) as c:
            # nginx appends to (or replaces) what the client sent: the client's own entries
            # are to the left of the address nginx saw, and are never taken.
            await _guess_until_throttled(c, "10.9.{i}.1, 198.51.100.{i}, 203.0.113.9")
            # Another real client behind the same proxy is not throttled for it.
            ok = await _login(c, org.email("admin"), PASSWORD, "198.51.100.77")
            assert ok.status_code == 200, ok.text
        # The proxy's own network is not someone's address either.
        async with _client(app, "10.200.3.4") as c:
            r = await _login(c, "nobody@example.cn", "wrong", "203.0.113.50, 10.200.9.9")
            assert r.status_code == 401
    assert await _recorded_ips(session) == {"203.0.113.9", "198.51.100.77", "203.0.113.50"}


async def test_an_untrusted_peer_cannot_act_as_the_proxy(
    settings: Settings, db: Database, jobs: InProcessQueue, session: AsyncSession
) -> None:
    trusted = settings.model_copy(update={"trusted_proxies": NGINX})
    async with _app(trusted, db, jobs) as app, _client(app, "203.0.113.9") as c:
        await _guess_until_throttled(c, "{i}.0.0.1")
        r = await c.post(
            "/api/v1/auth/login",
            json={"email": "x@example.cn", "password": "wrong"},
            headers={"X-Real-IP": "198.51.100.1"},
        )
        assert r.status_code == 429
    assert await _recorded_ips(session) == {"203.0.113.9"}
