"""Collaboration endpoints: the discussion (comments, files) of a project, task, work order or
issue, and a project's activity feed."""

from __future__ import annotations

import re
import uuid

from fastapi import Request, Response, status
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from mems.collab import service
from mems.collab.filetypes import content_disposition
from mems.collab.models import SubjectType
from mems.collab.schemas import (
    ActivityRead,
    AttachmentRead,
    CommentCreate,
    CommentRead,
    CommentUpdate,
)
from mems.collab.storage import Storage, storage_for
from mems.collab.uploads import MultipartFile
from mems.config import Settings
from mems.core.db import SessionDep
from mems.core.errors import (
    GUARDED,
    ONE,
    NotFound,
    PayloadTooLarge,
    PreconditionFailed,
    StaleVersion,
    problem_responses,
)
from mems.core.pagination import Page, PageParamsDep
from mems.core.responses import json_response
from mems.core.routing import API_PREFIX, api_router
from mems.core.versioning import IfMatchHeader
from mems.identity.auth import Requires
from mems.identity.permissions import Permission
from mems.identity.principal import Principal

router = api_router(
    tags=["collaboration"],
    responses=GUARDED,
)
Read = Requires(Permission.PROJECTS_READ)
Write = Requires(Permission.WORK_WRITE)
_SUBJECT = "/discussions/{subject_type}/{subject_id}"
# The upload route: the body-size middleware lets its bodies reach max_upload_bytes.
UPLOAD_PATH = re.compile(re.escape(API_PREFIX) + r"/discussions/[a-z_]+/[^/]+/attachments")


def _storage(request: Request) -> Storage:
    state = request.app.state
    storage: Storage | None = getattr(state, "collab_storage", None)
    if storage is None:
        storage = state.collab_storage = storage_for(state.settings)
    return storage


# ---- comments ------------------------------------------------------------------------------


@router.get(f"{_SUBJECT}/comments", response_model=Page[CommentRead], responses=ONE)
async def list_comments(
    subject_type: SubjectType,
    subject_id: uuid.UUID,
    session: SessionDep,
    page: PageParamsDep,
    principal: Principal = Read,
) -> Response:
    """The subject's comments, oldest first; a deleted one keeps its place, without text."""
    comments = await service.list_comments(session, principal, subject_type, subject_id, page)
    return json_response(comments, Page[CommentRead])


@router.post(
    f"{_SUBJECT}/comments",
    response_model=CommentRead,
    status_code=status.HTTP_201_CREATED,
    responses=ONE,
)
async def create_comment(
    subject_type: SubjectType,
    subject_id: uuid.UUID,
    body: CommentCreate,
    session: SessionDep,
    principal: Principal = Write,
) -> Response:
    """Comment on a subject one takes part in; everyone mentioned (`@[Name](member id)`) is
    notified, and must be a member who can see the subject."""
    comment = await service.add_comment(session, principal, subject_type, subject_id, body.body)
    return json_response(comment, CommentRead, status_code=status.HTTP_201_CREATED)


@router.patch(
    "/comments/{comment_id}",
    response_model=CommentRead,
    responses=problem_responses(NotFound, StaleVersion, PreconditionFailed),
)
async def update_comment(
    comment_id: uuid.UUID,
    body: CommentUpdate,
    session: SessionDep,
    if_match: IfMatchHeader = None,
    principal: Principal = Write,
) -> Response:
    """Edit one's own comment (people newly mentioned are notified)."""
    comment = await service.update_comment(
        session, principal, comment_id, body.body, body.version, if_match
    )
    return json_response(comment, CommentRead)


@router.delete("/comments/{comment_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ONE)
async def delete_comment(
    comment_id: uuid.UUID, session: SessionDep, principal: Principal = Write
) -> None:
    """Delete one's own comment (admins: anyone's); the thread shows it was deleted."""
    await service.delete_comment(session, principal, comment_id)


# ---- attachments ---------------------------------------------------------------------------


@router.get(f"{_SUBJECT}/attachments", response_model=Page[AttachmentRead], responses=ONE)
async def list_attachments(
    subject_type: SubjectType,
    subject_id: uuid.UUID,
    session: SessionDep,
    page: PageParamsDep,
    principal: Principal = Read,
) -> Response:
    """The subject's files, newest first."""
    files = await service.list_attachments(session, principal, subject_type, subject_id, page)
    return json_response(files, Page[AttachmentRead])


_UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        }
    },
}


@router.post(
    f"{_SUBJECT}/attachments",
    response_model=AttachmentRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(NotFound, PayloadTooLarge, service.UnsupportedMediaType),
    openapi_extra={"requestBody": _UPLOAD_BODY},
)
async def upload_attachment(
    subject_type: SubjectType,
    subject_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    principal: Principal = Write,
) -> Response:
    """Attach a file (multipart, part `file`), streamed to the store: PDF, Office documents,
    images, text/CSV/Markdown or zip, by extension and by content (else 415), at most
    `max_upload_bytes` (else 413). A refused upload leaves nothing behind."""
    subject = await service.subject_for(session, principal, subject_type, subject_id, write=True)
    upload = MultipartFile(request)
    filename = await upload.open()
    settings: Settings = request.app.state.settings
    attachment = await service.add_attachment(
        session,
        principal,
        _storage(request),
        subject,
        filename,
        upload.chunks(),
        settings.max_upload_bytes,
    )
    return json_response(attachment, AttachmentRead, status_code=status.HTTP_201_CREATED)


@router.get(
    "/attachments/{attachment_id}/content",
    response_class=StreamingResponse,
    responses={
        200: {"description": "The file's bytes", "content": {"application/octet-stream": {}}},
        **ONE,
    },
)
async def download_attachment(
    attachment_id: uuid.UUID, request: Request, session: SessionDep, principal: Principal = Read
) -> StreamingResponse:
    """The file, streamed, as an attachment under its original name (RFC 6266 `filename*`)."""
    download = await service.open_attachment(session, principal, _storage(request), attachment_id)
    return StreamingResponse(
        download.chunks,
        media_type=download.content_type,
        headers={
            "Content-Disposition": content_disposition(download.filename),
            "Content-Length": str(download.size_bytes),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
            "ETag": f'"{download.sha256}"',
        },
    )


@router.delete(
    "/attachments/{attachment_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ONE
)
async def delete_attachment(
    attachment_id: uuid.UUID, request: Request, session: SessionDep, principal: Principal = Write
) -> Response:
    """Delete a file (its uploader, the project's manager, admins); its bytes go once the
    deletion is committed."""
    key = await service.delete_attachment(session, principal, attachment_id)
    # A background task runs after the response, so after the commit (never if it fails).
    return Response(
        status_code=status.HTTP_204_NO_CONTENT,
        background=BackgroundTask(_storage(request).delete, key),
    )


# ---- activity ------------------------------------------------------------------------------


@router.get("/projects/{project_id}/activity", response_model=Page[ActivityRead], responses=ONE)
async def project_activity(
    project_id: uuid.UUID, session: SessionDep, page: PageParamsDep, principal: Principal = Read
) -> Response:
    """What happened in the project, newest first: changes to it and to everything in it
    (tasks, dependencies, issues, comments, files …), who made them and which fields."""
    activity = await service.project_activity(session, principal, project_id, page)
    return json_response(activity, Page[ActivityRead])
