from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import available_timezones

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from mems.core.schemas import KEEP_WHITESPACE, Email, InputModel, ReadModel, UpdateModel
from mems.identity.permissions import Permission, Role

Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
# Passwords are taken as typed: spaces count (never stripped).
Password = Annotated[
    str,
    StringConstraints(min_length=8, max_length=200, strip_whitespace=False),
    Field(json_schema_extra={KEEP_WHITESPACE: True}),
]
AnyPassword = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, strip_whitespace=False),
    Field(json_schema_extra={KEEP_WHITESPACE: True}),
]
Locale = Annotated[str, Field(pattern=r"^(zh-CN|en)$")]


def _known_timezone(value: str) -> str:
    if value not in available_timezones():
        raise PydanticCustomError(
            "unknown_timezone",
            "unknown time zone {value} (use an IANA name such as Asia/Shanghai)",
            {"value": value},
        )
    return value


TimeZone = Annotated[
    str, StringConstraints(min_length=1, max_length=64), AfterValidator(_known_timezone)
]


class LoginRequest(InputModel):
    email: Email
    password: AnyPassword
    org: str | None = Field(
        default=None, description="Organisation slug, when the user has several"
    )


class UserRead(ReadModel):
    id: uuid.UUID
    email: str
    name: str
    locale: str


class OrgRead(ReadModel):
    id: uuid.UUID
    name: str
    slug: str
    timezone: str
    locale: str
    currency: str
    created_at: datetime
    updated_at: datetime
    version: int


class OrgUpdate(UpdateModel):
    name: Name | None = None
    timezone: TimeZone | None = None
    locale: Locale | None = None
    version: int = Field(ge=1, description="The version you read; a stale one is refused (409)")


class Me(ReadModel):
    user: UserRead
    org: OrgRead
    membership_id: uuid.UUID
    role: Role
    permissions: list[Permission]
    via: str = Field(description="How this request authenticated: session, bearer or api_token")


class TokenResponse(ReadModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105
    expires_at: datetime


class MemberRead(ReadModel):
    id: uuid.UUID
    user_id: uuid.UUID
    email: str
    name: str
    role: Role
    is_active: bool
    created_at: datetime
    updated_at: datetime
    version: int


class MemberCreate(InputModel):
    email: Email
    name: Name
    role: Role
    password: Password


class MemberAdded(ReadModel):
    """The answer to adding a member: the same whether the e-mail was new (the account is
    made and joins now) or already had an account (it is invited and joins on accepting), so
    it tells nothing about other organisations' people."""

    email: str
    name: str = Field(description="The name as you entered it")
    role: Role


class InvitationRead(ReadModel):
    """An invitation, as the inviting organisation's admins see it."""

    id: uuid.UUID
    email: str
    name: str = Field(description="The name as the admin entered it")
    role: Role
    status: Literal["pending", "accepted", "declined", "revoked", "expired"]
    invited_by_member_id: uuid.UUID | None
    created_at: datetime
    expires_at: datetime
    answered_at: datetime | None


class MyInvitationRead(ReadModel):
    """An invitation to the signed-in person, from another organisation."""

    id: uuid.UUID
    org_id: uuid.UUID
    org_name: str
    role: Role
    invited_by_name: str
    created_at: datetime
    expires_at: datetime


class PasswordChange(InputModel):
    current_password: AnyPassword
    new_password: Password


class MemberUpdate(UpdateModel):
    name: Name | None = None
    role: Role | None = None
    is_active: bool | None = None
    version: int = Field(ge=1, description="The version you read; a stale one is refused (409)")


class ApiTokenCreate(InputModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    scopes: list[Permission] = Field(min_length=1)
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


class ApiTokenRead(ReadModel):
    id: uuid.UUID
    name: str
    prefix: str
    scopes: list[str]
    membership_id: uuid.UUID
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiTokenCreated(ApiTokenRead):
    token: str = Field(description="The secret. Shown only in this response; store it now.")


class TeamCreate(InputModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    description: Annotated[str, StringConstraints(max_length=1000)] | None = None
    lead_member_id: uuid.UUID | None = None
    member_ids: list[uuid.UUID] = Field(default_factory=list, max_length=500)


class TeamUpdate(UpdateModel):
    __nullable__ = frozenset({"description", "lead_member_id"})

    name: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    description: Annotated[str, StringConstraints(max_length=1000)] | None = None
    lead_member_id: uuid.UUID | None = None
    member_ids: list[uuid.UUID] | None = Field(default=None, max_length=500)
    version: int = Field(ge=1, description="The version you read; a stale one is refused (409)")


class TeamRead(ReadModel):
    id: uuid.UUID
    name: str
    description: str | None
    lead_member_id: uuid.UUID | None
    member_ids: list[uuid.UUID]
    created_at: datetime
    updated_at: datetime
    version: int
