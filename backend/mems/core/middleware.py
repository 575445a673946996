"""Pure ASGI middleware (no BaseHTTPMiddleware: it costs a task and a copy per request).

- RequestContext: a request id (incoming `X-Request-ID` or a new one) on every log line and
  on the response; one access-log line per request.
- BodySizeLimit: refuses bodies above the limit with 413 before the handler reads them, and a
  NUL character in the path or query string with 422 (bodies are checked by `InputModel`).
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mems.core.errors import (
    FieldError,
    PayloadTooLarge,
    ValidationFailed,
    internal_error,
    problem_response,
)
from mems.core.i18n import _, negotiate
from mems.core.logging import request_id_var

access_log = logging.getLogger("mems.access")
log = logging.getLogger("mems.errors")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _VALID_ID.match(incoming) else os.urandom(16).hex()
        token = request_id_var.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        status_sent = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, status_sent
            if message["type"] == "http.response.start":
                status, status_sent = message["status"], True
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Answer here, while the request id is still known, instead of in Starlette's
            # outermost error middleware where it is not.
            log.exception("unhandled error")
            if status_sent:
                raise
            locale = negotiate(_header(scope, b"accept-language"))
            await problem_response(internal_error(scope["path"], locale))(
                scope, receive, send_with_id
            )
        finally:
            if access_log.isEnabledFor(logging.INFO):
                access_log.info(
                    "%s %s %s",
                    scope["method"],
                    scope["path"],
                    status,
                    extra={
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    },
                )
            request_id_var.reset(token)


class BodySizeLimitMiddleware:
    """`max_bytes` for every body, except on the paths `larger` names (a pattern and its own
    limit each, e.g. file uploads, which count their own bytes while they stream)."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        larger: Sequence[tuple[re.Pattern[str], int]] = (),
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = tuple(larger)

    def _limit(self, path: str) -> int:
        for pattern, limit in self.larger:
            if pattern.fullmatch(path):
                return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if (field := _nul_field(scope)) is not None:
            err = ValidationFailed(
                _("Invalid input: {fields}", fields=field),
                errors=[
                    FieldError(
                        field=field, message="must not contain NUL characters", type="value_not_nul"
                    )
                ],
            )
            locale = negotiate(_header(scope, b"accept-language"))
            await problem_response(err.to_problem(scope["path"], locale))(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is None and _header(scope, b"transfer-encoding") is None:
            # No body (RFC 9112 6.3): nothing to count.
            await self.app(scope, receive, send)
            return
        max_bytes = self._limit(scope["path"]) if self.larger else self.max_bytes
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            await self._refuse(scope, receive, send, max_bytes)
            return
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise _TooLarge(max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not response_started:
                await self._refuse(scope, receive, send, max_bytes)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, max_bytes: int) -> None:
        err = PayloadTooLarge(
            _("The request body exceeds {limit} bytes.", limit=max_bytes),
            limit=max_bytes,
        )
        locale = negotiate(_header(scope, b"accept-language"))
        await problem_response(err.to_problem(scope["path"], locale))(scope, receive, send)


class _TooLarge(HTTPException):
    # An HTTPException so FastAPI's body parser re-raises it instead of calling it a 400.
    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"The request body exceeds {max_bytes} bytes.")


def _nul_field(scope: Scope) -> str | None:
    """The query parameter (or `path`) holding a NUL character, which no text column stores."""
    if "\x00" in scope["path"]:
        return "path"
    query: bytes = scope.get("query_string", b"")
    if b"%00" not in query and b"\x00" not in query:
        return None
    for key, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if "\x00" in key or "\x00" in value:
            return unquote(key.replace("\x00", "")) or "query"
    return None


def _header(scope: Scope, name: bytes) -> Any:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None
