"""All routers, mounted under /api/v1.

They are included into the app one by one rather than through an aggregating router: each
level of nesting costs route matching time on every request.
"""

from fastapi import APIRouter

from mems.identity.router import auth_router
from mems.identity.router import router as identity_router
from mems.strategy.router import router as strategy_router
from mems.system.router import public_router as system_public_router
from mems.system.router import router as system_router

API_PREFIX = "/api/v1"

ROUTERS: tuple[APIRouter, ...] = (
    system_public_router,
    auth_router,
    identity_router,
    system_router,
    strategy_router,
)
