"""The alerts role matrix: everyone reads rules and alerts; admins, directors and project
managers keep rules and acknowledge and resolve alerts; directors and admins keep the
notification channels. Every operation × every role, allowed and refused both asserted
(harness: tests/permission_matrix.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.alerts.evaluation import Comparator, Severity
from mems.alerts.models import Alert, AlertRule, AlertState, NotificationChannel, ScopeKind
from mems.core.jobs import InProcessQueue
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.permission_matrix import API, Row, Setup, by_role, check_no_credential, check_roles, ids

EVERYONE = by_role(200, 200, 200, 200, 200, 200)
PLANNERS = by_role(200, 200, 200, 403, 403, 403)
KEEPERS = by_role(200, 200, 403, 403, 403, 403)

# by_role(admin, director, project_manager, member, finance, viewer)
MATRIX: list[Row] = [
    Row("GET", f"{API}/alert-rules", None, EVERYONE),
    Row(
        "POST",
        f"{API}/alert-rules",
        lambda c: {
            "name": f"规则{c['unique']}",
            "metric": "cpa",
            "comparator": "gt",
            "threshold": "50",
            "scope_kind": "org",
        },
        by_role(201, 201, 201, 403, 403, 403),
    ),
    Row("POST", f"{API}/alert-rule-runs", None, PLANNERS),
    Row("GET", f"{API}/alert-rules/{{rule_id}}", None, EVERYONE),
    Row(
        "PATCH",
        f"{API}/alert-rules/{{rule_id}}",
        lambda c: {"threshold": "60", "version": 1},
        PLANNERS,
    ),
    Row("DELETE", f"{API}/alert-rules/{{rule_id}}", None, by_role(204, 204, 204, 403, 403, 403)),
    Row("GET", f"{API}/alerts", None, EVERYONE),
    Row("GET", f"{API}/alerts/{{alert_id}}", None, EVERYONE),
    Row("POST", f"{API}/alerts/{{alert_id}}/acknowledge", lambda c: {"version": 1}, PLANNERS),
    Row("POST", f"{API}/alerts/{{alert_id}}/resolve", lambda c: {"version": 1}, PLANNERS),
    Row("GET", f"{API}/notification-channels", None, KEEPERS),
    Row(
        "POST",
        f"{API}/notification-channels",
        lambda c: {"name": f"邮件{c['unique']}", "kind": "email", "emails": ["ops@example.cn"]},
        by_role(201, 201, 403, 403, 403, 403),
    ),
    Row("GET", f"{API}/notification-channels/{{channel_id}}", None, KEEPERS),
    Row(
        "PATCH",
        f"{API}/notification-channels/{{channel_id}}",
        lambda c: {"min_severity": "critical", "version": 1},
        KEEPERS,
    ),
    Row(
        "DELETE",
        f"{API}/notification-channels/{{channel_id}}",
        None,
        by_role(204, 204, 403, 403, 403, 403),
    ),
    Row(
        "POST",
        f"{API}/notification-channels/{{channel_id}}/test",
        None,
        by_role(202, 202, 403, 403, 403, 403),
    ),
    Row("GET", f"{API}/notification-channels/{{channel_id}}/deliveries", None, KEEPERS),
]


async def prepare(s: Setup) -> dict[str, Any]:
    """An organisation-wide rule with an open alert; an e-mail notification channel."""
    org_id = s.org.org.id
    rule = AlertRule(
        org_id=org_id,
        name=f"CPA 过高-{s.unique}",
        metric="cpa",
        comparator=Comparator.GT,
        threshold=Decimal(50),
        scope_kind=ScopeKind.ORG,
    )
    s.session.add(rule)
    await s.session.flush()
    alert = Alert(
        org_id=org_id,
        rule_id=rule.id,
        scope_kind=ScopeKind.ORG,
        scope_key="org",
        scope_label="",
        state=AlertState.OPEN,
        severity=Severity.WARNING,
        metric="cpa",
        comparator=Comparator.GT,
        value=Decimal(80),
        threshold=Decimal(50),
        numbers={},
        suggestion="high_cpa",
    )
    channel = NotificationChannel(
        org_id=org_id, name=f"邮件-{s.unique}", kind="email", emails=["a@example.cn"]
    )
    s.session.add_all([alert, channel])
    await s.session.commit()
    return {"rule_id": rule.id, "alert_id": alert.id, "channel_id": channel.id, "unique": s.unique}


@pytest.mark.parametrize("row", MATRIX, ids=ids(MATRIX))
async def test_role_matrix(
    row: Row, api: ApiFactory, org: OrgWithMembers, session: AsyncSession, jobs: InProcessQueue
) -> None:
    await check_roles(row, prepare, api, org, session, jobs)


@pytest.mark.parametrize("row", MATRIX, ids=ids(MATRIX))
async def test_no_credential_is_401(
    row: Row, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await check_no_credential(row, client, session)
