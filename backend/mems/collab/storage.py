"""Where attachments' bytes live: one interface, a local folder or an S3-compatible store.

Bytes always stream: `save` consumes an async iterator of chunks (and stops, deleting what
it wrote, when the iterator raises, e.g. an upload passing its size limit), `open` gives the
stored bytes back as an async iterator of chunks. No method ever holds a whole file in memory
(S3 keeps at most one multipart part, `S3Storage.PART_BYTES`, at a time).

Keys are made by the service (`<org id>/<random id>`), never from user input; the local
store refuses any other shape anyway. `objects` lists what is stored (for the sweep of files
no attachment names, `collab.jobs`); it lists only keys of that shape, so whatever else shares
the folder or the bucket is never touched.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import anyio
import anyio.to_thread

from mems.config import Settings

CHUNK_BYTES = 64 * 1024
_KEY = re.compile(r"[0-9a-f]{32}/[0-9a-f]{32}")


class StoredFileMissing(Exception):
    """The row names a key whose bytes are not in the store."""


@dataclass(frozen=True)
class StoredObject:
    key: str
    modified_at: datetime  # when its bytes were written (UTC)


class Storage(Protocol):
    async def save(self, key: str, chunks: AsyncIterator[bytes]) -> tuple[int, str]:
        """Store the chunks under `key`: (size in bytes, SHA-256 hex). If `chunks` raises,
        nothing stays stored and the error propagates."""
        ...

    async def open(self, key: str) -> AsyncIterator[bytes]:
        """The stored bytes in chunks; `StoredFileMissing` (raised here, before any chunk)
        when there are none."""
        ...

    async def delete(self, key: str) -> None:
        """Forget `key`'s bytes (nothing when there are none)."""
        ...

    def objects(self) -> AsyncIterator[StoredObject]:
        """Every complete stored file (an upload still being written is not one), in no
        particular order, a bounded batch in memory at a time."""
        ...


def new_key(org_id: uuid.UUID) -> str:
    return f"{org_id.hex}/{uuid.uuid4().hex}"


class LocalStorage:
    """A folder on this machine (the embedded default: `var/uploads`). A file is written under
    a temporary name and renamed into place when complete, so a reader never sees half of
    one."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root / key

    async def save(self, key: str, chunks: AsyncIterator[bytes]) -> tuple[int, str]:
        target = self.path(key)
        partial = target.with_name(target.name + ".partial")
        await anyio.to_thread.run_sync(lambda: target.parent.mkdir(parents=True, exist_ok=True))
        digest = hashlib.sha256()
        size = 0
        try:
            async with await anyio.open_file(partial, "xb") as out:
                async for chunk in chunks:
                    digest.update(chunk)
                    size += len(chunk)
                    await out.write(chunk)
            await anyio.to_thread.run_sync(os.replace, partial, target)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(lambda: partial.unlink(missing_ok=True))
            raise
        return size, digest.hexdigest()

    async def open(self, key: str) -> AsyncIterator[bytes]:
        try:
            handle = await anyio.open_file(self.path(key), "rb")
        except FileNotFoundError as exc:
            raise StoredFileMissing(key) from exc

        async def chunks() -> AsyncIterator[bytes]:
            async with handle:
                while chunk := await handle.read(CHUNK_BYTES):
                    yield chunk

        return chunks()

    async def delete(self, key: str) -> None:
        path = self.path(key)
        await anyio.to_thread.run_sync(lambda: path.unlink(missing_ok=True))

    async def objects(self) -> AsyncIterator[StoredObject]:
        # One folder per organisation: each is read (in a worker thread) as one batch.
        folders = await anyio.to_thread.run_sync(_entries, self.root, True)
        for folder in folders:
            for name, mtime in await anyio.to_thread.run_sync(_entries, self.root / folder, False):
                key = f"{folder}/{name}"
                if _KEY.fullmatch(key):
                    yield StoredObject(key, datetime.fromtimestamp(mtime, UTC))


def _entries(folder: Path, folders: bool) -> list[Any]:
    """The names of `folder`'s subfolders, or its files' (name, modification time)."""
    try:
        with os.scandir(folder) as found:
            if folders:
                return [e.name for e in found if e.is_dir(follow_symlinks=False)]
            return [
                (e.name, e.stat(follow_symlinks=False).st_mtime)
                for e in found
                if e.is_file(follow_symlinks=False)
            ]
    except FileNotFoundError:  # nothing stored yet, or removed meanwhile
        return []


class S3Storage:
    """An S3-compatible object store (AWS S3, MinIO, Aliyun OSS, Tencent COS …) through boto3,
    whose blocking calls run in worker threads. A file is sent as a multipart upload in parts
    of `PART_BYTES` (one part in memory at a time), or with one PUT when it is smaller; a
    failed upload is aborted, so no object appears."""

    PART_BYTES = 8 * 1024 * 1024  # S3 wants parts of at least 5 MiB (but the last)

    def __init__(self, bucket: str, prefix: str = "", client: Any = None, **client_args: Any):
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        if client is None:
            import boto3  # imported only when S3 is configured

            client = boto3.client("s3", **{k: v for k, v in client_args.items() if v})
        self.client = client

    def object_key(self, key: str) -> str:
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a storage key: {key!r}")
        return f"{self.prefix}/{key}" if self.prefix else key

    async def _call(self, method: str, **kwargs: Any) -> Any:
        function = getattr(self.client, method)
        return await anyio.to_thread.run_sync(lambda: function(**kwargs))

    async def save(self, key: str, chunks: AsyncIterator[bytes]) -> tuple[int, str]:
        name = self.object_key(key)
        digest = hashlib.sha256()
        size = 0
        buffer = bytearray()
        upload_id: str | None = None
        parts: list[dict[str, Any]] = []
        try:
            async for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                buffer += chunk
                while len(buffer) >= self.PART_BYTES:
                    if upload_id is None:
                        started = await self._call(
                            "create_multipart_upload", Bucket=self.bucket, Key=name
                        )
                        upload_id = str(started["UploadId"])
                    part, buffer = bytes(buffer[: self.PART_BYTES]), buffer[self.PART_BYTES :]
                    parts.append(await self._part(name, upload_id, len(parts) + 1, part))
            if upload_id is None:
                await self._call("put_object", Bucket=self.bucket, Key=name, Body=bytes(buffer))
            else:
                if buffer:
                    parts.append(await self._part(name, upload_id, len(parts) + 1, bytes(buffer)))
                await self._call(
                    "complete_multipart_upload",
                    Bucket=self.bucket,
                    Key=name,
                    UploadId=upload_id,
                    MultipartUpload={"Parts": parts},
                )
        except BaseException:
            if upload_id is not None:
                with anyio.CancelScope(shield=True):
                    await self._call(
                        "abort_multipart_upload", Bucket=self.bucket, Key=name, UploadId=upload_id
                    )
            raise
        return size, digest.hexdigest()

    async def _part(self, name: str, upload_id: str, number: int, data: bytes) -> dict[str, Any]:
        sent = await self._call(
            "upload_part",
            Bucket=self.bucket,
            Key=name,
            UploadId=upload_id,
            PartNumber=number,
            Body=data,
        )
        return {"PartNumber": number, "ETag": sent["ETag"]}

    async def open(self, key: str) -> AsyncIterator[bytes]:
        try:
            found = await self._call("get_object", Bucket=self.bucket, Key=self.object_key(key))
        except self.client.exceptions.NoSuchKey as exc:
            raise StoredFileMissing(key) from exc
        body = found["Body"]

        async def chunks() -> AsyncIterator[bytes]:
            try:
                while chunk := await anyio.to_thread.run_sync(body.read, CHUNK_BYTES):
                    yield chunk
            finally:
                body.close()

        return chunks()

    async def delete(self, key: str) -> None:
        await self._call("delete_object", Bucket=self.bucket, Key=self.object_key(key))

    async def objects(self) -> AsyncIterator[StoredObject]:
        # A page (up to 1,000 objects) per request; an upload not completed is no object.
        start = f"{self.prefix}/" if self.prefix else ""
        pages = iter(
            self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start)
        )
        while (page := await anyio.to_thread.run_sync(next, pages, None)) is not None:
            for found in page.get("Contents", []):
                key = str(found["Key"])[len(start) :]
                if _KEY.fullmatch(key):
                    yield StoredObject(key, found["LastModified"].astimezone(UTC))


def storage_for(settings: Settings) -> Storage:
    """The store the settings name (`storage_url`)."""
    url = settings.storage_url.strip()
    if not url:
        return LocalStorage(settings.uploads_dir)
    parts = urlsplit(url)
    if parts.scheme == "s3":
        if not parts.netloc:
            raise ValueError("STORAGE_URL s3://bucket[/prefix] needs a bucket")
        return S3Storage(
            parts.netloc,
            parts.path,
            endpoint_url=settings.s3_endpoint_url,
            region_name=settings.s3_region,
        )
    if parts.scheme == "file":
        return LocalStorage(Path(parts.path))
    if parts.scheme == "":
        return LocalStorage(Path(url))
    raise ValueError(f"STORAGE_URL: unknown scheme {parts.scheme!r} (use a path, file:// or s3://)")
