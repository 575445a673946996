"""Finance's API shapes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from mems.core.schemas import DecimalIn, InputModel, JsonInt, ReadModel
from mems.finance.categories import BudgetCategory
from mems.finance.figures import CostKind, ForecastBasis
from mems.finance.models import (
    BudgetLineState,
    BudgetRequestKind,
    BudgetRequestState,
    CostSource,
)


class BudgetLineRead(ReadModel):
    id: uuid.UUID
    position: int
    category: BudgetCategory
    name: str
    phase_id: uuid.UUID | None
    amount: Decimal
    state: BudgetLineState


# ---- the cost ledger ------------------------------------------------------------------------

# Positive, at most two decimals, below a hundred billion: a cost's amount in its currency.
CostAmount = Annotated[Decimal, DecimalIn(13, 2, ge=0, positive=True)]
Rate = Annotated[Decimal, DecimalIn(18, 6, ge=0, positive=True)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class CostCreate(InputModel):
    kind: CostKind = Field(description="committed: an order or contract; actual: an invoice")
    amount: CostAmount = Field(description="More than zero, in `currency`, at most 2 decimals")
    currency: Currency | None = Field(
        default=None, description="ISO 4217 code (default: the project's currency)"
    )
    rate: Rate | None = Field(
        default=None,
        description="Project currency per one unit of `currency`: required when it differs",
    )
    incurred_on: date
    line_id: uuid.UUID | None = Field(default=None, description="A budget line of the project")
    category: BudgetCategory | None = Field(
        default=None, description="Required without a line (a line gives its own)"
    )
    phase_id: uuid.UUID | None = Field(default=None, description="A phase of the project")
    vendor: Annotated[str, StringConstraints(max_length=200)] | None = None
    description: Annotated[str, StringConstraints(max_length=5000)] | None = None

    @field_validator("amount", "rate")
    @classmethod
    def _positive(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and value <= 0:
            raise PydanticCustomError("greater_than", "must be greater than 0")
        return value


class CostRead(ReadModel):
    id: uuid.UUID
    project_id: uuid.UUID
    line_id: uuid.UUID | None
    category: BudgetCategory
    phase_id: uuid.UUID | None
    vendor: str | None
    kind: CostKind
    amount: Decimal
    currency: str
    rate: Decimal
    amount_project: Decimal
    incurred_on: date
    description: str | None
    source: CostSource
    recorded_by_member_id: uuid.UUID | None
    verified_at: datetime | None
    verified_by_member_id: uuid.UUID | None
    created_at: datetime
    version: int
    receipt_count: int = Field(description="Files attached to the entry (its receipts)")


class OrgCostRead(CostRead):
    """A cost in the organisation's list (finance's entries to verify)."""

    project_code: str
    project_name: str


class CostImportRowRead(BaseModel):
    row: int = Field(description="The row's number as the spreadsheet shows it (header: above)")
    incurred_on: date
    kind: CostKind
    amount: Decimal
    currency: str
    rate: Decimal
    amount_project: Decimal = Field(description="In the project's currency, to the cent")
    line_id: uuid.UUID | None
    line_name: str | None
    category: BudgetCategory
    phase_id: uuid.UUID | None
    vendor: str | None
    description: str | None


class CostImportErrorRead(BaseModel):
    row: int = Field(description="The spreadsheet's row (1: the header, or the file as a whole)")
    column: str = Field(description="The column as the file names it (empty: none)")
    field: str = Field(description="The field the column is mapped to (empty: none)")
    message: str


class CostImportTotalsRead(BaseModel):
    currency: str = Field(description="The project's currency")
    rows: int = Field(description="Rows that make an entry")
    actual: Decimal
    committed: Decimal
    total: Decimal


class CostImportPreviewRead(BaseModel):
    columns: list[str] = Field(description="The file's column headers")
    fields: list[str] = Field(description="What a column may be mapped to")
    required: list[str] = Field(description="The fields a mapping must have")
    mapping: dict[str, str] = Field(description="Field → the file's column, as used")
    total_rows: int = Field(description="The file's rows under its header (blank ones left out)")
    rows: list[CostImportRowRead] = Field(description="The first rows that make an entry")
    errors: list[CostImportErrorRead] = Field(description="The first problems, by row")
    error_count: int
    totals: CostImportTotalsRead
    can_commit: bool = Field(description="No problem and at least one row: commit writes all")


class CostImportResultRead(BaseModel):
    count: int
    ids: list[uuid.UUID] = Field(description="The entries made, in the file's order")


LevelName = Literal["ok", "warn", "critical"]


class FiguresRead(BaseModel):
    budget: Decimal
    actual: Decimal
    committed: Decimal
    used: Decimal
    remaining: Decimal
    used_percent: Decimal | None = Field(description="used / budget in percent (None: no budget)")
    level: LevelName = Field(description="ok, warn or critical against the thresholds in force")
    entries: int


class LineFiguresRead(FiguresRead):
    id: uuid.UUID
    name: str
    category: BudgetCategory
    phase_id: uuid.UUID | None
    state: BudgetLineState


class CategoryFiguresRead(FiguresRead):
    category: str
    share_percent: Decimal = Field(description="Share of the project's used money")


class PhaseFiguresRead(FiguresRead):
    phase_id: uuid.UUID | None
    share_percent: Decimal = Field(description="Share of the project's used money")


class ThresholdsRead(BaseModel):
    warn_percent: Decimal
    critical_percent: Decimal
    source: str = Field(description="project, organisation or default")


class ForecastRead(BaseModel):
    basis: ForecastBasis
    at_completion: Decimal | None
    variance: Decimal | None = Field(description="budget − forecast: negative is an overrun")


class BurnRead(BaseModel):
    days_elapsed: int
    days_total: int
    actual_per_day: Decimal | None
    forecast_by_time: ForecastRead
    forecast_by_progress: ForecastRead


class BudgetSummaryRead(BaseModel):
    project_id: uuid.UUID
    currency: str
    today: date
    project: FiguresRead
    unbudgeted: FiguresRead
    lines: list[LineFiguresRead]
    by_category: list[CategoryFiguresRead]
    by_phase: list[PhaseFiguresRead]
    thresholds: ThresholdsRead
    burn: BurnRead


# ---- budget requests ------------------------------------------------------------------------

# A budget line's amount: zero or more, at most two decimals, below a quadrillion.
LineAmount = Annotated[Decimal, DecimalIn(17, 2, ge=0)]


class BudgetAskIn(InputModel):
    amount: LineAmount = Field(description="The line's approved amount asked for")
    line_id: uuid.UUID | None = Field(
        default=None, description="A line of the project (omit for a new line)"
    )
    category: BudgetCategory | None = Field(default=None, description="A new line's category")
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        default=None, description="A new line's name"
    )
    phase_id: uuid.UUID | None = Field(default=None, description="A new line's phase")


class BudgetRequestCreate(InputModel):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)] = Field(
        description="Why the money is needed (the approvers read it)"
    )
    items: list[BudgetAskIn] = Field(min_length=1, max_length=200)


class BudgetRequestItemRead(BaseModel):
    line_id: uuid.UUID | None
    category: BudgetCategory
    name: str
    phase_id: uuid.UUID | None
    before: Decimal = Field(description="The line's approved amount when asked")
    after: Decimal = Field(description="The approved amount asked for")


class BudgetRequestRead(ReadModel):
    id: uuid.UUID
    project_id: uuid.UUID
    approval_request_id: uuid.UUID | None
    kind: BudgetRequestKind
    state: BudgetRequestState
    reason: str
    amount: Decimal = Field(description="Money added to the approved budget (what approvers weigh)")
    total_before: Decimal
    total_after: Decimal
    items: list[BudgetRequestItemRead]
    requested_by_member_id: uuid.UUID | None
    created_at: datetime
    decided_at: datetime | None
    version: int


# ---- thresholds -----------------------------------------------------------------------------

Percent = Annotated[Decimal, DecimalIn(6, 2, ge=0, positive=True)]


class BudgetSettingsIn(InputModel):
    """A project's own thresholds; null: the organisation's."""

    warn_percent: Percent | None = None
    critical_percent: Percent | None = None


# ---- the organisation's overview --------------------------------------------------------------


class OverLineRead(BaseModel):
    id: uuid.UUID
    name: str
    category: BudgetCategory
    budget: Decimal
    used: Decimal
    used_percent: Decimal | None
    level: LevelName


class OverProjectRead(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    currency: str
    owner_member_id: uuid.UUID
    status: str
    budget: Decimal = Field(description="The approved lines' sum")
    used: Decimal = Field(description="Actual and committed costs")
    used_percent: Decimal | None
    level: LevelName = Field(description="The whole project's level")
    warn_percent: Decimal
    critical_percent: Decimal
    lines: list[OverLineRead] = Field(description="Its lines at or past the warning threshold")


class ShareRead(BaseModel):
    recorded: Decimal = Field(description="Costs recorded in the period (actual and committed)")
    on_lines: Decimal = Field(description="Of which on a budget line")
    unlinked: Decimal = Field(description="Of which on no budget line")
    share_percent: Decimal | None = Field(description="on_lines / recorded (None: nothing)")
    entries: int
    entries_on_lines: int


class CurrencyShareRead(ShareRead):
    currency: str


class ProjectShareRead(ShareRead):
    project_id: uuid.UUID
    code: str
    name: str
    currency: str


class TransparencyRead(BaseModel):
    first: date
    last: date
    target_percent: Decimal = Field(description="The share to reach (the seed's ≥ 95 %)")
    currencies: list[CurrencyShareRead]
    projects: list[ProjectShareRead]


class LabourSyncRead(BaseModel):
    made: int
    changed: int
    removed: int
    unpriced_hours: Decimal = Field(description="Hours of people without a rate to price them")


class FinanceSettingsIn(InputModel):
    warn_percent: Percent = Field(description="Used money at this percent of a budget warns")
    critical_percent: Percent = Field(description="… and at this percent it is critical")
    revision: JsonInt = Field(ge=0, description="The revision you read (0: never set)")


class FinanceSettingsRead(BaseModel):
    warn_percent: Decimal
    critical_percent: Decimal
    default: bool = Field(description="Neither is set: MEMS's defaults (80 / 100) are in force")
    revision: int
