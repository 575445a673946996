"""The one helper every tenant query starts from.

Another organisation's object is simply not found: callers turn `None` into a 404, so a
foreign id and a missing id are indistinguishable.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import Select, select

from mems.core.models import OrgScopedMixin

T = TypeVar("T", bound=OrgScopedMixin)


def scoped(model: type[T], org_id: uuid.UUID, *extra: Any) -> Select[T]:
    return select(model).where(model.org_id == org_id, *extra)
