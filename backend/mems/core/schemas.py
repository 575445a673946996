"""Base classes for API schemas: inputs refuse unknown fields, outputs read from ORM objects.

Every input model also refuses, once for all fields:
- a NUL character in any string (PostgreSQL cannot store it in text; `value_not_nul`);
- a number where a date or time is expected (JSON has no date type; dates are ISO strings only,
  never a count of seconds or days; `date_type`).
"""

import datetime as dt
import types
from typing import Any, ClassVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError


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


class InputModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_numbers_as_dates(cls, value: Any, info: ValidationInfo) -> Any:
        if (
            isinstance(value, int | float)
            and info.field_name is not None
            and _mentions_date(cls.model_fields[info.field_name].annotation)
        ):
            raise PydanticCustomError(
                "date_type", "Input should be an ISO 8601 date string such as 2026-11-30"
            )
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        if has_nul(value):
            raise PydanticCustomError("value_not_nul", "must not contain NUL characters")
        return value


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
