"""The one helper every tenant query starts from.

Another organisation's object is simply not found: callers turn `None` into a 404, so a
foreign id and a missing id are indistinguishable.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, select

from mems.core.models import OrgScopedMixin

T = TypeVar("T", bound=OrgScopedMixin)


def scoped(model: type[T], org_id: uuid.UUID, *extra: Any) -> Select[T]:
    return select(model).where(model.org_id == org_id, *extra)


def scoped_template(model: type[OrgScopedMixin], *columns: Any) -> Select[Any]:
    """A statement built once for a hot path; the caller binds `org_id` when executing it.

    Building SQL is a real share of a fast request's cost; a module-level template with bound
    parameters is compiled once and cached by SQLAlchemy.
    """
    return select(*columns).where(model.org_id == bindparam("org_id"))
