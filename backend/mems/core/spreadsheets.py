"""Reading the spreadsheets people upload (pure apart from the bytes given): CSV and Excel files
as a header and numbered rows, for any import to map and check.

A file is taken by its extension **and** its first bytes: a workbook (.xlsx, .xlsm, .ods) is a
zip, an .xls an OLE file, a CSV (.csv, .tsv, .txt) is text; anything else, or a file whose
content belies its name, is `UnsupportedFile`. A zip's parts are summed before anything is
unpacked, so a few megabytes of zip cannot become gigabytes of cells. Workbooks are read with
python-calamine, first sheet only. CSV files from Chinese Excel are often GB18030 (GBK) rather
than UTF-8: UTF-8 (with or without BOM) is tried first, then GB18030; the delimiter (comma,
tab, semicolon) is sniffed.

Rows keep the number the spreadsheet shows them under (blank rows are dropped but still
counted, and a quoted cell's line breaks do not add rows), so a problem can name the row the
user has open. The header is the first row with something in it, unless the caller scores
rows (`header_score`): then it is the best-scoring of the first `HEADER_SCAN` rows, so the
title lines some platforms put above their table (a report's name, its date range) are
skipped. More than `max_rows` rows under the header is `TooManyRows`.

A problem found in a file is a `RowError`: the row, the column as the file names it, the
message, and the field the column was mapped to; `named_problems` names them as the one 422
that refuses a whole file lists them.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from mems.core.i18n import Message, _

MAX_ROWS = 10_000
# A workbook's parts unpacked: a few megabytes of zip must not become gigabytes of cells.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# How many rows from the top may be title lines above the header (when rows are scored).
HEADER_SCAN = 10
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORKBOOKS = {".xlsx": _ZIP, ".xlsm": _ZIP, ".ods": _ZIP, ".xls": _OLE}
_TEXTS = (".csv", ".txt", ".tsv")
_DAY_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
)
_OPENING = "(（[【"
_CLOSING = ")）]】"

HeaderScore = Callable[[Sequence[str]], int]


class UnreadableFile(ValueError):
    """The bytes are not a CSV or spreadsheet we can read."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message.template))
        self.message = message


class UnsupportedFile(UnreadableFile):
    """The file is not of a kind we take (by its extension, or its content belies it)."""


class TooManyRows(UnreadableFile):
    """The file holds more rows than the reader takes (`limit`)."""

    def __init__(self, message: Message, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


@dataclass(frozen=True, slots=True)
class Sheet:
    header: list[str]
    rows: list[list[Any]]
    # Each row's number as the spreadsheet shows it (None: 2, 3, … right under the header).
    numbers: list[int] | None = None
    header_row: int = 1  # the header's own number

    def number(self, offset: int) -> int:
        """The number the spreadsheet shows the `offset`-th row under (0: the first)."""
        return self.numbers[offset] if self.numbers is not None else self.header_row + 1 + offset


@dataclass(frozen=True, slots=True)
class RowError:
    row: int  # as the spreadsheet shows it; the header's row for the file as a whole
    column: str  # as the file names it ("" for the file as a whole)
    message: Message
    field: str = ""  # the field the column was mapped to, if any


def read(
    data: bytes,
    filename: str,
    *,
    max_rows: int = MAX_ROWS,
    header_score: HeaderScore | None = None,
) -> Sheet:
    """The file's first sheet: its header row and the rows under it (blank rows dropped,
    the others keeping their numbers)."""
    name = filename.lower()
    for extension, magic in _WORKBOOKS.items():
        if name.endswith(extension):
            if not data.startswith(magic):
                raise UnsupportedFile(_("The file's content is not an Excel workbook."))
            if magic == _ZIP:
                _check_unpacked(data)
            return _sheet(_workbook_rows(data), max_rows, header_score)
    if name.endswith(_TEXTS):
        return _sheet(_csv_rows(data), max_rows, header_score)
    raise UnsupportedFile(_("Upload a .csv, .xlsx, .xls or .ods file."))


def _check_unpacked(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise UnreadableFile(_("The file is not a readable Excel workbook.")) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableFile(_("The workbook is too large once unpacked."))


def _csv_rows(data: bytes) -> Iterable[tuple[int, Sequence[Any]]]:
    if b"\x00" in data:
        raise UnsupportedFile(_("The file is not a text CSV file."))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise UnreadableFile(_("The file's text encoding is not UTF-8 or GBK."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    # A quoted cell may hold line breaks: a spreadsheet shows each record as one row.
    return ((number, row) for number, row in enumerate(reader, start=1))


def _workbook_rows(data: bytes) -> list[tuple[int, Sequence[Any]]]:
    from python_calamine import CalamineWorkbook  # imported on use: only imports need it

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise UnreadableFile(_("The workbook has no sheet."))
        # From A1, so a row's place in the list is its number in Excel.
        return list(enumerate(workbook.get_sheet_by_index(0).iter_rows(), start=1))
    except UnreadableFile:
        raise
    except Exception as error:  # calamine raises its own types for every broken file
        raise UnreadableFile(_("The file is not a readable Excel workbook.")) from error


def _sheet(
    rows: Iterable[tuple[int, Sequence[Any]]], max_rows: int, score: HeaderScore | None
) -> Sheet:
    # Enough rows to find the header in and to know the limit is passed (the header, one row
    # too many), no more.
    cap = max_rows + 2 + (HEADER_SCAN if score is not None else 0)
    kept: list[tuple[int, list[Any]]] = []
    for number, row in rows:
        if any(cell_text(cell) for cell in row):
            if len(kept) >= cap:
                break
            kept.append((number, list(row)))
    if not kept:
        raise UnreadableFile(_("The file has no rows."))
    at = _header_at(kept, score) if score is not None else 0
    (header_number, header), body = kept[at], kept[at + 1 :]
    if len(body) > max_rows:
        raise TooManyRows(_("A file holds at most {limit} rows.", limit=max_rows), max_rows)
    return Sheet(
        header=[cell_text(cell) for cell in header],
        rows=[row for _number, row in body],
        numbers=[number for number, _row in body],
        header_row=header_number,
    )


def _header_at(kept: Sequence[tuple[int, list[Any]]], score: HeaderScore) -> int:
    """The best-scoring of the first rows (the first of equals); the first row if none
    scores."""
    best, best_score = 0, 0
    for at, (_number, row) in enumerate(kept[:HEADER_SCAN]):
        points = score([cell_text(cell) for cell in row])
        if points > best_score:
            best, best_score = at, points
    return best


def cell_text(value: Any) -> str:
    """A cell as the text it shows: trimmed, a whole float without its `.0`."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_day(value: Any) -> date | None:
    """A day from a date cell or from text such as 2026-11-20, 2026/11/20, 2026.11.20 or
    2026年11月20日; None when it is none of these (or no such day)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    for pattern in _DAY_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
    return None


def header_key(name: str) -> str:
    """A header as it is compared: a trailing unit in parentheses dropped ("Amount spent
    (USD)", "消耗（元）"), case folded, without spaces or punctuation ("Impr." is "impr")."""
    return _key(header_unit(name)[0])


def header_unit(name: str) -> tuple[str, str]:
    """A header split into its name and the unit in its trailing parentheses, if any:
    "Amount spent (USD)" is ("Amount spent", "USD")."""
    text = name.strip()
    if text and text[-1] in _CLOSING:
        opening = max(text.rfind(c) for c in _OPENING)
        if opening > 0:
            return text[:opening].strip(), text[opening + 1 : -1].strip()
    return text, ""


def _key(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in folded if unicodedata.category(c)[0] in "LN")


def named_problems(
    errors: Sequence[RowError], shown: int, header_row: int = 1
) -> list[tuple[str, Message]]:
    """The first `shown` problems as a refusal names them: `rows[<row>].<field>` with the row
    and the column in the message, or `mapping` for the file as a whole (on its header row).
    (A refused file is one 422 listing these; `core.errors` is the caller's to use, this
    module stays free of the web framework.)"""
    named: list[tuple[str, Message]] = []
    for error in errors[:shown]:
        if error.row <= header_row and not error.field:
            named.append(("mapping", error.message))
            continue
        message = (
            _(
                "Row {row}, column {column}: {problem}",
                row=error.row,
                column=error.column,
                problem=error.message,
            )
            if error.column
            else _("Row {row}: {problem}", row=error.row, problem=error.message)
        )
        named.append((f"rows[{error.row}].{error.field or 'row'}", message))
    return named
