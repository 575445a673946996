"""Every model, imported once so Alembic and the mapper see the whole schema."""

from mems.approvals.models import ApprovalRecord, ApprovalRequest, ApprovalStep
from mems.checkins.models import DailyCheckIn
from mems.collab.models import Attachment, Comment
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
from mems.orders.models import WorkOrder, WorkOrderCounter
from mems.projects.models import (
    Project,
    ProjectBudgetLine,
    ProjectCodeCounter,
    ProjectGoalLink,
    ProjectMember,
    ProjectTemplate,
    Retrospective,
)
from mems.risks.models import WorkIssue
from mems.strategy.models import KeyResult, KeyResultCheckIn, Objective, StrategyPeriod
from mems.system.models import JobCheck
from mems.work.models import Baseline, CalendarDay, Phase, Reminder, Task, TaskDependency

__all__ = [
    "ApiToken",
    "ApprovalRecord",
    "ApprovalRequest",
    "ApprovalStep",
    "Attachment",
    "AuditLog",
    "AuthSession",
    "Base",
    "Baseline",
    "CalendarDay",
    "Comment",
    "DailyCheckIn",
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
    "Phase",
    "Project",
    "ProjectBudgetLine",
    "ProjectCodeCounter",
    "ProjectGoalLink",
    "ProjectMember",
    "ProjectTemplate",
    "Reminder",
    "Retrospective",
    "StrategyPeriod",
    "Task",
    "TaskDependency",
    "Team",
    "TeamMember",
    "User",
    "WorkIssue",
    "WorkOrder",
    "WorkOrderCounter",
]
