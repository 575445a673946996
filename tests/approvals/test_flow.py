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
        recused={"pm"},
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
            recused={"pm"},
            decider="fin",
            decider_roles=frozenset({"finance"}),
            decision=Decision.APPROVE,
        )
    h = decide(
        steps,
        h,
        recused={"pm"},
        decider="dir",
        decider_roles=frozenset({"director"}),
        decision=Decision.APPROVE,
    )
    assert progress(steps, h).waiting_for_role == "finance"
    h = decide(
        steps,
        h,
        recused={"pm"},
        decider="fin",
        decider_roles=frozenset({"finance"}),
        decision=Decision.APPROVE,
    )
    assert progress(steps, h).state == RequestState.APPROVED
    with pytest.raises(NotAllowed, match="already approved"):
        decide(
            steps,
            h,
            recused={"pm"},
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
            recused={"pm"},
            decider="dir",
            decider_roles=frozenset({"director"}),
            decision=Decision.REJECT,
            comment=" ",
        )
    h = decide(
        steps,
        [],
        recused={"pm"},
        decider="dir",
        decider_roles=frozenset({"director"}),
        decision=Decision.REJECT,
        comment="预算不清楚",
    )
    assert progress(steps, h).state == RequestState.REJECTED


@pytest.mark.parametrize("who", ["pm", "submitter", "author"])
def test_nobody_decides_a_request_they_asked_for_submitted_or_authored(who: str) -> None:
    steps = applicable_steps(RULES, None)
    with pytest.raises(NotAllowed, match="someone else decides it") as refused:
        decide(
            steps,
            [],
            recused={"pm", "submitter", "author"},
            decider=who,
            decider_roles=frozenset({"director", "finance"}),
            decision=Decision.APPROVE,
        )
    assert refused.value.reason == "own_request"


def test_one_person_decides_at_most_one_step_even_holding_every_role() -> None:
    steps = applicable_steps(RULES, Decimal(900_000))  # director, then finance
    every_role = frozenset({"director", "finance", "admin"})
    history = decide(
        steps,
        [],
        recused={"pm"},
        decider="admin",
        decider_roles=every_role,
        decision=Decision.APPROVE,
    )
    with pytest.raises(NotAllowed, match="earlier step") as refused:
        decide(
            steps,
            history,
            recused={"pm"},
            decider="admin",
            decider_roles=every_role,
            decision=Decision.APPROVE,
        )
    assert refused.value.reason == "second_step"
    done = decide(
        steps,
        history,
        recused={"pm"},
        decider="cfo",
        decider_roles=frozenset({"finance"}),
        decision=Decision.APPROVE,
    )
    assert progress(steps, done).state == RequestState.APPROVED


def test_a_configuration_with_only_amount_steps_can_leave_nothing_to_do() -> None:
    with pytest.raises(ValueError, match="no approval step"):
        applicable_steps([StepRule("finance", min_amount=Decimal(1000))], Decimal(10))
