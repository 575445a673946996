"""KR attainment and objective roll-up on tricky trees, plus invariants (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mems.strategy.rollup import (
    CycleError,
    KeyResultFacts,
    ObjectiveFacts,
    Progress,
    attainment,
    find_cycle,
    rollup,
    would_cycle,
)

D = Decimal


def kr(
    i: str, baseline: str, target: str, current: str | None, weight: str = "1"
) -> KeyResultFacts[str]:
    return KeyResultFacts(
        i, D(baseline), D(target), None if current is None else D(current), D(weight)
    )


def test_increasing_kr() -> None:
    # 新增粉丝5万人: 0 → 50 000, at 20 000.
    assert attainment(D(0), D(50000), D(20000)) == Progress(0.4, 0.4)


def test_decreasing_kr_moving_toward_target_is_positive() -> None:
    # CPA from 80 down to 50; now 65 → halfway.
    assert attainment(D(80), D(50), D(65)) == Progress(0.5, 0.5)
    # Worse than the baseline is negative uncapped, zero capped.
    assert attainment(D(80), D(50), D(90)) == Progress(0.0, -1 / 3)


def test_over_achievement_is_kept_uncapped_only() -> None:
    p = attainment(D(100), D(130), D(145))
    assert p.capped == 1.0
    assert p.uncapped == pytest.approx(1.5)


def test_no_check_in_yet_is_zero() -> None:
    assert attainment(D(10), D(20), None) == Progress(0.0, 0.0)


def test_target_equal_to_baseline_is_refused() -> None:
    with pytest.raises(ValueError, match="differ"):
        attainment(D(5), D(5), D(5))


def test_empty_tree_and_empty_objective() -> None:
    assert rollup([]) == {}
    assert rollup([ObjectiveFacts("o", None)]) == {"o": None}


def test_weighted_rollup_of_krs_and_children() -> None:
    tree = [
        ObjectiveFacts("company", None, key_results=(kr("a", "0", "100", "50", weight="3"),)),
        ObjectiveFacts("dept", "company", weight=D(1), key_results=(kr("b", "0", "10", "10"),)),
    ]
    result = rollup(tree)
    assert result["dept"] == Progress(1.0, 1.0)
    # (3 × 0.5 + 1 × 1.0) / 4
    assert result["company"] == Progress(0.625, 0.625)


def test_capped_rollup_does_not_let_one_kr_hide_another() -> None:
    tree = [
        ObjectiveFacts("o", None, key_results=(kr("a", "0", "10", "30"), kr("b", "0", "10", "0")))
    ]
    p = rollup(tree)["o"]
    assert p is not None
    assert p.capped == 0.5
    assert p.uncapped == 1.5


def test_zero_weights_count_equally() -> None:
    tree = [
        ObjectiveFacts(
            "o", None, key_results=(kr("a", "0", "10", "10", "0"), kr("b", "0", "10", "0", "0"))
        )
    ]
    assert rollup(tree)["o"] == Progress(0.5, 0.5)


def test_zero_weight_child_next_to_weighted_kr_counts_nothing() -> None:
    tree = [
        ObjectiveFacts("p", None, key_results=(kr("a", "0", "10", "5"),)),
        ObjectiveFacts("c", "p", weight=D(0), key_results=(kr("b", "0", "10", "10"),)),
    ]
    assert rollup(tree)["p"] == Progress(0.5, 0.5)


def test_unmeasured_children_are_left_out_not_counted_as_zero() -> None:
    tree = [
        ObjectiveFacts("p", None),
        ObjectiveFacts("measured", "p", key_results=(kr("a", "0", "4", "3"),)),
        ObjectiveFacts("empty", "p"),
        ObjectiveFacts("empty-grandchild", "empty"),
    ]
    result = rollup(tree)
    assert result["p"] == Progress(0.75, 0.75)
    assert result["empty"] is None
    assert result["empty-grandchild"] is None


def test_cycles_are_found() -> None:
    assert find_cycle({"a": "b", "b": "c", "c": "a"}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": None, "b": "a"}) is None
    with pytest.raises(CycleError):
        rollup([ObjectiveFacts("a", "b"), ObjectiveFacts("b", "a")])
    assert would_cycle({"a": None, "b": "a", "c": "b"}, "a", "c")
    assert not would_cycle({"a": None, "b": "a", "c": "b"}, "c", "a")
    assert would_cycle({"a": None}, "a", "a")


values = st.decimals(
    min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False
)
weights = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False)


@st.composite
def key_results(draw: st.DrawFn) -> KeyResultFacts[int]:
    baseline = draw(values)
    target = draw(values.filter(lambda t: t != baseline))
    return KeyResultFacts(
        draw(st.integers()), baseline, target, draw(st.none() | values), draw(weights)
    )


@given(key_results())
def test_capped_attainment_is_within_0_and_1(k: KeyResultFacts[int]) -> None:
    p = attainment(k.baseline, k.target, k.current)
    assert 0.0 <= p.capped <= 1.0
    assert p.capped == min(max(p.uncapped, 0.0), 1.0)


@given(st.lists(key_results(), min_size=1, max_size=6), st.randoms())
def test_rollup_is_a_weighted_mean_independent_of_order(
    krs: list[KeyResultFacts[int]], rnd: object
) -> None:
    shuffled = list(krs)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    a = rollup([ObjectiveFacts(1, None, key_results=tuple(krs))])[1]
    b = rollup([ObjectiveFacts(1, None, key_results=tuple(shuffled))])[1]
    assert a is not None
    assert b is not None
    assert a.capped == pytest.approx(b.capped)
    assert a.uncapped == pytest.approx(b.uncapped)
    singles = [attainment(k.baseline, k.target, k.current) for k in krs]
    assert (
        min(s.capped for s in singles) - 1e-9 <= a.capped <= max(s.capped for s in singles) + 1e-9
    )


@given(st.lists(key_results(), min_size=1, max_size=5), st.integers(min_value=2, max_value=9))
def test_scaling_all_weights_changes_nothing(krs: list[KeyResultFacts[int]], factor: int) -> None:
    scaled = [KeyResultFacts(k.id, k.baseline, k.target, k.current, k.weight * factor) for k in krs]
    a = rollup([ObjectiveFacts(1, None, key_results=tuple(krs))])[1]
    b = rollup([ObjectiveFacts(1, None, key_results=tuple(scaled))])[1]
    assert a is not None
    assert b is not None
    assert a.capped == pytest.approx(b.capped)
