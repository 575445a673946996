"""The approval workflow as pure rules, shared by project initiation and budget requests.

An organisation configures, per request type, an ordered list of steps; each step names the
role that decides it and, optionally, the amount above which it applies ("director, then
finance above ¥50,000"). A request walks its applicable steps in order: an approval moves it
to the next step (or finishes it approved), a rejection finishes it rejected. Only holders of
the step's role decide it, and duties stay separate: nobody who asked for, submitted or
authored the request's subject decides it, and one person decides at most one of its steps
(an admin acting for a step included).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Generic, TypeVar

P = TypeVar("P")  # who: a member id


class RequestType(StrEnum):
    PROJECT_INITIATION = "project_initiation"  # 立项审批
    BUDGET_REQUEST = "budget_request"  # 预算申请 (the budget domain)


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class RequestState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # by the requester, before it was decided


@dataclass(frozen=True)
class StepRule:
    role: str
    min_amount: Decimal | None = None  # applies only when the amount exceeds this

    def applies(self, amount: Decimal | None) -> bool:
        return self.min_amount is None or (amount is not None and amount > self.min_amount)


@dataclass(frozen=True)
class Recorded(Generic[P]):
    step: int
    decided_by: P
    decision: Decision
    comment: str = ""


class NotAllowed(ValueError):
    """Why a decision is refused; `reason` is one of: finished, own_request, second_step,
    wrong_role, comment_required."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


def applicable_steps(rules: Sequence[StepRule], amount: Decimal | None) -> list[StepRule]:
    steps = [r for r in rules if r.applies(amount)]
    if not steps:
        raise ValueError("no approval step applies; configure at least one step without an amount")
    return steps


@dataclass(frozen=True)
class Progress(Generic[P]):
    state: RequestState
    current_step: int | None  # index into the applicable steps; None once finished
    waiting_for_role: str | None


def progress(steps: Sequence[StepRule], history: Sequence[Recorded[P]]) -> Progress[P]:
    for entry in history:
        if entry.decision == Decision.REJECT:
            return Progress(RequestState.REJECTED, None, None)
    done = len([e for e in history if e.decision == Decision.APPROVE])
    if done >= len(steps):
        return Progress(RequestState.APPROVED, None, None)
    return Progress(RequestState.PENDING, done, steps[done].role)


def may_decide(
    state: str,
    waiting_for_role: str | None,
    *,
    recused: Collection[P],
    decided_a_step: bool,
    decider: P,
    decider_roles: Collection[str],
) -> bool:
    """Whether `decider` may decide the current step of a request in this state (what
    `decide` checks before the decision itself): it is pending, they are not recused, decided
    no earlier step and hold the role of the step."""
    return (
        state == RequestState.PENDING
        and not decided_a_step
        and decider not in recused
        and waiting_for_role in decider_roles
    )


def decide(
    steps: Sequence[StepRule],
    history: Sequence[Recorded[P]],
    *,
    recused: Collection[P],
    decider: P,
    decider_roles: frozenset[str],
    decision: Decision,
    comment: str = "",
) -> list[Recorded[P]]:
    """The history after this decision, or NotAllowed saying why not."""
    now = progress(steps, history)
    if now.state != RequestState.PENDING or now.current_step is None:
        raise NotAllowed("finished", f"the request is already {now.state.value}")
    if decider in recused:
        raise NotAllowed(
            "own_request",
            "you asked for, submitted or created what this request is about, so someone else "
            "decides it",
        )
    if any(entry.decided_by == decider for entry in history):
        raise NotAllowed(
            "second_step",
            "you decided an earlier step of this request; someone else decides this one",
        )
    role = steps[now.current_step].role
    if role not in decider_roles:
        raise NotAllowed(
            "wrong_role", f"step {now.current_step + 1} is decided by the role '{role}'"
        )
    if decision == Decision.REJECT and not comment.strip():
        raise NotAllowed("comment_required", "a rejection needs a comment saying why")
    return [*history, Recorded(now.current_step, decider, decision, comment)]
