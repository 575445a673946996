"""Identity rules: logging in and out, members, the organisation, API tokens."""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, SQLColumnExpression
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mems.config import Settings
from mems.core.clock import utcnow
from mems.core.db import Reader, after_commit
from mems.core.errors import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    StaleVersion,
    TooManyRequests,
    Unauthorized,
    ValidationFailed,
)
from mems.core.i18n import _, term
from mems.core.pagination import PageParams, page_of
from mems.core.security import (
    csrf_token,
    device_token,
    hash_password_async,
    new_token,
    token_hash,
    verify_password_async,
)
from mems.core.versioning import apply_changes, changes_to, check_revision
from mems.identity import repository as repo
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
from mems.identity.permissions import ROLE_PERMISSIONS, Permission, Role
from mems.identity.principal import API_TOKEN_PREFIX, Principal, principal_cache
from mems.identity.schemas import (
    ApiTokenCreate,
    LoginRequest,
    MemberCreate,
    MemberUpdate,
    OrgUpdate,
    PasswordChange,
    TeamCreate,
    TeamUpdate,
)


class LoginFailed(Unauthorized):
    title = "Login failed"
    keep_writes = True  # the failed attempt must be recorded to slow down guessing


@dataclass(frozen=True)
class LoginResult:
    token: str
    csrf: str
    expires_at: datetime
    membership: Membership
    org: Organization
    device: str  # the device cookie's value for this account


def _retry_after(failures: int, latest: datetime | None, settings: Settings, now: datetime) -> int:
    """Seconds to wait: doubles with each failure past the allowance, capped by the window."""
    over = failures - settings.login_max_failures
    if over < 0 or latest is None:
        return 0
    delay = min(2 ** min(over, 20), settings.login_window_seconds)
    return max(0, int((latest + timedelta(seconds=delay) - now).total_seconds()) + 1)


async def login(
    session: AsyncSession,
    settings: Settings,
    body: LoginRequest,
    ip: str,
    user_agent: str | None,
    device: str | None = None,
) -> LoginResult:
    """Check the password and open a login session, throttling guesses.

    The throttle (README, "Logging in"): failures past the allowance make the next attempt
    wait, doubling each time, counted per address (4x the allowance: an office shares one)
    and per account. The account's count is what strangers could use to lock the real user
    out, so a *known* browser or address for this account — one that carries the account's
    device cookie or has logged in to it before — counts only its own failures for the
    account: guessing stays slow for everyone else, and the real user still gets in.
    """
    now = utcnow()
    email = body.email.lower()
    since = now - timedelta(seconds=settings.login_window_seconds)
    user = await repo.get_user_by_email(session, email)
    known = user is not None and (
        (device is not None and hmac.compare_digest(device, device_token(_secret(settings), email)))
        or await repo.has_logged_in_from(session, user.id, ip)
    )
    by_email = await repo.recent_failures(
        session, email=email, ip=ip if known else None, since=since
    )
    by_ip = await repo.recent_failures(session, ip=ip, since=since)
    wait = max(
        _retry_after(*by_email, settings, now),
        _retry_after(by_ip[0] // 4, by_ip[1], settings, now),
    )
    if wait > 0:
        raise TooManyRequests(
            _("Too many failed logins; try again in {seconds} s.", seconds=wait),
            headers={"Retry-After": str(wait)},
        )
    user_id = user.id if user else None
    password_hash = user.password_hash if user else None
    active = bool(user and user.is_active)
    # Nothing is written yet: end the transaction before the slow hash so it holds no
    # connection, snapshot or (on SQLite) write lock while argon2 runs off the event loop.
    await session.rollback()
    ok = await verify_password_async(body.password, password_hash)
    memberships = await repo.memberships_of_user(session, user_id) if user_id and ok else []
    if body.org is not None:
        org = await repo.get_org_by_slug(session, body.org)
        memberships = [m for m in memberships if org is not None and m.org_id == org.id]
    succeeded = bool(ok and active and memberships)
    session.add(LoginAttempt(email=email, ip=ip, succeeded=succeeded))
    if not succeeded:
        raise LoginFailed(_("Wrong e-mail or password."))

    membership = memberships[0]
    token = new_token()
    hashed = token_hash(token)
    expires_at = now + timedelta(hours=settings.session_ttl_hours)
    session.add(
        AuthSession(
            token_hash=hashed,
            membership_id=membership.id,
            expires_at=expires_at,
            ip=ip,
            user_agent=(user_agent or "")[:300] or None,
        )
    )
    org = await repo.get_org(session, membership.org_id)
    assert org is not None  # a membership's organisation exists (foreign key)
    secret = _secret(settings)
    return LoginResult(
        token,
        csrf_token(secret, hashed),
        expires_at,
        membership,
        org,
        device_token(secret, email),
    )


def _secret(settings: Settings) -> str:
    return settings.resolved_secret_key()


async def logout(session: AsyncSession, principal: Principal) -> None:
    if principal.via == "api_token":
        raise Conflict(_("API tokens do not log out; revoke the token instead."))
    auth_session = await repo.get_session_by_hash(session, principal.credential_hash)
    if auth_session is not None and auth_session.revoked_at is None:
        auth_session.revoked_at = utcnow()
    after_commit(session, principal_cache.clear)


async def get_org(session: AsyncSession, principal: Principal) -> Organization:
    org = await repo.get_org(session, principal.org_id)
    if org is None:
        raise NotFound(_("Organisation not found."))
    return org


async def update_org(
    session: AsyncSession, principal: Principal, body: OrgUpdate, if_match: str | None
) -> Organization:
    org = await get_org(session, principal)
    apply_changes(org, changes_to(org, body, if_match))
    await session.flush()
    return org


async def get_member(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID
) -> Membership:
    member = await repo.get_member(session, principal.org_id, member_id)
    if member is None:
        raise NotFound(_("Member {member_id} not found.", member_id=member_id))
    return member


async def view_me(reader: Reader, principal: Principal) -> dict[str, Any]:
    """`/me`: who is logged in, in which organisation, and what they may do."""
    row = await repo.me_view(reader, principal.membership_id)
    if row is None:  # removed since the credential was cached
        raise NotFound(_("Member {member_id} not found.", member_id=principal.membership_id))
    return {
        "user": {k[5:]: row[k] for k in ("user_id", "user_email", "user_name", "user_locale")},
        "org": {k[4:]: v for k, v in row.items() if k.startswith("org_")},
        "membership_id": row["membership_id"],
        "role": row["role"],
        "permissions": sorted(principal.permissions),
        "via": principal.via,
    }


async def view_member(reader: Reader, principal: Principal, member_id: uuid.UUID) -> dict[str, Any]:
    member = await repo.get_member_view(reader, member_id)
    if member is None:
        raise NotFound(_("Member {member_id} not found.", member_id=member_id))
    return member


async def view_members(
    reader: Reader,
    principal: Principal,
    params: PageParams,
    q: str | None,
    include_inactive: bool,
) -> dict[str, Any]:
    """A page of the organisation's members by name (`Page[MemberRead]`); one statement."""
    rows = await repo.view_members(reader, params, q, include_inactive)
    return page_of(rows, params, _member_view)


def _member_view(row: dict[str, Any]) -> dict[str, Any]:
    return {key: row[key] for key in repo.MEMBER_VIEW_KEYS}


INVITATION_DAYS = 14


async def create_member(session: AsyncSession, principal: Principal, body: MemberCreate) -> None:
    """Add a person to the organisation. A new e-mail gets an account (with the password the
    admin set, to be changed on first use) and joins now; an e-mail that already has an
    account is only invited: that person joins when they accept, logged in as themselves.
    The caller is told neither which happened nor anything about the account."""
    email = body.email.lower()
    user = await repo.get_user_by_email(session, email)
    if user is None:
        user = User(
            email=email, name=body.name, password_hash=await hash_password_async(body.password)
        )
        session.add(user)
        await session.flush()
        session.add(Membership(org_id=principal.org_id, user_id=user.id, role=body.role, user=user))
        await session.flush()
        after_commit(session, principal_cache.clear)
        return
    if await repo.get_member_by_user(session, principal.org_id, user.id) is not None:
        raise Conflict(
            _("{email} is already a member of this organisation.", email=email),
            errors=[FieldError(field="email", message="already a member", type="duplicate")],
        )
    pending = await repo.pending_invitation(session, principal.org_id, email)
    if pending is not None:
        return  # invited already: the same answer, nothing new
    session.add(
        Invitation(
            org_id=principal.org_id,
            email=email,
            name=body.name,
            role=body.role,
            invited_by_member_id=principal.membership_id,
            expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
        )
    )
    await session.flush()  # the person sees it in /me/invitations when they next log in


async def org_of(session: AsyncSession, org_id: uuid.UUID) -> Organization:
    org = await repo.get_org(session, org_id)
    assert org is not None  # a membership's organisation exists (foreign key)
    return org


async def existing_org_ids(session: AsyncSession, org_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these organisations exist (for system work across organisations)."""
    wanted = list(set(org_ids))
    return await repo.existing_org_ids(session, wanted) if wanted else set()


async def org_setting(session: AsyncSession, org_id: uuid.UUID, key: str) -> tuple[Any, int]:
    """One of the organisation's settings, for the domain that owns it: its value (None when
    unset) and its revision (0 when unset), to send back with a change."""
    row = await repo.get_org_setting(session, org_id, key)
    return (None, 0) if row is None else (row.value, row.revision)


async def view_org_setting(reader: Reader, org_id: uuid.UUID, key: str) -> tuple[str, Any]:
    """For reads (`ReadStatement`): the organisation's time zone and one of its settings'
    value (None when unset), in one statement."""
    return await repo.view_org_setting(reader, org_id, key)


async def view_org_timezone(reader: Reader, org_id: uuid.UUID) -> str:
    """For reads (`ReadStatement`): the organisation's time zone (an IANA name such as
    Asia/Shanghai), e.g. to know what day it is there."""
    return await repo.view_org_timezone(reader, org_id)


def org_timezone_of(org_id: SQLColumnExpression[uuid.UUID]) -> ColumnElement[str]:
    """For other domains' read statements: the SQL for the time zone of the organisation
    whose id is in `org_id`."""
    return repo.org_timezone_of(org_id)


def org_currency_of(org_id: SQLColumnExpression[uuid.UUID]) -> ColumnElement[str]:
    """For other domains' read statements: the SQL for the currency of the organisation
    whose id is in `org_id`."""
    return repo.org_currency_of(org_id)


def org_setting_of(org_id: SQLColumnExpression[uuid.UUID], key: str) -> ColumnElement[Any]:
    """For other domains' read statements: the SQL for the value of the organisation's
    setting `key` (JSON; NULL when unset), for the domain that owns the setting."""
    return repo.org_setting_of(org_id, key)


async def set_org_setting(
    session: AsyncSession,
    org_id: uuid.UUID,
    key: str,
    value: Any,
    expected_revision: int,
    by_member_id: uuid.UUID | None,
) -> int:
    """Write one setting if it is still at `expected_revision` (0: not set yet), else a 409
    (stale). Returns its new revision. Only this setting's revision moves: the organisation
    and its other settings stay as they were."""
    row = await repo.get_org_setting(session, org_id, key)
    check_revision(0 if row is None else row.revision, expected_revision)
    if row is not None:
        # The UPDATE checks the revision too: a concurrent write that got there first makes
        # this one stale (StaleDataError, answered 409).
        row.value = value
        row.updated_by_member_id = by_member_id
        await session.flush()
        return row.revision
    row = OrgSetting(org_id=org_id, key=key, value=value, updated_by_member_id=by_member_id)
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError as exc:
        # Two first writes of the same setting at once: the other one won.
        raise StaleVersion(_("Someone changed this at the same moment; reload and retry.")) from exc
    return row.revision


def invitation_status(
    invitation: Invitation,
) -> Literal["pending", "accepted", "declined", "revoked", "expired"]:
    if invitation.status == "pending" and invitation.expires_at <= utcnow():
        return "expired"
    return invitation.status  # type: ignore[return-value]  # one of the four it is set to


async def list_invitations(
    session: AsyncSession, principal: Principal, params: PageParams, pending_only: bool
) -> tuple[list[Invitation], int]:
    return await repo.list_invitations(session, principal.org_id, params, pending_only, utcnow())


async def revoke_invitation(
    session: AsyncSession, principal: Principal, invitation_id: uuid.UUID
) -> None:
    invitation = await repo.get_invitation(session, principal.org_id, invitation_id)
    if invitation is None:
        raise NotFound(_("Invitation {id} not found.", id=invitation_id))
    if invitation.status == "pending":
        invitation.status = "revoked"
        invitation.answered_at = utcnow()
        await session.flush()


async def my_invitations(
    session: AsyncSession, principal: Principal
) -> list[tuple[Invitation, str, str]]:
    """Open invitations to the signed-in person: (invitation, organisation name, inviter)."""
    user = await repo.get_user(session, principal.user_id)
    if user is None:
        return []
    return await repo.open_invitations_for(session, user.email, utcnow())


async def _my_open_invitation(
    session: AsyncSession, principal: Principal, invitation_id: uuid.UUID
) -> Invitation:
    for invitation, _org, _by in await my_invitations(session, principal):
        if invitation.id == invitation_id:
            return invitation
    raise NotFound(_("Invitation {id} not found.", id=invitation_id))


async def accept_invitation(
    session: AsyncSession, principal: Principal, invitation_id: uuid.UUID
) -> Membership:
    """Join the inviting organisation with the invited role (a person's consent)."""
    invitation = await _my_open_invitation(session, principal, invitation_id)
    invitation.status = "accepted"
    invitation.answered_at = utcnow()
    existing = await repo.get_member_by_user(session, invitation.org_id, principal.user_id)
    if existing is not None:  # joined meanwhile (e.g. an admin there re-added them)
        await session.flush()
        return existing
    user = await repo.get_user(session, principal.user_id)
    assert user is not None  # the caller is signed in as this user
    member = Membership(
        org_id=invitation.org_id, user_id=principal.user_id, role=invitation.role, user=user
    )
    session.add(member)
    await session.flush()
    after_commit(session, principal_cache.clear)
    return member


async def decline_invitation(
    session: AsyncSession, principal: Principal, invitation_id: uuid.UUID
) -> None:
    invitation = await _my_open_invitation(session, principal, invitation_id)
    invitation.status = "declined"
    invitation.answered_at = utcnow()
    await session.flush()


async def change_password(
    session: AsyncSession, principal: Principal, body: PasswordChange
) -> None:
    """Change one's own password; every other login session of the person ends."""
    if principal.via == "api_token":
        raise Forbidden(_("An API token cannot change a password; log in as the person."))
    user = await repo.get_user(session, principal.user_id)
    assert user is not None  # the caller is signed in as this user
    current_hash = user.password_hash
    if not await verify_password_async(body.current_password, current_hash):
        raise ValidationFailed(
            _("The current password is wrong."),
            errors=[
                FieldError(field="current_password", message="wrong password", type="mismatch")
            ],
        )
    if body.new_password == body.current_password:
        raise ValidationFailed.on(
            "new_password", _("must differ from the current password"), "unchanged"
        )
    user.password_hash = await hash_password_async(body.new_password)
    await repo.revoke_other_sessions(session, user.id, principal.credential_hash, utcnow())
    await session.flush()
    after_commit(session, principal_cache.clear)


async def _ensure_an_admin_remains(
    session: AsyncSession, principal: Principal, member: Membership
) -> None:
    if (
        member.role == Role.ADMIN
        and member.is_active
        and await repo.count_admins(session, principal.org_id) <= 1
    ):
        raise Conflict(
            _("This is the organisation's last active admin; make someone else admin first.")
        )


async def update_member(
    session: AsyncSession,
    principal: Principal,
    member_id: uuid.UUID,
    body: MemberUpdate,
    if_match: str | None,
) -> Membership:
    member = await get_member(session, principal, member_id)
    changes = changes_to(member, body, if_match)
    if changes.get("role", Role.ADMIN) != Role.ADMIN or changes.get("is_active") is False:
        await _ensure_an_admin_remains(session, principal, member)
    if "name" in changes:
        if len(await repo.memberships_of_user(session, member.user_id)) > 1:
            # The name belongs to the person, who is also in another organisation.
            raise Conflict(
                _("This person is also in another organisation; only they may rename themselves."),
                errors=[
                    FieldError(
                        field="name", message="shared with another organisation", type="shared"
                    )
                ],
            )
        member.user.name = changes.pop("name")
        member.updated_at = utcnow()  # the member changed too: its version must move on
    apply_changes(member, changes)
    if changes.get("is_active") is False:
        await repo.revoke_sessions_of_member(session, member.id, utcnow())
    await session.flush()
    after_commit(session, principal_cache.clear)
    return member


async def remove_member(session: AsyncSession, principal: Principal, member_id: uuid.UUID) -> None:
    member = await get_member(session, principal, member_id)
    if member.id == principal.membership_id:
        raise Conflict(_("You cannot remove yourself."))
    await _ensure_an_admin_remains(session, principal, member)
    try:
        async with session.begin_nested():
            # Their tokens go too, each with an audit row (a database cascade would leave none).
            for token in await repo.tokens_of_member(session, principal.org_id, member.id):
                await session.delete(token)
            await session.delete(member)
            await session.flush()
    except IntegrityError as exc:
        # Other domains keep their history pointing at the member (projects they manage,
        # approvals they requested or decided): such a member is deactivated, not removed.
        raise Conflict(
            _(
                "This member has work on record (projects, approvals); deactivate them instead "
                "(PATCH is_active=false) or hand their projects over first."
            )
        ) from exc
    after_commit(session, principal_cache.clear)


def grantable_scopes(principal: Principal) -> list[Permission]:
    return sorted(principal.permissions)


async def list_tokens(
    session: AsyncSession, principal: Principal, params: PageParams
) -> tuple[list[ApiToken], int]:
    # Whoever manages members (admins) sees every token of the organisation; others their own.
    own = None if principal.can(Permission.MEMBERS_MANAGE) else principal.membership_id
    return await repo.list_tokens(session, principal.org_id, params, own)


async def create_token(
    session: AsyncSession, principal: Principal, body: ApiTokenCreate
) -> tuple[ApiToken, str]:
    if principal.via == "api_token":
        raise Forbidden(_("An API token cannot create API tokens; log in as a person."))
    allowed = ROLE_PERMISSIONS[principal.role]
    for i, scope in enumerate(body.scopes):
        if scope not in allowed:
            raise ValidationFailed(
                _(
                    "Your role '{role}' cannot grant the scope '{scope}'.",
                    role=term(principal.role.value),
                    scope=scope,
                ),
                errors=[
                    FieldError(
                        field=f"scopes[{i}]", message="not grantable by your role", type="scope"
                    )
                ],
            )
    secret = new_token(API_TOKEN_PREFIX)
    token = ApiToken(
        org_id=principal.org_id,
        membership_id=principal.membership_id,
        name=body.name,
        prefix=secret[: len(API_TOKEN_PREFIX) + 4],
        token_hash=token_hash(secret),
        scopes=sorted(set(body.scopes)),
        expires_at=utcnow() + timedelta(days=body.expires_in_days)
        if body.expires_in_days
        else None,
    )
    session.add(token)
    await session.flush()
    return token, secret


async def revoke_token(session: AsyncSession, principal: Principal, token_id: uuid.UUID) -> None:
    token = await repo.get_token(session, principal.org_id, token_id)
    if token is None or not principal.owns_or_can(token.membership_id, Permission.MEMBERS_MANAGE):
        raise NotFound(_("API token {token_id} not found.", token_id=token_id))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        await session.flush()
    after_commit(session, principal_cache.clear)


async def prune_expired(session: AsyncSession) -> tuple[int, int]:
    return await repo.delete_expired(session, utcnow() - timedelta(days=1))


async def is_member(session: AsyncSession, org_id: uuid.UUID, member_id: uuid.UUID) -> bool:
    """For other domains that reference a member of the organisation."""
    return await repo.get_member(session, org_id, member_id) is not None


async def member_names(
    session: AsyncSession, org_id: uuid.UUID, member_ids: set[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """For other domains that show who did something: member id -> display name."""
    return await repo.member_names(session, org_id, member_ids) if member_ids else {}


def member_name_of(member_id: SQLColumnExpression[uuid.UUID | None]) -> ColumnElement[str]:
    """For other domains' read statements that show who did something: the SQL for the
    name of the member whose id is in `member_id` ('' when there is none)."""
    return repo.member_name_of(member_id)


async def active_member_ids_with_role(
    session: AsyncSession, org_id: uuid.UUID, roles: set[str]
) -> list[uuid.UUID]:
    """For other domains that address people by role (e.g. who decides an approval step)."""
    return await repo.active_member_ids_with_role(session, org_id, roles) if roles else []


# ---- teams ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamView:
    team: Team
    member_ids: list[uuid.UUID]


async def _team_views(
    session: AsyncSession, principal: Principal, teams: list[Team]
) -> list[TeamView]:
    links = await repo.team_members(session, principal.org_id, [t.id for t in teams])
    return [
        TeamView(t, sorted((link.member_id for link in links if link.team_id == t.id), key=str))
        for t in teams
    ]


async def _check_team_fields(
    session: AsyncSession,
    principal: Principal,
    *,
    name: str | None,
    team_id: uuid.UUID | None,
    lead_member_id: uuid.UUID | None,
    member_ids: list[uuid.UUID] | None,
) -> None:
    if name is not None and await repo.team_name_taken(session, principal.org_id, name, team_id):
        raise Conflict(
            _("A team named “{name}” already exists.", name=name),
            errors=[FieldError(field="name", message="already used", type="duplicate")],
        )
    wanted = set(member_ids or []) | ({lead_member_id} if lead_member_id else set())
    known = await repo.members_exist(session, principal.org_id, wanted)
    if lead_member_id is not None and lead_member_id not in known:
        raise ValidationFailed.on(
            "lead_member_id", _("no such member in this organisation"), "unknown_member"
        )
    for i, member_id in enumerate(member_ids or []):
        if member_id not in known:
            raise ValidationFailed.on(
                f"member_ids[{i}]", _("no such member in this organisation"), "unknown_member"
            )


async def list_teams(
    session: AsyncSession, principal: Principal, params: PageParams
) -> tuple[list[TeamView], int]:
    teams, total = await repo.list_teams(session, principal.org_id, params)
    return await _team_views(session, principal, teams), total


async def get_team(session: AsyncSession, principal: Principal, team_id: uuid.UUID) -> TeamView:
    team = await repo.get_team(session, principal.org_id, team_id)
    if team is None:
        raise NotFound(_("Team {team_id} not found.", team_id=team_id))
    return (await _team_views(session, principal, [team]))[0]


async def create_team(session: AsyncSession, principal: Principal, body: TeamCreate) -> TeamView:
    await _check_team_fields(
        session,
        principal,
        name=body.name,
        team_id=None,
        lead_member_id=body.lead_member_id,
        member_ids=body.member_ids,
    )
    team = Team(
        org_id=principal.org_id,
        name=body.name,
        description=body.description,
        lead_member_id=body.lead_member_id,
    )
    session.add(team)
    await session.flush()
    for member_id in dict.fromkeys(body.member_ids):
        session.add(TeamMember(org_id=principal.org_id, team_id=team.id, member_id=member_id))
    await session.flush()
    return await get_team(session, principal, team.id)


async def update_team(
    session: AsyncSession,
    principal: Principal,
    team_id: uuid.UUID,
    body: TeamUpdate,
    if_match: str | None,
) -> TeamView:
    view = await get_team(session, principal, team_id)
    team = view.team
    changes = changes_to(team, body, if_match)
    member_ids = changes.pop("member_ids", None)
    await _check_team_fields(
        session,
        principal,
        name=changes.get("name"),
        team_id=team.id,
        lead_member_id=changes.get("lead_member_id"),
        member_ids=member_ids,
    )
    if member_ids is not None:
        wanted = set(member_ids)
        links = await repo.team_members(session, principal.org_id, [team.id])
        for link in links:
            if link.member_id not in wanted:
                await session.delete(link)
        for member_id in wanted - {link.member_id for link in links}:
            session.add(TeamMember(org_id=principal.org_id, team_id=team.id, member_id=member_id))
        team.updated_at = utcnow()  # membership changed: the team's version moves on
    apply_changes(team, changes)
    await session.flush()
    return await get_team(session, principal, team.id)


async def delete_team(session: AsyncSession, principal: Principal, team_id: uuid.UUID) -> None:
    view = await get_team(session, principal, team_id)
    for link in await repo.team_members(session, principal.org_id, [view.team.id]):
        await session.delete(link)  # one by one, so each leaves an audit row
    await session.flush()  # links first: the unit of work does not order unrelated deletes
    await session.delete(view.team)
    await session.flush()


async def is_team(session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID) -> bool:
    """For other domains that reference a team of the organisation."""
    return await repo.get_team(session, org_id, team_id) is not None


async def is_active_member(session: AsyncSession, org_id: uuid.UUID, member_id: uuid.UUID) -> bool:
    """For other domains that give work to a member: one of the organisation, not deactivated."""
    member = await repo.get_member(session, org_id, member_id)
    return member is not None and member.is_active


async def team_ids_of_member(
    session: AsyncSession, org_id: uuid.UUID, member_id: uuid.UUID
) -> list[uuid.UUID]:
    """For other domains that route work to teams: the teams this member is in."""
    return await repo.team_ids_of_member(session, org_id, member_id)


async def active_team_member_ids(
    session: AsyncSession, org_id: uuid.UUID, team_id: uuid.UUID
) -> list[uuid.UUID]:
    """For other domains that address a team: its active members."""
    return await repo.active_team_member_ids(session, org_id, team_id)


async def team_names(
    session: AsyncSession, org_id: uuid.UUID, team_ids: set[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """For other domains that show who work went to: team id -> name."""
    return await repo.team_names(session, org_id, team_ids) if team_ids else {}
