"""How a domain declares its API routes.

Every router is made by `api_router`: its paths live under `/api/v1` and each route runs in
a unit of work (`mems.core.db.UnitOfWorkRoute`: one session, one commit point). The app adds
the routes themselves, not the routers (`main.create_app`): an included router is matched as
a nested group on every request, which costs more than the route it finally selects.
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.types import Receive, Scope, Send

from mems.core.db import UnitOfWorkRoute

API_PREFIX = "/api/v1"


def operation_id(route: APIRoute) -> str:
    """`<tag>-<function name>`: the names the generated SPA client calls."""
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def api_router(prefix: str = "", **kwargs: Any) -> APIRouter:
    return APIRouter(
        prefix=API_PREFIX + prefix,
        route_class=UnitOfWorkRoute,
        generate_unique_id_function=operation_id,
        **kwargs,
    )


def _literal_prefix(path: str, depth: int = 3) -> tuple[str, ...]:
    """The leading path segments without a parameter, at most `depth` of them."""
    out: list[str] = []
    for segment in path.strip("/").split("/")[:depth]:
        if not segment or "{" in segment:
            break
        out.append(segment)
    return tuple(out)


def index_routes(app: FastAPI) -> None:
    """Match a request only against the routes that can match it.

    The router tries its routes in order; with ~80 routes, matching an API request late in the
    list cost more than the rest of a fast read. Routes are grouped by their literal leading
    segments (`/api/v1/members/{id}` → api, v1, members); a request is matched, in the
    original order, against the routes whose literal prefix its path starts with (and routes
    with none, like the SPA's catch-all). A route of another group cannot match it anyway, so
    the outcome is the same. Call once, after every route is added."""
    router = app.router
    if router.middleware_stack != router.app:  # router-level middleware: leave it alone
        return
    routes = list(router.routes)
    keys = [_literal_prefix(getattr(route, "path", "")) for route in routes]
    views: dict[tuple[str, ...], Any] = {}

    def view(segments: tuple[str, ...]) -> Any:
        found = views.get(segments)
        if found is None:
            found = copy.copy(router)
            found.routes = [r for r, k in zip(routes, keys, strict=True) if segments[: len(k)] == k]
            if len(views) < 1000:
                views[segments] = found
        return found

    async def dispatch(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX + "/"):
            await router.app(scope, receive, send)
            return
        scope.setdefault("router", router)  # url_for sees every route
        await view(_literal_prefix(scope["path"])).app(scope, receive, send)

    router.middleware_stack = dispatch
