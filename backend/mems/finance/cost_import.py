"""Costs from a spreadsheet into a project's ledger (issue 10): a preview first, then all rows
or none.

The file is read and its rows parsed by `imports` (pure: encodings, header guessing, cells);
each row it accepts is then checked by `costs.new_entry`, the rules a cost recorded by hand
meets, against the project's own lines and phases. A preview writes nothing and reports every
problem by the row the spreadsheet shows and the column the file names; a commit writes every
row (source `import`) or, with one problem anywhere, nothing. A commit measures the overspend
levels once, after all rows, over every line the rows touched, so a crossing is told once.
Who may import: whoever may record a cost on the project (`costs.project_to_record_on`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mems.collab import service as collab
from mems.core import spreadsheets
from mems.core.errors import FieldError, PayloadTooLarge, ValidationFailed
from mems.core.i18n import Message, _
from mems.finance import costs, imports
from mems.finance import repository as repo
from mems.finance.categories import BudgetCategory
from mems.finance.figures import CostKind
from mems.finance.models import BudgetLine, CostEntry, CostSource
from mems.finance.money import ZERO
from mems.identity.principal import Principal
from mems.projects import service as projects
from mems.work import service as work

FILE = "file"
# What a refused commit lists (the preview lists as many); the count says how many in all.
SHOWN_ERRORS = 500
# A cost's field (CostInput) -> the import field (imports.FIELDS) whose column holds it.
_IMPORT_FIELD = {"line_id": "line", "phase_id": "phase"}


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass(frozen=True)
class ImportedRow:
    row: int  # as the spreadsheet shows it
    entry: CostEntry  # checked and converted, not added to the session
    line_name: str | None


@dataclass(frozen=True)
class Checked:
    """A file read against a project: its columns, the mapping used, the rows that make
    entries and every problem (a row with a problem makes none)."""

    project: Any
    columns: list[str]
    mapping: dict[str, str]
    total_rows: int
    rows: list[ImportedRow]
    errors: list[imports.RowError]
    lines: Mapping[uuid.UUID, BudgetLine]

    def total(self, kind: CostKind | None = None) -> Decimal:
        """The rows' money in the project's currency (of one kind, or all)."""
        return sum(
            (r.entry.amount_project for r in self.rows if kind is None or r.entry.kind == kind),
            ZERO,
        )


async def project_to_import_into(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID
) -> Any:
    """The project, for a caller who may record costs on it (checked before the file is
    read: 404, 403 and 409 come first)."""
    return await costs.project_to_record_on(session, principal, project_id)


def check_size(size: int, limit: int) -> None:
    if size > limit:
        raise PayloadTooLarge(
            _("The file is larger than the limit of {limit} bytes.", limit=limit), limit=limit
        )


def _unreadable(error: imports.UnreadableFile) -> Exception:
    if isinstance(error, imports.UnsupportedFile):
        return collab.UnsupportedMediaType(error.message)
    if isinstance(error, imports.TooManyRows):
        return ValidationFailed(
            error.message,
            errors=[FieldError.of(FILE, error.message, "too_many_rows")],
            limit=error.limit,
        )
    return ValidationFailed.on(FILE, error.message, "unreadable")


def _mapping(header: list[str], override: Mapping[str, str | None] | None) -> dict[str, str]:
    """The guess from the header, with the caller's choices over it (None: leave a field
    unmapped)."""
    mapping = imports.guess_mapping(header)
    for field, column in (override or {}).items():
        if column is None:
            mapping.pop(field, None)
        else:
            mapping[field] = column
    return mapping


def _row_error(row: int, mapping: Mapping[str, str], error: ValidationFailed) -> imports.RowError:
    """`costs.new_entry`'s refusal of one row, named by the row and the file's column."""
    field = error.errors[0].field if error.errors else ""
    imported = _IMPORT_FIELD.get(field, field)
    if imported == "rate" and "rate" not in mapping:
        imported = "currency" if "currency" in mapping else "amount"
    message = error.detail if isinstance(error.detail, Message) else _("Invalid value.")
    return imports.RowError(row, mapping.get(imported, ""), message, imported)


async def preview(
    session: AsyncSession,
    principal: Principal,
    project: Any,
    upload: Upload,
    override: Mapping[str, str | None] | None,
) -> Checked:
    """Read and check the whole file against the project (writes nothing)."""
    try:
        sheet = imports.read(upload.data, upload.filename)
    except imports.UnreadableFile as error:
        raise _unreadable(error) from None
    mapping = _mapping(sheet.header, override)
    lines = await repo.lines_of(session, project.org_id, project.id)
    phases = await work.list_phases(session, principal, project.id)
    context = imports.ImportContext(
        currency=project.currency,
        lines={line.name: line.id for line in lines},
        phases={phase.name: phase.id for phase in phases},
        categories=[c.value for c in BudgetCategory],
        category_of_line={line.id: line.category.value for line in lines},
    )
    parsed = imports.parse(sheet, mapping, context)
    facts = costs.LedgerFacts(
        project, {line.id: line for line in lines}, frozenset(phase.id for phase in phases)
    )
    rows: list[ImportedRow] = []
    errors = list(parsed.errors)
    for draft in parsed.drafts:
        body = costs.CostInput(
            kind=draft.kind,
            amount=draft.amount,
            currency=draft.currency,
            rate=draft.rate,
            incurred_on=draft.incurred_on,
            line_id=draft.line_id,
            category=BudgetCategory(draft.category),
            phase_id=draft.phase_id,
            vendor=draft.vendor,
            description=draft.description,
        )
        try:
            entry = costs.new_entry(principal, facts, body, CostSource.IMPORT)
        except ValidationFailed as error:
            errors.append(_row_error(draft.row, parsed.mapping, error))
            continue
        line = facts.lines.get(entry.line_id) if entry.line_id is not None else None
        rows.append(ImportedRow(draft.row, entry, line.name if line is not None else None))
    errors.sort(key=lambda e: e.row)
    return Checked(
        project, sheet.header, parsed.mapping, len(sheet.rows), rows, errors, facts.lines
    )


def _refusal(checked: Checked) -> ValidationFailed:
    """A commit with problems: each names `rows[<row>].<field>` and the file's column."""
    return ValidationFailed(
        _(
            "The file has {count} problems; nothing was imported.",
            count=len(checked.errors),
        ),
        errors=[
            FieldError.of(where, message, "import_row")
            for where, message in spreadsheets.named_problems(checked.errors, SHOWN_ERRORS)
        ],
    )


async def import_all(
    session: AsyncSession,
    principal: Principal,
    project: Any,
    upload: Upload,
    override: Mapping[str, str | None] | None,
) -> list[uuid.UUID]:
    """Write every row of a file without problems (else 422 naming them, nothing written),
    then tell the crossings the rows caused, once. The entries' ids, in the file's order."""
    # Serialise with single recordings first: the rows are checked against the lines as they
    # are, and the levels measured below include every entry recorded before these.
    await projects.lock_plan(session, project)
    checked = await preview(session, principal, project, upload, override)
    if checked.errors:
        raise _refusal(checked)
    if not checked.rows:
        raise ValidationFailed.on(FILE, _("The file has no cost rows."), "empty")
    entries = [row.entry for row in checked.rows]
    session.add_all(entries)
    await session.flush()
    touched = {e.line_id: checked.lines[e.line_id] for e in entries if e.line_id is not None}
    await costs.announce_levels(session, project, list(touched.values()))
    return [entry.id for entry in entries]
