"""How a task's progress, status and completion time agree, whoever reports them (the task's
own page, a daily check-in)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from mems.work.models import TaskStatus


class InconsistentProgress(ValueError):
    """A done task reported below 100 %."""


def settle(
    current: TaskStatus, progress: int | None, status: TaskStatus | None
) -> tuple[int | None, TaskStatus | None]:
    """What to set (None: keep) so progress and status agree (pure): done is 100 %, reaching
    100 % is done, starting work (or reopening a done task below 100 %) is in progress."""
    if status == TaskStatus.DONE:
        if progress not in (None, 100):
            raise InconsistentProgress(progress)
        return 100, status
    if status is not None or progress is None:
        return progress, status
    if progress == 100:
        return progress, TaskStatus.DONE
    if (progress > 0 and current == TaskStatus.TODO) or current == TaskStatus.DONE:
        return progress, TaskStatus.IN_PROGRESS
    return progress, None


class Reported(Protocol):
    status: TaskStatus
    progress: int
    completed_at: datetime | None


def changes(
    task: Reported, progress: int | None, status: TaskStatus | None, now: datetime
) -> dict[str, object]:
    """The fields to set on `task` for a report of `progress` and/or `status`."""
    progress, status = settle(task.status, progress, status)
    out: dict[str, object] = {}
    if progress is not None:
        out["progress"] = progress
    if status is not None:
        out["status"] = status
    done = out.get("status", task.status) == TaskStatus.DONE
    if done and task.completed_at is None:
        out["completed_at"] = now
    elif not done and task.completed_at is not None:
        out["completed_at"] = None
    return out
