"""Importing a spreadsheet of costs (POST /projects/{id}/costs/import): a preview names every
problem by the spreadsheet's row and the file's column in the reader's language; a commit
writes every row or none, checked like a cost recorded by hand, and tells a crossing once."""

from __future__ import annotations

import io
import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.config import Settings
from mems.finance import imports
from mems.finance.models import CostEntry, CostSource
from mems.identity.permissions import Role
from mems.notifications.models import Notification
from mems.projects.lifecycle import ProjectStatus
from tests.checkins.helpers import API, count, fields_of, problem
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.finance.test_costs_api import budgeted_project
from tests.permission_matrix import audit_rows

D = Decimal
LIMIT = 16 * 1024
HEADER = "日期,金额,币种,汇率,类型,预算科目,阶段,供应商,说明"
CSV_TYPE = "text/csv"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"max_import_bytes": LIMIT})


def csv_file(*rows: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode(encoding)


async def send(
    c: httpx.AsyncClient,
    project_id: Any,
    data: bytes,
    name: str = "costs.csv",
    *,
    commit: bool | str | None = None,
    mapping: dict[str, Any] | str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    fields: dict[str, str] = {}
    if commit is not None:
        fields["commit"] = str(commit).lower() if isinstance(commit, bool) else commit
    if mapping is not None:
        fields["mapping"] = mapping if isinstance(mapping, str) else json.dumps(mapping)
    return await c.post(
        f"{API}/projects/{project_id}/costs/import",
        files={"file": (name, data, "application/octet-stream")},
        data=fields,
        headers=headers,
    )


GOOD = (
    "2026-03-02,1200.50,,,实际,场地费,,国展中心,定金",
    '2026/03/03,"1,000",USD,7.1,已承诺,差旅,执行,,机票',
    "2026-03-04,300,,,,,,,杂费",
)


async def test_a_utf8_csv_preview_shows_the_rows_converted_and_writes_nothing(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, venue, travel, phase = await budgeted_project(session, org)
    c = await api(Role.FINANCE)
    before = await audit_rows(session)
    r = await send(c, project.id, b"\xef\xbb\xbf" + csv_file(*GOOD))
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["columns"] == HEADER.split(",")
    assert p["mapping"]["incurred_on"] == "日期"
    assert p["mapping"]["line"] == "预算科目"
    assert p["required"] == ["incurred_on", "amount"]
    assert "vendor" in p["fields"]
    assert p["total_rows"] == 3
    assert p["errors"] == []
    assert p["error_count"] == 0
    assert p["can_commit"] is True
    first, second, third = p["rows"]
    assert (first["row"], first["line_id"], first["line_name"]) == (2, str(venue.id), "场地费")
    assert (first["category"], first["kind"], first["vendor"]) == ("venue", "actual", "国展中心")
    assert D(first["amount_project"]) == D("1200.50")
    assert (second["row"], second["currency"], second["kind"]) == (3, "USD", "committed")
    assert D(second["rate"]) == D("7.1")
    assert D(second["amount_project"]) == D("7100.00")
    assert second["phase_id"] == str(phase.id)
    assert second["line_id"] == str(travel.id)
    assert (third["row"], third["line_id"], third["category"]) == (4, None, "other")
    totals = p["totals"]
    assert totals["currency"] == "CNY"
    assert totals["rows"] == 3
    assert D(totals["actual"]) == D("1500.50")
    assert D(totals["committed"]) == D("7100.00")
    assert D(totals["total"]) == D("8600.50")
    assert await count(session, CostEntry) == 0
    assert await audit_rows(session) == before


async def test_a_gbk_csv_keeps_the_spreadsheets_row_numbers_and_speaks_chinese(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, _venue, _travel, _phase = await budgeted_project(session, org)
    c = await api(Role.PROJECT_MANAGER)
    data = csv_file(
        "2026-03-02,100,,,实际,场地费,,,定金",
        "",  # a blank row: the next is row 4 in Excel
        "2026-03-03,abc,,,实际,展位费,,,错行",
        encoding="gbk",
    )
    r = await send(c, project.id, data, "费用.csv", headers={"Accept-Language": "zh-CN"})
    assert r.status_code == 200, r.text
    p = r.json()
    assert [row["row"] for row in p["rows"]] == [2]
    assert p["total_rows"] == 2
    assert p["error_count"] == 2
    assert p["can_commit"] is False
    assert [(e["row"], e["column"], e["field"]) for e in p["errors"]] == [
        (4, "金额", "amount"),
        (4, "预算科目", "line"),
    ]
    assert p["errors"][0]["message"] == "不是有效的数字。"
    assert p["errors"][1]["message"] == "项目中没有预算科目“展位费”。"


async def test_an_xlsx_with_english_headers_and_a_mapping(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, _venue, travel, _phase = await budgeted_project(session, org)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["When", "Sum", "Budget", "Memo"])
    sheet.append([datetime(2026, 3, 5), 880.5, "差旅", "高铁"])
    sheet.append([datetime(2026, 3, 6), 120, None, "打车"])
    buffer = io.BytesIO()
    book.save(buffer)
    c = await api(Role.FINANCE)
    mapping = {"incurred_on": "When", "amount": "Sum", "line": "Budget", "description": "Memo"}
    r = await send(c, project.id, buffer.getvalue(), "costs.xlsx", mapping=mapping)
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["mapping"] == mapping
    assert p["errors"] == []
    one, two = p["rows"]
    assert (one["incurred_on"], one["line_id"], D(one["amount"])) == (
        "2026-03-05",
        str(travel.id),
        D("880.50"),
    )
    assert (two["row"], two["description"]) == (3, "打车")
    # null in the mapping leaves a guessed field unmapped
    r = await send(
        c, project.id, buffer.getvalue(), "costs.xlsx", mapping={**mapping, "line": None}
    )
    assert r.json()["rows"][0]["line_id"] is None


async def test_one_bad_row_writes_nothing_and_names_row_and_column(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, _venue, _travel, _phase = await budgeted_project(session, org)
    c = await api(Role.FINANCE)
    before = await audit_rows(session)
    data = csv_file(
        "2026-03-02,100,,,实际,场地费,,,好",
        "2026-03-03,1.005,,,实际,场地费,,,三位小数",
        # Passes the file's own checks; refused by the ledger's rules (less than a cent).
        "2026-03-04,0.01,USD,0.000001,实际,场地费,,,太小",
    )
    r = await send(c, project.id, data, commit=True)
    body = problem(r, 422, "validation-failed")
    assert fields_of(body) == ["rows[3].amount", "rows[4].amount"]
    assert body["errors"][0]["message"] == (
        "Row 3, column 金额: An amount has at most two decimals."
    )
    assert "less than a cent" in body["errors"][1]["message"]
    assert "2 problems" in body["detail"]
    assert await count(session, CostEntry) == 0
    assert await audit_rows(session) == before
    # The preview says the same, row by row.
    p = (await send(c, project.id, data)).json()
    assert [(e["row"], e["field"]) for e in p["errors"]] == [(3, "amount"), (4, "amount")]
    assert len(p["rows"]) == 1


async def test_a_mapping_without_an_amount_is_refused_as_a_whole(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, _venue, _travel, _phase = await budgeted_project(session, org)
    c = await api(Role.FINANCE)
    r = await send(c, project.id, csv_file(*GOOD), commit=True, mapping={"amount": None})
    body = problem(r, 422, "validation-failed")
    assert fields_of(body) == ["mapping"]
    assert "amount" in body["errors"][0]["message"]
    assert await count(session, CostEntry) == 0


async def _notes(session: AsyncSession, member: Any) -> list[str]:
    rows = await session.scalars(
        select(Notification.kind).where(Notification.recipient_member_id == member)
    )
    return [k for k in rows if k.startswith("budget.")]


async def test_a_good_file_writes_every_row_and_tells_a_crossing_once(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, venue, _travel, _phase = await budgeted_project(session, org)
    c = await api(Role.FINANCE)
    data = csv_file(
        "2026-03-02,5000,,,实际,场地费,,国展中心,定金",
        "2026-03-03,3500,,,已承诺,场地费,,国展中心,尾款合同",
        "2026-03-04,200,USD,7.2,实际,,,,素材",
    )
    before = await audit_rows(session)
    r = await send(c, project.id, data, commit=True)
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["count"] == 3
    assert len(made["ids"]) == 3
    assert await audit_rows(session) == before + 3
    entries = {
        e.id: e
        for e in await session.scalars(select(CostEntry).where(CostEntry.project_id == project.id))
    }
    assert len(entries) == 3
    assert set(map(str, entries)) == set(made["ids"])
    assert {e.source for e in entries.values()} == {CostSource.IMPORT}
    assert {e.recorded_by_member_id for e in entries.values()} == {org.members[Role.FINANCE].id}
    usd = next(e for e in entries.values() if e.currency == "USD")
    assert (usd.amount_project, usd.category) == (D("1440.00"), "other")
    # 8,500 of the venue line's 10,000: one warning (not one per row) to each of them.
    for role in (Role.PROJECT_MANAGER, Role.FINANCE, Role.DIRECTOR):
        assert await _notes(session, org.members[role].id) == ["budget.warn"], role
    await session.refresh(venue)
    assert venue.alert_level == 1
    listed = (await c.get(f"{API}/projects/{project.id}/costs")).json()
    assert listed["total"] == 3
    assert {i["source"] for i in listed["items"]} == {"import"}
    assert {i["receipt_count"] for i in listed["items"]} == {0}


async def test_levels_are_measured_once_after_all_rows(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    """5,000 then 6,000 on a 10,000 line: measured after each row it would warn, then alert;
    measured once after the import, only the critical alert is told."""
    project, _venue, _travel, _phase = await budgeted_project(session, org)
    c = await api(Role.FINANCE)
    data = csv_file("2026-03-02,5000,,,,场地费,,,a", "2026-03-03,6000,,,,场地费,,,b")
    assert (await send(c, project.id, data, commit=True)).status_code == 201
    assert await _notes(session, org.members[Role.PROJECT_MANAGER].id) == ["budget.critical"]


async def test_files_over_the_limits_or_of_another_kind_are_refused(
    api: ApiFactory,
    session: AsyncSession,
    org: OrgWithMembers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project, _venue, _travel, _phase = await budgeted_project(session, org)
    c = await api(Role.FINANCE)
    big = csv_file(*(["2026-03-02,1,,,,,,,x"] * 1000))
    assert LIMIT < len(big) < LIMIT + 64 * 1024
    body = problem(await send(c, project.id, big), 413, "payload-too-large")
    assert body["limit"] == LIMIT
    huge = csv_file(*(["2026-03-02,1,,,,,,,x" + "y" * 100] * 1000))  # past the envelope too
    problem(await send(c, project.id, huge, commit=True), 413, "payload-too-large")

    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    body = problem(await send(c, project.id, csv_file(*GOOD)), 422, "validation-failed")
    assert fields_of(body) == ["file"]
    assert body["limit"] == 2
    monkeypatch.undo()

    xlsx_named_csv = b"PK\x03\x04" + bytes(range(256))
    for data, name in (
        (csv_file(*GOOD), "costs.xlsx"),  # text dressed as a workbook
        (b"%PDF-1.4\n", "costs.pdf"),
        (xlsx_named_csv, "costs.csv"),  # binary dressed as text
    ):
        problem(await send(c, project.id, data, name), 415, "unsupported-media-type")
    body = problem(
        await send(c, project.id, b"PK\x03\x04 broken", "c.xlsx"), 422, "validation-failed"
    )
    assert fields_of(body) == ["file"]
    assert await count(session, CostEntry) == 0


async def test_a_malformed_form_is_a_problem_naming_its_part(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project, _venue, _travel, _phase = await budgeted_project(session, org)
    c = await api(Role.FINANCE)
    url = f"{API}/projects/{project.id}/costs/import"
    cases = [
        (await send(c, project.id, csv_file(*GOOD), mapping="{not json"), "mapping"),
        (await send(c, project.id, csv_file(*GOOD), mapping='{"amount": 5}'), "mapping"),
        (await send(c, project.id, csv_file(*GOOD), commit="maybe"), "commit"),
        (await c.post(url, data={"commit": "true"}), "file"),
        (await c.post(url, files={"other": ("x.csv", b"a", CSV_TYPE)}), "file"),
        (await c.post(url, json={"file": "x"}), "file"),
    ]
    for r, field in cases:
        assert fields_of(problem(r, 422, "validation-failed")) == [field], r.text
    # A header and no rows: nothing to commit.
    body = problem(await send(c, project.id, csv_file(), commit=True), 422, "validation-failed")
    assert fields_of(body) == ["file"]
    assert await count(session, CostEntry) == 0


async def test_who_may_import_and_on_what(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    project, _venue, _travel, _phase = await budgeted_project(session, org)
    project.owner_member_id = org.members[Role.DIRECTOR].id
    await session.commit()
    data = csv_file(*GOOD)
    problem(await send(await api(Role.PROJECT_MANAGER), project.id, data), 403, "forbidden")
    problem(await send(await api(Role.VIEWER), project.id, data), 403, "forbidden")
    closed, _v, _t, _p = await budgeted_project(session, org, status=ProjectStatus.CLOSED)
    fin = await api(Role.FINANCE)
    problem(await send(fin, closed.id, data, commit=True), 409, "conflict")
    theirs, _v, _t, _p = await budgeted_project(session, other_org)
    problem(await send(fin, theirs.id, data, commit=True), 404, "not-found")
    assert await count(session, CostEntry) == 0
