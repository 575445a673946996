from __future__ import annotations

from decimal import Decimal

import pytest

from mems.approvals.flow import (
    Decision,
    NotAllowed,
    Recorded,
    RequestState,
    StepRule,
    applicable_steps,
    decide,
    progress,
)

RULES = [StepRule("director"), StepRule("finance", min_amount=Decimal("50000"))]


def test_small_request_needs_the_director_only() -> None:
    steps = applicable_steps(RULES, Decimal("20000"))
    assert [s.role for s in steps] == ["director"]
    history = decide(
        steps,
        [],
        requester="pm",
        decider="dir",
        decider_roles=frozenset({"director"}),
        decision=Decision.APPROVE,
        comment="同意",
    )
    assert progress(steps, history).state == RequestState.APPROVED


def test_large_request_goes_director_then_finance() -> None:
    steps = applicable_steps(RULES, Decimal("80000"))
    h: list[Recorded[str]] = []
    assert progress(steps, h).waiting_for_role == "director"
    with pytest.raises(NotAllowed, match="decided by the role 'director'"):
        decide(
            steps,
            h,
            requester="pm",
            decider="fin",
            decider_roles=frozenset({"finance"}),
            decision=Decision.APPROVE,
        )
    h = decide(
        steps,
        h,
        requester="pm",
        decider="dir",
        decider_roles=frozenset({"director"}),
        decision=Decision.APPROVE,
    )
    assert progress(steps, h).waiting_for_role == "finance"
    h = decide(
        steps,
        h,
        requester="pm",
        decider="fin",
        decider_roles=frozenset({"finance"}),
        decision=Decision.APPROVE,
    )
    assert progress(steps, h).state == RequestState.APPROVED
    with pytest.raises(NotAllowed, match="already approved"):
        decide(
            steps,
            h,
            requester="pm",
            decider="fin",
            decider_roles=frozenset({"finance"}),
            decision=Decision.APPROVE,
        )


def test_rejection_ends_it_and_needs_a_reason() -> None:
    steps = applicable_steps(RULES, None)
    with pytest.raises(NotAllowed, match="comment"):
        decide(
            steps,
            [],
            requester="pm",
            decider="dir",
            decider_roles=frozenset({"director"}),
            decision=Decision.REJECT,
            comment=" ",
        )
    h = decide(
        steps,
        [],
        requester="pm",
        decider="dir",
        decider_roles=frozenset({"director"}),
        decision=Decision.REJECT,
        comment="预算不清楚",
    )
    assert progress(steps, h).state == RequestState.REJECTED


def test_nobody_decides_their_own_request() -> None:
    steps = applicable_steps(RULES, None)
    with pytest.raises(NotAllowed, match="own request"):
        decide(
            steps,
            [],
            requester="dir",
            decider="dir",
            decider_roles=frozenset({"director"}),
            decision=Decision.APPROVE,
        )


def test_a_configuration_with_only_amount_steps_can_leave_nothing_to_do() -> None:
    with pytest.raises(ValueError, match="no approval step"):
        applicable_steps([StepRule("finance", min_amount=Decimal(1000))], Decimal(10))
