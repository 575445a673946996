"""Cost ledger and budget endpoints (成本台账, 预算)."""

from __future__ import annotations

import json
import re
import uuid
from typing import Annotated, Any

from fastapi import HTTPException, Query, Request, Response, status
from starlette.datastructures import UploadFile

from mems.collab.service import UnsupportedMediaType
from mems.config import Settings
from mems.core.db import OneReaderDep, ReaderDep, SessionDep
from mems.core.errors import (
    GUARDED,
    ONE,
    Conflict,
    NotFound,
    PayloadTooLarge,
    PreconditionFailed,
    StaleVersion,
    ValidationFailed,
    problem_responses,
    request_locale,
)
from mems.core.i18n import Locale, Message, _
from mems.core.pagination import Page, PageParamsDep
from mems.core.responses import json_response
from mems.core.routing import API_PREFIX, api_router
from mems.core.schemas import IsoDay
from mems.core.versioning import IfMatchHeader, set_etag
from mems.finance import cost_import, costs, finance_settings, imports, labour, overview, requests
from mems.finance.categories import BudgetCategory
from mems.finance.changes import Ask
from mems.finance.figures import CostKind
from mems.finance.repository import CostFilter
from mems.finance.schemas import (
    BudgetRequestCreate,
    BudgetRequestRead,
    BudgetSettingsIn,
    BudgetSummaryRead,
    CostCreate,
    CostImportErrorRead,
    CostImportPreviewRead,
    CostImportResultRead,
    CostImportRowRead,
    CostImportTotalsRead,
    CostRead,
    CurrencyShareRead,
    FinanceSettingsIn,
    FinanceSettingsRead,
    LabourSyncRead,
    OrgCostRead,
    OverProjectRead,
    ProjectShareRead,
    ThresholdsRead,
    TransparencyRead,
)
from mems.identity.auth import Requires
from mems.identity.permissions import Permission
from mems.identity.principal import Principal

router = api_router(
    tags=["finance"],
    responses=GUARDED,
)
Read = Requires(Permission.BUDGET_READ)
Record = Requires(Permission.COSTS_RECORD)
Verify = Requires(Permission.COSTS_VERIFY)
OrgManage = Requires(Permission.ORG_MANAGE)
Ask_ = Requires(Permission.BUDGET_REQUEST)


@router.post(
    "/projects/{project_id}/costs",
    response_model=CostRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(NotFound, Conflict),
)
async def record_cost(
    project_id: uuid.UUID, body: CostCreate, session: SessionDep, principal: Principal = Record
) -> CostRead:
    """Record one cost on a registered, running project (finance: any project; the others:
    the projects they manage). An amount in another currency than the project's needs its
    rate and is converted once, here, to the cent (half up). Crossing a line's or the
    project's warn or critical threshold notifies the project manager, finance and the
    directors, once per crossing."""
    entry = await costs.record(
        session,
        principal,
        project_id,
        costs.CostInput(
            kind=body.kind,
            amount=body.amount,
            currency=body.currency,
            rate=body.rate,
            incurred_on=body.incurred_on,
            line_id=body.line_id,
            category=body.category,
            phase_id=body.phase_id,
            vendor=body.vendor,
            description=body.description,
        ),
    )
    return _cost_read(entry, receipts=0)


@router.get("/projects/{project_id}/costs", response_model=Page[CostRead], responses=ONE)
async def list_costs(
    project_id: uuid.UUID,
    session: SessionDep,
    page: PageParamsDep,
    kind: CostKind | None = None,
    line_id: uuid.UUID | None = None,
    category: BudgetCategory | None = None,
    incurred_from: Annotated[IsoDay | None, Query(description="From this day on")] = None,
    incurred_to: Annotated[IsoDay | None, Query(description="Up to this day")] = None,
    principal: Principal = Read,
) -> Page[CostRead]:
    """The project's cost ledger, latest day first."""
    filters = CostFilter(kind, line_id, category, incurred_from, incurred_to)
    items, total = await costs.list_costs(session, principal, project_id, filters, page)
    return Page(
        items=[CostRead.model_validate(i) for i in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "/costs/{cost_id}/verify",
    response_model=CostRead,
    responses=problem_responses(NotFound, Conflict, PreconditionFailed),
)
async def verify_cost(
    cost_id: uuid.UUID,
    response: Response,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Verify,
) -> CostRead:
    """Finance checked the cost against its receipt (once)."""
    entry, receipts = await costs.verify(session, principal, cost_id, if_match)
    set_etag(response, entry.version)
    return _cost_read(entry, receipts=receipts)


# ---- the ledger's import, receipts' count, finance's list (issue 10) --------------------------

IMPORT_PATH = re.compile(re.escape(API_PREFIX) + r"/projects/[^/]+/costs/import")
_IMPORT_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "A .csv (UTF-8 or GBK), .xlsx, .xls or .ods file",
                    },
                    "mapping": {
                        "type": "string",
                        "description": (
                            "JSON object: field → the file's column header, over the guessed "
                            "mapping (null: leave the field unmapped)"
                        ),
                    },
                    "commit": {
                        "type": "boolean",
                        "default": False,
                        "description": "false: preview; true: write every row or none",
                    },
                },
            }
        }
    },
}
PREVIEW_ROWS = 200
_FORM_FIELD_BYTES = 64 * 1024


def _cost_read(entry: Any, *, receipts: int) -> CostRead:
    return CostRead.model_validate(
        {name: getattr(entry, name) for name in _COST_COLUMNS} | {"receipt_count": receipts}
    )


_COST_COLUMNS = [name for name in CostRead.model_fields if name != "receipt_count"]


def _form_refused(field: str, message: Message) -> ValidationFailed:
    return ValidationFailed.on(field, message, "upload")


async def _import_form(
    request: Request, limit: int
) -> tuple[cost_import.Upload, dict[str, str | None] | None, bool]:
    """The multipart body's file (at most `limit` bytes), mapping and commit flag."""
    try:
        form = await request.form(max_files=1, max_fields=8, max_part_size=_FORM_FIELD_BYTES)
    except HTTPException as error:  # Starlette's answer to a malformed multipart body
        if error.status_code != status.HTTP_400_BAD_REQUEST:
            raise
        raise _form_refused("file", _("The multipart body is malformed.")) from None
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise _form_refused(
                "file", _("Send the file as multipart/form-data, in a part named “file”.")
            )
        cost_import.check_size(upload.size or 0, limit)
        data = await upload.read(limit + 1)
        cost_import.check_size(len(data), limit)
        filename = upload.filename or ""
    finally:
        await form.close()
    return cost_import.Upload(filename, data), _mapping_field(form.get("mapping")), _flag(form)


def _mapping_field(raw: Any) -> dict[str, str | None] | None:
    if raw is None or raw == "":
        return None
    message = _("The mapping is a JSON object of field names to column headers.")
    if not isinstance(raw, str):
        raise _form_refused("mapping", message)
    try:
        value = json.loads(raw)
    except ValueError:
        raise _form_refused("mapping", message) from None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in value.items()
    ):
        raise _form_refused("mapping", message)
    return value


def _flag(form: Any) -> bool:
    raw = form.get("commit")
    if raw is None or raw == "":
        return False
    text = raw.strip().lower() if isinstance(raw, str) else ""
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise _form_refused("commit", _("commit is true or false."))


def _preview_read(checked: cost_import.Checked, locale: Locale) -> CostImportPreviewRead:
    return CostImportPreviewRead(
        columns=checked.columns,
        fields=list(imports.FIELDS),
        required=list(imports.REQUIRED),
        mapping=checked.mapping,
        total_rows=checked.total_rows,
        rows=[
            CostImportRowRead(
                row=r.row,
                incurred_on=r.entry.incurred_on,
                kind=r.entry.kind,
                amount=r.entry.amount,
                currency=r.entry.currency,
                rate=r.entry.rate,
                amount_project=r.entry.amount_project,
                line_id=r.entry.line_id,
                line_name=r.line_name,
                category=r.entry.category,
                phase_id=r.entry.phase_id,
                vendor=r.entry.vendor,
                description=r.entry.description,
            )
            for r in checked.rows[:PREVIEW_ROWS]
        ],
        errors=[
            CostImportErrorRead(
                row=e.row, column=e.column, field=e.field, message=e.message.render(locale)
            )
            for e in checked.errors[: cost_import.SHOWN_ERRORS]
        ],
        error_count=len(checked.errors),
        totals=CostImportTotalsRead(
            currency=checked.project.currency,
            rows=len(checked.rows),
            actual=checked.total(CostKind.ACTUAL),
            committed=checked.total(CostKind.COMMITTED),
            total=checked.total(),
        ),
        can_commit=not checked.errors and bool(checked.rows),
    )


@router.post(
    "/projects/{project_id}/costs/import",
    response_model=CostImportPreviewRead,
    responses={
        201: {"model": CostImportResultRead, "description": "Committed: every row written"},
        **problem_responses(NotFound, Conflict, PayloadTooLarge, UnsupportedMediaType),
    },
    openapi_extra={"requestBody": _IMPORT_BODY},
)
async def import_costs(
    project_id: uuid.UUID, request: Request, session: SessionDep, principal: Principal = Record
) -> Response:
    """Import costs from a spreadsheet (multipart: `file`, optional `mapping`, `commit`), on a
    project one may record costs on. The file is a CSV (UTF-8 or GBK) or an Excel workbook
    (first sheet), by extension and content (else 415), at most `max_import_bytes` (else
    413) and 10,000 rows (else 422). Columns are guessed from the header (日期, 金额, 币种,
    汇率, 类型, 预算科目 (a line of the project by name), 类别, 阶段, 供应商, 说明 …);
    `mapping` overrides the guess. Each row is checked like a cost recorded by hand.
    `commit` false: a preview (200) — the columns, the mapping, the first rows with their
    converted amounts, every problem by the spreadsheet's row and column, the totals.
    `commit` true: every row is written (201, the entries' ids, source `import`) or, with any
    problem, none (422: each problem named `rows[<row>].<field>`); a budget threshold crossed
    by the import is announced once."""
    project = await cost_import.project_to_import_into(session, principal, project_id)
    settings: Settings = request.app.state.settings
    upload, mapping, commit = await _import_form(request, settings.max_import_bytes)
    if commit:
        ids = await cost_import.import_all(session, principal, project, upload, mapping)
        return json_response(
            {"count": len(ids), "ids": ids},
            CostImportResultRead,
            status_code=status.HTTP_201_CREATED,
        )
    checked = await cost_import.preview(session, principal, project, upload, mapping)
    return json_response(
        _preview_read(checked, request_locale(request)).model_dump(mode="json"),
        CostImportPreviewRead,
    )


@router.get("/costs/{cost_id}", response_model=OrgCostRead, responses=ONE)
async def get_cost(
    cost_id: uuid.UUID, session: SessionDep, principal: Principal = Read
) -> OrgCostRead:
    """One cost with its project's code and name and its receipts' count (whoever reads the
    project's budget): where a link to a cost, e.g. a mention in its discussion, lands."""
    return OrgCostRead.model_validate(await costs.get_cost(session, principal, cost_id))


@router.get("/costs", response_model=Page[OrgCostRead])
async def list_org_costs(
    session: SessionDep,
    page: PageParamsDep,
    verified: Annotated[bool | None, Query(description="Verified, or not yet (false)")] = None,
    project_id: uuid.UUID | None = None,
    kind: CostKind | None = None,
    category: BudgetCategory | None = None,
    incurred_from: Annotated[IsoDay | None, Query(description="From this day on")] = None,
    incurred_to: Annotated[IsoDay | None, Query(description="Up to this day")] = None,
    principal: Principal = Verify,
) -> Page[OrgCostRead]:
    """The organisation's costs across its projects, latest day first, each with its
    project's code and name and its receipts' count: finance's entries to verify
    (`verified=false`)."""
    filters = CostFilter(
        kind=kind,
        category=category,
        incurred_from=incurred_from,
        incurred_to=incurred_to,
        project_id=project_id,
        verified=verified,
    )
    items, total = await costs.org_costs(session, principal, filters, page)
    return Page(
        items=[OrgCostRead.model_validate(i) for i in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/projects/{project_id}/budget", response_model=BudgetSummaryRead, responses=ONE)
async def budget_summary(
    project_id: uuid.UUID, reader: OneReaderDep, principal: Principal = Read
) -> Response:
    """The project's budget against its costs, always current: per line, per category and
    per phase (with each one's share of the money used), the project's totals (which equal
    the sum of their parts to the cent), the thresholds in force, the burn rate and two
    forecasts at completion — linear on elapsed calendar days, and linear on the work's
    progress (leaf tasks' progress weighted by their length). Budget is the approved lines'
    amounts; used is actual plus committed."""
    return json_response(await costs.view_budget(reader, principal, project_id), BudgetSummaryRead)


@router.post(
    "/projects/{project_id}/labour-costs/sync",
    response_model=LabourSyncRead,
    responses=problem_responses(NotFound),
)
async def sync_labour_costs(
    project_id: uuid.UUID, session: SessionDep, principal: Principal = Record
) -> LabourSyncRead:
    """Price the project's labour now (an hourly job does it anyway): each person's actual
    hours on its leaf tasks × their hourly rate (their person resource) becomes, changes or
    removes their labour entry, on the project's first approved labour line. Hours of people
    without a rate in the project's currency stay unpriced and are counted here."""
    done = await labour.sync_now(session, principal, project_id)
    return LabourSyncRead(
        made=done.made,
        changed=done.changed,
        removed=done.removed,
        unpriced_hours=done.unpriced_hours,
    )


# ---- thresholds -----------------------------------------------------------------------------


@router.put(
    "/projects/{project_id}/budget-settings",
    response_model=ThresholdsRead,
    responses=problem_responses(NotFound),
)
async def set_budget_settings(
    project_id: uuid.UUID,
    body: BudgetSettingsIn,
    session: SessionDep,
    principal: Principal = Record,
) -> ThresholdsRead:
    """The project's own warn / critical thresholds in percent of its budget (null: the
    organisation's). Finance sets them on any project, a project manager on theirs. A
    threshold the project is already past is announced at once."""
    project = await costs.set_thresholds(
        session, principal, project_id, body.warn_percent, body.critical_percent
    )
    budget = await costs.budget_row_of(session, project)
    t, source = await costs.thresholds_of(session, project.org_id, budget)
    return ThresholdsRead(warn_percent=t.warn, critical_percent=t.critical, source=source)


# ---- budget requests ------------------------------------------------------------------------


def _request_read(request: Any) -> BudgetRequestRead:
    return BudgetRequestRead.model_validate(request)


@router.post(
    "/projects/{project_id}/budget-requests",
    response_model=BudgetRequestRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(NotFound, Conflict),
)
async def create_budget_request(
    project_id: uuid.UUID,
    body: BudgetRequestCreate,
    session: SessionDep,
    principal: Principal = Ask_,
) -> BudgetRequestRead:
    """Ask for budget on a registered project the caller manages (预算申请; on a project with
    approved lines, a change: 预算变更): items name a line of the project (its approved amount
    becomes `amount`) or a new line (category, name, optional phase). The request walks the
    organisation's budget approval flow (by default the director, then finance when the money
    added exceeds ¥50,000); the approvers weigh the lines' increases. Approved, the items
    become the lines' approved amounts. One request per project waits at a time."""
    request = await requests.open_request(
        session,
        principal,
        project_id,
        body.reason,
        [
            Ask(
                amount=i.amount,
                line_id=i.line_id,
                category=None if i.category is None else i.category.value,
                name=i.name,
                phase_id=i.phase_id,
            )
            for i in body.items
        ],
    )
    return _request_read(request)


@router.get(
    "/projects/{project_id}/budget-requests",
    response_model=Page[BudgetRequestRead],
    responses=ONE,
)
async def list_budget_requests(
    project_id: uuid.UUID, session: SessionDep, page: PageParamsDep, principal: Principal = Read
) -> Page[BudgetRequestRead]:
    """The project's budget requests, newest first."""
    items, total = await requests.list_requests(session, principal, project_id, page)
    return Page(
        items=[_request_read(i) for i in items], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/budget-requests/{request_id}", response_model=BudgetRequestRead, responses=ONE)
async def get_budget_request(
    request_id: uuid.UUID, session: SessionDep, principal: Principal = Read
) -> BudgetRequestRead:
    """One budget request with its items (what each line had and is asked to get)."""
    return _request_read(await requests.get(session, principal, request_id))


@router.post(
    "/budget-requests/{request_id}/withdraw",
    response_model=BudgetRequestRead,
    responses=problem_responses(NotFound, Conflict),
)
async def withdraw_budget_request(
    request_id: uuid.UUID, session: SessionDep, principal: Principal = Ask_
) -> BudgetRequestRead:
    """Take a pending request back (its requester, or whoever manages the project)."""
    return _request_read(await requests.withdraw(session, principal, request_id))


# ---- the organisation's overview --------------------------------------------------------------


@router.get("/finance/overspend", response_model=list[OverProjectRead])
async def list_overspend(
    reader: ReaderDep,
    mine: Annotated[bool, Query(description="Only the projects I manage")] = False,
    principal: Principal = Read,
) -> Response:
    """The running projects at or past their warning threshold — as a whole or on a budget
    line — the furthest over first, each with the lines that are (thresholds: the project's
    own, else the organisation's). Always current: computed from the ledger on every call."""
    rows = await overview.overspend(reader, principal, mine=mine)
    return json_response(rows, list[OverProjectRead])


def _share(s: overview.Share) -> dict[str, Any]:
    return {
        "recorded": s.recorded,
        "on_lines": s.on_lines,
        "unlinked": s.unlinked,
        "share_percent": s.share_percent,
        "entries": s.entries,
        "entries_on_lines": s.entries_on_lines,
    }


@router.get(
    "/finance/transparency",
    response_model=TransparencyRead,
    responses=problem_responses(ValidationFailed),
)
async def get_transparency(
    reader: ReaderDep,
    session: SessionDep,
    first: Annotated[IsoDay | None, Query(description="From this day (default: 1 January)")] = None,
    last: Annotated[IsoDay | None, Query(description="Up to this day (default: today)")] = None,
    principal: Principal = Read,
) -> TransparencyRead:
    """Budget transparency (预算透明度) for a period: of the costs recorded (by the day they
    were incurred), the share tied to a registered project's budget line — the seed aims at
    95 % or more. Per currency, and per project so the unlinked spend can be found."""
    today = await costs.org_today(session, principal)
    last = last or today
    first = first or last.replace(month=1, day=1)
    if first > last:
        raise ValidationFailed.on("first", _("The period starts after it ends."), "after_last")
    t = await overview.transparency(reader, principal, first, last)
    return TransparencyRead(
        first=t.first,
        last=t.last,
        target_percent=overview.TARGET_PERCENT,
        currencies=[CurrencyShareRead(currency=c, **_share(s)) for c, s in t.by_currency.items()],
        projects=[
            ProjectShareRead(
                project_id=p.project_id,
                code=p.code,
                name=p.name,
                currency=p.currency,
                **_share(p.share),
            )
            for p in t.projects
        ],
    )


# ---- the organisation's thresholds ------------------------------------------------------------


def _settings_read(s: finance_settings.FinanceSettings) -> FinanceSettingsRead:
    return FinanceSettingsRead(
        warn_percent=s.warn_percent,
        critical_percent=s.critical_percent,
        default=s.default,
        revision=s.revision,
    )


@router.get("/finance-settings", response_model=FinanceSettingsRead)
async def get_finance_settings(
    session: SessionDep, principal: Principal = Read
) -> FinanceSettingsRead:
    """The organisation's overspend thresholds: the percent of a budget at which used money
    warns and is critical, for every project without its own (default 80 / 100)."""
    return _settings_read(await finance_settings.finance_settings(session, principal))


@router.put(
    "/finance-settings",
    response_model=FinanceSettingsRead,
    responses=problem_responses(StaleVersion),
)
async def set_finance_settings(
    body: FinanceSettingsIn, session: SessionDep, principal: Principal = OrgManage
) -> FinanceSettingsRead:
    """Set the organisation's overspend thresholds (admins): more than zero, the warning at
    most the critical one. Send the `revision` you read: if someone changed either since,
    this is a 409. Reads follow at once; a crossing they cause is told with the next cost."""
    return _settings_read(
        await finance_settings.set_finance_settings(
            session, principal, body.warn_percent, body.critical_percent, body.revision
        )
    )
