"""Every model, imported once so Alembic and the mapper see the whole schema."""

from mems.alerts.models import Alert, AlertRule, Delivery, NotificationChannel
from mems.approvals.models import ApprovalRecord, ApprovalRequest, ApprovalStep
from mems.channels.models import (
    AdCampaign,
    Benchmark,
    Channel,
    Creative,
    DataSource,
    IngestBatch,
    MetricChannelDaily,
    MetricDaily,
    MetricRecord,
)
from mems.checkins.models import DailyCheckIn
from mems.collab.models import Attachment, Comment
from mems.core.audit import AuditLog
from mems.core.models import Base, OutboxJob
from mems.finance.models import BudgetLine, CostEntry, ProjectBudget
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
    ProjectCodeCounter,
    ProjectGoalLink,
    ProjectMember,
    ProjectTemplate,
    Retrospective,
)
from mems.resources.models import Allocation, Resource
from mems.risks.models import WorkIssue
from mems.strategy.models import KeyResult, KeyResultCheckIn, Objective, StrategyPeriod
from mems.system.models import JobCheck
from mems.work.models import Baseline, CalendarDay, Phase, Reminder, Task, TaskDependency

__all__ = [
    "AdCampaign",
    "Alert",
    "AlertRule",
    "Allocation",
    "ApiToken",
    "ApprovalRecord",
    "ApprovalRequest",
    "ApprovalStep",
    "Attachment",
    "AuditLog",
    "AuthSession",
    "Base",
    "Baseline",
    "Benchmark",
    "BudgetLine",
    "CalendarDay",
    "Channel",
    "Comment",
    "CostEntry",
    "Creative",
    "DailyCheckIn",
    "DataSource",
    "Delivery",
    "IngestBatch",
    "Invitation",
    "JobCheck",
    "KeyResult",
    "KeyResultCheckIn",
    "LoginAttempt",
    "Membership",
    "MetricChannelDaily",
    "MetricDaily",
    "MetricRecord",
    "Notification",
    "NotificationChannel",
    "Objective",
    "OrgSetting",
    "Organization",
    "OutboxJob",
    "Phase",
    "Project",
    "ProjectBudget",
    "ProjectCodeCounter",
    "ProjectGoalLink",
    "ProjectMember",
    "ProjectTemplate",
    "Reminder",
    "Resource",
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
