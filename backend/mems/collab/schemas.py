"""Collaboration's API shapes: comments, attachments, a project's activity."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from mems.collab.models import SubjectType
from mems.core.schemas import InputModel, ReadModel

CommentBody = Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
_BODY_DOC = (
    "Plain text; a mention is written `@[Name](member id)` (the SPA's mention input makes "
    "it). Each person mentioned must be a member who can see the subject, and is notified."
)


class CommentCreate(InputModel):
    body: CommentBody = Field(description=_BODY_DOC, examples=["请 @[王芳](…) 看一下预算"])


class CommentUpdate(InputModel):
    body: CommentBody = Field(description=_BODY_DOC)
    version: int = Field(ge=1)


class CommentRead(ReadModel):
    id: uuid.UUID
    subject_type: SubjectType
    subject_id: uuid.UUID
    author_member_id: uuid.UUID
    author_name: str
    body: str = Field(description="Empty once deleted (`deleted`: the SPA says so)")
    mentions: list[uuid.UUID] = Field(description="The members mentioned in the body")
    deleted: bool
    edited: bool
    created_at: datetime
    updated_at: datetime
    version: int
    can_edit: bool = Field(description="The caller wrote it (and it is not deleted)")
    can_delete: bool = Field(description="The caller wrote it, or moderates")


class AttachmentRead(ReadModel):
    id: uuid.UUID
    subject_type: SubjectType
    subject_id: uuid.UUID
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by_member_id: uuid.UUID | None
    uploaded_by_name: str
    created_at: datetime
    can_delete: bool = Field(description="The caller uploaded it, or manages the subject")


class ActivityRead(ReadModel):
    id: uuid.UUID
    created_at: datetime
    actor_user_id: uuid.UUID | None = Field(description="None: the system (a job)")
    actor_name: str | None
    action: str = Field(description="create, update or delete")
    entity_type: str = Field(description="The table of the object, e.g. tasks, comments")
    entity_id: str
    entity_label: str | None = Field(description="The object's name at the time")
    changed: list[str] = Field(description="The fields an update changed (empty otherwise)")
