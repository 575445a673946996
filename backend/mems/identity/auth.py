"""Who is calling, and may they: the FastAPI authentication and permission dependencies.

The `Principal` they produce is defined in `identity.principal` (no web framework there):
services import it from that module, never from this one. Three ways in, one `Principal` out:
- `Authorization: Bearer <login access token>` (API clients after /auth/login),
- `Authorization: Bearer mems_pat_…` (a scoped API token for integrations),
- the `mems_session` HttpOnly cookie (the SPA); unsafe methods then need `X-CSRF-Token`.

Resolved principals are cached in-process for a few seconds (`PRINCIPAL_CACHE_SECONDS`), so
a hot GET costs one query, not three; any identity write clears the cache, and other
replicas see a revocation within that window.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mems.config import Settings
from mems.core.audit import Actor
from mems.core.clock import utcnow
from mems.core.db import (
    SAFE_METHODS,
    open_request_session,
    set_request_session_info,
    write_soon,
)
from mems.core.errors import Forbidden, Unauthorized
from mems.core.i18n import _, term
from mems.core.security import csrf_matches, token_hash
from mems.core.tenancy import TENANT, across_tenants
from mems.identity.models import ApiToken, AuthSession, Membership, User
from mems.identity.permissions import ROLE_PERMISSIONS, Permission, Role
from mems.identity.principal import API_TOKEN_PREFIX, Principal, principal_cache

SESSION_COOKIE = "mems_session"
CSRF_COOKIE = "mems_csrf"
DEVICE_COOKIE = "mems_device"  # marks a browser that has logged in to an account (throttling)
DEVICE_COOKIE_DAYS = 365
CSRF_HEADER = "x-csrf-token"


async def _load_session_principal(session: AsyncSession, hashed: str, via: str) -> Principal | None:
    now = utcnow()
    row = (
        await session.execute(
            across_tenants(  # who presents this credential is not yet known
                select(
                    AuthSession.id,
                    Membership.org_id,
                    Membership.id,
                    Membership.role,
                    User.id,
                    User.name,
                )
                .join(Membership, Membership.id == AuthSession.membership_id)
                .join(User, User.id == Membership.user_id)
                .where(
                    AuthSession.token_hash == hashed,
                    AuthSession.revoked_at.is_(None),
                    AuthSession.expires_at > now,
                    Membership.is_active.is_(True),
                    User.is_active.is_(True),
                )
            )
        )
    ).first()
    if row is None:
        return None
    sid, org_id, mid, role, uid, uname = row
    return Principal(uid, uname, org_id, mid, Role(role), via, sid, hashed)


async def _load_token_principal(request: Request, hashed: str) -> Principal | None:
    now = utcnow()
    session = open_request_session(request)
    row = (
        await session.execute(
            across_tenants(  # whose token this is is not yet known
                select(ApiToken, Membership.role, User.id, User.name)
                .join(Membership, Membership.id == ApiToken.membership_id)
                .join(User, User.id == Membership.user_id)
                .where(
                    ApiToken.token_hash == hashed,
                    ApiToken.revoked_at.is_(None),
                    Membership.is_active.is_(True),
                    User.is_active.is_(True),
                )
            )
        )
    ).first()
    if row is None:
        return None
    token, role, uid, uname = row
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token_id = token.id

        async def touch(write: AsyncSession) -> None:
            # A Core UPDATE: bookkeeping, not a change the audit log should show.
            await write.execute(
                across_tenants(
                    update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)
                )
            )

        await write_soon(request, touch)
    scopes = frozenset(Permission(s) for s in token.scopes if s in Permission._value2member_map_)
    return Principal(
        uid,
        uname,
        token.org_id,
        token.membership_id,
        Role(role),
        "api_token",
        token.id,
        hashed,
        scopes,
    )


async def resolve_principal(request: Request) -> Principal | None:
    """The caller, or None when no valid credential was presented."""
    cache = principal_cache
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _sep, credential = authorization.partition(" ")
        if scheme.lower() != "bearer" or not credential:
            raise Unauthorized(_("Use 'Authorization: Bearer <token>'."))
        via = "api_token" if credential.startswith(API_TOKEN_PREFIX) else "bearer"
    else:
        credential = request.cookies.get(SESSION_COOKIE, "")
        via = "session"
        if not credential:
            return None
    hashed = token_hash(credential)
    key = f"{via}:{hashed}"
    principal = cache.get(key)
    if principal is None:
        if via == "api_token":
            principal = await _load_token_principal(request, hashed)
        else:
            principal = await _load_session_principal(open_request_session(request), hashed, via)
        if principal is None:
            raise Unauthorized(_("The credential is invalid, expired or revoked."))
        cache.put(key, principal)
    if via == "session" and request.method not in SAFE_METHODS:
        presented = request.headers.get(CSRF_HEADER)
        settings: Settings = request.app.state.settings
        if not csrf_matches(settings.resolved_secret_key(), hashed, presented):
            raise Forbidden(
                _("Missing or wrong CSRF token (send the mems_csrf cookie value as X-CSRF-Token).")
            )
    return principal


async def current_principal(request: Request) -> Principal:
    principal = await resolve_principal(request)
    if principal is None:
        raise Unauthorized(_("Log in first."))
    # The audit hook reads who acts from the session.
    actor = Actor(
        principal.user_id, principal.org_id, principal.user_name, request.state.request_id
    )
    set_request_session_info(request, "actor", actor)
    set_request_session_info(request, TENANT, principal.org_id)  # the tenancy hook's filter
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require(permission: Permission) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """Route dependency: the caller must hold `permission` (by role, and by token scope)."""

    # Takes the request itself rather than depending on `current_principal`: one dependency
    # to solve per request instead of two.
    async def check(request: Request) -> Principal:
        principal = await current_principal(request)
        if not principal.can(permission):
            if principal.scopes is not None and permission in ROLE_PERMISSIONS[principal.role]:
                raise Forbidden(
                    _("This API token lacks the scope '{permission}'.", permission=permission)
                )
            raise Forbidden(
                _(
                    "Your role '{role}' does not allow '{permission}'.",
                    role=term(principal.role.value),
                    permission=permission,
                )
            )
        return principal

    check.required_permission = permission  # type: ignore[attr-defined]
    return check


def Requires(permission: Permission) -> Any:  # noqa: N802 - reads like a type in signatures
    return Depends(require(permission))


__all__ = [
    "CSRF_COOKIE",
    "SESSION_COOKIE",
    "CurrentPrincipal",
    "Requires",
    "current_principal",
    "require",
]
