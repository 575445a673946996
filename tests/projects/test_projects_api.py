"""Projects through the API: templates, naming conventions, references, filters, the
lifecycle, ownership, saved templates, and the budget gate other domains call."""

from __future__ import annotations

import itertools
import re
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.approvals.models import ApprovalRequest
from mems.core.audit import AuditLog
from mems.core.errors import Conflict, NotFound
from mems.finance.categories import category_for
from mems.finance.models import BudgetLine
from mems.identity.models import Team
from mems.identity.permissions import Role
from mems.projects import service as projects
from mems.projects.lifecycle import ProjectStatus
from mems.projects.models import (
    Project,
    ProjectGoalLink,
    ProjectMember,
    ProjectTemplate,
    ProjectType,
    Retrospective,
)
from mems.projects.templates import BUILTINS
from mems.work.holidays import china_calendar
from mems.work.models import Phase as ProjectPhase
from mems.work.models import Task as ProjectTask
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.projects.helpers import (
    API,
    DEFAULT_CONVENTION_IN,
    RETRO,
    another_member,
    count,
    create_project,
    decide,
    make_goal,
    make_period,
    move,
    problem,
    project_body,
    put_convention,
    reload,
)


async def _written(session: AsyncSession) -> tuple[int, ...]:
    """Row counts of everything creating or changing a project may write."""
    return (
        await count(session, Project),
        await count(session, ProjectPhase),
        await count(session, ProjectTask),
        await count(session, BudgetLine),
        await count(session, ProjectGoalLink),
        await count(session, ProjectMember),
        await count(session, ApprovalRequest),
        await count(session, AuditLog),
    )


CHINA = china_calendar(range(2025, 2029))


def _d(value: str) -> date:
    return date.fromisoformat(value)


# ---- templates -----------------------------------------------------------------------------


async def test_builtin_templates_are_listed_for_everyone(api: ApiFactory) -> None:
    viewer = await api("viewer")
    r = await viewer.get(f"{API}/project-templates")
    assert r.status_code == 200, r.text
    by_id = {t["id"]: t for t in r.json()}
    assert set(by_id) == {f"builtin:{k}" for k in BUILTINS}
    launch = by_id["builtin:product_launch"]
    assert launch["builtin"] is True
    assert launch["name"] == "新品发布会"
    assert launch["project_type"] == "product_launch"
    assert launch["duration_days"] == 60
    assert [p["name"] for p in launch["phases"]] == ["策划", "筹备", "发布", "追踪"]
    assert launch["phases"][2]["tasks"] == ["彩排", "发布会执行", "直播与现场传播"]
    assert by_id["builtin:trade_show"]["budget_categories"][0] == "展位费"


@pytest.mark.parametrize("key", list(BUILTINS))
@pytest.mark.parametrize("days", [1, 12, 20, 28, 45, 90])
async def test_create_from_each_builtin_template(
    key: str, days: int, api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    pm = await api("project_manager")
    starts = date(2026, 10, 1)
    ends = starts + timedelta(days=days - 1)
    template = BUILTINS[key]
    p = await create_project(
        pm,
        type=template["project_type"],
        template=f"builtin:{key}",
        starts_on=starts.isoformat(),
        ends_on=ends.isoformat(),
        total_budget="120000",
    )
    assert p["status"] == "draft"
    assert p["registered"] is False
    assert p["template_key"] == f"builtin:{key}"
    assert re.fullmatch(r"P2026-\d{3}", p["code"])
    assert p["owner_member_id"] == str(org.members[Role.PROJECT_MANAGER].id)
    assert p["owner_name"] == "project_manager 用户"
    assert p["allowed_actions"] == ["submit", "cancel"]
    assert p["members"] == [
        {
            "member_id": str(org.members[Role.PROJECT_MANAGER].id),
            "name": "project_manager 用户",
            "role": "manager",
        }
    ]
    content = template["content"]
    assert [ph["name"] for ph in p["phases"]] == [ph["name"] for ph in content["phases"]]
    stored = (
        await session.scalars(
            select(ProjectTask)
            .where(ProjectTask.project_id == uuid.UUID(p["id"]))
            .order_by(ProjectTask.position)
        )
    ).all()
    tasks_of = {
        phase["id"]: [t for t in stored if str(t.phase_id) == phase["id"]] for phase in p["phases"]
    }
    for laid, planned in zip(p["phases"], content["phases"], strict=True):
        assert [t.title for t in tasks_of[laid["id"]]] == [t["title"] for t in planned["tasks"]]
        assert laid["task_count"] == len(planned["tasks"])
        assert laid["done_count"] == 0
    # The template's labels become the finance domain's plan lines, each in its category.
    assert [b["name"] for b in p["budget_lines"]] == content["budget_categories"]
    assert [b["category"] for b in p["budget_lines"]] == [
        category_for(name) for name in content["budget_categories"]
    ]
    assert all(Decimal(b["amount"]) == 0 for b in p["budget_lines"])
    assert {b["state"] for b in p["budget_lines"]} == {"plan"}
    # Everything lies within the project's dates, every task within its phase, in order.
    previous_start = starts
    for phase in p["phases"]:
        first, last = _d(phase["starts_on"]), _d(phase["ends_on"])
        assert starts <= first <= last <= ends, phase
        assert first >= previous_start, "phases keep their order"
        previous_start = first
        for task in tasks_of[phase["id"]]:
            # Scheduled on working days: a task planned for a weekend or a holiday starts on
            # the first working day after (National Day can push it past a short project).
            assert task.not_before is not None
            assert first <= task.not_before <= last
            assert task.starts_on == CHINA.next_working(task.not_before), task.title
            assert task.starts_on <= task.due_on
    # The plan covers the whole project: the first phase starts on the first day and the
    # last one ends on the last day (every built-in template runs to its nominal end).
    assert _d(p["phases"][0]["starts_on"]) == starts
    assert _d(p["phases"][-1]["ends_on"]) == ends
    # What the API showed is what was stored.
    project_id = uuid.UUID(p["id"])
    assert await count(session, ProjectPhase, ProjectPhase.project_id == project_id) == len(
        content["phases"]
    )
    assert await count(session, ProjectTask, ProjectTask.project_id == project_id) == sum(
        len(ph["tasks"]) for ph in content["phases"]
    )
    assert (await reload(pm, p))["phases"] == p["phases"]


async def test_template_at_its_nominal_length_keeps_its_offsets(api: ApiFactory) -> None:
    pm = await api("project_manager")
    content = BUILTINS["holiday_promotion"]["content"]
    starts = date(2026, 10, 1)
    p = await create_project(
        pm,
        template="builtin:holiday_promotion",
        starts_on=starts.isoformat(),
        ends_on=(starts + timedelta(days=content["duration_days"] - 1)).isoformat(),
    )
    for laid, planned in zip(p["phases"], content["phases"], strict=True):
        assert _d(laid["starts_on"]) == starts + timedelta(days=planned["offset_days"])
        assert _d(laid["ends_on"]) == starts + timedelta(
            days=planned["offset_days"] + planned["duration_days"] - 1
        )


async def test_without_a_template_a_project_gets_the_default_phases(api: ApiFactory) -> None:
    p = await create_project(await api("director"))
    # 策划/筹备/执行/复盘, splitting the project's days in four, end to end, with no tasks.
    assert [ph["name"] for ph in p["phases"]] == ["策划", "筹备", "执行", "复盘"]
    assert p["phases"][0]["starts_on"] == p["starts_on"]
    assert p["phases"][-1]["ends_on"] == p["ends_on"]
    for before, after in itertools.pairwise(p["phases"]):
        assert _d(after["starts_on"]) == _d(before["ends_on"]) + timedelta(days=1)
    assert {ph["task_count"] for ph in p["phases"]} == {0}
    assert p["budget_lines"] == []
    assert p["template_key"] is None


@pytest.mark.parametrize(
    "template", ["builtin:nope", "product_launch", str(uuid.uuid4()), "not-a-uuid", "builtin:"]
)
async def test_unknown_template_is_422_and_writes_nothing(
    template: str, api: ApiFactory, session: AsyncSession
) -> None:
    pm = await api("project_manager")
    before = await _written(session)
    r = await pm.post(f"{API}/projects", json=project_body(template=template))
    body = problem(r, 422, "validation-failed")
    assert [(e["field"], e["type"]) for e in body["errors"]] == [("template", "unknown_template")]
    assert await _written(session) == before


async def test_another_orgs_saved_template_is_unknown(
    api: ApiFactory, other_org: OrgWithMembers, session: AsyncSession
) -> None:
    theirs = await api("director", in_org=other_org)
    p = await create_project(theirs, template="builtin:trade_show")
    saved = await theirs.post(
        f"{API}/projects/{p['id']}/save-as-template", json={"name": "他们的展会模板"}
    )
    assert saved.status_code == 201, saved.text
    mine = await api("director")
    assert saved.json()["id"] not in {
        t["id"] for t in (await mine.get(f"{API}/project-templates")).json()
    }
    before = await _written(session)
    r = await mine.post(f"{API}/projects", json=project_body(template=saved.json()["id"]))
    assert problem(r, 422, "validation-failed")["errors"][0]["field"] == "template"
    assert await _written(session) == before
    gone = await mine.delete(f"{API}/project-templates/{saved.json()['id']}")
    problem(gone, 404, "not-found")
    assert await count(session, ProjectTemplate) == 1


async def test_save_as_template_then_create_from_it_reproduces_the_plan(
    api: ApiFactory, session: AsyncSession
) -> None:
    pm = await api("project_manager")
    original = await create_project(
        pm, template="builtin:product_launch", starts_on="2026-08-01", ends_on="2026-09-29"
    )
    r = await pm.post(
        f"{API}/projects/{original['id']}/save-as-template",
        json={"name": "我们的新品发布会", "description": "2026 秋冬新品的做法"},
    )
    assert r.status_code == 201, r.text
    saved = r.json()
    assert saved["builtin"] is False
    assert saved["project_type"] == "promotion"
    assert saved["duration_days"] == 60
    assert [ph["name"] for ph in saved["phases"]] == ["策划", "筹备", "发布", "追踪"]
    assert saved["budget_categories"] == BUILTINS["product_launch"]["content"]["budget_categories"]
    listed = (await (await api("viewer")).get(f"{API}/project-templates")).json()
    assert saved in listed

    # The same dates give the same plan, day for day.
    copy = await create_project(
        pm, template=saved["id"], starts_on="2026-08-01", ends_on="2026-09-29"
    )
    assert copy["template_key"] == saved["id"]

    async def plan(p: dict[str, Any]) -> list[Any]:
        tasks = (
            await session.scalars(
                select(ProjectTask)
                .where(ProjectTask.project_id == uuid.UUID(p["id"]))
                .order_by(ProjectTask.position)
            )
        ).all()
        return [
            (
                ph["name"],
                ph["starts_on"],
                ph["ends_on"],
                [(t.title, t.starts_on, t.due_on) for t in tasks if str(t.phase_id) == ph["id"]],
            )
            for ph in p["phases"]
        ]

    assert await plan(copy) == await plan(original)
    assert sum(len(ph[3]) for ph in await plan(copy)) == 12  # the template's tasks

    def lines(project: dict[str, Any]) -> list[dict[str, Any]]:
        return [{k: v for k, v in line.items() if k != "id"} for line in project["budget_lines"]]

    assert lines(copy) == lines(original)
    # Other dates give the same shape, scaled.
    later = await create_project(
        pm, template=saved["id"], starts_on="2027-03-01", ends_on="2027-03-30"
    )
    assert [ph[0] for ph in await plan(later)] == [ph[0] for ph in await plan(original)]
    assert later["phases"][0]["starts_on"] == "2027-03-01"
    assert later["phases"][-1]["ends_on"] == "2027-03-30"

    # Names are unique per organisation.
    again = await pm.post(
        f"{API}/projects/{original['id']}/save-as-template", json={"name": "我们的新品发布会"}
    )
    assert problem(again, 409, "conflict")["errors"][0]["field"] == "name"
    assert await count(session, ProjectTemplate) == 1

    # Deleting it keeps the projects made from it; it can no longer be used.
    phases_before = await count(session, ProjectPhase)
    assert (await pm.delete(f"{API}/project-templates/{saved['id']}")).status_code == 204
    assert await count(session, ProjectTemplate) == 0
    assert await count(session, ProjectPhase) == phases_before
    assert (await reload(pm, copy))["phases"] == copy["phases"]
    r = await pm.post(f"{API}/projects", json=project_body(template=saved["id"]))
    assert problem(r, 422, "validation-failed")["errors"][0]["field"] == "template"
    problem(await pm.delete(f"{API}/project-templates/{saved['id']}"), 404, "not-found")
    # Built-in templates are not rows: deleting one is a 422 (not a uuid), nothing else.
    r = await pm.delete(f"{API}/project-templates/builtin:product_launch")
    assert r.status_code == 422


# ---- naming convention ---------------------------------------------------------------------


async def test_naming_convention_is_set_by_admins_and_read_by_everyone(api: ApiFactory) -> None:
    viewer = await api("viewer")
    off = (await viewer.get(f"{API}/naming-convention")).json()
    assert off.pop("revision") == 0  # never set
    assert off == {
        "enabled": False,
        "pattern": None,
        "parts": {},
        "expected_form": "",
        "example": "",
    }

    director = await api("director")
    refused = await put_convention(director, DEFAULT_CONVENTION_IN)
    problem(refused, 403, "forbidden")

    admin = await api("admin")
    r = await put_convention(admin, DEFAULT_CONVENTION_IN)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["enabled"] is True
    assert body["pattern"] == "{period}-{brand_line}-{campaign}"
    assert body["expected_form"] == "{期间}-{品牌线}-{活动名}"
    assert body["example"] == "2026Q4-品牌-双十一大促"
    assert (await viewer.get(f"{API}/naming-convention")).json() == body
    # Turning it off keeps the pattern but accepts any name again.
    r = await put_convention(admin, {**DEFAULT_CONVENTION_IN, "enabled": False})
    assert r.json()["enabled"] is False
    assert (await viewer.post(f"{API}/naming-convention/check", json={"name": "随便"})).json()[
        "ok"
    ] is True
    # An edit made from what was read before that change is refused, not merged.
    stale = await admin.put(
        f"{API}/naming-convention", json={"revision": body["revision"], **DEFAULT_CONVENTION_IN}
    )
    assert problem(stale, 409, "stale-version")["current_revision"] == r.json()["revision"]
    assert (await viewer.get(f"{API}/naming-convention")).json()["enabled"] is False


@pytest.mark.parametrize(
    "convention",
    [
        {"pattern": "no parts here", "parts": {}},
        {
            "pattern": "{period}-{campaign}",
            "parts": {"period": {"kind": "period", "label": "期间"}},
        },
        {"pattern": "{line}", "parts": {"line": {"kind": "choice", "label": "品牌线"}}},
        {"pattern": "{a}-{a}", "parts": {"a": {"kind": "text", "label": "A"}}},
    ],
)
async def test_bad_naming_conventions_are_422_and_change_nothing(
    convention: dict[str, Any], api: ApiFactory, session: AsyncSession
) -> None:
    admin = await api("admin")
    audit = await count(session, AuditLog)
    r = await put_convention(admin, convention)
    body = problem(r, 422, "validation-failed")
    assert body["errors"][0]["field"] == "pattern"
    assert (await admin.get(f"{API}/naming-convention")).json()["enabled"] is False
    assert await count(session, AuditLog) == audit


async def test_bad_part_kind_is_422(api: ApiFactory) -> None:
    admin = await api("admin")
    r = await put_convention(
        admin,
        {"pattern": "{x}", "parts": {"x": {"kind": "regex", "label": "X"}}},
    )
    assert problem(r, 422, "validation-failed")["errors"][0]["field"] == "parts.x.kind"


async def test_a_name_breaking_the_convention_is_422_and_writes_nothing(
    api: ApiFactory, session: AsyncSession
) -> None:
    admin = await api("admin")
    assert (await put_convention(admin, DEFAULT_CONVENTION_IN)).status_code == 200
    pm = await api("project_manager")
    before = await _written(session)
    for bad in (
        "双十一大促",
        "2026Q4-天猫-双十一大促",
        "2026Q5-电商-双十一",
        "2026Q4-电商-" + "长" * 31,
    ):
        r = await pm.post(f"{API}/projects", json=project_body(name=bad))
        body = problem(r, 422, "validation-failed")
        assert [(e["field"], e["type"]) for e in body["errors"]] == [("name", "naming_convention")]
        assert body["expected_form"] == "{期间}-{品牌线}-{活动名}"
        assert body["example"] == "2026Q4-品牌-双十一大促"
        assert await _written(session) == before, bad
    ok = await create_project(pm, name="2026Q4-电商-双十一大促")
    assert ok["name"] == "2026Q4-电商-双十一大促"
    # Surrounding spaces are not part of the name.
    trimmed = await create_project(pm, name="  2026-新品-秋冬发布会  ")
    assert trimmed["name"] == "2026-新品-秋冬发布会"


async def test_renames_are_checked_the_same_way(api: ApiFactory, session: AsyncSession) -> None:
    pm = await api("project_manager")
    # Made before the convention existed: its other fields stay editable.
    old = await create_project(pm, name="老项目")
    admin = await api("admin")
    await put_convention(admin, DEFAULT_CONVENTION_IN)
    before = await _written(session)
    r = await pm.patch(f"{API}/projects/{old['id']}", json={"name": "新名字", "version": 1})
    body = problem(r, 422, "validation-failed")
    assert [(e["field"], e["type"]) for e in body["errors"]] == [("name", "naming_convention")]
    assert body["expected_form"] == "{期间}-{品牌线}-{活动名}"
    assert body["example"]
    assert await _written(session) == before
    unchanged = await reload(pm, old)
    assert (unchanged["name"], unchanged["version"]) == ("老项目", 1)

    r = await pm.patch(
        f"{API}/projects/{old['id']}", json={"description": "补充说明", "version": 1}
    )
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "老项目"
    r = await pm.patch(
        f"{API}/projects/{old['id']}", json={"name": "2026Q4-品牌-年终盛典", "version": 2}
    )
    assert r.status_code == 200, r.text
    assert (r.json()["name"], r.json()["version"]) == ("2026Q4-品牌-年终盛典", 3)
    assert r.headers["etag"] == '"3"'


async def test_check_endpoint_says_how_to_fix_a_name(
    api: ApiFactory, session: AsyncSession
) -> None:
    member = await api("member")
    check = f"{API}/naming-convention/check"
    r = await member.post(check, json={"name": "随便什么名字"})
    assert r.json() == {
        "ok": True,
        "expected_form": "",
        "example": "",
        "parts": {},
        "problems": [],
        "issues": [],
        "period_values": [],
    }
    assert (await member.post(check, json={"name": "   "})).json()["ok"] is False

    await put_convention((await api("admin")), DEFAULT_CONVENTION_IN)
    audit = await count(session, AuditLog)
    good = (await member.post(check, json={"name": "2026Q4-电商-双十一大促"})).json()
    assert good["ok"] is True
    assert good["parts"] == {"period": "2026Q4", "brand_line": "电商", "campaign": "双十一大促"}
    bad = (await member.post(check, json={"name": "双十一大促"})).json()
    assert bad["ok"] is False
    assert bad["expected_form"] == "{期间}-{品牌线}-{活动名}"
    assert bad["example"] == "2026Q4-品牌-双十一大促"
    assert bad["problems"] == [
        "期间 must be a year or a quarter such as 2026 or 2026Q4, not “双十一大促”."
    ]
    long = (await member.post(check, json={"name": "2026-品牌-" + "长" * 31})).json()
    assert long["ok"] is False
    assert long["problems"] == ["活动名 is longer than 30 characters."]
    assert await count(session, AuditLog) == audit, "checking writes nothing"


# ---- fields and references -----------------------------------------------------------------


async def test_dates_out_of_order_are_422(api: ApiFactory, session: AsyncSession) -> None:
    pm = await api("project_manager")
    before = await _written(session)
    r = await pm.post(
        f"{API}/projects",
        json=project_body(
            starts_on="2026-11-15", ends_on="2026-10-01", template="builtin:trade_show"
        ),
    )
    body = problem(r, 422, "validation-failed")
    assert [(e["field"], e["type"]) for e in body["errors"]] == [("ends_on", "dates_out_of_order")]
    assert await _written(session) == before

    p = await create_project(pm)
    before = await _written(session)
    r = await pm.patch(f"{API}/projects/{p['id']}", json={"ends_on": "2026-09-30", "version": 1})
    assert problem(r, 422, "validation-failed")["errors"][0]["field"] == "ends_on"
    r = await pm.patch(f"{API}/projects/{p['id']}", json={"starts_on": "2026-11-16", "version": 1})
    assert problem(r, 422, "validation-failed")["errors"][0]["field"] == "ends_on"
    assert await _written(session) == before
    # A one-day project is fine.
    r = await pm.patch(
        f"{API}/projects/{p['id']}",
        json={"starts_on": "2026-11-15", "ends_on": "2026-11-15", "version": 1},
    )
    assert r.status_code == 200, r.text


async def test_a_projects_days_stay_in_a_plannable_calendar(
    api: ApiFactory, session: AsyncSession
) -> None:
    """Days at the calendar's ends, or a span of centuries, are refused in Chinese (they had
    the Gantt walk millions of days and fail past 9999-12-31); ten years is the limit."""
    pm = await api("project_manager")
    before = await _written(session)
    for starts_on, ends_on, field, kind in (
        ("2026-01-01", "9999-12-31", "ends_on", "out_of_range"),
        ("0001-01-01", "2026-01-01", "starts_on", "out_of_range"),
        ("2026-01-01", "2036-01-03", "ends_on", "span"),
    ):
        r = await pm.post(
            f"{API}/projects",
            json=project_body(starts_on=starts_on, ends_on=ends_on),
            headers={"Accept-Language": "zh-CN"},
        )
        body = problem(r, 422, "validation-failed")
        assert [(e["field"], e["type"]) for e in body["errors"]] == [(field, kind)]
        assert body["errors"][0]["message"] in (
            "项目日期须在 2000-01-01 至 2099-12-31 之间。",
            "项目周期最长十年。",
        )
    assert await _written(session) == before
    # Ten years to the day is a plan; its Gantt lays out every day.
    p = await create_project(pm)
    r = await pm.patch(
        f"{API}/projects/{p['id']}",
        json={"starts_on": "2090-01-01", "ends_on": "2099-12-31", "version": 1},
    )
    assert r.status_code == 200, r.text
    gantt = await pm.get(f"{API}/projects/{p['id']}/gantt")
    assert gantt.status_code == 200, gantt.text
    assert gantt.json()["non_working_days"][-1] <= "2099-12-31"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"total_budget": "-1"}, "total_budget"),
        ({"currency": "rmb"}, "currency"),
        ({"type": "party"}, "type"),
        ({"name": ""}, "name"),
        ({"unknown": 1}, "unknown"),
    ],
)
async def test_bad_fields_are_422(
    body: dict[str, Any], field: str, api: ApiFactory, session: AsyncSession
) -> None:
    pm = await api("project_manager")
    before = await _written(session)
    r = await pm.post(f"{API}/projects", json=project_body(**body))
    assert field in [e["field"] for e in problem(r, 422, "validation-failed")["errors"]]
    assert await _written(session) == before


async def test_another_orgs_goal_member_team_and_period_are_422(
    api: ApiFactory, org: OrgWithMembers, other_org: OrgWithMembers, session: AsyncSession
) -> None:
    theirs = await api("director", in_org=other_org)
    their_period = await make_period(theirs)
    their_goal = await make_goal(theirs, period=their_period)
    r = await theirs.post(
        f"{API}/kpis",
        json={
            "objective_id": their_goal["id"],
            "name": "曝光",
            "unit": "次",
            "baseline": "0",
            "target": "100",
            "direction": "increase",
        },
    )
    their_kpi = r.json()
    their_team = Team(org_id=other_org.org.id, name="他们的团队")
    session.add(their_team)
    await session.commit()
    their_member = str(other_org.members[Role.MEMBER].id)

    director = await api("director")
    my_goal = await make_goal(director)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"goal_links": [{"objective_id": their_goal["id"]}]}, "goal_links[0].objective_id"),
        (
            {
                "goal_links": [
                    {"objective_id": my_goal["id"]},
                    {"objective_id": my_goal["id"], "key_result_id": their_kpi["id"]},
                ]
            },
            "goal_links[1].key_result_id",
        ),
        ({"members": [{"member_id": their_member, "role": "core"}]}, "members[0].member_id"),
        ({"team_id": str(their_team.id)}, "team_id"),
        ({"period_id": their_period["id"]}, "period_id"),
        ({"owner_member_id": their_member}, "owner_member_id"),
    ]
    for values, field in cases:
        before = await _written(session)
        r = await director.post(f"{API}/projects", json=project_body(**values))
        body = problem(r, 422, "validation-failed")
        assert [e["field"] for e in body["errors"]] == [field], values
        assert await _written(session) == before

    # The same checks guard changes.
    p = await create_project(director, goal=my_goal)
    before = await _written(session)
    for values, field in [
        ({"team_id": str(their_team.id)}, "team_id"),
        ({"period_id": their_period["id"]}, "period_id"),
        ({"owner_member_id": their_member}, "owner_member_id"),
    ]:
        r = await director.patch(f"{API}/projects/{p['id']}", json={**values, "version": 1})
        assert [e["field"] for e in problem(r, 422, "validation-failed")["errors"]] == [field]
    r = await director.put(
        f"{API}/projects/{p['id']}/goal-links",
        json={"goal_links": [{"objective_id": their_goal["id"]}], "version": 1},
    )
    fields = [e["field"] for e in problem(r, 422, "validation-failed")["errors"]]
    assert fields == ["goal_links[0].objective_id"]
    r = await director.put(
        f"{API}/projects/{p['id']}/members",
        json={"members": [{"member_id": their_member, "role": "core"}], "version": 1},
    )
    fields = [e["field"] for e in problem(r, 422, "validation-failed")["errors"]]
    assert fields == ["members[0].member_id"]
    assert await _written(session) == before
    assert (await reload(director, p))["goal_ids"] == [my_goal["id"]]


async def test_goal_links_members_and_references_of_this_org_are_kept(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    director = await api("director")
    period = await make_period(director)
    goal = await make_goal(director, "双十一引流", period=period)
    kpi = (
        await director.post(
            f"{API}/kpis",
            json={
                "objective_id": goal["id"],
                "name": "获客成本",
                "unit": "元",
                "baseline": "60",
                "target": "45",
                "direction": "decrease",
            },
        )
    ).json()
    team = Team(org_id=org.org.id, name="电商组")
    session.add(team)
    await session.commit()
    member = str(org.members[Role.MEMBER].id)
    pm_id = str(org.members[Role.PROJECT_MANAGER].id)
    p = await create_project(
        director,
        owner_member_id=pm_id,
        team_id=str(team.id),
        period_id=period["id"],
        goal_links=[{"objective_id": goal["id"], "key_result_id": kpi["id"]}],
        members=[{"member_id": member, "role": "core"}],
    )
    assert p["owner_member_id"] == pm_id
    assert (p["team_id"], p["period_id"]) == (str(team.id), period["id"])
    assert p["goal_links"] == [
        {
            "objective_id": goal["id"],
            "objective_title": "双十一引流",
            "key_result_id": kpi["id"],
            "key_result_name": "获客成本",
        }
    ]
    assert {(m["member_id"], m["role"]) for m in p["members"]} == {
        (member, "core"),
        (pm_id, "manager"),
    }
    # Replacing the team keeps the manager.
    pm = await api("project_manager")
    r = await pm.put(
        f"{API}/projects/{p['id']}/members",
        json={"members": [{"member_id": member, "role": "reviewer"}], "version": p["version"]},
    )
    assert r.status_code == 200, r.text
    assert {(m["member_id"], m["role"]) for m in r.json()["members"]} == {
        (member, "reviewer"),
        (pm_id, "manager"),
    }
    assert r.json()["version"] == p["version"] + 1
    # Goal links replaced; a stale version is refused.
    stale = await pm.put(
        f"{API}/projects/{p['id']}/goal-links", json={"goal_links": [], "version": p["version"]}
    )
    problem(stale, 409, "stale-version")
    r = await pm.put(
        f"{API}/projects/{p['id']}/goal-links",
        json={"goal_links": [], "version": r.json()["version"]},
    )
    assert r.status_code == 200, r.text
    assert r.json()["goal_ids"] == []


async def test_another_orgs_project_is_404(
    api: ApiFactory, other_org: OrgWithMembers, session: AsyncSession
) -> None:
    theirs = await api("director", in_org=other_org)
    p = await create_project(theirs, name="竞品的双十一")
    director = await api("director")
    before = await _written(session)
    base = f"{API}/projects/{p['id']}"
    problem(await director.get(base), 404, "not-found")
    problem(await director.patch(base, json={"name": "抢过来", "version": 1}), 404, "not-found")
    problem(
        await director.post(f"{base}/transitions", json={"action": "cancel", "version": 1}),
        404,
        "not-found",
    )
    problem(
        await director.put(f"{base}/goal-links", json={"goal_links": [], "version": 1}),
        404,
        "not-found",
    )
    problem(
        await director.put(f"{base}/members", json={"members": [], "version": 1}), 404, "not-found"
    )
    problem(await director.put(f"{base}/retrospective", json=RETRO), 404, "not-found")
    problem(
        await director.post(f"{base}/save-as-template", json={"name": "偷来的"}), 404, "not-found"
    )
    assert await _written(session) == before
    assert (await director.get(f"{API}/projects")).json()["total"] == 0
    assert (await reload(theirs, p))["name"] == "竞品的双十一"


# ---- the list ------------------------------------------------------------------------------


async def test_list_filters(api: ApiFactory, org: OrgWithMembers) -> None:
    director = await api("director")
    pm = await api("project_manager")
    period = await make_period(director, "2026 年度")
    other_period = await make_period(director, "2027 年度")
    goal = await make_goal(director, "引流", period=period)
    other_goal = await make_goal(director, "品牌", period=period)
    double11 = await create_project(
        pm,
        name="2026Q4-电商-双十一大促",
        goal=goal,
        period_id=period["id"],
        starts_on="2026-10-01",
    )
    launch = await create_project(
        pm,
        name="2026Q3-新品-秋冬发布会",
        goal=other_goal,
        period_id=other_period["id"],
        description="双十一之前的预热新品",
        starts_on="2026-08-01",
    )
    show = await create_project(
        director, name="2026Q4-品牌-年终展会", starts_on="2026-11-01", ends_on="2026-12-20"
    )
    await move(pm, double11, "submit")
    await move(director, show, "cancel")

    async def ids(**params: Any) -> list[str]:
        r = await (await api("viewer")).get(f"{API}/projects", params=params)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["total"] == len(body["items"])
        return [p["id"] for p in body["items"]]

    # Newest start first.
    assert await ids() == [show["id"], double11["id"], launch["id"]]
    assert await ids(status="draft") == [launch["id"]]
    assert await ids(status=["draft", "submitted"]) == [double11["id"], launch["id"]]
    assert await ids(status=["cancelled", "closed"]) == [show["id"]]
    assert await ids(owner_member_id=str(org.members[Role.PROJECT_MANAGER].id)) == [
        double11["id"],
        launch["id"],
    ]
    assert await ids(owner_member_id=str(org.members[Role.DIRECTOR].id)) == [show["id"]]
    assert await ids(goal_id=goal["id"]) == [double11["id"]]
    assert await ids(goal_id=str(uuid.uuid4())) == []
    assert await ids(period_id=other_period["id"]) == [launch["id"]]
    # Search: Chinese text in the name or description, codes without regard to case.
    assert await ids(q="双十一") == [double11["id"], launch["id"]]
    assert await ids(q="年终") == [show["id"]]
    assert await ids(q=launch["code"].lower()) == [launch["id"]]
    assert await ids(q="p2026-") == [show["id"], double11["id"], launch["id"]]
    assert await ids(q="%") == []
    assert await ids(q="_") == []
    assert await ids(q="双十一", status="draft") == [launch["id"]]
    # Paging.
    page = (await pm.get(f"{API}/projects", params={"limit": 1, "offset": 1})).json()
    assert (page["total"], [p["id"] for p in page["items"]]) == (3, [double11["id"]])
    assert page["items"][0]["goal_ids"] == [goal["id"]]
    assert page["items"][0]["owner_name"] == "project_manager 用户"
    bad = await pm.get(f"{API}/projects", params={"status": "done"})
    assert problem(bad, 422, "validation-failed")["errors"][0]["field"] == "status[0]"


# ---- the lifecycle -------------------------------------------------------------------------


async def test_submit_needs_a_goal_link(api: ApiFactory, session: AsyncSession) -> None:
    pm = await api("project_manager")
    p = await create_project(pm)
    before = await _written(session)
    r = await pm.post(
        f"{API}/projects/{p['id']}/transitions", json={"action": "submit", "version": 1}
    )
    body = problem(r, 409, "conflict")
    assert body["current_status"] == "draft"
    assert body["allowed_actions"] == ["submit", "cancel"]
    assert "goal" in body["detail"]
    assert await _written(session) == before
    assert (await reload(pm, p))["status"] == "draft"


async def test_submit_opens_the_initiation_approval(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    director = await api("director")
    pm = await api("project_manager")
    p = await create_project(pm, goal=await make_goal(director), total_budget="200000")
    assert p["approval"] is None
    submitted = await move(pm, p, "submit")
    assert submitted["status"] == "submitted"
    assert submitted["registered"] is False
    assert submitted["version"] == p["version"] + 1
    assert submitted["allowed_actions"] == ["withdraw", "cancel"]
    approval = submitted["approval"]
    assert approval["state"] == "pending"
    assert approval["request_type"] == "project_initiation"
    assert approval["subject_id"] == p["id"]
    assert approval["title"] == f"{p['code']} {p['name']}"
    assert Decimal(approval["amount"]) == Decimal(200000)
    assert approval["requested_by_member_id"] == str(org.members[Role.PROJECT_MANAGER].id)
    assert approval["requested_by_name"] == "project_manager 用户"
    assert approval["waiting_for_role"] == "director"
    assert approval["can_decide"] is False  # not for the one who asked
    assert (await reload(director, p))["approval"]["can_decide"] is True
    stored = await session.scalar(
        select(ApprovalRequest).where(ApprovalRequest.subject_id == uuid.UUID(p["id"]))
    )
    assert stored is not None
    assert stored.state == "pending"


async def test_illegal_transition_is_409_and_changes_nothing(
    api: ApiFactory, session: AsyncSession
) -> None:
    pm = await api("project_manager")
    p = await create_project(pm)
    before = await _written(session)
    for action in ("start", "close", "finish", "reopen", "withdraw", "revise"):
        r = await pm.post(
            f"{API}/projects/{p['id']}/transitions", json={"action": action, "version": 1}
        )
        body = problem(r, 409, "conflict")
        assert body["current_status"] == "draft"
        assert body["allowed_actions"] == ["submit", "cancel"], action
    # approve and reject belong to the approval flow, not to the project's manager.
    for action in ("approve", "reject"):
        r = await pm.post(
            f"{API}/projects/{p['id']}/transitions", json={"action": action, "version": 1}
        )
        assert problem(r, 422, "validation-failed")["errors"][0]["field"] == "action"
    assert await _written(session) == before
    after = await reload(pm, p)
    assert (after["status"], after["version"]) == ("draft", 1)


async def test_stale_version_is_409(api: ApiFactory, session: AsyncSession) -> None:
    pm = await api("project_manager")
    p = await create_project(pm)
    renamed = await pm.patch(f"{API}/projects/{p['id']}", json={"name": "改名", "version": 1})
    assert renamed.json()["version"] == 2
    before = await _written(session)
    stale = await pm.patch(f"{API}/projects/{p['id']}", json={"name": "再改", "version": 1})
    assert problem(stale, 409, "stale-version")["current_version"] == 2
    r = await pm.post(
        f"{API}/projects/{p['id']}/transitions", json={"action": "cancel", "version": 1}
    )
    assert problem(r, 409, "stale-version")["current_version"] == 2
    r = await pm.patch(
        f"{API}/projects/{p['id']}",
        json={"name": "再改", "version": 2},
        headers={"If-Match": '"1"'},
    )
    problem(r, 412, "precondition-failed")
    assert await _written(session) == before
    assert (await reload(pm, p))["name"] == "改名"


async def test_withdraw_and_cancel_close_the_pending_request(
    api: ApiFactory, session: AsyncSession
) -> None:
    director = await api("director")
    pm = await api("project_manager")
    goal = await make_goal(director)
    p = await move(pm, await create_project(pm, goal=goal), "submit")
    request_id = p["approval"]["id"]
    p = await move(pm, p, "withdraw")
    assert p["status"] == "draft"
    assert p["approval"]["state"] == "withdrawn"
    assert p["approval"]["waiting_for_role"] is None
    problem(await decide(director, request_id), 409, "conflict")
    inbox = (await director.get(f"{API}/approvals", params={"box": "inbox"})).json()
    assert inbox["total"] == 0

    p = await move(pm, p, "submit")
    assert p["approval"]["id"] != request_id
    # Under approval the goals are fixed too (they are part of what is decided on).
    r = await pm.put(
        f"{API}/projects/{p['id']}/goal-links",
        json={"goal_links": [], "version": p["version"]},
    )
    assert problem(r, 409, "conflict")["current_status"] == "submitted"
    p = await move(pm, p, "cancel")
    assert p["status"] == "cancelled"
    assert p["approval"]["state"] == "withdrawn"
    assert p["allowed_actions"] == []
    # A cancelled project is final.
    before = await _written(session)
    r = await pm.patch(f"{API}/projects/{p['id']}", json={"name": "复活", "version": p["version"]})
    problem(r, 409, "conflict")
    r = await pm.put(
        f"{API}/projects/{p['id']}/goal-links",
        json={"goal_links": [], "version": p["version"]},
    )
    problem(r, 409, "conflict")
    r = await pm.put(
        f"{API}/projects/{p['id']}/members", json={"members": [], "version": p["version"]}
    )
    problem(r, 409, "conflict")
    assert await _written(session) == before


async def test_full_lifecycle_with_retrospective(api: ApiFactory, session: AsyncSession) -> None:
    director = await api("director")
    pm = await api("project_manager")
    p = await create_project(pm, goal=await make_goal(director), template="builtin:trade_show")

    # The retrospective is written while active or closing only.
    r = await pm.put(f"{API}/projects/{p['id']}/retrospective", json=RETRO)
    assert problem(r, 409, "conflict")["current_status"] == "draft"

    p = await move(pm, p, "submit")
    r = await pm.put(f"{API}/projects/{p['id']}/retrospective", json=RETRO)
    assert problem(r, 409, "conflict")["current_status"] == "submitted"
    assert (await decide(director, p["approval"]["id"])).status_code == 201
    p = await reload(pm, p)
    assert (p["status"], p["registered"]) == ("approved", True)
    assert p["allowed_actions"] == ["start", "cancel"]
    p = await move(pm, p, "start")
    assert p["allowed_actions"] == ["close", "cancel"]
    p = await move(pm, p, "close")
    assert p["allowed_actions"] == ["finish", "reopen"]

    before = await _written(session)
    r = await pm.post(
        f"{API}/projects/{p['id']}/transitions", json={"action": "finish", "version": p["version"]}
    )
    body = problem(r, 409, "conflict")
    assert "retrospective" in body["detail"]
    assert body["current_status"] == "closing"
    assert body["allowed_actions"] == ["finish", "reopen"]
    assert await _written(session) == before

    r = await pm.put(f"{API}/projects/{p['id']}/retrospective", json=RETRO)
    assert r.status_code == 200, r.text
    assert r.json()["retrospective"]["summary"] == RETRO["summary"]
    assert r.json()["retrospective"]["version"] == 1
    r = await pm.put(
        f"{API}/projects/{p['id']}/retrospective", json={**RETRO, "lessons": "提前一天布展。"}
    )
    assert r.json()["retrospective"]["lessons"] == "提前一天布展。"
    assert r.json()["retrospective"]["version"] == 2
    assert await count(session, Retrospective) == 1
    r = await pm.put(f"{API}/projects/{p['id']}/retrospective", json={**RETRO, "summary": " "})
    assert problem(r, 422, "validation-failed")["errors"][0]["field"] == "summary"

    p = await move(pm, await reload(pm, p), "finish")
    assert (p["status"], p["registered"], p["allowed_actions"]) == ("closed", True, [])
    r = await pm.put(f"{API}/projects/{p['id']}/retrospective", json=RETRO)
    assert problem(r, 409, "conflict")["current_status"] == "closed"
    r = await director.patch(
        f"{API}/projects/{p['id']}", json={"name": "x", "version": p["version"]}
    )
    problem(r, 409, "conflict")


async def test_reopen_goes_back_to_active(api: ApiFactory) -> None:
    director = await api("director")
    p = await create_project(director, goal=await make_goal(director))
    p = await move(director, p, "submit")
    admin = await api("admin")
    assert (await decide(admin, p["approval"]["id"])).status_code == 201
    p = await move(director, await reload(director, p), "start")
    r = await director.put(f"{API}/projects/{p['id']}/retrospective", json=RETRO)
    assert r.status_code == 200, r.text  # written while active
    p = await move(director, await move(director, r.json(), "close"), "reopen")
    assert p["status"] == "active"
    assert p["retrospective"]["summary"] == RETRO["summary"]


async def test_budget_cannot_change_while_under_approval(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    """The approvers decide on the amount submitted: raising it while they look would skip
    the finance step (above ¥500,000) — withdraw, change, resubmit."""
    director = await api("director")
    pm = await api("project_manager")
    p = await move(
        pm,
        await create_project(pm, goal=await make_goal(director), total_budget="100000"),
        "submit",
    )
    before = await _written(session)
    for change in ({"total_budget": "900000"}, {"currency": "USD"}):
        r = await pm.patch(f"{API}/projects/{p['id']}", json={**change, "version": p["version"]})
        assert problem(r, 409, "conflict")["current_status"] == "submitted"
    # Nor its manager: the request is theirs (and they may not decide it).
    r = await director.patch(
        f"{API}/projects/{p['id']}",
        json={"owner_member_id": str(org.members[Role.DIRECTOR].id), "version": p["version"]},
    )
    problem(r, 409, "conflict")
    assert await _written(session) == before
    # Sending the values it already has is no change.
    r = await pm.patch(
        f"{API}/projects/{p['id']}", json={"total_budget": "100000", "version": p["version"]}
    )
    assert r.status_code == 200, r.text
    p = r.json()
    # Other fields may still be corrected.
    r = await pm.patch(
        f"{API}/projects/{p['id']}", json={"description": "补充", "version": p["version"]}
    )
    assert r.status_code == 200, r.text
    p = await move(pm, r.json(), "withdraw")
    r = await pm.patch(
        f"{API}/projects/{p['id']}", json={"total_budget": "900000", "version": p["version"]}
    )
    assert r.status_code == 200, r.text
    p = await move(pm, r.json(), "submit")
    assert [s["role"] for s in p["approval"]["steps"]] == ["director", "finance"]


# ---- who may change a project --------------------------------------------------------------


async def test_project_managers_change_only_their_own_projects(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    second = await another_member(session, org, Role.PROJECT_MANAGER, "另一位项目经理")
    other_pm = await api("project_manager", in_org=second)
    director = await api("director")
    goal = await make_goal(director)
    theirs = await create_project(other_pm, goal=goal)
    pm = await api("project_manager")
    seen = await reload(pm, theirs)
    assert seen["allowed_actions"] == []
    assert (await reload(other_pm, theirs))["allowed_actions"] == ["submit", "cancel"]

    before = await _written(session)
    base = f"{API}/projects/{theirs['id']}"
    refused = [
        await pm.patch(base, json={"name": "抢项目", "version": 1}),
        await pm.put(f"{base}/goal-links", json={"goal_links": [], "version": 1}),
        await pm.put(f"{base}/members", json={"members": [], "version": 1}),
        await pm.post(f"{base}/transitions", json={"action": "submit", "version": 1}),
        await pm.post(f"{base}/transitions", json={"action": "cancel", "version": 1}),
    ]
    for r in refused:
        problem(r, 403, "forbidden")
    assert await _written(session) == before

    # A project manager neither creates projects for others nor hands theirs over.
    mine = await create_project(pm)
    before = await _written(session)
    r = await pm.post(
        f"{API}/projects",
        json=project_body(owner_member_id=str(second.members[Role.PROJECT_MANAGER].id)),
    )
    problem(r, 403, "forbidden")
    r = await pm.patch(
        f"{API}/projects/{mine['id']}",
        json={"owner_member_id": str(second.members[Role.PROJECT_MANAGER].id), "version": 1},
    )
    problem(r, 403, "forbidden")
    assert await _written(session) == before

    # Directors (and admins) change anyone's project and hand it over.
    r = await director.patch(base, json={"name": "总监改的名", "version": 1})
    assert r.status_code == 200, r.text
    assert r.json()["allowed_actions"] == ["submit", "cancel"]
    r = await director.patch(
        base,
        json={"owner_member_id": str(org.members[Role.PROJECT_MANAGER].id), "version": 2},
    )
    assert r.status_code == 200, r.text
    managers = [m["member_id"] for m in r.json()["members"] if m["role"] == "manager"]
    assert str(org.members[Role.PROJECT_MANAGER].id) in managers  # joins the team as manager
    # Now it is the first project manager's, and no longer the other one's.
    assert (await reload(pm, theirs))["allowed_actions"] == ["submit", "cancel"]
    r = await other_pm.patch(base, json={"name": "拿回来", "version": 3})
    problem(r, 403, "forbidden")


# ---- the budget gate -----------------------------------------------------------------------


async def test_only_registered_projects_may_request_budget(
    session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    def project(status: ProjectStatus, owner: OrgWithMembers = org) -> Project:
        return Project(
            org_id=owner.org.id,
            code=f"B-{status.value}-{uuid.uuid4().hex[:6]}",
            name=f"预算 {status.value}",
            type=ProjectType.PROMOTION,
            status=status,
            owner_member_id=owner.members[Role.PROJECT_MANAGER].id,
            starts_on=date(2026, 10, 1),
            ends_on=date(2026, 11, 1),
        )

    rows = {s: project(s) for s in ProjectStatus}
    foreign = project(ProjectStatus.ACTIVE, other_org)
    session.add_all([*rows.values(), foreign])
    await session.flush()

    for status, row in rows.items():
        if status in (ProjectStatus.APPROVED, ProjectStatus.ACTIVE, ProjectStatus.CLOSING):
            found = await projects.ensure_can_request_budget(session, org.org.id, row.id)
            assert found.id == row.id
        else:
            with pytest.raises(Conflict) as err:
                await projects.ensure_can_request_budget(session, org.org.id, row.id)
            assert err.value.extensions["current_status"] == status.value
    with pytest.raises(NotFound):
        await projects.ensure_can_request_budget(session, org.org.id, foreign.id)
    with pytest.raises(NotFound):
        await projects.ensure_can_request_budget(session, org.org.id, uuid.uuid4())
    # From its own organisation the foreign one is fine.
    assert (await projects.ensure_can_request_budget(session, other_org.org.id, foreign.id)).id == (
        foreign.id
    )


async def test_approval_registers_a_project_for_budget(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    director = await api("director")
    pm = await api("project_manager")
    p = await move(pm, await create_project(pm, goal=await make_goal(director)), "submit")
    with pytest.raises(Conflict):
        await projects.ensure_can_request_budget(session, org.org.id, uuid.UUID(p["id"]))
    assert (await decide(director, p["approval"]["id"])).status_code == 201
    org_id = org.org.id
    session.expire_all()  # the decision was made through the API's own session
    found = await projects.ensure_can_request_budget(session, org_id, uuid.UUID(p["id"]))
    assert found.status == ProjectStatus.APPROVED
