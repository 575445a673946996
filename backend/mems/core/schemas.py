"""Base classes for API schemas: inputs refuse unknown fields, outputs read from ORM objects."""

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator


class InputModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class UpdateModel(InputModel):
    """PATCH bodies: an omitted field stays as it is; null is refused unless in `__nullable__`."""

    __nullable__: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.__nullable__:
            raise ValueError("must not be null; omit the field to leave it unchanged")
        return value


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)
