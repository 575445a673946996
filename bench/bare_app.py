# ruff: noqa: S608 - the SQL is built from constant fragments only, never from input
"""The baselines: a bare FastAPI app with one asyncpg pool, one twin per measured endpoint.

Each twin returns exactly the JSON MEMS returns for the same request (`run.py` compares the
parsed bodies before measuring), written the way a careful engineer writes a production
endpoint by hand: one SQL statement per request (one round trip; nested rows come back as
arrays of records, counts beside the page), rows turned into dicts, `orjson` to serialise. No
authentication, no session or transaction, no ORM, no response model, no middleware.

The caller is named by the `X-Member-Id` header (MEMS learns it from the bearer token); the
twins still scope every query to that member's organisation, as MEMS does. Pure rules are
shared with MEMS rather than copied: the role → permission table, the project lifecycle's
allowed actions, the goal roll-up (`mems.strategy.rollup`), the Gantt's WBS numbering
(`mems.work.views.wbs_order`), the battle map's task summary (`task_summary`), the
working calendar built from its parts (`mems.work.calendar.build`) and the budget figures
from the ledger's sums (`mems.finance.figures`, `mems.finance.money.ratio`) are values and
arithmetic with no I/O, and the twin would need the same arithmetic to return the same JSON.

    BENCH_PG_DSN=postgresql://postgres@127.0.0.1:5432/mems_bench \
        .venv/bin/uvicorn bare_app:app --app-dir bench --port 8102
"""

from __future__ import annotations

import gc
import os
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import orjson
from fastapi import FastAPI, Header, HTTPException, Request, Response

from mems.finance.figures import (
    CostFacts,
    CostKind,
    Figures,
    Level,
    LineFacts,
    Thresholds,
    level,
    shares,
    summarise,
)
from mems.finance.figures import burn as finance_burn
from mems.finance.money import ZERO, ratio
from mems.identity.permissions import ROLE_PERMISSIONS, Permission, Role
from mems.projects.lifecycle import REGISTERED, ProjectAction, ProjectStatus, allowed_actions
from mems.strategy.rollup import KeyResultFacts, ObjectiveFacts, Progress, attainment, rollup
from mems.work.calendar import CalendarSettings, OwnDay
from mems.work.calendar import build as build_calendar
from mems.work.views import task_summary, wbs_order

DSN = os.environ.get("BENCH_PG_DSN", "postgresql://postgres@127.0.0.1:5432/mems_bench")
# The same number of connections MEMS may open (pool_size 10 + max_overflow 10).
POOL_MIN = int(os.environ.get("BENCH_POOL_MIN", "10"))
POOL_MAX = int(os.environ.get("BENCH_POOL_MAX", "20"))

_REGISTERED = frozenset(s.value for s in REGISTERED)
_DECIDERS = [r.value for r in Role if Permission.APPROVALS_DECIDE in ROLE_PERMISSIONS[r]]
# Lifecycle actions a project's manager takes (approve/reject come from the approval flow).
_MANAGER_ACTIONS = frozenset(ProjectAction) - {ProjectAction.APPROVE, ProjectAction.REJECT}
_PERMISSIONS = {r.value: sorted(p.value for p in ps) for r, ps in ROLE_PERMISSIONS.items()}
_NOT_WORK = frozenset({"rejected", "cancelled"})
MemberId = Header(alias="X-Member-Id")


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError


def _json(body: Any) -> Response:
    return Response(
        orjson.dumps(body, default=_default, option=orjson.OPT_UTC_Z),
        media_type="application/json",
    )


def _raw(text: str | None) -> Any:
    """A JSON column as it is stored (asyncpg hands json over as text)."""
    return None if text is None else orjson.Fragment(text)


async def _init(conn: asyncpg.Connection) -> None:
    # UUIDs as text: orjson writes str natively (not asyncpg's own UUID class). The codec
    # does not reach into records (ROW(...)): the queries cast the UUIDs there to text.
    await conn.set_type_codec("uuid", encoder=str, decoder=str, schema="pg_catalog", format="text")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.pool = await asyncpg.create_pool(
        DSN, min_size=POOL_MIN, max_size=POOL_MAX, init=_init
    )
    # Organisations carried their settings as a JSON column (shown in /me) until the settings
    # moved to rows of their own: the twin follows the schema it finds.
    app.state.org_settings = bool(
        await app.state.pool.fetchval(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name = 'organizations' AND column_name = 'settings'"
        )
    )
    app.state.me = ME_QUERY.format(settings="o.settings," if app.state.org_settings else "")
    # As MEMS does after start-up: what the imports built (the twin imports MEMS's pure rules,
    # and with them its models) is frozen out of the collector's generations.
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        await app.state.pool.close()


app = FastAPI(lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None)


def _pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.pool
    return pool


# ---- GET /members/{id} --------------------------------------------------------------------

MEMBER = """
SELECT m.id, m.user_id, u.email, u.name, m.role, m.is_active,
       m.created_at, m.updated_at, m.version
FROM memberships AS m JOIN users AS u ON u.id = m.user_id
WHERE m.id = $1
"""


@app.get("/members/{member_id}")
async def get_member(member_id: uuid.UUID, request: Request) -> Response:
    row = await _pool(request).fetchrow(MEMBER, member_id)
    if row is None:
        raise HTTPException(404, "Member not found.")
    return _json(dict(row))


# ---- GET /me ------------------------------------------------------------------------------

ME_QUERY = """
SELECT m.id AS membership_id, m.role,
       u.id AS user_id, u.email, u.name AS user_name, u.locale AS user_locale,
       o.id AS org_id, o.name AS org_name, o.slug, o.timezone, o.locale AS org_locale,
       o.currency, {settings} o.created_at, o.updated_at, o.version
FROM memberships AS m
JOIN users AS u ON u.id = m.user_id
JOIN organizations AS o ON o.id = m.org_id
WHERE m.id = $1 AND m.is_active
"""


@app.get("/me")
async def get_me(request: Request, member: uuid.UUID = MemberId) -> Response:
    r = await _pool(request).fetchrow(request.app.state.me, member)
    if r is None:
        raise HTTPException(401)
    body = {
        "user": {
            "id": r["user_id"],
            "email": r["email"],
            "name": r["user_name"],
            "locale": r["user_locale"],
        },
        "org": {
            "id": r["org_id"],
            "name": r["org_name"],
            "slug": r["slug"],
            "timezone": r["timezone"],
            "locale": r["org_locale"],
            "currency": r["currency"],
            "created_at": r["created_at"],
            "updated_at": r["updated_at"],
            "version": r["version"],
        },
        "membership_id": r["membership_id"],
        "role": r["role"],
        "permissions": _PERMISSIONS[r["role"]],
        "via": "bearer",  # how the measured MEMS request authenticates
    }
    if request.app.state.org_settings:
        body["org"]["settings"] = _raw(r["settings"])
    return _json(body)


# ---- lists: one statement gives the total and the page ------------------------------------
# `SELECT total, page.* FROM (count) LEFT JOIN page`: the total comes back even for a page
# past the end, and the count and the page each use their own plan.


def _page(rows: list[asyncpg.Record], limit: int, offset: int, item: Any) -> Response:
    total = rows[0]["total"] if rows else 0
    items = [item(r) for r in rows if r["id"] is not None]
    return _json({"items": items, "total": total, "limit": limit, "offset": offset})


MEMBERS = """
WITH me AS (SELECT org_id FROM memberships WHERE id = $1),
page AS (
    SELECT m.id, m.user_id, u.email, u.name, m.role, m.is_active,
           m.created_at, m.updated_at, m.version
    FROM memberships AS m JOIN users AS u ON u.id = m.user_id
    WHERE m.org_id = (SELECT org_id FROM me) AND m.is_active
    ORDER BY u.name, m.id LIMIT $2 OFFSET $3
)
SELECT c.total, page.*
FROM (SELECT count(*) AS total FROM memberships
      WHERE org_id = (SELECT org_id FROM me) AND is_active) AS c
LEFT JOIN page ON true
ORDER BY page.name, page.id
"""
_MEMBER_FIELDS = (
    "id",
    "user_id",
    "email",
    "name",
    "role",
    "is_active",
    "created_at",
    "updated_at",
    "version",
)


@app.get("/members")
async def list_members(
    request: Request, limit: int = 50, offset: int = 0, member: uuid.UUID = MemberId
) -> Response:
    rows = await _pool(request).fetch(MEMBERS, member, limit, offset)
    return _page(rows, limit, offset, lambda r: {k: r[k] for k in _MEMBER_FIELDS})


AUDIT = """
WITH me AS (SELECT org_id FROM memberships WHERE id = $1),
page AS (
    SELECT id, created_at, actor_user_id, actor_name, action, entity_type, entity_id,
           entity_label, parent_type, parent_id, before, after, request_id
    FROM audit_logs WHERE org_id = (SELECT org_id FROM me)
    ORDER BY created_at DESC, id LIMIT $2 OFFSET $3
)
SELECT c.total, page.*
FROM (SELECT count(*) AS total FROM audit_logs WHERE org_id = (SELECT org_id FROM me)) AS c
LEFT JOIN page ON true
ORDER BY page.created_at DESC, page.id
"""


def _audit_item(r: asyncpg.Record) -> dict[str, Any]:
    return {
        "id": r["id"],
        "created_at": r["created_at"],
        "actor_user_id": r["actor_user_id"],
        "actor_name": r["actor_name"],
        "action": r["action"],
        "entity_type": r["entity_type"],
        "entity_id": r["entity_id"],
        "entity_label": r["entity_label"],
        "parent_type": r["parent_type"],
        "parent_id": r["parent_id"],
        "before": _raw(r["before"]),
        "after": _raw(r["after"]),
        "request_id": r["request_id"],
    }


@app.get("/audit-logs")
async def list_audit_logs(
    request: Request, limit: int = 50, offset: int = 0, member: uuid.UUID = MemberId
) -> Response:
    rows = await _pool(request).fetch(AUDIT, member, limit, offset)
    return _page(rows, limit, offset, _audit_item)


# ---- projects -----------------------------------------------------------------------------

_PROJECT_COLUMNS = """
    p.id, p.code, p.name, p.type, p.status, p.owner_member_id,
    coalesce(ou.name, '') AS owner_name, p.team_id, p.period_id, p.starts_on, p.ends_on,
    p.currency, p.total_budget, p.template_key, p.created_at, p.updated_at, p.version,
    ARRAY(SELECT l.objective_id FROM project_goal_links AS l
          WHERE l.org_id = p.org_id AND l.project_id = p.id) AS goal_ids
"""
_OWNER_JOIN = """
    LEFT JOIN memberships AS om ON om.id = p.owner_member_id AND om.org_id = p.org_id
    LEFT JOIN users AS ou ON ou.id = om.user_id
"""

PROJECTS = f"""
WITH me AS (SELECT org_id FROM memberships WHERE id = $1),
page AS (
    SELECT {_PROJECT_COLUMNS}
    FROM projects AS p {_OWNER_JOIN}
    WHERE p.org_id = (SELECT org_id FROM me)
    ORDER BY p.starts_on DESC, p.code LIMIT $2 OFFSET $3
)
SELECT c.total, page.*
FROM (SELECT count(*) AS total FROM projects WHERE org_id = (SELECT org_id FROM me)) AS c
LEFT JOIN page ON true
ORDER BY page.starts_on DESC, page.code
"""


def _project_read(r: asyncpg.Record) -> dict[str, Any]:
    return {
        "id": r["id"],
        "code": r["code"],
        "name": r["name"],
        "type": r["type"],
        "status": r["status"],
        "registered": r["status"] in _REGISTERED,
        "owner_member_id": r["owner_member_id"],
        "owner_name": r["owner_name"],
        "team_id": r["team_id"],
        "period_id": r["period_id"],
        "starts_on": r["starts_on"],
        "ends_on": r["ends_on"],
        "currency": r["currency"],
        "total_budget": r["total_budget"],
        "template_key": r["template_key"],
        "goal_ids": r["goal_ids"],
        "created_at": r["created_at"],
        "updated_at": r["updated_at"],
        "version": r["version"],
    }


@app.get("/projects")
async def list_projects(
    request: Request, limit: int = 50, offset: int = 0, member: uuid.UUID = MemberId
) -> Response:
    rows = await _pool(request).fetch(PROJECTS, member, limit, offset)
    return _page(rows, limit, offset, _project_read)


PROJECT = f"""
WITH me AS (SELECT id, org_id, role FROM memberships WHERE id = $2)
SELECT {_PROJECT_COLUMNS}, p.description, me.id AS me_id, me.role AS me_role,
    ARRAY(SELECT ROW(l.objective_id::text, o.title, l.key_result_id::text, k.name)
          FROM project_goal_links AS l
          LEFT JOIN objectives AS o ON o.id = l.objective_id AND o.org_id = p.org_id
          LEFT JOIN key_results AS k ON k.id = l.key_result_id AND k.org_id = p.org_id
          WHERE l.org_id = p.org_id AND l.project_id = p.id) AS goal_links,
    ARRAY(SELECT ROW(pm.membership_id::text, coalesce(u.name, ''), pm.role)
          FROM project_members AS pm
          LEFT JOIN memberships AS m ON m.id = pm.membership_id AND m.org_id = p.org_id
          LEFT JOIN users AS u ON u.id = m.user_id
          WHERE pm.org_id = p.org_id AND pm.project_id = p.id) AS members,
    ARRAY(SELECT ROW(ph.id::text, ph.name, ph.starts_on, ph.ends_on,
                     count(t.id) FILTER (WHERE t.status <> 'cancelled'),
                     count(t.id) FILTER (WHERE t.status = 'done'))
          FROM phases AS ph
          LEFT JOIN tasks AS t ON t.phase_id = ph.id AND t.org_id = ph.org_id
          WHERE ph.org_id = p.org_id AND ph.project_id = p.id
          GROUP BY ph.id
          ORDER BY ph.position) AS phases,
    ARRAY(SELECT ROW(b.id::text, b.position, b.category, b.name, b.phase_id::text, b.amount,
                     b.state)
          FROM budget_lines AS b
          WHERE b.org_id = p.org_id AND b.project_id = p.id
          ORDER BY b.position) AS budget_lines,
    a.id AS a_id, a.request_type AS a_type, a.subject_id AS a_subject, a.title AS a_title,
    a.amount AS a_amount, a.currency AS a_currency, a.requested_by_member_id AS a_requester,
    coalesce(au.name, '') AS a_requester_name, a.state AS a_state, a.steps AS a_steps,
    a.current_step AS a_current_step, a.waiting_for_role AS a_waiting_for,
    a.submitted_by_member_id AS a_submitter, a.subject_author_member_id AS a_author,
    a.created_at AS a_created_at, a.decided_at AS a_decided_at, a.version AS a_version,
    EXISTS (SELECT 1 FROM approval_records AS ar
            WHERE ar.request_id = a.id AND ar.decided_by_member_id = me.id) AS a_decided,
    r.summary AS r_summary, r.went_well AS r_went_well, r.problems AS r_problems,
    r.lessons AS r_lessons, r.updated_at AS r_updated_at, r.version AS r_version
FROM projects AS p
JOIN me ON me.org_id = p.org_id
{_OWNER_JOIN}
LEFT JOIN approval_requests AS a ON a.id = p.approval_request_id
LEFT JOIN memberships AS am ON am.id = a.requested_by_member_id AND am.org_id = p.org_id
LEFT JOIN users AS au ON au.id = am.user_id
LEFT JOIN retrospectives AS r ON r.project_id = p.id AND r.org_id = p.org_id
WHERE p.id = $1
"""


def _can_decide(r: asyncpg.Record, prefix: str, me_id: str, me_role: str) -> bool:
    """approvals.service.can_decide: pending, not recused, not decided a step, their role."""
    recused = {r[prefix + "requester"], r[prefix + "submitter"], r[prefix + "author"]}
    roles = _DECIDERS if me_role == Role.ADMIN.value else [me_role]
    return (
        r[prefix + "state"] == "pending"
        and not r[prefix + "decided"]
        and me_id not in recused
        and me_role in _DECIDERS
        and r[prefix + "waiting_for"] in roles
    )


def _approval_read(r: asyncpg.Record, prefix: str, me_id: str, me_role: str) -> dict[str, Any]:
    return {
        "id": r[prefix + "id"],
        "request_type": r[prefix + "type"],
        "subject_id": r[prefix + "subject"],
        "title": r[prefix + "title"],
        "amount": r[prefix + "amount"],
        "currency": r[prefix + "currency"],
        "requested_by_member_id": r[prefix + "requester"],
        "requested_by_name": r[prefix + "requester_name"],
        "state": r[prefix + "state"],
        "steps": [
            {"role": s["role"], "min_amount": s["min_amount"]}
            for s in orjson.loads(r[prefix + "steps"])["items"]
        ],
        "current_step": r[prefix + "current_step"],
        "waiting_for_role": r[prefix + "waiting_for"],
        "can_decide": _can_decide(r, prefix, me_id, me_role),
        "created_at": r[prefix + "created_at"],
        "decided_at": r[prefix + "decided_at"],
        "version": r[prefix + "version"],
    }


@app.get("/projects/{project_id}")
async def get_project(
    project_id: uuid.UUID, request: Request, member: uuid.UUID = MemberId
) -> Response:
    r = await _pool(request).fetchrow(PROJECT, project_id, member)
    if r is None:
        raise HTTPException(404, "Project not found.")
    me_id, me_role = r["me_id"], r["me_role"]
    granted = ROLE_PERMISSIONS[Role(me_role)]
    manages = Permission.PROJECTS_MANAGE_ALL in granted or (
        Permission.PROJECTS_WRITE in granted and r["owner_member_id"] == me_id
    )
    body = _project_read(r)
    body["description"] = r["description"]
    body["allowed_actions"] = (
        [a.value for a in allowed_actions(ProjectStatus(r["status"])) if a in _MANAGER_ACTIONS]
        if manages
        else []
    )
    body["goal_links"] = [
        {
            "objective_id": objective_id,
            "objective_title": title or "",
            "key_result_id": key_result_id,
            "key_result_name": kpi_name,
        }
        for objective_id, title, key_result_id, kpi_name in r["goal_links"]
    ]
    body["members"] = [
        {"member_id": member_id, "name": name, "role": role}
        for member_id, name, role in r["members"]
    ]
    body["phases"] = [
        {
            "id": phase_id,
            "name": name,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "task_count": task_count,
            "done_count": done_count,
        }
        for phase_id, name, starts_on, ends_on, task_count, done_count in r["phases"]
    ]
    body["budget_lines"] = [
        {
            "id": line_id,
            "position": position,
            "category": category,
            "name": name,
            "phase_id": phase_id,
            "amount": amount,
            "state": state,
        }
        for line_id, position, category, name, phase_id, amount, state in r["budget_lines"]
    ]
    # The project's budget: what its approved lines add up to.
    body["approved_budget"] = sum(
        (line["amount"] for line in body["budget_lines"] if line["state"] == "approved"), ZERO
    )
    body["approval"] = None if r["a_id"] is None else _approval_read(r, "a_", me_id, me_role)
    body["retrospective"] = (
        None
        if r["r_version"] is None
        else {
            "summary": r["r_summary"],
            "went_well": r["r_went_well"],
            "problems": r["r_problems"],
            "lessons": r["r_lessons"],
            "updated_at": r["r_updated_at"],
            "version": r["r_version"],
        }
    )
    return _json(body)


# ---- approvals ----------------------------------------------------------------------------

INBOX = """
WITH me AS (SELECT id, org_id, role FROM memberships WHERE id = $1),
waiting AS (
    SELECT a.* FROM approval_requests AS a, me
    WHERE a.org_id = me.org_id AND a.state = 'pending'
      AND me.role = ANY($2::text[])
      AND (me.role = 'admin' OR a.waiting_for_role = me.role)
      AND a.waiting_for_role IS NOT NULL
      AND a.requested_by_member_id <> me.id
      AND (a.submitted_by_member_id IS NULL OR a.submitted_by_member_id <> me.id)
      AND (a.subject_author_member_id IS NULL OR a.subject_author_member_id <> me.id)
      AND NOT EXISTS (SELECT 1 FROM approval_records AS r
                      WHERE r.request_id = a.id AND r.decided_by_member_id = me.id)
),
page AS (
    SELECT w.id AS a_id, w.request_type AS a_type, w.subject_id AS a_subject,
           w.title AS a_title, w.amount AS a_amount, w.currency AS a_currency,
           w.requested_by_member_id AS a_requester, coalesce(u.name, '') AS a_requester_name,
           w.state AS a_state, w.steps AS a_steps, w.current_step AS a_current_step,
           w.waiting_for_role AS a_waiting_for, w.submitted_by_member_id AS a_submitter,
           w.subject_author_member_id AS a_author, w.created_at AS a_created_at,
           w.decided_at AS a_decided_at, w.version AS a_version, false AS a_decided
    FROM waiting AS w
    LEFT JOIN memberships AS m ON m.id = w.requested_by_member_id AND m.org_id = w.org_id
    LEFT JOIN users AS u ON u.id = m.user_id
    ORDER BY w.created_at DESC, w.id LIMIT $3 OFFSET $4
)
SELECT c.total, me.id AS me_id, me.role AS me_role, page.*
FROM (SELECT count(*) AS total FROM waiting) AS c
CROSS JOIN me
LEFT JOIN page ON true
ORDER BY page.a_created_at DESC, page.a_id
"""


@app.get("/approvals")
async def list_approvals(
    request: Request,
    box: str = "inbox",
    limit: int = 50,
    offset: int = 0,
    member: uuid.UUID = MemberId,
) -> Response:
    if box != "inbox":
        raise HTTPException(400, "the twin serves the inbox only")
    rows = await _pool(request).fetch(INBOX, member, _DECIDERS, limit, offset)
    total = rows[0]["total"] if rows else 0
    items = [
        _approval_read(r, "a_", r["me_id"], r["me_role"]) for r in rows if r["a_id"] is not None
    ]
    return _json({"items": items, "total": total, "limit": limit, "offset": offset})


# ---- goals --------------------------------------------------------------------------------

# Goals with their key results: a period's (the list's roll-up needs the whole period), or
# one goal's subtree (all a tree's roll-up needs).
_PERIOD_GOALS = """
SELECT g.id, g.period_id, g.parent_id, g.level, g.title, g.description, g.owner_member_id,
       g.owner_team_id, g.weight, g.created_at, g.updated_at, g.version,
       ARRAY(SELECT ROW(k.id::text, k.objective_id::text, k.name, k.unit, k.baseline, k.target,
                        k.direction, k.weight, k.owner_member_id::text, k.due_on, k.source,
                        k.source_config, k.current_value, k.current_as_of, k.created_at,
                        k.updated_at, k.version)
             FROM key_results AS k
             WHERE k.org_id = g.org_id AND k.objective_id = g.id
             ORDER BY k.created_at, k.id) AS kpis
       {extra}
FROM objectives AS g
WHERE g.org_id = (SELECT org_id FROM me) AND {scope}
ORDER BY g.created_at, g.id
"""
_KPI_FIELDS = (
    "id",
    "objective_id",
    "name",
    "unit",
    "baseline",
    "target",
    "direction",
    "weight",
    "owner_member_id",
    "due_on",
    "source",
    "source_config",
    "current_value",
    "current_as_of",
    "created_at",
    "updated_at",
    "version",
)

GOALS = "WITH me AS (SELECT org_id FROM memberships WHERE id = $1)\n" + _PERIOD_GOALS.format(
    extra="", scope="g.period_id = $2"
)
TREE = (
    "WITH RECURSIVE me AS (SELECT org_id FROM memberships WHERE id = $1),\n"
    "sub AS (SELECT id FROM objectives WHERE id = $2 AND org_id = (SELECT org_id FROM me)\n"
    "  UNION ALL SELECT o.id FROM objectives AS o JOIN sub ON o.parent_id = sub.id\n"
    "  WHERE o.org_id = (SELECT org_id FROM me))\n"
    + _PERIOD_GOALS.format(
        extra=""",
       ARRAY(SELECT ROW(p.id::text, p.code, p.name, p.status)
             FROM project_goal_links AS l JOIN projects AS p ON p.id = l.project_id
             WHERE l.org_id = g.org_id AND l.objective_id = g.id
             ORDER BY p.code) AS projects""",
        scope="g.id IN (SELECT id FROM sub)",
    )
)


def _progress(p: Progress | None) -> dict[str, float] | None:
    return None if p is None else {"capped": round(p.capped, 4), "uncapped": round(p.uncapped, 4)}


def _rolled_up(rows: Iterable[asyncpg.Record]) -> dict[str, Progress | None]:
    return rollup(
        ObjectiveFacts(
            r["id"],
            r["parent_id"],
            r["weight"],
            tuple(KeyResultFacts(k[0], k[4], k[5], k[12], k[7]) for k in r["kpis"]),
        )
        for r in rows
    )


def _goal_read(r: asyncpg.Record, progress: dict[str, Progress | None]) -> dict[str, Any]:
    return {
        "id": r["id"],
        "period_id": r["period_id"],
        "parent_id": r["parent_id"],
        "level": r["level"],
        "title": r["title"],
        "description": r["description"],
        "owner_member_id": r["owner_member_id"],
        "owner_team_id": r["owner_team_id"],
        "weight": r["weight"],
        "progress": _progress(progress.get(r["id"])),
        "created_at": r["created_at"],
        "updated_at": r["updated_at"],
        "version": r["version"],
    }


def _kpi_read(k: asyncpg.Record) -> dict[str, Any]:
    out = dict(zip(_KPI_FIELDS, k, strict=True))
    out["source_config"] = _raw(out["source_config"])
    out["attainment"] = _progress(attainment(out["baseline"], out["target"], out["current_value"]))
    return out


@app.get("/goals")
async def list_goals(
    request: Request,
    period_id: uuid.UUID,
    roots_only: bool = False,
    limit: int = 50,
    offset: int = 0,
    member: uuid.UUID = MemberId,
) -> Response:
    rows = await _pool(request).fetch(GOALS, member, period_id)
    progress = _rolled_up(rows)
    listed = [r for r in rows if r["parent_id"] is None] if roots_only else rows
    return _json(
        {
            "items": [_goal_read(r, progress) for r in listed[offset : offset + limit]],
            "total": len(listed),
            "limit": limit,
            "offset": offset,
        }
    )


@app.get("/goals/{goal_id}/tree")
async def get_goal_tree(
    goal_id: uuid.UUID, request: Request, member: uuid.UUID = MemberId
) -> Response:
    rows = await _pool(request).fetch(TREE, member, goal_id)
    by_id = {r["id"]: r for r in rows}
    if str(goal_id) not in by_id:
        raise HTTPException(404, "Goal not found.")
    progress = _rolled_up(rows)
    children: dict[str, list[asyncpg.Record]] = {}
    for r in rows:
        if r["parent_id"] is not None:
            children.setdefault(r["parent_id"], []).append(r)

    def node(r: asyncpg.Record) -> dict[str, Any]:
        kids = [node(c) for c in children.get(r["id"], [])]
        seen: set[str] = set()
        projects = []
        for p in r["projects"]:
            if p[0] not in seen:
                seen.add(p[0])
                projects.append({"id": p[0], "code": p[1], "name": p[2], "status": p[3]})
        return {
            "goal": _goal_read(r, progress),
            "key_results": [_kpi_read(k) for k in r["kpis"]],
            "projects": projects,
            "children": kids,
            "unmeasured": not r["kpis"] and all(c["unmeasured"] for c in kids),
            "no_work": all(p["status"] in _NOT_WORK for p in projects)
            and all(c["no_work"] for c in kids),
        }

    return _json(node(by_id[str(goal_id)]))


# ---- work: the Gantt and the member's home ------------------------------------------------

GANTT = """
WITH me AS (SELECT org_id FROM memberships WHERE id = $2)
SELECT p.id, p.code, p.name, p.status, p.starts_on, p.ends_on, p.version, o.timezone,
    (SELECT s.value FROM org_settings AS s
     WHERE s.org_id = p.org_id AND s.key = 'work.calendar') AS calendar,
    ARRAY(SELECT ROW(c.day, c.working, c.name) FROM calendar_days AS c
          WHERE c.org_id = p.org_id) AS own_days,
    ARRAY(SELECT ROW(ph.id::text, ph.project_id::text, ph.position, ph.name, ph.starts_on,
                     ph.ends_on)
          FROM phases AS ph WHERE ph.org_id = p.org_id AND ph.project_id = p.id
          ORDER BY ph.position) AS phases,
    ARRAY(SELECT ROW(t.id::text, t.phase_id::text, t.parent_id::text, t.title,
                     t.assignee_member_id::text, coalesce(u.name, ''), t.starts_on, t.due_on,
                     t.duration_days, t.progress, t.status, t.priority, t.milestone,
                     t.slack_days, t.critical, t.version)
          FROM tasks AS t
          LEFT JOIN memberships AS m ON m.id = t.assignee_member_id
          LEFT JOIN users AS u ON u.id = m.user_id
          WHERE t.org_id = p.org_id AND t.project_id = p.id
          ORDER BY t.position) AS tasks,
    ARRAY(SELECT ROW(d.id::text, d.predecessor_id::text, d.successor_id::text, d.type,
                     d.lag_days)
          FROM task_dependencies AS d
          WHERE d.org_id = p.org_id AND d.project_id = p.id) AS dependencies,
    ARRAY(SELECT ROW(b.id::text, b.name, b.created_at, coalesce(u.name, ''))
          FROM task_baselines AS b
          LEFT JOIN memberships AS m ON m.id = b.created_by_member_id
          LEFT JOIN users AS u ON u.id = m.user_id
          WHERE b.org_id = p.org_id AND b.project_id = p.id
          ORDER BY b.created_at DESC) AS baselines,
    (SELECT b.dates FROM task_baselines AS b
     WHERE b.org_id = p.org_id AND b.project_id = p.id
     ORDER BY b.created_at DESC LIMIT 1) AS dates
FROM projects AS p
JOIN me ON me.org_id = p.org_id
JOIN organizations AS o ON o.id = p.org_id
WHERE p.id = $1
"""
_GANTT_TASK_FIELDS = (
    "id",
    "phase_id",
    "parent_id",
    "title",
    "assignee_member_id",
    "assignee_name",
    "starts_on",
    "due_on",
    "duration_days",
    "progress",
    "status",
    "priority",
    "milestone",
    "slack_days",
    "critical",
    "version",
)
_PHASE_FIELDS = ("id", "project_id", "position", "name", "starts_on", "ends_on")
_DEPENDENCY_FIELDS = ("id", "predecessor_id", "successor_id", "type", "lag_days")


def _today(timezone: str) -> date:
    return datetime.now(ZoneInfo(timezone)).date()


@app.get("/projects/{project_id}/gantt")
async def get_gantt(
    project_id: uuid.UUID, request: Request, member: uuid.UUID = MemberId
) -> Response:
    r = await _pool(request).fetchrow(GANTT, project_id, member)
    if r is None:
        raise HTTPException(404, "Project not found.")
    phases = [dict(zip(_PHASE_FIELDS, ph, strict=True)) for ph in r["phases"]]
    tasks = wbs_order([dict(zip(_GANTT_TASK_FIELDS, t, strict=True)) for t in r["tasks"]], phases)
    planned = orjson.loads(r["dates"]) if r["dates"] is not None else {}
    first = min([r["starts_on"], *(t["starts_on"] for t in tasks)])
    last = max([r["ends_on"], *(t["due_on"] for t in tasks)])
    calendar = build_calendar(
        CalendarSettings.of(None if r["calendar"] is None else orjson.loads(r["calendar"])),
        [OwnDay(*d) for d in r["own_days"]],
        range(first.year, last.year + 1),
    )
    is_working = calendar.is_working
    slipped = []
    fromisoformat = date.fromisoformat
    for t in tasks:
        was = planned.get(t["id"])
        t["baseline_starts_on"] = fromisoformat(was[0]) if was else None
        t["baseline_due_on"] = fromisoformat(was[1]) if was else None
        if t["milestone"] and was and t["due_on"] > t["baseline_due_on"]:
            then, now = t["baseline_due_on"], t["due_on"]
            late = sum(
                is_working(then + timedelta(days=d)) for d in range(1, (now - then).days + 1)
            )
            slipped.append(
                {
                    "task_id": t["id"],
                    "title": t["title"],
                    "planned": then,
                    "now": now,
                    "working_days": late,
                }
            )
    critical = sorted(
        (t for t in tasks if t["critical"] and not t["summary"]),
        key=lambda t: (t["starts_on"], t["due_on"]),
    )
    non_working = [
        day
        for day in (first + timedelta(days=d) for d in range((last - first).days + 1))
        if not is_working(day)
    ]
    baselines = [
        {"id": b[0], "name": b[1], "created_at": b[2], "created_by_name": b[3]}
        for b in r["baselines"]
    ]
    return _json(
        {
            "project": {
                "id": r["id"],
                "code": r["code"],
                "name": r["name"],
                "status": r["status"],
                "starts_on": r["starts_on"],
                "ends_on": r["ends_on"],
                "version": r["version"],
                "finish": max((t["due_on"] for t in tasks), default=None),
            },
            "today": _today(r["timezone"]),
            "phases": phases,
            "tasks": tasks,
            "dependencies": [
                dict(zip(_DEPENDENCY_FIELDS, d, strict=True)) for d in r["dependencies"]
            ],
            "critical_path": [t["id"] for t in critical],
            "non_working_days": non_working,
            "baselines": baselines,
            "baseline_id": baselines[0]["id"] if baselines else None,
            "slipped_milestones": sorted(slipped, key=lambda s: -s["working_days"]),
        }
    )


MY_TASKS = """
WITH me AS (
    SELECT m.id, m.org_id, (now() AT TIME ZONE o.timezone)::date AS today
    FROM memberships AS m JOIN organizations AS o ON o.id = m.org_id WHERE m.id = $1
)
SELECT me.today, t.*
FROM me LEFT JOIN LATERAL (
    SELECT t.id, t.project_id, p.code AS project_code, p.name AS project_name, t.title,
           t.starts_on, t.due_on, t.progress, t.status, t.priority, t.milestone, t.critical,
           t.version
    FROM tasks AS t JOIN projects AS p ON p.id = t.project_id
    WHERE t.org_id = me.org_id AND t.assignee_member_id = me.id
      AND t.status IN ('todo', 'in_progress', 'blocked') AND t.starts_on <= me.today + 14
    ORDER BY t.due_on, t.position LIMIT 500
) AS t ON true
"""
_MY_TASK_FIELDS = (
    "id",
    "project_id",
    "project_code",
    "project_name",
    "title",
    "starts_on",
    "due_on",
    "progress",
    "status",
    "priority",
    "milestone",
    "critical",
    "version",
)


@app.get("/me/tasks")
async def my_tasks(request: Request, member: uuid.UUID = MemberId) -> Response:
    rows = await _pool(request).fetch(MY_TASKS, member)
    if not rows:
        raise HTTPException(401)
    today = rows[0]["today"]
    overdue, due_today, upcoming = [], [], []
    for r in rows:
        if r["id"] is None:
            continue
        t = {k: r[k] for k in _MY_TASK_FIELDS}
        t["overdue"] = t["due_on"] < today
        t["due_today"] = t["due_on"] == today
        (overdue if t["overdue"] else due_today if t["due_today"] else upcoming).append(t)
    return _json({"today": today, "overdue": overdue, "due_today": due_today, "upcoming": upcoming})


# ---- the battle map -----------------------------------------------------------------------

BATTLE_MAP = """
WITH me AS (SELECT org_id FROM memberships WHERE id = $2)
SELECT p.id, p.code, p.name, p.status, p.starts_on, p.ends_on, o.timezone,
    ARRAY(SELECT ROW(ph.id::text, ph.project_id::text, ph.position, ph.name, ph.starts_on,
                     ph.ends_on)
          FROM phases AS ph WHERE ph.org_id = p.org_id AND ph.project_id = p.id
          ORDER BY ph.position) AS phases,
    ARRAY(SELECT ROW(t.id::text, t.parent_id::text, t.title, t.assignee_member_id::text,
                     coalesce(u.name, ''), t.starts_on, t.due_on, t.duration_days, t.progress,
                     t.status, t.milestone, t.critical, t.estimate_hours)
          FROM tasks AS t
          LEFT JOIN memberships AS m ON m.id = t.assignee_member_id
          LEFT JOIN users AS u ON u.id = m.user_id
          WHERE t.org_id = p.org_id AND t.project_id = p.id) AS tasks,
    ARRAY(SELECT ROW(l.objective_id::text, coalesce(g.title, ''), l.key_result_id::text,
                     k.id IS NOT NULL, k.name, k.unit, k.current_value, k.target, k.baseline)
          FROM project_goal_links AS l
          LEFT JOIN objectives AS g ON g.id = l.objective_id AND g.org_id = p.org_id
          LEFT JOIN key_results AS k ON k.id = l.key_result_id AND k.org_id = p.org_id
          WHERE l.org_id = p.org_id AND l.project_id = p.id) AS goals,
    ARRAY(SELECT ROW(i.id::text, i.kind, i.title, i.severity, i.probability, i.impact,
                     u.name, i.due_on, i.status, i.escalation)
          FROM work_issues AS i
          LEFT JOIN memberships AS m ON m.id = i.owner_member_id AND m.org_id = p.org_id
          LEFT JOIN users AS u ON u.id = m.user_id
          WHERE i.org_id = p.org_id AND i.project_id = p.id
            AND i.status IN ('open', 'in_progress')
          LIMIT 200) AS issues,
    ARRAY(SELECT ROW(a.id::text, a.created_at, a.actor_user_id::text, a.actor_name, a.action,
                     a.entity_type, a.entity_id, a.entity_label, a.after)
          FROM audit_logs AS a
          WHERE a.org_id = p.org_id
            AND ((a.parent_type = 'projects' AND a.parent_id = p.id::text)
                 OR (a.entity_type = 'projects' AND a.entity_id = p.id::text))
          ORDER BY a.created_at DESC, a.id DESC LIMIT 10) AS activity
FROM projects AS p
JOIN me ON me.org_id = p.org_id
JOIN organizations AS o ON o.id = p.org_id
WHERE p.id = $1
"""
_BATTLE_TASK_FIELDS = (
    "id",
    "parent_id",
    "title",
    "assignee_member_id",
    "assignee_name",
    "starts_on",
    "due_on",
    "duration_days",
    "progress",
    "status",
    "milestone",
    "critical",
    "estimate_hours",
)
_SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def _kpi_progress(k: Any) -> dict[str, Any] | None:
    _oid, _title, _kid, found, name, unit, current, target, baseline = k
    if not found:
        return None
    return {
        "name": name,
        "unit": unit,
        "current": current,
        "target": target,
        "attainment": round(attainment(baseline, target, current).capped, 4),
    }


def _issue(i: Any, today: date) -> dict[str, Any]:
    id_, kind, title, severity, probability, impact, owner, due_on, _status, escalation = i
    return {
        "id": id_,
        "kind": kind,
        "title": title,
        "severity": severity,
        "risk_score": None if probability is None or impact is None else probability * impact,
        "owner_name": owner,
        "due_on": due_on,
        "overdue": due_on is not None and due_on < today,  # all of them are open
        "escalation": escalation,
    }


def _activity(a: Any) -> dict[str, Any]:
    id_, created_at, actor, actor_name, action, entity_type, entity_id, label, after = a
    changed = orjson.loads(after) if action == "update" and after is not None else None
    return {
        "id": id_,
        "created_at": created_at,
        "actor_user_id": actor,
        "actor_name": actor_name,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "entity_label": label,
        "changed": sorted(changed) if isinstance(changed, dict) else [],
    }


@app.get("/projects/{project_id}/battle-map")
async def get_battle_map(
    project_id: uuid.UUID, request: Request, member: uuid.UUID = MemberId
) -> Response:
    r = await _pool(request).fetchrow(BATTLE_MAP, project_id, member)
    if r is None:
        raise HTTPException(404, "Project not found.")
    today = _today(r["timezone"])
    tasks = [dict(zip(_BATTLE_TASK_FIELDS, t, strict=True)) for t in r["tasks"]]
    issues = sorted(
        (_issue(i, today) for i in r["issues"]),
        key=lambda i: (_SEVERITY_RANK[i["severity"]], -(i["risk_score"] or 0), str(i["due_on"])),
    )
    return _json(
        {
            "project": {
                "id": r["id"],
                "code": r["code"],
                "name": r["name"],
                "status": r["status"],
                "starts_on": r["starts_on"],
                "ends_on": r["ends_on"],
                "finish": max((t["due_on"] for t in tasks), default=None),
            },
            "today": today,
            "goals": [
                {
                    "objective_id": g[0],
                    "objective_title": g[1],
                    "key_result_id": g[2],
                    "key_result": None if g[2] is None else _kpi_progress(g),
                }
                for g in r["goals"]
            ],
            "phases": [dict(zip(_PHASE_FIELDS, ph, strict=True)) for ph in r["phases"]],
            **task_summary(tasks, today),
            "open_issues": issues[:20],
            "activity": [_activity(a) for a in r["activity"]],
        }
    )


# ---- finance: a project's budget summary and the overspend list (issue 10) -----------------
# The thresholds in force: the organisation's settings (a positive number each, else the
# default), a project's own over them; a warning threshold above the critical one falls back
# to the defaults. The figures (`mems.finance.figures`: sums per line, category and phase,
# levels, shares, burn and forecasts) are MEMS's pure arithmetic, as the other twins import
# theirs; the sums themselves come from the database.


def _percent(text: str | None) -> Decimal | None:
    """A threshold setting as stored (JSON text): a positive finite number, else None."""
    if text is None:
        return None
    value = orjson.loads(text)
    if value is None or isinstance(value, bool):
        return None
    try:
        percent = Decimal(str(value))
    except ArithmeticError:
        return None
    return percent if percent.is_finite() and percent > 0 else None


def _thresholds(
    org_warn: str | None,
    org_critical: str | None,
    warn: Decimal | None = None,
    critical: Decimal | None = None,
) -> tuple[Thresholds, str]:
    default = Thresholds()
    w, c, source = default.warn, default.critical, "default"
    ow, oc = _percent(org_warn), _percent(org_critical)
    if ow is not None or oc is not None:
        w, c, source = ow or w, oc or c, "organisation"
    if warn is not None or critical is not None:
        w, c, source = (
            warn if warn is not None else w,
            critical if critical is not None else c,
            "project",
        )
    if w > c:
        return default, "default"
    return Thresholds(w, c), source


BUDGET = """
WITH me AS (SELECT org_id FROM memberships WHERE id = $2)
SELECT p.id, p.currency, p.starts_on, p.ends_on, o.timezone,
    (SELECT s.value FROM org_settings AS s
     WHERE s.org_id = p.org_id AND s.key = 'finance.warn_percent') AS org_warn,
    (SELECT s.value FROM org_settings AS s
     WHERE s.org_id = p.org_id AND s.key = 'finance.critical_percent') AS org_critical,
    pb.warn_percent, pb.critical_percent,
    ARRAY(SELECT ROW(b.id::text, b.name, b.category, b.phase_id::text, b.state, b.amount)
          FROM budget_lines AS b WHERE b.org_id = p.org_id AND b.project_id = p.id
          ORDER BY b.position) AS lines,
    ARRAY(SELECT ROW(c.line_id::text, c.category, c.phase_id::text, c.kind,
                     sum(c.amount_project), count(*))
          FROM cost_entries AS c WHERE c.org_id = p.org_id AND c.project_id = p.id
          GROUP BY c.line_id, c.category, c.phase_id, c.kind) AS sums,
    w.done, w.weight
FROM projects AS p
JOIN me ON me.org_id = p.org_id
JOIN organizations AS o ON o.id = p.org_id
LEFT JOIN project_budgets AS pb ON pb.project_id = p.id AND pb.org_id = p.org_id
LEFT JOIN LATERAL (
    -- the work's progress: leaf tasks not cancelled, weighted by their working days
    SELECT sum(t.progress * greatest(t.duration_days, 1)) AS done,
           sum(greatest(t.duration_days, 1)) AS weight
    FROM tasks AS t
    WHERE t.org_id = p.org_id AND t.project_id = p.id AND t.status <> 'cancelled'
      AND NOT EXISTS (SELECT 1 FROM tasks AS c WHERE c.parent_id = t.id)
) AS w ON true
WHERE p.id = $1
"""


def _figures(f: Figures, t: Thresholds) -> dict[str, Any]:
    return {
        "budget": f.budget,
        "actual": f.actual,
        "committed": f.committed,
        "used": f.used,
        "remaining": f.remaining,
        "used_percent": f.used_percent,
        "level": f.level(t).name.lower(),
        "entries": f.entries,
    }


def _forecast(f: Any) -> dict[str, Any]:
    return {"basis": f.basis, "at_completion": f.at_completion, "variance": f.variance}


@app.get("/projects/{project_id}/budget")
async def get_budget(
    project_id: uuid.UUID, request: Request, member: uuid.UUID = MemberId
) -> Response:
    r = await _pool(request).fetchrow(BUDGET, project_id, member)
    if r is None:
        raise HTTPException(404, "Project not found.")
    t, source = _thresholds(
        r["org_warn"], r["org_critical"], r["warn_percent"], r["critical_percent"]
    )
    lines = r["lines"]
    s = summarise(
        [
            LineFacts(id_, category, phase_id, amount if state == "approved" else ZERO)
            for id_, _name, category, phase_id, state, amount in lines
        ],
        [
            CostFacts(line_id, category, phase_id, CostKind(kind), amount, count)
            for line_id, category, phase_id, kind, amount, count in r["sums"]
        ],
    )
    today = _today(r["timezone"])
    progress = Decimal(int(r["done"])) / Decimal(int(r["weight"])) if r["weight"] else None
    burn = finance_burn(
        actual=s.project.actual,
        budget=s.project.budget,
        starts_on=r["starts_on"],
        ends_on=r["ends_on"],
        today=today,
        progress_percent=progress,
    )
    by_category = shares(s.by_category)
    by_phase = shares(s.by_phase)
    return _json(
        {
            "project_id": r["id"],
            "currency": r["currency"],
            "today": today,
            "project": _figures(s.project, t),
            "unbudgeted": _figures(s.unbudgeted, t),
            "lines": [
                {
                    **_figures(s.lines[id_], t),
                    "id": id_,
                    "name": name,
                    "category": category,
                    "phase_id": phase_id,
                    "state": state,
                }
                for id_, name, category, phase_id, state, _amount in lines
            ],
            "by_category": [
                {**_figures(f, t), "category": key, "share_percent": by_category[key]}
                for key, f in sorted(s.by_category.items())
            ],
            "by_phase": [
                {**_figures(f, t), "phase_id": key, "share_percent": by_phase[key]}
                for key, f in s.by_phase.items()
            ],
            "thresholds": {
                "warn_percent": t.warn,
                "critical_percent": t.critical,
                "source": source,
            },
            "burn": {
                "days_elapsed": burn.days_elapsed,
                "days_total": burn.days_total,
                "actual_per_day": burn.per_day,
                "forecast_by_time": _forecast(burn.by_time),
                "forecast_by_progress": _forecast(burn.by_progress),
            },
        }
    )


# The running projects at or past their warning threshold, as a whole or on an approved line:
# the ledger summed per running project and line, the lines' and projects' figures beside the
# thresholds in force (the organisation's settings read as numbers here), the lines that are
# over gathered per project; worst first, then the furthest over.
OVERSPEND = """
WITH me AS (SELECT org_id FROM memberships WHERE id = $1),
settings AS (
    SELECT me.org_id,
        (SELECT CASE WHEN json_typeof(s.value) = 'number' AND (s.value #>> '{}')::numeric > 0
                     THEN (s.value #>> '{}')::numeric END
         FROM org_settings AS s
         WHERE s.org_id = me.org_id AND s.key = 'finance.warn_percent') AS warn,
        (SELECT CASE WHEN json_typeof(s.value) = 'number' AND (s.value #>> '{}')::numeric > 0
                     THEN (s.value #>> '{}')::numeric END
         FROM org_settings AS s
         WHERE s.org_id = me.org_id AND s.key = 'finance.critical_percent') AS critical
    FROM me
),
org AS MATERIALIZED (  -- once, not per project
    SELECT org_id,
        CASE WHEN coalesce(warn, 80) <= coalesce(critical, 100) THEN coalesce(warn, 80)
             ELSE 80 END AS warn,
        CASE WHEN coalesce(warn, 80) <= coalesce(critical, 100) THEN coalesce(critical, 100)
             ELSE 100 END AS critical
    FROM settings
),
running AS (
    SELECT p.id, p.code, p.name, p.currency, p.owner_member_id, p.status,
           pb.warn_percent, pb.critical_percent,
           coalesce(pb.warn_percent, org.warn) AS warn, org.warn AS org_warn,
           org.critical AS org_critical
    FROM projects AS p
    JOIN org ON org.org_id = p.org_id
    LEFT JOIN project_budgets AS pb ON pb.project_id = p.id AND pb.org_id = p.org_id
    WHERE p.status IN ('approved', 'active', 'closing')
),
spent AS (
    SELECT c.project_id, c.line_id, sum(c.amount_project) AS used
    FROM cost_entries AS c JOIN running AS r ON r.id = c.project_id
    WHERE c.org_id = (SELECT org_id FROM me)
    GROUP BY c.project_id, c.line_id
),
lines AS (
    SELECT b.project_id, b.id, b.name, b.category, b.amount, coalesce(s.used, 0.00) AS used,
           (b.amount > 0 AND coalesce(s.used, 0) * 100 >= r.warn * b.amount)
           OR (b.amount <= 0 AND coalesce(s.used, 0) > 0) AS over
    FROM budget_lines AS b
    JOIN running AS r ON r.id = b.project_id
    LEFT JOIN spent AS s ON s.line_id = b.id
    WHERE b.org_id = (SELECT org_id FROM me) AND b.state = 'approved'
),
figures AS (
    SELECT r.*, coalesce(l.budget, 0.00) AS budget, coalesce(u.used, 0.00) AS used,
           l.over_lines
    FROM running AS r
    LEFT JOIN (
        SELECT project_id, sum(amount) AS budget,
               array_agg(ROW(id::text, name, category, amount, used)) FILTER (WHERE over)
                   AS over_lines
        FROM lines GROUP BY project_id
    ) AS l ON l.project_id = r.id
    LEFT JOIN (SELECT project_id, sum(used) AS used FROM spent GROUP BY project_id) AS u
        ON u.project_id = r.id
)
SELECT id, code, name, currency, owner_member_id, status, budget, used, warn_percent,
       critical_percent, org_warn, org_critical, over_lines
FROM figures
WHERE (budget > 0 AND used * 100 >= warn * budget) OR (budget <= 0 AND used > 0)
   OR over_lines IS NOT NULL
ORDER BY CASE WHEN budget > 0 THEN used / budget ELSE 1000000000 END DESC, code
"""


@app.get("/finance/overspend")
async def get_overspend(
    request: Request, mine: bool = False, member: uuid.UUID = MemberId
) -> Response:
    rows = await _pool(request).fetch(OVERSPEND, member)
    out = []
    for r in rows:
        if mine and r["owner_member_id"] != str(member):
            continue
        warn = r["warn_percent"] if r["warn_percent"] is not None else r["org_warn"]
        critical = r["critical_percent"] if r["critical_percent"] is not None else r["org_critical"]
        t = Thresholds(warn, critical) if warn <= critical else Thresholds()
        lines = []
        for id_, name, category, budget, used in r["over_lines"] or ():
            line_level = level(used, budget, t)
            if line_level > Level.OK:
                lines.append(
                    {
                        "id": id_,
                        "name": name,
                        "category": category,
                        "budget": budget,
                        "used": used,
                        "used_percent": ratio(used, budget),
                        "level": line_level,
                    }
                )
        lines.sort(key=lambda x: (-x["level"], x["name"]))
        budget, used = r["budget"], r["used"]
        project_level = level(used, budget, t)
        if project_level == Level.OK and not lines:
            continue
        out.append(
            {
                "id": r["id"],
                "code": r["code"],
                "name": r["name"],
                "currency": r["currency"],
                "owner_member_id": r["owner_member_id"],
                "status": r["status"],
                "budget": budget,
                "used": used,
                "used_percent": ratio(used, budget),
                "level": project_level,
                "warn_percent": t.warn,
                "critical_percent": t.critical,
                "lines": lines,
            }
        )
    out.sort(key=lambda p: -max([p["level"], *(x["level"] for x in p["lines"])]))
    for p in out:
        p["level"] = p["level"].name.lower()
        for x in p["lines"]:
            x["level"] = x["level"].name.lower()
    return _json(out)
