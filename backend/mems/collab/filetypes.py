"""Which files may be attached: an allow-list by extension AND by the file's first bytes.

A file is accepted only when its extension is on the list and its content starts the way
that kind of file does (a renamed executable is refused). The content type stored and sent
back on download is the one the extension maps to, never what the client declared. Pure.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

SNIFF_BYTES = 4096  # how much of the start of a file `sniff` wants to see

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # a zip, and the Office Open XML formats (docx …)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # legacy Office (doc, xls, ppt)


@dataclass(frozen=True)
class FileKind:
    content_type: str
    magic: tuple[bytes, ...]  # empty: text


ALLOWED: dict[str, FileKind] = {
    "pdf": FileKind("application/pdf", (b"%PDF-",)),
    "png": FileKind("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": FileKind("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": FileKind("image/jpeg", (b"\xff\xd8\xff",)),
    "gif": FileKind("image/gif", (b"GIF87a", b"GIF89a")),
    "webp": FileKind("image/webp", (b"RIFF",)),  # and "WEBP" at offset 8, checked below
    "zip": FileKind("application/zip", _ZIP),
    "docx": FileKind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP
    ),
    "xlsx": FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "pptx": FileKind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP
    ),
    "doc": FileKind("application/msword", _OLE),
    "xls": FileKind("application/vnd.ms-excel", _OLE),
    "ppt": FileKind("application/vnd.ms-powerpoint", _OLE),
    "txt": FileKind("text/plain; charset=utf-8", ()),
    "csv": FileKind("text/csv; charset=utf-8", ()),
    "md": FileKind("text/markdown; charset=utf-8", ()),
}


def extension(filename: str) -> str:
    name, dot, ext = filename.rpartition(".")
    return ext.lower() if dot and name else ""


def _is_text(head: bytes, complete: bool) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GB18030/GBK
        # A multi-byte character may be cut at the end of the head: allow 3 bytes of it.
        for cut in range(1 if complete else 4):
            try:
                (head[: len(head) - cut] if cut else head).decode(encoding)
            except UnicodeDecodeError:
                continue
            return True
    return False


def sniff(filename: str, head: bytes, *, complete: bool) -> str | None:
    """The content type to store the file as, or None when it is refused. `head`: the first
    `SNIFF_BYTES` of the file (all of it when `complete`)."""
    kind = ALLOWED.get(extension(filename))
    if kind is None:
        return None
    if not kind.magic:
        return kind.content_type if _is_text(head, complete) else None
    if not head.startswith(kind.magic):
        return None
    if kind.content_type == "image/webp" and head[8:12] != b"WEBP":
        return None
    return kind.content_type


def clean_filename(raw: str) -> str:
    """The name to keep: its last path segment, without control characters, at most 255
    characters (keeping the extension); "file" when nothing is left."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 254 - len(ext)] + dot + ext) if dot and len(ext) <= 16 else name[:255]
    return name or "file"


def content_disposition(filename: str) -> str:
    """`attachment` with the filename both as ASCII (for old clients) and, RFC 5987 / 6266,
    as UTF-8 (`filename*`): 中文.pdf round-trips."""
    from urllib.parse import quote

    fallback = "".join(
        ch if 0x20 <= ord(ch) < 0x7F and ch not in '"\\%' else "_" for ch in filename
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
