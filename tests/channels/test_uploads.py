"""Channel data from CSV and Excel files: the pure reading (channels/uploads.py — real exports'
layouts, header synonyms in Chinese and English, every kind of cell, problems named by row and
column) and the API (POST /channel-data/uploads: a preview that proposes the mapping, a commit
that sends the whole file as one batch or nothing, a mapping saved per source)."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.channels import channel_import, uploads
from mems.channels.models import AdCampaign, DataSource, IngestBatch, MetricDaily
from mems.config import Settings
from mems.core import spreadsheets
from mems.core.i18n import Message
from mems.core.jobs import InProcessQueue
from mems.identity.permissions import Role
from tests.channels.helpers import with_channels
from tests.checkins.helpers import API, count, fields_of, problem
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers

D = Decimal
CHANNELS = uploads.channel_names(
    [("douyin", "抖音"), ("meta", "Meta"), ("google_ads", "Google Ads")]
)
CNY = uploads.UploadContext(currency="CNY", channels=CHANNELS, channel="douyin")

# 巨量引擎's daily report as Excel saves it in China: GBK, a title line above the header, a
# rate column, thousands separators, "-" for nothing, and a totals row at the end.
OCEANENGINE = (
    "巨量引擎 广告计划日报 2026-11-20 至 2026-11-21\n"
    "日期,广告计划ID,广告计划名称,创意ID,展示数,点击数,点击率(%),消耗(元),转化数,成交金额,涨粉数\n"
    '2026-11-20,1790001,双十一预热,c-1,"12,345",321,2.60%,"1,234.50",12,"8,800.00",-\n'
    "2026/11/21,1790001,双十一预热,c-1,10000,250,2.50%,999.9,-,0,3\n"
    "2026-11-21,1790002,直播引流,,5000,50,1.00%,100,1,300,\n"
    '合计,-,-,-,"27,345",621,-,"2,334.40",13,"9,100.00",3\n'
).encode("gbk")

# Meta Ads Manager's export (UTF-8 with BOM), broken down by ad set.
META = (
    "\ufeffReporting starts,Reporting ends,Campaign name,Ad set name,Ad name,Results,"
    "Result indicator,Impressions,Clicks (all),Link clicks,Amount spent (USD),Purchases,"
    "Purchases conversion value,Leads,CTR (link click-through rate)\n"
    "2026-11-20,2026-11-20,Holiday Sale,Women 25-34,Video A,7,actions:purchase,"
    "4000,120,80,55.10,7,700.00,2,2.0%\n"
    "2026-11-20,2026-11-20,Holiday Sale,Women 35-44,Video A,3,actions:purchase,"
    "1000,30,20,14.90,3,300.00,0,2.0%\n"
).encode()


def rendered(message: Message) -> str:
    return message.render("en")


def read(data: bytes, name: str) -> spreadsheets.Sheet:
    return spreadsheets.read(data, name, header_score=uploads.header_score)


def parse(
    sheet: spreadsheets.Sheet,
    context: uploads.UploadContext = CNY,
    **mapping: Any,
) -> uploads.Parsed:
    return uploads.parse(sheet, uploads.choose_mapping(sheet.header, **mapping), context)


def problems(parsed: uploads.Parsed) -> list[tuple[int, str, str, str]]:
    return [(e.row, e.column, e.field, rendered(e.message)) for e in parsed.errors]


def xlsx(*rows: list[Any]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class TestLayouts:
    def test_oceanengine_chinese_csv_in_gbk(self) -> None:
        sheet = read(OCEANENGINE, "巨量引擎日报.csv")
        assert sheet.header_row == 2  # the title line above is not the header
        mapping = uploads.choose_mapping(sheet.header)
        assert mapping.fields == {
            "日期": "date",
            "广告计划ID": "campaign",
            "广告计划名称": "campaign_name",
            "创意ID": "creative",
            "展示数": "impressions",
            "点击数": "clicks",
            "消耗(元)": "spend",
            "转化数": "conversions",
            "成交金额": "revenue",
            "涨粉数": "followers",
        }
        assert mapping.guessed == list(mapping.fields)
        parsed = uploads.parse(sheet, mapping, CNY)
        assert parsed.errors == []
        assert parsed.skipped == [6]  # 合计
        first, second, third = parsed.rows
        assert first.row == 3
        assert first.record == {
            "date": date(2026, 11, 20),
            "channel": "douyin",
            "campaign": "1790001",
            "campaign_name": "双十一预热",
            "creative": "c-1",
            "impressions": 12_345,
            "clicks": 321,
            "conversions": 12,
            "followers": 0,
            "spend": D("1234.50"),
            "revenue": D("8800.00"),
        }
        assert (second.record["date"], second.record["conversions"]) == (date(2026, 11, 21), 0)
        assert second.record["spend"] == D("999.90")
        assert "creative" not in third.record  # an empty creative: the campaign's own record

    def test_meta_ads_manager_english_export(self) -> None:
        sheet = read(META, "Holiday-Sale-Ads-Nov-20-2026.csv")
        mapping = uploads.choose_mapping(sheet.header)
        assert mapping.fields == {
            "Reporting starts": "date",
            "Campaign name": "campaign_name",
            "Ad name": "creative_name",
            "Impressions": "impressions",
            "Link clicks": "clicks",  # over "Clicks (all)"
            "Amount spent (USD)": "spend",
            "Purchases": "conversions",  # over "Results"
            "Purchases conversion value": "revenue",
            "Leads": "leads",
        }
        usd = uploads.UploadContext(currency="USD", channels=CHANNELS, channel="meta")
        parsed = uploads.parse(sheet, mapping, usd)
        assert parsed.errors == []
        # Named only: the names are the ids. Two ad sets of one ad on one day add up.
        ((rows, record),) = uploads.merge(parsed.rows)
        assert rows == [2, 3]
        assert record["campaign"] == record["campaign_name"] == "Holiday Sale"
        assert record["creative"] == "Video A"
        assert (record["impressions"], record["clicks"], record["conversions"]) == (5000, 100, 10)
        assert (record["spend"], record["revenue"], record["leads"]) == (
            D("70.00"),
            D("1000.00"),
            2,
        )
        # Dollars into a source kept in yuan: the header's unit gives it away.
        assert problems(uploads.parse(sheet, mapping, CNY)) == [
            (
                1,
                "Amount spent (USD)",
                "spend",
                "The money is in USD, the source's currency is CNY.",
            )
        ]

    def test_google_ads_workbook_with_title_lines_totals_and_excel_cells(self) -> None:
        data = xlsx(
            ["Campaign report"],
            ["November 20, 2026 - November 21, 2026"],
            ["Day", "Hour of day", "Campaign", "Campaign ID", "Impr.", "Clicks", "Cost", "Conv."],
            [datetime(2026, 11, 20), 9, "Brand", 111, 1000, 10, 12.3, 1],
            [46347, time(14, 0), "Brand", 111, 2000.0, 20, 0.1, 0],
            [None, None, None, None, None, None, None, None],
            ["Total: Account", None, None, None, 3000, 30, 12.4, 1],
        )
        sheet = read(data, "report.xlsx")
        assert (sheet.header_row, sheet.header[0]) == (3, "Day")
        parsed = parse(sheet, given={"Conv.": "conversions"})
        assert parsed.errors == []
        assert parsed.skipped == [7]
        assert [(r.row, r.record["date"], r.record["hour"]) for r in parsed.rows] == [
            (4, date(2026, 11, 20), 9),
            (5, date(2026, 11, 21), 14),
        ]
        assert parsed.rows[0].record["campaign"] == "111"  # a numeric id, not "111.0"
        assert parsed.rows[1].record["spend"] == D("0.10")
        assert parsed.rows[1].record["impressions"] == 2000


class TestCells:
    @pytest.mark.parametrize(
        ("cell", "day"),
        [
            ("2026-11-20", date(2026, 11, 20)),
            ("2026/11/20", date(2026, 11, 20)),
            ("2026.11.20", date(2026, 11, 20)),
            ("20261120", date(2026, 11, 20)),
            ("2026年11月20日", date(2026, 11, 20)),
            ("2026-11-20 00:00:00", date(2026, 11, 20)),
            ("2026-11-20T08:30", date(2026, 11, 20)),
            ("Nov 20, 2026", date(2026, 11, 20)),
            (46346.0, date(2026, 11, 20)),  # Excel's serial number
            (20261120.0, date(2026, 11, 20)),
            (date(2026, 11, 20), date(2026, 11, 20)),
            (datetime(2026, 11, 20, 23, 59), date(2026, 11, 20)),
            ("2026-02-30", None),
            ("20261340", None),
            ("yesterday", None),
            (12.0, None),  # a count in the date column is no day
            ("", None),
        ],
    )
    def test_days(self, cell: Any, day: date | None) -> None:
        assert uploads.parse_date(cell) == day

    @pytest.mark.parametrize(
        ("cell", "hour"),
        [
            ("9", 9),
            ("09:00", 9),
            ("14:00:00 - 14:59:59", 14),
            ("14时", 14),
            ("23点", 23),
            ("2026-11-20 14:00", 14),
            (0.0, 0),
            (0.5, 12),
            (time(7, 0), 7),
            ("", None),
            ("-", None),
        ],
    )
    def test_hours(self, cell: Any, hour: int | None) -> None:
        assert uploads.parse_hour(cell) == hour

    @pytest.mark.parametrize("cell", ["24", "-1", "noon", 1.5, 25.0])
    def test_not_hours(self, cell: Any) -> None:
        assert isinstance(uploads.parse_hour(cell), Message)

    @pytest.mark.parametrize(
        ("cell", "value"),
        [
            ("12,345", 12_345),
            ("1,234,567", 1_234_567),
            (" 42 ", 42),
            (42.0, 42),
            ("-", 0),
            ("--", 0),
            ("", 0),
            (None, 0),
            ("12.5", "Not a whole number."),
            ("2.5%", "A percentage is not a count."),
            ("-3", "A count is not negative."),
            ("abc", "Not a number."),
            ("NaN", "Not a number."),
            ("1e16", "The number is too large."),
        ],
    )
    def test_counts(self, cell: Any, value: int | str) -> None:
        parsed = uploads.parse_count(cell)
        assert (rendered(parsed) if isinstance(parsed, Message) else parsed) == value

    @pytest.mark.parametrize(
        ("cell", "value"),
        [
            ("1,234.50", D("1234.50")),
            ("¥1,234.5", D("1234.50")),
            ("$12", D("12.00")),
            ("88元", D("88.00")),
            (0.1, D("0.10")),
            ("0.125", D("0.13")),  # to the cent, half up
            ("-", D("0.00")),
            ("-5", "An amount is not negative."),
            ("5%", "A percentage is not an amount."),
            ("1e30", "The number is too large."),
        ],
    )
    def test_money(self, cell: Any, value: Decimal | str) -> None:
        parsed = uploads.parse_money(cell)
        assert (rendered(parsed) if isinstance(parsed, Message) else parsed) == value

    def test_custom_metrics_keep_fractions_and_percentages(self) -> None:
        assert uploads.parse_custom("3.5%") == D("0.0350")
        assert uploads.parse_custom(0.035) == D("0.0350")
        assert uploads.parse_custom("-2") == D("-2.0000")
        assert uploads.parse_custom("-") is None

    @given(st.integers(min_value=0, max_value=10**15))
    def test_any_count_with_thousands_separators_reads_back(self, n: int) -> None:
        assert uploads.parse_count(f"{n:,}") == n
        assert uploads.parse_count(float(n) if n < 2**53 else str(n)) == n


class TestHeaders:
    def test_each_name_belongs_to_one_field(self) -> None:
        keys = [spreadsheets.header_key(n) for names in uploads.SYNONYMS.values() for n in names]
        assert len(keys) == len(set(keys))
        assert all(uploads.is_target(target) for target in uploads.SYNONYMS)

    @given(
        st.sampled_from([(t, n) for t, names in uploads.SYNONYMS.items() for n in names]),
        st.sampled_from(["", " (USD)", "（元）", "(%)", " [CNY]"]),
        st.booleans(),
    )
    def test_a_name_is_known_whatever_its_case_spacing_and_unit(
        self, known: tuple[str, str], unit: str, shout: bool
    ) -> None:
        target, name = known
        header = f"  {name.upper() if shout else name.title()}{unit} "
        assert uploads.guess([header]) == {header: target}

    @pytest.mark.parametrize(
        ("header", "target"),
        [
            ("展现量", "impressions"),
            ("曝光量", "impressions"),
            ("Impr.", "impressions"),
            ("点击量", "clicks"),
            ("花费(元)", "spend"),
            ("消费（元）", "spend"),
            ("Amount spent (CNY)", "spend"),
            ("GMV", "revenue"),
            ("Conv. value", "revenue"),
            ("销售额", "revenue"),
            ("留资", "leads"),
            ("新增粉丝", "followers"),
            ("粉丝增量", "followers"),
            ("计划名称", "campaign_name"),
            ("Campaign ID", "campaign"),
            ("素材ID", "creative"),
            ("ad id", "creative"),
            ("时间", "date"),
            ("Day", "date"),
            ("币种", "currency"),
            ("点赞数", "custom:likes"),
        ],
    )
    def test_real_exports_names(self, header: str, target: str) -> None:
        assert uploads.guess([header]) == {header: target}

    @pytest.mark.parametrize("header", ["点击率(%)", "CTR", "CPM", "平均点击单价", "Reach", ""])
    def test_rates_and_unknown_columns_are_left_out(self, header: str) -> None:
        assert uploads.guess([header]) == {}

    def test_a_header_that_looks_like_a_pattern_is_only_text(self) -> None:
        sheet = spreadsheets.Sheet(
            header=["日期", "计划", "(.*)+$"], rows=[["2026-11-20", "A", "3"]]
        )
        parsed = parse(sheet, given={"(.*)+$": "custom:score"})
        assert parsed.errors == []
        assert parsed.rows[0].record["custom"] == {"score": D("3.0000")}


LAYOUT = ["When", "Plan", "Shown", "Cost", "点击", "备注"]


class TestMapping:
    def test_the_callers_mapping_over_the_saved_over_the_guess(self) -> None:
        mapping = uploads.choose_mapping(
            LAYOUT,
            saved={"When": "date", "Plan": "campaign_name", "Shown": "impressions", "Gone": "x"},
            given={"Cost": "spend", "Shown": None, "点击": ""},
        )
        assert mapping.fields == {"When": "date", "Plan": "campaign_name", "Cost": "spend"}
        assert mapping.saved == ["When", "Plan"]
        assert mapping.guessed == []
        assert mapping.errors == []
        assert mapping.as_saved(LAYOUT) == {
            "When": "date",
            "Plan": "campaign_name",
            "Shown": None,
            "Cost": "spend",
            "点击": None,
            "备注": None,
        }

    def test_an_explicit_choice_displaces_the_guess_of_the_same_field(self) -> None:
        mapping = uploads.choose_mapping(
            ["日期", "计划", "点击", "有效点击"], given={"有效点击": "clicks"}
        )
        assert mapping.fields == {"日期": "date", "计划": "campaign_name", "有效点击": "clicks"}
        assert mapping.guessed == ["日期", "计划"]

    def test_a_bad_mapping_names_its_problems_on_the_header_row(self) -> None:
        mapping = uploads.choose_mapping(
            LAYOUT,
            given={
                "Plan": "campaign_name",
                "Shown": "impressions",
                "Cost": "impressions",
                "备注": "colour",
                "点击": "custom:点 击",
                "Nope": "clicks",
            },
            header_row=4,
        )
        texts = {(e.row, e.column, rendered(e.message)) for e in mapping.errors}
        assert texts == {
            (4, "Nope", "The file has no column Nope."),
            (4, "备注", "colour is not a field a column can map to."),
            (4, "点击", "custom:点 击 is not a field a column can map to."),
            (4, "Cost", "Columns Shown, Cost all map to impressions: keep one."),
            (4, "", "Map a column to the day (date)."),
        }
        no_campaign = uploads.choose_mapping(["日期", "展示数"])
        assert [rendered(e.message) for e in no_campaign.errors] == [
            "Map a column to the campaign: its ID (campaign) or its name (campaign_name)."
        ]

    def test_without_a_channel_anywhere_the_file_is_refused(self) -> None:
        sheet = spreadsheets.Sheet(header=["日期", "计划"], rows=[["2026-11-20", "A"]])
        none = uploads.UploadContext(currency="CNY", channels=CHANNELS)
        assert [rendered(e.message) for e in parse(sheet, none).errors] == [
            "Name the channel: map a channel column, choose a channel, or use a source with one."
        ]


class TestRowProblems:
    def test_every_bad_cell_is_named_by_row_and_column(self) -> None:
        csv = (
            "日期,小时,渠道,计划ID,计划名称,展示数,点击数,消耗,币种,点赞数\n"
            "2026-11-20,9,抖音,p1,计划一,100,10,5.5,CNY,3\n"
            "2026-13-01,9,抖音,p1,计划一,100,10,5.5,,3\n"
            "2026-11-20,25,抖音,p1,计划一,100,10,5.5,,3\n"
            "2026-11-20,9,myspace,p1,计划一,100,10,5.5,,3\n"
            "2026-11-20,9,,,,100,10,5.5,,3\n"
            "2026-11-20,9,GOOGLE ADS,p1,计划一,1.5,-10,5%,USD,abc\n"
            "2026-11-20,9,douyin,p1," + "长" * 201 + ",100,10,5.5,cny1,3\n"
        ).encode()
        parsed = parse(read(csv, "bad.csv"))
        assert [r.row for r in parsed.rows] == [2]
        assert parsed.rows[0].record["custom"] == {"likes": D("3.0000")}
        assert problems(parsed) == [
            (3, "日期", "date", "Not a date (such as 2026-11-20)."),
            (4, "小时", "hour", "Not an hour of the day (0 to 23)."),
            (5, "渠道", "channel", "No channel has the key or name myspace."),
            (6, "计划ID", "campaign", "A campaign ID or name is required."),
            (7, "展示数", "impressions", "Not a whole number."),
            (7, "点击数", "clicks", "A count is not negative."),
            (7, "消耗", "spend", "A percentage is not an amount."),
            (7, "币种", "currency", "The money is in USD, the source's currency is CNY."),
            (7, "点赞数", "custom:likes", "Not a number."),
            (8, "计划名称", "campaign_name", "At most 200 characters, without NUL."),
            (8, "币种", "currency", "Not a currency code (such as CNY or USD)."),
        ]

    def test_rows_empty_where_mapped_and_totals_rows_are_skipped_not_refused(self) -> None:
        csv = (
            "计划名称,日期,展示数,备注\n"
            "Total Beauty,2026-11-20,5,\n"  # a campaign called Total…, with its day: a row
            ",,,just a note\n"
            "总计,,5,\n"
        ).encode()
        parsed = parse(read(csv, "x.csv"))
        assert parsed.errors == []
        assert [r.record["campaign"] for r in parsed.rows] == ["Total Beauty"]
        assert parsed.skipped == [3, 4]


# ---- the API ----------------------------------------------------------------------------------

LIMIT = 200 * 1024  # above the 64 KiB the tests allow other bodies
CSV_TYPE = "text/csv"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"max_import_bytes": LIMIT})


async def upload(
    c: httpx.AsyncClient,
    data: bytes,
    name: str = "report.csv",
    *,
    commit: bool | str | None = None,
    mapping: dict[str, Any] | str | None = None,
    **fields: Any,
) -> httpx.Response:
    form = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in fields.items()}
    if commit is not None:
        form["commit"] = str(commit).lower() if isinstance(commit, bool) else commit
    if mapping is not None:
        form["mapping"] = mapping if isinstance(mapping, str) else json.dumps(mapping)
    return await c.post(
        f"{API}/channel-data/uploads",
        files={"file": (name, data, "application/octet-stream")},
        data=form,
    )


async def make_source(admin: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    r = await admin.post(f"{API}/data-sources", json={"kind": "upload", **body})
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


async def daily(session: AsyncSession) -> list[MetricDaily]:
    stmt = select(MetricDaily).order_by(MetricDaily.day, MetricDaily.impressions)
    return list((await session.scalars(stmt)).all())


async def test_a_preview_proposes_the_mapping_and_stores_nothing(
    api: ApiFactory, session: AsyncSession
) -> None:
    admin = await api(Role.ADMIN)
    channels = await with_channels(admin)
    source = await make_source(admin, name="巨量引擎导出", channel_id=channels["oceanengine"])
    pm = await api(Role.PROJECT_MANAGER)
    r = await upload(pm, OCEANENGINE, "巨量.csv", source_id=source["id"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["source_id"] == source["id"]
    assert body["header_row"] == 2
    assert body["columns"][:3] == ["日期", "广告计划ID", "广告计划名称"]
    assert body["mapping"]["消耗(元)"] == "spend"
    assert body["mapping"]["点击率(%)"] is None
    assert "消耗(元)" in body["guessed"]
    assert body["saved"] == []
    assert body["mapping_saved"] is False
    assert "custom:<name>" not in body["fields"]
    assert "impressions" in body["fields"]
    assert body["total_rows"] == 4
    assert body["skipped_rows"] == [6]
    assert [row["row"] for row in body["rows"]] == [3, 4, 5]
    assert body["rows"][0] | {"row": 3} == {
        "row": 3,
        "channel": "oceanengine",
        "campaign": "1790001",
        "campaign_name": "双十一预热",
        "creative": "c-1",
        "creative_name": None,
        "date": "2026-11-20",
        "hour": None,
        "impressions": 12345,
        "clicks": 321,
        "conversions": 12,
        "leads": 0,
        "followers": 0,
        "spend": "1234.50",
        "revenue": "8800.00",
        "currency": None,
        "custom": None,
    }
    assert body["errors"] == []
    assert body["totals"] == {
        "currency": "CNY",
        "rows": 3,
        "records": 3,
        "impressions": 27345,
        "clicks": 621,
        "spend": "2334.40",
    }
    assert body["can_commit"] is True
    assert await count(session, IngestBatch) == 0
    assert await count(session, AdCampaign) == 0


async def test_a_commit_sends_one_batch_that_the_job_writes(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue
) -> None:
    admin = await api(Role.ADMIN)
    channels = await with_channels(admin)
    source = await make_source(
        admin, name="Meta 美元账户", channel_id=channels["meta"], currency="USD", rate="7.2"
    )
    pm = await api(Role.PROJECT_MANAGER)
    r = await upload(pm, META, "meta.csv", source_id=source["id"], commit=True)
    assert r.status_code == 202, r.text
    batch = r.json()
    assert r.headers["location"] == f"{API}/channel-data/batches/{batch['id']}"
    assert (batch["via"], batch["status"], batch["source_id"]) == (
        "upload",
        "pending",
        source["id"],
    )
    assert batch["record_count"] == 1  # two ad sets of one ad on one day, added up
    await jobs.drain()
    done = (await pm.get(f"{API}/channel-data/batches/{batch['id']}")).json()
    assert (done["status"], done["written"]) == ("done", 1)
    (day,) = await daily(session)
    assert (day.day, day.impressions, day.clicks, day.conversions, day.leads) == (
        date(2026, 11, 20),
        5000,
        100,
        10,
        2,
    )
    assert (day.spend, day.revenue) == (D("504.00"), D("7200.00"))  # at the source's rate
    assert str(day.channel_id) == channels["meta"]
    campaign = await session.scalar(select(AdCampaign))
    assert campaign is not None
    assert (campaign.external_id, campaign.name) == ("Holiday Sale", "Holiday Sale")

    # The same file again replaces its counts, it does not add to them.
    again = await upload(pm, META, "meta.csv", source_id=source["id"], commit=True)
    assert again.status_code == 202, again.text
    await jobs.drain()
    (day,) = await daily(session)
    assert day.impressions == 5000


async def test_a_file_with_one_bad_row_is_refused_whole(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue
) -> None:
    admin = await api(Role.ADMIN)
    await with_channels(admin)
    pm = await api(Role.PROJECT_MANAGER)
    csv = (
        "日期,计划ID,计划名称,展示数,点击数,消耗\n"
        "2026-11-20,p1,计划一,100,10,5\n"
        "2026-11-20,p2,计划二,100,ten,5\n"
        "2026-11-21,p1,计划一,100,10,5\n"
    ).encode()
    preview = await upload(pm, csv, channel="douyin")
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["can_commit"] is False
    assert body["error_count"] == 1
    assert body["errors"] == [
        {"row": 3, "column": "点击数", "field": "clicks", "message": "Not a number."}
    ]
    assert body["totals"]["rows"] == 2

    refused = problem(
        await upload(pm, csv, channel="douyin", commit=True), 422, "validation-failed"
    )
    assert fields_of(refused) == ["rows[3].clicks"]
    assert refused["errors"][0]["message"] == "Row 3, column 点击数: Not a number."
    assert "nothing was imported" in refused["detail"]
    # A campaign seen for the first time needs its name, on the row that brings it.
    unnamed = "日期,计划ID,展示数\n2026-11-20,p9,5\n".encode()
    refused = problem(
        await upload(pm, unnamed, channel="douyin", commit=True), 422, "validation-failed"
    )
    assert fields_of(refused) == ["rows[2].campaign_name"]
    # Rows of one campaign-day add up, and their sum is checked too.
    huge = (
        "日期,计划ID,计划名称,展示数\n"
        "2026-11-20,p1,计划一,600000000000000\n"
        "2026-11-20,p1,计划一,600000000000000\n"
    ).encode()
    refused = problem(
        await upload(pm, huge, channel="douyin", commit=True), 422, "validation-failed"
    )
    assert fields_of(refused) == ["rows[3].impressions"]
    # A mapping problem is the file's, not a row's.
    refused = problem(
        await upload(pm, csv, channel="douyin", commit=True, mapping={"点击数": "colour"}),
        422,
        "validation-failed",
    )
    assert fields_of(refused) == ["mapping"]
    await jobs.drain()
    assert await count(session, IngestBatch) == 0
    assert await count(session, AdCampaign) == 0
    assert await daily(session) == []


async def test_a_known_campaign_needs_no_name_and_a_channel_column_names_channels(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue
) -> None:
    admin = await api(Role.ADMIN)
    channels = await with_channels(admin)
    made = await admin.post(
        f"{API}/campaigns",
        json={"channel_id": channels["kuaishou"], "external_id": "k-1", "name": "快手常投"},
    )
    assert made.status_code == 201, made.text
    csv = (
        "渠道,计划ID,日期,展示数,消耗\n"
        "快手,k-1,2026-11-20,700,70\n"  # by the channel's name
        "KUAISHOU,k-1,2026-11-21,800,80\n"  # by its key, in any case
    ).encode()
    r = await upload(admin, csv, commit=True)
    assert r.status_code == 202, r.text
    await jobs.drain()
    assert [(str(d.channel_id), d.impressions) for d in await daily(session)] == [
        (channels["kuaishou"], 700),
        (channels["kuaishou"], 800),
    ]
    assert await count(session, AdCampaign) == 1


async def test_a_saved_mapping_is_the_next_files_default(
    api: ApiFactory, session: AsyncSession, jobs: InProcessQueue
) -> None:
    admin = await api(Role.ADMIN)
    channels = await with_channels(admin)
    source = await make_source(admin, name="小红书导出", channel_id=channels["xiaohongshu"])
    pm = await api(Role.PROJECT_MANAGER)
    csv = (
        "统计周期,笔记名称,阅读,互动,花费金额,备注\n"
        "2026-11-20,秋冬护肤,1000,50,300,\n"
        "2026-11-21,秋冬护肤,800,40,250,补量\n"
    ).encode()
    first = (await upload(pm, csv, source_id=source["id"])).json()
    assert first["mapping"]["统计周期"] is None  # not a name MEMS knows
    assert first["mapping"]["花费金额"] == "spend"
    assert first["can_commit"] is False
    mapping = {
        "统计周期": "date",
        "笔记名称": "campaign_name",
        "阅读": "impressions",
        "互动": "custom:interactions",
    }
    r = await upload(pm, csv, source_id=source["id"], mapping=mapping, save_mapping=True)
    assert r.status_code == 200, r.text
    assert r.json()["mapping_saved"] is True
    saved = await session.scalar(select(DataSource).where(DataSource.name == "小红书导出"))
    assert saved is not None
    await session.refresh(saved)
    assert saved.mapping == mapping | {"花费金额": "spend", "备注": None}

    # The next file of the layout: the saved mapping, nothing to set.
    again = await upload(pm, csv, source_id=source["id"])
    body = again.json()
    assert body["mapping"] == mapping | {"花费金额": "spend", "备注": None}
    assert body["saved"] == ["统计周期", "笔记名称", "阅读", "互动", "花费金额"]
    assert body["guessed"] == []
    assert body["can_commit"] is True
    assert body["rows"][0]["custom"] == {"interactions": "50.0000"}
    sent = await upload(pm, csv, source_id=source["id"], commit=True)
    assert sent.status_code == 202, sent.text
    await jobs.drain()
    assert [(d.day, d.impressions, d.spend) for d in await daily(session)] == [
        (date(2026, 11, 20), 1000, D("300.00")),
        (date(2026, 11, 21), 800, D("250.00")),
    ]
    # Without a source, there is nowhere to save it.
    body = problem(
        await upload(pm, csv, mapping=mapping, save_mapping=True), 422, "validation-failed"
    )
    assert fields_of(body) == ["save_mapping"]


async def test_who_may_upload_and_with_which_source(
    api: ApiFactory,
    session: AsyncSession,
    jobs: InProcessQueue,
    org: OrgWithMembers,
    other_org: OrgWithMembers,
) -> None:
    admin = await api(Role.ADMIN)
    channels = await with_channels(admin)
    mine = await make_source(admin, name="上传", channel_id=channels["douyin"])
    csv = "日期,计划名称,展示数\n2026-11-20,计划一,100\n".encode()
    for role in (Role.MEMBER, Role.FINANCE, Role.VIEWER):
        problem(await upload(await api(role), csv, source_id=mine["id"]), 403, "forbidden")
    stranger = await api(Role.ADMIN, other_org)
    await with_channels(stranger)
    theirs = await make_source(stranger, name="他们的上传")
    pm = await api(Role.PROJECT_MANAGER)
    problem(await upload(pm, csv, source_id=theirs["id"], channel="douyin"), 404, "not-found")
    problem(
        await upload(pm, csv, source_id=theirs["id"], channel="douyin", commit=True),
        404,
        "not-found",
    )
    # A token that may send channel data but not keep sources cannot save a mapping.
    token = await pm.post(
        f"{API}/api-tokens", json={"name": "上传脚本", "scopes": ["channel_data:send"]}
    )
    assert token.status_code == 201, token.text
    pm.headers["Authorization"] = f"Bearer {token.json()['token']}"
    assert (await upload(pm, csv, source_id=mine["id"])).status_code == 200
    body = problem(await upload(pm, csv, source_id=mine["id"], save_mapping=True), 403, "forbidden")
    assert "channels:manage" in body["detail"]
    await jobs.drain()
    assert await count(session, IngestBatch) == 0


async def test_files_too_large_too_long_or_of_another_kind_are_refused(
    api: ApiFactory,
    session: AsyncSession,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin = await api(Role.ADMIN)
    await with_channels(admin)
    header = "日期,计划名称,展示数\n"
    # A file larger than other bodies may be is taken, up to the import limit.
    medium = (header + "2026-11-20,计划一,100\n" * 4000).encode()
    assert settings.max_body_bytes < len(medium) < LIMIT
    r = await upload(admin, medium, channel="douyin")
    assert r.status_code == 200, r.text
    assert r.json()["totals"]["impressions"] == 400_000
    big = (header + "2026-11-20,计划一,100\n" * 9000).encode()
    assert len(big) > LIMIT
    body = problem(await upload(admin, big, channel="douyin"), 413, "payload-too-large")
    assert body["limit"] == LIMIT

    monkeypatch.setattr(channel_import, "MAX_ROWS", 2)
    three = (header + "2026-11-20,计划一,1\n" * 3).encode()
    body = problem(await upload(admin, three, channel="douyin"), 422, "validation-failed")
    assert (fields_of(body), body["limit"]) == (["file"], 2)
    monkeypatch.undo()

    for data, name in (
        (three, "report.xlsx"),  # text dressed as a workbook
        (b"%PDF-1.4\n", "report.pdf"),
        (b"PK\x03\x04" + bytes(range(256)), "report.csv"),  # binary dressed as text
    ):
        problem(await upload(admin, data, name, channel="douyin"), 415, "unsupported-media-type")
    workbook = xlsx(["日期", "计划名称", "展示数"], [datetime(2026, 11, 20), "计划一", 7])
    r = await upload(admin, workbook, "report.xlsx", channel="douyin")
    assert r.status_code == 200, r.text
    assert r.json()["rows"][0]["impressions"] == 7
    assert await count(session, IngestBatch) == 0


async def test_a_malformed_form_is_a_problem_naming_its_part(api: ApiFactory) -> None:
    admin = await api(Role.ADMIN)
    await with_channels(admin)
    csv = "日期,计划名称,展示数\n2026-11-20,计划一,100\n".encode()
    url = f"{API}/channel-data/uploads"
    cases = [
        (await upload(admin, csv, channel="douyin", mapping="{not json"), "mapping"),
        (await upload(admin, csv, channel="douyin", mapping='{"展示数": 5}'), "mapping"),
        (await upload(admin, csv, channel="douyin", mapping="[]"), "mapping"),
        (await upload(admin, csv, channel="douyin", commit="maybe"), "commit"),
        (await upload(admin, csv, channel="douyin", save_mapping="often"), "save_mapping"),
        (await upload(admin, csv, source_id="not-a-uuid"), "source_id"),
        (await upload(admin, csv, channel="myspace"), "channel"),
        (await admin.post(url, data={"commit": "true"}), "file"),
        (await admin.post(url, files={"other": ("x.csv", csv, CSV_TYPE)}), "file"),
        (await admin.post(url, json={"file": "x"}), "file"),
    ]
    for r, field in cases:
        assert fields_of(problem(r, 422, "validation-failed")) == [field], r.text
    # A header and no rows: nothing to send.
    body = problem(
        await upload(admin, "日期,计划名称\n".encode(), channel="douyin", commit=True),
        422,
        "validation-failed",
    )
    assert fields_of(body) == ["file"]


async def test_problems_are_in_the_readers_language(api: ApiFactory) -> None:
    admin = await api(Role.ADMIN)
    await with_channels(admin)
    csv = "日期,计划名称,展示数\n2026-11-20,计划一,-5\n".encode()
    r = await admin.post(
        f"{API}/channel-data/uploads",
        files={"file": ("x.csv", csv, CSV_TYPE)},
        data={"channel": "douyin"},
        headers={"Accept-Language": "zh-CN"},
    )
    assert r.status_code == 200, r.text
    (error,) = r.json()["errors"]
    assert (error["row"], error["column"]) == (2, "展示数")
    assert error["message"] != "A count is not negative."
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])
