"""Reminders of tasks due soon or overdue: once per due date, to the assignee."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.identity.permissions import Role
from mems.notifications.models import Notification
from mems.work import service
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.projects.helpers import API, create_project

# 10:00 in Shanghai on Wednesday 2027-03-10.
NOW = datetime(2027, 3, 10, 2, 0, tzinfo=UTC)


async def _notes(session: AsyncSession, member_id: Any) -> list[tuple[str, str]]:
    rows = await session.scalars(
        select(Notification)
        .where(Notification.recipient_member_id == member_id)
        .order_by(Notification.created_at)
    )
    return sorted((n.kind, n.params.get("title", "")) for n in rows)


async def test_assignees_hear_once_of_tasks_due_soon_and_overdue(
    api: ApiFactory, org: OrgWithMembers, session: AsyncSession
) -> None:
    pm = await api("project_manager")
    member_id = str(org.members[Role.MEMBER].id)
    project = await create_project(pm, starts_on="2027-03-01", ends_on="2027-04-30")
    r = await pm.put(
        f"{API}/projects/{project['id']}/members",
        json={
            "members": [{"member_id": member_id, "role": "contributor"}],
            "version": project["version"],
        },
    )
    assert r.status_code == 200, r.text

    async def task(title: str, start: str, due: str, assignee: str | None = member_id) -> Any:
        body = {"title": title, "starts_on": start, "due_on": due, "assignee_member_id": assignee}
        r = await pm.post(f"{API}/projects/{project['id']}/tasks", json=body)
        assert r.status_code == 201, r.text
        return r.json()["task"]

    await task("今天到期", "2027-03-08", "2027-03-10")
    await task("明天到期", "2027-03-09", "2027-03-11")
    late = await task("已逾期", "2027-03-03", "2027-03-08")
    await task("下周到期", "2027-03-10", "2027-03-15")
    await task("没人负责", "2027-03-08", "2027-03-10", assignee=None)
    done = await task("已完成", "2027-03-08", "2027-03-10")
    member = await api("member")
    r = await member.patch(f"{API}/tasks/{done['id']}", json={"status": "done", "version": 1})
    assert r.status_code == 200, r.text

    sent = await service.remind_due_tasks(session, NOW)
    await session.commit()
    assert (sent.due_soon, sent.overdue) == (2, 1)
    assert await _notes(session, org.members[Role.MEMBER].id) == [
        ("task.due_soon", "今天到期"),
        ("task.due_soon", "明天到期"),
        ("task.overdue", "已逾期"),
    ]
    # Again: nothing new.
    again = await service.remind_due_tasks(session, NOW)
    assert (again.due_soon, again.overdue) == (0, 0)
    # A new due date is a new reminder (the old one was for the old date).
    r = await pm.patch(f"{API}/tasks/{late['id']}", json={"due_on": "2027-03-09", "version": 1})
    assert r.status_code == 200, r.text
    moved = await service.remind_due_tasks(session, NOW)
    assert (moved.due_soon, moved.overdue) == (0, 1)
    # The member reads them in Chinese.
    zh = await member.get(f"{API}/notifications", headers={"Accept-Language": "zh-CN"})
    assert zh.status_code == 200, zh.text
    titles = [n["title"] for n in zh.json()["items"]]
    assert any(t.startswith("任务已逾期") for t in titles), titles
