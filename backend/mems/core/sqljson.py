"""Rows as JSON inside one SQL statement, on both databases: what lets a page read a parent
and its children in one round trip (the children as a JSON array beside the parent's row)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ColumnElement, ScalarSelect, String, literal_column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class JsonObject(FunctionElement[Any]):
    """`json_build_object(k, v, …)` on PostgreSQL, `json_object(k, v, …)` on SQLite."""

    inherit_cache = True
    name = "json_object"


@compiles(JsonObject, "postgresql")
def _json_object_pg(element: JsonObject, compiler: Any, **kw: Any) -> str:
    return f"json_build_object({compiler.process(element.clauses, **kw)})"


@compiles(JsonObject)
def _json_object(element: JsonObject, compiler: Any, **kw: Any) -> str:
    return f"json_object({compiler.process(element.clauses, **kw)})"


class JsonArray(FunctionElement[Any]):
    """The aggregate of the rows' values as a JSON array, `[]` when there are none."""

    inherit_cache = True
    name = "json_array"
    type = JSON()


@compiles(JsonArray, "postgresql")
def _json_array_pg(element: JsonArray, compiler: Any, **kw: Any) -> str:
    return f"coalesce(json_agg({compiler.process(element.clauses, **kw)}), '[]'::json)"


@compiles(JsonArray)
def _json_array(element: JsonArray, compiler: Any, **kw: Any) -> str:
    return f"coalesce(json_group_array({compiler.process(element.clauses, **kw)}), '[]')"


class UuidText(FunctionElement[str]):
    """A UUID column as its canonical text (`8-4-4-4-12` hex digits, lower case): a read
    whose ids go straight out as JSON gets them as strings from the driver, with no Python
    call per value. PostgreSQL casts; SQLite stores the 32 hex digits, dashed here."""

    inherit_cache = True
    name = "uuid_text"
    type = String()


@compiles(UuidText, "postgresql")
def _uuid_text_pg(element: UuidText, compiler: Any, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS TEXT)"


@compiles(UuidText)
def _uuid_text(element: UuidText, compiler: Any, **kw: Any) -> str:
    x = compiler.process(element.clauses, **kw)
    parts = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
    return "lower(" + " || '-' || ".join(f"substr({x}, {a}, {n})" for a, n in parts) + ")"


def uuid_text(column: Any) -> UuidText:
    return UuidText(column)


def json_object(fields: dict[str, Any]) -> JsonObject:
    pairs: list[Any] = []
    for key, column in fields.items():
        pairs += [literal_column(f"'{key}'"), column]
    return JsonObject(*pairs)


def rows_as_json(fields: dict[str, Any], *where: ColumnElement[bool]) -> ScalarSelect[Any]:
    """A correlated subquery: the rows matching `where` as a JSON array of objects, in any
    dialect (ids and dates come back as text; the service turns them back into values)."""
    return select(JsonArray(json_object(fields))).where(*where).scalar_subquery()
