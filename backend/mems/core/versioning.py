"""Optimistic concurrency for updates: a stale write is refused, never merged.

Clients send the version they read, in the body (`version`, a mismatch is 409) and/or as
`If-Match: "<version>"` (a mismatch is 412). Single-object GETs return the version as ETag.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Protocol

from fastapi import Header, Response

from mems.core.errors import PreconditionFailed, StaleVersion
from mems.core.i18n import _

IfMatchHeader = Annotated[
    str | None, Header(alias="If-Match", description='Optional: the ETag you read, e.g. "3"')
]


def etag(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


class Versioned(Protocol):
    version: int


class VersionedUpdate(Protocol):
    version: int

    def model_dump(self, *, exclude_unset: bool, exclude: set[str]) -> dict[str, Any]: ...


def changes_to(obj: Versioned, body: VersionedUpdate, if_match: str | None) -> dict[str, Any]:
    """The fields a PATCH sets, once its version (and If-Match) is checked against `obj`."""
    check_version(obj.version, body.version, if_match)
    return body.model_dump(exclude_unset=True, exclude={"version"})


def apply_changes(obj: object, changes: dict[str, Any]) -> None:
    for field, value in changes.items():
        setattr(obj, field, value)


def check_version(current: int, sent: int, if_match: str | None = None) -> None:
    if if_match is not None:
        # RFC 9110 §13.1.1: If-Match uses strong comparison, so a weak tag never matches.
        tags = {t.strip() for t in if_match.split(",")}
        if "*" not in tags and etag(current) not in tags:
            raise PreconditionFailed(
                _(
                    "If-Match {if_match} does not match the current version {etag}.",
                    if_match=if_match,
                    etag=etag(current),
                ),
                current_version=current,
            )
    if sent != current:
        raise StaleVersion(
            _(
                "You sent version {sent} but the object is at version {current}; reload and retry.",
                sent=sent,
                current=current,
            ),
            current_version=current,
        )


def content_revision(value: Any) -> str:
    """A revision for state that has no version column (settings, configured lists): a digest
    of its canonical JSON, so any change gives a new one."""
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def check_revision(current: int | str, sent: int | str) -> None:
    """A setting's revision (a row's counter, or a digest of configured state) against the
    one the client read."""
    if sent != current:
        raise StaleVersion(
            _(
                "You sent revision {sent} but it is now {current}: someone changed it since you "
                "read it; reload and retry.",
                sent=sent,
                current=current,
            ),
            current_revision=current,
        )
