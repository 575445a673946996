"""`lay_out` (pure): a template's plan stretched or shrunk onto a project's own dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession

from mems.identity.permissions import Role
from mems.projects.templates import BUILTINS, lay_out, template_from_project
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.projects.helpers import API, another_member, create_project

START = date(2026, 10, 1)


@given(st.sampled_from(list(BUILTINS)), st.integers(min_value=1, max_value=400))
def test_the_plan_stays_inside_the_project_and_tasks_inside_their_phase(
    key: str, days: int
) -> None:
    content = BUILTINS[key]["content"]
    ends = START + timedelta(days=days - 1)
    phases = lay_out(content, START, ends)
    assert [p.name for p in phases] == [p["name"] for p in content["phases"]]
    assert phases[0].starts_on == START
    assert phases[-1].ends_on == ends  # every built-in runs to its nominal end
    previous = START
    for phase in phases:
        assert START <= phase.starts_on <= phase.ends_on <= ends
        assert phase.starts_on >= previous
        previous = phase.starts_on
        for task in phase.tasks:
            assert phase.starts_on <= task.starts_on <= task.ends_on <= phase.ends_on, (
                phase,
                task,
            )


def _offsets(content: dict[str, Any]) -> list[tuple[int, int]]:
    return [(p["offset_days"], p["duration_days"]) for p in content["phases"]] + [
        (t["offset_days"], t["duration_days"]) for p in content["phases"] for t in p["tasks"]
    ]


def test_at_its_nominal_length_a_template_keeps_its_days() -> None:
    for template in BUILTINS.values():
        content = template["content"]
        ends = START + timedelta(days=content["duration_days"] - 1)
        phases = lay_out(content, START, ends)
        again = template_from_project(START, ends, phases, content["budget_categories"])
        assert _offsets(again) == _offsets(content)
        assert again["duration_days"] == content["duration_days"]


@given(st.integers(min_value=1, max_value=200), st.integers(min_value=0, max_value=200))
def test_a_saved_plan_reproduces_itself_on_the_same_dates(days: int, shift: int) -> None:
    content = BUILTINS["product_launch"]["content"]
    ends = START + timedelta(days=days - 1)
    phases = lay_out(content, START, ends)
    saved = template_from_project(START, ends, phases, [])
    # Laid out again on the same number of days (any start), it is the same plan.
    start = START + timedelta(days=shift)
    moved = lay_out(saved, start, start + timedelta(days=days - 1))
    delta = timedelta(days=shift)
    assert [
        (p.name, p.starts_on - delta, p.ends_on - delta, [(t.starts_on - delta) for t in p.tasks])
        for p in moved
    ] == [(p.name, p.starts_on, p.ends_on, [t.starts_on for t in p.tasks]) for p in phases]


def test_a_plan_outside_the_dates_is_pulled_inside() -> None:
    """A saved project whose dates later moved can have phases before its start or after its
    end; laid out again they stay within the new project."""
    content = {
        "duration_days": 10,
        "phases": [
            {"name": "早", "offset_days": -5, "duration_days": 3, "tasks": []},
            {
                "name": "晚",
                "offset_days": 8,
                "duration_days": 10,
                "tasks": [{"title": "收尾", "offset_days": 12, "duration_days": 2}],
            },
        ],
    }
    ends = START + timedelta(days=9)
    early, late = lay_out(content, START, ends)
    assert (early.starts_on, early.ends_on) == (START, START)
    assert (late.starts_on, late.ends_on) == (START + timedelta(days=8), ends)
    assert (late.tasks[0].starts_on, late.tasks[0].ends_on) == (ends, ends)


async def test_only_whoever_saved_a_template_or_an_admin_deletes_it(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    pm = await api("project_manager")
    other_pm = await api(
        "project_manager",
        in_org=await another_member(session, org, Role.PROJECT_MANAGER, "另一位项目经理"),
    )
    admin = await api("admin")
    project = await create_project(pm)
    saved = []
    for name in ("我的模板", "也是我的"):
        r = await pm.post(f"{API}/projects/{project['id']}/save-as-template", json={"name": name})
        assert r.status_code == 201, r.text
        saved.append(r.json()["id"])
    refused = await other_pm.delete(f"{API}/project-templates/{saved[0]}")
    assert refused.status_code == 403
    assert (await pm.delete(f"{API}/project-templates/{saved[0]}")).status_code == 204
    assert (await admin.delete(f"{API}/project-templates/{saved[1]}")).status_code == 204
    listed = {t["id"] for t in (await pm.get(f"{API}/project-templates")).json()}
    assert not listed & set(saved)
