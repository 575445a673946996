"""The work-order state machine and SLA arithmetic, as pure functions: every (status, action)
pair, who may act, and the times recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mems.orders import flow
from mems.orders.flow import OrderAction as A
from mems.orders.flow import Side
from mems.orders.models import WorkOrderStatus as S

EXPECTED = {
    (S.REQUESTED, A.ACCEPT): S.ACCEPTED,
    (S.REQUESTED, A.REJECT): S.REJECTED,
    (S.REQUESTED, A.CANCEL): S.CANCELLED,
    (S.ACCEPTED, A.START): S.IN_PROGRESS,
    (S.ACCEPTED, A.CANCEL): S.CANCELLED,
    (S.IN_PROGRESS, A.COMPLETE): S.DONE,
    (S.IN_PROGRESS, A.CANCEL): S.CANCELLED,
    (S.DONE, A.VERIFY): S.VERIFIED,
}
PAIRS = [(s, a) for s in S for a in A]


@pytest.mark.parametrize(("status", "action"), PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_every_status_and_action(status: S, action: A) -> None:
    if (status, action) in EXPECTED:
        assert flow.next_status(status, action) == EXPECTED[(status, action)]
    else:
        with pytest.raises(flow.InvalidTransition) as refused:
            flow.next_status(status, action)
        assert refused.value.status == status
        assert refused.value.action == action
        assert action not in refused.value.allowed
        assert set(refused.value.allowed) == {a for (s, a) in EXPECTED if s == status}


def test_final_statuses_allow_nothing() -> None:
    for status in (S.REJECTED, S.VERIFIED, S.CANCELLED):
        assert flow.allowed_actions(status, {Side.REQUESTER, Side.ASSIGNEE}) == []


def test_each_side_gets_only_its_actions() -> None:
    assert flow.allowed_actions(S.REQUESTED, {Side.ASSIGNEE}) == [A.ACCEPT, A.REJECT]
    assert flow.allowed_actions(S.REQUESTED, {Side.REQUESTER}) == [A.CANCEL]
    assert flow.allowed_actions(S.ACCEPTED, {Side.ASSIGNEE}) == [A.START]
    assert flow.allowed_actions(S.IN_PROGRESS, {Side.ASSIGNEE}) == [A.COMPLETE]
    assert flow.allowed_actions(S.IN_PROGRESS, {Side.REQUESTER}) == [A.CANCEL]
    assert flow.allowed_actions(S.DONE, {Side.REQUESTER}) == [A.VERIFY]
    assert flow.allowed_actions(S.DONE, {Side.ASSIGNEE}) == []
    assert flow.allowed_actions(S.REQUESTED, set()) == []
    # Every action belongs to exactly one side.
    assert {flow.ACTOR[a] for a in (A.ACCEPT, A.REJECT, A.START, A.COMPLETE)} == {Side.ASSIGNEE}
    assert {flow.ACTOR[a] for a in (A.VERIFY, A.CANCEL)} == {Side.REQUESTER}


T0 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def test_elapsed_seconds_is_wall_clock_and_never_negative() -> None:
    assert flow.elapsed_seconds(T0, T0 + timedelta(hours=2, seconds=5)) == 7205
    assert flow.elapsed_seconds(T0, T0 + timedelta(days=3)) == 3 * 86400  # weekends count
    assert flow.elapsed_seconds(T0, T0 - timedelta(seconds=1)) == 0


def test_sla_due_and_breach() -> None:
    assert flow.sla_due(T0, None) is None
    assert flow.sla_due(T0, 24) == T0 + timedelta(hours=24)
    later = T0 + timedelta(hours=25)
    sooner = T0 + timedelta(hours=23)
    # No SLA: never breached.
    assert not flow.sla_breached(S.REQUESTED, T0, None, None, later)
    # Open: breached once the time is past.
    for status in (S.REQUESTED, S.ACCEPTED, S.IN_PROGRESS):
        assert not flow.sla_breached(status, T0, 24, None, sooner)
        assert flow.sla_breached(status, T0, 24, None, later)
    # Resolved: by when it was done, whatever the time now.
    for status in (S.DONE, S.VERIFIED):
        assert not flow.sla_breached(status, T0, 24, sooner, later)
        assert flow.sla_breached(status, T0, 24, later, later)
    # Rejected or cancelled: nothing was to be delivered.
    for status in (S.REJECTED, S.CANCELLED):
        assert not flow.sla_breached(status, T0, 24, None, later)


def test_overdue_only_while_open() -> None:
    due = T0 + timedelta(days=1)
    after = due + timedelta(seconds=1)
    assert not flow.overdue(S.REQUESTED, None, after)
    assert not flow.overdue(S.IN_PROGRESS, due, due)
    assert flow.overdue(S.IN_PROGRESS, due, after)
    assert flow.overdue(S.ACCEPTED, due, after)
    for status in (S.DONE, S.VERIFIED, S.REJECTED, S.CANCELLED):
        assert not flow.overdue(status, due, after)
