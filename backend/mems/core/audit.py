"""The audit log: one row for every create, update and delete of an audited model.

Written by a flush hook, so no service can forget it: whatever a request or job changes on
an `AuditedMixin` model is recorded in the same transaction, with who did it (taken from
`session.info["actor"]`, set by the authentication dependency; jobs act as `Actor.system`)
and the values before and after. Secrets named in `__audit_exclude__` are never copied. Each
row also keeps the object's name as it was then (`entity_label`, so a deleted project is
still named) and the object it belongs to (`parent_type`/`parent_id`), read from the object
in memory: no query.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Index, String, delete, event, insert, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, UOWTransaction, mapped_column
from sqlalchemy.orm.base import NO_VALUE

from mems.core.clock import utcnow
from mems.core.models import AuditedMixin, Base, IdMixin, TenantScoped


@dataclass(frozen=True)
class Actor:
    """Who a session's changes are by: a person (set by the authentication dependency) or
    the system (`Actor.system`, what jobs run as)."""

    user_id: uuid.UUID | None
    org_id: uuid.UUID | None
    name: str | None = None
    request_id: str | None = None

    @classmethod
    def system(cls, job: str | None = None) -> Actor:
        """The system itself: no user, no organisation of its own (a job may work across
        organisations). Its audit rows have no user or name (the SPA shows 系统 / System)
        and, for a job, `request_id` "job:<name>" saying which job made them."""
        return cls(None, None, None, None if job is None else f"job:{job}"[:64])

    @property
    def is_system(self) -> bool:
        return self.user_id is None


SYSTEM = Actor.system()


class AuditLog(IdMixin, TenantScoped, Base):
    __tablename__ = "audit_logs"
    __table_args__ = (
        Index("ix_audit_logs_org_created", "org_id", "created_at"),
        # What happened to one object, and to what belongs to it (a project's activity feed).
        Index("ix_audit_logs_entity", "entity_type", "entity_id", "created_at"),
        Index("ix_audit_logs_parent", "parent_type", "parent_id", "created_at"),
    )

    org_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_user_id: Mapped[uuid.UUID | None]
    actor_name: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(16))
    entity_type: Mapped[str] = mapped_column(String(64), index=True)
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    request_id: Mapped[str | None] = mapped_column(String(64))
    entity_label: Mapped[str | None] = mapped_column(String(200))
    parent_type: Mapped[str | None] = mapped_column(String(64))
    parent_id: Mapped[str | None] = mapped_column(String(64))


def audited_types() -> dict[str, bool]:
    """Every audited entity type (table name) → whether it is internal bookkeeping."""
    return {
        str(getattr(mapper.class_, "__tablename__")): mapper.class_.__audit_internal__  # noqa: B009
        for mapper in Base.registry.mappers
        if issubclass(mapper.class_, AuditedMixin)
    }


def _loaded(obj: Any, path: str) -> Any:
    """The value at a dotted attribute path, without loading anything (None when not loaded)."""
    for part in path.split("."):
        if obj is None:
            return None
        state = inspect(obj, raiseerr=False)
        if state is not None and part in state.attrs:
            value = state.attrs[part].loaded_value
            obj = None if value is NO_VALUE else value
        else:
            obj = getattr(obj, part, None)
    return obj


def _label(obj: AuditedMixin) -> str | None:
    path = type(obj).__audit_label__
    paths = [path] if path else ["name", "title"]
    for p in paths:
        value = _loaded(obj, p)
        if isinstance(value, str) and value:
            return value[:200]
    return None


def _parent(obj: AuditedMixin) -> tuple[str | None, str | None]:
    parent = type(obj).__audit_parent__
    if parent is None:
        return None, None
    value = _loaded(obj, parent[1])
    return (parent[0], str(value)) if value is not None else (None, None)


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def _columns(obj: AuditedMixin) -> list[str]:
    exclude = type(obj).__audit_exclude__
    return [attr.key for attr in inspect(obj).mapper.column_attrs if attr.key not in exclude]


def _snapshot(obj: AuditedMixin) -> dict[str, Any]:
    return {key: _jsonable(getattr(obj, key)) for key in _columns(obj)}


def _changes(obj: AuditedMixin) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in _columns(obj):
        if key in ("updated_at", "version"):
            continue
        hist = state.attrs[key].history
        if hist.has_changes():
            before[key] = _jsonable(hist.deleted[0]) if hist.deleted else None
            after[key] = _jsonable(hist.added[0]) if hist.added else None
    return before, after


def _org_of(obj: Any, actor: Actor | None) -> uuid.UUID | None:
    org_id = getattr(obj, "org_id", None)
    if org_id is None and type(obj).__tablename__ == "organizations":
        org_id = obj.id
    return org_id or (actor.org_id if actor else None)


def _row(
    obj: Any,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    actor: Actor | None,
) -> dict[str, Any]:
    parent_type, parent_id = _parent(obj)
    return {
        "id": uuid.uuid4(),
        "org_id": _org_of(obj, actor),
        "created_at": utcnow(),
        "actor_user_id": actor.user_id if actor else None,
        "actor_name": actor.name if actor else None,
        "action": action,
        "entity_type": type(obj).__tablename__,
        "entity_id": str(obj.id),
        "before": before,
        "after": after,
        "request_id": actor.request_id if actor else None,
        "entity_label": _label(obj),
        "parent_type": parent_type,
        "parent_id": parent_id,
    }


async def audit_bulk_inserts(
    session: AsyncSession, cls: type[AuditedMixin], rows: list[dict[str, Any]]
) -> None:
    """Audit rows for objects inserted in bulk outside the unit of work (`rows` as inserted,
    every column given): the same snapshot a flush would record, in one INSERT."""
    if not rows:
        return
    actor: Actor | None = session.info.get("actor")
    mapper = inspect(cls)
    exclude = cls.__audit_exclude__
    keys = [attr.key for attr in mapper.column_attrs if attr.key not in exclude]
    label = cls.__audit_label__
    parent = cls.__audit_parent__
    now = utcnow()
    out = []
    for row in rows:
        text = row.get(label) if label else (row.get("name") or row.get("title"))
        parent_id = row.get(parent[1]) if parent else None
        out.append(
            {
                "id": uuid.uuid4(),
                "org_id": row.get("org_id") or (actor.org_id if actor else None),
                "created_at": now,
                "actor_user_id": actor.user_id if actor else None,
                "actor_name": actor.name if actor else None,
                "action": "create",
                "entity_type": cls.__tablename__,  # type: ignore[attr-defined]
                "entity_id": str(row["id"]),
                "before": None,
                "after": {key: _jsonable(row.get(key)) for key in keys},
                "request_id": actor.request_id if actor else None,
                "entity_label": text[:200] if isinstance(text, str) and text else None,
                "parent_type": parent[0] if parent and parent_id is not None else None,
                "parent_id": str(parent_id) if parent_id is not None else None,
            }
        )
    await session.execute(insert(AuditLog), out)


async def audit_bulk_updates(
    session: AsyncSession, changes: list[tuple[AuditedMixin, dict[str, Any]]]
) -> None:
    """Audit rows for changes written in bulk outside the unit of work (one UPDATE for many
    rows): each object as it was, and the values it was given. One INSERT for all."""
    actor: Actor | None = session.info.get("actor")
    rows = []
    for obj, values in changes:
        kept = [k for k in values if k not in type(obj).__audit_exclude__]
        before = {k: _jsonable(getattr(obj, k)) for k in kept}
        after = {k: _jsonable(values[k]) for k in kept}
        rows.append(_row(obj, "update", before, after, actor))
    if rows:
        await session.execute(insert(AuditLog), rows)


async def delete_audited(session: AsyncSession, objs: Sequence[AuditedMixin]) -> None:
    """Delete loaded objects (with an `id`) in one statement per table, each recorded in the
    audit log as it was, in one INSERT: where the unit of work would delete versioned rows one
    statement each (PostgreSQL), or a bulk DELETE would leave no record."""
    if not objs:
        return
    by_table: dict[Any, list[Any]] = {}
    for obj in objs:
        by_table.setdefault(type(obj).__table__, []).append(obj.id)  # type: ignore[attr-defined]
    for table, ids in by_table.items():
        await session.execute(delete(table).where(table.c.id.in_(ids)))
    actor: Actor | None = session.info.get("actor")
    await session.execute(
        insert(AuditLog), [_row(obj, "delete", _snapshot(obj), None, actor) for obj in objs]
    )
    for obj in objs:  # gone from the database: nothing left for the unit of work to do
        session.expunge(obj)


@event.listens_for(Session, "after_flush")
def _write_audit_rows(session: Session, _ctx: UOWTransaction) -> None:
    actor: Actor | None = session.info.get("actor")
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if isinstance(obj, AuditedMixin):
            rows.append(_row(obj, "create", None, _snapshot(obj), actor))
    for obj in session.dirty:
        if isinstance(obj, AuditedMixin) and session.is_modified(obj, include_collections=False):
            before, after = _changes(obj)
            if after:
                rows.append(_row(obj, "update", before, after, actor))
    for obj in session.deleted:
        if isinstance(obj, AuditedMixin):
            rows.append(_row(obj, "delete", _snapshot(obj), None, actor))
    if rows:
        session.connection().execute(insert(AuditLog), rows)
