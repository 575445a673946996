"""Collaboration's role matrix: everyone reads a project's discussion and activity; whoever
does the work (everyone but viewers) comments and uploads on the projects they work on; each
edits and deletes their own. Every operation × every role (harness: tests/permission_matrix.py).
Who may take part in which subject beyond the role is tested in test_comments/test_attachments."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.collab.models import Attachment, Comment, SubjectType
from mems.collab.storage import new_key, storage_for
from mems.core.jobs import InProcessQueue
from mems.projects.models import Project, ProjectStatus, ProjectType
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.permission_matrix import API, Row, Setup, by_role, check_no_credential, check_roles, ids

PDF = b"%PDF-1.4\n%matrix\n"
_SUBJECT = f"{API}/discussions/{{subject_type}}/{{subject_id}}"
_ON_PROJECT = {"subject_id": "project_id"}

# by_role(admin, director, project_manager, member, finance, viewer)
MATRIX: list[Row] = [
    Row(
        "GET",
        f"{_SUBJECT}/comments",
        None,
        by_role(200, 200, 200, 200, 200, 200),
        use=_ON_PROJECT,
    ),
    Row(
        "POST",
        f"{_SUBJECT}/comments",
        lambda c: {"body": f"矩阵评论 {c['unique']}"},
        by_role(201, 201, 201, 201, 201, 403),
        use=_ON_PROJECT,
    ),
    Row(
        "PATCH",
        f"{API}/comments/{{comment_id}}",
        lambda c: {"body": "改过的评论", "version": 1},
        by_role(200, 200, 200, 200, 200, 403),
    ),
    Row("DELETE", f"{API}/comments/{{comment_id}}", None, by_role(204, 204, 204, 204, 204, 403)),
    Row(
        "GET",
        f"{_SUBJECT}/attachments",
        None,
        by_role(200, 200, 200, 200, 200, 200),
        use=_ON_PROJECT,
    ),
    Row(
        "POST",
        f"{_SUBJECT}/attachments",
        None,
        by_role(201, 201, 201, 201, 201, 403),
        use=_ON_PROJECT,
        files=lambda c: {"file": (f"矩阵-{c['unique']}.pdf", PDF, "application/pdf")},
    ),
    Row(
        "GET",
        f"{API}/attachments/{{attachment_id}}/content",
        None,
        by_role(200, 200, 200, 200, 200, 200),
        content_type="application/pdf",
    ),
    Row(
        "DELETE",
        f"{API}/attachments/{{attachment_id}}",
        None,
        by_role(204, 204, 204, 204, 204, 403),
    ),
    Row(
        "GET",
        f"{API}/projects/{{project_id}}/activity",
        None,
        by_role(200, 200, 200, 200, 200, 200),
    ),
]


async def prepare(s: Setup) -> dict[str, Any]:
    """A project the caller manages (so works on), with a comment and a file of theirs."""
    org_id = s.org.org.id
    project = Project(
        id=uuid.uuid4(),
        org_id=org_id,
        code=f"K{s.unique}",
        name=f"协作矩阵 {s.unique}",
        type=ProjectType.PROMOTION,
        status=ProjectStatus.ACTIVE,
        owner_member_id=s.caller,
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 11, 15),
    )
    s.session.add(project)
    await s.session.flush()
    comment = Comment(
        org_id=org_id,
        subject_type=SubjectType.PROJECT,
        subject_id=project.id,
        project_id=project.id,
        author_member_id=s.caller,
        body="原评论",
        mentions=[],
    )
    # The file's bytes go where the app keeps them (the app behind the caller's client).
    app: Any = s.client._transport.app  # type: ignore[attr-defined]
    storage = getattr(app.state, "collab_storage", None) or storage_for(app.state.settings)

    async def chunks() -> Any:
        yield PDF

    key = new_key(org_id)
    size, sha256 = await storage.save(key, chunks())
    attachment = Attachment(
        org_id=org_id,
        subject_type=SubjectType.PROJECT,
        subject_id=project.id,
        project_id=project.id,
        filename="矩阵.pdf",
        content_type="application/pdf",
        size_bytes=size,
        sha256=sha256,
        storage_key=key,
        uploaded_by_member_id=s.caller,
    )
    s.session.add_all([comment, attachment])
    await s.session.commit()
    return {
        "unique": s.unique,
        "subject_type": "project",
        "project_id": project.id,
        "comment_id": comment.id,
        "attachment_id": attachment.id,
    }


@pytest.mark.parametrize("row", MATRIX, ids=ids(MATRIX))
async def test_role_matrix(
    row: Row, api: ApiFactory, org: OrgWithMembers, session: AsyncSession, jobs: InProcessQueue
) -> None:
    await check_roles(row, prepare, api, org, session, jobs)


@pytest.mark.parametrize("row", MATRIX, ids=ids(MATRIX))
async def test_no_credential_is_401(
    row: Row, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await check_no_credential(row, client, session, subject_type="project")
