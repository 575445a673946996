"""Alert rule, alert and notification channel endpoints (预警)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Request, Response, status

from mems.alerts import service
from mems.alerts.models import AlertState
from mems.alerts.schemas import (
    AlertAction,
    AlertRead,
    DeliveryRead,
    EvaluatedRead,
    NoticeChannelCreate,
    NoticeChannelRead,
    NoticeChannelUpdate,
    RuleCreate,
    RuleRead,
    RuleUpdate,
)
from mems.core.db import SessionDep
from mems.core.errors import (
    CHANGE_ONE,
    GUARDED,
    ONE,
    Conflict,
    NotFound,
    problem_responses,
    request_locale,
)
from mems.core.pagination import Page, PageParamsDep
from mems.core.routing import api_router
from mems.core.versioning import IfMatchHeader, set_etag
from mems.identity.auth import Requires
from mems.identity.permissions import Permission
from mems.identity.principal import Principal

router = api_router(
    tags=["alerts"],
    responses=GUARDED,
)
Read = Requires(Permission.ALERTS_READ)
Handle = Requires(Permission.ALERTS_HANDLE)
Rules = Requires(Permission.ALERT_RULES_MANAGE)
Channels = Requires(Permission.NOTIFICATION_CHANNELS_MANAGE)


# ---- rules ------------------------------------------------------------------------------------


@router.get("/alert-rules", response_model=list[RuleRead])
async def list_rules(session: SessionDep, principal: Principal = Read) -> list[RuleRead]:
    """The organisation's alert rules, active first, with their open alerts."""
    return await service.list_rules(session, principal)


@router.post(
    "/alert-rules",
    response_model=RuleRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(NotFound, Conflict),
)
async def create_rule(
    body: RuleCreate, session: SessionDep, principal: Principal = Rules
) -> RuleRead:
    """A rule: a metric (a count, money, or a ratio of sums: CTR, CVR, CPC, CPM, CPA, ROAS,
    ROI), a comparator and a threshold — absolute, or `relative`: a percent of the industry
    benchmark ("CTR < 80 % of the average for short video"); a scope (the organisation, or one
    or each channel, project or campaign); a window (the last N days or hours); a minimum
    volume below which nothing is judged; a severity and a cooldown. Judged after every batch
    of channel data and every quarter hour."""
    return await service.create_rule(session, principal, body)


@router.post("/alert-rule-runs", response_model=EvaluatedRead)
async def evaluate_rules(session: SessionDep, principal: Principal = Rules) -> EvaluatedRead:
    """Judge every active rule now (as after a batch): alerts raised, kept, resolved."""
    return await service.evaluate_now(session, principal)


@router.get("/alert-rules/{rule_id}", response_model=RuleRead, responses=ONE)
async def get_rule(
    rule_id: uuid.UUID, response: Response, session: SessionDep, principal: Principal = Read
) -> RuleRead:
    """One rule."""
    rule = await service.get_rule(session, principal, rule_id)
    set_etag(response, rule.version)
    return rule


@router.patch("/alert-rules/{rule_id}", response_model=RuleRead, responses=CHANGE_ONE)
async def update_rule(
    rule_id: uuid.UUID,
    body: RuleUpdate,
    response: Response,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Rules,
) -> RuleRead:
    """Change a rule's metric, threshold, window, volume, severity or cooldown, or pause it
    (`active: false`); its scope stays."""
    rule = await service.update_rule(session, principal, rule_id, body, if_match)
    set_etag(response, rule.version)
    return rule


@router.delete("/alert-rules/{rule_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ONE)
async def delete_rule(
    rule_id: uuid.UUID, session: SessionDep, principal: Principal = Rules
) -> Response:
    """Delete a rule and its alerts."""
    await service.delete_rule(session, principal, rule_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# ---- alerts -----------------------------------------------------------------------------------


@router.get("/alerts", response_model=Page[AlertRead])
async def list_alerts(
    request: Request,
    session: SessionDep,
    page: PageParamsDep,
    state: Annotated[list[AlertState] | None, Query(description="Any of these states")] = None,
    project_id: uuid.UUID | None = None,
    principal: Principal = Read,
) -> Page[AlertRead]:
    """Alerts: open first, then acknowledged, then resolved; critical and newest first."""
    items, total = await service.list_alerts(
        session, principal, page, request_locale(request), states=state, project_id=project_id
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/alerts/{alert_id}", response_model=AlertRead, responses=ONE)
async def get_alert(
    alert_id: uuid.UUID,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: Principal = Read,
) -> AlertRead:
    """One alert: the figures that triggered it, its benchmark and its suggestion."""
    alert = await service.get_alert(session, principal, alert_id, request_locale(request))
    set_etag(response, alert.version)
    return alert


@router.post("/alerts/{alert_id}/acknowledge", response_model=AlertRead, responses=CHANGE_ONE)
async def acknowledge_alert(
    alert_id: uuid.UUID,
    body: AlertAction,
    request: Request,
    session: SessionDep,
    principal: Principal = Handle,
) -> AlertRead:
    """Say someone is on it (an open alert; with an optional note)."""
    return await service.acknowledge(session, principal, alert_id, body, request_locale(request))


@router.post("/alerts/{alert_id}/resolve", response_model=AlertRead, responses=CHANGE_ONE)
async def resolve_alert(
    alert_id: uuid.UUID,
    body: AlertAction,
    request: Request,
    session: SessionDep,
    principal: Principal = Handle,
) -> AlertRead:
    """Say it is dealt with (an open or acknowledged alert; with an optional note)."""
    return await service.resolve(session, principal, alert_id, body, request_locale(request))


# ---- notification channels --------------------------------------------------------------------


@router.get("/notification-channels", response_model=list[NoticeChannelRead])
async def list_channels(
    session: SessionDep, principal: Principal = Channels
) -> list[NoticeChannelRead]:
    """Where alerts are sent besides the in-app list."""
    return await service.list_channels(session, principal)


@router.post(
    "/notification-channels",
    response_model=NoticeChannelRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(Conflict),
)
async def create_channel(
    body: NoticeChannelCreate, session: SessionDep, principal: Principal = Channels
) -> NoticeChannelRead:
    """A Feishu, DingTalk, WeCom or Slack bot, a signed JSON webhook, or e-mail addresses, for
    alerts of `min_severity` and above. A URL must be public HTTPS (a private or loopback
    address: only when an admin allows it)."""
    return await service.create_channel(session, principal, body)


@router.get("/notification-channels/{channel_id}", response_model=NoticeChannelRead, responses=ONE)
async def get_channel(
    channel_id: uuid.UUID, response: Response, session: SessionDep, principal: Principal = Channels
) -> NoticeChannelRead:
    """One notification channel."""
    channel = await service.get_channel(session, principal, channel_id)
    set_etag(response, channel.version)
    return channel


@router.patch(
    "/notification-channels/{channel_id}", response_model=NoticeChannelRead, responses=CHANGE_ONE
)
async def update_channel(
    channel_id: uuid.UUID,
    body: NoticeChannelUpdate,
    response: Response,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Channels,
) -> NoticeChannelRead:
    """Change a channel's URL, secret, addresses or minimum severity, or pause it."""
    channel = await service.update_channel(session, principal, channel_id, body, if_match)
    set_etag(response, channel.version)
    return channel


@router.delete(
    "/notification-channels/{channel_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ONE
)
async def delete_channel(
    channel_id: uuid.UUID, session: SessionDep, principal: Principal = Channels
) -> Response:
    """Delete a channel and its delivery log."""
    await service.delete_channel(session, principal, channel_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/notification-channels/{channel_id}/test",
    response_model=DeliveryRead,
    status_code=status.HTTP_202_ACCEPTED,
    responses=ONE,
)
async def send_test_message(
    channel_id: uuid.UUID, session: SessionDep, principal: Principal = Channels
) -> DeliveryRead:
    """Send a test message; its delivery (in the log) says how it went."""
    return await service.send_test_message(session, principal, channel_id)


@router.get(
    "/notification-channels/{channel_id}/deliveries",
    response_model=Page[DeliveryRead],
    responses=ONE,
)
async def list_deliveries(
    channel_id: uuid.UUID, session: SessionDep, page: PageParamsDep, principal: Principal = Channels
) -> Page[DeliveryRead]:
    """The channel's delivery log, newest first: attempts, the last answer, the error."""
    items, total = await service.list_deliveries(session, principal, channel_id, page)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)
