"""The cross-tenant sweep, generated from the route table: every operation of every domain's
role matrix (tests/<domain>/test_permissions.py; tests/test_permission_matrix.py fails when an
operation is missing from them) is called with another organisation's ids.

- An id in the path that names another organisation's object: 404, exactly like an id that
  does not exist, and nothing is written.
- Every `*_id` field of every request body in the OpenAPI schema, in turn naming another
  organisation's object of its kind (the rest of the body valid): 422 naming that field (or
  404 when the operation reads it as the object it acts on), and nothing is written.

The caller is the first role the matrix allows to make the call, with its own valid targets
from the domain's `prepare`; the other organisation gets the same targets from the same
`prepare`. A route added later is swept as soon as its row is in its domain's matrix.
"""

from __future__ import annotations

import importlib
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.channels.models import AdCampaign, Channel, ChannelKind
from mems.core.jobs import InProcessQueue
from mems.finance.categories import BudgetCategory
from mems.finance.models import BudgetLine, BudgetLineState
from mems.identity.models import Team
from mems.identity.permissions import Role
from mems.projects.models import Project, ProjectType
from mems.resources.models import Resource, ResourceKind
from mems.strategy.models import (
    Direction,
    GoalLevel,
    KeyResult,
    Objective,
    PeriodKind,
    StrategyPeriod,
)
from mems.work.models import Phase, Task
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.permission_matrix import ROLES, Prepare, Row, Setup, assert_problem, audit_rows

TESTS = Path(__file__).resolve().parent


def _domains() -> list[tuple[str, Row, Prepare]]:
    out = []
    for path in sorted(TESTS.glob("*/test_permissions.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.test_permissions")
        for row in module.MATRIX:
            out.append((path.parent.name, row, module.prepare))
    return out


CASES = _domains()


def _placeholders(row: Row) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(row.path) if name]


def _id_placeholders(row: Row) -> list[str]:
    return [name for name in _placeholders(row) if name.endswith("_id")]


def _as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _id_fields(body: Any, ctx: dict[str, Any], path: tuple[Any, ...] = ()) -> list[Any]:
    """Where the body names a prepared object: (location in the body, context key)."""
    found: list[Any] = []
    if isinstance(body, dict):
        for key, value in body.items():
            found += _id_fields(value, ctx, (*path, key))
    elif isinstance(body, list):
        for i, value in enumerate(body):
            found += _id_fields(value, ctx, (*path, i))
    elif isinstance(body, str) and _as_uuid(body) is not None:
        keys = [k for k, v in ctx.items() if str(v) == body and _as_uuid(v) is not None]
        if keys:
            found.append((path, keys[0]))
    return found


def _replaced(body: Any, location: tuple[Any, ...], value: str) -> Any:
    if not location:
        return value
    head, *rest = location
    if isinstance(body, dict):
        return {k: _replaced(v, tuple(rest), value) if k == head else v for k, v in body.items()}
    return [_replaced(v, tuple(rest), value) if i == head else v for i, v in enumerate(body)]


def _allowed_role(row: Row) -> Role | None:
    return next((r for r in ROLES if row.expected[r] < 400), None)


async def _contexts(
    row: Row,
    prepare: Prepare,
    role: Role,
    api: ApiFactory,
    session: AsyncSession,
    org: OrgWithMembers,
    other_org: OrgWithMembers,
) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    client = await api(role)
    foreign_client = await api(role, in_org=other_org)
    mine = await prepare(Setup(session, org, role, client, uuid.uuid4().hex[:10]))
    theirs = await prepare(Setup(session, other_org, role, foreign_client, uuid.uuid4().hex[:10]))
    return client, mine, theirs


@pytest.mark.parametrize(
    ("domain", "row", "prepare"),
    [c for c in CASES if _id_placeholders(c[1]) and _allowed_role(c[1])],
    ids=[f"{c[0]}: {c[1].id}" for c in CASES if _id_placeholders(c[1]) and _allowed_role(c[1])],
)
async def test_another_organisations_id_in_the_path_is_404(
    domain: str,
    row: Row,
    prepare: Prepare,
    api: ApiFactory,
    session: AsyncSession,
    org: OrgWithMembers,
    other_org: OrgWithMembers,
    jobs: InProcessQueue,
) -> None:
    role = _allowed_role(row)
    assert role is not None
    client, mine, theirs = await _contexts(row, prepare, role, api, session, org, other_org)
    swept = 0
    for placeholder in _id_placeholders(row):
        key = (row.use or {}).get(placeholder, placeholder)
        assert _as_uuid(theirs[key]) is not None, f"{row.id}: {placeholder} is not an id"
        path = row.path.format_map(
            {
                **{p: mine[(row.use or {}).get(p, p)] for p in _placeholders(row)},
                placeholder: theirs[key],
            }
        )
        body = row.body(mine) if row.body else None
        before = await audit_rows(session)
        r = await client.request(row.method, path, json=body)
        await jobs.drain()
        assert_problem(r, 404, "not-found")
        assert await audit_rows(session) == before, f"{row.id}: 404 but audited"
        swept += 1
    assert swept == len(_id_placeholders(row))


# Which kind of object a body field names, by its name (and, for `parent_id`, its path). A
# new `*_id` field in a request body fails `test_every_body_id_field_has_a_kind` until it is
# named here, and is swept from then on.
KIND_OF_FIELD = {
    "member_id": "member",
    "member_ids": "member",
    "lead_member_id": "member",
    "owner_member_id": "member",
    "owner_team_id": "team",
    "team_id": "team",
    "period_id": "period",
    "objective_id": "goal",
    "key_result_id": "kpi",
    "project_id": "project",
    "assignee_member_id": "member",
    "assignee_team_id": "team",
    "task_id": "task",
    "phase_id": "phase",
    "line_id": "budget_line",
    "predecessor_id": "task",
    "successor_id": "task",
    "resource_id": "resource",
    "channel_id": "channel",
    "campaign_id": "campaign",
}
# `*_id` fields that hold another system's id (an ad platform's), not an object of MEMS.
NOT_REFERENCES = {"external_id"}
KIND_OF_PARENT = {"/strategy-periods": "period", "/goals": "goal", "/tasks": "task"}
# The other required fields of an array item a body did not have yet.
ITEM_DEFAULTS: dict[str, dict[str, Any]] = {"members": {"role": "core"}}


def _kind(path: str, field: str) -> str | None:
    if field == "parent_id":
        return next((k for p, k in KIND_OF_PARENT.items() if p in path), None)
    return KIND_OF_FIELD.get(field)


def _body_id_fields(app: Any) -> list[tuple[str, str, tuple[str, ...]]]:
    """(method, path, field location) of every `*_id(s)` property of every JSON request body
    in the OpenAPI schema; `[]` in a location is an array's item."""
    spec = app.openapi()
    schemas = spec["components"]["schemas"]
    out: list[tuple[str, str, tuple[str, ...]]] = []

    def walk(schema: dict[str, Any], at: tuple[str, ...], found: list[tuple[str, ...]]) -> None:
        if "$ref" in schema:
            walk(schemas[schema["$ref"].rsplit("/", 1)[-1]], at, found)
            return
        for key in ("anyOf", "oneOf", "allOf"):
            for option in schema.get(key, []):
                walk(option, at, found)
        if schema.get("type") == "array" and "items" in schema:
            walk(schema["items"], (*at, "[]"), found)
        for prop, sub in schema.get("properties", {}).items():
            if prop.endswith(("_id", "_ids")) and prop not in NOT_REFERENCES:
                found.append((*at, prop))
            walk(sub, (*at, prop), found)

    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            schema = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            found: list[tuple[str, ...]] = []
            walk(schema.get("schema", {}), (), found)
            out += [(method.upper(), path, loc) for loc in dict.fromkeys(found)]
    return out


def test_every_body_id_field_has_a_kind(app: Any) -> None:
    unknown = [
        f"{m} {p}: {'.'.join(loc)}" for m, p, loc in _body_id_fields(app) if not _kind(p, loc[-1])
    ]
    assert not unknown, f"name the kind of object these fields refer to: {unknown}"


def _rows_by_operation() -> dict[tuple[str, str], tuple[Row, Prepare]]:
    return {(row.method, row.path.split("?")[0]): (row, prepare) for _, row, prepare in CASES}


async def _foreign_objects(session: AsyncSession, other: OrgWithMembers) -> dict[str, str]:
    """One object of each kind in the other organisation."""
    org_id = other.org.id
    period = StrategyPeriod(
        id=uuid.uuid4(),
        org_id=org_id,
        name="别家年度",
        kind=PeriodKind.YEAR,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    goal = Objective(
        id=uuid.uuid4(), org_id=org_id, period_id=period.id, level=GoalLevel.COMPANY, title="别家"
    )
    kpi = KeyResult(
        id=uuid.uuid4(),
        org_id=org_id,
        objective_id=goal.id,
        name="别家指标",
        unit="次",
        baseline=Decimal(0),
        target=Decimal(10),
        direction=Direction.INCREASE,
    )
    team = Team(id=uuid.uuid4(), org_id=org_id, name="别家团队")
    project = Project(
        id=uuid.uuid4(),
        org_id=org_id,
        code="X-1",
        name="别家项目",
        type=ProjectType.OTHER,
        owner_member_id=other.members[Role.PROJECT_MANAGER].id,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 2, 1),
    )
    phase = Phase(
        id=uuid.uuid4(),
        org_id=org_id,
        project_id=project.id,
        position=1,
        name="别家阶段",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 2, 1),
    )
    task = Task(
        id=uuid.uuid4(),
        org_id=org_id,
        project_id=project.id,
        position=1,
        title="别家任务",
        starts_on=date(2026, 1, 1),
        due_on=date(2026, 1, 1),
        duration_days=1,
    )
    line = BudgetLine(
        id=uuid.uuid4(),
        org_id=org_id,
        project_id=project.id,
        position=0,
        category=BudgetCategory.VENUE,
        name="别家场地",
        amount=Decimal(1000),
        state=BudgetLineState.APPROVED,
    )
    resource = Resource(
        id=uuid.uuid4(),
        org_id=org_id,
        kind=ResourceKind.PERSON,
        name="别家人员",
        name_key="别家人员",
        capacity_hours_week=Decimal(40),
    )
    channel = Channel(
        id=uuid.uuid4(), org_id=org_id, key="their-channel", name="别家渠道", kind=ChannelKind.OTHER
    )
    campaign = AdCampaign(
        id=uuid.uuid4(), org_id=org_id, channel_id=channel.id, external_id="x", name="别家计划"
    )
    for batch in (
        [period, team, resource, channel],
        [goal, project, campaign],
        [kpi, phase, task, line],
    ):
        session.add_all(batch)
        await session.flush()
    await session.commit()
    return {
        "member": str(other.members[Role.MEMBER].id),
        "team": str(team.id),
        "period": str(period.id),
        "goal": str(goal.id),
        "kpi": str(kpi.id),
        "project": str(project.id),
        "phase": str(phase.id),
        "task": str(task.id),
        "budget_line": str(line.id),
        "resource": str(resource.id),
        "channel": str(channel.id),
        "campaign": str(campaign.id),
    }


def _with_foreign(body: dict[str, Any], at: tuple[str, ...], value: str) -> dict[str, Any]:
    """`body` with the field at `at` naming `value` (a list field: a list of it; an array's
    item: the first item, made if the body has none)."""
    head, *rest = at
    out = dict(body)
    if not rest:
        out[head] = [value] if head.endswith("_ids") else value
        return out
    assert rest[0] == "[]", at
    items = list(out.get(head) or [dict(ITEM_DEFAULTS.get(head, {}))])
    items[0] = _with_foreign(dict(items[0]), tuple(rest[1:]), value)
    out[head] = items
    return out


async def test_another_organisations_id_in_any_body_field_is_refused(
    app: Any,
    api: ApiFactory,
    session: AsyncSession,
    org: OrgWithMembers,
    other_org: OrgWithMembers,
    jobs: InProcessQueue,
) -> None:
    """Every `*_id` field of every request body (from the OpenAPI schema), in turn, names an
    object of the right kind in another organisation: 422 naming the field (404 when the
    operation reads it as the object it acts on), and nothing is written."""
    foreign = await _foreign_objects(session, other_org)
    rows = _rows_by_operation()
    swept: list[str] = []
    prepared: dict[tuple[Any, Role], tuple[Any, dict[str, Any]]] = {}  # refusals consume none
    for method, path, at in _body_id_fields(app):
        row, prepare = rows[(method, path)]
        role = _allowed_role(row)
        assert role is not None, row.id
        assert row.body is not None, row.id
        if (prepare, role) not in prepared:
            client = await api(role)
            setup = Setup(session, org, role, client, uuid.uuid4().hex[:10])
            prepared[(prepare, role)] = (client, await prepare(setup))
        client, mine = prepared[(prepare, role)]
        url = row.path.format_map({p: mine[(row.use or {}).get(p, p)] for p in _placeholders(row)})
        body = _with_foreign(row.body(mine), at, foreign[str(_kind(path, at[-1]))])
        before = await audit_rows(session)
        r = await client.request(method, url, json=body)
        await jobs.drain()
        what = f"{row.id} {'.'.join(at)}"
        if r.status_code == 404:
            assert_problem(r, 404, "not-found")
        else:
            assert r.status_code == 422, f"{what}: {r.status_code} {r.text}"
            problem = assert_problem(r, 422, "validation-failed")
            fields = " ".join(str(e.get("field", "")) for e in problem.get("errors", []))
            assert at[-1] in fields, f"{what}: {problem}"
        assert await audit_rows(session) == before, f"{what}: refused but audited"
        swept.append(what)
    assert len(swept) >= 20  # today's body id fields; more as routes are added
