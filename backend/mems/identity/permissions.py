"""Roles and what each may do: the one table every route's permission check reads.

Add a permission here when a domain adds a capability, and grant it to roles in
`ROLE_PERMISSIONS`; routes declare `require(Permission.X)` and never test roles themselves.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    DIRECTOR = "director"
    PROJECT_MANAGER = "project_manager"
    MEMBER = "member"
    FINANCE = "finance"
    VIEWER = "viewer"


class Permission(StrEnum):
    ORG_READ = "org:read"
    ORG_MANAGE = "org:manage"
    MEMBERS_READ = "members:read"
    MEMBERS_MANAGE = "members:manage"
    TEAMS_MANAGE = "teams:manage"
    API_TOKENS_MANAGE = "api_tokens:manage"
    AUDIT_READ = "audit:read"
    SYSTEM_DIAGNOSE = "system:diagnose"
    STRATEGY_READ = "strategy:read"
    STRATEGY_MANAGE = "strategy:manage"
    KPI_CHECK_IN = "kpi:check_in"
    PROJECTS_READ = "projects:read"
    PROJECTS_WRITE = "projects:write"  # create; edit and move the projects one manages
    PROJECTS_MANAGE_ALL = "projects:manage_all"  # edit and move anyone's projects
    APPROVALS_READ = "approvals:read"
    APPROVALS_DECIDE = "approvals:decide"
    APPROVALS_DECIDE_ANY_STEP = "approvals:decide_any_step"  # act for any step's role (admins)
    NOTIFICATIONS_READ = "notifications:read"  # one's own notifications
    # Do the work: update one's tasks, check in, raise issues, request and handle work
    # orders, comment and upload (which project a write touches is the project policy's).
    WORK_WRITE = "work:write"
    CHECKINS_READ_ALL = "checkins:read_all"  # read everyone's daily check-ins
    COLLAB_MODERATE = "collab:moderate"  # delete anyone's comments and attachments (admins)
    BUDGET_READ = "budget:read"  # a project's budget figures and cost ledger
    # Record costs: on any project (finance), or on the projects one may manage (the project
    # policy's MANAGE right decides which).
    COSTS_RECORD = "costs:record"
    COSTS_VERIFY = "costs:verify"  # check a recorded cost against its receipt (finance)
    # Ask for budget and budget changes on the projects one may manage (approvers decide).
    BUDGET_REQUEST = "budget:request"
    RESOURCES_READ = "resources:read"  # the resource catalogue, allocations and workload
    # Keep the resource catalogue: people's capacity and rates, materials, channels, vendors,
    # venues.
    RESOURCES_MANAGE = "resources:manage"
    # Book resources for projects (which projects: the project policy's MANAGE right).
    RESOURCES_ALLOCATE = "resources:allocate"
    CHANNELS_READ = "channels:read"  # channels, campaigns, channel data and its batches
    # Keep channels, campaigns (and their projects) and data sources, with their secrets.
    CHANNELS_MANAGE = "channels:manage"
    CHANNEL_DATA_SEND = "channel_data:send"  # send channel data: REST batches, uploads
    ALERTS_READ = "alerts:read"  # alert rules and the alerts they raise
    ALERTS_HANDLE = "alerts:handle"  # acknowledge and resolve alerts
    ALERT_RULES_MANAGE = "alert_rules:manage"  # keep alert rules, run them now
    # Keep where alerts are sent: chat bots, webhooks, e-mail (their URLs and secrets).
    NOTIFICATION_CHANNELS_MANAGE = "notification_channels:manage"


# Everyone may make API tokens for their own integrations: a token holds a subset of its
# owner's permissions (never more), so it needs no permission of its own to be safe.
_EVERYONE = {
    Permission.API_TOKENS_MANAGE,
    Permission.ORG_READ,
    Permission.MEMBERS_READ,
    Permission.STRATEGY_READ,
    Permission.PROJECTS_READ,
    Permission.APPROVALS_READ,
    Permission.NOTIFICATIONS_READ,
    Permission.RESOURCES_READ,
    Permission.CHANNELS_READ,
    Permission.ALERTS_READ,
}
_DOERS = _EVERYONE | {Permission.KPI_CHECK_IN, Permission.WORK_WRITE}
_PLANNERS = {
    Permission.PROJECTS_WRITE,
    Permission.CHECKINS_READ_ALL,
    Permission.RESOURCES_MANAGE,
    Permission.RESOURCES_ALLOCATE,
    Permission.CHANNELS_MANAGE,
    Permission.CHANNEL_DATA_SEND,
    Permission.ALERTS_HANDLE,
    Permission.ALERT_RULES_MANAGE,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.DIRECTOR: frozenset(
        _DOERS
        | _PLANNERS
        | {
            Permission.STRATEGY_MANAGE,
            Permission.TEAMS_MANAGE,
            Permission.PROJECTS_MANAGE_ALL,
            Permission.APPROVALS_DECIDE,
            Permission.BUDGET_READ,
            Permission.BUDGET_REQUEST,
            Permission.COSTS_RECORD,
            Permission.NOTIFICATION_CHANNELS_MANAGE,
        }
    ),
    Role.PROJECT_MANAGER: frozenset(
        _DOERS
        | _PLANNERS
        | {Permission.BUDGET_READ, Permission.BUDGET_REQUEST, Permission.COSTS_RECORD}
    ),
    Role.MEMBER: frozenset(_DOERS),
    Role.FINANCE: frozenset(
        _DOERS
        | {
            Permission.APPROVALS_DECIDE,
            Permission.BUDGET_READ,
            Permission.COSTS_RECORD,
            Permission.COSTS_VERIFY,
            Permission.RESOURCES_MANAGE,
        }
    ),
    Role.VIEWER: frozenset(_EVERYONE | {Permission.BUDGET_READ}),
}


def role_allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
