"""Every model, imported once so Alembic and the mapper see the whole schema."""

from mems.approvals.models import ApprovalRecord, ApprovalRequest, ApprovalStep
from mems.core.audit import AuditLog
from mems.core.models import Base, OutboxJob
from mems.identity.models import (
    ApiToken,
    AuthSession,
    Invitation,
    LoginAttempt,
    Membership,
    Organization,
    OrgSetting,
    Team,
    TeamMember,
    User,
)
from mems.notifications.models import Notification
from mems.projects.models import (
    Project,
    ProjectBudgetLine,
    ProjectCodeCounter,
    ProjectGoalLink,
    ProjectMember,
    ProjectPhase,
    ProjectTask,
    ProjectTemplate,
    Retrospective,
)
from mems.strategy.models import KeyResult, KeyResultCheckIn, Objective, StrategyPeriod
from mems.system.models import JobCheck

__all__ = [
    "ApiToken",
    "ApprovalRecord",
    "ApprovalRequest",
    "ApprovalStep",
    "AuditLog",
    "AuthSession",
    "Base",
    "Invitation",
    "JobCheck",
    "KeyResult",
    "KeyResultCheckIn",
    "LoginAttempt",
    "Membership",
    "Notification",
    "Objective",
    "OrgSetting",
    "Organization",
    "OutboxJob",
    "Project",
    "ProjectBudgetLine",
    "ProjectCodeCounter",
    "ProjectGoalLink",
    "ProjectMember",
    "ProjectPhase",
    "ProjectTask",
    "ProjectTemplate",
    "Retrospective",
    "StrategyPeriod",
    "Team",
    "TeamMember",
    "User",
]
