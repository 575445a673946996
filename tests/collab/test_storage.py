"""The storage interface (a local folder; S3 through botocore's own stubbed client, since no
S3 endpoint is reachable here) and the file-type rules."""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import ANY, Stubber

from mems.collab.filetypes import clean_filename, content_disposition, sniff
from mems.collab.storage import LocalStorage, S3Storage, StoredFileMissing, new_key, storage_for
from mems.config import Settings

KEY = new_key(uuid.uuid4())


async def _chunks(*parts: bytes, fail_after: int | None = None) -> AsyncIterator[bytes]:
    for i, part in enumerate(parts):
        if fail_after is not None and i == fail_after:
            raise RuntimeError("the upload broke off")
        yield part


async def test_local_storage_round_trip_in_chunks(tmp_path: Path) -> None:
    store = LocalStorage(tmp_path)
    data = [os.urandom(50_000) for _ in range(4)]
    size, digest = await store.save(KEY, _chunks(*data))
    whole = b"".join(data)
    assert (size, digest) == (len(whole), hashlib.sha256(whole).hexdigest())
    read = [chunk async for chunk in await store.open(KEY)]
    assert b"".join(read) == whole
    assert len(read) == 4
    assert max(map(len, read)) <= 64 * 1024
    await store.delete(KEY)
    await store.delete(KEY)  # twice is fine
    with pytest.raises(StoredFileMissing):
        await store.open(KEY)


async def test_local_storage_leaves_nothing_when_the_chunks_fail(tmp_path: Path) -> None:
    store = LocalStorage(tmp_path)
    with pytest.raises(RuntimeError):
        await store.save(KEY, _chunks(b"a" * 1000, b"b" * 1000, fail_after=1))
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []  # noqa: ASYNC240


async def test_local_storage_refuses_keys_it_did_not_make(tmp_path: Path) -> None:
    store = LocalStorage(tmp_path)
    for bad in ("../../etc/passwd", "a/b", KEY + "/x", "/" + KEY):
        with pytest.raises(ValueError, match="not a storage key"):
            await store.save(bad, _chunks(b"x"))


def test_storage_for_the_settings(tmp_path: Path) -> None:
    def of(url: str) -> object:
        return storage_for(Settings(var_dir=tmp_path, storage_url=url))

    local = of("")
    assert isinstance(local, LocalStorage)
    assert local.root == tmp_path / "uploads"
    there = of(f"file://{tmp_path}/files")
    assert isinstance(there, LocalStorage)
    assert there.root == tmp_path / "files"
    s3 = of("s3://mems-files/prod/attachments")
    assert isinstance(s3, S3Storage)
    assert (s3.bucket, s3.object_key(KEY)) == ("mems-files", f"prod/attachments/{KEY}")
    with pytest.raises(ValueError, match="scheme"):
        of("ftp://host/x")


def _stubbed(prefix: str = "p") -> tuple[S3Storage, Stubber]:
    client = boto3.client(
        "s3",
        region_name="cn-north-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    return S3Storage("bucket", prefix, client=client), Stubber(client)


async def test_s3_small_file_is_one_put() -> None:
    store, stub = _stubbed()
    stub.add_response(
        "put_object", {"ETag": '"e"'}, {"Bucket": "bucket", "Key": f"p/{KEY}", "Body": b"hello"}
    )
    with stub:
        assert await store.save(KEY, _chunks(b"hel", b"lo")) == (
            5,
            hashlib.sha256(b"hello").hexdigest(),
        )
    stub.assert_no_pending_responses()


async def test_s3_large_file_goes_in_parts_of_bounded_size() -> None:
    store, stub = _stubbed()
    store.PART_BYTES = 5 * 1024 * 1024
    name = f"p/{KEY}"
    stub.add_response(
        "create_multipart_upload", {"UploadId": "u1"}, {"Bucket": "bucket", "Key": name}
    )
    for number in (1, 2, 3):
        stub.add_response(
            "upload_part",
            {"ETag": f'"e{number}"'},
            {"Bucket": "bucket", "Key": name, "UploadId": "u1", "PartNumber": number, "Body": ANY},
        )
    stub.add_response(
        "complete_multipart_upload",
        {},
        {
            "Bucket": "bucket",
            "Key": name,
            "UploadId": "u1",
            "MultipartUpload": {"Parts": [{"PartNumber": n, "ETag": f'"e{n}"'} for n in (1, 2, 3)]},
        },
    )
    chunk = b"z" * (1024 * 1024)
    with stub:
        size, _ = await store.save(KEY, _chunks(*([chunk] * 11)))
    assert size == 11 * len(chunk)
    stub.assert_no_pending_responses()


async def test_s3_failed_upload_is_aborted() -> None:
    store, stub = _stubbed("")
    store.PART_BYTES = 5 * 1024 * 1024
    stub.add_response(
        "create_multipart_upload", {"UploadId": "u9"}, {"Bucket": "bucket", "Key": KEY}
    )
    stub.add_response("upload_part", {"ETag": '"e"'}, None)
    stub.add_response(
        "abort_multipart_upload", {}, {"Bucket": "bucket", "Key": KEY, "UploadId": "u9"}
    )
    big = b"q" * (5 * 1024 * 1024)
    with stub, pytest.raises(RuntimeError):
        await store.save(KEY, _chunks(big, b"x", b"y", fail_after=2))
    stub.assert_no_pending_responses()


async def test_s3_download_streams_and_missing_is_reported() -> None:
    store, stub = _stubbed()
    data = os.urandom(200_000)
    body = StreamingBody(io.BytesIO(data), len(data))
    stub.add_response("get_object", {"Body": body}, {"Bucket": "bucket", "Key": f"p/{KEY}"})
    stub.add_client_error("get_object", "NoSuchKey", http_status_code=404)
    with stub:
        read = [chunk async for chunk in await store.open(KEY)]
        with pytest.raises(StoredFileMissing):
            await store.open(KEY)
    assert b"".join(read) == data
    assert len(read) == 4


def test_sniffing_needs_extension_and_content_to_agree() -> None:
    assert sniff("a.pdf", b"%PDF-1.7", complete=True) == "application/pdf"
    assert sniff("A.PDF", b"%PDF-1.7", complete=True) == "application/pdf"
    assert sniff("a.pdf", b"PK\x03\x04", complete=True) is None
    assert sniff("a.docx", b"PK\x03\x04", complete=True) is not None
    assert sniff("a.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 ", complete=True) == "image/webp"
    assert sniff("a.webp", b"RIFF\x00\x00\x00\x00WAVEfmt ", complete=True) is None
    text = "中文内容".encode() * 1000
    # A multi-byte character cut by the end of the head is still text...
    assert sniff("a.txt", text[:4095], complete=False) is not None
    # ...but not at the end of a complete file.
    assert sniff("a.txt", b"abc\xff", complete=False) is not None
    assert sniff("a.txt", b"abc\xff", complete=True) is None
    assert sniff("a.csv", "名,值".encode("gb18030"), complete=True) is not None
    assert sniff("a.exe", b"MZ", complete=True) is None
    assert sniff(".pdf", b"%PDF-", complete=True) is None


def test_filenames_are_cleaned_and_sent_back_in_both_forms() -> None:
    assert clean_filename("C:\\Users\\王\\方案.pdf") == "方案.pdf"
    assert clean_filename("../../a\x00b\x1f.pdf") == "ab.pdf"
    assert clean_filename("...") == "file"
    long = "长" * 300 + ".pdf"
    assert len(clean_filename(long)) == 255
    assert clean_filename(long).endswith(".pdf")
    header = content_disposition('方案 "终稿".pdf')
    assert header == (
        'attachment; filename="__ ____.pdf"; '
        "filename*=UTF-8''%E6%96%B9%E6%A1%88%20%22%E7%BB%88%E7%A8%BF%22.pdf"
    )
