"""Progress and status agree, whoever reports them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mems.work.models import TaskStatus as S
from mems.work.progress import InconsistentProgress, changes, settle

NOW = datetime(2027, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("current", "progress", "status", "expected"),
    [
        (S.TODO, 30, None, (30, S.IN_PROGRESS)),  # starting work
        (S.TODO, 0, None, (0, None)),
        (S.IN_PROGRESS, 100, None, (100, S.DONE)),  # finishing
        (S.DONE, 80, None, (80, S.IN_PROGRESS)),  # reopened below 100 %
        (S.BLOCKED, 50, None, (50, None)),  # blocked stays blocked
        (S.IN_PROGRESS, None, S.DONE, (100, S.DONE)),  # done is 100 %
        (S.IN_PROGRESS, 20, S.BLOCKED, (20, S.BLOCKED)),  # an explicit status wins
        (S.TODO, None, None, (None, None)),
    ],
)
def test_settle(current: S, progress: int | None, status: S | None, expected: object) -> None:
    assert settle(current, progress, status) == expected


def test_done_below_100_is_refused() -> None:
    with pytest.raises(InconsistentProgress):
        settle(S.IN_PROGRESS, 60, S.DONE)


class _Task:
    def __init__(self, status: S, completed_at: datetime | None = None) -> None:
        self.status, self.progress, self.completed_at = status, 0, completed_at


def test_completion_time_is_set_once_and_cleared_on_reopening() -> None:
    assert changes(_Task(S.IN_PROGRESS), 100, None, NOW) == {
        "progress": 100,
        "status": S.DONE,
        "completed_at": NOW,
    }
    assert changes(_Task(S.DONE, NOW), 90, None, NOW) == {
        "progress": 90,
        "status": S.IN_PROGRESS,
        "completed_at": None,
    }
