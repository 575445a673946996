"""Reading cost entries from CSV and Excel files (finance/imports.py): encodings, header
guessing, every kind of bad cell named by row and column, conversion at the entry's rate."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from mems.core.i18n import Message
from mems.finance.figures import CostKind
from mems.finance.imports import (
    ImportContext,
    Sheet,
    UnreadableFile,
    guess_mapping,
    parse,
    read,
)

D = Decimal
CONTEXT = ImportContext(
    currency="CNY",
    lines={"场地租赁": "line-venue", "差旅": "line-travel"},
    phases={"执行": "phase-exec"},
    categories=("venue", "travel", "materials", "ad_spend", "vendors", "labour", "other"),
    vendors={"上海会展服务有限公司": "vendor-1"},
    category_of_line={"line-venue": "venue", "line-travel": "travel"},
)
HEADER = "日期,金额,币种,汇率,类型,预算科目,阶段,供应商,说明"


def rendered(message: Message) -> str:
    return message.render("en")


def csv_bytes(*rows: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode(encoding)


class TestRead:
    def test_utf8_csv_with_bom_and_header_guess(self) -> None:
        sheet = read(
            b"\xef\xbb\xbf" + csv_bytes("2026-11-02,12000.50,,,实际,场地租赁,执行,,场地定金"),
            "costs.csv",
        )
        assert sheet.header[:3] == ["日期", "金额", "币种"]
        mapping = guess_mapping(sheet.header)
        assert mapping["incurred_on"] == "日期"
        assert mapping["line"] == "预算科目"
        assert mapping["description"] == "说明"
        parsed = parse(sheet, mapping, CONTEXT)
        assert parsed.errors == []
        (draft,) = parsed.drafts
        assert draft.row == 2
        assert draft.incurred_on == date(2026, 11, 2)
        assert draft.amount == D("12000.50")
        assert draft.amount_project == D("12000.50")
        assert draft.kind == CostKind.ACTUAL
        assert draft.line_id == "line-venue"
        assert draft.category == "venue"
        assert draft.phase_id == "phase-exec"
        assert draft.description == "场地定金"

    def test_gbk_csv_from_chinese_excel(self) -> None:
        sheet = read(
            csv_bytes('2026/11/03,"1,500",CNY,,已承诺,差旅,,,高铁票', encoding="gbk"), "差旅.csv"
        )
        parsed = parse(sheet, guess_mapping(sheet.header), CONTEXT)
        assert parsed.errors == []
        assert parsed.drafts[0].amount == D("1500.00")
        assert parsed.drafts[0].kind == CostKind.COMMITTED
        assert parsed.drafts[0].description == "高铁票"

    def test_xlsx_with_real_dates_and_numbers(self) -> None:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["日期", "金额", "币种", "汇率", "说明"])
        sheet.append([datetime(2026, 11, 4), 0.1, "CNY", None, "小额"])
        sheet.append([datetime(2026, 11, 5), 100, "USD", 7.1234, "海外素材"])
        sheet.append([None, None, None, None, None])  # a blank row is skipped
        buffer = io.BytesIO()
        book.save(buffer)
        read_sheet = read(buffer.getvalue(), "costs.xlsx")
        parsed = parse(read_sheet, guess_mapping(read_sheet.header), CONTEXT)
        assert parsed.errors == []
        small, usd = parsed.drafts
        assert small.amount == D("0.10")
        assert small.incurred_on == date(2026, 11, 4)
        assert (usd.currency, usd.rate, usd.amount, usd.amount_project) == (
            "USD",
            D("7.123400"),
            D("100.00"),
            D("712.34"),
        )
        assert usd.row == 3

    @pytest.mark.parametrize(
        ("data", "name", "says"),
        [
            (b"a,b\n", "costs.pdf", "Upload a .csv"),
            (b"PK\x03\x04 not really a zip", "costs.xlsx", "not a readable Excel"),
            (b"\x00\x01\x02", "costs.csv", "not a text CSV"),
            (b"\n\n , \n", "costs.csv", "no rows"),
        ],
    )
    def test_unreadable_files(self, data: bytes, name: str, says: str) -> None:
        with pytest.raises(UnreadableFile) as caught:
            read(data, name)
        assert says in rendered(caught.value.message)


def errors_of(*rows: str) -> list[tuple[int, str, str]]:
    sheet = read(csv_bytes(*rows), "x.csv")
    parsed = parse(sheet, guess_mapping(sheet.header), CONTEXT)
    assert parsed.drafts == [] or parsed.errors == [] or len(parsed.drafts) < len(rows)
    return [(e.row, e.column, rendered(e.message)) for e in parsed.errors]


class TestRowErrors:
    def test_each_bad_cell_is_named_by_row_and_column(self) -> None:
        errors = errors_of(
            "2026-11-02,100,,,,,,,ok",
            "2026-13-40,100,,,,,,,bad date",
            "2026-11-02,-5,,,,,,,negative",
            "2026-11-02,abc,,,,,,,not a number",
            "2026-11-02,1.005,,,,,,,three decimals",
            "2026-11-02,1e30,,,,,,,huge",
            "2026-11-02,100,USD,,,,,,no rate",
            "2026-11-02,100,usd1,,,,,,bad currency",
            "2026-11-02,100,,,也许,,,,bad kind",
            "2026-11-02,100,,,,展位费,,,no such line",
            "2026-11-02,100,,,,,复盘,,no such phase",
            "2026-11-02,100,,,,,,某某公司,no such vendor",
            "2026-11-02,,,,,,,,no amount",
            "2026-11-02,NaN,,,,,,,nan",
        )
        by_row = {row: (column, text) for row, column, text in errors}
        assert 2 not in by_row
        assert by_row[3][0] == "日期"
        assert by_row[4] == (
            "金额",
            "An amount is not negative (record a refund as its own entry).",
        )
        assert by_row[5] == ("金额", "Not a number.")
        assert by_row[6] == ("金额", "An amount has at most two decimals.")
        assert by_row[7] == ("金额", "The amount is too large.")
        assert by_row[8] == ("汇率", "An amount in USD needs a positive exchange rate to CNY.")
        assert by_row[9][0] == "币种"
        assert by_row[10][0] == "类型"
        assert by_row[11] == ("预算科目", "The project has no budget line 展位费.")
        assert by_row[12] == ("阶段", "The project has no phase 复盘.")
        assert by_row[13] == ("供应商", "No vendor is called 某某公司.")
        assert by_row[14] == ("金额", "An amount is required.")
        assert by_row[15] == ("金额", "Not a number.")

    def test_a_row_with_two_problems_reports_both(self) -> None:
        errors = errors_of("yesterday,-1,,,,,,,x")
        assert [(row, column) for row, column, _ in errors] == [(2, "日期"), (2, "金额")]

    def test_nul_in_a_description_is_refused(self) -> None:
        sheet = Sheet(header=["日期", "金额", "说明"], rows=[["2026-11-02", "5", "a\x00b"]])
        parsed = parse(sheet, guess_mapping(sheet.header), CONTEXT)
        assert [(e.row, e.column) for e in parsed.errors] == [(2, "说明")]
        assert parsed.drafts == []


class TestMapping:
    def test_a_mapping_to_a_missing_column_or_without_required_fields(self) -> None:
        sheet = Sheet(header=["Date", "Sum"], rows=[["2026-11-02", "5"]])
        parsed = parse(sheet, {"incurred_on": "Date", "amount": "Total", "colour": "Sum"}, CONTEXT)
        texts = [rendered(e.message) for e in parsed.errors]
        assert "Unknown fields in the mapping: colour" in texts
        assert "The file has no column Total." in texts
        assert parsed.drafts == []
        parsed = parse(sheet, {"incurred_on": "Date"}, CONTEXT)
        assert [rendered(e.message) for e in parsed.errors] == ["Map a column to amount."]

    def test_an_explicit_mapping_for_english_headers(self) -> None:
        sheet = Sheet(header=["When", "Sum", "What"], rows=[["2026年11月6日", "¥2,000.00", "印刷"]])
        parsed = parse(
            sheet, {"incurred_on": "When", "amount": "Sum", "description": "What"}, CONTEXT
        )
        assert parsed.errors == []
        assert parsed.drafts[0].amount == D("2000.00")
        assert parsed.drafts[0].incurred_on == date(2026, 11, 6)
        assert parsed.drafts[0].category == "other"
