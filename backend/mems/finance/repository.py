"""Finance's SQL."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import (
    ScalarSelect,
    SQLColumnExpression,
    String,
    and_,
    bindparam,
    cast,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from mems.collab import service as collab
from mems.core.db import Reader, ReadStatement
from mems.core.pagination import PageParams, counted_page, paginate
from mems.core.sqljson import JsonArray, json_object, rows_as_json, uuid_text
from mems.core.tenancy import scoped
from mems.finance.categories import BudgetCategory
from mems.finance.figures import CostKind
from mems.finance.models import (
    BudgetLine,
    BudgetRequest,
    BudgetRequestState,
    CostEntry,
    ProjectBudget,
)
from mems.identity import service as identity
from mems.projects import service as projects
from mems.work import service as work


async def lines_of(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID
) -> list[BudgetLine]:
    """A project's budget lines in their order."""
    result = await session.scalars(
        scoped(BudgetLine, org_id, BudgetLine.project_id == project_id).order_by(
            BudgetLine.position
        )
    )
    return list(result)


async def next_position(session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID) -> int:
    lines = await lines_of(session, org_id, project_id)
    return max((line.position for line in lines), default=-1) + 1


def lines_json_of(
    project_id: SQLColumnExpression[uuid.UUID], org_id: SQLColumnExpression[uuid.UUID]
) -> ScalarSelect[Any]:
    """SQL: a project's budget lines as a JSON array (amounts as text, never floats)."""
    return rows_as_json(
        {
            "id": BudgetLine.id,
            "position": BudgetLine.position,
            "category": BudgetLine.category,
            "name": BudgetLine.name,
            "phase_id": BudgetLine.phase_id,
            "amount": cast(BudgetLine.amount, String),
            "state": BudgetLine.state,
        },
        BudgetLine.project_id == project_id,
        BudgetLine.org_id == org_id,
    )


async def get_line(
    session: AsyncSession, org_id: uuid.UUID, line_id: uuid.UUID
) -> BudgetLine | None:
    return await session.scalar(scoped(BudgetLine, org_id, BudgetLine.id == line_id))


async def budget_of(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID, *, lock: bool = False
) -> ProjectBudget | None:
    stmt = scoped(ProjectBudget, org_id, ProjectBudget.project_id == project_id)
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def get_cost(
    session: AsyncSession, org_id: uuid.UUID, cost_id: uuid.UUID
) -> CostEntry | None:
    return await session.scalar(scoped(CostEntry, org_id, CostEntry.id == cost_id))


@dataclass(frozen=True)
class CostFilter:
    kind: CostKind | None = None
    line_id: uuid.UUID | None = None
    category: BudgetCategory | None = None
    incurred_from: date | None = None
    incurred_to: date | None = None
    project_id: uuid.UUID | None = None
    verified: bool | None = None
    cost_id: uuid.UUID | None = None  # one entry


def _receipts() -> Any:
    """How many receipts (collab's files) a cost has."""
    return collab.receipt_count_of(CostEntry.id, CostEntry.org_id).label("receipt_count")


async def costs_page(
    session: AsyncSession,
    org_id: uuid.UUID,
    filters: CostFilter,
    params: PageParams,
    *,
    with_project: bool,
) -> tuple[list[dict[str, Any]], int]:
    """A page of costs, latest day first, each with its receipts counted (and, `with_project`,
    its project's code and name), and the count of all that match: one statement."""
    # Every column of the entry (as the ORM maps it, so the tenant filter applies), then more.
    columns: list[Any] = [getattr(CostEntry, c.key) for c in CostEntry.__mapper__.column_attrs]
    columns.append(_receipts())
    if with_project:
        columns.append(projects.project_code_of(CostEntry.project_id).label("project_code"))
        columns.append(projects.project_name_of(CostEntry.project_id).label("project_name"))
    stmt = select(*columns).where(CostEntry.org_id == org_id)
    if filters.project_id is not None:
        stmt = stmt.where(CostEntry.project_id == filters.project_id)
    if filters.cost_id is not None:
        stmt = stmt.where(CostEntry.id == filters.cost_id)
    if filters.kind is not None:
        stmt = stmt.where(CostEntry.kind == filters.kind)
    if filters.line_id is not None:
        stmt = stmt.where(CostEntry.line_id == filters.line_id)
    if filters.category is not None:
        stmt = stmt.where(CostEntry.category == filters.category)
    if filters.incurred_from is not None:
        stmt = stmt.where(CostEntry.incurred_on >= filters.incurred_from)
    if filters.incurred_to is not None:
        stmt = stmt.where(CostEntry.incurred_on <= filters.incurred_to)
    if filters.verified is not None:
        verified = CostEntry.verified_at.is_not(None)
        stmt = stmt.where(verified if filters.verified else ~verified)
    page = counted_page(
        stmt, CostEntry.incurred_on.desc(), CostEntry.created_at.desc(), CostEntry.id
    )
    result = await session.execute(page, {"limit": params.limit, "offset": params.offset})
    rows = [dict(row) for row in result.mappings()]
    total = int(rows[0]["total"]) if rows else 0
    return [row for row in rows if row["id"] is not None], total


async def receipt_count(session: AsyncSession, org_id: uuid.UUID, cost_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(_receipts()).where(CostEntry.org_id == org_id, CostEntry.id == cost_id)
    )
    return int(count or 0)


@dataclass(frozen=True)
class CostSum:
    line_id: uuid.UUID | None
    category: str
    phase_id: uuid.UUID | None
    kind: CostKind
    amount: Decimal
    count: int


async def cost_sums(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID
) -> list[CostSum]:
    """The project's costs summed in SQL per line, category, phase and kind (`figures.
    summarise` counts those on a line under the line's category and phase)."""
    stmt = (
        select(
            CostEntry.line_id,
            CostEntry.category,
            CostEntry.phase_id,
            CostEntry.kind,
            func.sum(CostEntry.amount_project),
            func.count(),
        )
        .where(CostEntry.org_id == org_id, CostEntry.project_id == project_id)
        .group_by(CostEntry.line_id, CostEntry.category, CostEntry.phase_id, CostEntry.kind)
    )
    return [
        CostSum(
            line_id=line_id,
            category=str(cat),
            phase_id=None if ph is None else uuid.UUID(str(ph)),
            kind=CostKind(kind),
            amount=Decimal(str(amount)),
            count=int(count),
        )
        for line_id, cat, ph, kind, amount, count in (await session.execute(stmt)).all()
    ]


@cache
def _budget_view_statement(warn_key: str, critical_key: str) -> ReadStatement:
    """The budget summary's figures of one project (`:project_id`) in one statement: its
    id, manager, currency and dates, its own thresholds and the organisation's settings
    `warn_key` and `critical_key`, the organisation's time zone, its budget lines, its costs
    summed per line, category, phase and kind (JSON arrays: ids as text, amounts as text,
    never floats), and the work's progress (`work.progress_json_of`)."""
    project_id, org_id = projects.project_column("id"), projects.project_column("org_id")
    wanted = bindparam("project_id", type_=CostEntry.project_id.type)
    sums = (
        select(
            CostEntry.line_id,
            CostEntry.category,
            CostEntry.phase_id,
            CostEntry.kind,
            func.sum(CostEntry.amount_project).label("amount"),
            func.count().label("entries"),
        )
        .where(CostEntry.project_id == wanted)
        .group_by(CostEntry.line_id, CostEntry.category, CostEntry.phase_id, CostEntry.kind)
        .subquery("sums")
    )
    lines = rows_as_json(
        {
            "id": uuid_text(BudgetLine.id),
            "position": BudgetLine.position,
            "category": BudgetLine.category,
            "name": BudgetLine.name,
            "phase_id": uuid_text(BudgetLine.phase_id),
            "amount": cast(BudgetLine.amount, String),
            "state": BudgetLine.state,
        },
        BudgetLine.project_id == project_id,
        BudgetLine.org_id == org_id,
    )
    costs = (
        select(
            JsonArray(
                json_object(
                    {
                        "line_id": uuid_text(sums.c.line_id),
                        "category": sums.c.category,
                        "phase_id": uuid_text(sums.c.phase_id),
                        "kind": sums.c.kind,
                        "amount": cast(sums.c.amount, String),
                        "entries": sums.c.entries,
                    }
                )
            )
        )
        .select_from(sums)
        .scalar_subquery()
    )
    return ReadStatement(
        select(
            project_id.label("id"),
            projects.project_column("owner_member_id").label("owner_member_id"),
            projects.project_column("currency").label("currency"),
            projects.project_column("starts_on").label("starts_on"),
            projects.project_column("ends_on").label("ends_on"),
            ProjectBudget.warn_percent,
            ProjectBudget.critical_percent,
            identity.org_setting_of(org_id, warn_key).label("warn_setting"),
            identity.org_setting_of(org_id, critical_key).label("critical_setting"),
            identity.org_timezone_of(org_id).label("timezone"),
            lines.label("lines"),
            costs.label("costs"),
            work.progress_json_of(project_id, org_id).label("progress"),
        )
        .select_from(projects.projects_table())
        .outerjoin(
            ProjectBudget,
            and_(ProjectBudget.project_id == project_id, ProjectBudget.org_id == org_id),
        )
        .where(project_id == wanted)
    )


@cache
def _org_thresholds_statement(warn_key: str, critical_key: str) -> ReadStatement:
    org_id = bindparam("org_id", type_=CostEntry.org_id.type)
    return ReadStatement(
        select(
            identity.org_setting_of(org_id, warn_key).label("warn_setting"),
            identity.org_setting_of(org_id, critical_key).label("critical_setting"),
        )
    )


async def view_org_thresholds(
    reader: Reader, org_id: uuid.UUID, warn_key: str, critical_key: str
) -> tuple[Any, Any]:
    """The organisation's settings `warn_key` and `critical_key` (None when unset)."""
    row = await reader.first(_org_thresholds_statement(warn_key, critical_key), org_id=org_id)
    return (None, None) if row is None else (row["warn_setting"], row["critical_setting"])


async def view_budget(
    reader: Reader, project_id: uuid.UUID, warn_key: str, critical_key: str
) -> dict[str, Any] | None:
    """`_budget_view_statement`'s row for a project of the reader's organisation, or None."""
    return await reader.first(_budget_view_statement(warn_key, critical_key), project_id=project_id)


async def labour_entries_of(session: AsyncSession, project: Any) -> list[CostEntry]:
    """The project's derived labour entries (one per person)."""
    result = await session.scalars(
        scoped(
            CostEntry,
            project.org_id,
            CostEntry.project_id == project.id,
            CostEntry.labour_member_id.is_not(None),
        )
    )
    return list(result)


# ---- budget requests ------------------------------------------------------------------------


async def get_request(
    session: AsyncSession, org_id: uuid.UUID, request_id: uuid.UUID
) -> BudgetRequest | None:
    return await session.scalar(scoped(BudgetRequest, org_id, BudgetRequest.id == request_id))


async def any_request_in(session: AsyncSession, org_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(BudgetRequest.id).where(BudgetRequest.org_id == org_id).limit(1)
    )
    return found is not None


async def pending_request(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID
) -> BudgetRequest | None:
    return await session.scalar(
        scoped(
            BudgetRequest,
            org_id,
            BudgetRequest.project_id == project_id,
            BudgetRequest.state == BudgetRequestState.PENDING,
        )
    )


async def requests_of(
    session: AsyncSession, org_id: uuid.UUID, project_id: uuid.UUID, params: PageParams
) -> tuple[list[BudgetRequest], int]:
    stmt = scoped(BudgetRequest, org_id, BudgetRequest.project_id == project_id).order_by(
        BudgetRequest.created_at.desc(), BudgetRequest.id
    )
    return await paginate(session, stmt, params)
