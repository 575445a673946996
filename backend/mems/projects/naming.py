"""Project naming conventions: an organisation's pattern of named parts, checked as you type.

A convention is a pattern such as `{period}-{brand_line}-{campaign}` plus a rule per part:
- `period`: a year or a quarter, `2026` or `2026Q4`; in a project's context it must overlap
  the project's period (or, without one, its dates): `2027Q1-…` is refused for a 2026Q4 project;
- `choice`: one of a fixed list (e.g. 品牌, 电商, 新品);
- `text`: free text without `-`, `{` or `}` that does not start with a space, with a length limit.

`check_name` tells whether a name fits and, if not, which part is at fault, what it holds and
what it may hold (the values of a choice, the periods that fit the project), so the answer
guides the person typing.

Matching never backtracks and builds no regular expression from what an admin typed: it is a
dynamic programme over (pattern element, position in the name), so its cost is linear in the
name's length whatever the convention (at most `MAX_PARTS` parts, a bounded pattern).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from mems.core.i18n import Message, _

PartKind = Literal["period", "choice", "text"]
IssueType = Literal[
    "empty", "form", "period", "choice", "text", "too_long", "period_mismatch", "duplicate"
]
MAX_PARTS = 8  # placeholders in a pattern, and parts defined
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")  # our own fixed syntax, not user input
TEXT_FORBIDDEN = frozenset("-{}")
_QUARTER_START = {1: (1, 1), 2: (4, 1), 3: (7, 1), 4: (10, 1)}
_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
_MAX_PERIOD_VALUES = 20
_END = ""  # marks the end of a value in a choice's trie (never a character of a name)


# ---- periods ---------------------------------------------------------------------------------


def period_span(code: str) -> tuple[date, date] | None:
    """The days a period code covers: `2026` → the year, `2026Q4` → October to December."""
    if len(code) == 4 and code.isascii() and code.isdigit():
        year = int(code)
        return (date(year, 1, 1), date(year, 12, 31)) if year >= 1 else None
    if len(code) == 6 and code[:4].isascii() and code[:4].isdigit() and code[4] == "Q":
        quarter = {"1": 1, "2": 2, "3": 3, "4": 4}.get(code[5])
        year = int(code[:4])
        if quarter is None or year < 1:
            return None
        return date(year, *_QUARTER_START[quarter]), date(year, *_QUARTER_END[quarter])
    return None


def period_values(starts_on: date, ends_on: date, preferred: str | None = None) -> list[str]:
    """The period codes that overlap these days, the best fit first: `preferred` (e.g. the
    strategy period's own name) when it is a code that overlaps, else the smallest year or
    quarter holding them all; then the quarters and years in order."""
    quarters = [
        f"{year}Q{q}"
        for year in range(starts_on.year, ends_on.year + 1)
        for q in range(1, 5)
        if date(year, *_QUARTER_START[q]) <= ends_on and starts_on <= date(year, *_QUARTER_END[q])
    ]
    years = [str(year) for year in range(starts_on.year, ends_on.year + 1)]
    codes = quarters + years
    best: list[str] = []
    if preferred in codes:
        best = [preferred]
    else:
        holding = [c for c in codes if _holds(c, starts_on, ends_on)]
        best = holding[:1]  # a quarter comes before its year
    return (best + [c for c in codes if c not in best])[:_MAX_PERIOD_VALUES]


def _holds(code: str, starts_on: date, ends_on: date) -> bool:
    span = period_span(code)
    return span is not None and span[0] <= starts_on and ends_on <= span[1]


def _overlaps(code: str, starts_on: date, ends_on: date) -> bool:
    span = period_span(code)
    return span is not None and span[0] <= ends_on and starts_on <= span[1]


@dataclass(frozen=True)
class NameContext:
    """What a name is checked against besides the convention: the project's period (its name
    and days) or, without one, the project's dates."""

    starts_on: date
    ends_on: date
    period_name: str | None = None

    @property
    def period_values(self) -> list[str]:
        return period_values(self.starts_on, self.ends_on, self.period_name)

    def fits(self, code: str) -> bool:
        """Whether a name's period (a year or quarter) overlaps the project's."""
        return _overlaps(code, self.starts_on, self.ends_on)


# ---- the convention --------------------------------------------------------------------------


@dataclass(frozen=True)
class PartRule:
    kind: PartKind
    label: str
    values: tuple[str, ...] = ()
    max_length: int = 40
    example: str = ""

    def sample(self) -> str:
        if self.example:
            return self.example
        return {
            "period": "2026Q4",
            "choice": self.values[0] if self.values else "",
            "text": "活动名",
        }[self.kind]


@dataclass(frozen=True)
class _Literal:
    text: str


@dataclass(frozen=True)
class _Part:
    name: str
    rule: PartRule
    trie: dict[str, Any] = field(default_factory=dict)  # a choice's values, char by char
    longest: int = 0  # the longest value's length


_Element = _Literal | _Part


@dataclass(frozen=True)
class NamingConvention:
    pattern: str
    parts: dict[str, PartRule] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, raw: dict[str, Any]) -> NamingConvention:
        parts = {
            name: PartRule(
                kind=rule["kind"],
                label=rule.get("label", name),
                values=tuple(rule.get("values", ())),
                max_length=int(rule.get("max_length", 40)),
                example=rule.get("example", ""),
            )
            for name, rule in raw.get("parts", {}).items()
        }
        convention = cls(raw["pattern"], parts)
        convention.validate()
        return convention

    def validate(self) -> None:
        """Raises ValueError with a user-facing `Message` as its argument."""
        names = _PLACEHOLDER.findall(self.pattern)
        if not names:
            raise ValueError(
                _("The pattern names no parts, e.g. {example}.", example="{period}-{campaign}")
            )
        missing = [n for n in names if n not in self.parts]
        if missing:
            raise ValueError(
                _("The pattern uses undefined parts: {parts}.", parts=", ".join(missing))
            )
        if len(set(names)) != len(names):
            raise ValueError(_("Each part may appear once in the pattern."))
        if len(names) > MAX_PARTS or len(self.parts) > MAX_PARTS:
            raise ValueError(_("A convention has at most {limit} parts.", limit=MAX_PARTS))
        for name, rule in self.parts.items():
            if rule.kind == "choice" and not rule.values:
                raise ValueError(_("Part {part} is a choice without values.", part=name))

    @property
    def expected_form(self) -> str:
        return _PLACEHOLDER.sub(lambda m: "{" + self.parts[m.group(1)].label + "}", self.pattern)

    @property
    def example(self) -> str:
        return _PLACEHOLDER.sub(lambda m: self.parts[m.group(1)].sample(), self.pattern)

    def part_names(self) -> list[str]:
        return _PLACEHOLDER.findall(self.pattern)

    def elements(self) -> list[_Element]:
        out: list[_Element] = []
        pos = 0
        for m in _PLACEHOLDER.finditer(self.pattern):
            if m.start() > pos:
                out.append(_Literal(self.pattern[pos : m.start()]))
            rule = self.parts[m.group(1)]
            trie: dict[str, Any] = {}
            for value in rule.values:
                node = trie
                for ch in value:
                    node = node.setdefault(ch, {})
                node[_END] = len(value)
            longest = max((len(v) for v in rule.values), default=0)
            out.append(_Part(m.group(1), rule, trie, longest))
            pos = m.end()
        if pos < len(self.pattern):
            out.append(_Literal(self.pattern[pos:]))
        return out


# ---- matching --------------------------------------------------------------------------------


def _is_period_at(name: str, i: int) -> list[int]:
    """The lengths of the period codes starting at `i`: 4 (a year), 6 (a quarter) or none."""
    if not (name[i : i + 4].isascii() and name[i : i + 4].isdigit() and len(name) >= i + 4):
        return []
    if name[i + 4 : i + 5] == "Q" and name[i + 5 : i + 6] in ("1", "2", "3", "4"):
        return [4, 6]
    return [4]


def _advance(
    element: _Element, name: str, here: bytearray, there: bytearray, limited: bool
) -> None:
    """Marks in `there` every position the element can end at, from a position in `here`
    (text parts no longer than their limit when `limited`). Each step is linear in the name's
    length (times the pattern's own size)."""
    n = len(name)
    if isinstance(element, _Literal):
        size = len(element.text)
        for i in range(n + 1):
            if here[i] and name.startswith(element.text, i):
                there[i + size] = 1
        return
    kind = element.rule.kind
    if kind == "period":
        for i in range(n):
            if here[i]:
                for size in _is_period_at(name, i):
                    there[i + size] = 1
    elif kind == "choice":  # walk the values' trie: at most the longest value's length
        trie = element.trie
        for i in range(n):
            if here[i]:
                node = trie
                for ch in name[i : i + element.longest]:
                    node = node.get(ch)  # type: ignore[assignment]
                    if node is None:
                        break
                    i += 1
                    if _END in node:
                        there[i] = 1
    else:  # text: one run of allowed characters, started where `here` allows
        longest = element.rule.max_length if limited else n
        latest = -1  # the latest start in the current run: the shortest text ending here
        for p in range(n):
            ch = name[p]
            if ch in TEXT_FORBIDDEN:
                latest = -1
                continue
            if here[p] and not ch.isspace():
                latest = p
            if latest >= 0 and p + 1 - latest <= longest:
                there[p + 1] = 1


def _starts(element: _Element, name: str, before: bytearray, end: int, limited: bool) -> int:
    """The latest start in `before` from which the element covers name[start:end] (the
    earlier parts take as much as they can, as a greedy regular expression would)."""
    if isinstance(element, _Literal):
        start = end - len(element.text)
        ok = start >= 0 and before[start] and name.startswith(element.text, start)
        return start if ok else -1
    kind = element.rule.kind
    if kind == "period":
        for size in (4, 6):
            start = end - size
            if start >= 0 and before[start] and size in _is_period_at(name, start):
                return start
        return -1
    if kind == "choice":
        best = -1
        for value in element.rule.values:
            start = end - len(value)
            if value and start >= 0 and before[start] and name.startswith(value, start):
                best = max(best, start)
        return best
    lowest = end - element.rule.max_length if limited else 0
    start = end - 1
    while start >= max(lowest, 0) and name[start] not in TEXT_FORBIDDEN:
        if before[start] and not name[start].isspace():
            return start
        start -= 1
    return -1


@dataclass(frozen=True)
class NameIssue:
    """One thing wrong with a name: which part (if one is at fault), what it holds, what it
    may hold, and a message in the reader's language."""

    type: IssueType
    message: Message
    part: str | None = None
    label: str | None = None
    value: str | None = None
    allowed_values: tuple[str, ...] = ()
    max_length: int | None = None


@dataclass(frozen=True)
class NameCheck:
    ok: bool
    expected_form: str
    example: str
    parts: dict[str, str]
    issues: list[NameIssue]
    period_values: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[Message]:
        return [issue.message for issue in self.issues]

    def with_issue(self, issue: NameIssue) -> NameCheck:
        return NameCheck(
            False,
            self.expected_form,
            self.example,
            self.parts,
            [*self.issues, issue],
            self.period_values,
        )


def _join(values: Sequence[str]) -> str:
    return " / ".join(values)


def _part_issue(part: _Part, value: str, context: NameContext | None) -> NameIssue:
    """What is wrong with `value` in this part (it did not fit where it stands)."""
    rule, label = part.rule, part.rule.label
    if rule.kind == "choice":
        allowed = rule.values
    elif rule.kind == "period" and context is not None:
        allowed = tuple(context.period_values)
    else:
        allowed = ()
    common = {"part": part.name, "label": label, "value": value, "allowed_values": allowed}
    if not value:
        if allowed:
            message = _(
                "{label} is missing; choose one of {allowed}.", label=label, allowed=_join(allowed)
            )
        else:
            message = _("{label} is missing.", label=label)
        return NameIssue(type=rule.kind, message=message, **common)  # type: ignore[arg-type]
    if rule.kind == "choice":
        message = _(
            "{label} must be one of {allowed}, not “{value}”.",
            label=label,
            allowed=_join(allowed),
            value=value,
        )
    elif rule.kind == "period":
        message = _(
            "{label} must be a year or a quarter such as 2026 or 2026Q4, not “{value}”.",
            label=label,
            value=value,
        )
    else:
        message = _(
            "{label} must not contain {forbidden} nor start with a space: “{value}”.",
            label=label,
            forbidden="“-”, “{”, “}”",
            value=value,
        )
    return NameIssue(type=rule.kind, message=message, **common)  # type: ignore[arg-type]


def _value_until(name: str, start: int, following: _Element | None) -> str:
    """The text a part holds from `start`: up to the next separator the pattern expects."""
    if isinstance(following, _Literal):
        stop = name.find(following.text, start)
        return name[start:] if stop < 0 else name[start:stop]
    return name[start:]


def _diagnose(
    convention: NamingConvention,
    elements: list[_Element],
    name: str,
    reach: list[bytearray],
    context: NameContext | None,
) -> NameIssue:
    """Why no way through the pattern consumes the whole name: the part at fault, found where
    matching got furthest."""
    form = {"form": convention.expected_form, "example": convention.example}
    furthest = max(k for k, row in enumerate(reach) if any(row))
    starts = [i for i, hit in enumerate(reach[furthest]) if hit]
    at = starts[-1]
    if furthest < len(elements):
        element = elements[furthest]
        following = elements[furthest + 1] if furthest + 1 < len(elements) else None
        if isinstance(element, _Part):
            return _part_issue(element, _value_until(name, at, following), context)
        # A separator is missing: the part before it most likely ran on (e.g. 2026Q5, 品牌部).
        if furthest > 0 and isinstance(elements[furthest - 1], _Part):
            part = elements[furthest - 1]
            assert isinstance(part, _Part)
            prev_start = max(i for i, hit in enumerate(reach[furthest - 1]) if hit)
            value = _value_until(name, prev_start, element)
            if name.find(element.text, prev_start) >= 0:
                return _part_issue(part, value, context)
        return NameIssue(
            type="form",
            message=_(
                "The name must follow {form}, e.g. {example}: “{separator}” is missing.",
                separator=element.text,
                **form,
            ),
        )
    # Every element matched but something is left over at the end.
    last = elements[-1]
    if isinstance(last, _Part):
        start = max(i for i, hit in enumerate(reach[-2]) if hit)
        return _part_issue(last, name[start:], context)
    return NameIssue(
        type="form",
        message=_("The name must follow {form}, e.g. {example}.", **form),
    )


def _match(
    elements: list[_Element], name: str, limited: bool
) -> tuple[list[bytearray], dict[str, str] | None]:
    """Which positions each element can end at, and the parts of one way through the whole
    name (None when there is none)."""
    n = len(name)
    reach = [bytearray(n + 1) for _ in range(len(elements) + 1)]
    reach[0][0] = 1
    for k, element in enumerate(elements):
        _advance(element, name, reach[k], reach[k + 1], limited)
    if not reach[-1][n]:
        return reach, None
    parts: dict[str, str] = {}
    end = n
    for k in range(len(elements) - 1, -1, -1):
        start = _starts(elements[k], name, reach[k], end, limited)
        assert start >= 0, "a reachable end has a start"
        element = elements[k]
        if isinstance(element, _Part):
            parts[element.name] = name[start:end]
        end = start
    return reach, dict(reversed(parts.items()))


def check_name(
    convention: NamingConvention | None, name: str, context: NameContext | None = None
) -> NameCheck:
    """Whether `name` fits the convention (no convention: any non-empty name fits) and, in a
    project's context, its period."""
    name = name.strip()
    values = context.period_values if context is not None else []
    if convention is None:
        if name:
            return NameCheck(True, "", "", {}, [], values)
        issue = NameIssue(type="empty", message=_("The name is empty."))
        return NameCheck(False, "", "", {}, [issue], values)
    form, example = convention.expected_form, convention.example
    elements = convention.elements()
    _reach, parts = _match(elements, name, limited=True)
    if parts is None:
        # Without the length limits, does it fit? Then a text part is too long; else the
        # part at fault is found where matching got furthest.
        has_text = any(rule.kind == "text" for rule in convention.parts.values())
        reach, parts = _match(elements, name, limited=False) if has_text else (_reach, None)
        if parts is None:
            issue = _diagnose(convention, elements, name, reach, context)
            return NameCheck(False, form, example, {}, [issue], values)
    issues: list[NameIssue] = []
    for part, value in parts.items():
        rule = convention.parts[part]
        if rule.kind == "text" and len(value) > rule.max_length:
            issues.append(
                NameIssue(
                    type="too_long",
                    message=_(
                        "{label} is longer than {limit} characters.",
                        label=rule.label,
                        limit=rule.max_length,
                    ),
                    part=part,
                    label=rule.label,
                    value=value,
                    max_length=rule.max_length,
                )
            )
        if rule.kind == "period" and context is not None and not context.fits(value):
            issues.append(_period_mismatch(part, rule, value, context))
    return NameCheck(not issues, form, example, parts, issues, values)


def _period_mismatch(part: str, rule: PartRule, value: str, context: NameContext) -> NameIssue:
    allowed = tuple(context.period_values)
    if context.period_name is not None:
        message = _(
            "{label} “{value}” does not match the project's period {period}; use {allowed}.",
            label=rule.label,
            value=value,
            period=context.period_name,
            allowed=_join(allowed),
        )
    else:
        message = _(
            "{label} “{value}” does not match the project's dates {starts_on} – {ends_on}; "
            "use {allowed}.",
            label=rule.label,
            value=value,
            starts_on=context.starts_on.isoformat(),
            ends_on=context.ends_on.isoformat(),
            allowed=_join(allowed),
        )
    return NameIssue(
        type="period_mismatch",
        message=message,
        part=part,
        label=rule.label,
        value=value,
        allowed_values=allowed,
    )


DEFAULT_CONVENTION = {
    "pattern": "{period}-{brand_line}-{campaign}",
    "parts": {
        "period": {"kind": "period", "label": "期间", "example": "2026Q4"},
        "brand_line": {
            "kind": "choice",
            "label": "品牌线",
            "values": ["品牌", "电商", "新品", "渠道", "私域"],
        },
        "campaign": {"kind": "text", "label": "活动名", "max_length": 30, "example": "双十一大促"},
    },
}
