"""All routers (each made by `mems.core.routing.api_router`, so already under /api/v1)."""

from fastapi import APIRouter

from mems.alerts.router import router as alerts_router
from mems.approvals.router import router as approvals_router
from mems.channels.router import router as channels_router
from mems.checkins.router import router as checkins_router
from mems.collab.router import router as collab_router
from mems.finance.router import router as finance_router
from mems.identity.router import auth_router
from mems.identity.router import router as identity_router
from mems.notifications.router import router as notifications_router
from mems.orders.router import router as orders_router
from mems.projects.router import router as projects_router
from mems.resources.router import router as resources_router
from mems.risks.router import router as risks_router
from mems.strategy.router import router as strategy_router
from mems.system.router import public_router as system_public_router
from mems.system.router import router as system_router
from mems.work.router import router as work_router

ROUTERS: tuple[APIRouter, ...] = (
    system_public_router,
    auth_router,
    identity_router,
    system_router,
    strategy_router,
    projects_router,
    approvals_router,
    notifications_router,
    work_router,
    orders_router,
    checkins_router,
    risks_router,
    collab_router,
    finance_router,
    resources_router,
    channels_router,
    alerts_router,
)
