"""Naming conventions, the pure rules: matching (linear-time, whatever the convention), the
part at fault with what it may hold, the period against the project's, and the limits."""

from __future__ import annotations

import re
import time
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mems.projects.naming import (
    DEFAULT_CONVENTION,
    MAX_PARTS,
    NameContext,
    NamingConvention,
    check_name,
    period_values,
)

convention = NamingConvention.from_settings(DEFAULT_CONVENTION)
BRAND_LINES = ("品牌", "电商", "新品", "渠道", "私域")
Q4_2026 = NameContext(date(2026, 10, 1), date(2026, 12, 31), "2026Q4")
YEAR_2026 = NameContext(date(2026, 1, 1), date(2026, 12, 31), "2026")


@pytest.mark.parametrize(
    "name", ["2026Q4-品牌-双十一大促", "2026-电商-年货节", "2027Q1-新品-春季上新 发布会"]
)
def test_names_that_fit(name: str) -> None:
    result = check_name(convention, name)
    assert result.ok, result.problems
    assert result.issues == []


def test_parts_are_extracted() -> None:
    assert check_name(convention, "2026Q4-品牌-双十一大促").parts == {
        "period": "2026Q4",
        "brand_line": "品牌",
        "campaign": "双十一大促",
    }


@pytest.mark.parametrize(
    ("name", "kind", "part", "value"),
    [
        ("双十一大促", "period", "period", "双十一大促"),
        ("2026Q5-品牌-双十一", "period", "period", "2026Q5"),
        ("26Q4-品牌-双十一", "period", "period", "26Q4"),
        ("2026Q4-美妆-双十二", "choice", "brand_line", "美妆"),
        ("2026Q4-品牌部-双十一", "choice", "brand_line", "品牌部"),
        ("2026Q4--双十一", "choice", "brand_line", ""),
        ("2026Q4-品牌-", "text", "campaign", ""),
        ("2026Q4-品牌-双十一-特别", "text", "campaign", "双十一-特别"),
        ("2026Q4-品牌- 双十一", "text", "campaign", " 双十一"),
        ("2026Q4品牌双十一", "form", None, None),
    ],
)
def test_a_name_that_breaks_it_names_the_part_at_fault(
    name: str, kind: str, part: str | None, value: str | None
) -> None:
    result = check_name(convention, name)
    assert not result.ok
    assert result.expected_form == "{期间}-{品牌线}-{活动名}"
    assert result.example == "2026Q4-品牌-双十一大促"
    assert [(i.type, i.part, i.value) for i in result.issues] == [(kind, part, value)]
    issue = result.issues[0]
    if part is not None:
        assert issue.label == convention.parts[part].label
    if kind == "choice":
        assert issue.allowed_values == BRAND_LINES


def test_the_message_lists_a_choices_values_in_the_readers_language() -> None:
    (issue,) = check_name(convention, "2026Q4-美妆-双十二").issues
    assert issue.message.render("en") == (
        "品牌线 must be one of 品牌 / 电商 / 新品 / 渠道 / 私域, not “美妆”."
    )
    assert issue.message.render("zh-CN") == (
        "品牌线应为 品牌 / 电商 / 新品 / 渠道 / 私域 之一，而不是“美妆”。"
    )
    (form,) = check_name(convention, "2026Q4品牌双十一").issues
    assert "{期间}-{品牌线}-{活动名}" in form.message.render("zh-CN")
    assert "“-”" in form.message.render("en")


def test_text_parts_have_a_length_limit() -> None:
    result = check_name(convention, "2026Q4-品牌-" + "长" * 31)
    assert not result.ok
    (issue,) = result.issues
    assert (issue.type, issue.part, issue.max_length) == ("too_long", "campaign", 30)
    assert issue.message.render("en") == "活动名 is longer than 30 characters."
    assert check_name(convention, "2026Q4-品牌-" + "长" * 30).ok


def test_adjacent_text_parts_are_split_within_their_limits() -> None:
    two = NamingConvention.from_settings(
        {
            "pattern": "{code}{title}",
            "parts": {
                "code": {"kind": "text", "label": "代号", "max_length": 3},
                "title": {"kind": "text", "label": "标题", "max_length": 10},
            },
        }
    )
    result = check_name(two, "abcdefgh")
    assert result.ok, result.problems
    assert result.parts == {"code": "abc", "title": "defgh"}
    too_long = check_name(two, "a" * 14)
    assert [i.type for i in too_long.issues] == ["too_long"]


# ---- the period against the project's -------------------------------------------------------


def test_the_period_must_agree_with_the_projects_period() -> None:
    result = check_name(convention, "2027Q1-品牌-年货节", Q4_2026)
    assert not result.ok
    (issue,) = result.issues
    assert (issue.type, issue.part, issue.value) == ("period_mismatch", "period", "2027Q1")
    assert issue.allowed_values == ("2026Q4", "2026")
    assert issue.message.render("en") == (
        "期间 “2027Q1” does not match the project's period 2026Q4; use 2026Q4 / 2026."
    )
    assert "与项目期间 2026Q4 不符" in issue.message.render("zh-CN")
    assert result.period_values == ["2026Q4", "2026"]
    # The quarter itself and the year around it agree; a neighbour quarter does not.
    assert check_name(convention, "2026Q4-品牌-双十一大促", Q4_2026).ok
    assert check_name(convention, "2026-品牌-双十一大促", Q4_2026).ok
    assert not check_name(convention, "2026Q3-品牌-双十一大促", Q4_2026).ok
    # A year's projects may name any of its quarters.
    assert check_name(convention, "2026Q3-新品-秋冬新品发布会", YEAR_2026).ok
    assert not check_name(convention, "2025Q4-新品-秋冬新品发布会", YEAR_2026).ok


def test_without_a_period_the_projects_dates_decide() -> None:
    dates = NameContext(date(2026, 12, 1), date(2027, 1, 10))
    assert check_name(convention, "2026Q4-渠道-年货节", dates).ok
    assert check_name(convention, "2027Q1-渠道-年货节", dates).ok
    result = check_name(convention, "2027Q2-渠道-年货节", dates)
    (issue,) = result.issues
    assert issue.type == "period_mismatch"
    assert issue.allowed_values == ("2026Q4", "2027Q1", "2026", "2027")
    assert "2026-12-01 – 2027-01-10" in issue.message.render("en")


def test_period_values_put_the_best_fit_first() -> None:
    assert period_values(date(2026, 10, 1), date(2026, 12, 31), "2026Q4") == ["2026Q4", "2026"]
    assert period_values(date(2026, 1, 1), date(2026, 12, 31), "2026") == [
        "2026",
        "2026Q1",
        "2026Q2",
        "2026Q3",
        "2026Q4",
    ]
    # A period named otherwise: the smallest quarter or year holding it comes first.
    assert period_values(date(2026, 10, 20), date(2026, 11, 15), "双十一战役") == [
        "2026Q4",
        "2026",
    ]
    assert period_values(date(2026, 8, 1), date(2026, 10, 15)) == ["2026", "2026Q3", "2026Q4"]
    assert len(period_values(date(2000, 1, 1), date(2040, 12, 31))) == 20  # bounded


def test_a_period_part_mismatch_lists_the_fitting_periods_when_missing() -> None:
    (issue,) = check_name(convention, "-品牌-双十一", Q4_2026).issues
    assert (issue.type, issue.part, issue.value) == ("period", "period", "")
    assert issue.allowed_values == ("2026Q4", "2026")


def test_no_convention_accepts_any_non_empty_name() -> None:
    assert check_name(None, "随便什么名字").ok
    empty = check_name(None, "  ")
    assert not empty.ok
    assert [i.type for i in empty.issues] == ["empty"]


# ---- the convention itself ------------------------------------------------------------------


def _texts(count: int, max_length: int = 40) -> dict[str, Any]:
    return {
        "pattern": "".join(f"{{p{i}}}" for i in range(count)),
        "parts": {
            f"p{i}": {"kind": "text", "label": f"P{i}", "max_length": max_length}
            for i in range(count)
        },
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"pattern": "no parts", "parts": {}}, "names no parts"),
        ({"pattern": "{x}-{y}", "parts": {"x": {"kind": "text"}}}, "undefined parts: y"),
        ({"pattern": "{x}-{x}", "parts": {"x": {"kind": "text"}}}, "once"),
        ({"pattern": "{x}", "parts": {"x": {"kind": "choice"}}}, "without values"),
        (_texts(MAX_PARTS + 1), f"at most {MAX_PARTS} parts"),
    ],
)
def test_bad_conventions_are_refused(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as refused:
        NamingConvention.from_settings(raw)
    assert message in refused.value.args[0].render("en")


# ---- linear time: the worst conventions and names we can build ------------------------------

_CHOICES = [*("a" * k for k in range(1, 41)), *("a" * 39 + f"b{k}" for k in range(10))]
WORST = {
    # 8 adjacent text parts: the case that took seconds with a backtracking regex.
    "adjacent texts": _texts(MAX_PARTS, max_length=200),
    "adjacent texts, short limits": _texts(MAX_PARTS, max_length=25),
    # 8 choices of 50 values each a prefix of the next: every position starts many values.
    "adjacent choices": {
        "pattern": "".join(f"{{c{i}}}" for i in range(MAX_PARTS)),
        "parts": {
            f"c{i}": {"kind": "choice", "label": f"C{i}", "values": _CHOICES}
            for i in range(MAX_PARTS)
        },
    },
    "texts between separators": {
        "pattern": "-".join(f"{{p{i}}}" for i in range(MAX_PARTS)),
        "parts": {f"p{i}": {"kind": "text", "label": f"P{i}"} for i in range(MAX_PARTS)},
    },
}
WORST_NAMES = {
    "all the same": "a" * 200,
    "breaks at the end": "a" * 199 + "-",
    "breaks at the start": "-" + "a" * 199,
    "a forbidden last character": "a" * 199 + "{",
    "almost a choice": "a" * 199 + "b",
    "separators everywhere": "a-" * 100,
    "spaces": " a" * 100,
}


@pytest.mark.parametrize("kind", WORST)
@pytest.mark.parametrize("name", WORST_NAMES)
def test_the_worst_case_checks_in_under_20_ms(kind: str, name: str) -> None:
    worst = NamingConvention.from_settings(WORST[kind])
    text = WORST_NAMES[name]
    assert len(text) == 200
    check_name(worst, text, Q4_2026)  # warm up
    best = float("inf")
    for _ in range(3):  # the best of three: a busy CI machine can pause any one run
        started = time.perf_counter()
        check_name(worst, text, Q4_2026)
        best = min(best, time.perf_counter() - started)
    assert best < 0.020, f"{kind} / {name}: {best * 1000:.1f} ms"


# ---- the matcher agrees with a (backtracking) regular expression on small inputs -------------


def _reference(c: NamingConvention) -> re.Pattern[str]:
    """What the matcher decides, as a regular expression (fine on tiny names in a test)."""
    out, pos = "", 0
    for m in re.finditer(r"\{([a-z_][a-z0-9_]*)\}", c.pattern):
        out += re.escape(c.pattern[pos : m.start()])
        rule = c.parts[m.group(1)]
        if rule.kind == "period":
            out += r"(?:\d{4}(?:Q[1-4])?)"
        elif rule.kind == "choice":
            out += "(?:" + "|".join(re.escape(v) for v in rule.values) + ")"
        else:
            out += rf"(?:[^-{{}}\s][^-{{}}]{{0,{rule.max_length - 1}}})"
        pos = m.end()
    return re.compile(out + re.escape(c.pattern[pos:]))


_part_rules = st.sampled_from(
    [
        {"kind": "period", "label": "期间"},
        {"kind": "choice", "label": "线", "values": ["品牌", "品", "a-", "2026"]},
        {"kind": "text", "label": "名", "max_length": 3},
        {"kind": "text", "label": "长", "max_length": 40},
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    rules=st.lists(_part_rules, min_size=1, max_size=4),
    separators=st.lists(st.sampled_from(["", "-", "_", "Q"]), min_size=5, max_size=5),
    name=st.text(alphabet="20Q4-_品牌a {", max_size=14),
)
def test_the_matcher_fits_exactly_the_names_the_reference_does(
    rules: list[dict[str, Any]], separators: list[str], name: str
) -> None:
    pattern = separators[0] + "".join(f"{{p{i}}}{separators[i + 1]}" for i in range(len(rules)))
    c = NamingConvention.from_settings(
        {"pattern": pattern, "parts": {f"p{i}": rule for i, rule in enumerate(rules)}}
    )
    result = check_name(c, name)
    expected = _reference(c).fullmatch(name.strip()) is not None
    assert result.ok == expected, (pattern, name, result.issues)
    if result.ok:
        # The parts found put back together are the name.
        rebuilt = pattern
        for key, value in result.parts.items():
            rebuilt = rebuilt.replace("{" + key + "}", value)
        assert rebuilt == name.strip()
    else:
        assert result.issues
