"""Channel, campaign, data source and channel-data endpoints (渠道数据)."""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import HTTPException, Query, Request, Response, status
from fastapi.responses import PlainTextResponse
from pydantic import TypeAdapter
from starlette.datastructures import UploadFile

from mems.channels import benchmark_service, channel_import, ingest, service, uploads, views
from mems.channels.models import BatchStatus, ChannelKind, SourceKind
from mems.channels.schemas import (
    MAX_RECORDS,
    BatchRead,
    BenchmarkMetric,
    BenchmarksIn,
    BenchmarksRead,
    CampaignCreate,
    CampaignRead,
    CampaignUpdate,
    ChannelCreate,
    ChannelRead,
    ChannelSettingsIn,
    ChannelSettingsRead,
    ChannelUpdate,
    ChannelUploadPreviewRead,
    ChannelUploadProblemRead,
    ChannelUploadRowRead,
    ChannelUploadTotalsRead,
    DashboardRead,
    Industry,
    MetricRowRead,
    RecordsIn,
    SourceCreate,
    SourceRead,
    SourceSecretRead,
    SourceUpdate,
)
from mems.collab.service import UnsupportedMediaType
from mems.config import Settings
from mems.core.db import OneReaderDep, SessionDep
from mems.core.errors import (
    CHANGE_ONE,
    GUARDED,
    ONE,
    Conflict,
    NotFound,
    PayloadTooLarge,
    StaleVersion,
    ValidationFailed,
    problem_responses,
    request_locale,
)
from mems.core.i18n import Locale, Message, _
from mems.core.pagination import Page, PageParamsDep
from mems.core.responses import json_response
from mems.core.routing import API_PREFIX, api_router
from mems.core.schemas import IsoDay, hand_read_body, validated_json
from mems.core.versioning import IfMatchHeader, set_etag
from mems.identity.auth import Requires
from mems.identity.permissions import Permission
from mems.identity.principal import Principal

router = api_router(
    tags=["channels"],
    responses=GUARDED,
)
Read = Requires(Permission.CHANNELS_READ)
Manage = Requires(Permission.CHANNELS_MANAGE)
Send = Requires(Permission.CHANNEL_DATA_SEND)
INGEST_PATH = f"{API_PREFIX}/channel-data"
_RECORDS_IN = TypeAdapter(RecordsIn)
_RECORDS_BODY = hand_read_body(RecordsIn)["requestBody"]
# Bodies of channel data (a batch, a webhook delivery, a spreadsheet) may be larger than other
# requests'.
INGEST_BODIES = re.compile(
    re.escape(API_PREFIX) + r"/(channel-data(/uploads)?|hooks/[^/]+(/[^/]+)?)"
)


# ---- channels ---------------------------------------------------------------------------------


@router.get("/channels", response_model=list[ChannelRead])
async def list_channels(session: SessionDep, principal: Principal = Read) -> list[ChannelRead]:
    """The organisation's channels: active ones first, by name."""
    return await service.list_channels(session, principal)


@router.post(
    "/channels",
    response_model=ChannelRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(Conflict),
)
async def create_channel(
    body: ChannelCreate, session: SessionDep, principal: Principal = Manage
) -> ChannelRead:
    """Add a channel; its `key` (what integrations send) is unique in the organisation."""
    return await service.create_channel(session, principal, body)


@router.post("/channel-defaults", response_model=list[ChannelRead])
async def add_default_channels(
    session: SessionDep, principal: Principal = Manage
) -> list[ChannelRead]:
    """Add the common channels (抖音, 快手, 小红书, 微信, 微博, 百度, 巨量引擎, 腾讯广告, Meta,
    Google Ads) the organisation does not have yet; answers the whole list."""
    return await service.add_default_channels(session, principal)


@router.get("/channels/{channel_id}", response_model=ChannelRead, responses=ONE)
async def get_channel(
    channel_id: uuid.UUID, response: Response, session: SessionDep, principal: Principal = Read
) -> ChannelRead:
    """One channel."""
    channel = await service.get_channel(session, principal, channel_id)
    set_etag(response, channel.version)
    return channel


@router.patch("/channels/{channel_id}", response_model=ChannelRead, responses=CHANGE_ONE)
async def update_channel(
    channel_id: uuid.UUID,
    body: ChannelUpdate,
    response: Response,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Manage,
) -> ChannelRead:
    """Rename a channel, change its kind, or retire it (`active: false`); its key stays."""
    channel = await service.update_channel(session, principal, channel_id, body, if_match)
    set_etag(response, channel.version)
    return channel


@router.delete(
    "/channels/{channel_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound, Conflict),
)
async def delete_channel(
    channel_id: uuid.UUID, session: SessionDep, principal: Principal = Manage
) -> Response:
    """Delete a channel without campaigns (one with campaigns: 409 `has_campaigns`)."""
    await service.delete_channel(session, principal, channel_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# ---- campaigns --------------------------------------------------------------------------------


@router.get("/campaigns", response_model=Page[CampaignRead])
async def list_campaigns(
    session: SessionDep,
    page: PageParamsDep,
    channel_id: uuid.UUID | None = None,
    project_id: uuid.UUID | None = None,
    q: Annotated[
        str | None, Query(max_length=100, description="In the name, or the platform's id")
    ] = None,
    principal: Principal = Read,
) -> Page[CampaignRead]:
    """Ad campaigns by name, optionally of one channel or one project."""
    items, total = await service.list_campaigns(
        session, principal, page, channel_id=channel_id, project_id=project_id, q=q or None
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/campaigns",
    response_model=CampaignRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(NotFound, Conflict),
)
async def create_campaign(
    body: CampaignCreate, session: SessionDep, principal: Principal = Manage
) -> CampaignRead:
    """Register a channel's campaign by the platform's id (unique per channel), linked to a
    project one may manage. (Channel data for a new campaign creates it as well.)"""
    return await service.create_campaign(session, principal, body)


@router.get("/campaigns/{campaign_id}", response_model=CampaignRead, responses=ONE)
async def get_campaign(
    campaign_id: uuid.UUID, response: Response, session: SessionDep, principal: Principal = Read
) -> CampaignRead:
    """One campaign."""
    campaign = await service.get_campaign(session, principal, campaign_id)
    set_etag(response, campaign.version)
    return campaign


@router.patch("/campaigns/{campaign_id}", response_model=CampaignRead, responses=CHANGE_ONE)
async def update_campaign(
    campaign_id: uuid.UUID,
    body: CampaignUpdate,
    response: Response,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Manage,
) -> CampaignRead:
    """Rename, pause or end a campaign, or link it to a project (one may manage both the
    project it leaves and the one it joins)."""
    campaign = await service.update_campaign(session, principal, campaign_id, body, if_match)
    set_etag(response, campaign.version)
    return campaign


@router.delete(
    "/campaigns/{campaign_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound, Conflict),
)
async def delete_campaign(
    campaign_id: uuid.UUID, session: SessionDep, principal: Principal = Manage
) -> Response:
    """Delete a campaign without data (one with data: 409 `has_records`, end it instead)."""
    await service.delete_campaign(session, principal, campaign_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/campaigns/{campaign_id}/records", response_model=list[MetricRowRead], responses=ONE)
async def campaign_records(
    campaign_id: uuid.UUID,
    session: SessionDep,
    from_: Annotated[IsoDay, Query(alias="from", description="From this day on")],
    to: Annotated[IsoDay, Query(description="Up to this day (included)")],
    principal: Principal = Read,
) -> list[MetricRowRead]:
    """The campaign's records as written (per day or hour, per creative) between two days
    (at most 92), with their data-quality flags: what the channel sent, for checking."""
    if to < from_ or to - from_ > timedelta(days=92):
        raise ValidationFailed.on(
            "to", _("Ask for at most 92 days, from a day to a later one."), "range"
        )
    return await views.campaign_records(session, principal, campaign_id, from_, to)


# ---- data sources -----------------------------------------------------------------------------


@router.get("/data-sources", response_model=list[SourceRead])
async def list_sources(session: SessionDep, principal: Principal = Read) -> list[SourceRead]:
    """Where channel data comes from, by name (secrets: `GET /data-sources/{id}/secret`)."""
    return await service.list_sources(session, principal)


@router.post(
    "/data-sources",
    response_model=SourceRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(NotFound, Conflict),
)
async def create_source(
    body: SourceCreate, session: SessionDep, principal: Principal = Manage
) -> SourceRead:
    """Add a data source: `api` (REST batches), `upload` (files), `webhook` (MEMS's signed
    format) or `meta` (Meta's webhooks). Webhook sources get a signing secret (given or made)
    and their URL; a Meta source also a verify token for the subscription handshake."""
    return await service.create_source(session, principal, body)


@router.get("/data-sources/{source_id}", response_model=SourceRead, responses=ONE)
async def get_source(
    source_id: uuid.UUID, response: Response, session: SessionDep, principal: Principal = Read
) -> SourceRead:
    """One data source."""
    source = await service.get_source(session, principal, source_id)
    set_etag(response, source.version)
    return source


@router.patch("/data-sources/{source_id}", response_model=SourceRead, responses=CHANGE_ONE)
async def update_source(
    source_id: uuid.UUID,
    body: SourceUpdate,
    response: Response,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Manage,
) -> SourceRead:
    """Rename a source, change its channel, currency and rate, or pause it (`active: false`:
    its webhooks are refused)."""
    source = await service.update_source(session, principal, source_id, body, if_match)
    set_etag(response, source.version)
    return source


@router.delete("/data-sources/{source_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ONE)
async def delete_source(
    source_id: uuid.UUID, session: SessionDep, principal: Principal = Manage
) -> Response:
    """Delete a source (its batches and their data stay)."""
    await service.delete_source(session, principal, source_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/data-sources/{source_id}/secret", response_model=SourceSecretRead, responses=ONE)
async def get_source_secret(
    source_id: uuid.UUID, session: SessionDep, principal: Principal = Manage
) -> SourceSecretRead:
    """A webhook source's signing secret (and Meta's verify token)."""
    return await service.source_secret(session, principal, source_id)


@router.post(
    "/data-sources/{source_id}/secret",
    response_model=SourceSecretRead,
    responses=problem_responses(NotFound, Conflict),
)
async def rotate_source_secret(
    source_id: uuid.UUID, session: SessionDep, principal: Principal = Manage
) -> SourceSecretRead:
    """A new signing secret; deliveries signed with the old one are refused from now on."""
    return await service.rotate_secret(session, principal, source_id)


# ---- channel data -----------------------------------------------------------------------------


@router.post(
    "/channel-data",
    response_model=BatchRead,
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(NotFound, PayloadTooLarge),
    openapi_extra={"requestBody": _RECORDS_BODY},
)
async def send_channel_data(
    request: Request,
    response: Response,
    session: SessionDep,
    source_id: Annotated[
        uuid.UUID | None, Query(description="The source it comes from (its currency, channel)")
    ] = None,
    principal: Principal = Send,
) -> BatchRead:
    """Send channel data: up to 10,000 records (more: 413), each a campaign's (or creative's)
    counts for a day or an hour. The batch is checked (unknown channel, a new campaign without
    its name, another currency: 422 naming each record, and nothing is stored), stored and
    answered 202 with its id; it is written in the background (`GET
    /channel-data/batches/{id}` says when). Sending a record again replaces its counts."""
    # Parsed and checked by pydantic in one pass: a batch is up to 10,000 records.
    body = validated_json(_RECORDS_IN, await request.body())
    if len(body.records) > MAX_RECORDS:
        raise PayloadTooLarge(
            _("A batch holds at most {limit} records.", limit=MAX_RECORDS), limit=MAX_RECORDS
        )
    source = await service.source_of(session, principal, source_id) if source_id else None
    batch = await ingest.accept(
        session,
        principal.org_id,
        body.records,
        via=SourceKind.API,
        source=source,
        member_id=principal.membership_id,
    )
    response.headers["Location"] = f"{INGEST_PATH}/batches/{batch.id}"
    return BatchRead.model_validate(batch)


@router.get("/channel-data/batches", response_model=Page[BatchRead])
async def list_batches(
    session: SessionDep,
    page: PageParamsDep,
    source_id: uuid.UUID | None = None,
    status_: Annotated[BatchStatus | None, Query(alias="status")] = None,
    principal: Principal = Read,
) -> Page[BatchRead]:
    """Batches received, newest first (a source's last deliveries)."""
    items, total = await views.list_batches(session, principal, page, source_id, status_)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/channel-data/batches/{batch_id}", response_model=BatchRead, responses=ONE)
async def get_batch(
    batch_id: uuid.UUID, session: SessionDep, principal: Principal = Read
) -> BatchRead:
    """A batch: pending until written, then done (rows written, records flagged) or failed."""
    return await views.get_batch(session, principal, batch_id)


# ---- webhooks (signed, no caller) -------------------------------------------------------------

_META_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"object": {"type": "string"}, "entry": {"type": "array"}},
                "required": ["entry"],
            }
        }
    },
}
_WEBHOOK_PROBLEMS = problem_responses(NotFound, Conflict, PayloadTooLarge)


@router.post(
    "/hooks/{source_id}",
    response_model=BatchRead,
    status_code=status.HTTP_202_ACCEPTED,
    responses=_WEBHOOK_PROBLEMS,
    openapi_extra={"requestBody": _RECORDS_BODY},
)
async def webhook(source_id: uuid.UUID, request: Request, session: SessionDep) -> BatchRead:
    """A `webhook` source's deliveries: a batch as `POST /channel-data` takes it, signed with
    the source's secret — `X-MEMS-Timestamp: <unix seconds>` and `X-MEMS-Signature:
    sha256=<hex HMAC-SHA256(secret, "{timestamp}." + raw body)>`, at most 5 minutes old. A
    bad, missing or stale signature is 401 and nothing is stored; the same delivery again is
    409 (`replayed`). Answered 202 with the batch, as `POST /channel-data`."""
    received = await ingest.receive_webhook(
        session, source_id, SourceKind.WEBHOOK, request.headers, await request.body()
    )
    return BatchRead.model_validate(received.batch)


@router.get(
    "/hooks/meta/{source_id}",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {}}}, **problem_responses(NotFound)},
)
async def meta_handshake(
    source_id: uuid.UUID,
    session: SessionDep,
    mode: Annotated[str, Query(alias="hub.mode", max_length=20)],
    verify_token: Annotated[str, Query(alias="hub.verify_token", max_length=200)],
    challenge: Annotated[str, Query(alias="hub.challenge", max_length=200)],
) -> PlainTextResponse:
    """Meta's subscription handshake: `hub.mode=subscribe` with the source's verify token is
    answered with `hub.challenge` as plain text; anything else is 403."""
    await ingest.meta_handshake(session, source_id, mode, verify_token)
    return PlainTextResponse(challenge)


@router.post(
    "/hooks/meta/{source_id}",
    response_model=BatchRead,
    responses={200: {"model": BatchRead, "description": "Received before"}, **_WEBHOOK_PROBLEMS},
    status_code=status.HTTP_202_ACCEPTED,
    openapi_extra={"requestBody": _META_BODY},
)
async def meta_webhook(
    source_id: uuid.UUID, request: Request, response: Response, session: SessionDep
) -> BatchRead:
    """A `meta` source's deliveries, signed `X-Hub-Signature-256: sha256=<hex
    HMAC-SHA256(app secret, raw body)>` (else 401, nothing stored); each change's insights
    rows become records (campaign, ad as creative, date_start, impressions, clicks, spend,
    purchases as conversions and revenue, leads). 202 with the batch; a delivery received
    before (Meta retries) is 200 with the batch it made."""
    received = await ingest.receive_webhook(
        session, source_id, SourceKind.META, request.headers, await request.body()
    )
    if not received.new:
        response.status_code = status.HTTP_200_OK
    return BatchRead.model_validate(received.batch)


# ---- uploads: CSV / Excel files of channel data (issue 11) -------------------------------------

_UPLOAD_FORM_FIELD_BYTES = 64 * 1024
_UPLOAD_MAPPING_COLUMNS = 500
_UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "A .csv (UTF-8 or GBK), .xlsx, .xls or .ods file",
                    },
                    "source_id": {
                        "type": "string",
                        "format": "uuid",
                        "description": (
                            "The data source: its saved mapping, channel and currency apply"
                        ),
                    },
                    "mapping": {
                        "type": "string",
                        "description": (
                            "JSON object: the file's column header → a field (date, hour, "
                            "channel, campaign, campaign_name, creative, creative_name, "
                            "impressions, clicks, spend, conversions, revenue, leads, "
                            "followers, currency or custom:<name>), over the saved and the "
                            "proposed mapping (null: leave the column out)"
                        ),
                    },
                    "channel": {
                        "type": "string",
                        "description": "The channel's key for rows that name none",
                    },
                    "commit": {
                        "type": "boolean",
                        "default": False,
                        "description": "false: preview; true: send every row as one batch",
                    },
                    "save_mapping": {
                        "type": "boolean",
                        "default": False,
                        "description": "Save the mapping used on the source (channels:manage)",
                    },
                },
            }
        }
    },
}


def _upload_refused(field: str, message: Message) -> ValidationFailed:
    return ValidationFailed.on(field, message, "upload")


async def _upload_form(
    request: Request, limit: int
) -> tuple[channel_import.Upload, channel_import.UploadOptions, bool]:
    """The multipart body's file (at most `limit` bytes), its options and the commit flag."""
    try:
        form = await request.form(
            max_files=1, max_fields=10, max_part_size=_UPLOAD_FORM_FIELD_BYTES
        )
    except HTTPException as error:  # Starlette's answer to a malformed multipart body
        if error.status_code != status.HTTP_400_BAD_REQUEST:
            raise
        raise _upload_refused("file", _("The multipart body is malformed.")) from None
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise _upload_refused(
                "file", _("Send the file as multipart/form-data, in a part named “file”.")
            )
        channel_import.check_size(upload.size or 0, limit)
        data = await upload.read(limit + 1)
        channel_import.check_size(len(data), limit)
        filename = upload.filename or ""
    finally:
        await form.close()
    options = channel_import.UploadOptions(
        source_id=_upload_source(form.get("source_id")),
        mapping=_upload_mapping(form.get("mapping")),
        channel=_upload_text(form.get("channel")) or None,
        save_mapping=_upload_flag(form, "save_mapping"),
    )
    return channel_import.Upload(filename, data), options, _upload_flag(form, "commit")


def _upload_text(raw: Any) -> str:
    return raw.strip() if isinstance(raw, str) else ""


def _upload_source(raw: Any) -> uuid.UUID | None:
    text = _upload_text(raw)
    if not text:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        raise _upload_refused("source_id", _("Not a data source id.")) from None


def _upload_mapping(raw: Any) -> dict[str, str | None] | None:
    if raw is None or raw == "":
        return None
    message = _("The mapping is a JSON object of column headers to field names.")
    if not isinstance(raw, str):
        raise _upload_refused("mapping", message)
    try:
        value = json.loads(raw)
    except ValueError:
        raise _upload_refused("mapping", message) from None
    if (
        not isinstance(value, dict)
        or len(value) > _UPLOAD_MAPPING_COLUMNS
        or not all(
            isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in value.items()
        )
    ):
        raise _upload_refused("mapping", message)
    return value


def _upload_flag(form: Any, name: str) -> bool:
    raw = form.get(name)
    if raw is None or raw == "":
        return False
    text = raw.strip().lower() if isinstance(raw, str) else ""
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise _upload_refused(name, _("{name} is true or false.", name=name))


def _upload_preview(checked: channel_import.Checked, locale: Locale) -> ChannelUploadPreviewRead:
    return ChannelUploadPreviewRead(
        source_id=checked.source.id if checked.source is not None else None,
        columns=checked.columns,
        header_row=checked.header_row,
        fields=list(uploads.FIELDS),
        mapping={c: checked.mapping.fields.get(c) for c in checked.columns if c},
        guessed=checked.mapping.guessed,
        saved=checked.mapping.saved,
        mapping_saved=checked.mapping_saved,
        total_rows=checked.total_rows,
        skipped_rows=checked.skipped,
        rows=[
            ChannelUploadRowRead(row=r.row, **r.record.model_dump())
            for r in checked.rows[: channel_import.PREVIEW_ROWS]
        ],
        errors=[
            ChannelUploadProblemRead(
                row=e.row, column=e.column, field=e.field, message=e.message.render(locale)
            )
            for e in checked.errors[: channel_import.SHOWN_ERRORS]
        ],
        error_count=len(checked.errors),
        totals=ChannelUploadTotalsRead(
            currency=checked.currency,
            rows=len(checked.rows),
            records=len(checked.records),
            impressions=checked.total("impressions"),
            clicks=checked.total("clicks"),
            spend=checked.total("spend"),
        ),
        can_commit=checked.can_commit,
    )


@router.post(
    "/channel-data/uploads",
    response_model=ChannelUploadPreviewRead,
    responses={
        202: {"model": BatchRead, "description": "Committed: every row sent as one batch"},
        **problem_responses(NotFound, PayloadTooLarge, UnsupportedMediaType),
    },
    openapi_extra={"requestBody": _UPLOAD_BODY},
)
async def upload_channel_data(
    request: Request, session: SessionDep, principal: Principal = Send
) -> Response:
    """Channel data from a spreadsheet (multipart: `file`, optional `source_id`, `mapping`,
    `channel`, `commit`, `save_mapping`): any platform's export as a CSV (UTF-8 or GBK) or an
    Excel workbook (first sheet), by extension and content (else 415), at most
    `max_import_bytes` (else 413) and 10,000 rows (else 422). Columns are proposed from the
    headers, Chinese or English (日期, 计划ID, 计划名称, 展示数, 点击数, 消耗, 转化数, 成交金额 …;
    Reporting starts, Campaign name, Impressions, Link clicks, Amount spent (USD) …); the
    source's saved mapping goes over the proposal and `mapping` over both. The money is in the
    source's currency (its rate converts it), or the organisation's without a source.
    `commit` false: a preview (200) — the columns, the mapping and which fields were guessed,
    the first 20 rows as records, every problem by the spreadsheet's row and the file's
    column, the totals. `commit` true: every row goes as one batch (202, as `POST
    /channel-data`; rows of one campaign, creative, day and hour added up) or, with any
    problem, nothing is stored (422: each problem named `rows[<row>].<field>`).
    `save_mapping` keeps the mapping used on the source for its next files (needs
    `channels:manage`)."""
    settings: Settings = request.app.state.settings
    upload, options, commit = await _upload_form(request, settings.max_import_bytes)
    if commit:
        batch = await channel_import.send(session, principal, upload, options)
        return json_response(
            BatchRead.model_validate(batch).model_dump(mode="json"),
            BatchRead,
            status_code=status.HTTP_202_ACCEPTED,
            headers={"Location": f"{INGEST_PATH}/batches/{batch.id}"},
        )
    checked = await channel_import.check(session, principal, upload, options)
    return json_response(
        _upload_preview(checked, request_locale(request)).model_dump(mode="json"),
        ChannelUploadPreviewRead,
    )


# ---- the channel dashboard ------------------------------------------------------------------


@router.get("/channel-dashboard", response_model=DashboardRead, responses=ONE)
async def channel_dashboard(
    reader: OneReaderDep,
    from_: Annotated[IsoDay, Query(alias="from", description="First day (included)")],
    to: Annotated[IsoDay, Query(description="Last day (included); at most 366 days")],
    channel_id: uuid.UUID | None = None,
    project_id: uuid.UUID | None = None,
    principal: Principal = Read,
) -> Response:
    """Channel data over a date range (optionally one channel's, or one project's campaigns):
    totals with every ratio (from sums) against the same number of days before; each
    channel's figures against its industry benchmark, its share of spend and its quadrant
    (high-potential vs low-efficiency); the 50 campaigns that spent most; a trend with every
    day, overall and per channel. Read from the rollups: constant time in the volume."""
    if to < from_ or to - from_ > timedelta(days=365):
        raise ValidationFailed.on(
            "to", _("Ask for at most 366 days, from a day to a later one."), "range"
        )
    if from_ - date.min <= to - from_:  # the as many days before it must be calendar days
        raise ValidationFailed.on(
            "from",
            _("The range is compared with as many days before it: start it later."),
            "range",
        )
    figures = await views.dashboard(
        reader, principal, from_, to, channel_id=channel_id, project_id=project_id
    )
    return json_response(figures, DashboardRead)


# ---- industry benchmarks --------------------------------------------------------------------


@router.get("/benchmarks", response_model=BenchmarksRead)
async def get_benchmarks(
    session: SessionDep,
    industry: Annotated[Industry | None, Query(description="Default: the organisation's")] = None,
    principal: Principal = Read,
) -> BenchmarksRead:
    """An industry's benchmark grid (channel kind × CTR, CVR, CPC, CPM, CPA, ROAS): MEMS's
    shipped values with the organisation's own over them."""
    return await benchmark_service.read(session, principal, industry)


@router.put("/benchmarks", response_model=BenchmarksRead)
async def put_benchmarks(
    body: BenchmarksIn, session: SessionDep, principal: Principal = Manage
) -> BenchmarksRead:
    """Set cells of an industry's grid (one, or an import of up to 500): each replaces the
    shipped value for the organisation."""
    return await benchmark_service.put(session, principal, body)


@router.delete(
    "/benchmarks/{industry}/{channel_kind}/{metric}", response_model=BenchmarksRead, responses=ONE
)
async def reset_benchmark(
    industry: Industry,
    channel_kind: ChannelKind,
    metric: BenchmarkMetric,
    session: SessionDep,
    principal: Principal = Manage,
) -> BenchmarksRead:
    """Remove the organisation's own value of a cell: the shipped value applies again."""
    return await benchmark_service.reset(session, principal, industry, channel_kind, metric)


@router.get("/channel-settings", response_model=ChannelSettingsRead)
async def get_channel_settings(
    session: SessionDep, principal: Principal = Read
) -> ChannelSettingsRead:
    """The organisation's industry: whose benchmarks its rules and dashboard compare with."""
    return await benchmark_service.settings(session, principal)


@router.put(
    "/channel-settings",
    response_model=ChannelSettingsRead,
    responses=problem_responses(StaleVersion),
)
async def put_channel_settings(
    body: ChannelSettingsIn, session: SessionDep, principal: Principal = Manage
) -> ChannelSettingsRead:
    """Set the organisation's industry (with the revision read: a change since is a 409)."""
    return await benchmark_service.set_settings(session, principal, body)
