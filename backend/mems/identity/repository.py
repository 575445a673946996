"""SQL for identity: the only place in this domain that builds queries."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    SQLColumnExpression,
    String,
    and_,
    bindparam,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from mems.core.db import Reader, ReadStatement
from mems.core.pagination import PageParams, counted_page, paginate
from mems.core.tenancy import across_tenants, scoped
from mems.identity.models import (
    ApiToken,
    AuthSession,
    Invitation,
    LoginAttempt,
    Membership,
    Organization,
    OrgSetting,
    Team,
    TeamMember,
    User,
)
from mems.identity.permissions import Role

# What an organisation that cannot be read falls back to (as the column defaults to it).
DEFAULT_TIMEZONE = "Asia/Shanghai"


async def get_org(session: AsyncSession, org_id: uuid.UUID) -> Organization | None:
    return await session.get(Organization, org_id)


async def get_org_setting(session: AsyncSession, org_id: uuid.UUID, key: str) -> OrgSetting | None:
    return await session.scalar(scoped(OrgSetting, org_id, OrgSetting.key == key))


@cache
def _org_setting_view_statement() -> ReadStatement:
    value = (
        select(OrgSetting.value)
        .where(OrgSetting.org_id == Organization.id, OrgSetting.key == bindparam("key"))
        .scalar_subquery()
    )
    return ReadStatement(
        select(Organization.timezone, Organization.currency, value.label("value")).where(
            Organization.id == bindparam("org_id")
        )
    )


async def view_org_setting(reader: Reader, org_id: uuid.UUID, key: str) -> tuple[str, Any]:
    """The organisation's time zone and one setting's value (None when unset), in one read."""
    row = await reader.first(_org_setting_view_statement(), org_id=org_id, key=key)
    return (DEFAULT_TIMEZONE, None) if row is None else (row["timezone"], row["value"])


@cache
def _org_timezone_view_statement() -> ReadStatement:
    return ReadStatement(
        select(Organization.timezone).where(Organization.id == bindparam("org_id"))
    )


async def view_org_timezone(reader: Reader, org_id: uuid.UUID) -> str:
    """The organisation's time zone (an IANA name), in one small read."""
    row = await reader.first(_org_timezone_view_statement(), org_id=org_id)
    return DEFAULT_TIMEZONE if row is None else str(row["timezone"])


def org_timezone_of(org_id: SQLColumnExpression[uuid.UUID]) -> ColumnElement[str]:
    """SQL for other domains' reads: the time zone of the organisation `org_id` refers to."""
    org = aliased(Organization)
    return select(org.timezone).where(org.id == org_id).scalar_subquery()


def org_currency_of(org_id: SQLColumnExpression[uuid.UUID]) -> ColumnElement[str]:
    """SQL for other domains' reads: the currency of the organisation `org_id` refers to."""
    org = aliased(Organization)
    return select(org.currency).where(org.id == org_id).scalar_subquery()


def org_setting_of(org_id: SQLColumnExpression[uuid.UUID], key: str) -> ColumnElement[Any]:
    """SQL for other domains' reads: the value of setting `key` of the organisation `org_id`
    refers to (NULL when unset)."""
    setting = aliased(OrgSetting)
    return (
        select(setting.value).where(setting.org_id == org_id, setting.key == key).scalar_subquery()
    )


async def existing_org_ids(session: AsyncSession, org_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    rows = await session.scalars(select(Organization.id).where(Organization.id.in_(org_ids)))
    return set(rows.all())


async def get_org_by_slug(session: AsyncSession, slug: str) -> Organization | None:
    return await session.scalar(select(Organization).where(Organization.slug == slug))


async def get_user_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == email.lower()))


async def memberships_of_user(session: AsyncSession, user_id: uuid.UUID) -> list[Membership]:
    """The person's own organisations (login, /me, switching): across organisations."""
    stmt = across_tenants(
        select(Membership)
        .where(Membership.user_id == user_id, Membership.is_active.is_(True))
        .order_by(Membership.created_at)
    )
    return list((await session.scalars(stmt)).all())


async def get_member(
    session: AsyncSession, org_id: uuid.UUID, member_id: uuid.UUID
) -> Membership | None:
    return await session.scalar(scoped(Membership, org_id, Membership.id == member_id))


_MEMBER_COLUMNS = (
    Membership.id,
    Membership.user_id,
    User.email,
    User.name,
    Membership.role,
    Membership.is_active,
    Membership.created_at,
    Membership.updated_at,
    Membership.version,
)
MEMBER_VIEW_KEYS = tuple(c.key for c in _MEMBER_COLUMNS)  # a member as the API shows it

_MEMBER_VIEW = ReadStatement(
    select(*_MEMBER_COLUMNS)
    .join(User, User.id == Membership.user_id)
    .where(Membership.id == bindparam("member_id"))
)


_ME = ReadStatement(
    select(
        User.id.label("user_id"),
        User.email.label("user_email"),
        User.name.label("user_name"),
        User.locale.label("user_locale"),
        Organization.id.label("org_id"),
        Organization.name.label("org_name"),
        Organization.slug.label("org_slug"),
        Organization.timezone.label("org_timezone"),
        Organization.locale.label("org_locale"),
        Organization.currency.label("org_currency"),
        Organization.created_at.label("org_created_at"),
        Organization.updated_at.label("org_updated_at"),
        Organization.version.label("org_version"),
        Membership.id.label("membership_id"),
        Membership.role,
    )
    .join(User, User.id == Membership.user_id)
    .join(Organization, Organization.id == Membership.org_id)
    .where(Membership.id == bindparam("member_id"))
)


async def me_view(reader: Reader, member_id: uuid.UUID) -> dict[str, Any] | None:
    """The caller's user, organisation and membership in one row."""
    return await reader.first(_ME, member_id=member_id)


async def get_member_view(reader: Reader, member_id: uuid.UUID) -> dict[str, Any] | None:
    """A member of the reader's organisation as plain columns, for reads: no ORM objects,
    one prebuilt statement."""
    return await reader.first(_MEMBER_VIEW, member_id=member_id)


async def member_names(
    session: AsyncSession, org_id: uuid.UUID, member_ids: set[uuid.UUID]
) -> dict[uuid.UUID, str]:
    rows = await session.execute(
        select(Membership.id, User.name)
        .join(User, User.id == Membership.user_id)
        .where(Membership.org_id == org_id, Membership.id.in_(member_ids))
    )
    return {mid: name for mid, name in rows.all()}


def member_name_of(member_id: SQLColumnExpression[uuid.UUID | None]) -> ColumnElement[str]:
    """SQL for other domains' reads: the name of the member `member_id` refers to ('' when
    none does), a subquery correlated to the row that holds the id (tenant-filtered like
    the statement around it)."""
    member, user = aliased(Membership), aliased(User)
    name = select(user.name).join(member, member.user_id == user.id).where(member.id == member_id)
    return func.coalesce(name.scalar_subquery(), "")


async def active_member_ids_with_role(
    session: AsyncSession, org_id: uuid.UUID, roles: set[str]
) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.org_id == org_id,
            Membership.role.in_([Role(r) for r in roles]),
            Membership.is_active.is_(True),
            User.is_active.is_(True),
        )
        .order_by(Membership.id)
    )
    return list(rows.all())


async def get_member_by_user(
    session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID
) -> Membership | None:
    return await session.scalar(scoped(Membership, org_id, Membership.user_id == user_id))


@cache
def _members_statement(include_inactive: bool, search: bool) -> ReadStatement:
    """Members as the API shows them (`_MEMBER_VIEW`'s columns), a page (`:limit`, `:offset`)
    by name with the count of all; only active ones unless `include_inactive`; `search`: only
    those whose name or e-mail contains `:like` (a lowercase LIKE pattern)."""
    stmt = select(*_MEMBER_COLUMNS).join(User, User.id == Membership.user_id)
    if not include_inactive:
        stmt = stmt.where(Membership.is_active.is_(True))
    if search:
        like = bindparam("like", type_=String)
        stmt = stmt.where(
            or_(func.lower(User.name).like(like, escape="\\"), User.email.like(like, escape="\\"))
        )
    return ReadStatement(counted_page(stmt, User.name, Membership.id))


async def view_members(
    reader: Reader, params: PageParams, q: str | None, include_inactive: bool
) -> list[dict[str, Any]]:
    """A page of the reader's organisation's members by name, with their total
    (`counted_page` rows); `q`: only those whose name or e-mail contains it."""
    statement = _members_statement(include_inactive, bool(q))
    like = "%" + _escape_like(q.lower()) + "%" if q else None
    return await reader.all(statement, limit=params.limit, offset=params.offset, like=like)


def _escape_like(text: str) -> str:
    """Search text is literal: `%` and `_` match only themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def count_admins(session: AsyncSession, org_id: uuid.UUID) -> int:
    stmt = (
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.org_id == org_id,
            Membership.role == Role.ADMIN,
            Membership.is_active.is_(True),
        )
    )
    return int(await session.scalar(stmt) or 0)


async def get_session_by_hash(session: AsyncSession, hashed: str) -> AuthSession | None:
    return await session.scalar(select(AuthSession).where(AuthSession.token_hash == hashed))


async def revoke_sessions_of_member(
    session: AsyncSession, membership_id: uuid.UUID, at: datetime
) -> None:
    await session.execute(
        update(AuthSession)
        .where(AuthSession.membership_id == membership_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=at)
    )


async def list_tokens(
    session: AsyncSession, org_id: uuid.UUID, params: PageParams, membership_id: uuid.UUID | None
) -> tuple[list[ApiToken], int]:
    stmt = scoped(ApiToken, org_id)
    if membership_id is not None:
        stmt = stmt.where(ApiToken.membership_id == membership_id)
    return await paginate(session, stmt.order_by(ApiToken.created_at.desc(), ApiToken.id), params)


async def tokens_of_member(
    session: AsyncSession, org_id: uuid.UUID, membership_id: uuid.UUID
) -> list[ApiToken]:
    return list(
        (
            await session.scalars(scoped(ApiToken, org_id, ApiToken.membership_id == membership_id))
        ).all()
    )


async def get_token(
    session: AsyncSession, org_id: uuid.UUID, token_id: uuid.UUID
) -> ApiToken | None:
    return await session.scalar(scoped(ApiToken, org_id, ApiToken.id == token_id))


async def recent_failures(
    session: AsyncSession, *, email: str | None = None, ip: str | None = None, since: datetime
) -> tuple[int, datetime | None]:
    """Failed logins since `since` and after the last success, with the latest failure time,
    for an account, an address, or an account from one address (both given)."""
    keys = []
    if email is not None:
        keys.append(LoginAttempt.email == email)
    if ip is not None:
        keys.append(LoginAttempt.ip == ip)
    key = and_(*keys)
    last_ok = await session.scalar(
        select(func.max(LoginAttempt.created_at)).where(key, LoginAttempt.succeeded.is_(True))
    )
    start = max(since, _aware(last_ok)) if last_ok is not None else since
    count, latest = (
        await session.execute(
            select(func.count(), func.max(LoginAttempt.created_at)).where(
                key, LoginAttempt.succeeded.is_(False), LoginAttempt.created_at > start
            )
        )
    ).one()
    return int(count), _aware(latest) if latest is not None else None


async def has_logged_in_from(session: AsyncSession, user_id: uuid.UUID, ip: str) -> bool:
    """Whether this person has opened a login session from this address (sessions are kept
    until a day after they expire)."""
    stmt = (
        select(AuthSession.id)
        .join(Membership, Membership.id == AuthSession.membership_id)
        .where(Membership.user_id == user_id, AuthSession.ip == ip)
        .limit(1)
    )
    return (await session.scalar(stmt)) is not None


def _aware(value: datetime | str) -> datetime:
    # Aggregates bypass the column type on SQLite, which hands back text.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def delete_expired(session: AsyncSession, before: datetime) -> tuple[int, int]:
    s = await session.execute(delete(AuthSession).where(AuthSession.expires_at < before))
    a = await session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < before))
    return int(s.rowcount or 0), int(a.rowcount or 0)  # type: ignore[attr-defined]


async def get_team(session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID) -> Team | None:
    return await session.scalar(scoped(Team, org_id, Team.id == team_id))


async def team_name_taken(
    session: AsyncSession, org_id: uuid.UUID, name: str, but: uuid.UUID | None
) -> bool:
    stmt = scoped(Team, org_id, Team.name == name)
    if but is not None:
        stmt = stmt.where(Team.id != but)
    return await session.scalar(select(stmt.exists())) or False


async def list_teams(
    session: AsyncSession, org_id: uuid.UUID, params: PageParams
) -> tuple[list[Team], int]:
    return await paginate(session, scoped(Team, org_id).order_by(Team.name, Team.id), params)


async def team_members(
    session: AsyncSession, org_id: uuid.UUID, team_ids: list[uuid.UUID]
) -> list[TeamMember]:
    stmt = scoped(TeamMember, org_id, TeamMember.team_id.in_(team_ids))
    return list((await session.scalars(stmt)).all())


async def members_exist(
    session: AsyncSession, org_id: uuid.UUID, member_ids: set[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of these ids are members of the organisation."""
    if not member_ids:
        return set()
    stmt = select(Membership.id).where(Membership.org_id == org_id, Membership.id.in_(member_ids))
    return set((await session.scalars(stmt)).all())


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def revoke_other_sessions(
    session: AsyncSession, user_id: uuid.UUID, keep_hash: str, at: datetime
) -> None:
    """End every login session of this person (in every organisation) but the given one."""
    mine = select(Membership.id).where(Membership.user_id == user_id)
    await session.execute(
        across_tenants(
            update(AuthSession)
            .where(
                AuthSession.membership_id.in_(mine),
                AuthSession.revoked_at.is_(None),
                AuthSession.token_hash != keep_hash,
            )
            .values(revoked_at=at)
        )
    )


async def pending_invitation(
    session: AsyncSession, org_id: uuid.UUID, email: str
) -> Invitation | None:
    return await session.scalar(
        scoped(Invitation, org_id, Invitation.email == email, Invitation.status == "pending")
    )


async def get_invitation(
    session: AsyncSession, org_id: uuid.UUID, invitation_id: uuid.UUID
) -> Invitation | None:
    return await session.scalar(scoped(Invitation, org_id, Invitation.id == invitation_id))


async def list_invitations(
    session: AsyncSession, org_id: uuid.UUID, params: PageParams, pending_only: bool, now: datetime
) -> tuple[list[Invitation], int]:
    stmt = scoped(Invitation, org_id)
    if pending_only:
        stmt = stmt.where(Invitation.status == "pending", Invitation.expires_at > now)
    stmt = stmt.order_by(Invitation.created_at.desc(), Invitation.id)
    return await paginate(session, stmt, params)


async def open_invitations_for(
    session: AsyncSession, email: str, now: datetime
) -> list[tuple[Invitation, str, str]]:
    """Pending, unexpired invitations to this e-mail across organisations (the invitee's own
    view, so the cross-organisation read is deliberate): with the org and inviter names."""
    inviter = aliased(Membership)
    inviter_user = aliased(User)
    rows = await session.execute(
        across_tenants(
            select(Invitation, Organization.name, func.coalesce(inviter_user.name, ""))
            .join(Organization, Organization.id == Invitation.org_id)
            .outerjoin(inviter, inviter.id == Invitation.invited_by_member_id)
            .outerjoin(inviter_user, inviter_user.id == inviter.user_id)
            .where(
                Invitation.email == email,
                Invitation.status == "pending",
                Invitation.expires_at > now,
            )
            .order_by(Invitation.created_at)
        )
    )
    return [(inv, org_name, by) for inv, org_name, by in rows.all()]


async def team_ids_of_member(
    session: AsyncSession, org_id: uuid.UUID, member_id: uuid.UUID
) -> list[uuid.UUID]:
    stmt = select(TeamMember.team_id).where(
        TeamMember.org_id == org_id, TeamMember.member_id == member_id
    )
    return list((await session.scalars(stmt)).all())


async def active_team_member_ids(
    session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID
) -> list[uuid.UUID]:
    stmt = (
        select(TeamMember.member_id)
        .join(Membership, Membership.id == TeamMember.member_id)
        .where(
            TeamMember.org_id == org_id,
            TeamMember.team_id == team_id,
            Membership.is_active.is_(True),
        )
        .order_by(TeamMember.member_id)
    )
    return list((await session.scalars(stmt)).all())


async def team_names(
    session: AsyncSession, org_id: uuid.UUID, team_ids: set[uuid.UUID]
) -> dict[uuid.UUID, str]:
    rows = await session.execute(
        select(Team.id, Team.name).where(Team.org_id == org_id, Team.id.in_(team_ids))
    )
    return {tid: name for tid, name in rows.all()}
