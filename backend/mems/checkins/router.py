"""Daily checkins endpoints."""

from __future__ import annotations

from mems.core.errors import Forbidden, Unauthorized, ValidationFailed, problem_responses
from mems.core.routing import api_router

router = api_router(
    tags=["daily_checkins"],
    responses=problem_responses(Unauthorized, Forbidden, ValidationFailed),
)
