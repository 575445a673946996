"""Pure rules of the project lifecycle and of naming conventions."""

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
from mems.projects.naming import DEFAULT_CONVENTION, NamingConvention, check_name

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


convention = NamingConvention.from_settings(DEFAULT_CONVENTION)


@pytest.mark.parametrize(
    "name", ["2026Q4-品牌-双十一大促", "2026-电商-年货节", "2027Q1-新品-春季上新 发布会"]
)
def test_names_that_fit(name: str) -> None:
    result = check_name(convention, name)
    assert result.ok, result.problems


def test_parts_are_extracted() -> None:
    assert check_name(convention, "2026Q4-品牌-双十一大促").parts == {
        "period": "2026Q4",
        "brand_line": "品牌",
        "campaign": "双十一大促",
    }


@pytest.mark.parametrize(
    "name",
    [
        "双十一大促",
        "2026Q5-品牌-双十一",
        "2026Q4-美妆-双十一",
        "2026Q4-品牌-",
        "26Q4-品牌-双十一",
        "2026Q4品牌双十一",
    ],
)
def test_names_that_break_it_say_the_expected_form(name: str) -> None:
    result = check_name(convention, name)
    assert not result.ok
    assert result.expected_form == "{期间}-{品牌线}-{活动名}"
    assert result.example == "2026Q4-品牌-双十一大促"
    assert "expected {期间}-{品牌线}-{活动名}" in result.problems[0]


def test_text_parts_have_a_length_limit() -> None:
    result = check_name(convention, "2026Q4-品牌-" + "长" * 31)
    assert not result.ok
    assert "30" in result.problems[0]


def test_no_convention_accepts_any_non_empty_name() -> None:
    assert check_name(None, "随便什么名字").ok
    assert not check_name(None, "  ").ok


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"pattern": "no parts", "parts": {}}, "names no parts"),
        ({"pattern": "{x}-{y}", "parts": {"x": {"kind": "text"}}}, "undefined parts: y"),
        ({"pattern": "{x}-{x}", "parts": {"x": {"kind": "text"}}}, "once"),
        ({"pattern": "{x}", "parts": {"x": {"kind": "choice"}}}, "without values"),
    ],
)
def test_bad_conventions_are_refused(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        NamingConvention.from_settings(raw)
