"""Project naming conventions: an organisation's pattern of named parts, checked as you type.

A convention is a pattern such as `{period}-{brand_line}-{campaign}` plus a rule per part:
- `period`: a year or a quarter, `2026` or `2026Q4`;
- `choice`: one of a fixed list (e.g. 品牌, 电商, 新品);
- `text`: free text without the separator, with a length limit.
`check_name` tells whether a name fits and, if not, what the expected form is, with an
example, so the 422 the API returns says how to fix it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

PartKind = Literal["period", "choice", "text"]
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


@dataclass(frozen=True)
class PartRule:
    kind: PartKind
    label: str
    values: tuple[str, ...] = ()
    max_length: int = 40
    example: str = ""

    def regex(self) -> str:
        if self.kind == "period":
            return r"\d{4}(?:Q[1-4])?"
        if self.kind == "choice":
            return "|".join(re.escape(v) for v in sorted(self.values, key=len, reverse=True))
        return r"[^-{}\s][^-{}]*"


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
        names = _PLACEHOLDER.findall(self.pattern)
        if not names:
            raise ValueError("the pattern names no parts, e.g. {period}-{campaign}")
        missing = [n for n in names if n not in self.parts]
        if missing:
            raise ValueError(f"the pattern uses undefined parts: {', '.join(missing)}")
        if len(set(names)) != len(names):
            raise ValueError("each part may appear once in the pattern")
        for name, rule in self.parts.items():
            if rule.kind == "choice" and not rule.values:
                raise ValueError(f"part {name!r} is a choice without values")

    @property
    def expected_form(self) -> str:
        return _PLACEHOLDER.sub(lambda m: "{" + self.parts[m.group(1)].label + "}", self.pattern)

    @property
    def example(self) -> str:
        def sample(m: re.Match[str]) -> str:
            rule = self.parts[m.group(1)]
            if rule.example:
                return rule.example
            return {
                "period": "2026Q4",
                "choice": rule.values[0] if rule.values else "",
                "text": "活动名",
            }[rule.kind]

        return _PLACEHOLDER.sub(sample, self.pattern)

    def _compiled(self) -> re.Pattern[str]:
        out, pos = "", 0
        for m in _PLACEHOLDER.finditer(self.pattern):
            out += re.escape(self.pattern[pos : m.start()])
            out += f"(?P<{m.group(1)}>{self.parts[m.group(1)].regex()})"
            pos = m.end()
        return re.compile(out + re.escape(self.pattern[pos:]))


@dataclass(frozen=True)
class NameCheck:
    ok: bool
    expected_form: str
    example: str
    parts: dict[str, str]
    problems: list[str]


def check_name(convention: NamingConvention | None, name: str) -> NameCheck:
    """Whether `name` fits the convention (no convention: any non-empty name fits)."""
    name = name.strip()
    if convention is None:
        ok = bool(name)
        return NameCheck(ok, "", "", {}, [] if ok else ["the name is empty"])
    match = convention._compiled().fullmatch(name)
    problems: list[str] = []
    parts: dict[str, str] = {}
    if match is None:
        problems.append(f"expected {convention.expected_form}, e.g. {convention.example}")
    else:
        parts = {k: v for k, v in match.groupdict().items() if v is not None}
        for part, value in parts.items():
            rule = convention.parts[part]
            if rule.kind == "text" and len(value) > rule.max_length:
                problems.append(f"{rule.label} is longer than {rule.max_length} characters")
    return NameCheck(not problems, convention.expected_form, convention.example, parts, problems)


DEFAULT_CONVENTION = {
    "pattern": "{period}-{brand_line}-{campaign}",
    "parts": {
        "period": {"kind": "period", "label": "期间", "example": "2026Q4"},
        "brand_line": {
            "kind": "choice",
            "label": "品牌线",
            "values": ["品牌", "电商", "新品", "渠道"],
        },
        "campaign": {"kind": "text", "label": "活动名", "max_length": 30, "example": "双十一大促"},
    },
}
