"""The finance domain's pure core: money rules (finance/money.py) and budget figures
(finance/figures.py) — rounding, conversion, shares that add up to 100 %, totals equal to the
sum of their parts to the cent, threshold levels and crossings, burn and forecasts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mems.finance.figures import (
    CostFacts,
    CostKind,
    ForecastBasis,
    Level,
    LineFacts,
    Thresholds,
    burn,
    crossed,
    level,
    shares,
    summarise,
)
from mems.finance.money import cents, convert, ratio, split_percentages, total

D = Decimal


class TestMoney:
    @pytest.mark.parametrize(
        ("amount", "expected"),
        [
            ("1.005", "1.01"),
            ("1.004", "1.00"),
            ("-1.005", "-1.01"),
            ("2.5", "2.50"),
            ("0.015", "0.02"),
        ],
    )
    def test_rounds_half_up_to_the_cent(self, amount: str, expected: str) -> None:
        assert cents(D(amount)) == D(expected)
        assert str(cents(D(amount))) == expected

    def test_converts_once_and_rounds_at_the_entry(self) -> None:
        # 3 × 33.33 USD at 7.1234: each converted and rounded, then summed — the total is the
        # sum of what each row shows, not a re-rounded product.
        rows = [convert(D("33.33"), D("7.1234")) for _ in range(3)]
        assert rows == [D("237.42")] * 3
        assert total(rows) == D("712.26")
        assert convert(D("100"), D("1")) == D("100.00")

    @pytest.mark.parametrize("rate", [D(0), D("-1")])
    def test_refuses_a_rate_that_is_not_positive(self, rate: Decimal) -> None:
        with pytest.raises(ValueError, match="positive"):
            convert(D(1), rate)

    def test_ratio(self) -> None:
        assert ratio(D("80"), D("100")) == D("80.00")
        assert ratio(D("1"), D("3")) == D("33.33")
        assert ratio(D("2"), D("3")) == D("66.67")
        assert ratio(D("5"), D("0")) is None

    def test_split_percentages_add_up_to_exactly_100(self) -> None:
        assert split_percentages([D(1), D(1), D(1)]) == [D("33.34"), D("33.33"), D("33.33")]
        assert split_percentages([D(0), D(0)]) == [D(0), D(0)]
        assert split_percentages([D(5)]) == [D(100)]
        assert split_percentages([]) == []

    @settings(max_examples=300, deadline=None)
    @given(
        st.lists(
            st.decimals(
                min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False
            ),
            min_size=1,
            max_size=30,
        )
    )
    def test_split_percentages_property(self, parts: list[Decimal]) -> None:
        shares_ = split_percentages(parts)
        assert len(shares_) == len(parts)
        if sum(parts) > 0:
            assert sum(shares_) == D(100)
            whole = sum(parts)
            for part, share in zip(parts, shares_, strict=True):
                # each share is its exact share rounded down or up by at most one hundredth
                assert abs(share - part * 100 / whole) < D("0.01")
        else:
            assert all(share == 0 for share in shares_)


LINES = [
    LineFacts("venue", "venue", "exec", D("50000.00")),
    LineFacts("travel", "travel", "exec", D("8000.00")),
    LineFacts("print", "materials", "prep", D("12000.00")),
]


def cost(
    line: str | None, kind: CostKind, amount: str, category: str = "other", phase: str | None = None
) -> CostFacts:
    return CostFacts(line, category, phase, kind, D(amount))


class TestSummary:
    def test_figures_per_line_category_phase_and_project(self) -> None:
        summary = summarise(
            LINES,
            [
                cost("venue", CostKind.COMMITTED, "30000.00"),
                cost("venue", CostKind.ACTUAL, "12000.50"),
                cost("travel", CostKind.ACTUAL, "2500.25"),
                cost(None, CostKind.ACTUAL, "999.99", category="other", phase="exec"),
            ],
        )
        venue = summary.lines["venue"]
        assert (venue.budget, venue.actual, venue.committed, venue.used) == (
            D("50000.00"),
            D("12000.50"),
            D("30000.00"),
            D("42000.50"),
        )
        assert venue.remaining == D("7999.50")
        assert venue.used_percent == D("84.00")
        assert venue.level(Thresholds()) == Level.WARN
        assert summary.lines["print"].used == 0
        assert summary.by_phase["exec"].budget == D("58000.00")
        assert summary.by_phase["exec"].used == D("45500.74")
        assert summary.by_category["other"].used == D("999.99")
        assert summary.by_category["other"].budget == 0
        assert summary.unbudgeted.actual == D("999.99")
        assert summary.project.budget == D("70000.00")
        assert summary.project.used == D("45500.74")
        assert summary.project.entries == 4

    def test_a_cost_on_a_line_counts_under_the_lines_category_and_phase(self) -> None:
        summary = summarise(
            LINES, [cost("print", CostKind.ACTUAL, "100.00", category="venue", phase="exec")]
        )
        assert summary.by_category["materials"].actual == D("100.00")
        assert summary.by_phase["prep"].actual == D("100.00")
        assert "exec" not in summary.by_phase or summary.by_phase["exec"].actual == 0

    @settings(max_examples=200, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["venue", "travel", "print", None]),
                st.sampled_from(list(CostKind)),
                st.decimals(
                    min_value=0, max_value=10**8, places=2, allow_nan=False, allow_infinity=False
                ),
                st.sampled_from(["venue", "travel", "materials", "ad_spend", "other"]),
                st.sampled_from(["exec", "prep", "review", None]),
            ),
            max_size=60,
        )
    )
    def test_totals_equal_the_sum_of_their_parts_to_the_cent(
        self, rows: list[tuple[str | None, CostKind, Decimal, str, str | None]]
    ) -> None:
        costs = [
            CostFacts(line, category, phase, kind, amount)
            for line, kind, amount, category, phase in rows
        ]
        summary = summarise(LINES, costs)
        project = summary.project
        for groups in (
            list(summary.by_category.values()),
            list(summary.by_phase.values()),
            [*summary.lines.values(), summary.unbudgeted],
        ):
            assert sum((g.actual for g in groups), D(0)) == project.actual
            assert sum((g.committed for g in groups), D(0)) == project.committed
            assert sum((g.budget for g in groups), D(0)) == project.budget
            assert sum(g.entries for g in groups) == project.entries == len(costs)
        assert project.actual == sum((c.amount for c in costs if c.kind == CostKind.ACTUAL), D(0))
        share = shares(summary.by_category)
        if project.used > 0:
            assert sum(share.values()) == D(100)


class TestThresholds:
    @pytest.mark.parametrize(
        ("used", "budget", "expected"),
        [
            ("0", "100", Level.OK),
            ("79.99", "100", Level.OK),
            ("80", "100", Level.WARN),
            ("99.99", "100", Level.WARN),
            ("100", "100", Level.CRITICAL),
            ("150", "100", Level.CRITICAL),
            ("0", "0", Level.OK),
            ("0.01", "0", Level.CRITICAL),
        ],
    )
    def test_levels_at_the_default_thresholds(
        self, used: str, budget: str, expected: Level
    ) -> None:
        assert level(D(used), D(budget), Thresholds()) == expected

    def test_custom_thresholds(self) -> None:
        assert level(D("70"), D("100"), Thresholds(warn=D(70), critical=D(90))) == Level.WARN
        assert level(D("90"), D("100"), Thresholds(warn=D(70), critical=D(90))) == Level.CRITICAL
        with pytest.raises(ValueError, match="warn <= critical"):
            Thresholds(warn=D(90), critical=D(80))
        with pytest.raises(ValueError, match="0 < warn"):
            Thresholds(warn=D(0))

    def test_only_a_rise_is_a_crossing(self) -> None:
        assert crossed(Level.OK, Level.WARN) == Level.WARN
        assert crossed(Level.OK, Level.CRITICAL) == Level.CRITICAL
        assert crossed(Level.WARN, Level.CRITICAL) == Level.CRITICAL
        assert crossed(Level.WARN, Level.WARN) is None
        assert crossed(Level.CRITICAL, Level.WARN) is None
        assert crossed(Level.OK, Level.OK) is None

    def test_a_line_filled_entry_by_entry_crosses_each_level_once(self) -> None:
        budget, used, announced = D("10000"), D(0), []
        before = Level.OK
        for _ in range(30):
            used += D("500")
            after = level(used, budget, Thresholds())
            if (rise := crossed(before, after)) is not None:
                announced.append((rise, used))
            before = after
        assert announced == [(Level.WARN, D("8000")), (Level.CRITICAL, D("10000"))]


class TestBurn:
    def test_half_way_through_time_and_work(self) -> None:
        result = burn(
            actual=D("30000.00"),
            budget=D("50000.00"),
            starts_on=date(2026, 11, 1),
            ends_on=date(2026, 11, 30),
            today=date(2026, 11, 15),
            progress_percent=D(40),
        )
        assert (result.days_elapsed, result.days_total) == (15, 30)
        assert result.per_day == D("2000.00")
        assert result.by_time.basis == ForecastBasis.ELAPSED_TIME
        assert result.by_time.at_completion == D("60000.00")
        assert result.by_time.variance == D("-10000.00")
        assert result.by_progress.basis == ForecastBasis.PROGRESS
        assert result.by_progress.at_completion == D("75000.00")
        assert result.by_progress.variance == D("-25000.00")

    def test_before_the_start_and_without_progress_there_is_no_forecast(self) -> None:
        result = burn(
            actual=D("1000.00"),
            budget=D("5000.00"),
            starts_on=date(2026, 12, 1),
            ends_on=date(2026, 12, 31),
            today=date(2026, 11, 20),
            progress_percent=None,
        )
        assert result.days_elapsed == 0
        assert result.per_day is None
        assert result.by_time.at_completion is None
        assert result.by_time.variance is None
        assert result.by_progress.at_completion is None

    def test_after_the_end_the_forecast_is_what_was_spent(self) -> None:
        result = burn(
            actual=D("4321.09"),
            budget=D("5000.00"),
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 1, 10),
            today=date(2026, 3, 1),
            progress_percent=D(100),
        )
        assert result.days_elapsed == result.days_total == 10
        assert result.by_time.at_completion == D("4321.09")
        assert result.by_progress.at_completion == D("4321.09")
        assert result.by_progress.variance == D("678.91")
