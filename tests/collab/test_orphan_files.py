"""The daily sweep of stored files no attachment names (`collab.sweep_orphan_files`): old
enough orphans go, attachments' files, young files and whatever is not the store's own stay."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from mems.collab import jobs as collab_jobs
from mems.collab import service
from mems.collab.models import Attachment
from mems.collab.storage import LocalStorage, S3Storage, new_key
from mems.config import Settings
from mems.core.clock import utcnow
from mems.core.jobs import InProcessQueue, registry, run_job
from mems.jobs import JOB_MODULES
from tests.collab.helpers import make_project, upload
from tests.conftest import ApiFactory
from tests.factories import OrgWithMembers

PDF = b"%PDF-1.7\n" + os.urandom(2000) + b"\n%%EOF\n"
TWO_DAYS = 2 * 24 * 3600


async def _chunks(data: bytes) -> AsyncIterator[bytes]:
    yield data


def _age(path: Path, seconds: float) -> None:
    """Make the file look written `seconds` ago."""
    then = time.time() - seconds
    os.utime(path, (then, then))


async def _orphan(store: LocalStorage, org_id: uuid.UUID, *, age: float) -> str:
    key = new_key(org_id)
    await store.save(key, _chunks(b"left behind"))
    _age(store.path(key), age)
    return key


async def test_old_orphans_go_and_everything_else_stays(
    api: ApiFactory, session: AsyncSession, org: OrgWithMembers, store_dir: Path
) -> None:
    store = LocalStorage(store_dir)
    project = await make_project(session, org)
    pm = await api("project_manager")
    # An attachment uploaded long ago, and one whose row went without its file.
    kept = (await upload(pm, "project", project.id, "方案.pdf", PDF)).json()
    gone = (await upload(pm, "project", project.id, "旧方案.pdf", PDF)).json()
    rows = {
        row.id: row.storage_key
        for row in await session.execute(select(Attachment.id, Attachment.storage_key))
    }
    kept_key, gone_key = rows[uuid.UUID(kept["id"])], rows[uuid.UUID(gone["id"])]
    await session.execute(delete(Attachment).where(Attachment.id == uuid.UUID(gone["id"])))
    await session.commit()
    for key in (kept_key, gone_key):
        _age(store.path(key), TWO_DAYS)
    # An upload whose transaction failed after its file was written (old), one in flight
    # (just written), a file of an organisation this database does not know, and what is not
    # the store's own: a partial upload and a stranger's file.
    failed = await _orphan(store, org.org.id, age=TWO_DAYS)
    in_flight = await _orphan(store, org.org.id, age=60)
    foreign = await _orphan(store, uuid.uuid4(), age=TWO_DAYS)
    partial = store_dir / org.org.id.hex / f"{uuid.uuid4().hex}.partial"
    partial.write_bytes(b"half")
    stranger = store_dir / "README.txt"
    stranger.write_text("not an attachment")
    for path in (partial, stranger):
        _age(path, TWO_DAYS)

    swept = await service.sweep_orphan_files(session, store)

    assert (swept.checked, swept.deleted) == (4, 2)  # kept, gone, failed, foreign
    assert not store.path(gone_key).exists()
    assert not store.path(failed).exists()
    for key in (kept_key, in_flight, foreign):
        assert store.path(key).exists(), key
    assert partial.exists()
    assert stranger.exists()
    # The attachment still downloads; a second sweep finds nothing more.
    r = await pm.get(f"/api/v1/attachments/{kept['id']}/content")
    assert (r.status_code, r.content) == (200, PDF)
    assert (await service.sweep_orphan_files(session, store)).deleted == 0
    # A shorter safety age is the caller's to choose: the file in flight is old enough now.
    later = await service.sweep_orphan_files(session, store, min_age=timedelta(seconds=1))
    assert later.deleted == 1
    assert not store.path(in_flight).exists()


async def test_an_empty_store_is_swept_without_error(session: AsyncSession, tmp_path: Path) -> None:
    swept = await service.sweep_orphan_files(session, LocalStorage(tmp_path / "never-made"))
    assert (swept.checked, swept.deleted) == (0, 0)


async def test_the_daily_job_sweeps_the_configured_store(
    session: AsyncSession,
    org: OrgWithMembers,
    settings: Settings,
    store_dir: Path,
    jobs: InProcessQueue,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert collab_jobs in JOB_MODULES
    assert "collab.sweep_orphan_files" in registry.crons
    monkeypatch.setattr(collab_jobs, "get_settings", lambda: settings)
    store = LocalStorage(store_dir)
    orphan = await _orphan(store, org.org.id, age=TWO_DAYS)
    young = await _orphan(store, org.org.id, age=0)
    result = await run_job(jobs.ctx, "collab.sweep_orphan_files", {})
    assert result == {"checked": 1, "deleted": 1}
    assert not store.path(orphan).exists()
    assert store.path(young).exists()


async def test_s3_lists_the_stores_own_keys_page_by_page() -> None:
    client = boto3.client(
        "s3", region_name="cn-north-1", aws_access_key_id="t", aws_secret_access_key="t"
    )
    store = S3Storage("bucket", "prod/files", client=client)
    one, two = new_key(uuid.uuid4()), new_key(uuid.uuid4())
    written = utcnow().replace(microsecond=0)
    stub = Stubber(client)
    expected = {"Bucket": "bucket", "Prefix": "prod/files/"}
    stub.add_response(
        "list_objects_v2",
        {
            "IsTruncated": True,
            "NextContinuationToken": "next",
            "Contents": [
                {"Key": f"prod/files/{one}", "LastModified": written},
                {"Key": "prod/files/notes.txt", "LastModified": written},
            ],
        },
        expected,
    )
    stub.add_response(
        "list_objects_v2",
        {"IsTruncated": False, "Contents": [{"Key": f"prod/files/{two}", "LastModified": written}]},
        {**expected, "ContinuationToken": "next"},
    )
    with stub:
        found = [o async for o in store.objects()]
    stub.assert_no_pending_responses()
    assert [(o.key, o.modified_at) for o in found] == [(one, written), (two, written)]
