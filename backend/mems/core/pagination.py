"""One pagination envelope for every list endpoint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    bindparam,
    func,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class PageParams(BaseModel):
    limit: int
    offset: int


async def _page_params(
    limit: Annotated[int, Query(ge=1, le=200, description="Page size")] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1, description="Items to skip")] = 0,
) -> PageParams:
    # async: FastAPI runs a plain function dependency in a worker thread, for every list.
    return PageParams(limit=limit, offset=offset)


PageParamsDep = Annotated[PageParams, Depends(_page_params)]


async def paginate(
    session: AsyncSession, stmt: Select[Any], params: PageParams
) -> tuple[list[Any], int]:
    """Run `stmt` for one page and count all its rows (repositories call this)."""
    total = await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = (await session.scalars(stmt.limit(params.limit).offset(params.offset))).all()
    return list(rows), int(total or 0)


def counted_page(
    base: Select[*tuple[Any, ...]], *order: SQLColumnExpression[Any]
) -> Select[*tuple[Any, ...]]:
    """One statement for a page of `base` and the count of all its rows, for reads compiled
    once (`mems.core.db.ReadStatement`): `base`'s columns for the rows `:limit` and `:offset`
    pick in `order` (columns of `base`, or their `.desc()`), each beside `total`. The count
    and the page are subqueries with a plan each (the page can walk an index and stop); a page
    past the end is one row with the total and nulls (`page_of` reads either)."""
    everything = select(func.count().label("total")).select_from(base.order_by(None).subquery())
    counted = everything.subquery("counted")
    page = base.order_by(*order).limit(bindparam("limit")).offset(bindparam("offset"))
    rows = page.subquery("page")

    def outer(clause: SQLColumnExpression[Any]) -> ColumnElement[Any]:
        if isinstance(clause, UnaryExpression) and clause.modifier is operators.desc_op:
            return rows.c[_key(base, clause.element)].desc()
        return rows.c[_key(base, clause)]

    return (
        select(counted.c.total, *rows.c)
        .select_from(counted.outerjoin(rows, true()))
        .order_by(*(outer(clause) for clause in order))
    )


def _key(base: Select[*tuple[Any, ...]], column: Any) -> str:
    column = column.__clause_element__() if hasattr(column, "__clause_element__") else column
    for key, selected in base.selected_columns.items():
        if selected.compare(column):
            return key
    raise ValueError(f"counted_page orders by {column!r}, which the statement does not select")


def page_of(
    rows: list[dict[str, Any]],
    params: PageParams,
    item: Callable[[dict[str, Any]], Any],
    *,
    key: str = "id",
) -> dict[str, Any]:
    """The page envelope (as `Page` serialises it) from `counted_page`'s rows; `item` makes
    each row (`key` is null only in the row of an empty page) into an item."""
    return {
        "items": [item(row) for row in rows if row[key] is not None],
        "total": rows[0]["total"] if rows else 0,
        "limit": params.limit,
        "offset": params.offset,
    }
