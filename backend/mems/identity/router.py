"""Identity endpoints: login/logout, me, the organisation, members, API tokens."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Annotated

from fastapi import Query, Request, Response, status

from mems.config import Settings
from mems.core.db import OneReaderDep, SessionDep
from mems.core.errors import (
    Conflict,
    Forbidden,
    MalformedBody,
    NotFound,
    PreconditionFailed,
    StaleVersion,
    TooManyRequests,
    Unauthorized,
    ValidationFailed,
    problem_responses,
)
from mems.core.pagination import Page, PageParamsDep
from mems.core.responses import json_response
from mems.core.routing import api_router
from mems.core.versioning import IfMatchHeader, etag, set_etag
from mems.identity import service
from mems.identity.auth import (
    CSRF_COOKIE,
    DEVICE_COOKIE,
    DEVICE_COOKIE_DAYS,
    SESSION_COOKIE,
    CurrentPrincipal,
    Requires,
)
from mems.identity.models import ApiToken, Invitation, Membership, Organization
from mems.identity.permissions import ROLE_PERMISSIONS, Permission
from mems.identity.principal import Principal
from mems.identity.schemas import (
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenRead,
    InvitationRead,
    LoginRequest,
    Me,
    MemberAdded,
    MemberCreate,
    MemberRead,
    MemberUpdate,
    MyInvitationRead,
    OrgRead,
    OrgUpdate,
    PasswordChange,
    TeamCreate,
    TeamRead,
    TeamUpdate,
    TokenResponse,
    UserRead,
)
from mems.identity.service import LoginResult

_AUTH = problem_responses(Unauthorized, Forbidden, ValidationFailed)

auth_router = api_router(prefix="/auth", tags=["auth"])
router = api_router(tags=["identity"], responses=_AUTH)


def member_read(member: Membership) -> MemberRead:
    return MemberRead(
        id=member.id,
        user_id=member.user_id,
        email=member.user.email,
        name=member.user.name,
        role=member.role,
        is_active=member.is_active,
        created_at=member.created_at,
        updated_at=member.updated_at,
        version=member.version,
    )


def _me(member: Membership, org: Organization, permissions: Iterable[Permission], via: str) -> Me:
    return Me(
        user=UserRead.model_validate(member.user),
        org=OrgRead.model_validate(org),
        membership_id=member.id,
        role=member.role,
        permissions=sorted(permissions),
        via=via,
    )


_LOGIN_PROBLEMS = problem_responses(Unauthorized, TooManyRequests, ValidationFailed, MalformedBody)


async def _log_in(request: Request, body: LoginRequest, session: SessionDep) -> LoginResult:
    settings: Settings = request.app.state.settings
    ip = request.client.host if request.client else "unknown"
    return await service.login(
        session,
        settings,
        body,
        ip,
        request.headers.get("user-agent"),
        device=request.cookies.get(DEVICE_COOKIE),
    )


@auth_router.post("/login", response_model=Me, responses=_LOGIN_PROBLEMS)
async def login(
    body: LoginRequest, request: Request, response: Response, session: SessionDep
) -> Me:
    """Log in the browser with e-mail and password (the SPA).

    Sets the HttpOnly `mems_session` cookie and the readable `mems_csrf` cookie (send it back
    as `X-CSRF-Token` on unsafe requests), and returns the signed-in user; no secret is in the
    body. API clients use `POST /auth/token` instead. Repeated failures are answered 429 with
    `Retry-After` (see the README's "Logging in" for the throttle).
    """
    settings: Settings = request.app.state.settings
    result = await _log_in(request, body, session)
    max_age = settings.session_ttl_hours * 3600
    for name, value, seconds, httponly in (
        (SESSION_COOKIE, result.token, max_age, True),
        (CSRF_COOKIE, result.csrf, max_age, False),  # the SPA reads it
        (DEVICE_COOKIE, result.device, DEVICE_COOKIE_DAYS * 86400, True),
    ):
        response.set_cookie(
            name,
            value,
            max_age=seconds,
            httponly=httponly,
            samesite="lax",
            secure=settings.cookie_secure,
            path="/",
        )
    return _me(result.membership, result.org, ROLE_PERMISSIONS[result.membership.role], "session")


@auth_router.post("/token", response_model=TokenResponse, responses=_LOGIN_PROBLEMS)
async def token(body: LoginRequest, request: Request, session: SessionDep) -> TokenResponse:
    """Get a bearer token for an API client with e-mail and password.

    Send it as `Authorization: Bearer <access_token>` until `expires_at`; `POST /auth/logout`
    with it ends it. Same throttle as `/auth/login`. For integrations that run unattended,
    prefer a scoped API token (`/api-tokens`).
    """
    result = await _log_in(request, body, session)
    return TokenResponse(access_token=result.token, expires_at=result.expires_at)


@auth_router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=_AUTH)
async def logout(principal: CurrentPrincipal, response: Response, session: SessionDep) -> None:
    """End this login session (the cookie and its bearer token stop working)."""
    await service.logout(session, principal)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


@router.get("/me", response_model=Me)
async def get_me(principal: CurrentPrincipal, reader: OneReaderDep) -> Response:
    """Who is logged in: user, organisation, role and the permissions it grants."""
    return json_response(await service.view_me(reader, principal), Me)


@router.get("/org", response_model=OrgRead)
async def get_org(
    response: Response, session: SessionDep, principal: Principal = Requires(Permission.ORG_READ)
) -> OrgRead:
    """The caller's organisation."""
    org = await service.get_org(session, principal)
    set_etag(response, org.version)
    return OrgRead.model_validate(org)


@router.patch(
    "/org", response_model=OrgRead, responses=problem_responses(StaleVersion, PreconditionFailed)
)
async def update_org(
    body: OrgUpdate,
    response: Response,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Requires(Permission.ORG_MANAGE),
) -> OrgRead:
    """Change the organisation's name, time zone or default language."""
    org = await service.update_org(session, principal, body, if_match)
    set_etag(response, org.version)
    return OrgRead.model_validate(org)


@router.get("/members", response_model=Page[MemberRead])
async def list_members(
    reader: OneReaderDep,
    page: PageParamsDep,
    q: Annotated[str | None, Query(max_length=100, description="Search name or e-mail")] = None,
    include_inactive: bool = False,
    principal: Principal = Requires(Permission.MEMBERS_READ),
) -> Response:
    """Members of the organisation, by name."""
    members = await service.view_members(reader, principal, page, q, include_inactive)
    return json_response(members, Page[MemberRead])


@router.post(
    "/members",
    response_model=MemberAdded,
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(Conflict),
)
async def create_member(
    body: MemberCreate,
    session: SessionDep,
    principal: Principal = Requires(Permission.MEMBERS_MANAGE),
) -> MemberAdded:
    """Add a person to the organisation with a role.

    A new e-mail gets an account with the given password and joins at once (they change the
    password after logging in); an e-mail that already has a MEMS account is invited instead,
    and joins when that person accepts (`/me/invitations`). The answer is the same either way
    and says nothing about the account; the person shows in `/members` once they belong, and
    open invitations in `/invitations`. Adding someone already invited answers the same.
    """
    await service.create_member(session, principal, body)
    return MemberAdded(email=body.email.lower(), name=body.name, role=body.role)


def _invitation_read(invitation: Invitation) -> InvitationRead:
    return InvitationRead(
        id=invitation.id,
        email=invitation.email,
        name=invitation.name,
        role=invitation.role,
        status=service.invitation_status(invitation),
        invited_by_member_id=invitation.invited_by_member_id,
        created_at=invitation.created_at,
        expires_at=invitation.expires_at,
        answered_at=invitation.answered_at,
    )


@router.get("/invitations", response_model=Page[InvitationRead])
async def list_invitations(
    session: SessionDep,
    page: PageParamsDep,
    pending: Annotated[bool, Query(description="Only open (pending, unexpired) ones")] = True,
    principal: Principal = Requires(Permission.MEMBERS_MANAGE),
) -> Page[InvitationRead]:
    """The organisation's invitations, newest first."""
    items, total = await service.list_invitations(session, principal, page, pending)
    return Page(
        items=[_invitation_read(i) for i in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.delete(
    "/invitations/{invitation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound),
)
async def revoke_invitation(
    invitation_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = Requires(Permission.MEMBERS_MANAGE),
) -> None:
    """Withdraw an open invitation (an answered one stays as it is)."""
    await service.revoke_invitation(session, principal, invitation_id)


@router.get("/me/invitations", response_model=list[MyInvitationRead])
async def my_invitations(
    principal: CurrentPrincipal, session: SessionDep
) -> list[MyInvitationRead]:
    """Open invitations to the signed-in person from other organisations."""
    return [
        MyInvitationRead(
            id=inv.id,
            org_id=inv.org_id,
            org_name=org_name,
            role=inv.role,
            invited_by_name=by,
            created_at=inv.created_at,
            expires_at=inv.expires_at,
        )
        for inv, org_name, by in await service.my_invitations(session, principal)
    ]


@router.post(
    "/me/invitations/{invitation_id}/accept",
    response_model=OrgRead,
    responses=problem_responses(NotFound),
)
async def accept_invitation(
    invitation_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> OrgRead:
    """Join the inviting organisation; log in to it with `org` (its slug) to work there."""
    member = await service.accept_invitation(session, principal, invitation_id)
    org = await service.org_of(session, member.org_id)
    return OrgRead.model_validate(org)


@router.post(
    "/me/invitations/{invitation_id}/decline",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound),
)
async def decline_invitation(
    invitation_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> None:
    """Say no to an invitation; the inviting organisation sees it declined."""
    await service.decline_invitation(session, principal, invitation_id)


@router.post(
    "/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(Forbidden, ValidationFailed),
)
async def change_password(
    body: PasswordChange, principal: CurrentPrincipal, session: SessionDep
) -> None:
    """Change your own password. Your other login sessions end; this one stays."""
    await service.change_password(session, principal, body)


@router.get(
    "/members/{member_id}", response_model=MemberRead, responses=problem_responses(NotFound)
)
async def get_member(
    member_id: uuid.UUID,
    reader: OneReaderDep,
    principal: Principal = Requires(Permission.MEMBERS_READ),
) -> Response:
    """One member."""
    member = await service.view_member(reader, principal, member_id)
    return json_response(member, MemberRead, headers={"ETag": etag(member["version"])})


@router.patch(
    "/members/{member_id}",
    response_model=MemberRead,
    responses=problem_responses(NotFound, Conflict, PreconditionFailed),
)
async def update_member(
    member_id: uuid.UUID,
    body: MemberUpdate,
    response: Response,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Requires(Permission.MEMBERS_MANAGE),
) -> MemberRead:
    """Rename, change the role of, or (de)activate a member. Deactivation ends their sessions."""
    member = await service.update_member(session, principal, member_id, body, if_match)
    set_etag(response, member.version)
    return member_read(member)


@router.delete(
    "/members/{member_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound, Conflict),
)
async def remove_member(
    member_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = Requires(Permission.MEMBERS_MANAGE),
) -> None:
    """Remove a member from the organisation (their user account stays)."""
    await service.remove_member(session, principal, member_id)


def token_read(token: ApiToken) -> ApiTokenRead:
    return ApiTokenRead.model_validate(token)


@router.get("/api-tokens", response_model=Page[ApiTokenRead])
async def list_api_tokens(
    session: SessionDep,
    page: PageParamsDep,
    principal: Principal = Requires(Permission.API_TOKENS_MANAGE),
) -> Page[ApiTokenRead]:
    """Your API tokens (admins: every token of the organisation). Secrets are never shown."""
    items, total = await service.list_tokens(session, principal, page)
    return Page(
        items=[token_read(t) for t in items], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/api-token-scopes", response_model=list[Permission])
async def list_api_token_scopes(
    principal: Principal = Requires(Permission.API_TOKENS_MANAGE),
) -> list[Permission]:
    """The scopes you may grant to a token (those your role holds)."""
    return service.grantable_scopes(principal)


@router.post("/api-tokens", response_model=ApiTokenCreated, status_code=status.HTTP_201_CREATED)
async def create_api_token(
    body: ApiTokenCreate,
    session: SessionDep,
    principal: Principal = Requires(Permission.API_TOKENS_MANAGE),
) -> ApiTokenCreated:
    """Create a scoped token for an integration. The secret is in this response only."""
    token, secret = await service.create_token(session, principal, body)
    return ApiTokenCreated(**token_read(token).model_dump(), token=secret)


@router.delete(
    "/api-tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound),
)
async def revoke_api_token(
    token_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = Requires(Permission.API_TOKENS_MANAGE),
) -> None:
    """Revoke a token; it stops working at once."""
    await service.revoke_token(session, principal, token_id)


def team_read(view: service.TeamView) -> TeamRead:
    t = view.team
    return TeamRead(
        id=t.id,
        name=t.name,
        description=t.description,
        lead_member_id=t.lead_member_id,
        member_ids=view.member_ids,
        created_at=t.created_at,
        updated_at=t.updated_at,
        version=t.version,
    )


@router.get("/teams", response_model=Page[TeamRead])
async def list_teams(
    session: SessionDep,
    page: PageParamsDep,
    principal: Principal = Requires(Permission.MEMBERS_READ),
) -> Page[TeamRead]:
    """Teams (项目组 / 部门团队) of the organisation with their members, by name."""
    items, total = await service.list_teams(session, principal, page)
    return Page(
        items=[team_read(v) for v in items], total=total, limit=page.limit, offset=page.offset
    )


@router.post(
    "/teams",
    response_model=TeamRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(Conflict),
)
async def create_team(
    body: TeamCreate, session: SessionDep, principal: Principal = Requires(Permission.TEAMS_MANAGE)
) -> TeamRead:
    """Form a team, with a lead and members."""
    return team_read(await service.create_team(session, principal, body))


@router.get("/teams/{team_id}", response_model=TeamRead, responses=problem_responses(NotFound))
async def get_team(
    team_id: uuid.UUID,
    response: Response,
    session: SessionDep,
    principal: Principal = Requires(Permission.MEMBERS_READ),
) -> TeamRead:
    """One team."""
    view = await service.get_team(session, principal, team_id)
    set_etag(response, view.team.version)
    return team_read(view)


@router.patch(
    "/teams/{team_id}",
    response_model=TeamRead,
    responses=problem_responses(NotFound, Conflict, PreconditionFailed),
)
async def update_team(
    team_id: uuid.UUID,
    body: TeamUpdate,
    response: Response,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Requires(Permission.TEAMS_MANAGE),
) -> TeamRead:
    """Rename a team, change its lead, or replace its members (`member_ids` is the full list)."""
    view = await service.update_team(session, principal, team_id, body, if_match)
    set_etag(response, view.team.version)
    return team_read(view)


@router.delete(
    "/teams/{team_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound),
)
async def delete_team(
    team_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = Requires(Permission.TEAMS_MANAGE),
) -> None:
    """Disband a team (its members stay in the organisation)."""
    await service.delete_team(session, principal, team_id)
