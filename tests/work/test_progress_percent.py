"""One figure for a project's progress: the SQL one the budget forecast reads
(`work.service.progress_percent`, and `progress_json_of` inside another domain's read)
equals the battle map's (`views.task_summary`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.work import service as work
from mems.work.models import Task, TaskStatus
from mems.work.views import task_summary
from tests.checkins.helpers import make_project, make_task
from tests.factories import OrgWithMembers


async def test_sql_progress_is_the_battle_maps(session: AsyncSession, org: OrgWithMembers) -> None:
    project = await make_project(session, org)
    assert await work.progress_percent(session, org.org.id, project.id) is None
    rows = [(5, 80, TaskStatus.IN_PROGRESS), (1, 100, TaskStatus.DONE), (0, 0, TaskStatus.TODO)]
    for days, progress, status in [*rows, (9, 10, TaskStatus.CANCELLED)]:
        task = await make_task(session, project, None, title=f"任务{days}", commit=False)
        task.duration_days, task.progress, task.status = days, progress, status
    parent = await make_task(session, project, None, title="汇总", commit=False)
    parent.duration_days, parent.progress = 20, 0
    child = await make_task(session, project, None, title="子任务", commit=False)
    child.parent_id, child.duration_days, child.progress = parent.id, 2, 50
    await session.commit()

    sql = await work.progress_percent(session, org.org.id, project.id)
    # (5×80 + 1×100 + 1×0 + 2×50) / (5 + 1 + 1 + 2): the cancelled and the summary left out
    assert sql == Decimal(600) / Decimal(9)
    # The same figure read inside another statement (the budget summary's).
    value = await session.scalar(
        select(work.progress_json_of(literal(project.id), literal(org.org.id)))
    )
    assert work.progress_from_json(value) == sql
    tasks = (await session.scalars(select(Task).where(Task.project_id == project.id))).all()
    rows_of = [
        {c: getattr(t, c) for c in ("id", "parent_id", "status", "progress", "duration_days")}
        | {"title": t.title, "due_on": t.due_on, "starts_on": t.starts_on, "milestone": False}
        | {"critical": False, "estimate_hours": None, "assignee_member_id": None}
        | {"assignee_name": None}
        for t in tasks
    ]
    summary = task_summary(rows_of, date.today())
    assert round(float(sql), 1) == summary["progress"]["percent"]
