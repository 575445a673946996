"""Declarative base, column types and mixins shared by every domain's models."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    Enum,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Uuid,
    column,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

from mems.core.clock import utcnow

# Money in an account's currency: two decimals (the currency is a column beside it).
Money = Numeric(20, 2)


def str_enum(cls: type[StrEnum]) -> Enum:
    """A string enum stored as its values in a VARCHAR (no database enum type to migrate)."""
    return Enum(cls, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class Priority(StrEnum):
    """How urgent a piece of work is (tasks, work orders)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"


# Explicit constraint names keep migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC; always hands back an aware datetime (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use mems.core.clock.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
        uuid.UUID: Uuid(),
    }


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VersionedMixin:
    """Optimistic concurrency: every UPDATE checks and bumps `version`."""

    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class _AnyOrgId:
    """`TenantScoped.org_id` itself: a stand-in column for building the tenancy criterion
    once for all tenant models (each model's own `org_id` shadows it)."""

    def __get__(self, _obj: Any, _owner: Any) -> Any:
        return column("org_id")


def same_org(
    column: str, target: str, *, ondelete: str = "CASCADE", name: str | None = None
) -> ForeignKeyConstraint:
    """A child row's reference to a parent of the same organisation: the key is
    `(org_id, column)` → `target (org_id, id)`, so the database itself refuses a child that
    points into another organisation (the parent needs `UniqueConstraint("org_id", "id")`).
    Name it when a table refers twice to the same parent (the naming convention would not
    tell the two apart)."""
    return ForeignKeyConstraint(
        ["org_id", column], [f"{target}.org_id", f"{target}.id"], ondelete=ondelete, name=name
    )


ORG_AND_ID = ("org_id", "id")  # `UniqueConstraint(*ORG_AND_ID)`: what `same_org` refers to


class TenantScoped:
    """Rows of one organisation (an `org_id` column): the tenancy hook filters every ORM
    statement on them to the session's organisation (see `mems.core.tenancy`)."""

    if TYPE_CHECKING:
        org_id: Any
    else:
        org_id = _AnyOrgId()


class OrgScopedMixin(TenantScoped):
    """A tenant row: its `org_id` refers to the organisation, which deletes it with itself."""

    @declared_attr
    def org_id(cls) -> Mapped[uuid.UUID]:  # noqa: N805
        return mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)


class AuditedMixin:
    """Creates, updates and deletes of this model write an audit log row (see core.audit)."""

    __audit_exclude__: ClassVar[frozenset[str]] = frozenset()
    # What names a row in the audit log (an attribute, dotted through a loaded relationship);
    # None: its `name` or `title`, when it has one.
    __audit_label__: ClassVar[str | None] = None
    # The object a row belongs to, as (entity type, attribute holding its id): the audit log
    # links a team's membership to the team, a KPI to its goal.
    __audit_parent__: ClassVar[tuple[str, str] | None] = None
    # Bookkeeping rows (link tables) that the audit log's type filter does not offer.
    __audit_internal__: ClassVar[bool] = False


class OutboxJob(Base):
    """A job, written in the transaction of the request (or job) that queues it, so it exists
    exactly when that write committed. After the commit it is handed to the runner
    best-effort; a sweeper hands over rows left pending (Redis was down, the process died);
    the job marks its row done in its own transaction, so running it twice changes nothing
    the second time. See `mems.core.jobs`."""

    __tablename__ = "job_outbox"
    __table_args__ = (
        Index("ix_job_outbox_status_created", "status", "created_at"),
        Index("ix_job_outbox_coalesce", "coalesce_key", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(100))
    # Jobs queued with the same key while one waits are that one (`enqueue_coalesced`).
    coalesce_key: Mapped[str | None] = mapped_column(String(200))
    kwargs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | done
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # hand-overs so far
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Not to start before this (a gathering window: `Coalesced.delay`); None: at once.
    run_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
