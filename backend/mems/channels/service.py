"""Channel rules (渠道, issue 11): the channel catalogue, campaigns and their projects, data
sources and their secrets.

Channels are data: an organisation keeps its own list (`POST /channel-defaults` adds the
common ones: 抖音, 小红书, 微信 …), each with the `key` integrations send. A campaign is a
channel's campaign, known by the platform's id; it is linked to the MEMS project whose money
it spends, by someone who may manage that project. Records for a campaign not seen before
create it (they must name it). Data sources say where data comes from: a REST integration,
an upload, or a signed webhook (MEMS's format or Meta's), with its currency and secret.
"""

from __future__ import annotations

import secrets
import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mems.channels import repository as repo
from mems.channels.defaults import DEFAULT_CHANNELS
from mems.channels.ingest import SPEND_JOB
from mems.channels.models import AdCampaign, Channel, DataSource, SourceKind
from mems.channels.schemas import (
    CampaignCreate,
    CampaignRead,
    CampaignUpdate,
    ChannelCreate,
    ChannelRead,
    ChannelUpdate,
    SourceCreate,
    SourceRead,
    SourceSecretRead,
    SourceUpdate,
)
from mems.core.errors import (
    Conflict,
    Duplicate,
    FieldError,
    NotFound,
    ValidationFailed,
    integrity_kind,
)
from mems.core.i18n import _
from mems.core.jobs import enqueue_after_commit
from mems.core.pagination import PageParams
from mems.core.versioning import apply_changes, changes_to
from mems.identity.principal import Principal
from mems.projects import service as projects
from mems.projects.policy import ProjectRight

WEBHOOK_KINDS = frozenset({SourceKind.WEBHOOK, SourceKind.META})


async def _flush_unique(
    session: AsyncSession, obj: object, *, add: bool, field: str, message: object
) -> None:
    """Write `obj`; a unique key taken (first, or by a concurrent request) is a 409 naming
    `field`."""
    try:
        async with session.begin_nested():
            if add:
                session.add(obj)
            await session.flush()
    except IntegrityError as exc:
        if integrity_kind(exc)[0] != "unique":
            raise
        raise Duplicate(
            message,  # type: ignore[arg-type]
            errors=[FieldError(field=field, message="already taken", type="duplicate")],
        ) from exc


# ---- channels ---------------------------------------------------------------------------------


async def list_channels(session: AsyncSession, principal: Principal) -> list[ChannelRead]:
    return [
        ChannelRead.model_validate(c) for c in await repo.list_channels(session, principal.org_id)
    ]


async def _channel(session: AsyncSession, principal: Principal, channel_id: uuid.UUID) -> Channel:
    channel = await repo.get_channel(session, principal.org_id, channel_id)
    if channel is None:
        raise NotFound(_("Channel {channel_id} not found.", channel_id=channel_id))
    return channel


async def get_channel(
    session: AsyncSession, principal: Principal, channel_id: uuid.UUID
) -> ChannelRead:
    return ChannelRead.model_validate(await _channel(session, principal, channel_id))


async def create_channel(
    session: AsyncSession, principal: Principal, body: ChannelCreate
) -> ChannelRead:
    channel = Channel(org_id=principal.org_id, key=body.key, name=body.name, kind=body.kind)
    await _flush_unique(
        session,
        channel,
        add=True,
        field="key",
        message=_("A channel with the key {key} exists already.", key=body.key),
    )
    return ChannelRead.model_validate(channel)


async def add_default_channels(session: AsyncSession, principal: Principal) -> list[ChannelRead]:
    """Add the common channels the organisation does not have yet (by key); the whole list
    after."""
    have = await repo.channels_by_key(
        session, principal.org_id, [k for k, _n, _k in DEFAULT_CHANNELS]
    )
    for key, name, kind in DEFAULT_CHANNELS:
        if key not in have:
            await _flush_unique(
                session,
                Channel(org_id=principal.org_id, key=key, name=name, kind=kind),
                add=True,
                field="key",
                message=_("A channel with the key {key} exists already.", key=key),
            )
    return await list_channels(session, principal)


async def update_channel(
    session: AsyncSession,
    principal: Principal,
    channel_id: uuid.UUID,
    body: ChannelUpdate,
    if_match: str | None,
) -> ChannelRead:
    channel = await _channel(session, principal, channel_id)
    apply_changes(channel, changes_to(channel, body, if_match))
    await session.flush()
    return ChannelRead.model_validate(channel)


async def delete_channel(
    session: AsyncSession, principal: Principal, channel_id: uuid.UUID
) -> None:
    """Delete a channel no campaign uses; one with campaigns is retired instead."""
    channel = await _channel(session, principal, channel_id)
    if await repo.channel_has_campaigns(session, principal.org_id, channel.id):
        raise Conflict(
            _(
                "{name} has campaigns: retire it instead (PATCH active=false), so their data "
                "stays.",
                name=channel.name,
            ),
            reason="has_campaigns",
        )
    await session.delete(channel)
    await session.flush()


# ---- campaigns --------------------------------------------------------------------------------


async def list_campaigns(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    channel_id: uuid.UUID | None,
    project_id: uuid.UUID | None,
    q: str | None,
) -> tuple[list[CampaignRead], int]:
    items, total = await repo.list_campaigns(
        session, principal.org_id, params, channel_id=channel_id, project_id=project_id, q=q
    )
    return [CampaignRead.model_validate(c) for c in items], total


async def _campaign(
    session: AsyncSession, principal: Principal, campaign_id: uuid.UUID
) -> AdCampaign:
    campaign = await repo.get_campaign(session, principal.org_id, campaign_id)
    if campaign is None:
        raise NotFound(_("Campaign {campaign_id} not found.", campaign_id=campaign_id))
    return campaign


async def get_campaign(
    session: AsyncSession, principal: Principal, campaign_id: uuid.UUID
) -> CampaignRead:
    return CampaignRead.model_validate(await _campaign(session, principal, campaign_id))


async def campaign_names(
    session: AsyncSession, principal: Principal, ids: set[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """For other domains: the campaigns' names (those of the caller's organisation)."""
    return await repo.campaign_names(session, principal.org_id, ids)


async def _check_project(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID | None
) -> None:
    """A campaign is linked to a project its linker may manage (404 outside the organisation,
    403 without the right)."""
    if project_id is not None:
        await projects.project_for(session, principal, project_id, ProjectRight.MANAGE)


async def create_campaign(
    session: AsyncSession, principal: Principal, body: CampaignCreate
) -> CampaignRead:
    channel = await _channel(session, principal, body.channel_id)
    await _check_project(session, principal, body.project_id)
    campaign = AdCampaign(
        org_id=principal.org_id,
        channel_id=channel.id,
        external_id=body.external_id,
        name=body.name,
        project_id=body.project_id,
        sync_spend=body.sync_spend,
    )
    await _flush_unique(
        session,
        campaign,
        add=True,
        field="external_id",
        message=_(
            "{channel} has a campaign {external_id} already.",
            channel=channel.name,
            external_id=body.external_id,
        ),
    )
    return CampaignRead.model_validate(campaign)


async def update_campaign(
    session: AsyncSession,
    principal: Principal,
    campaign_id: uuid.UUID,
    body: CampaignUpdate,
    if_match: str | None,
) -> CampaignRead:
    campaign = await _campaign(session, principal, campaign_id)
    changes = changes_to(campaign, body, if_match)
    if "project_id" in changes and changes["project_id"] != campaign.project_id:
        # Moving a campaign takes it from its project too: who may manage both.
        await _check_project(session, principal, campaign.project_id)
        await _check_project(session, principal, changes["project_id"])
    moved = {"project_id", "sync_spend"} & changes.keys()
    apply_changes(campaign, changes)
    await session.flush()
    if moved:  # its spend entries follow it (or go)
        enqueue_after_commit(
            session, SPEND_JOB, org_id=str(campaign.org_id), campaign_ids=[str(campaign.id)]
        )
    return CampaignRead.model_validate(campaign)


async def delete_campaign(
    session: AsyncSession, principal: Principal, campaign_id: uuid.UUID
) -> None:
    """Delete a campaign without data; one with data is ended instead (status ended)."""
    campaign = await _campaign(session, principal, campaign_id)
    if await repo.campaign_has_records(session, principal.org_id, campaign.id):
        raise Conflict(
            _("{name} has channel data: end it instead (PATCH status=ended).", name=campaign.name),
            reason="has_records",
        )
    await session.delete(campaign)
    await session.flush()


# ---- data sources -----------------------------------------------------------------------------


def webhook_path(source: DataSource) -> str | None:
    if source.kind == SourceKind.WEBHOOK:
        return f"/api/v1/hooks/{source.id}"
    if source.kind == SourceKind.META:
        return f"/api/v1/hooks/meta/{source.id}"
    return None


def source_read(source: DataSource) -> SourceRead:
    return SourceRead(
        id=source.id,
        name=source.name,
        kind=source.kind,
        channel_id=source.channel_id,
        currency=source.currency,
        rate=source.rate,
        active=source.active,
        last_received_at=source.last_received_at,
        webhook_path=webhook_path(source),
        has_secret=source.secret is not None,
        version=source.version,
    )


async def list_sources(session: AsyncSession, principal: Principal) -> list[SourceRead]:
    return [source_read(s) for s in await repo.list_sources(session, principal.org_id)]


async def source_of(
    session: AsyncSession, principal: Principal, source_id: uuid.UUID
) -> DataSource:
    source = await repo.get_source(session, principal.org_id, source_id)
    if source is None:
        raise NotFound(_("Data source {source_id} not found.", source_id=source_id))
    return source


async def get_source(
    session: AsyncSession, principal: Principal, source_id: uuid.UUID
) -> SourceRead:
    return source_read(await source_of(session, principal, source_id))


async def create_source(
    session: AsyncSession, principal: Principal, body: SourceCreate
) -> SourceRead:
    if body.channel_id is not None:
        await _channel(session, principal, body.channel_id)
    webhook = body.kind in WEBHOOK_KINDS
    source = DataSource(
        org_id=principal.org_id,
        name=body.name,
        kind=body.kind,
        channel_id=body.channel_id,
        currency=body.currency,
        rate=body.rate,
        secret=(body.secret or secrets.token_urlsafe(32)) if webhook else None,
        verify_token=secrets.token_urlsafe(24) if body.kind == SourceKind.META else None,
        mapping={},
    )
    await _flush_unique(
        session,
        source,
        add=True,
        field="name",
        message=_("A data source named {name} exists already.", name=body.name),
    )
    return source_read(source)


async def update_source(
    session: AsyncSession,
    principal: Principal,
    source_id: uuid.UUID,
    body: SourceUpdate,
    if_match: str | None,
) -> SourceRead:
    source = await source_of(session, principal, source_id)
    changes = changes_to(source, body, if_match)
    if changes.get("channel_id") is not None:
        await _channel(session, principal, changes["channel_id"])
    if "secret" in changes and source.kind not in WEBHOOK_KINDS:
        raise ValidationFailed.on(
            "secret", _("Only webhook sources have a signing secret."), "no_secret"
        )
    apply_changes(source, changes)
    await _flush_unique(
        session,
        source,
        add=False,
        field="name",
        message=_("A data source named {name} exists already.", name=source.name),
    )
    return source_read(source)


async def source_secret(
    session: AsyncSession, principal: Principal, source_id: uuid.UUID
) -> SourceSecretRead:
    source = await source_of(session, principal, source_id)
    return SourceSecretRead(secret=source.secret, verify_token=source.verify_token)


async def rotate_secret(
    session: AsyncSession, principal: Principal, source_id: uuid.UUID
) -> SourceSecretRead:
    """A new signing secret (the old one stops working at once)."""
    source = await source_of(session, principal, source_id)
    if source.kind not in WEBHOOK_KINDS:
        raise Conflict(_("Only webhook sources have a signing secret."), reason="no_secret")
    if source.kind == SourceKind.META:
        raise Conflict(
            _("Meta's app secret comes from Meta: set it on the source (secret), not here."),
            reason="meta_app_secret",
        )
    source.secret = secrets.token_urlsafe(32)
    await session.flush()
    return SourceSecretRead(secret=source.secret, verify_token=source.verify_token)


async def delete_source(session: AsyncSession, principal: Principal, source_id: uuid.UUID) -> None:
    """Delete a source (its batches stay, without it; their data stays)."""
    source = await source_of(session, principal, source_id)
    await session.delete(source)
    await session.flush()
