"""The role matrix: every endpoint × every role, allowed and refused both asserted.

`MATRIX` is the specification. It must name every operation under /api/v1 (except the
public /health and /auth/login); a new endpoint that is not added here fails
`test_matrix_covers_every_endpoint`, and a new route without an authentication dependency
fails `test_every_route_is_guarded`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.approvals import service as approvals_service
from mems.approvals.flow import RequestState
from mems.approvals.models import ApprovalRequest, RequestType
from mems.core.audit import AuditLog
from mems.core.clock import utcnow
from mems.core.jobs import InProcessQueue
from mems.core.security import new_token, token_hash
from mems.core.versioning import content_revision
from mems.identity.auth import (
    API_TOKEN_PREFIX,
    CurrentPrincipal,
    Principal,
    Requires,
    current_principal,
)
from mems.identity.models import ApiToken, Invitation, Membership, Organization, Team
from mems.identity.permissions import Permission, Role
from mems.notifications.models import Notification
from mems.projects.lifecycle import ProjectStatus
from mems.projects.models import Project, ProjectGoalLink, ProjectTemplate, ProjectType
from mems.projects.service import NAMING_SETTING
from mems.strategy.models import (
    Direction,
    GoalLevel,
    KeyResult,
    Objective,
    PeriodKind,
    StrategyPeriod,
)
from mems.system.models import JobCheck
from tests.conftest import ApiFactory
from tests.factories import PASSWORD, OrgWithMembers, make_user

API = "/api/v1"
PUBLIC = {
    ("GET", f"{API}/health"),
    ("POST", f"{API}/auth/login"),
    ("POST", f"{API}/auth/token"),
}
ROLES = (
    Role.ADMIN,
    Role.DIRECTOR,
    Role.PROJECT_MANAGER,
    Role.MEMBER,
    Role.FINANCE,
    Role.VIEWER,
)
PROBLEM = "application/problem+json"
OPENAPI_FILE = Path(__file__).resolve().parents[2] / "openapi.yaml"


def by_role(
    admin: int, director: int, project_manager: int, member: int, finance: int, viewer: int
) -> dict[Role, int]:
    """Expected status per role, in the column order of the table below."""
    return dict(
        zip(ROLES, (admin, director, project_manager, member, finance, viewer), strict=True)
    )


@dataclass
class Row:
    method: str
    path: str  # placeholders: {member_id}, {token_id}, {check_id}
    body: Callable[[dict[str, Any]], dict[str, Any]] | None
    expected: dict[Role, int]
    # Fill a placeholder from another prepared object, e.g. {"goal_id": "leaf_goal_id"}.
    use: dict[str, str] | None = None

    @property
    def id(self) -> str:
        return f"{self.method} {self.path.removeprefix(API)}"


# by_role(admin, director, project_manager, member, finance, viewer)
MATRIX: list[Row] = [
    Row("POST", f"{API}/auth/logout", None, by_role(204, 204, 204, 204, 204, 204)),
    Row("GET", f"{API}/me", None, by_role(200, 200, 200, 200, 200, 200)),
    Row("GET", f"{API}/org", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "PATCH",
        f"{API}/org",
        lambda c: {"name": "改名的品牌", "version": c["org_version"]},
        by_role(200, 403, 403, 403, 403, 403),
    ),
    Row("GET", f"{API}/members", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/members",
        lambda c: {
            "email": f"new-{c['unique']}@example.cn",
            "name": "新同事",
            "role": "member",
            "password": "long-enough-1",
        },
        by_role(202, 403, 403, 403, 403, 403),
    ),
    Row("GET", f"{API}/members/{{member_id}}", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "PATCH",
        f"{API}/members/{{member_id}}",
        lambda c: {"role": "viewer", "version": 1},
        by_role(200, 403, 403, 403, 403, 403),
    ),
    Row("DELETE", f"{API}/members/{{member_id}}", None, by_role(204, 403, 403, 403, 403, 403)),
    # Every role makes tokens for itself; a token never holds more than its owner.
    Row("GET", f"{API}/api-tokens", None, by_role(200, 200, 200, 200, 200, 200)),
    Row("GET", f"{API}/api-token-scopes", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/api-tokens",
        lambda c: {"name": f"集成-{c['unique']}", "scopes": ["org:read"]},
        by_role(201, 201, 201, 201, 201, 201),
    ),
    Row("DELETE", f"{API}/api-tokens/{{token_id}}", None, by_role(204, 204, 204, 204, 204, 204)),
    Row("POST", f"{API}/system/job-checks", None, by_role(202, 403, 403, 403, 403, 403)),
    Row(
        "GET", f"{API}/system/job-checks/{{check_id}}", None, by_role(200, 403, 403, 403, 403, 403)
    ),
    Row("GET", f"{API}/audit-logs", None, by_role(200, 403, 403, 403, 403, 403)),
    Row("GET", f"{API}/audit-logs/entity-types", None, by_role(200, 403, 403, 403, 403, 403)),
    Row("GET", f"{API}/teams", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/teams",
        lambda c: {"name": f"项目组-{c['unique']}"},
        by_role(201, 201, 403, 403, 403, 403),
    ),
    Row("GET", f"{API}/teams/{{team_id}}", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "PATCH",
        f"{API}/teams/{{team_id}}",
        lambda c: {"name": f"改名-{c['unique']}", "version": 1},
        by_role(200, 200, 403, 403, 403, 403),
    ),
    Row("DELETE", f"{API}/teams/{{team_id}}", None, by_role(204, 204, 403, 403, 403, 403)),
    # Strategy: everyone reads; admins and directors shape it; KPI owners check in.
    Row("GET", f"{API}/strategy-periods", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/strategy-periods",
        lambda c: {
            "name": f"P-{c['unique']}",
            "kind": "year",
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
        },
        by_role(201, 201, 403, 403, 403, 403),
    ),
    Row(
        "GET", f"{API}/strategy-periods/{{period_id}}", None, by_role(200, 200, 200, 200, 200, 200)
    ),
    Row(
        "PATCH",
        f"{API}/strategy-periods/{{period_id}}",
        lambda c: {"name": f"R-{c['unique']}", "version": 1},
        by_role(200, 200, 403, 403, 403, 403),
    ),
    Row(
        "DELETE",
        f"{API}/strategy-periods/{{period_id}}",
        None,
        by_role(204, 204, 403, 403, 403, 403),
        use={"period_id": "empty_period_id"},
    ),
    Row("GET", f"{API}/goals", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/goals",
        lambda c: {"period_id": str(c["period_id"]), "level": "company", "title": "新目标"},
        by_role(201, 201, 403, 403, 403, 403),
    ),
    Row("GET", f"{API}/goals/{{goal_id}}", None, by_role(200, 200, 200, 200, 200, 200)),
    Row("GET", f"{API}/goals/{{goal_id}}/tree", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "PATCH",
        f"{API}/goals/{{goal_id}}",
        lambda c: {"title": "改过的目标", "version": 1},
        by_role(200, 200, 403, 403, 403, 403),
    ),
    Row(
        "DELETE",
        f"{API}/goals/{{goal_id}}",
        None,
        by_role(204, 204, 403, 403, 403, 403),
        use={"goal_id": "leaf_goal_id"},
    ),
    Row("GET", f"{API}/kpis", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/kpis",
        lambda c: {
            "objective_id": str(c["goal_id"]),
            "name": "新增粉丝",
            "unit": "人",
            "baseline": "0",
            "target": "1000",
            "direction": "increase",
        },
        by_role(201, 201, 403, 403, 403, 403),
    ),
    Row("GET", f"{API}/kpis/{{kpi_id}}", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "PATCH",
        f"{API}/kpis/{{kpi_id}}",
        lambda c: {"name": "改名的KPI", "version": 1},
        by_role(200, 200, 403, 403, 403, 403),
    ),
    Row("DELETE", f"{API}/kpis/{{kpi_id}}", None, by_role(204, 204, 403, 403, 403, 403)),
    Row("GET", f"{API}/kpis/{{kpi_id}}/check-ins", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/kpis/{{kpi_id}}/check-ins",
        lambda c: {"value": "12.5"},
        by_role(201, 201, 201, 201, 201, 403),
    ),
    # Projects: everyone reads; admins, directors and project managers plan (a project
    # manager only the projects they own: every project here is owned by the caller).
    Row("GET", f"{API}/naming-convention", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "PUT",
        f"{API}/naming-convention",
        lambda c: {
            "revision": c["naming_revision"],
            "pattern": "{period}-{campaign}",
            "parts": {
                "period": {"kind": "period", "label": "期间"},
                "campaign": {"kind": "text", "label": "活动名"},
            },
        },
        by_role(200, 403, 403, 403, 403, 403),
    ),
    Row(
        "POST",
        f"{API}/naming-convention/check",
        lambda c: {"name": "2026Q4-双十一"},
        by_role(200, 200, 200, 200, 200, 200),
    ),
    Row("GET", f"{API}/project-templates", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "DELETE",
        f"{API}/project-templates/{{template_id}}",
        None,
        by_role(204, 403, 403, 403, 403, 403),  # saved by someone else: admins only
    ),
    Row("GET", f"{API}/projects", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/projects",
        lambda c: {
            "name": f"新项目-{c['unique']}",
            "type": "promotion",
            "template": "builtin:holiday_promotion",
            "starts_on": "2026-10-01",
            "ends_on": "2026-11-15",
            "goal_links": [{"objective_id": str(c["goal_id"])}],
        },
        by_role(201, 201, 201, 403, 403, 403),
    ),
    Row("GET", f"{API}/projects/{{project_id}}", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "PATCH",
        f"{API}/projects/{{project_id}}",
        lambda c: {"name": f"改名-{c['unique']}", "total_budget": "1000", "version": 1},
        by_role(200, 200, 200, 403, 403, 403),
    ),
    Row(
        "PUT",
        f"{API}/projects/{{project_id}}/goal-links",
        lambda c: {"goal_links": [{"objective_id": str(c["leaf_goal_id"])}], "version": 1},
        by_role(200, 200, 200, 403, 403, 403),
    ),
    Row(
        "PUT",
        f"{API}/projects/{{project_id}}/members",
        lambda c: {"members": [{"member_id": str(c["member_id"]), "role": "core"}], "version": 1},
        by_role(200, 200, 200, 403, 403, 403),
    ),
    Row(
        "POST",
        f"{API}/projects/{{project_id}}/transitions",
        lambda c: {"action": "submit", "version": 1},
        by_role(200, 200, 200, 403, 403, 403),
    ),
    Row(
        "PUT",
        f"{API}/projects/{{project_id}}/retrospective",
        lambda c: {"summary": "总结", "went_well": "顺利", "problems": "问题", "lessons": "经验"},
        by_role(200, 200, 200, 403, 403, 403),
        use={"project_id": "active_project_id"},
    ),
    Row(
        "POST",
        f"{API}/projects/{{project_id}}/save-as-template",
        lambda c: {"name": f"模板-{c['unique']}"},
        by_role(201, 201, 201, 403, 403, 403),
    ),
    # Approvals: everyone reads; admins set the flows; each step is decided by its role
    # (the pending request here was made by someone else and waits for the caller's role,
    # or for the director when the caller cannot decide; admins act for any role).
    Row("GET", f"{API}/approval-flows", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "PUT",
        f"{API}/approval-flows/{{request_type}}",
        lambda c: {
            "revision": c["flow_revision"],
            "steps": [{"role": "director"}, {"role": "finance", "min_amount": "100000"}],
        },
        by_role(200, 403, 403, 403, 403, 403),
    ),
    Row("GET", f"{API}/approvals", None, by_role(200, 200, 200, 200, 200, 200)),
    Row("GET", f"{API}/approvals/{{approval_id}}", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/approvals/{{approval_id}}/decisions",
        lambda c: {"decision": "approve", "comment": "同意"},
        by_role(201, 201, 403, 403, 201, 403),
    ),
    # One's own notifications: everyone reads and marks them.
    Row("GET", f"{API}/invitations", None, by_role(200, 403, 403, 403, 403, 403)),
    Row(
        "DELETE",
        f"{API}/invitations/{{invitation_id}}",
        None,
        by_role(204, 403, 403, 403, 403, 403),
    ),
    # One's own invitations and password: everyone, for themselves.
    Row("GET", f"{API}/me/invitations", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/me/invitations/{{invitation_id}}/accept",
        None,
        by_role(200, 200, 200, 200, 200, 200),
    ),
    Row(
        "POST",
        f"{API}/me/invitations/{{invitation_id}}/decline",
        None,
        by_role(204, 204, 204, 204, 204, 204),
    ),
    Row(
        "POST",
        f"{API}/me/password",
        lambda c: {"current_password": PASSWORD, "new_password": f"matrix-{c['unique']}"},
        by_role(204, 204, 204, 204, 204, 204),
    ),
    Row("GET", f"{API}/notifications", None, by_role(200, 200, 200, 200, 200, 200)),
    Row("GET", f"{API}/notifications/unread-count", None, by_role(200, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        f"{API}/notifications/{{notification_id}}/read",
        None,
        by_role(200, 200, 200, 200, 200, 200),
    ),
    Row("POST", f"{API}/notifications/read-all", None, by_role(200, 200, 200, 200, 200, 200)),
]


async def _prepare(session: AsyncSession, org: OrgWithMembers, role: Role) -> dict[str, Any]:
    """Fresh targets for one call: a member, a token owned by the caller, a job check, the
    strategy objects, projects owned by the caller (a draft linked to a goal, an active one),
    a saved template, and a pending approval request made by someone else."""
    user = await make_user(session, name="目标成员")
    target = Membership(
        id=uuid.uuid4(), org_id=org.org.id, user_id=user.id, role=Role.MEMBER, user=user
    )
    secret = new_token(API_TOKEN_PREFIX)
    token = ApiToken(
        org_id=org.org.id,
        membership_id=org.members[role].id,
        name="matrix",
        prefix=secret[:13],
        token_hash=token_hash(secret),
        scopes=["org:read"],
    )
    check = JobCheck(org_id=org.org.id, queue_mode="in-process")
    unique = uuid.uuid4().hex[:10]
    period = StrategyPeriod(
        id=uuid.uuid4(),
        org_id=org.org.id,
        name=f"Y-{unique}",
        kind=PeriodKind.YEAR,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    empty_period = StrategyPeriod(
        org_id=org.org.id,
        name=f"E-{unique}",
        kind=PeriodKind.YEAR,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
    )
    goal = Objective(
        id=uuid.uuid4(),
        org_id=org.org.id,
        period_id=period.id,
        level=GoalLevel.COMPANY,
        title="目标",
    )
    leaf = Objective(org_id=org.org.id, period_id=period.id, level=GoalLevel.TEAM, title="叶子")
    # The caller owns the KPI, so checking in is decided by the role alone.
    kpi = KeyResult(
        org_id=org.org.id,
        objective_id=goal.id,
        name="曝光",
        unit="次",
        baseline=Decimal(0),
        target=Decimal(100),
        direction=Direction.INCREASE,
        owner_member_id=org.members[role].id,
    )
    team = Team(org_id=org.org.id, name=f"T-{unique}")
    template = ProjectTemplate(
        org_id=org.org.id,
        name=f"模板-{unique}-saved",
        project_type=ProjectType.PROMOTION,
        content={"duration_days": 10, "phases": [], "budget_categories": ["其他"]},
    )
    caller = org.members[role].id

    def project(code: str, status: ProjectStatus, owner: uuid.UUID = caller) -> Project:
        return Project(
            id=uuid.uuid4(),
            org_id=org.org.id,
            code=f"M{unique}{code}",
            name=f"矩阵项目 {unique}{code}",  # names are unique among live projects
            type=ProjectType.PROMOTION,
            status=status,
            owner_member_id=owner,
            starts_on=date(2026, 10, 1),
            ends_on=date(2026, 11, 15),
        )

    draft = project("D", ProjectStatus.DRAFT)
    active = project("A", ProjectStatus.ACTIVE)
    # Someone else's project waits for approval; its step is decided by the caller's role
    # (the director's when the caller decides nothing; admins act for every role).
    requester_user = await make_user(session, name="申请人")
    requester = Membership(
        id=uuid.uuid4(),
        org_id=org.org.id,
        user_id=requester_user.id,
        role=Role.PROJECT_MANAGER,
        user=requester_user,
    )
    submitted = project("S", ProjectStatus.SUBMITTED, owner=requester.id)
    deciding = role.value if role in (Role.DIRECTOR, Role.FINANCE) else Role.DIRECTOR.value
    request = ApprovalRequest(
        org_id=org.org.id,
        request_type=RequestType.PROJECT_INITIATION,
        subject_id=submitted.id,
        title=submitted.name,
        amount=Decimal(1000),
        currency="CNY",
        requested_by_member_id=requester.id,
        state=RequestState.PENDING.value,
        steps={"items": [{"role": deciding, "min_amount": None}]},
        current_step=0,
        waiting_for_role=deciding,
    )
    session.add_all([target, requester, token, check, period, empty_period, team, template])
    await session.flush()
    session.add_all([goal, leaf, request])
    await session.flush()
    submitted.approval_request_id = request.id
    notification = Notification(
        org_id=org.org.id,
        recipient_member_id=caller,
        kind="approval.approved",
        title="Approved: {title}",
        params={"title": submitted.name},
    )
    # To the caller (accepting keeps their membership as it is; an admin may revoke it).
    invitation = Invitation(
        org_id=org.org.id,
        email=org.members[role].user.email,
        name="受邀人",
        role=Role.MEMBER,
        expires_at=utcnow() + timedelta(days=14),
    )
    session.add_all([kpi, draft, active, submitted, notification, invitation])
    await session.flush()
    session.add(ProjectGoalLink(org_id=org.org.id, project_id=draft.id, objective_id=goal.id))
    await session.commit()
    version = await session.scalar(
        select(Organization.version).where(Organization.id == org.org.id)
    )
    return {
        "member_id": target.id,
        "token_id": token.id,
        "check_id": check.id,
        "org_version": version,
        "unique": unique,
        "period_id": period.id,
        "empty_period_id": empty_period.id,
        "goal_id": goal.id,
        "leaf_goal_id": leaf.id,
        "kpi_id": kpi.id,
        "team_id": team.id,
        "template_id": template.id,
        "project_id": draft.id,
        "active_project_id": active.id,
        "approval_id": request.id,
        "notification_id": notification.id,
        "invitation_id": invitation.id,
        "request_type": RequestType.PROJECT_INITIATION.value,
        "naming_revision": content_revision(
            (await session.get(Organization, org.org.id)).settings.get(NAMING_SETTING)  # type: ignore[union-attr]
            or {}
        ),
        "flow_revision": approvals_service.flow_revision(
            *await approvals_service.flow_rules(session, org.org.id, RequestType.PROJECT_INITIATION)
        ),
    }


async def _send(c: httpx.AsyncClient, row: Row, ctx: dict[str, Any]) -> httpx.Response:
    path = row.path.format(**{**ctx, **{k: ctx[v] for k, v in (row.use or {}).items()}})
    body = row.body(ctx) if row.body else None
    return await c.request(row.method, path, json=body)


async def _audit_rows(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(AuditLog)) or 0)


def _assert_problem(r: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body: dict[str, Any] = r.json()
    assert body["type"] == f"urn:mems:problem:{slug}"
    assert body["status"] == status
    assert body["title"]
    return body


@pytest.mark.parametrize("row", MATRIX, ids=[r.id for r in MATRIX])
async def test_role_matrix(
    row: Row,
    api: ApiFactory,
    org: OrgWithMembers,
    session: AsyncSession,
    jobs: InProcessQueue,
) -> None:
    assert set(row.expected) == set(Role), "every role needs an expectation"
    for role in ROLES:
        c = await api(role)
        ctx = await _prepare(session, org, role)
        audit_before = await _audit_rows(session)
        r = await _send(c, row, ctx)
        await jobs.drain()  # a queued job shares the test's connection: let it finish
        expected = row.expected[role]
        if expected == 403:
            body = _assert_problem(r, 403, "forbidden")
            assert role.value in body["detail"], body
            # A refusal writes nothing.
            assert await _audit_rows(session) == audit_before, f"{role}: refused but audited"
        else:
            assert r.status_code == expected, f"{role}: {r.status_code} {r.text}"
            if expected == 204:
                assert r.content == b""
            else:
                assert r.headers["content-type"] == "application/json"
                assert isinstance(r.json(), dict | list)


@pytest.mark.parametrize("row", MATRIX, ids=[r.id for r in MATRIX])
async def test_no_credential_is_401(
    row: Row, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ctx = {
        "member_id": uuid.uuid4(),
        "token_id": uuid.uuid4(),
        "check_id": uuid.uuid4(),
        "org_version": 1,
        "unique": uuid.uuid4().hex[:10],
        **{
            key: uuid.uuid4()
            for key in (
                "period_id",
                "empty_period_id",
                "goal_id",
                "leaf_goal_id",
                "kpi_id",
                "team_id",
                "template_id",
                "project_id",
                "active_project_id",
                "approval_id",
                "notification_id",
                "invitation_id",
            )
        },
        "request_type": RequestType.PROJECT_INITIATION.value,
        "naming_revision": "any",
        "flow_revision": "any",
    }
    audit_before = await _audit_rows(session)
    r = await _send(client, row, ctx)
    _assert_problem(r, 401, "unauthorized")
    assert r.headers.get("www-authenticate", "").lower().startswith("bearer")
    assert await _audit_rows(session) == audit_before


def _operations_in(spec: dict[str, Any]) -> set[tuple[str, str]]:
    methods = {"get", "post", "put", "patch", "delete", "head", "options"}
    return {
        (method.upper(), path)
        for path, ops in spec["paths"].items()
        if path.startswith(API)
        for method in ops
        if method in methods
    }


def _guarded_operations() -> set[tuple[str, str]]:
    return {(r.method, r.path) for r in MATRIX}


def test_matrix_covers_every_endpoint_of_the_committed_openapi() -> None:
    spec = yaml.safe_load(OPENAPI_FILE.read_text())
    assert _operations_in(spec) - PUBLIC == _guarded_operations()


def test_matrix_covers_every_endpoint(app: FastAPI) -> None:
    assert _operations_in(app.openapi()) - PUBLIC == _guarded_operations()
    assert len({r.id for r in MATRIX}) == len(MATRIX), "duplicate rows"


def _route_contexts(app: FastAPI) -> list[Any]:
    """Every route with its effective dependencies (those of including routers too)."""
    try:  # FastAPI >= 0.16x keeps included routers nested; this flattens them.
        from fastapi.routing import iter_route_contexts
    except ImportError:  # pragma: no cover - older FastAPI: the routes are flat already
        return list(app.routes)
    return list(iter_route_contexts(app.routes))


def _dependency_calls(route: Any) -> set[Any]:
    calls: set[Any] = set()
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        calls.add(dep.call)
        stack.extend(dep.dependencies)
    return calls


def _is_guarded(route: Any) -> bool:
    calls = _dependency_calls(route)
    return current_principal in calls or any(hasattr(call, "required_permission") for call in calls)


def _api_routes(app: FastAPI) -> list[Any]:
    return [
        r
        for r in _route_contexts(app)
        if isinstance(getattr(r, "original_route", r), APIRoute) and (r.path or "").startswith(API)
    ]


def test_every_route_is_guarded(app: FastAPI) -> None:
    api_routes = _api_routes(app)
    seen: set[tuple[str, str]] = set()
    unguarded: list[str] = []
    for route in api_routes:
        for method in route.methods:
            seen.add((method, route.path))
            if (method, route.path) not in PUBLIC and not _is_guarded(route):
                unguarded.append(f"{method} {route.path}")
    assert unguarded == []
    # The walk really saw every route (and the public ones really are unguarded).
    assert seen - PUBLIC == _guarded_operations()
    public = [r for r in api_routes if any((m, r.path) in PUBLIC for m in r.methods)]
    assert len(public) == len(PUBLIC)
    assert not any(_is_guarded(r) for r in public)


async def _open_route() -> None:
    return None


async def _by_permission(_p: Principal = Requires(Permission.AUDIT_READ)) -> None:
    return None


async def _by_login(_p: CurrentPrincipal) -> None:
    return None


def test_the_guard_detector_detects() -> None:
    """`_is_guarded` tells guarded from unguarded routes, through nested routers too."""
    inner = APIRouter(prefix="/inner")
    inner.add_api_route("/open", _open_route)
    inner.add_api_route("/by-permission", _by_permission)
    inner.add_api_route("/by-login", _by_login)
    guarded_router = APIRouter(prefix="/guarded", dependencies=[Depends(current_principal)])
    guarded_router.add_api_route("/open", _open_route)
    outer = APIRouter(prefix=API)
    outer.include_router(inner)
    outer.include_router(guarded_router)
    probe = FastAPI()
    probe.include_router(outer)

    routes = {r.path: r for r in _api_routes(probe)}
    assert set(routes) == {
        f"{API}/inner/open",
        f"{API}/inner/by-permission",
        f"{API}/inner/by-login",
        f"{API}/guarded/open",
    }
    assert not _is_guarded(routes[f"{API}/inner/open"])
    assert _is_guarded(routes[f"{API}/inner/by-permission"])
    assert _is_guarded(routes[f"{API}/inner/by-login"])
    assert _is_guarded(routes[f"{API}/guarded/open"])


async def test_api_token_is_limited_to_its_scopes(app: FastAPI, api: ApiFactory) -> None:
    director = await api("director")
    r = await director.post(
        f"{API}/api-tokens", json={"name": "只读集成", "scopes": ["org:read", "api_tokens:manage"]}
    )
    assert r.status_code == 201, r.text
    secret = r.json()["token"]
    assert secret.startswith(API_TOKEN_PREFIX)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {secret}"},
    ) as token_client:
        me = await token_client.get(f"{API}/me")
        assert me.status_code == 200, me.text
        assert me.json()["via"] == "api_token"
        assert sorted(me.json()["permissions"]) == ["api_tokens:manage", "org:read"]
        assert (await token_client.get(f"{API}/org")).status_code == 200
        # The role allows members:read, the token's scopes do not.
        refused = await token_client.get(f"{API}/members")
        body = _assert_problem(refused, 403, "forbidden")
        assert "members:read" in body["detail"]
        # A token may not mint tokens, even with the scope.
        minted = await token_client.post(
            f"{API}/api-tokens", json={"name": "套娃", "scopes": ["org:read"]}
        )
        _assert_problem(minted, 403, "forbidden")


async def test_role_cannot_grant_scopes_it_does_not_hold(api: ApiFactory) -> None:
    viewer = await api("viewer")
    scopes = await viewer.get(f"{API}/api-token-scopes")
    assert scopes.status_code == 200
    assert "members:manage" not in scopes.json()
    assert set(scopes.json()) == {
        "org:read",
        "members:read",
        "strategy:read",
        "projects:read",
        "approvals:read",
        "notifications:read",
        "api_tokens:manage",
    }
    r = await viewer.post(
        f"{API}/api-tokens", json={"name": "越权", "scopes": ["org:read", "members:manage"]}
    )
    body = _assert_problem(r, 422, "validation-failed")
    assert [e["field"] for e in body["errors"]] == ["scopes[1]"]
