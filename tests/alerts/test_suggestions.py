"""Alert suggestions (alerts/suggestions.py): the advice each metric and direction picks, and
every advice reads in Chinese and English, also later from its stored key."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mems.alerts.evaluation import METRICS, Comparator
from mems.alerts.suggestions import GENERIC, KEYS, Suggestion, suggest, text_for
from mems.core.i18n import catalogue

D = Decimal
LT, LE, GT, GE = Comparator.LT, Comparator.LE, Comparator.GT, Comparator.GE


@pytest.mark.parametrize(
    ("metric", "comparator", "key"),
    [
        ("ctr", LT, "low_ctr"),
        ("ctr", LE, "low_ctr"),
        ("cvr", LT, "low_cvr"),
        ("cpa", GT, "high_cpa"),
        ("cpa", GE, "high_cpa"),
        ("cpc", GT, "high_cpc"),
        ("cpm", GE, "high_cpm"),
        ("roas", LT, "low_return"),
        ("roi", LE, "low_return"),
        ("revenue", LT, "low_return"),
        ("spend_pace", GT, "spend_ahead"),
        ("spend_pace", LT, "spend_behind"),
        ("spend", GE, "spend_ahead"),
        ("spend", LE, "spend_behind"),
        ("budget_use", LT, "spend_behind"),
        ("impressions", LT, "low_impressions"),
        ("clicks", LT, "low_ctr"),
        ("conversions", LT, "low_conversions"),
        ("leads", LE, "low_conversions"),
        ("followers", LT, "low_followers"),
        # good news: a ratio that should be high rose, a cost fell, a count grew
        ("ctr", GT, "scale_up"),
        ("roas", GE, "scale_up"),
        ("cpa", LT, "scale_up"),
        ("cpm", LE, "scale_up"),
        ("conversions", GT, "scale_up"),
    ],
)
def test_each_metric_and_direction_picks_its_advice(
    metric: str, comparator: Comparator, key: str
) -> None:
    suggestion = suggest(metric, D("0.5"), D("0.6"), comparator)
    assert suggestion == Suggestion(key, text_for(key))


def test_a_budget_nearly_used_and_one_used_up_are_told_apart() -> None:
    assert suggest("budget_use", D("0.92"), D("0.9"), GT).key == "budget_high"
    assert suggest("budget_use", D("0.999999"), D("0.9"), GE).key == "budget_high"
    assert suggest("budget_use", D(1), D("0.9"), GE).key == "budget_spent"
    assert suggest("budget_use", D("1.3"), D("0.9"), GT).key == "budget_spent"
    assert suggest("budget_use", None, None, GT).key == "budget_high"


def test_an_unknown_metric_gets_the_generic_advice() -> None:
    assert suggest("engagement", D(1), D(2), LT).key == GENERIC


def test_the_comparator_may_be_given_by_name() -> None:
    assert suggest("ctr", D("0.004"), D("0.008"), "lt").key == "low_ctr"
    assert suggest("cpa", D(150), D(120), "gt").key == "high_cpa"


@given(
    metric=st.sampled_from(sorted(METRICS)),
    comparator=st.sampled_from(list(Comparator)),
    value=st.none() | st.decimals(allow_nan=False, allow_infinity=False),
)
def test_every_watchable_metric_has_specific_advice_in_both_directions(
    metric: str, comparator: Comparator, value: Decimal | None
) -> None:
    suggestion = suggest(metric, value, None, comparator)
    assert suggestion.key in KEYS
    assert suggestion.key != GENERIC
    assert suggestion.text == text_for(suggestion.key)


def test_advice_depends_on_the_direction_not_on_the_strictness() -> None:
    for metric in sorted(METRICS):
        assert suggest(metric, D(1), D(1), LT).key == suggest(metric, D(1), D(1), LE).key
        assert suggest(metric, D(1), D(1), GT).key == suggest(metric, D(1), D(1), GE).key


def test_a_problem_and_its_opposite_get_different_advice() -> None:
    for metric in ("ctr", "cvr", "cpa", "spend_pace", "budget_use", "impressions"):
        assert suggest(metric, D("0.5"), D(1), LT).key != suggest(metric, D("0.5"), D(1), GT).key


@pytest.mark.parametrize("key", sorted(KEYS))
def test_every_advice_reads_in_chinese_and_english(key: str) -> None:
    message = text_for(key)
    english = message.render("en")
    chinese = message.render("zh-CN")
    assert message.template in catalogue("zh-CN")
    assert chinese != english
    assert re.search(r"[\u4e00-\u9fff]", chinese)
    assert not re.search(r"[A-Za-z]{5,}", chinese)  # no English sentence left untranslated
    assert "{" not in chinese
    assert "{" not in english
    # one or two actionable sentences
    assert 1 <= english.count(". ") + 1 <= 2
    assert english.endswith(".")
    assert chinese.endswith("。")
    assert 1 <= chinese.count("。") <= 2


def test_every_key_has_its_own_text() -> None:
    templates = [text_for(k).template for k in KEYS]
    assert len(set(templates)) == len(KEYS)


def test_the_concrete_advice_names_the_lever() -> None:
    assert "钩子" in text_for("low_ctr").render("zh-CN")
    assert "封面" in text_for("low_ctr").render("zh-CN")
    assert "标题" in text_for("low_ctr").render("zh-CN")
    assert "落地页" in text_for("low_cvr").render("zh-CN")
    assert "出价" in text_for("high_cpa").render("zh-CN")
    assert "日预算" in text_for("spend_ahead").render("zh-CN")
    assert "定价" in text_for("low_return").render("zh-CN")


def test_a_stored_key_renders_later_and_an_unknown_one_reads_as_generic() -> None:
    assert text_for("low_ctr").render("en").startswith("Refresh the creative")
    assert text_for("renamed_long_ago") == text_for(GENERIC)
