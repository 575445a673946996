"""Server messages in the user's language.

A message a user can see is written once, in English, as a template: `_("{email} is already a
member.", email=email)`. It stays a `Message` (template + parameters) until the response is
built, when it is rendered in the request's language: `Accept-Language` picks zh-CN (the
default) or en. The Chinese text of every template lives in `mems/locales/zh-CN.json`, keyed by
the English template; `tests/core/test_i18n.py` finds every `_("...")` in the code and fails
when one has no translation or when the placeholders differ.

    raise Conflict(_("Team {name} already exists.", name=name))
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

Locale = Literal["zh-CN", "en"]
DEFAULT_LOCALE: Locale = "zh-CN"
LOCALES: tuple[Locale, ...] = ("zh-CN", "en")
_LOCALE_DIR = Path(__file__).resolve().parent.parent / "locales"


@lru_cache
def catalogue(locale: Locale) -> dict[str, str]:
    """English template -> template in `locale` (English needs none)."""
    if locale == "en":
        return {}
    with (_LOCALE_DIR / f"{locale}.json").open(encoding="utf-8") as f:
        data: dict[str, str] = json.load(f)
    return data


class Message:
    """A user-facing text, rendered in the reader's language when it is sent."""

    __slots__ = ("params", "template")

    def __init__(self, template: str, params: dict[str, Any]) -> None:
        self.template = template
        self.params = params

    def render(self, locale: Locale = DEFAULT_LOCALE) -> str:
        text = catalogue(locale).get(self.template, self.template)
        if not self.params:
            return text
        return text.format(**{k: _param(v, locale) for k, v in self.params.items()})

    def __str__(self) -> str:  # logs and exceptions' str() are English
        return self.render("en")

    def __repr__(self) -> str:
        return f"Message({self.template!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Message)
            and other.template == self.template
            and other.params == self.params
        )

    def __hash__(self) -> int:
        return hash(self.template)


class Term(Message):
    """A word of the product's vocabulary (a status, an action, a role, a source) inside a
    message: English shows the value itself, other languages its `term:<value>` entry."""

    __slots__ = ("key",)

    def __init__(self, value: str, kind: str = "") -> None:
        super().__init__(value, {})
        self.key = f"term:{kind}:{value}" if kind else f"term:{value}"

    def render(self, locale: Locale = DEFAULT_LOCALE) -> str:
        if locale == "en":
            return self.template
        return catalogue(locale).get(self.key, self.template)


def term(value: str, kind: str = "") -> Term:
    """`kind` tells apart words spelled alike in English (a request's `approved` is 通过, a
    project's 已立项): its entries are `term:<kind>:<value>`."""
    return Term(value, kind)


def terms(values: list[str]) -> Message:
    """A list of vocabulary words, joined in the reader's language."""
    return _("{items}", items=_Joined([Term(v) for v in values]))


class _Joined:
    def __init__(self, items: list[Term]) -> None:
        self.items = items


def _param(value: Any, locale: Locale) -> Any:
    if isinstance(value, _Joined):
        separator = ", " if locale == "en" else "、"
        return separator.join(t.render(locale) for t in value.items) or "—"
    return value.render(locale) if isinstance(value, Message) else value


def _(template: str, /, **params: Any) -> Message:
    """Mark `template` (English, `str.format` placeholders) as a user-facing message."""
    return Message(template, params)


Text = str | Message


def render(text: Text | None, locale: Locale) -> str | None:
    if text is None:
        return None
    if isinstance(text, str):  # a fixed text: translated when the catalogue has it
        return catalogue(locale).get(text, text)
    return text.render(locale)


def negotiate(accept_language: str | None) -> Locale:
    """The response language for an `Accept-Language` header: en when the reader's most
    preferred known language is English, otherwise zh-CN (the default, also when absent)."""
    if not accept_language:
        return DEFAULT_LOCALE
    best: tuple[float, int, Locale] | None = None
    for position, part in enumerate(accept_language.split(",")):
        tag, _sep, rest = part.strip().partition(";")
        quality = 1.0
        if rest.strip().startswith("q="):
            try:
                quality = float(rest.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        locale: Locale | None = "en" if primary == "en" else "zh-CN" if primary == "zh" else None
        if locale is None or quality <= 0:
            continue
        key = (quality, -position, locale)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else DEFAULT_LOCALE
