"""Channel data from a spreadsheet (issue 11): any ad platform's export, its columns mapped to
MEMS's record fields, every cell checked (pure: no database, no web framework).

**Columns.** A column maps to a record field (`FIELDS`) or to a custom metric
(`custom:<name>`), or to nothing. The system proposes a mapping from the headers: each field
knows the names real exports give it, in Chinese and English (巨量引擎's 消耗 and 展示数,
Meta's "Amount spent (USD)" and "Link clicks", Google Ads' "Impr." and "Conv. value" …),
compared case-insensitively, without spaces or punctuation, and without a trailing unit in
parentheses (`core.spreadsheets.header_key`). When two columns name one field, the name
listed first for the field wins (Meta's "Link clicks" over its "Clicks (all)"). A source's
saved mapping is laid over the proposal and the caller's mapping over both; a column the
caller or the saved mapping set is never displaced by a guess. Nothing here builds a pattern
from what a file or a user says.

**Cells.** Counts are whole and not negative: "12,345" is 12345; "-", "--" and empty are 0; a
percentage is refused (a rate is not a count). Money may carry ¥, $ or thousands separators
and is kept to the cent (half up: platforms bill in cents). Days come as Excel dates or
serial numbers, or as 2026-11-20, 2026/11/20, 2026.11.20, 20261120, 2026年11月20日, "Nov 20,
2026" (a time after the day is ignored). Hours are 0–23, also as 14:00, 14时 or Meta's
"14:00:00 - 14:59:59". A custom metric is any number (a percentage as its fraction: 3.5% is
0.035), to four places. A row without a campaign id takes its name as the id (many exports
name campaigns only).

**Rows.** A summary row (合计, 总计, "Total: Campaigns" …) and a row empty in every mapped
column are skipped; every other row becomes a record or names its problems, by the row the
spreadsheet shows and the column as the file calls it. Rows with the same channel, campaign,
creative, day and hour are added up (`merge`): an export broken down by region, placement or
ad set still gives each campaign-day its total.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from mems.core.i18n import Message, _
from mems.core.spreadsheets import RowError, Sheet, cell_text, header_key, header_unit, parse_day

FIELDS = (
    "date",
    "hour",
    "channel",
    "campaign",
    "campaign_name",
    "creative",
    "creative_name",
    "impressions",
    "clicks",
    "spend",
    "conversions",
    "revenue",
    "leads",
    "followers",
    "currency",
)
CUSTOM = "custom:"
COUNTS = ("impressions", "clicks", "conversions", "leads", "followers")
MONEY = ("spend", "revenue")
# Text fields and their longest value (as `schemas.MetricRecordIn` takes them).
TEXTS = {"campaign": 100, "campaign_name": 200, "creative": 100, "creative_name": 200}
MAX_CUSTOM = 20  # custom metrics per record
MAX_COUNT = 10**15
MAX_MONEY = Decimal("9999999999999999.99")
MAX_CUSTOM_VALUE = Decimal("99999999999999.9999")
CENT = Decimal("0.01")
CUSTOM_PLACES = Decimal("0.0001")

# The names exports give each field, the preferred first (compared by `header_key`).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": (
        "日期",
        "数据日期",
        "统计日期",
        "投放日期",
        "报表日期",
        "时间",
        "date",
        "day",
        "reporting starts",
        "report date",
        "stat date",
        "stat_datetime",
    ),
    "hour": ("小时", "时段", "投放时段", "hour", "hour of day", "time of day"),
    "channel": ("渠道", "媒体", "投放渠道", "投放平台", "平台", "channel", "platform", "media"),
    "campaign": (
        "计划ID",
        "广告计划ID",
        "推广计划ID",
        "campaign id",
    ),
    "campaign_name": (
        "计划名称",
        "广告计划名称",
        "推广计划名称",
        "广告计划",
        "推广计划",
        "计划",
        "campaign name",
        "campaign",
    ),
    "creative": ("创意ID", "素材ID", "广告创意ID", "ad id", "creative id"),
    "creative_name": (
        "创意名称",
        "素材名称",
        "创意",
        "素材",
        "ad name",
        "creative name",
        "creative",
        "ad",
    ),
    "impressions": (
        "展示数",
        "展现量",
        "曝光量",
        "展示量",
        "展现数",
        "曝光数",
        "展示",
        "展现",
        "曝光",
        "impressions",
        "impr.",
        "imps",
    ),
    "clicks": ("点击数", "点击量", "点击次数", "点击", "link clicks", "clicks"),
    "spend": (
        "消耗",
        "花费",
        "消费",
        "总消耗",
        "总花费",
        "消耗金额",
        "花费金额",
        "spend",
        "amount spent",
        "cost",
        "spent",
    ),
    "conversions": (
        "转化数",
        "转化量",
        "转化次数",
        "转化",
        "成交订单数",
        "conversions",
        "purchases",
        "results",
    ),
    "revenue": (
        "成交金额",
        "GMV",
        "销售额",
        "成交额",
        "支付金额",
        "收入",
        "revenue",
        "purchases conversion value",
        "conv. value",
        "conversion value",
        "total conversion value",
    ),
    "leads": ("线索数", "线索", "留资数", "留资", "表单提交数", "leads", "lead"),
    "followers": (
        "涨粉数",
        "涨粉",
        "新增粉丝数",
        "新增粉丝",
        "粉丝增量",
        "净增粉丝",
        "new followers",
        "followers",
        "follows",
    ),
    "currency": ("币种", "货币", "currency"),
    # Metrics MEMS has no field for, proposed as custom ones.
    "custom:likes": ("点赞数", "点赞", "likes", "post reactions", "reactions"),
    "custom:comments": ("评论数", "评论", "comments", "post comments"),
    "custom:shares": ("分享数", "分享", "转发数", "转发", "shares", "post shares"),
    "custom:saves": ("收藏数", "收藏", "saves", "post saves"),
    "custom:plays": ("播放数", "播放量", "视频播放数", "播放", "video plays", "plays"),
}
# header_key -> (field, rank among the field's names)
_KNOWN: dict[str, tuple[str, int]] = {
    header_key(name): (target, rank)
    for target, names in SYNONYMS.items()
    for rank, name in enumerate(names)
}
_SUMMARY = frozenset(
    {"合计", "总计", "汇总", "总计合计", "total", "totals", "summary", "grandtotal"}
)
_SUMMARY_STARTS = ("合计", "总计", "汇总", "total:", "total ", "totals ")
_EMPTY = frozenset({"", "-", "--", "—", "——", "n/a", "na", "null", "none"})
_MONEY_NOISE = str.maketrans("", "", ",，¥￥$€£ \u00a0")
_UNIT_CURRENCY = {
    "元": "CNY",
    "人民币": "CNY",
    "RMB": "CNY",
    "¥": "CNY",
    "￥": "CNY",
    "美元": "USD",
}
_CODE = re.compile(r"[A-Z]{3}")
_CUSTOM_NAME = re.compile(r"[A-Za-z0-9_\-\u4e00-\u9fff]{1,40}")  # schemas.CustomKey
_COMPACT_DAY = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DAY_AND_TIME = re.compile(r"(.+?)[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?")
_HOUR = re.compile(r"(\d{1,2})(?:\s*(?:[:：时点h].*|-.*))?", re.IGNORECASE)
_TIME_IN_DAY = re.compile(r".+?[ T](\d{1,2}):\d{2}(?::\d{2}(?:\.\d+)?)?")
_MONTH_DAY_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%b %d %Y")
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIALS = (20_000, 80_000)  # Excel day numbers of 1954 … 2119: anything else is no day


def is_target(target: str) -> bool:
    """A field a column can map to: one of FIELDS or `custom:<name>` (letters, digits, _ and
    -, Chinese characters; at most 40)."""
    if target in FIELDS:
        return True
    name = target.removeprefix(CUSTOM)
    return target.startswith(CUSTOM) and _CUSTOM_NAME.fullmatch(name) is not None


def guess(header: Sequence[str]) -> dict[str, str]:
    """Column -> field for the columns whose header names one (each field once, by the
    preferred name)."""
    best: dict[str, tuple[int, int]] = {}  # field -> (rank, column index)
    for at, name in enumerate(header):
        known = _KNOWN.get(header_key(name)) if name else None
        if known is not None:
            target, rank = known
            if target not in best or rank < best[target][0]:
                best[target] = (rank, at)
    return {header[at]: target for target, (_rank, at) in best.items()}


def header_score(cells: Sequence[str]) -> int:
    """How many of a row's cells name a field: the header is the row that names most."""
    return sum(1 for cell in cells if cell and header_key(cell) in _KNOWN)


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """The mapping a file is read with: column -> field for the mapped columns; which came
    from the guess and which from the source's saved mapping (the rest: the caller's); and
    the problems of the mapping itself (on the header row)."""

    fields: dict[str, str]
    guessed: list[str]
    saved: list[str]
    errors: list[RowError]

    def as_saved(self, header: Sequence[str]) -> dict[str, str | None]:
        """What a source keeps: every column of the file, None for those left unmapped (so
        the next file of the layout leaves them unmapped too)."""
        return {name: self.fields.get(name) for name in header if name}


def choose_mapping(
    header: Sequence[str],
    *,
    saved: Mapping[str, Any] | None = None,
    given: Mapping[str, str | None] | None = None,
    header_row: int = 1,
) -> ColumnMapping:
    """The guess, the saved mapping over it, the caller's over both (a column mapped to None
    or "" is left out), then checked: known fields, each mapped once, at most MAX_CUSTOM
    custom metrics, and the day and the campaign mapped."""
    columns = [name for name in header if name]
    fields = guess(columns)
    guessed = set(fields)
    saved_columns: set[str] = set()
    errors: list[RowError] = []
    layers: list[tuple[Mapping[str, Any], bool]] = [(saved or {}, True), (given or {}, False)]
    for layer, from_saved in layers:
        for column, target in layer.items():
            if column not in columns:
                if not from_saved:  # a saved column this file lacks is no problem
                    message = _("The file has no column {column}.", column=column)
                    errors.append(RowError(header_row, column, message))
                continue
            if target is not None and not isinstance(target, str):
                continue  # (a saved mapping is checked before it is saved)
            chosen = target.strip() if target else ""
            if chosen and chosen in fields.values():
                # An explicit choice displaces the guess that took the same field.
                for other in [c for c, t in fields.items() if t == chosen and c in guessed]:
                    del fields[other]
                    guessed.discard(other)
            guessed.discard(column)
            saved_columns.discard(column)
            if chosen:
                fields[column] = chosen
                if from_saved:
                    saved_columns.add(column)
            else:
                fields.pop(column, None)
    ordered = {name: fields[name] for name in columns if name in fields}
    errors += _mapping_problems(ordered, header_row)
    return ColumnMapping(
        fields=ordered,
        guessed=[name for name in ordered if name in guessed],
        saved=[name for name in ordered if name in saved_columns],
        errors=errors,
    )


def _mapping_problems(fields: Mapping[str, str], header_row: int) -> list[RowError]:
    errors: list[RowError] = []
    by_target: dict[str, list[str]] = {}
    for column, target in fields.items():
        if not is_target(target):
            errors.append(
                RowError(
                    header_row,
                    column,
                    _("{field} is not a field a column can map to.", field=target),
                )
            )
        by_target.setdefault(target, []).append(column)
    for target, columns in by_target.items():
        if len(columns) > 1:
            errors.append(
                RowError(
                    header_row,
                    columns[1],
                    _(
                        "Columns {columns} all map to {field}: keep one.",
                        columns=", ".join(columns),
                        field=target,
                    ),
                )
            )
    if sum(1 for t in by_target if t.startswith(CUSTOM)) > MAX_CUSTOM:
        errors.append(
            RowError(
                header_row,
                "",
                _("At most {limit} columns map to custom metrics.", limit=MAX_CUSTOM),
            )
        )
    if "date" not in by_target:
        errors.append(RowError(header_row, "", _("Map a column to the day (date).")))
    if "campaign" not in by_target and "campaign_name" not in by_target:
        errors.append(
            RowError(
                header_row,
                "",
                _("Map a column to the campaign: its ID (campaign) or its name (campaign_name)."),
            )
        )
    return errors


@dataclass(frozen=True, slots=True)
class UploadContext:
    """What a file's rows are read against: the currency of its money (the source's, or the
    organisation's), the organisation's channels by key and by name (any case, as
    `channel_names` builds them), and the channel of rows that name none."""

    currency: str
    channels: Mapping[str, str]  # header_key(key or name) -> key
    channel: str | None = None


def channel_names(channels: Sequence[tuple[str, str]]) -> dict[str, str]:
    """(key, name) pairs -> the lookup `UploadContext.channels` takes (a key over a name
    spelled alike)."""
    found = {header_key(name): key for key, name in channels}
    found.update({header_key(key): key for key, _name in channels})
    return found


@dataclass(frozen=True, slots=True)
class FileRow:
    row: int  # as the spreadsheet shows it
    record: dict[str, Any]  # a MetricRecordIn's fields


@dataclass(slots=True)
class Parsed:
    rows: list[FileRow]
    errors: list[RowError]
    skipped: list[int] = field(default_factory=list)  # summary and empty rows


def parse(sheet: Sheet, mapping: ColumnMapping, context: UploadContext) -> Parsed:
    """Every row as a record, or the problems that keep it out (the mapping's first)."""
    errors = list(mapping.errors) + _unit_problems(mapping, context, sheet.header_row)
    if "channel" not in mapping.fields.values() and context.channel is None:
        errors.append(
            RowError(
                sheet.header_row,
                "",
                _(
                    "Name the channel: map a channel column, choose a channel, or use a source "
                    "with one."
                ),
            )
        )
    if errors:
        return Parsed([], errors)
    index = {name: at for at, name in reversed(list(enumerate(sheet.header)))}
    columns = {target: (name, index[name]) for name, target in mapping.fields.items()}
    parsed = Parsed([], [])
    for offset, cells in enumerate(sheet.rows):
        number = sheet.number(offset)
        row = _Row(number, cells, columns)
        if _is_summary(row) or not any(cell_text(row.cell(t)) for t in columns):
            parsed.skipped.append(number)
            continue
        record = _record(row, context)
        if row.problems:
            parsed.errors.extend(row.problems)
        else:
            parsed.rows.append(FileRow(number, record))
    return parsed


def _unit_problems(
    mapping: ColumnMapping, context: UploadContext, header_row: int
) -> list[RowError]:
    """A money column whose header names another currency than the money's ("Amount spent
    (USD)" into a source in CNY)."""
    errors = []
    for column, target in mapping.fields.items():
        if target in MONEY:
            unit = header_unit(column)[1]
            code = _UNIT_CURRENCY.get(unit, unit.upper())
            if _CODE.fullmatch(code) and code != context.currency:
                message = _(
                    "The money is in {given}, the source's currency is {currency}.",
                    given=code,
                    currency=context.currency,
                )
                errors.append(RowError(header_row, column, message, target))
    return errors


def _is_summary(row: _Row) -> bool:
    """A totals row: its first cell says so (合计, "Total: Campaigns" …) and it has no day."""
    first = next((text for cell in row.cells if (text := cell_text(cell))), "")
    said = header_key(first) in _SUMMARY or first.casefold().startswith(_SUMMARY_STARTS)
    return said and parse_date(row.cell("date")) is None


@dataclass(slots=True)
class _Row:
    number: int
    cells: Sequence[Any]
    columns: Mapping[str, tuple[str, int]]  # field -> (header, index)
    problems: list[RowError] = field(default_factory=list)

    def cell(self, target: str) -> Any:
        found = self.columns.get(target)
        if found is None or found[1] >= len(self.cells):
            return None
        return self.cells[found[1]]

    def text(self, target: str) -> str:
        return cell_text(self.cell(target))

    def fail(self, target: str, message: Message) -> None:
        header = self.columns[target][0] if target in self.columns else ""
        self.problems.append(RowError(self.number, header, message, target))


def _record(row: _Row, context: UploadContext) -> dict[str, Any]:
    record: dict[str, Any] = {}
    day = parse_date(row.cell("date"))
    if day is None:
        row.fail("date", _("Not a date (such as 2026-11-20)."))
    else:
        record["date"] = day
    if "hour" in row.columns:
        hour = parse_hour(row.cell("hour"))
        if isinstance(hour, Message):
            row.fail("hour", hour)
        elif hour is not None:
            record["hour"] = hour
    _channel(row, context, record)
    _names(row, record)
    for target in COUNTS:
        if target in row.columns:
            count = parse_count(row.cell(target))
            if isinstance(count, Message):
                row.fail(target, count)
            else:
                record[target] = count
    for target in MONEY:
        if target in row.columns:
            amount = parse_money(row.cell(target))
            if isinstance(amount, Message):
                row.fail(target, amount)
            else:
                record[target] = amount
    if "currency" in row.columns:
        currency = row.text("currency").upper()
        if currency and not _CODE.fullmatch(currency):
            row.fail("currency", _("Not a currency code (such as CNY or USD)."))
        elif currency and currency != context.currency:
            message = _(
                "The money is in {given}, the source's currency is {currency}.",
                given=currency,
                currency=context.currency,
            )
            row.fail("currency", message)
        elif currency:
            record["currency"] = currency
    custom: dict[str, Decimal] = {}
    for target in row.columns:
        if target.startswith(CUSTOM):
            value = parse_custom(row.cell(target))
            if isinstance(value, Message):
                row.fail(target, value)
            elif value is not None:
                custom[target.removeprefix(CUSTOM)] = value
    if custom:
        record["custom"] = custom
    return record


def _channel(row: _Row, context: UploadContext, record: dict[str, Any]) -> None:
    named = row.text("channel")
    if not named:
        if context.channel is None:
            row.fail("channel", _("Name the channel: this source has no channel of its own."))
        record["channel"] = context.channel
        return
    key = context.channels.get(header_key(named))
    if key is None:
        row.fail("channel", _("No channel has the key or name {name}.", name=named))
    record["channel"] = key


def _names(row: _Row, record: dict[str, Any]) -> None:
    for target, limit in TEXTS.items():
        text = row.text(target)
        if "\x00" in text or len(text) > limit:
            row.fail(target, _("At most {limit} characters, without NUL.", limit=limit))
        elif text:
            record[target] = text
    # Exports that name campaigns (or creatives) only: the name is the id.
    for id_field, name_field in (("campaign", "campaign_name"), ("creative", "creative_name")):
        name = record.get(name_field)
        if id_field in record or name is None:
            continue
        if len(name) > TEXTS[id_field]:
            row.fail(
                name_field,
                _(
                    "Without an ID column, the name is the ID: at most {limit} characters.",
                    limit=TEXTS[id_field],
                ),
            )
        else:
            record[id_field] = name
    if "campaign" not in record and not any(p.field.startswith("campaign") for p in row.problems):
        target = "campaign" if "campaign" in row.columns else "campaign_name"
        row.fail(target, _("A campaign ID or name is required."))


# ---- cells ------------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or cell_text(value).lower() in _EMPTY


def _number(value: Any) -> Decimal | Message:
    """A cell as a number (a percentage kept as its fraction is the caller's choice)."""
    if isinstance(value, bool):
        return _("Not a number.")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return _("Not a number.")
        return Decimal(repr(value))  # the shortest text that is this float: 0.1 stays 0.1
    text = cell_text(value).translate(_MONEY_NOISE).removesuffix("元")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return _("Not a number.")
    return number if number.is_finite() else _("Not a number.")


def parse_count(value: Any) -> int | Message:
    """A whole count, not negative ("-" or empty: 0)."""
    if _blank(value):
        return 0
    if cell_text(value).endswith("%"):
        return _("A percentage is not a count.")
    number = _number(value)
    if isinstance(number, Message):
        return number
    if number != number.to_integral_value():
        return _("Not a whole number.")
    if number < 0:
        return _("A count is not negative.")
    if number > MAX_COUNT:
        return _("The number is too large.")
    return int(number)


def parse_money(value: Any) -> Decimal | Message:
    """An amount, not negative, to the cent ("-" or empty: 0)."""
    if _blank(value):
        return Decimal("0.00")
    if cell_text(value).endswith("%"):
        return _("A percentage is not an amount.")
    number = _number(value)
    if isinstance(number, Message):
        return number
    if number < 0:
        return _("An amount is not negative.")
    if number > MAX_MONEY:  # (before rounding: a huge number has no cents to round to)
        return _("The number is too large.")
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_custom(value: Any) -> Decimal | Message | None:
    """A custom metric's value to four places (a percentage as its fraction); None when the
    cell is empty."""
    if _blank(value):
        return None
    text = cell_text(value)
    percent = isinstance(value, str) and text.endswith("%")
    number = _number(text.removesuffix("%") if percent else value)
    if isinstance(number, Message):
        return number
    if percent:
        number = number / 100
    if abs(number) > MAX_CUSTOM_VALUE:
        return _("The number is too large.")
    return number.quantize(CUSTOM_PLACES, rounding=ROUND_HALF_UP)


def parse_date(value: Any) -> date | None:
    """A day from an Excel date or serial number, or from text (see the module's docstring)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return None
        whole = int(value)
        if 19_000_101 <= whole <= 29_991_231 and value == whole:
            return _compact(str(whole))
        if _SERIALS[0] <= whole <= _SERIALS[1]:
            return _EXCEL_EPOCH + timedelta(days=whole)
        return None
    day = parse_day(value)
    if day is not None:
        return day
    text = cell_text(value)
    with_time = _DAY_AND_TIME.fullmatch(text)
    if with_time:
        text = with_time[1].strip()
        day = parse_day(text)
        if day is not None:
            return day
    if _COMPACT_DAY.fullmatch(text):
        return _compact(text)
    for pattern in _MONTH_DAY_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _compact(text: str) -> date | None:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def parse_hour(value: Any) -> int | Message | None:
    """An hour of the day, 0–23 (None when the cell is empty)."""
    wrong = _("Not an hour of the day (0 to 23).")
    if _blank(value):
        return None
    if isinstance(value, datetime | time):
        return value.hour
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        return int(seconds // 3600) if 0 <= seconds < 86_400 else wrong
    if isinstance(value, bool):
        return wrong
    if isinstance(value, int | float):
        if 0 < value < 1:  # a time of day as Excel stores it: a fraction of the day
            return int(value * 24 + 1e-9)
        return int(value) if value == int(value) and 0 <= value <= 23 else wrong
    text = cell_text(value)
    found = _HOUR.fullmatch(text) or _TIME_IN_DAY.fullmatch(text)
    if found is None:
        return wrong
    hour = int(found[1])
    return hour if hour <= 23 else wrong


# ---- records ----------------------------------------------------------------------------------


def record_key(record: Mapping[str, Any]) -> tuple[Any, ...]:
    """What a record replaces: its channel, campaign, creative, day and hour."""
    return (
        record.get("channel"),
        record.get("campaign"),
        record.get("creative"),
        record.get("date"),
        record.get("hour"),
    )


def merge(rows: Iterable[FileRow]) -> list[tuple[list[int], dict[str, Any]]]:
    """One record per key, the counts, money and custom metrics of its rows added up (names:
    the last row that gives one), with the rows it came from; in the file's order."""
    merged: dict[tuple[Any, ...], tuple[list[int], dict[str, Any]]] = {}
    for file_row in rows:
        key = record_key(file_row.record)
        if key not in merged:
            merged[key] = ([file_row.row], dict(file_row.record))
            continue
        numbers, total = merged[key]
        numbers.append(file_row.row)
        for name, value in file_row.record.items():
            if name in COUNTS or name in MONEY:
                total[name] = total.get(name, 0) + value
            elif name == "custom":
                custom = dict(total.get("custom") or {})
                for metric, amount in value.items():
                    custom[metric] = custom.get(metric, Decimal(0)) + amount
                total["custom"] = custom
            else:
                total[name] = value
    return list(merged.values())
