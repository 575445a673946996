"""Read one file out of a `multipart/form-data` request as it arrives (the web layer).

Starlette's form parser would spool the whole upload to a temporary file before the route
ran; here the request body is fed, chunk by chunk, to python-multipart's streaming parser and
the file part's bytes are handed on as they come, so an upload over the limit is stopped
after the limit, not after the whole body, and memory holds one network chunk at a time.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from mems.core.errors import ValidationFailed
from mems.core.i18n import Message, _

FIELD = "file"


def _refused(message: Message) -> ValidationFailed:
    return ValidationFailed.on(FIELD, message, "upload")


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None


class MultipartFile:
    """`await open()`: the filename of the first part named `file`; then `chunks()`: its
    bytes. Parts before it are skipped, parts after it are never read."""

    def __init__(self, request: Request) -> None:
        content_type, options = parse_options_header(request.headers.get("content-type", ""))
        boundary = options.get(b"boundary")
        if content_type != b"multipart/form-data" or not boundary:
            raise _refused(_("Send the file as multipart/form-data, in a part named “file”."))
        self._body = request.stream().__aiter__()
        self._events: deque[tuple[str, object]] = deque()
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._headers: dict[bytes, bytes] = {}
        self._ended = False
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._part_begin,
                "on_part_data": self._part_data,
                "on_part_end": lambda: self._events.append(("end", None)),
                "on_header_field": self._header_field_data,
                "on_header_value": self._header_value_data,
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
            },
        )

    # ---- parser callbacks (synchronous, called inside `write`) ---------------------------

    def _part_begin(self) -> None:
        self._headers = {}

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        self._events.append(("data", bytes(data[start:end])))

    def _header_field_data(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[bytes(self._header_field).lower()] = bytes(self._header_value)
        self._header_field.clear()
        self._header_value.clear()

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        raw = options.get(b"filename")
        filename = None if raw is None else raw.decode("utf-8", "replace")
        self._events.append(("part", _Part(name, filename)))

    # ---- reading -------------------------------------------------------------------------

    async def _pump(self) -> None:
        """Feed the parser the next piece of the body (refusing a malformed one)."""
        if self._ended:
            raise _refused(_("The upload ended before its file did."))
        try:
            chunk = await self._body.__anext__()
        except StopAsyncIteration:
            self._ended = True
            try:
                self._parser.finalize()
            except MultipartParseError as exc:
                raise _refused(_("The multipart body is malformed.")) from exc
            return
        try:
            self._parser.write(chunk)
        except MultipartParseError as exc:
            raise _refused(_("The multipart body is malformed.")) from exc

    async def _next_event(self) -> tuple[str, object]:
        while not self._events:
            await self._pump()
        return self._events.popleft()

    async def open(self) -> str:
        while True:
            kind, value = await self._next_event()
            if kind == "part" and isinstance(value, _Part) and value.name == FIELD:
                if value.filename is None:
                    raise _refused(_("The part named “file” is not a file."))
                return value.filename

    async def chunks(self) -> AsyncIterator[bytes]:
        while True:
            kind, value = await self._next_event()
            if kind == "end":
                return
            if kind == "data" and isinstance(value, bytes) and value:
                yield value
