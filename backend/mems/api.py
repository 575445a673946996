"""All routers (each made by `mems.core.routing.api_router`, so already under /api/v1)."""

from fastapi import APIRouter

from mems.approvals.router import router as approvals_router
from mems.identity.router import auth_router
from mems.identity.router import router as identity_router
from mems.notifications.router import router as notifications_router
from mems.projects.router import router as projects_router
from mems.strategy.router import router as strategy_router
from mems.system.router import public_router as system_public_router
from mems.system.router import router as system_router

ROUTERS: tuple[APIRouter, ...] = (
    system_public_router,
    auth_router,
    identity_router,
    system_router,
    strategy_router,
    projects_router,
    approvals_router,
    notifications_router,
)
