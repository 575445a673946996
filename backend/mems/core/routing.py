"""How a domain declares its API routes.

Every router is made by `api_router`: its paths live under `/api/v1` and each route runs in
a unit of work (`mems.core.db.UnitOfWorkRoute`: one session, one commit point). The app adds
the routes themselves, not the routers (`main.create_app`): an included router is matched as
a nested group on every request, which costs more than the route it finally selects.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.routing import APIRoute

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
