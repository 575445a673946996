"""Pure rules of the project lifecycle (naming conventions: test_naming.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mems.projects.lifecycle import (
    TRANSITIONS,
    Guards,
    IllegalTransition,
    ProjectAction,
    ProjectStatus,
    allowed_actions,
    apply,
    is_registered,
)

S, A = ProjectStatus, ProjectAction


def test_happy_path_to_closed() -> None:
    status = S.DRAFT
    for action in (A.SUBMIT, A.APPROVE, A.START, A.CLOSE):
        status = apply(status, action)
    assert status == S.CLOSING
    assert apply(status, A.FINISH, Guards(has_retrospective=True)) == S.CLOSED


def test_closing_needs_a_retrospective() -> None:
    with pytest.raises(IllegalTransition, match="retrospective"):
        apply(S.CLOSING, A.FINISH)


def test_rejected_goes_back_to_draft() -> None:
    assert apply(apply(S.SUBMITTED, A.REJECT), A.REVISE) == S.DRAFT


def test_illegal_transition_lists_the_allowed_actions() -> None:
    with pytest.raises(IllegalTransition) as err:
        apply(S.DRAFT, A.APPROVE)
    assert err.value.allowed == [A.SUBMIT, A.CANCEL]
    assert "submit, cancel" in str(err.value)
    with pytest.raises(IllegalTransition, match="final state"):
        apply(S.CLOSED, A.REOPEN)


def test_only_approved_or_later_is_registered() -> None:
    assert [s for s in S if is_registered(s)] == [S.APPROVED, S.ACTIVE, S.CLOSING, S.CLOSED]


@given(st.lists(st.sampled_from(list(A)), max_size=12))
def test_any_sequence_stays_in_the_graph(actions: list[ProjectAction]) -> None:
    status = S.DRAFT
    for action in actions:
        try:
            nxt = apply(status, action, Guards(has_retrospective=True))
        except IllegalTransition as err:
            allowed = err.allowed
            assert action not in allowed_actions(status)
            assert allowed == allowed_actions(status)
            continue
        assert TRANSITIONS[status][action] == nxt
        status = nxt
