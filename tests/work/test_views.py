"""The pure parts of the work pages: WBS numbering and the battle map's task summary."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from mems.work.models import TaskStatus
from mems.work.views import task_summary, wbs_order


def _task(title: str, **values: Any) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "parent_id": None,
        "phase_id": None,
        "title": title,
        "assignee_member_id": None,
        "assignee_name": None,
        "starts_on": date(2027, 3, 1),
        "due_on": date(2027, 3, 5),
        "duration_days": 5,
        "progress": 0,
        "status": TaskStatus.TODO,
        "milestone": False,
        "critical": False,
        "estimate_hours": None,
    } | values


def test_wbs_numbers_follow_phases_then_nesting_then_loose_tasks() -> None:
    p1, p2 = {"id": uuid.uuid4()}, {"id": uuid.uuid4()}
    a = _task("a", phase_id=p1["id"])
    a1 = _task("a1", parent_id=a["id"], phase_id=p1["id"])
    b = _task("b", phase_id=p2["id"])
    loose = _task("loose")
    ordered = wbs_order([loose, a, b, a1], [p1, p2])
    assert [(t["title"], t["wbs"], t["summary"]) for t in ordered] == [
        ("a", "1.1", True),
        ("a1", "1.1.1", False),
        ("b", "2.1", False),
        ("loose", "3", False),
    ]


def test_progress_is_weighted_by_duration_and_summaries_do_not_count() -> None:
    me = uuid.uuid4()
    parent = _task("summary", progress=0)
    long_done = _task(
        "long", parent_id=parent["id"], duration_days=9, progress=100, status=TaskStatus.DONE
    )
    short = _task("short", parent_id=parent["id"], duration_days=1, progress=0)
    cancelled = _task("cancelled", status=TaskStatus.CANCELLED, duration_days=50)
    late = _task(
        "late",
        assignee_member_id=me,
        assignee_name="陈晨",
        starts_on=date(2027, 3, 1),
        due_on=date(2027, 3, 10),
        duration_days=0,
        estimate_hours=Decimal(20),
    )
    summary = task_summary([parent, long_done, short, cancelled, late], date(2027, 3, 12))
    # (100×9 + 0×1 + 0×1) / 11
    assert summary["progress"]["percent"] == 81.8
    assert (summary["progress"]["tasks"], summary["progress"]["done"]) == (3, 1)
    assert [(t["title"], t["days_overdue"]) for t in summary["overdue_tasks"]] == [
        ("short", 7),
        ("late", 2),
    ]
    # The week of 2027-03-12 (a Friday) starts on Monday 03-08: 3 of late's 10 days.
    assert summary["workload"] == [
        {
            "member_id": me,
            "name": "陈晨",
            "tasks_this_week": 1,
            "hours_this_week": Decimal("6.0"),
            "overdue": 1,
        }
    ]
