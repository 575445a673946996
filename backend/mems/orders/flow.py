"""The work-order lifecycle as a pure state machine, with the SLA arithmetic (no I/O).

    requested ─accept─▶ accepted ─start─▶ in_progress ─complete─▶ done ─verify─▶ verified
    requested ─reject─▶ rejected
    cancel (by the requester): from requested, accepted or in_progress

The assignee (for a team order still untaken: any member of the team) accepts, rejects,
starts and completes; the requester verifies and cancels. The SLA is a resolution target:
`sla_hours` after the request the work should be done.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from enum import StrEnum

from mems.orders.models import WorkOrderStatus


class OrderAction(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    START = "start"
    COMPLETE = "complete"
    VERIFY = "verify"
    CANCEL = "cancel"


class Side(StrEnum):
    """Which party of an order the caller is."""

    REQUESTER = "requester"
    ASSIGNEE = "assignee"


S, A = WorkOrderStatus, OrderAction

TRANSITIONS: dict[WorkOrderStatus, dict[OrderAction, WorkOrderStatus]] = {
    S.REQUESTED: {A.ACCEPT: S.ACCEPTED, A.REJECT: S.REJECTED, A.CANCEL: S.CANCELLED},
    S.ACCEPTED: {A.START: S.IN_PROGRESS, A.CANCEL: S.CANCELLED},
    S.IN_PROGRESS: {A.COMPLETE: S.DONE, A.CANCEL: S.CANCELLED},
    S.DONE: {A.VERIFY: S.VERIFIED},
    S.REJECTED: {},
    S.VERIFIED: {},
    S.CANCELLED: {},
}

ACTOR: dict[OrderAction, Side] = {
    A.ACCEPT: Side.ASSIGNEE,
    A.REJECT: Side.ASSIGNEE,
    A.START: Side.ASSIGNEE,
    A.COMPLETE: Side.ASSIGNEE,
    A.VERIFY: Side.REQUESTER,
    A.CANCEL: Side.REQUESTER,
}

# Still waiting for work: the due date and the SLA are running.
OPEN = frozenset({S.REQUESTED, S.ACCEPTED, S.IN_PROGRESS})
# The work was delivered: resolution time is known.
RESOLVED = frozenset({S.DONE, S.VERIFIED})


class InvalidTransition(ValueError):
    """The order's status does not allow the action; `allowed` is what it does allow."""

    def __init__(self, status: WorkOrderStatus, action: OrderAction) -> None:
        self.status, self.action = status, action
        self.allowed = list(TRANSITIONS[status])
        super().__init__(f"{action.value} is not allowed on a {status.value} work order")


def next_status(status: WorkOrderStatus, action: OrderAction) -> WorkOrderStatus:
    """The status after `action`, or InvalidTransition."""
    target = TRANSITIONS[status].get(action)
    if target is None:
        raise InvalidTransition(status, action)
    return target


def allowed_actions(status: WorkOrderStatus, sides: Collection[Side]) -> list[OrderAction]:
    """What a caller who is `sides` of an order in `status` may do now, in lifecycle order."""
    return [a for a in TRANSITIONS[status] if ACTOR[a] in sides]


def elapsed_seconds(since: datetime, until: datetime) -> int:
    """Wall-clock seconds between two instants (never negative)."""
    return max(0, int((until - since).total_seconds()))


def sla_due(requested_at: datetime, sla_hours: int | None) -> datetime | None:
    return None if sla_hours is None else requested_at + timedelta(hours=sla_hours)


def sla_breached(
    status: WorkOrderStatus,
    requested_at: datetime,
    sla_hours: int | None,
    done_at: datetime | None,
    now: datetime,
) -> bool:
    """Resolved after the SLA, or still open past it. Rejected and cancelled orders are never
    counted (nothing was to be delivered)."""
    due = sla_due(requested_at, sla_hours)
    if due is None:
        return False
    if status in RESOLVED:
        return done_at is not None and done_at > due
    return status in OPEN and now > due


def overdue(status: WorkOrderStatus, due_at: datetime | None, now: datetime) -> bool:
    """Still open past its due time."""
    return due_at is not None and status in OPEN and now > due_at
