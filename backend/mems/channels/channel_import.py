"""Channel data from an uploaded spreadsheet (issue 11): a preview first, then the whole file
as one batch or nothing.

The file is read by `core.spreadsheets` and its rows by `uploads` (pure: the mapping, every
cell); here they meet the organisation: the data source (its saved mapping, its channel, its
currency — the organisation's without a source), the channels a channel column names (by key
or name), and the campaigns a file mentions for the first time (they need a name: the ingest
rule). A row's channel is its channel cell, else the `channel` asked for, else the source's.
Each row then becomes a `MetricRecordIn`, validated as any batch's record is.

A preview writes nothing (but the mapping, when asked to save it) and reports every problem by
the row the spreadsheet shows and the column the file names. A commit with any problem is a
422 naming each (`rows[<row>].<field>`) and stores nothing — the mapping included; without
one, the records go through `ingest.accept` like a REST batch (via `upload`, the source's
currency and rate applying) and the caller gets the pending batch. Saving the mapping onto
the source takes `channels:manage`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from mems.channels import ingest, uploads
from mems.channels import repository as repo
from mems.channels import service as channels
from mems.channels.models import DataSource, IngestBatch, SourceKind
from mems.channels.schemas import MetricRecordIn
from mems.collab.service import UnsupportedMediaType
from mems.core import spreadsheets
from mems.core.errors import FieldError, Forbidden, PayloadTooLarge, ValidationFailed
from mems.core.i18n import _, term
from mems.core.spreadsheets import RowError
from mems.identity import service as identity
from mems.identity.permissions import Permission
from mems.identity.principal import Principal

FILE = "file"
SHOWN_ERRORS = 500  # problems a preview lists and a refusal names (the count says how many)
PREVIEW_ROWS = 20
MAX_ROWS = spreadsheets.MAX_ROWS  # rows under the header (as many as records in a batch)
_RECORD = TypeAdapter(MetricRecordIn)


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass(frozen=True)
class UploadOptions:
    """What comes with the file: the source, the caller's mapping (column -> field, None to
    leave a column out), the channel of rows naming none, whether to save the mapping."""

    source_id: uuid.UUID | None = None
    mapping: Mapping[str, str | None] | None = None
    channel: str | None = None
    save_mapping: bool = False


@dataclass(frozen=True)
class CheckedRow:
    row: int
    record: MetricRecordIn


@dataclass
class Checked:
    """A file read against the organisation: its columns, the mapping used, the rows that
    make records (in the file's order), the records they make (rows of one key added up,
    each with the rows it came from) and every problem (a file with any makes none)."""

    source: DataSource | None
    currency: str
    columns: list[str]
    header_row: int
    mapping: uploads.ColumnMapping
    total_rows: int
    rows: list[CheckedRow]
    records: list[tuple[list[int], MetricRecordIn]]
    errors: list[RowError]
    skipped: list[int] = field(default_factory=list)
    mapping_saved: bool = False

    def total(self, name: str) -> Any:
        """The rows' sum of a count or an amount (in `currency`)."""
        start: Any = Decimal("0.00") if name in uploads.MONEY else 0
        return sum((getattr(r.record, name) for r in self.rows), start)

    @property
    def can_commit(self) -> bool:
        return not self.errors and bool(self.rows)


def _unreadable(error: spreadsheets.UnreadableFile) -> Exception:
    if isinstance(error, spreadsheets.UnsupportedFile):
        return UnsupportedMediaType(error.message)
    if isinstance(error, spreadsheets.TooManyRows):
        return ValidationFailed(
            error.message,
            errors=[FieldError.of(FILE, error.message, "too_many_rows")],
            limit=error.limit,
        )
    return ValidationFailed.on(FILE, error.message, "unreadable")


async def _default_channel(
    session: AsyncSession, principal: Principal, source: DataSource | None, key: str | None
) -> str | None:
    """The channel of rows that name none: the one asked for, else the source's."""
    if key:
        if key not in await repo.channels_by_key(session, principal.org_id, [key]):
            raise ValidationFailed.on(
                "channel", _("No channel has the key {key}.", key=key), "unknown_channel"
            )
        return key
    if source is not None and source.channel_id is not None:
        channel = await repo.get_channel(session, principal.org_id, source.channel_id)
        return channel.key if channel is not None else None
    return None


def _saved_mapping(source: DataSource | None) -> dict[str, str | None]:
    saved = source.mapping if source is not None and isinstance(source.mapping, dict) else {}
    return {
        str(column): target
        for column, target in saved.items()
        if target is None or isinstance(target, str)
    }


async def check(
    session: AsyncSession, principal: Principal, upload: Upload, options: UploadOptions
) -> Checked:
    """Read and check the whole file (writes nothing but a mapping asked to be saved)."""
    if options.save_mapping:
        _may_save_mapping(principal, options)
    source = (
        await channels.source_of(session, principal, options.source_id)
        if options.source_id
        else None
    )
    default_channel = await _default_channel(session, principal, source, options.channel)
    currency = (
        source.currency if source else (await identity.org_of(session, principal.org_id)).currency
    )
    try:
        sheet = spreadsheets.read(
            upload.data, upload.filename, max_rows=MAX_ROWS, header_score=uploads.header_score
        )
    except spreadsheets.UnreadableFile as error:
        raise _unreadable(error) from None
    mapping = uploads.choose_mapping(
        sheet.header,
        saved=_saved_mapping(source),
        given=options.mapping,
        header_row=sheet.header_row,
    )
    known = await repo.list_channels(session, principal.org_id)
    context = uploads.UploadContext(
        currency=currency,
        channels=uploads.channel_names([(c.key, c.name) for c in known]),
        channel=default_channel,
    )
    parsed = uploads.parse(sheet, mapping, context)
    errors = list(parsed.errors)
    rows: list[CheckedRow] = []
    for file_row in parsed.rows:
        try:
            rows.append(CheckedRow(file_row.row, _RECORD.validate_python(file_row.record)))
        except ValidationError as error:
            errors += _record_errors(file_row.row, mapping, error)
    records: list[tuple[list[int], MetricRecordIn]] = []
    for numbers, record in uploads.merge(
        uploads.FileRow(r.row, r.record.model_dump(exclude_unset=True)) for r in rows
    ):
        try:  # rows added up may pass a limit none of them passes
            records.append((numbers, _RECORD.validate_python(record)))
        except ValidationError as error:
            errors += _record_errors(numbers[-1], mapping, error)
    errors += await _new_campaigns(session, principal, records, mapping)
    errors.sort(key=lambda e: e.row)
    checked = Checked(
        source=source,
        currency=currency,
        columns=sheet.header,
        header_row=sheet.header_row,
        mapping=mapping,
        total_rows=len(sheet.rows),
        rows=rows,
        records=records,
        errors=errors,
        skipped=parsed.skipped,
    )
    if options.save_mapping and source is not None and not mapping.errors:
        source.mapping = mapping.as_saved(sheet.header)
        await session.flush()
        checked.mapping_saved = True
    return checked


def _may_save_mapping(principal: Principal, options: UploadOptions) -> None:
    if not principal.can(Permission.CHANNELS_MANAGE):
        raise Forbidden(
            _(
                "Your role '{role}' does not allow '{permission}'.",
                role=term(principal.role.value),
                permission=Permission.CHANNELS_MANAGE,
            )
        )
    if options.source_id is None:
        raise ValidationFailed.on(
            "save_mapping", _("Choose the data source to save the mapping on."), "required"
        )


def _record_errors(
    row: int, mapping: uploads.ColumnMapping, error: ValidationError
) -> list[RowError]:
    """The schema's refusal of a row's record, by the column its field came from."""
    column_of = {target: column for column, target in mapping.fields.items()}
    found = []
    for problem in error.errors():
        loc = [str(part) for part in problem["loc"]]
        target = loc[0] if loc else ""
        if target == "custom" and len(loc) > 1:
            target = uploads.CUSTOM + loc[1]
        found.append(
            RowError(
                row,
                column_of.get(target, ""),
                _("Not a valid value for {field}.", field=target or "row"),
                target,
            )
        )
    return found


async def _new_campaigns(
    session: AsyncSession,
    principal: Principal,
    records: list[tuple[list[int], MetricRecordIn]],
    mapping: uploads.ColumnMapping,
) -> list[RowError]:
    """A campaign MEMS has not seen needs a name to be created: one problem per such
    campaign, on its first row."""
    unnamed = {
        (r.channel, r.campaign): numbers[0]
        for numbers, r in reversed(records)
        if r.channel is not None and not r.campaign_name
    }
    if not unnamed:
        return []
    keyed = await repo.channels_by_key(session, principal.org_id, {k for k, _c in unnamed})
    named = {(r.channel, r.campaign) for _n, r in records if r.campaign_name}
    wanted = {
        (keyed[key].id, campaign): (key, campaign) for key, campaign in unnamed if key in keyed
    }
    existing = await repo.campaigns_by_external(session, principal.org_id, set(wanted))
    column = next((c for c, t in mapping.fields.items() if t == "campaign"), "")
    errors = []
    for (channel_id, campaign), key in wanted.items():
        if (channel_id, campaign) not in existing and key not in named:
            message = _(
                "Campaign {campaign} is new: map a column with its name to create it.",
                campaign=campaign,
            )
            errors.append(RowError(unnamed[key], column, message, "campaign_name"))
    return errors


def check_size(size: int, limit: int) -> None:
    """A file of `size` bytes is at most `limit` (else 413, saying the limit)."""
    if size > limit:
        raise PayloadTooLarge(
            _("The file is larger than the limit of {limit} bytes.", limit=limit), limit=limit
        )


def refusal(checked: Checked) -> ValidationFailed:
    """A file with problems (422): each named `rows[<row>].<field>` with the file's column,
    the count of all in the detail."""
    named = spreadsheets.named_problems(checked.errors, SHOWN_ERRORS, checked.header_row)
    return ValidationFailed(
        _("The file has {count} problems; nothing was imported.", count=len(checked.errors)),
        errors=[FieldError.of(where, message, "import_row") for where, message in named],
    )


async def send(
    session: AsyncSession, principal: Principal, upload: Upload, options: UploadOptions
) -> IngestBatch:
    """The whole file as one pending batch (via `upload`), or a 422 naming every problem and
    nothing stored."""
    checked = await check(session, principal, upload, options)
    if checked.errors:
        raise refusal(checked)
    if not checked.records:
        raise ValidationFailed.on(FILE, _("The file has no rows of channel data."), "empty")
    try:
        return await ingest.accept(
            session,
            principal.org_id,
            [record for _rows, record in checked.records],
            via=SourceKind.UPLOAD,
            source=checked.source,
            member_id=principal.membership_id,
        )
    except ValidationFailed as refused:
        raise _by_rows(refused, checked) from None


def _by_rows(refused: ValidationFailed, checked: Checked) -> ValidationFailed:
    """`accept`'s refusal (a channel or campaign gone since the check) with each
    `records[i]` named by the first row of the record."""
    for error in refused.errors or []:
        head, _dot, rest = error.field.partition("].")
        if head.startswith("records[") and head[8:].isdigit():
            at = int(head[8:])
            if at < len(checked.records):
                error.field = f"rows[{checked.records[at][0][0]}].{rest}"
    return refused
