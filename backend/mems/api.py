"""All routers under /api/v1."""

from fastapi import APIRouter

from mems.identity.router import auth_router
from mems.identity.router import router as identity_router
from mems.strategy.router import router as strategy_router
from mems.system.router import public_router as system_public_router
from mems.system.router import router as system_router

API_PREFIX = "/api/v1"

api_router = APIRouter(prefix=API_PREFIX)
api_router.include_router(system_public_router)
api_router.include_router(auth_router)
api_router.include_router(identity_router)
api_router.include_router(system_router)
api_router.include_router(strategy_router)
