"""Channel data in: accept a batch, then write it (issue 11).

Every path (REST batches, uploads, signed webhooks) ends in `accept`: the records are checked
(their shape by the schema; here the rules a schema cannot state: the channel exists, a new
campaign is named, the currency is the source's), and the batch is stored, status pending,
with its organisation's outbox job (one while it waits), in the accepting request's
transaction: its rows as they will be written
(`records.to_staged`: one per (channel, campaign, creative, day, hour), the last record for a
key winning, money in the organisation's currency) COPYed into `ingest_rows`. The caller
answers 202 with the batch's id. A refused batch writes nothing.

`process_org` (the job `channels.process_batch`, one waiting per organisation) writes the
organisation's pending batches, oldest first, together: campaigns and creatives seen for the
first time, then each batch's staged rows into `metric_records` in one INSERT … SELECT (a row
already there is replaced, so the same batch twice, or a correction, leaves one row with the
latest values), the daily rollups of the days they touched (with the campaigns' running
totals), and the staged rows deleted, all in one transaction that also marks the batches done.
It runs at least once (the outbox hands it over again until it commits), and writing is
idempotent, so killing the worker or losing Redis loses nothing and doubles nothing.
"""

from __future__ import annotations

import hmac
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Protocol

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from mems.channels import records as convert
from mems.channels import repository as repo
from mems.channels.adapters import ADAPTERS
from mems.channels.adapters.base import MalformedDelivery
from mems.channels.models import (
    AdCampaign,
    BatchStatus,
    Creative,
    IngestBatch,
    SourceKind,
)
from mems.channels.schemas import MAX_RECORDS, MetricRecordIn, RecordsIn
from mems.core.clock import utcnow
from mems.core.errors import (
    Conflict,
    FieldError,
    Forbidden,
    MalformedBody,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    ValidationFailed,
)
from mems.core.i18n import Locale, _
from mems.core.jobs import Coalesced, enqueue_all_coalesced, enqueue_coalesced
from mems.core.signing import SignatureRefused
from mems.core.tenancy import in_tenant
from mems.identity import service as identity

log = logging.getLogger("mems.channels")

SHOWN_ERRORS = 100  # a refused batch lists this many problems (and says how many in all)
PROCESS_JOB = "channels.process_batch"
EVALUATE_JOB = "alerts.evaluate_org"
SPEND_JOB = "finance.sync_ad_spend"
KPI_JOB = "channels.refresh_kpis"
_RECORDS = TypeAdapter(RecordsIn)
RECEIVED_TO_WITHIN = timedelta(minutes=1)  # a source's last delivery time is kept to this
# A job writes its batch with the organisation's other pending ones, up to these many.
MERGED_BATCHES = 200
MERGED_RECORDS = 20_000
# A job queued for a batch of fewer than GATHER_BELOW records starts GATHER after it (with
# arq): a platform pushing many small deliveries a second has them written a few hundred at a
# time, each job's fixed cost (the rollups, the follow-ups) shared, not paid per delivery.
GATHER = timedelta(seconds=1)
GATHER_BELOW = 1_000


class SourceFacts(Protocol):
    """What `accept` needs of a data source (a `DataSource`, a `repo.WebhookSource`)."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def channel_id(self) -> uuid.UUID | None: ...
    @property
    def currency(self) -> str: ...
    @property
    def rate(self) -> Decimal: ...
    @property
    def last_received_at(self) -> datetime | None: ...


class ChannelFacts(Protocol):
    """What `accept` needs of a channel (a `Channel`, a `ChannelRef`)."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def key(self) -> str: ...


@dataclass(frozen=True, slots=True)
class ChannelRef:
    id: uuid.UUID
    key: str


async def accept(
    session: AsyncSession,
    org_id: uuid.UUID,
    records: Sequence[MetricRecordIn],
    *,
    via: SourceKind,
    source: SourceFacts | None = None,
    member_id: uuid.UUID | None = None,
    dedup_key: str | None = None,
    source_channel: ChannelFacts | None = None,
) -> IngestBatch:
    """Check the records against the organisation's channels and campaigns and store them as a
    pending batch with its job; a problem anywhere refuses the whole batch (422, every problem
    by `records[i].field`). `source_channel`: the source's channel, when the caller has it."""
    currency = source.currency if source else (await identity.org_of(session, org_id)).currency
    if source is not None and source.channel_id is not None and source_channel is None:
        source_channel = await repo.get_channel(session, org_id, source.channel_id)
    default_key = source_channel.key if source_channel else None
    keys = {k for r in records if (k := r.channel or default_key)}
    channels = {default_key: source_channel} if source_channel and default_key in keys else {}
    if keys - channels.keys():
        channels |= await repo.channels_by_key(session, org_id, keys - channels.keys())
    wanted = {
        (channels[key].id, r.campaign)
        for r in records
        if (key := r.channel or default_key) in channels
    }
    known = await repo.campaigns_by_external(session, org_id, wanted)
    named = {
        (channels[key].id, r.campaign)
        for r in records
        if r.campaign_name and (key := r.channel or default_key) in channels
    }
    errors: list[FieldError] = []
    for i, r in enumerate(records):
        key = r.channel or default_key
        if key is None:
            errors.append(
                FieldError.of(
                    f"records[{i}].channel",
                    _("Name the channel: this source has no channel of its own."),
                    "required",
                )
            )
        elif key not in channels:
            errors.append(
                FieldError.of(
                    f"records[{i}].channel",
                    _("No channel has the key {key}.", key=key),
                    "unknown_channel",
                )
            )
        elif (channels[key].id, r.campaign) not in known and (
            channels[key].id,
            r.campaign,
        ) not in named:
            errors.append(
                FieldError.of(
                    f"records[{i}].campaign_name",
                    _(
                        "Campaign {campaign} is new: send its campaign_name to create it.",
                        campaign=r.campaign,
                    ),
                    "unknown_campaign",
                )
            )
        if r.currency is not None and r.currency != currency:
            errors.append(
                FieldError.of(
                    f"records[{i}].currency",
                    _(
                        "The money is in {given}, the source's currency is {currency}.",
                        given=r.currency,
                        currency=currency,
                    ),
                    "currency_mismatch",
                )
            )
        for name in r.custom or {}:
            if not 0 < len(name.strip()) <= 40:
                errors.append(
                    FieldError.of(
                        f"records[{i}].custom",
                        _("A custom metric's name has 1 to 40 characters."),
                        "custom_name",
                    )
                )
        if len(errors) >= SHOWN_ERRORS:
            break
    if errors:
        raise ValidationFailed(
            _("{count} records are refused; nothing was stored.", count=len(errors)),
            errors=errors,
        )
    now = utcnow()
    batch_id = uuid.uuid4()
    staged = convert.to_staged(
        records,
        batch_id=batch_id,
        rate=source.rate if source is not None else Decimal(1),
        channel_of=lambda r: channels[r.channel or default_key or ""].id,
        campaign_ids=known,
    )
    batch = IngestBatch(
        id=batch_id,
        org_id=org_id,
        source_id=source.id if source else None,
        via=via,
        status=BatchStatus.PENDING,
        record_count=len(records),
        written=0,
        flagged=staged.flagged,
        dedup_key=dedup_key,
        received_at=now,
        received_by_member_id=member_id,
    )
    if not await repo.store_batch(session, batch, staged.rows):
        raise AlreadyReceived()
    if source is not None and (
        source.last_received_at is None or now - source.last_received_at >= RECEIVED_TO_WITHIN
    ):
        # Not through the versioned, audited row: deliveries arriving together must not
        # conflict over it (nor write an audit row each); and to the minute, so a platform
        # posting many a second does not write the source's row each time.
        await repo.mark_received(session, source.id, now)
    # One job per organisation while it waits: deliveries arriving together are written
    # together (`process_org`). A small batch's job waits GATHER for others to join it.
    delay = GATHER if len(records) < GATHER_BELOW else None
    await enqueue_coalesced(session, PROCESS_JOB, delay=delay, org_id=str(org_id))
    return batch


class AlreadyReceived(Exception):
    """The source has a batch of this delivery (its dedup key) already."""


@dataclass(frozen=True)
class Received:
    batch: IngestBatch
    new: bool  # False: a delivery seen before, answered with its batch


async def receive_webhook(
    session: AsyncSession,
    source_id: uuid.UUID,
    kind: SourceKind,
    headers: Mapping[str, str],
    body: bytes,
) -> Received:
    """A signed delivery to a webhook source: found by the id in its URL (a source of another
    kind, or none, is a 404), its signature checked over the raw bytes (401, nothing stored,
    nothing said of why beyond the log), then its records accepted like any batch. A delivery
    seen before is refused (MEMS's format: 409, a replay) or answered with its batch (Meta's,
    whose retries are normal)."""
    source = await repo.source_for_webhook(session, source_id)
    if source is None or source.kind != kind or not source.secret:
        raise NotFound(_("No webhook here."))
    in_tenant(session, source.org_id)
    adapter = ADAPTERS[kind]
    try:
        dedup_key: str = adapter.verify(source.secret, headers, body, utcnow())
    except SignatureRefused as exc:
        log.warning("webhook refused", extra={"source": str(source.id), "reason": exc.reason})
        raise Unauthorized(
            _("The delivery's signature does not check out; nothing was stored.")
        ) from exc
    except MalformedDelivery as exc:
        raise MalformedBody(_("The delivery is not in the source's format.")) from exc
    if not source.active:
        raise Conflict(_("This data source is paused; nothing was stored."), reason="source_paused")
    try:
        raw = adapter.parse(body, source.channel_key)
    except MalformedDelivery as exc:
        raise MalformedBody(_("The delivery is not in the source's format.")) from exc
    if len(raw) > MAX_RECORDS:
        raise PayloadTooLarge(
            _("A batch holds at most {limit} records.", limit=MAX_RECORDS), limit=MAX_RECORDS
        )
    try:
        checked = _RECORDS.validate_python({"records": raw})
    except ValidationError as exc:
        errors = [FieldError.of_pydantic(e) for e in exc.errors()]
        raise ValidationFailed(
            _("Invalid input: {fields}", fields=", ".join(e.field for e in errors)),
            errors=errors,
        ) from exc
    try:
        batch = await accept(
            session,
            source.org_id,
            checked.records,
            via=kind,
            source=source,
            dedup_key=dedup_key,
            source_channel=(
                ChannelRef(source.channel_id, source.channel_key)
                if source.channel_id is not None and source.channel_key is not None
                else None
            ),
        )
    except AlreadyReceived:
        # Seen before — or arriving twice at once, the other copy's batch committed first.
        seen = await repo.batch_by_dedup(session, source.id, dedup_key)
        if seen is not None and not adapter.REPLAY_IS_ERROR:
            return Received(seen, new=False)
        raise Conflict(
            _("This delivery was received before; nothing was stored."),
            reason="replayed",
            batch_id=str(seen.id) if seen is not None else None,
        ) from None
    return Received(batch, new=True)


async def meta_handshake(
    session: AsyncSession, source_id: uuid.UUID, mode: str, verify_token: str
) -> None:
    source = await repo.source_for_webhook(session, source_id)
    if source is None or source.kind != SourceKind.META or not source.verify_token:
        raise NotFound(_("No webhook here."))
    if mode != "subscribe" or not hmac.compare_digest(
        verify_token.encode(), source.verify_token.encode()
    ):
        raise Forbidden(_("The verify token does not match this source's."))


async def process(session: AsyncSession, batch_id: uuid.UUID) -> int:
    """Write a pending batch (see the module's docstring), and with it the organisation's
    other pending batches (`process_org`). The rows written; 0 when it was written already."""
    batch = await repo.get_batch(session, None, batch_id)
    if batch is None or batch.status != BatchStatus.PENDING:
        return 0
    return await _write_pending(session, batch.org_id, batch.id)


async def process_org(session: AsyncSession, org_id: uuid.UUID) -> int:
    """Write the organisation's pending batches, oldest first, up to `MERGED_RECORDS`
    records (another job is queued for the rest): deliveries of a few records each
    (webhooks) are written together — one resolution of campaigns, one rollup refresh, one
    round of follow-up jobs — each batch's rows in their turn, so a later delivery's values
    win. The rows written."""
    return await _write_pending(session, org_id, None)


async def _write_pending(session: AsyncSession, org_id: uuid.UUID, first: uuid.UUID | None) -> int:
    in_tenant(session, org_id)
    if not await repo.lock_org_ingest(session, org_id):
        # Another job is writing the organisation's batches: those it did not take wait for
        # the next, queued (or joined) here. Waiting instead would hold this job's row, so
        # deliveries arriving meanwhile would each queue yet another job.
        await enqueue_coalesced(session, PROCESS_JOB, delay=GATHER, org_id=str(org_id))
        return 0
    # Read under the lock: another job may have written these batches meanwhile.
    pending = await repo.pending_batches(session, org_id, first, MERGED_BATCHES + 1)
    if not pending or (first is not None and pending[0].id != first):
        return 0
    group: list[IngestBatch] = []
    records = 0
    for candidate in pending[:MERGED_BATCHES]:
        if group and records + candidate.record_count > MERGED_RECORDS:
            break
        group.append(candidate)
        records += candidate.record_count
    if len(group) < len(pending):  # more than one job's worth waiting: the rest next
        await enqueue_coalesced(session, PROCESS_JOB, org_id=str(org_id))
    group.sort(key=lambda b: (b.received_at, b.id))
    staged = await repo.staged_campaigns(session, [b.id for b in group])
    channel_ids = {s.channel_id for s in staged}
    gone = channel_ids - await repo.channel_ids(session, org_id, channel_ids)
    if gone:  # deleted since a batch was accepted: that batch fails, the others go on
        failed = {s.batch_id for s in staged if s.channel_id in gone}
        await _fail(session, [b for b in group if b.id in failed], gone, staged)
        group = [b for b in group if b.id not in failed]
        staged = [s for s in staged if s.batch_id not in failed]
        if not group:
            return 0
    ids = [b.id for b in group]
    campaigns = await _campaigns(session, org_id, ids, {(s.channel_id, s.campaign) for s in staged})
    # Campaigns created since a batch was accepted (by this job, or another batch's): their
    # rows learn their id. Usually none.
    unresolved: dict[uuid.UUID, dict[tuple[uuid.UUID, str], uuid.UUID]] = {}
    for s in staged:
        if s.campaign_id != (known := campaigns[(s.channel_id, s.campaign)]):
            unresolved.setdefault(s.batch_id, {})[(s.channel_id, s.campaign)] = known
    for owner, pairs in unresolved.items():
        await repo.resolve_staged(session, owner, pairs)
    await _creatives(session, org_id, ids, campaigns)
    await repo.write_staged(session, org_id, ids)  # a key in two batches: the later's values
    written: dict[uuid.UUID, int] = {}
    for s in staged:
        written[s.batch_id] = written.get(s.batch_id, 0) + s.rows
    now = utcnow()
    for b in group:
        b.written = written.get(b.id, 0)
        b.status = BatchStatus.DONE
        b.processed_at = now
    spans: dict[uuid.UUID, tuple[date, date]] = {}
    for s in staged:
        campaign_id = campaigns[(s.channel_id, s.campaign)]
        since, until = spans.get(campaign_id, (s.first, s.last))
        spans[campaign_id] = (min(since, s.first), max(until, s.last))
    await repo.refresh_daily(session, org_id, spans)
    await repo.drop_staged(session, ids)
    await session.flush()
    # Rules are judged on the new data (by name: alerts reads channels, not the other way),
    # KPIs recomputed, linked campaigns' spend posted to their projects' ledgers (finance's
    # job) — once for all the batches written while such a job waits.
    org = str(org_id)
    await enqueue_all_coalesced(
        session,
        [
            Coalesced(EVALUATE_JOB, {"org_id": org}),
            Coalesced(KPI_JOB, {"org_id": org}),
            Coalesced(
                SPEND_JOB,
                {"org_id": org, "campaign_ids": sorted(str(c) for c in spans)},
                merge="campaign_ids",
            ),
        ],
    )
    total = sum(written.values())
    log.info("batches written", extra={"batches": len(group), "rows": total})
    return total


async def _fail(
    session: AsyncSession,
    batches: Sequence[IngestBatch],
    gone: set[uuid.UUID],
    staged: Sequence[repo.StagedCampaign],
) -> None:
    """Batches with rows of channels deleted after they were accepted: failed, each saying
    how many of its channels went, in the organisation's language; their rows dropped."""
    org_locale = (await identity.org_of(session, batches[0].org_id)).locale
    locale: Locale = "en" if org_locale.startswith("en") else "zh-CN"
    now = utcnow()
    for b in batches:
        count = len({s.channel_id for s in staged if s.batch_id == b.id} & gone)
        b.status = BatchStatus.FAILED
        b.error = _(
            "{count} of the batch's channels were deleted after it was accepted.", count=count
        ).render(locale)[:500]
        b.processed_at = now
    await repo.drop_staged(session, [b.id for b in batches])


async def _campaigns(
    session: AsyncSession,
    org_id: uuid.UUID,
    batch_ids: Sequence[uuid.UUID],
    pairs: set[tuple[uuid.UUID, str]],
) -> dict[tuple[uuid.UUID, str], uuid.UUID]:
    """The batches' campaigns by (channel, platform id), those seen for the first time created
    (named by the last record that names them)."""
    found = await repo.campaigns_by_external(session, org_id, pairs)
    new = pairs - found.keys()
    if new:
        names = await repo.staged_names(session, batch_ids, creatives=False)
        for key in sorted(new):
            campaign = AdCampaign(
                id=uuid.uuid4(),
                org_id=org_id,
                channel_id=key[0],
                external_id=key[1],
                name=names.get(key) or key[1],
            )
            session.add(campaign)
            found[key] = campaign.id
        await session.flush()
    return found


async def _creatives(
    session: AsyncSession,
    org_id: uuid.UUID,
    batch_ids: Sequence[uuid.UUID],
    campaigns: Mapping[tuple[uuid.UUID, str], uuid.UUID],
) -> None:
    """The creatives the batches name for the first time, created."""
    seen = {
        (campaigns[(channel_id, campaign)], creative): (channel_id, campaign, creative)
        for channel_id, campaign, creative in await repo.staged_creatives(session, batch_ids)
    }
    if not seen:
        return
    have = await repo.creatives_of(session, org_id, {c for c, _e in seen})
    new = seen.keys() - have
    if not new:
        return
    names = await repo.staged_names(session, batch_ids, creatives=True)
    for campaign_id, external_id in sorted(new):
        session.add(
            Creative(
                org_id=org_id,
                campaign_id=campaign_id,
                external_id=external_id,
                name=names.get(seen[(campaign_id, external_id)]),
            )
        )
    await session.flush()
