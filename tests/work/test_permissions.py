"""The work domain's role matrix: everyone reads plans; the project's managers (admins,
directors, and a project manager on the projects they manage — every project here is managed
by the caller) shape them; admins edit the calendar and the work settings. Every operation ×
every role, allowed and refused both asserted (harness: tests/permission_matrix.py). A task's
assignee reporting progress is covered in tests/work/test_tasks_api.py."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.jobs import InProcessQueue
from mems.projects.lifecycle import ProjectStatus
from mems.projects.models import Project, ProjectType
from mems.work.models import Baseline, CalendarDay, Phase, Task, TaskDependency
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.permission_matrix import (
    API,
    ROLES,
    Row,
    Setup,
    by_role,
    check_no_credential,
    check_roles,
    ids,
)

EVERYONE = by_role(200, 200, 200, 200, 200, 200)
PLANNERS = by_role(200, 200, 200, 403, 403, 403)
PLANNERS_CREATE = by_role(201, 201, 201, 403, 403, 403)
PLANNERS_DELETE = by_role(204, 204, 204, 403, 403, 403)
ADMINS = by_role(200, 403, 403, 403, 403, 403)

# by_role(admin, director, project_manager, member, finance, viewer)
MATRIX: list[Row] = [
    Row("GET", f"{API}/projects/{{project_id}}/phases", None, EVERYONE),
    Row(
        "POST",
        f"{API}/projects/{{project_id}}/phases",
        lambda c: {"name": "预热", "starts_on": "2027-03-01", "ends_on": "2027-03-05"},
        PLANNERS_CREATE,
    ),
    Row("PATCH", f"{API}/phases/{{phase_id}}", lambda c: {"name": "执行期"}, PLANNERS),
    Row("DELETE", f"{API}/phases/{{phase_id}}", None, PLANNERS_DELETE),
    Row("GET", f"{API}/projects/{{project_id}}/tasks", None, EVERYONE),
    Row(
        "POST",
        f"{API}/projects/{{project_id}}/tasks",
        lambda c: {"title": "新任务", "phase_id": str(c["phase_id"]), "duration_days": 2},
        PLANNERS_CREATE,
    ),
    Row("GET", f"{API}/tasks/{{task_id}}", None, EVERYONE),
    Row("PATCH", f"{API}/tasks/{{task_id}}", lambda c: {"title": "改名", "version": 1}, PLANNERS),
    Row("DELETE", f"{API}/tasks/{{task_id}}", None, PLANNERS_DELETE),
    Row(
        "POST",
        f"{API}/projects/{{project_id}}/dependencies",
        lambda c: {
            "predecessor_id": str(c["task_id"]),
            "successor_id": str(c["free_task_id"]),
            "type": "SS",
            "lag_days": 1,
        },
        PLANNERS_CREATE,
    ),
    Row("PATCH", f"{API}/dependencies/{{dependency_id}}", lambda c: {"lag_days": 2}, PLANNERS),
    Row("DELETE", f"{API}/dependencies/{{dependency_id}}", None, PLANNERS),
    Row("GET", f"{API}/projects/{{project_id}}/baselines", None, EVERYONE),
    Row(
        "POST",
        f"{API}/projects/{{project_id}}/baselines",
        lambda c: {"name": "立项基线"},
        PLANNERS_CREATE,
    ),
    Row("DELETE", f"{API}/baselines/{{baseline_id}}", None, PLANNERS_DELETE),
    Row("GET", f"{API}/projects/{{project_id}}/gantt", None, EVERYONE),
    Row("GET", f"{API}/projects/{{project_id}}/battle-map", None, EVERYONE),
    Row("GET", f"{API}/me/tasks", None, EVERYONE),
    Row("GET", f"{API}/calendar", None, EVERYONE),
    Row(
        "PUT",
        f"{API}/calendar/settings",
        lambda c: {"weekend": [5, 6], "china_holidays": False, "revision": 0},
        ADMINS,
    ),
    Row(
        "PUT",
        f"{API}/calendar/days/{{day}}",
        lambda c: {"working": False, "name": "公司活动日"},
        ADMINS,
        use={"day": "free_day"},
    ),
    Row("DELETE", f"{API}/calendar/days/{{day}}", None, ADMINS, use={"day": "own_day"}),
    Row("GET", f"{API}/work-settings", None, EVERYONE),
    Row(
        "PUT",
        f"{API}/work-settings",
        lambda c: {"checkin_grace_days": 3, "issue_director_after_days": 5, "revision": 0},
        ADMINS,
    ),
]


async def prepare(s: Setup) -> dict[str, Any]:
    """A project the caller manages with a phase, three tasks (two linked), a baseline, and a
    day of the organisation's own in the calendar."""
    org_id = s.org.org.id
    project = Project(
        id=uuid.uuid4(),
        org_id=org_id,
        code=f"W{s.unique}",
        name=f"工作矩阵 {s.unique}",
        type=ProjectType.PROMOTION,
        status=ProjectStatus.ACTIVE,
        owner_member_id=s.caller,
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 4, 30),
    )
    s.session.add(project)
    await s.session.flush()
    phase = Phase(
        id=uuid.uuid4(),
        org_id=org_id,
        project_id=project.id,
        position=0,
        name="策划",
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 3, 15),
    )
    s.session.add(phase)
    await s.session.flush()

    def task(title: str, position: int) -> Task:
        return Task(
            id=uuid.uuid4(),
            org_id=org_id,
            project_id=project.id,
            phase_id=phase.id,
            position=position,
            title=title,
            not_before=date(2027, 3, 1),
            starts_on=date(2027, 3, 1),
            due_on=date(2027, 3, 2),
            duration_days=2,
        )

    a, b, free = task("A", 0), task("B", 1), task("C", 2)
    s.session.add_all([a, b, free])
    await s.session.flush()
    dependency = TaskDependency(
        org_id=org_id, project_id=project.id, predecessor_id=a.id, successor_id=b.id
    )
    baseline = Baseline(org_id=org_id, project_id=project.id, name="基线", dates={})
    # One own day per call (several roles call in one organisation).
    own_day = date(2027, 5, 10) + timedelta(days=ROLES.index(s.role))
    s.session.add_all(
        [
            dependency,
            baseline,
            CalendarDay(org_id=org_id, day=own_day, working=False, name="团建"),
        ]
    )
    await s.session.commit()
    return {
        "project_id": project.id,
        "phase_id": phase.id,
        "task_id": a.id,
        "free_task_id": free.id,
        "dependency_id": dependency.id,
        "baseline_id": baseline.id,
        "own_day": own_day.isoformat(),
        "free_day": "2027-05-06",
    }


@pytest.mark.parametrize("row", MATRIX, ids=ids(MATRIX))
async def test_role_matrix(
    row: Row, api: ApiFactory, org: OrgWithMembers, session: AsyncSession, jobs: InProcessQueue
) -> None:
    await check_roles(row, prepare, api, org, session, jobs)


@pytest.mark.parametrize("row", MATRIX, ids=ids(MATRIX))
async def test_no_credential_is_401(
    row: Row, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await check_no_credential(row, client, session)
