"""Collaboration rules: comments with @mentions, attachments, a project's activity feed.

Who may read and write a subject's comments and files is decided by the subject itself,
resolved through its own domain's service (`subject_for`):
- a project, a task, an issue: the project's VIEW right to read, CONTRIBUTE to write
  (`projects.policy`);
- a work order: its parties (requester, assignee, the team it was given to) and those who
  oversee all projects (directors, admins), to read and to write;
- a cost (its files are its receipts): whoever reads the project's budget to read, whoever
  may record costs on the project to write (`finance.service`).

A mention is the token `@[Name](member id)` in a comment's body, found with one fixed,
linear pattern (never a pattern built from input). Each person mentioned must be an active
member of the organisation who can see the subject (else 422 naming `body`), and is notified
once (an edit notifies only the newly mentioned).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from mems.collab import repository as repo
from mems.collab.filetypes import SNIFF_BYTES, clean_filename, sniff
from mems.collab.models import Attachment, Comment, SubjectType
from mems.collab.storage import Storage, StoredFileMissing, StoredObject, new_key
from mems.core.clock import utcnow
from mems.core.errors import (
    Forbidden,
    NotFound,
    PayloadTooLarge,
    ProblemError,
    ValidationFailed,
)
from mems.core.i18n import _
from mems.core.pagination import PageParams, page_of
from mems.core.versioning import check_version
from mems.finance import service as finance
from mems.identity import service as identity
from mems.identity.permissions import Permission, role_allows
from mems.identity.principal import Principal
from mems.notifications import service as notifications
from mems.orders import service as orders
from mems.projects import service as projects
from mems.projects.policy import ProjectRight
from mems.risks import service as risks
from mems.work import service as work

log = logging.getLogger("mems.collab")

MENTION_KIND = "comment.mention"
MAX_MENTIONS = 50
# `@[Name](uuid)`: a name without brackets or line breaks, then a member id. Fixed and linear:
# each part is a single character class with a bounded repeat.
MENTION = re.compile(r"@\[([^\[\]\r\n]{1,100})\]\(([0-9a-fA-F-]{36})\)")


class UnsupportedMediaType(ProblemError):
    status, slug, title = 415, "unsupported-media-type", "File type not accepted"


# ---- subjects ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    type: SubjectType
    id: uuid.UUID
    # The project whose activity feed shows its comments and files (None: a work order,
    # whose discussion is for its parties only).
    feed_project_id: uuid.UUID | None
    project_id: uuid.UUID | None  # the project it belongs to, if any
    # A work order's parties: who may see it besides directors and admins.
    parties: frozenset[uuid.UUID] = frozenset()
    team_id: uuid.UUID | None = None
    requester_member_id: uuid.UUID | None = None

    OVERSEE: ClassVar[Permission] = Permission.PROJECTS_MANAGE_ALL


async def subject_for(
    session: AsyncSession,
    principal: Principal,
    subject_type: SubjectType,
    subject_id: uuid.UUID,
    *,
    write: bool = False,
) -> Subject:
    """The subject, for a caller who may read it (or, `write`, take part in it): 404 when it
    is not in the caller's organisation or hidden from them, 403 without the right."""
    right = ProjectRight.CONTRIBUTE if write else ProjectRight.VIEW
    if subject_type == SubjectType.PROJECT:
        project = await projects.project_for(session, principal, subject_id, right)
        return Subject(subject_type, subject_id, project.id, project.id)
    if subject_type == SubjectType.TASK:
        _task, project = await work.task_for(session, principal, subject_id)
        if write:
            await projects.project_for(session, principal, project.id, right)
        return Subject(subject_type, subject_id, project.id, project.id)
    if subject_type == SubjectType.ISSUE:
        issue = await risks.get(session, principal, subject_id, right)
        return Subject(subject_type, subject_id, issue.project_id, issue.project_id)
    if subject_type == SubjectType.COST:
        project_id = await finance.cost_project_for(session, principal, subject_id, write=write)
        return Subject(subject_type, subject_id, project_id, project_id)
    # A work order the caller may not see is not found, like one that does not exist: its
    # parties, the members of the team it was given to, directors and admins (orders.service).
    order = await orders.get_order(session, principal, subject_id)
    parties = {order["requester_member_id"], order["assignee_member_id"]} - {None}
    return Subject(
        subject_type,
        subject_id,
        None,
        order["project_id"],
        frozenset(parties),
        order["assignee_team_id"],
        order["requester_member_id"],
    )


async def _may_see(
    session: AsyncSession, principal: Principal, subject: Subject, member: Any
) -> bool:
    """Whether `member` (a Membership) can see the subject."""
    if not member.is_active:
        return False
    if subject.type == SubjectType.COST:
        return role_allows(member.role, Permission.BUDGET_READ)
    if subject.type != SubjectType.WORK_ORDER:
        return True  # every member of the organisation sees its projects (projects.policy)
    if member.id in subject.parties or role_allows(member.role, Subject.OVERSEE):
        return True
    if subject.team_id is not None:
        team = await identity.get_team(session, principal, subject.team_id)
        return member.id in team.member_ids
    return False


def receipt_count_of(cost_id: Any, org_id: Any) -> Any:
    """SQL for finance's ledger: how many files (receipts) the cost `cost_id` refers to has."""
    return repo.attachment_count_of(SubjectType.COST, cost_id, org_id)


# ---- mentions ------------------------------------------------------------------------------


@dataclass
class Mention:
    name: str
    member_id: uuid.UUID


def parse_mentions(body: str) -> list[Mention]:
    """The `@[Name](id)` tokens of a body, in order (ids that are not UUIDs are skipped: the
    text stays, nobody is mentioned)."""
    out: list[Mention] = []
    for match in MENTION.finditer(body):
        try:
            out.append(Mention(match.group(1), uuid.UUID(match.group(2))))
        except ValueError:
            continue
    return out


def _not_mentionable(name: str) -> ValidationFailed:
    return ValidationFailed.on(
        "body",
        _("{name} cannot be mentioned here: not a member who can see this.", name=name),
        "mention",
    )


async def _check_mentions(
    session: AsyncSession, principal: Principal, subject: Subject, body: str
) -> list[uuid.UUID]:
    mentions = parse_mentions(body)
    ids = list(dict.fromkeys(m.member_id for m in mentions))
    if len(ids) > MAX_MENTIONS:
        raise ValidationFailed.on(
            "body",
            _("A comment mentions at most {limit} people.", limit=MAX_MENTIONS),
            "too_many_mentions",
        )
    for mention in mentions:
        try:
            member = await identity.get_member(session, principal, mention.member_id)
        except NotFound:
            raise _not_mentionable(mention.name) from None
        if not await _may_see(session, principal, subject, member):
            raise _not_mentionable(mention.name)
    return ids


async def _notify_mentioned(
    session: AsyncSession,
    principal: Principal,
    subject: Subject,
    comment: Comment,
    member_ids: list[uuid.UUID],
) -> None:
    recipients = [m for m in member_ids if m != principal.membership_id]
    if not recipients:
        return
    excerpt = MENTION.sub(lambda m: "@" + m.group(1), comment.body)
    excerpt = excerpt if len(excerpt) <= 140 else excerpt[:139] + "…"
    await notifications.notify(
        session,
        principal.org_id,
        recipients,
        MENTION_KIND,
        title=_("{author} mentioned you in a comment", author=principal.user_name),
        body=_("“{excerpt}”", excerpt=excerpt),
        link=(subject.type.value, subject.id),
    )


# ---- comments ------------------------------------------------------------------------------


def _comment_view(principal: Principal, row: dict[str, Any]) -> dict[str, Any]:
    deleted = row["deleted_at"] is not None
    mine = row["author_member_id"] == principal.membership_id
    return {
        "id": row["id"],
        "subject_type": row["subject_type"],
        "subject_id": row["subject_id"],
        "author_member_id": row["author_member_id"],
        "author_name": row["author_name"],
        "body": "" if deleted else row["body"],
        "mentions": [] if deleted else list(row["mentions"] or []),
        "deleted": deleted,
        "edited": row["version"] > 1 and not deleted,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "version": row["version"],
        "can_edit": mine and not deleted,
        "can_delete": not deleted and (mine or principal.can(Permission.COLLAB_MODERATE)),
    }


async def list_comments(
    session: AsyncSession,
    principal: Principal,
    subject_type: SubjectType,
    subject_id: uuid.UUID,
    params: PageParams,
) -> dict[str, Any]:
    """A page of the subject's comments, oldest first (`Page[CommentRead]`)."""
    await subject_for(session, principal, subject_type, subject_id)
    rows = await repo.comments_page(session, subject_type, subject_id, params.limit, params.offset)
    return page_of(rows, params, lambda row: _comment_view(principal, row))


async def _comment_row(
    session: AsyncSession, principal: Principal, comment: Comment
) -> dict[str, Any]:
    names = await identity.member_names(session, principal.org_id, {comment.author_member_id})
    return _comment_view(
        principal,
        {
            "id": comment.id,
            "subject_type": comment.subject_type,
            "subject_id": comment.subject_id,
            "author_member_id": comment.author_member_id,
            "author_name": names.get(comment.author_member_id, ""),
            "body": comment.body,
            "mentions": comment.mentions,
            "deleted_at": comment.deleted_at,
            "created_at": comment.created_at,
            "updated_at": comment.updated_at,
            "version": comment.version,
        },
    )


async def add_comment(
    session: AsyncSession,
    principal: Principal,
    subject_type: SubjectType,
    subject_id: uuid.UUID,
    body: str,
) -> dict[str, Any]:
    subject = await subject_for(session, principal, subject_type, subject_id, write=True)
    mentioned = await _check_mentions(session, principal, subject, body)
    comment = Comment(
        org_id=principal.org_id,
        subject_type=subject_type,
        subject_id=subject_id,
        project_id=subject.feed_project_id,
        author_member_id=principal.membership_id,
        body=body,
        mentions=[str(m) for m in mentioned],
    )
    session.add(comment)
    await session.flush()
    await _notify_mentioned(session, principal, subject, comment, mentioned)
    return await _comment_row(session, principal, comment)


async def _comment_for(
    session: AsyncSession, principal: Principal, comment_id: uuid.UUID, *, write: bool
) -> tuple[Comment, Subject]:
    """The comment, for a caller who may see its subject (404 otherwise)."""
    comment = await repo.get_comment(session, principal.org_id, comment_id)
    if comment is None:
        raise NotFound(_("Comment {comment_id} not found.", comment_id=comment_id))
    try:
        subject = await subject_for(session, principal, comment.subject_type, comment.subject_id)
    except NotFound:
        raise NotFound(_("Comment {comment_id} not found.", comment_id=comment_id)) from None
    if comment.deleted_at is not None and write:
        raise NotFound(_("Comment {comment_id} was deleted.", comment_id=comment_id))
    return comment, subject


async def update_comment(
    session: AsyncSession,
    principal: Principal,
    comment_id: uuid.UUID,
    body: str,
    version: int,
    if_match: str | None,
) -> dict[str, Any]:
    """Edit one's own comment; people newly mentioned are notified."""
    comment, subject = await _comment_for(session, principal, comment_id, write=True)
    if comment.author_member_id != principal.membership_id:
        raise Forbidden(_("Only its author edits a comment."))
    check_version(comment.version, version, if_match)
    mentioned = await _check_mentions(session, principal, subject, body)
    before = set(comment.mentions or [])
    comment.body = body
    comment.mentions = [str(m) for m in mentioned]
    await session.flush()
    await _notify_mentioned(
        session, principal, subject, comment, [m for m in mentioned if str(m) not in before]
    )
    return await _comment_row(session, principal, comment)


async def delete_comment(
    session: AsyncSession, principal: Principal, comment_id: uuid.UUID
) -> None:
    """Its author, or a moderator (admins), deletes a comment: it stays in the thread as
    "comment deleted", without its text."""
    comment, _subject = await _comment_for(session, principal, comment_id, write=True)
    if not principal.owns_or_can(comment.author_member_id, Permission.COLLAB_MODERATE):
        raise Forbidden(_("Only its author or an admin deletes a comment."))
    comment.deleted_at = utcnow()
    comment.body = ""
    comment.mentions = []
    await session.flush()


# ---- attachments ---------------------------------------------------------------------------


async def _may_delete_attachment(
    session: AsyncSession, principal: Principal, subject: Subject, attachment: Attachment
) -> bool:
    """Its uploader, a moderator (admins), whoever manages the subject's project, and for a
    work order its requester."""
    if principal.owns_or_can(attachment.uploaded_by_member_id, Permission.COLLAB_MODERATE):
        return True
    if subject.type == SubjectType.WORK_ORDER:
        return subject.requester_member_id == principal.membership_id
    if subject.project_id is None:
        return False
    try:
        await projects.project_for(session, principal, subject.project_id, ProjectRight.MANAGE)
    except Forbidden:
        return False
    return True


def _attachment_view(row: dict[str, Any], can_delete: bool) -> dict[str, Any]:
    return {
        key: row[key]
        for key in (
            "id",
            "subject_type",
            "subject_id",
            "filename",
            "content_type",
            "size_bytes",
            "sha256",
            "uploaded_by_member_id",
            "uploaded_by_name",
            "created_at",
        )
    } | {"can_delete": can_delete}


async def list_attachments(
    session: AsyncSession,
    principal: Principal,
    subject_type: SubjectType,
    subject_id: uuid.UUID,
    params: PageParams,
) -> dict[str, Any]:
    """A page of the subject's attachments, newest first (`Page[AttachmentRead]`)."""
    subject = await subject_for(session, principal, subject_type, subject_id)
    rows = await repo.attachments_page(
        session, subject_type, subject_id, params.limit, params.offset
    )
    manages = await _manages(session, principal, subject)
    return page_of(
        rows,
        params,
        lambda row: _attachment_view(
            row,
            manages
            or principal.owns_or_can(row["uploaded_by_member_id"], Permission.COLLAB_MODERATE),
        ),
    )


async def _manages(session: AsyncSession, principal: Principal, subject: Subject) -> bool:
    """Whether the caller may delete anyone's file on the subject."""
    if principal.can(Permission.COLLAB_MODERATE):
        return True
    if subject.type == SubjectType.WORK_ORDER:
        return subject.requester_member_id == principal.membership_id
    if subject.project_id is None:
        return False
    project = await projects.project_for(session, principal, subject.project_id)
    return ProjectRight.MANAGE in projects.rights_on(principal, project)


class _Limited:
    """The upload's chunks, counted: past `limit` bytes it raises 413 (so the store deletes
    what it wrote)."""

    def __init__(self, head: bytes, rest: AsyncIterator[bytes], limit: int) -> None:
        self.head, self.rest, self.limit = head, rest, limit

    async def chunks(self) -> AsyncIterator[bytes]:
        size = len(self.head)
        if self.head:
            yield self.head
        async for chunk in self.rest:
            size += len(chunk)
            if size > self.limit:
                raise _too_large(self.limit)
            yield chunk


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        _("The file is larger than the limit of {limit} bytes.", limit=limit), limit=limit
    )


async def add_attachment(
    session: AsyncSession,
    principal: Principal,
    storage: Storage,
    subject: Subject,
    filename: str,
    chunks: AsyncIterator[bytes],
    limit: int,
) -> dict[str, Any]:
    """Store an uploaded file for a subject the caller may write to (`subject_for(write)`):
    refused (415) unless its extension and its first bytes are of an accepted type, refused
    (413) as soon as it passes `limit` bytes. A refused upload leaves no row and no file."""
    name = clean_filename(filename)
    head = bytearray()
    complete = True
    async for chunk in chunks:
        head += chunk
        if len(head) >= SNIFF_BYTES:
            complete = False
            break
    if len(head) > limit:
        raise _too_large(limit)
    content_type = sniff(name, bytes(head[:SNIFF_BYTES]), complete=complete)
    if content_type is None:
        raise UnsupportedMediaType(
            _(
                "{filename}: this type of file is not accepted (PDF, Office documents, images, "
                "text, CSV, Markdown and zip are).",
                filename=name,
            )
        )
    key = new_key(principal.org_id)
    size, sha256 = await storage.save(key, _Limited(bytes(head), chunks, limit).chunks())
    try:
        attachment = Attachment(
            org_id=principal.org_id,
            subject_type=subject.type,
            subject_id=subject.id,
            project_id=subject.feed_project_id,
            filename=name,
            content_type=content_type,
            size_bytes=size,
            sha256=sha256,
            storage_key=key,
            uploaded_by_member_id=principal.membership_id,
        )
        session.add(attachment)
        await session.flush()
    except BaseException:
        await storage.delete(key)
        raise
    names = await identity.member_names(session, principal.org_id, {principal.membership_id})
    row = {
        **{c: getattr(attachment, c) for c in _COLUMNS},
        "uploaded_by_name": names.get(principal.membership_id, ""),
    }
    return _attachment_view(row, True)


_COLUMNS = (
    "id",
    "subject_type",
    "subject_id",
    "filename",
    "content_type",
    "size_bytes",
    "sha256",
    "uploaded_by_member_id",
    "created_at",
)


async def _attachment_for(
    session: AsyncSession, principal: Principal, attachment_id: uuid.UUID
) -> tuple[Attachment, Subject]:
    attachment = await repo.get_attachment(session, principal.org_id, attachment_id)
    missing = NotFound(_("Attachment {attachment_id} not found.", attachment_id=attachment_id))
    if attachment is None:
        raise missing
    try:
        subject = await subject_for(
            session, principal, attachment.subject_type, attachment.subject_id
        )
    except NotFound:
        raise missing from None
    return attachment, subject


@dataclass(frozen=True)
class Download:
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    chunks: AsyncIterator[bytes]


async def open_attachment(
    session: AsyncSession, principal: Principal, storage: Storage, attachment_id: uuid.UUID
) -> Download:
    """The file's bytes (streamed from the store), for a caller who may see its subject."""
    attachment, _subject = await _attachment_for(session, principal, attachment_id)
    try:
        chunks = await storage.open(attachment.storage_key)
    except StoredFileMissing:
        raise NotFound(
            _(
                "The file of attachment {attachment_id} is missing from the store.",
                attachment_id=attachment_id,
            )
        ) from None
    return Download(
        attachment.filename,
        attachment.content_type,
        attachment.size_bytes,
        attachment.sha256,
        chunks,
    )


async def delete_attachment(
    session: AsyncSession, principal: Principal, attachment_id: uuid.UUID
) -> str:
    """Delete the row (its uploader, the subject's managers, admins); the storage key to
    delete once the transaction has committed."""
    attachment, subject = await _attachment_for(session, principal, attachment_id)
    if not await _may_delete_attachment(session, principal, subject, attachment):
        raise Forbidden(_("Only its uploader, the project's manager or an admin deletes a file."))
    key = attachment.storage_key
    await session.delete(attachment)
    await session.flush()
    return key


# ---- files no attachment names -------------------------------------------------------------

# How old a stored file with no row must be before it is deleted: an upload writes its file
# before its row, whose transaction commits a moment later; a day leaves any upload in flight,
# and any clock skew between the store and this server, well alone.
ORPHAN_MIN_AGE = timedelta(days=1)
_SWEEP_BATCH = 500


@dataclass(frozen=True)
class Swept:
    checked: int  # stored files old enough to judge
    deleted: int  # of those, the ones no attachment named


async def sweep_orphan_files(
    session: AsyncSession,
    storage: Storage,
    *,
    now: datetime | None = None,
    min_age: timedelta = ORPHAN_MIN_AGE,
) -> Swept:
    """Delete stored files that no attachment row names and that were written more than
    `min_age` ago: the bytes of an upload whose transaction failed after the file was written,
    or of an attachment whose row went without them (the deletion after the commit did not
    happen, or its subject's rows were removed). Files of an organisation this database does
    not know are left alone (a store shared with another database is not this one's to
    clean). Idempotent; a file deleted meanwhile is no error."""
    cutoff = (now or utcnow()) - min_age
    checked = deleted = 0
    batch: list[StoredObject] = []

    async def judge() -> int:
        keys = [o.key for o in batch]
        named = await repo.known_storage_keys(session, keys)
        orgs = {o.key: uuid.UUID(o.key.split("/", 1)[0]) for o in batch}
        known_orgs = await identity.existing_org_ids(session, orgs.values())
        gone = 0
        for key in keys:
            if key not in named and orgs[key] in known_orgs:
                await storage.delete(key)
                gone += 1
        batch.clear()
        return gone

    async for stored in storage.objects():
        if stored.modified_at > cutoff:
            continue
        checked += 1
        batch.append(stored)
        if len(batch) >= _SWEEP_BATCH:
            deleted += await judge()
    if batch:
        deleted += await judge()
    if deleted:
        log.info("orphan files deleted", extra={"checked": checked, "deleted": deleted})
    return Swept(checked, deleted)


# ---- activity ------------------------------------------------------------------------------


def _activity_view(row: dict[str, Any]) -> dict[str, Any]:
    after = row["after"]
    return {
        "id": row["id"],
        "created_at": row["created_at"],
        "actor_user_id": row["actor_user_id"],
        "actor_name": row["actor_name"],
        "action": row["action"],
        "entity_type": row["entity_type"],
        "entity_id": row["entity_id"],
        "entity_label": row["entity_label"],
        "changed": sorted(after) if row["action"] == "update" and isinstance(after, dict) else [],
    }


async def project_activity(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, params: PageParams
) -> dict[str, Any]:
    """What happened in a project (`Page[ActivityRead]`), newest first: the audit rows of the
    project and of everything that belongs to it (tasks, dependencies, issues, comments …)."""
    await projects.project_for(session, principal, project_id, ProjectRight.VIEW)
    rows = await repo.activity_page(session, project_id, params.limit, params.offset)
    return page_of(rows, params, _activity_view)
