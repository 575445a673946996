"""Organisations, users, memberships (a user's role in an organisation), sessions, API tokens."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mems.core.clock import utcnow
from mems.core.models import (
    ORG_AND_ID,
    AuditedMixin,
    Base,
    IdMixin,
    OrgScopedMixin,
    TimestampMixin,
    VersionedMixin,
    same_org,
)
from mems.identity.permissions import Role


class Organization(IdMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    __tablename__ = "organizations"

    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    locale: Mapped[str] = mapped_column(String(16), default="zh-CN")
    currency: Mapped[str] = mapped_column(String(3), default="CNY")


class OrgSetting(IdMixin, OrgScopedMixin, AuditedMixin, Base):
    """One of an organisation's settings (the naming convention, later thresholds …), owned by
    the domain that reads it and stored here as JSON. Each has its own revision, bumped by
    every write and checked by it, so editing one setting never makes another (or the
    organisation's own version) stale."""

    __tablename__ = "org_settings"
    __table_args__ = (UniqueConstraint("org_id", "key"),)
    __audit_label__ = "key"
    __audit_exclude__ = frozenset({"revision", "updated_by_member_id"})  # the log has the actor

    key: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )

    # An UPDATE checks and bumps the revision: of two concurrent writes, the second is stale.
    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012


class User(IdMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    __tablename__ = "users"
    __audit_exclude__ = frozenset({"password_hash"})

    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(16), default="zh-CN")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class Membership(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    __tablename__ = "memberships"
    __audit_label__ = "user.name"
    __table_args__ = (UniqueConstraint(*ORG_AND_ID), UniqueConstraint("org_id", "user_id"))

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class AuthSession(IdMixin, Base):
    """A browser or API login. The token is shown once; only its hash is kept."""

    __tablename__ = "auth_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    membership_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    revoked_at: Mapped[datetime | None]
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))


class ApiToken(IdMixin, OrgScopedMixin, VersionedMixin, AuditedMixin, Base):
    """A scoped token for an integration; acts as its creator, limited to its scopes."""

    __tablename__ = "api_tokens"
    __audit_exclude__ = frozenset({"token_hash", "last_used_at"})

    membership_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class LoginAttempt(IdMixin, Base):
    """Recent logins, to slow down guessing per account and per address."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_created", "email", "created_at"),
        Index("ix_login_attempts_ip_created", "ip", "created_at"),
    )

    email: Mapped[str] = mapped_column(String(320))
    ip: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Team(IdMixin, OrgScopedMixin, TimestampMixin, VersionedMixin, AuditedMixin, Base):
    """A group of members (项目组 / 部门团队) that can own goals and projects."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint(*ORG_AND_ID), UniqueConstraint("org_id", "name"))

    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(1000))
    lead_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )


class TeamMember(IdMixin, OrgScopedMixin, AuditedMixin, Base):
    __tablename__ = "team_members"
    __table_args__ = (
        UniqueConstraint("team_id", "member_id"),
        same_org("team_id", "teams"),
        same_org("member_id", "memberships"),
    )
    __audit_parent__ = ("teams", "team_id")
    __audit_internal__ = True

    team_id: Mapped[uuid.UUID] = mapped_column(index=True)
    member_id: Mapped[uuid.UUID] = mapped_column(index=True)


class Invitation(IdMixin, OrgScopedMixin, TimestampMixin, AuditedMixin, Base):
    """An organisation's invitation to a person who already has a MEMS account: they join
    only when they accept it, logged in as themselves. The inviting admin learns nothing of the
    account (not its name, not whether it exists); the invitation shows the name they typed."""

    __tablename__ = "invitations"
    __audit_label__ = "email"
    __table_args__ = (
        # One open invitation per person and organisation (a second add answers the same).
        Index(
            "uq_invitations_pending_email",
            "org_id",
            "email",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_invitations_email_status", "email", "status"),
    )

    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200))  # as the admin typed it
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])
    )
    status: Mapped[str] = mapped_column(String(16), default="pending")  # accepted/declined/revoked
    invited_by_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    expires_at: Mapped[datetime] = mapped_column()
    answered_at: Mapped[datetime | None] = mapped_column()
