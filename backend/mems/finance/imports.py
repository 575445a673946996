"""Cost entries from a spreadsheet: read a CSV or Excel file, map its columns, check every row
(pure apart from reading the bytes given).

The import is all-or-nothing per file: `parse` returns the entries **and** every row's
problems; the service writes the entries only when there is no problem at all. A problem
names the spreadsheet row (the header is row 1) and the column as the file calls it, so a
finance clerk can find it in the file they have open.

The file itself is read by `core.spreadsheets` (CSV in UTF-8 or GBK, Excel's first sheet, by
extension and content, rows numbered as the spreadsheet shows them); this module maps its
columns to a cost's fields and checks every cell.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from mems.core import spreadsheets
from mems.core.i18n import Message, _

# Re-exported: what finance's import service and its tests know this module by.
from mems.core.spreadsheets import RowError as RowError
from mems.core.spreadsheets import Sheet as Sheet
from mems.core.spreadsheets import TooManyRows as TooManyRows
from mems.core.spreadsheets import UnreadableFile as UnreadableFile
from mems.core.spreadsheets import UnsupportedFile as UnsupportedFile
from mems.core.spreadsheets import cell_text, parse_day
from mems.finance.figures import CostKind
from mems.finance.money import CENT, RATE_PLACES, convert

# What a row can carry, and the headers recognised for each without a mapping (lower case).
FIELDS: dict[str, tuple[str, ...]] = {
    "incurred_on": ("日期", "发生日期", "费用日期", "date", "incurred on", "incurred_on"),
    "amount": ("金额", "费用金额", "amount"),
    "currency": ("币种", "货币", "currency"),
    "rate": ("汇率", "rate", "exchange rate"),
    "kind": ("类型", "费用类型", "kind", "type"),
    "line": ("预算科目", "预算行", "budget line", "line"),
    "category": ("类别", "费用类别", "category"),
    "phase": ("阶段", "phase"),
    "vendor": ("供应商", "服务商", "vendor"),
    "description": ("说明", "描述", "摘要", "备注", "description", "note"),
}
REQUIRED = ("incurred_on", "amount")
MAX_ROWS = spreadsheets.MAX_ROWS
MAX_AMOUNT = Decimal("99999999999.99")  # below a hundred billion, as one recorded cost
MAX_TEXT = 2000

_KINDS = {
    "actual": CostKind.ACTUAL,
    "实际": CostKind.ACTUAL,
    "实际发生": CostKind.ACTUAL,
    "已发生": CostKind.ACTUAL,
    "已支付": CostKind.ACTUAL,
    "committed": CostKind.COMMITTED,
    "承诺": CostKind.COMMITTED,
    "已承诺": CostKind.COMMITTED,
    "采购单": CostKind.COMMITTED,
    "合同": CostKind.COMMITTED,
    "po": CostKind.COMMITTED,
}
_CURRENCY = re.compile(r"[A-Z]{3}")
_MONEY_NOISE = str.maketrans("", "", ",，¥￥ \u00a0")


@dataclass(frozen=True, slots=True)
class ImportContext:
    """What a row's names are checked against: the project's currency, its budget lines and
    phases by name, the categories, and the vendors by name (all exact, trimmed)."""

    currency: str
    lines: Mapping[str, Any]  # name -> id
    phases: Mapping[str, Any]  # name -> id
    categories: Iterable[str]
    # None: a vendor is free text (the ledger keeps its name), else one of these names.
    vendors: Mapping[str, Any] | None = None
    category_of_line: Mapping[Any, str] = field(default_factory=dict)  # line id -> category


@dataclass(frozen=True, slots=True)
class CostDraft:
    row: int
    incurred_on: date
    kind: CostKind
    amount: Decimal  # in `currency`
    currency: str
    rate: Decimal  # project currency per unit of `currency`
    amount_project: Decimal  # in the project's currency, cents
    line_id: Any | None
    category: str
    phase_id: Any | None
    vendor_id: Any | None
    description: str | None
    vendor: str | None = None  # the name in the file


@dataclass(slots=True)
class Parsed:
    drafts: list[CostDraft]
    errors: list[RowError]
    mapping: dict[str, str]  # field -> header used


def read(data: bytes, filename: str) -> Sheet:
    """The file's first sheet: its header row and the rows under it (blank rows dropped,
    the others keeping their numbers), at most MAX_ROWS of them."""
    return spreadsheets.read(data, filename, max_rows=MAX_ROWS)


def guess_mapping(header: Sequence[str]) -> dict[str, str]:
    """Field -> the header that names it, for the headers we recognise."""
    found: dict[str, str] = {}
    for name in header:
        key = name.strip().lower()
        for field_name, names in FIELDS.items():
            if key in names and field_name not in found:
                found[field_name] = name
    return found


def parse(sheet: Sheet, mapping: Mapping[str, str], context: ImportContext) -> Parsed:
    """Every row as a draft entry, or the problems that keep it out."""
    errors: list[RowError] = []
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        errors.append(
            RowError(1, "", _("Unknown fields in the mapping: {fields}", fields=", ".join(unknown)))
        )
    columns: dict[str, int] = {}
    for field_name, header in mapping.items():
        if field_name not in FIELDS:
            continue
        if header not in sheet.header:
            errors.append(RowError(1, header, _("The file has no column {column}.", column=header)))
        else:
            columns[field_name] = sheet.header.index(header)
    for field_name in REQUIRED:
        if field_name not in mapping:
            errors.append(RowError(1, "", _("Map a column to {field}.", field=field_name)))
    if errors:
        return Parsed([], errors, dict(mapping))

    categories = frozenset(context.categories)
    drafts: list[CostDraft] = []
    for offset, cells in enumerate(sheet.rows):
        row = _Row(sheet.number(offset), cells, columns, mapping)
        draft = _parse_row(row, context, categories)
        if row.problems:
            errors.extend(row.problems)
        elif draft is not None:
            drafts.append(draft)
    return Parsed(drafts, errors, dict(mapping))


@dataclass(slots=True)
class _Row:
    number: int
    cells: list[Any]
    columns: Mapping[str, int]
    mapping: Mapping[str, str]
    problems: list[RowError] = field(default_factory=list)

    def cell(self, field_name: str) -> Any:
        at = self.columns.get(field_name)
        return self.cells[at] if at is not None and at < len(self.cells) else None

    def text(self, field_name: str) -> str:
        return cell_text(self.cell(field_name))

    def fail(self, field_name: str, message: Message) -> None:
        self.problems.append(
            RowError(self.number, self.mapping.get(field_name, ""), message, field_name)
        )


def _parse_row(row: _Row, context: ImportContext, categories: frozenset[str]) -> CostDraft | None:
    incurred_on = parse_day(row.cell("incurred_on"))
    if incurred_on is None:
        row.fail("incurred_on", _("Not a date (use 2026-11-30)."))
    amount = _money(row.cell("amount"))
    if isinstance(amount, Message):
        row.fail("amount", amount)
    currency = row.text("currency").upper() or context.currency
    rate: Decimal | None = Decimal(1)
    if not _CURRENCY.fullmatch(currency):
        row.fail("currency", _("Not a currency code (such as CNY or USD)."))
    elif currency != context.currency:
        rate = _rate(row.cell("rate"))
        if rate is None:
            message = _(
                "An amount in {currency} needs a positive exchange rate to {project}.",
                currency=currency,
                project=context.currency,
            )
            row.fail("rate" if "rate" in row.mapping else "currency", message)
    kind_text = row.text("kind").lower()
    kind = _KINDS.get(kind_text) if kind_text else CostKind.ACTUAL
    if kind is None:
        row.fail("kind", _("Kind is 实际 (actual) or 已承诺 (committed)."))
    line_name = row.text("line")
    line_id = context.lines.get(line_name) if line_name else None
    if line_name and line_id is None:
        row.fail("line", _("The project has no budget line {name}.", name=line_name))
    category = row.text("category")
    if line_id is not None:
        category = context.category_of_line.get(line_id, category)
    category = category or "other"
    if category not in categories:
        row.fail("category", _("Unknown category {name}.", name=category))
    phase_name = row.text("phase")
    phase_id = context.phases.get(phase_name) if phase_name else None
    if phase_name and phase_id is None:
        row.fail("phase", _("The project has no phase {name}.", name=phase_name))
    vendor_name = row.text("vendor")
    vendor_id = None
    if vendor_name and context.vendors is not None:
        vendor_id = context.vendors.get(vendor_name)
        if vendor_id is None:
            row.fail("vendor", _("No vendor is called {name}.", name=vendor_name))
    description = row.text("description") or None
    if description is not None and ("\x00" in description or len(description) > MAX_TEXT):
        row.fail("description", _("At most {limit} characters, without NUL.", limit=MAX_TEXT))
    if row.problems or incurred_on is None or not isinstance(amount, Decimal):
        return None
    if kind is None or rate is None:
        return None
    return CostDraft(
        row=row.number,
        incurred_on=incurred_on,
        kind=kind,
        amount=amount,
        currency=currency,
        rate=rate,
        amount_project=convert(amount, rate),
        line_id=line_id,
        category=category,
        phase_id=phase_id,
        vendor_id=vendor_id,
        description=description,
        vendor=vendor_name or None,
    )


def _money(value: Any) -> Decimal | Message:
    if isinstance(value, bool) or value is None or cell_text(value) == "":
        return _("An amount is required.")
    if isinstance(value, float):
        if not math.isfinite(value):
            return _("Not a number.")
        text = repr(value)  # the shortest text that is this float: 0.1 stays 0.1
    else:
        text = cell_text(value).translate(_MONEY_NOISE)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return _("Not a number.")
    if not amount.is_finite():
        return _("Not a number.")
    if amount < 0:
        return _("An amount is not negative (record a refund as its own entry).")
    if amount > MAX_AMOUNT:
        return _("The amount is too large.")
    if amount != amount.quantize(CENT):
        return _("An amount has at most two decimals.")
    return amount.quantize(CENT)


def _rate(value: Any) -> Decimal | None:
    text = repr(value) if isinstance(value, float) else cell_text(value)
    try:
        rate = Decimal(text)
    except InvalidOperation:
        return None
    if not rate.is_finite() or rate <= 0 or rate > 100_000:
        return None
    return rate.quantize(RATE_PLACES)
