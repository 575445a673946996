"""Every model, imported once so Alembic and the mapper see the whole schema."""

from mems.core.audit import AuditLog
from mems.core.models import Base
from mems.identity.models import (
    ApiToken,
    AuthSession,
    LoginAttempt,
    Membership,
    Organization,
    Team,
    TeamMember,
    User,
)
from mems.strategy.models import KeyResult, KeyResultCheckIn, Objective, StrategyPeriod
from mems.system.models import JobCheck

__all__ = [
    "ApiToken",
    "AuditLog",
    "AuthSession",
    "Base",
    "JobCheck",
    "KeyResult",
    "KeyResultCheckIn",
    "LoginAttempt",
    "Membership",
    "Objective",
    "Organization",
    "StrategyPeriod",
    "Team",
    "TeamMember",
    "User",
]
