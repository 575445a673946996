"""Base classes for API schemas: inputs refuse unknown fields, outputs read from ORM objects.

Every input model also refuses, once for all fields:
- a NUL character in any string (PostgreSQL cannot store it in text; `value_not_nul`);
- a number where a date or time is expected (JSON has no date type; dates are ISO strings only,
  never a count of seconds or days; `date_type`).
"""

import datetime as dt
import re
import types
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, ClassVar, TypeVar, Union, get_args, get_origin

from fastapi.exceptions import RequestValidationError
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

T = TypeVar("T")


def has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set | frozenset):
        return any(has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    return False


def _mentions_date(annotation: Any) -> bool:
    if annotation in (dt.date, dt.datetime, dt.time):
        return True
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        return any(_mentions_date(a) for a in get_args(annotation))
    if origin is not None and getattr(origin, "__name__", "") == "Annotated":
        return _mentions_date(get_args(annotation)[0])
    return False


KEEP_WHITESPACE = "x-keep-whitespace"  # schema mark of strings not stripped (passwords)


# Patterns the document gives strings, saying what the server refuses: NUL characters
# everywhere, and blanks where a stripped string needs a minimum length.
NO_NUL = r"^[^\u0000]*$"
NOT_BLANK = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"


def _describe_strings(schema: dict[str, Any]) -> None:
    for prop in schema.get("properties", {}).values():
        for option in prop.get("anyOf", [prop]):
            if option.get("type") == "object" and "additionalProperties" in option:
                option.setdefault("propertyNames", {"pattern": NO_NUL})
            for target in (option, option.get("items") or {}):
                kept = target.pop(KEEP_WHITESPACE, False)
                if target.get("type") != "string" or target.get("pattern", NO_NUL) != NO_NUL:
                    continue
                if "format" in target or "enum" in target:
                    continue
                stripped_min = target.get("minLength", 0) >= 1 and not kept
                target["pattern"] = NOT_BLANK if stripped_min else NO_NUL


def refuse_nul(value: Any) -> Any:
    if has_nul(value):
        raise PydanticCustomError("value_not_nul", "must not contain NUL characters")
    return value


def refuse_number_for_date(value: Any) -> Any:
    if isinstance(value, int | float):
        raise PydanticCustomError(
            "date_type", "Input should be an ISO 8601 date string such as 2026-11-30"
        )
    return value


# Strings without NUL as a pattern pydantic-core checks itself (a linear-time regex, no Python
# call per value), for models validated by the thousand; a mismatch is reported as
# `value_not_nul` like the validator's (`nul_as_its_own_error`).
NUL_FREE = StringConstraints(pattern=NO_NUL)


def nul_as_its_own_error(error: Any) -> Any:
    """A pattern refusing a string because of a NUL in it, reported as `value_not_nul`."""
    if (
        error.get("type") == "string_pattern_mismatch"
        and isinstance(error.get("input"), str)
        and "\x00" in error["input"]
    ):
        return {**error, "type": "value_not_nul", "msg": "must not contain NUL characters"}
    return error


class _JsonDay:
    """A day as JSON sends it, an ISO string only, checked by pydantic-core without a Python
    call (its strict mode); from Python (a spreadsheet's cells), what `IsoDay`-like fields
    take, numbers refused."""

    def __get_pydantic_core_schema__(self, _source: Any, _handler: Any) -> CoreSchema:
        return core_schema.json_or_python_schema(
            json_schema=core_schema.date_schema(strict=True),
            python_schema=core_schema.no_info_before_validator_function(
                refuse_number_for_date, core_schema.date_schema()
            ),
        )

    def __get_pydantic_json_schema__(self, _schema: Any, _handler: Any) -> dict[str, Any]:
        return {"type": "string", "format": "date"}


# A record's day in bodies validated by the thousand (`validated_json`).
JsonDay = Annotated[dt.date, _JsonDay()]


class InputModel(BaseModel):
    """The checks above run on every field (a model sent by the thousand may override
    `_refuse_numbers_as_dates` and `_refuse_nul` to name only the fields that need them)."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra=_describe_strings
    )

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_numbers_as_dates(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is not None and _mentions_date(
            cls.model_fields[info.field_name].annotation
        ):
            return refuse_number_for_date(value)
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        return refuse_nul(value)


class UpdateModel(InputModel):
    """PATCH bodies: an omitted field stays as it is; null is refused unless in `__nullable__`."""

    __nullable__: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.__nullable__:
            raise PydanticCustomError(
                "null_not_allowed", "must not be null; omit the field to leave it unchanged"
            )
        return value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> Any:
        # Fields are optional (omit = unchanged) but null only where `__nullable__` says so:
        # the schema says the same, so clients and schemathesis are not told null is fine.
        schema = handler(core_schema)
        target = handler.resolve_ref_schema(schema)
        for name, prop in target.get("properties", {}).items():
            if name in cls.__nullable__ or "anyOf" not in prop:
                continue
            kept = [s for s in prop["anyOf"] if s.get("type") != "null"]
            if len(kept) == 1:
                del prop["anyOf"]
                prop.update(kept[0])
            else:
                prop["anyOf"] = kept
            if prop.get("default", ...) is None:
                del prop["default"]
        return schema


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _email(value: str) -> str:
    """Any address RFC 5322 allows (what OpenAPI's `format: email` promises), normalised the
    way email-validator does it; a domain need not exist or be deliverable."""
    from email_validator import EmailNotValidError, validate_email

    try:
        found = validate_email(
            value,
            check_deliverability=False,
            test_environment=True,  # .test, .example … are addresses too
            allow_quoted_local=True,
            allow_domain_literal=True,
            globally_deliverable=False,
        )
    except EmailNotValidError as exc:
        raise PydanticCustomError(
            "email_invalid", "not a valid e-mail address ({reason})", {"reason": str(exc)}
        ) from exc
    return str(found.normalized).lower()


Email = Annotated[
    str,
    StringConstraints(max_length=320),
    AfterValidator(_email),
    WithJsonSchema({"type": "string", "format": "email", "maxLength": 320}),
]


def _no_float(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)  # 5.0 is a whole number in JSON
    if isinstance(value, float):
        raise PydanticCustomError(
            "decimal_type",
            'Send a decimal as a string such as "1234.50" (or a whole number), not a JSON '
            "number with a fraction: binary fractions are not exact",
        )
    return value


@dataclass(frozen=True)
class DecimalIn:
    """A Decimal input (money, KPI values, weights), used as `Annotated[Decimal, DecimalIn(20,
    2, ge=0)]`: a string such as "1234.50" or a whole number, at most `max_digits` digits of
    which `places` after the point. The document says exactly that, so clients (and
    schemathesis) know what is accepted."""

    max_digits: int
    places: int
    ge: int | None = None
    positive: bool = False  # more than zero (an amount that must be something)

    def __get_pydantic_core_schema__(self, _source: Any, _handler: Any) -> CoreSchema:
        return core_schema.no_info_before_validator_function(
            _no_float,
            core_schema.decimal_schema(
                ge=Decimal(self.ge) if self.ge is not None else None,
                gt=Decimal(0) if self.positive else None,
                max_digits=self.max_digits,
                decimal_places=self.places,
                allow_inf_nan=False,
            ),
        )

    def __get_pydantic_json_schema__(self, _schema: Any, _handler: Any) -> dict[str, Any]:
        whole = self.max_digits - self.places
        sign = "" if self.ge is not None and self.ge >= 0 else "-?"
        # Whole numbers beyond 2**53 are not exact in JSON parsers (JavaScript's included):
        # larger values go as strings.
        largest = min(10**whole - 1, 2**53 - 1)
        lowest = self.ge if self.ge is not None else -largest
        integer = {"type": "integer", "minimum": lowest, "maximum": largest}
        pattern = rf"^{sign}\d{{1,{whole}}}(\.\d{{1,{self.places}}})?$"
        if self.positive:
            # No zero: a whole part that is not zero, or 0. with a non-zero digit in its
            # places (the k-th place the first such), as written without leading zeros.
            p = self.places
            fractions = "|".join(rf"0{{{k - 1}}}[1-9]\d{{0,{p - k}}}" for k in range(1, p + 1))
            pattern = rf"^([1-9]\d{{0,{whole - 1}}}(\.\d{{1,{p}}})?|0\.({fractions}))$"
            integer = {**integer, "minimum": max(lowest, 1)}
        return {"anyOf": [integer, {"type": "string", "pattern": pattern}]}


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> Any:
    """Days in paths and queries are ISO dates only: never a number of seconds or days."""
    if not isinstance(value, dt.date) and not (
        isinstance(value, str) and _ISO_DAY.fullmatch(value)
    ):
        raise PydanticCustomError(
            "date_type", "Input should be an ISO 8601 date string such as 2026-11-30"
        )
    return value


# A day given in a path or a query string (`2026-11-30`).
IsoDay = Annotated[dt.date, BeforeValidator(_iso_day)]


def _json_int(value: Any) -> Any:
    """A JSON number with no fraction (5 or 5.0, as JSON Schema's `integer` says); never a
    boolean nor a string, which lax validation would take for 1 or 0."""
    if isinstance(value, bool | str):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


# A counter sent back (a revision read before): a JSON integer only.
JsonInt = Annotated[int, BeforeValidator(_json_int)]


def validated_json(adapter: TypeAdapter[T], raw: bytes) -> T:
    """A request body parsed and checked in one pass by pydantic (no `json.loads` first), for
    bodies of thousands of items; refused exactly as FastAPI refuses a typed body (not JSON:
    400; invalid: 422 naming each field)."""
    try:
        return adapter.validate_json(raw)
    except ValidationError as exc:
        errors = [nul_as_its_own_error({**e, "loc": ("body", *e["loc"])}) for e in exc.errors()]
        raise RequestValidationError(errors) from exc


# Models of bodies an endpoint reads itself (`validated_json`): the OpenAPI document lists
# them among its schemas, as it would a typed body's.
HAND_READ_BODIES: list[type[BaseModel]] = []


def hand_read_body(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` for an endpoint that reads a `model` body with `validated_json`."""
    if model not in HAND_READ_BODIES:
        HAND_READ_BODIES.append(model)
    ref = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}
