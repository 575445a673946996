"""Alert evaluation (alerts/evaluation.py): each action, thresholds exact at the boundary,
relative rules and their benchmark, minimum volume, cooldown, the budget metrics, and the
numbers an alert stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mems.alerts.evaluation import (
    METRICS,
    NOTHING,
    Action,
    AlertState,
    Comparator,
    Observation,
    Rule,
    Severity,
    Skip,
    effective_threshold,
    evaluate,
)
from mems.channels.metrics import VOLUME_OF, Base, Derived, derive, derive_all

D = Decimal
LT, LE, GT, GE = Comparator.LT, Comparator.LE, Comparator.GT, Comparator.GE
NOW = datetime(2026, 11, 11, 9, 0, tzinfo=UTC)
OPEN = AlertState(open=True, last_fired_at=NOW - timedelta(days=3))

# CTR 0.006 (0.6 %) on 10,000 impressions; CPA 150 on 20 conversions.
WEAK = {"impressions": D(10_000), "clicks": D(60), "spend": D(3000), "conversions": D(20)}


def ctr_rule(**overrides: object) -> Rule:
    fields: dict[str, object] = {"metric": "ctr", "comparator": LT, "threshold": D("0.008")}
    fields.update(overrides)
    return Rule(**fields)  # type: ignore[arg-type]


def judge(rule: Rule, sums: dict[str, Decimal], state: AlertState = NOTHING, **extra: object):
    return evaluate(rule, Observation(sums, **extra), state, NOW)  # type: ignore[arg-type]


class TestActions:
    def test_fires_when_the_condition_holds_and_nothing_is_open(self) -> None:
        outcome = judge(ctr_rule(), WEAK)
        assert outcome.action == Action.FIRE
        assert outcome.value == D("0.006")
        assert outcome.effective_threshold == D("0.008")
        assert outcome.volume == D(10_000)
        assert outcome.reason is None
        assert outcome.holds

    def test_keeps_an_open_alert_while_the_condition_holds(self) -> None:
        outcome = judge(ctr_rule(), WEAK, OPEN)
        assert outcome.action == Action.KEEP
        assert outcome.value == D("0.006")

    def test_an_open_alert_is_kept_even_inside_the_cooldown(self) -> None:
        state = AlertState(open=True, last_fired_at=NOW - timedelta(minutes=5))
        assert judge(ctr_rule(), WEAK, state).action == Action.KEEP

    def test_resolves_an_open_alert_when_the_condition_clears(self) -> None:
        healthy = {**WEAK, "clicks": D(150)}  # CTR 1.5 %
        outcome = judge(ctr_rule(), healthy, OPEN)
        assert outcome.action == Action.RESOLVE
        assert outcome.value == D("0.015")
        assert not outcome.holds

    def test_nothing_when_the_condition_is_false_and_nothing_is_open(self) -> None:
        outcome = judge(ctr_rule(), {**WEAK, "clicks": D(150)})
        assert outcome.action == Action.NONE
        assert not outcome.holds

    def test_a_cleared_condition_after_a_resolved_alert_is_none(self) -> None:
        resolved = AlertState(open=False, last_fired_at=NOW - timedelta(hours=1))
        assert judge(ctr_rule(), {**WEAK, "clicks": D(150)}, resolved).action == Action.NONE

    @pytest.mark.parametrize(
        ("metric", "comparator", "threshold", "value"),
        [
            ("cpa", GT, D(120), D(150)),  # spend 3000 / 20 conversions
            ("cpc", GE, D(50), D(50)),  # 3000 / 60 clicks
            ("cpm", GT, D(250), D(300)),  # 3000 / 10,000 × 1000
            ("cvr", LT, D("0.5"), D("0.333333")),  # 20 / 60, six places
            ("roas", LT, D(1), D(0)),  # no revenue
            ("roi", LE, D(-1), D(-1)),  # (0 − 3000) / 3000
            ("spend", GE, D(3000), D(3000)),
            ("impressions", LT, D(20_000), D(10_000)),
            ("leads", LE, D(0), D(0)),  # a missing count is zero
        ],
    )
    def test_every_kind_of_metric_is_judged_from_the_sums(
        self, metric: str, comparator: Comparator, threshold: Decimal, value: Decimal
    ) -> None:
        outcome = judge(Rule(metric, comparator, threshold), WEAK)
        assert outcome.value == value
        assert outcome.action == Action.FIRE


class TestThresholdBoundary:
    @pytest.mark.parametrize(
        ("comparator", "fires"), [(LT, False), (LE, True), (GT, False), (GE, True)]
    )
    def test_a_value_exactly_at_the_threshold(self, comparator: Comparator, fires: bool) -> None:
        outcome = judge(ctr_rule(comparator=comparator, threshold=D("0.006")), WEAK)
        assert outcome.action == (Action.FIRE if fires else Action.NONE)

    def test_comparison_is_exact_decimal_not_float(self) -> None:
        # 1 / 3 at six places is 0.333333: not below 0.333333, but below 0.3333331.
        sums = {"impressions": D(3), "clicks": D(1)}
        assert judge(ctr_rule(threshold=D("0.333333")), sums).action == Action.NONE
        assert judge(ctr_rule(threshold=D("0.3333331")), sums).action == Action.FIRE

    def test_ratios_come_from_the_sums_never_averaged(self) -> None:
        # Two days (CTR 10 % on 100 impressions, 1 % on 9,900) sum to 1.09 %, not 5.5 %.
        sums = {"impressions": D(10_000), "clicks": D(10 + 99)}
        outcome = judge(ctr_rule(threshold=D("0.02")), sums)
        assert outcome.value == D("0.0109")
        assert outcome.action == Action.FIRE


@given(
    st.fixed_dictionaries(
        {},
        optional={
            b.value: st.one_of(
                st.integers(min_value=0, max_value=10**12),
                st.decimals(min_value=0, max_value=10**9, places=2),
            )
            for b in Base
        },
    )
)
def test_all_ratios_at_once_are_each_ratio_alone(sums: dict[str, Decimal | int]) -> None:
    assert derive_all(sums) == {d.value: derive(d, sums) for d in Derived}


class TestSkip:
    @pytest.mark.parametrize("metric", [d.value for d in Derived])
    def test_a_ratio_over_a_zero_denominator_is_undefined(self, metric: str) -> None:
        outcome = judge(Rule(metric, LT, D(1)), {})
        assert outcome.action == Action.SKIP
        assert outcome.reason == Skip.UNDEFINED
        assert outcome.value is None

    def test_an_undefined_value_does_not_resolve_an_open_alert(self) -> None:
        outcome = judge(ctr_rule(), {"clicks": D(5)}, OPEN)
        assert (outcome.action, outcome.reason) == (Action.SKIP, Skip.UNDEFINED)

    def test_low_volume_is_not_judged(self) -> None:
        outcome = judge(ctr_rule(min_volume=D(20_000)), WEAK)
        assert (outcome.action, outcome.reason) == (Action.SKIP, Skip.LOW_VOLUME)
        assert outcome.volume == D(10_000)
        assert outcome.value is None

    def test_low_volume_while_an_alert_is_open_does_not_resolve_it(self) -> None:
        # A quiet day: 40 impressions, CTR 5 % would clear the rule, but says nothing yet.
        quiet = {"impressions": D(40), "clicks": D(2)}
        outcome = judge(ctr_rule(min_volume=D(1000)), quiet, OPEN)
        assert (outcome.action, outcome.reason) == (Action.SKIP, Skip.LOW_VOLUME)

    def test_the_volume_is_judged_once_it_reaches_the_minimum(self) -> None:
        assert judge(ctr_rule(min_volume=D(10_000)), WEAK).action == Action.FIRE
        assert judge(ctr_rule(min_volume=D(10_001)), WEAK).action == Action.SKIP

    @pytest.mark.parametrize(
        ("metric", "volume"),
        [
            ("ctr", D(10_000)),  # impressions
            ("cpm", D(10_000)),  # impressions
            ("cvr", D(60)),  # clicks
            ("cpc", D(60)),  # clicks
            ("cpa", D(20)),  # conversions
            ("roas", D(3000)),  # spend
            ("roi", D(3000)),  # spend
            ("clicks", D(60)),  # a count is its own volume
            ("revenue", D(0)),
            ("spend_pace", D(3000)),  # spend
            ("budget_use", D(3000)),  # spend
        ],
    )
    def test_each_metric_has_its_volume(self, metric: str, volume: Decimal) -> None:
        outcome = judge(Rule(metric, LT, D(0)), WEAK, budget=D(10_000), elapsed_share=D("0.5"))
        assert outcome.volume == volume

    def test_a_relative_rule_without_a_benchmark_is_not_judged(self) -> None:
        outcome = judge(ctr_rule(threshold=D(80), relative=True), WEAK, OPEN)
        assert (outcome.action, outcome.reason) == (Action.SKIP, Skip.NO_BENCHMARK)
        assert outcome.value == D("0.006")  # the value is known, the threshold is not
        assert outcome.effective_threshold is None

    def test_low_volume_is_the_reason_before_an_undefined_value(self) -> None:
        outcome = judge(ctr_rule(min_volume=D(100)), {})
        assert outcome.reason == Skip.LOW_VOLUME

    def test_a_ratio_beyond_decimal_precision_is_undefined_not_an_error(self) -> None:
        outcome = judge(ctr_rule(), {"impressions": D(1), "clicks": D(10) ** 30}, OPEN)
        assert (outcome.action, outcome.reason) == (Action.SKIP, Skip.UNDEFINED)

    def test_a_zero_minimum_volume_judges_even_an_empty_window_of_counts(self) -> None:
        outcome = judge(Rule("clicks", LT, D(1), min_volume=D(0)), {})
        assert (outcome.action, outcome.value) == (Action.FIRE, D(0))


class TestRelative:
    def test_ctr_below_eighty_percent_of_the_industry_average(self) -> None:
        rule = ctr_rule(threshold=D(80), relative=True)
        # benchmark 1 % → threshold 0.8 %; CTR 0.6 % is below.
        outcome = judge(rule, WEAK, benchmark=D("0.01"))
        assert outcome.effective_threshold == D("0.008")
        assert outcome.action == Action.FIRE
        # benchmark 0.7 % → threshold 0.56 %; 0.6 % is not below.
        assert judge(rule, WEAK, benchmark=D("0.007")).action == Action.NONE

    def test_relative_at_exactly_the_effective_threshold(self) -> None:
        # 0.6 % is exactly 75 % of a 0.8 % benchmark.
        at = {"benchmark": D("0.008")}
        assert judge(ctr_rule(threshold=D(75), relative=True), WEAK, **at).action == Action.NONE
        assert (
            judge(ctr_rule(comparator=LE, threshold=D(75), relative=True), WEAK, **at).action
            == Action.FIRE
        )

    def test_an_absolute_rule_ignores_the_benchmark(self) -> None:
        assert effective_threshold(ctr_rule(), D("123")) == D("0.008")
        outcome = judge(ctr_rule(), WEAK, benchmark=D(1))
        assert outcome.effective_threshold == D("0.008")
        assert outcome.numbers["benchmark"] == "1"

    def test_a_cost_above_a_hundred_and_twenty_percent_of_the_benchmark(self) -> None:
        rule = Rule("cpa", GT, D(120), relative=True)
        assert judge(rule, WEAK, benchmark=D(100)).action == Action.FIRE  # 150 > 120
        assert judge(rule, WEAK, benchmark=D(125)).action == Action.NONE  # 150 = 150


class TestCooldown:
    def rule(self) -> Rule:
        return ctr_rule(cooldown=timedelta(hours=6))

    def test_inside_the_cooldown_a_returning_condition_is_held(self) -> None:
        state = AlertState(
            open=False, last_fired_at=NOW - timedelta(hours=6) + timedelta(seconds=1)
        )
        assert judge(self.rule(), WEAK, state).action == Action.HOLD

    def test_at_exactly_the_end_of_the_cooldown_it_fires_again(self) -> None:
        state = AlertState(open=False, last_fired_at=NOW - timedelta(hours=6))
        assert judge(self.rule(), WEAK, state).action == Action.FIRE

    def test_a_rule_without_cooldown_fires_again_at_once(self) -> None:
        state = AlertState(open=False, last_fired_at=NOW)
        assert judge(ctr_rule(cooldown=timedelta(0)), WEAK, state).action == Action.FIRE

    def test_the_cooldown_does_not_hide_a_cleared_condition(self) -> None:
        state = AlertState(open=False, last_fired_at=NOW - timedelta(minutes=1))
        assert judge(self.rule(), {**WEAK, "clicks": D(200)}, state).action == Action.NONE

    def test_a_rule_that_never_fired_is_not_in_cooldown(self) -> None:
        assert judge(self.rule(), WEAK, AlertState(open=False)).action == Action.FIRE


class TestBudgetMetrics:
    # Budget 10,000, half the flight gone, 3,000 spent: 60 % of pace, 30 % of budget.
    BUDGET: ClassVar[dict[str, Decimal]] = {"budget": D(10_000), "elapsed_share": D("0.5")}

    def test_spend_pace_behind(self) -> None:
        outcome = judge(Rule("spend_pace", LT, D("0.8")), WEAK, **self.BUDGET)
        assert outcome.value == D("0.6")
        assert outcome.action == Action.FIRE

    def test_spend_pace_ahead(self) -> None:
        sums = {"spend": D(7500)}
        outcome = judge(Rule("spend_pace", GT, D("1.2")), sums, **self.BUDGET)
        assert outcome.value == D("1.5")
        assert outcome.action == Action.FIRE

    def test_on_pace_is_one(self) -> None:
        sums = {"spend": D(2500)}
        outcome = judge(
            Rule("spend_pace", GE, D(1)), sums, budget=D(10_000), elapsed_share=D("0.25")
        )
        assert outcome.value == D(1)
        assert outcome.action == Action.FIRE

    def test_budget_use(self) -> None:
        outcome = judge(Rule("budget_use", GE, D("0.3")), WEAK, budget=D(10_000))
        assert outcome.value == D("0.3")
        assert outcome.action == Action.FIRE
        assert judge(Rule("budget_use", GT, D("0.3")), WEAK, budget=D(10_000)).action == Action.NONE

    @pytest.mark.parametrize(
        "extra",
        [
            {},
            {"budget": D(10_000)},  # no elapsed share
            {"elapsed_share": D("0.5")},  # no budget
            {"budget": D(0), "elapsed_share": D("0.5")},
            {"budget": D(-5), "elapsed_share": D("0.5")},
            {"budget": D(10_000), "elapsed_share": D(0)},
            {"budget": D(10_000), "elapsed_share": D("1.01")},
            {"budget": D(10_000), "elapsed_share": D(-1)},
        ],
    )
    def test_spend_pace_without_valid_inputs_is_undefined(self, extra: dict[str, Decimal]) -> None:
        outcome = judge(Rule("spend_pace", GT, D(1)), WEAK, OPEN, **extra)
        assert (outcome.action, outcome.reason) == (Action.SKIP, Skip.UNDEFINED)

    @pytest.mark.parametrize("extra", [{}, {"budget": D(0)}, {"budget": D(-1)}])
    def test_budget_use_without_a_budget_is_undefined(self, extra: dict[str, Decimal]) -> None:
        outcome = judge(Rule("budget_use", GT, D(1)), WEAK, **extra)
        assert outcome.reason == Skip.UNDEFINED

    def test_budget_use_needs_no_elapsed_share_and_a_full_flight_is_valid(self) -> None:
        use = judge(Rule("budget_use", GT, D(0)), WEAK, budget=D(3000))
        assert use.value == D(1)
        pace = judge(Rule("spend_pace", GE, D(1)), WEAK, budget=D(3000), elapsed_share=D(1))
        assert (pace.value, pace.action) == (D(1), Action.FIRE)

    def test_the_budget_metrics_respect_a_minimum_spend(self) -> None:
        rule = Rule("spend_pace", LT, D("0.8"), min_volume=D(5000))
        outcome = judge(rule, WEAK, OPEN, **self.BUDGET)
        assert (outcome.action, outcome.reason) == (Action.SKIP, Skip.LOW_VOLUME)


class TestNumbers:
    def test_an_alert_stores_the_sums_value_threshold_and_benchmark_as_plain_strings(
        self,
    ) -> None:
        outcome = judge(ctr_rule(threshold=D(80), relative=True), WEAK, benchmark=D("1E-2"))
        assert outcome.numbers == {
            "impressions": "10000",
            "clicks": "60",
            "spend": "3000",
            "conversions": "20",
            "value": "0.006000",
            "threshold": "0.008",
            "benchmark": "0.01",
        }

    def test_budget_inputs_are_stored_with_a_budget_metric(self) -> None:
        outcome = judge(
            Rule("spend_pace", LT, D(1)),
            {"spend": D("1E+3")},
            budget=D(4000),
            elapsed_share=D("0.5"),
        )
        assert outcome.numbers == {
            "spend": "1000",
            "value": "0.500000",
            "threshold": "1",
            "budget": "4000",
            "elapsed_share": "0.5",
        }

    def test_integer_sums_are_accepted_and_stored(self) -> None:
        outcome = judge(ctr_rule(), {"impressions": 1000, "clicks": 5})  # type: ignore[dict-item]
        assert outcome.action == Action.FIRE
        assert outcome.numbers["impressions"] == "1000"

    def test_enum_keys_are_stored_by_name(self) -> None:
        outcome = judge(ctr_rule(), {Base.IMPRESSIONS: D(100), Base.CLICKS: D(0)})
        assert outcome.numbers["impressions"] == "100"
        assert all(type(k) is str for k in outcome.numbers)

    def test_a_skip_still_says_what_it_saw(self) -> None:
        outcome = judge(ctr_rule(min_volume=D(1_000_000)), WEAK)
        assert outcome.numbers["impressions"] == "10000"
        assert "value" not in outcome.numbers


class TestRule:
    def test_defaults(self) -> None:
        rule = ctr_rule()
        assert (rule.relative, rule.min_volume, rule.severity) == (False, None, Severity.WARNING)
        assert rule.cooldown > timedelta(0)

    def test_every_base_ratio_and_budget_metric_can_be_watched(self) -> None:
        assert {*Base, *Derived} <= METRICS
        assert {"spend_pace", "budget_use"} <= METRICS
        assert len(METRICS) == len(Base) + len(Derived) + 2

    @pytest.mark.parametrize(
        "overrides",
        [
            {"metric": "engagement"},
            {"comparator": "eq"},
            {"threshold": D("NaN")},
            {"threshold": D("Infinity")},
            {"min_volume": D(-1)},
            {"cooldown": timedelta(seconds=-1)},
        ],
    )
    def test_a_malformed_rule_is_refused(self, overrides: dict[str, object]) -> None:
        with pytest.raises(ValueError, match=r"\w"):
            ctr_rule(**overrides)

    def test_a_comparator_given_by_name_works(self) -> None:
        assert judge(ctr_rule(comparator="lt"), WEAK).action == Action.FIRE


# -- properties ---------------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=10**12).map(D)
money = st.decimals(min_value=0, max_value=10**11, places=2, allow_nan=False, allow_infinity=False)
sums_strategy = st.fixed_dictionaries(
    {},
    optional={
        "impressions": counts,
        "clicks": counts,
        "conversions": counts,
        "leads": counts,
        "followers": counts,
        "spend": money,
        "revenue": money,
    },
)
thresholds = st.decimals(
    min_value=-(10**6), max_value=10**6, places=6, allow_nan=False, allow_infinity=False
)
comparators = st.sampled_from(list(Comparator))
states = st.builds(
    AlertState,
    open=st.booleans(),
    last_fired_at=st.none()
    | st.timedeltas(timedelta(0), timedelta(days=30)).map(lambda d: NOW - d),
)
shares = st.decimals(min_value=0, max_value=2, places=4, allow_nan=False, allow_infinity=False)
optional_money = st.none() | money


@given(
    metric=st.sampled_from(sorted(METRICS)),
    comparator=comparators,
    threshold=thresholds,
    relative=st.booleans(),
    min_volume=st.none() | counts,
    sums=sums_strategy,
    state=states,
    budget=optional_money,
    elapsed_share=st.none() | shares,
    benchmark=st.none() | thresholds,
)
def test_evaluate_never_raises_and_its_action_is_consistent(
    metric: str,
    comparator: Comparator,
    threshold: Decimal,
    relative: bool,
    min_volume: Decimal | None,
    sums: dict[str, Decimal],
    state: AlertState,
    budget: Decimal | None,
    elapsed_share: Decimal | None,
    benchmark: Decimal | None,
) -> None:
    rule = Rule(metric, comparator, threshold, relative, min_volume, timedelta(hours=12))
    outcome = evaluate(rule, Observation(sums, budget, elapsed_share, benchmark), state, NOW)
    assert (outcome.action == Action.SKIP) == (outcome.reason is not None)
    if outcome.action != Action.SKIP:
        assert outcome.value is not None
        assert outcome.effective_threshold is not None
        assert outcome.numbers["value"] == format(outcome.value, "f")
    if state.open:  # an open alert is kept, resolved or left alone, never fired again
        assert outcome.action in (Action.KEEP, Action.RESOLVE, Action.SKIP)
    else:
        assert outcome.action in (Action.FIRE, Action.HOLD, Action.NONE, Action.SKIP)


@given(
    metric=st.sampled_from([d.value for d in Derived]),
    comparator=comparators,
    threshold=thresholds,
    min_volume=counts,
    sums=sums_strategy,
)
def test_with_enough_volume_firing_is_the_exact_comparison(
    metric: str, comparator: Comparator, threshold: Decimal, min_volume: Decimal, sums: dict
) -> None:
    rule = Rule(metric, comparator, threshold, min_volume=min_volume)
    outcome = evaluate(rule, Observation(sums), NOTHING, NOW)
    value = derive(Derived(metric), sums)
    volume = D(sums.get(VOLUME_OF[Derived(metric)], 0))
    if volume < min_volume:
        assert outcome.reason == Skip.LOW_VOLUME
    elif value is None:
        assert outcome.reason == Skip.UNDEFINED
    else:
        expected = {
            LT: value < threshold,
            LE: value <= threshold,
            GT: value > threshold,
            GE: value >= threshold,
        }[comparator]
        assert outcome.action == (Action.FIRE if expected else Action.NONE)
        assert outcome.value == value


@given(value=thresholds, threshold=thresholds)
def test_lt_and_gt_are_mirror_images(value: Decimal, threshold: Decimal) -> None:
    # "spend < t" fires exactly when "spend > −t" fires on the negated spend (a refund day).
    count = abs(value)
    below = evaluate(Rule("spend", LT, threshold), Observation({"spend": count}), NOTHING, NOW)
    above = evaluate(Rule("spend", GT, -threshold), Observation({"spend": -count}), NOTHING, NOW)
    assert (below.action == Action.FIRE) == (count < threshold) == (above.action == Action.FIRE)


@given(
    threshold=st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False),
    benchmark=st.decimals(min_value=-(10**6), max_value=10**6, places=6, allow_nan=False),
    factor=st.integers(min_value=-100, max_value=100),
)
def test_a_relative_threshold_scales_linearly_with_the_benchmark(
    threshold: Decimal, benchmark: Decimal, factor: int
) -> None:
    rule = ctr_rule(threshold=threshold, relative=True)
    one = effective_threshold(rule, benchmark)
    scaled = effective_threshold(rule, benchmark * factor)
    assert one is not None
    assert scaled is not None
    assert scaled == one * factor
    assert one == benchmark * threshold / 100
    # The same percentage expressed as an absolute threshold gives the same decision.
    outcome = judge(rule, WEAK, benchmark=benchmark)
    absolute = judge(ctr_rule(threshold=one), WEAK)
    assert outcome.action == absolute.action


@given(
    fired_ago=st.timedeltas(timedelta(0), timedelta(days=2)),
    cooldown=st.timedeltas(timedelta(0), timedelta(days=2)),
)
def test_a_condition_that_returns_fires_exactly_when_the_cooldown_has_elapsed(
    fired_ago: timedelta, cooldown: timedelta
) -> None:
    state = AlertState(open=False, last_fired_at=NOW - fired_ago)
    outcome = judge(ctr_rule(cooldown=cooldown), WEAK, state)
    assert outcome.action == (Action.FIRE if fired_ago >= cooldown else Action.HOLD)


@given(sums=sums_strategy, min_volume=counts)
def test_low_volume_never_resolves(sums: dict[str, Decimal], min_volume: Decimal) -> None:
    rule = ctr_rule(min_volume=min_volume)
    outcome = evaluate(rule, Observation(sums), OPEN, NOW)
    if D(sums.get("impressions", 0)) < min_volume:
        assert (outcome.action, outcome.reason) == (Action.SKIP, Skip.LOW_VOLUME)
