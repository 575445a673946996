"""Attachments: streamed to the store, limited in size and type, downloaded as stored."""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mems.collab.models import Attachment
from mems.core.audit import AuditLog
from mems.identity.permissions import Role
from tests.collab.conftest import LIMIT
from tests.collab.helpers import API, make_order, make_project, make_task, stored_files, upload
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers
from tests.projects.helpers import count, problem

PDF = b"%PDF-1.7\n" + os.urandom(20_000) + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + os.urandom(3000)


def _filename_star(disposition: str) -> str:
    found = re.search(r"filename\*=UTF-8''([^;]+)", disposition)
    assert found, disposition
    return unquote(found.group(1))


async def test_upload_lists_and_downloads_the_same_bytes_under_a_chinese_name(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, store_dir: Path
) -> None:
    project = await make_project(session, org)
    pm, member = await api("project_manager"), await api("member")
    name = "双十一 营销方案（终稿）.pdf"
    r = await upload(
        pm, "project", project.id, name, PDF, "text/html"
    )  # the declared type is ignored
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["filename"] == name
    assert created["content_type"] == "application/pdf"
    assert created["size_bytes"] == len(PDF)
    assert created["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert created["uploaded_by_name"] == org.members[Role.PROJECT_MANAGER].user.name
    # Stored once, under a key that names no user input.
    files = stored_files(store_dir)
    assert len(files) == 1
    assert files[0].read_bytes() == PDF
    assert name not in str(files[0])

    listed = (await member.get(f"{API}/discussions/project/{project.id}/attachments")).json()
    assert [(i["id"], i["filename"], i["can_delete"]) for i in listed["items"]] == [
        (created["id"], name, False)
    ]

    async with member.stream("GET", f"{API}/attachments/{created['id']}/content") as download:
        assert download.status_code == 200
        chunks = [chunk async for chunk in download.aiter_raw()]
    assert b"".join(chunks) == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-length"] == str(len(PDF))
    assert download.headers["x-content-type-options"] == "nosniff"
    disposition = download.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert _filename_star(disposition) == name
    assert re.search(r'filename="[ -~]+"', disposition)  # an ASCII fallback too


async def test_an_upload_over_the_limit_writes_nothing_and_leaves_no_file(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, store_dir: Path
) -> None:
    project = await make_project(session, org)
    pm = await api("project_manager")
    before = (await count(session, Attachment), await count(session, AuditLog))
    # Over the limit, under the body-size middleware's margin: the stream stops it.
    too_big = b"%PDF-1.4\n" + b"0" * (LIMIT + 1000)
    body = problem(
        await upload(pm, "project", project.id, "big.pdf", too_big), 413, "payload-too-large"
    )
    assert body["limit"] == LIMIT
    # Far over: refused by the declared length before the route reads anything.
    huge = b"%PDF-1.4\n" + b"0" * (LIMIT + 200_000)
    problem(await upload(pm, "project", project.id, "huge.pdf", huge), 413, "payload-too-large")
    assert (await count(session, Attachment), await count(session, AuditLog)) == before
    assert stored_files(store_dir) == []
    # Exactly the limit is fine.
    exact = b"%PDF-1.4\n" + b"0" * (LIMIT - 9)
    r = await upload(pm, "project", project.id, "exact.pdf", exact)
    assert r.status_code == 201, r.text
    assert r.json()["size_bytes"] == LIMIT


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("run.exe", b"MZ\x90\x00" + b"\x00" * 100),  # not on the list
        ("report.pdf", b"MZ\x90\x00" + b"\x00" * 100),  # an executable renamed
        ("photo.png", PDF),  # a PDF calling itself an image
        ("notes.txt", b"hello\x00world"),  # binary posing as text
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("noextension", b"%PDF-1.4\n"),
        ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
    ],
)
async def test_a_refused_type_is_415_and_leaves_nothing(
    filename: str,
    content: bytes,
    api: ApiFactory,
    session: AsyncSession,
    org: OrgWithMembers,
    store_dir: Path,
) -> None:
    project = await make_project(session, org)
    pm = await api("project_manager")
    before = await count(session, AuditLog)
    r = await upload(pm, "project", project.id, filename, content)
    body = problem(r, 415, "unsupported-media-type")
    assert body["title"] == "File type not accepted"
    assert await count(session, Attachment) == 0
    assert await count(session, AuditLog) == before
    assert stored_files(store_dir) == []


@pytest.mark.parametrize(
    ("filename", "content", "content_type"),
    [
        ("预算.xlsx", b"PK\x03\x04" + os.urandom(500), "spreadsheetml"),
        ("旧合同.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(500), "msword"),
        ("名单.csv", "姓名,电话\n王芳,123\n".encode("gb18030"), "text/csv"),
        ("说明.md", "# 标题\n\n正文".encode(), "text/markdown"),
        ("海报.PNG", PNG, "image/png"),
        ("素材.zip", b"PK\x05\x06" + b"\x00" * 18, "application/zip"),
    ],
)
async def test_accepted_types(
    filename: str,
    content: bytes,
    content_type: str,
    api: ApiFactory,
    session: AsyncSession,
    org: OrgWithMembers,
) -> None:
    project = await make_project(session, org)
    pm = await api("project_manager")
    r = await upload(pm, "project", project.id, filename, content)
    assert r.status_code == 201, r.text
    assert content_type in r.json()["content_type"]


async def test_path_parts_and_control_characters_leave_the_name(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    pm = await api("project_manager")
    # Written by hand: httpx would escape the control character itself.
    boundary = "b0undary"
    raw = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="..\\..\\etc/pass\x07wd.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + f"\r\n--{boundary}--\r\n".encode()
    )
    r = await pm.post(
        f"{API}/discussions/project/{project.id}/attachments",
        content=raw,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["filename"] == "passwd.pdf"


async def test_bad_multipart_is_a_clear_422(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    pm = await api("project_manager")
    url = f"{API}/discussions/project/{project.id}/attachments"
    body = problem(await pm.post(url, json={"file": "x"}), 422, "validation-failed")
    assert body["errors"][0]["field"] == "file"
    wrong_part = await pm.post(url, files={"document": ("a.pdf", PDF, "application/pdf")})
    problem(wrong_part, 422, "validation-failed")
    not_a_file = await pm.post(url, data={"file": "just text"}, files={"other": ("a", b"x")})
    problem(not_a_file, 422, "validation-failed")
    assert await count(session, Attachment) == 0


async def test_who_uploads_and_who_deletes(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, store_dir: Path
) -> None:
    # The member owns this project (so is on its team); the PM is not on it.
    project = await make_project(session, org, owner=Role.MEMBER)
    member, pm, viewer, director = (
        await api("member"),
        await api("project_manager"),
        await api("viewer"),
        await api("director"),
    )
    problem(await upload(pm, "project", project.id, "a.pdf", PDF), 403, "forbidden")
    problem(await upload(viewer, "project", project.id, "a.pdf", PDF), 403, "forbidden")
    first = (await upload(member, "project", project.id, "a.pdf", PDF)).json()
    second = (await upload(member, "project", project.id, "b.png", PNG)).json()
    assert len(stored_files(store_dir)) == 2

    # Others may not delete it; the uploader may, and a director (who manages every project).
    problem(await pm.delete(f"{API}/attachments/{first['id']}"), 403, "forbidden")
    assert (await member.delete(f"{API}/attachments/{first['id']}")).status_code == 204
    listed = (await director.get(f"{API}/discussions/project/{project.id}/attachments")).json()
    assert [(i["id"], i["can_delete"]) for i in listed["items"]] == [(second["id"], True)]
    assert (await director.delete(f"{API}/attachments/{second['id']}")).status_code == 204
    assert await count(session, Attachment) == 0
    assert stored_files(store_dir) == []  # the bytes went after the commit
    problem(await member.get(f"{API}/attachments/{first['id']}/content"), 404, "not-found")


async def test_task_and_work_order_files(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers
) -> None:
    project = await make_project(session, org)
    task = await make_task(session, project)
    order = await make_order(session, org, Role.PROJECT_MANAGER, Role.MEMBER)
    pm, member, finance = await api("project_manager"), await api("member"), await api("finance")
    r = await upload(pm, "task", task.id, "task.pdf", PDF)
    assert r.status_code == 201, r.text
    stored = await session.get(Attachment, uuid.UUID(r.json()["id"]))
    assert stored is not None
    assert stored.project_id == project.id
    order_file = (await upload(member, "work_order", order.id, "order.pdf", PDF)).json()
    # Finance is no party of the order: the file does not exist for them.
    problem(await finance.get(f"{API}/attachments/{order_file['id']}/content"), 404, "not-found")
    problem(await upload(finance, "work_order", order.id, "x.pdf", PDF), 404, "not-found")
    # The requester may remove files from their order.
    assert (await pm.delete(f"{API}/attachments/{order_file['id']}")).status_code == 204


async def test_another_organisations_attachment_is_404(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, other_org: OrgWithMembers
) -> None:
    theirs = await make_project(session, other_org)
    foreign_pm = await api("project_manager", in_org=other_org)
    created = (await upload(foreign_pm, "project", theirs.id, "secret.pdf", PDF)).json()
    admin = await api("admin")
    problem(await admin.get(f"{API}/attachments/{created['id']}/content"), 404, "not-found")
    problem(await admin.delete(f"{API}/attachments/{created['id']}"), 404, "not-found")
    problem(await upload(admin, "project", theirs.id, "x.pdf", PDF), 404, "not-found")
    problem(await admin.get(f"{API}/discussions/project/{theirs.id}/attachments"), 404, "not-found")
    assert await count(session, Attachment) == 1


async def test_a_file_missing_from_the_store_is_404(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, store_dir: Path
) -> None:
    project = await make_project(session, org)
    pm = await api("project_manager")
    created = (await upload(pm, "project", project.id, "a.pdf", PDF)).json()
    for path in stored_files(store_dir):
        path.unlink()
    problem(await pm.get(f"{API}/attachments/{created['id']}/content"), 404, "not-found")
