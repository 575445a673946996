"""RFC 9457 problem details: one error shape for every failure the API reports.

Errors are named classes; raising one anywhere (service, loader, permission check) gives the
client `application/problem+json` with the status, a stable `type`, and for validation the
list of fields at fault.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, PrivateAttr
from pydantic.json_schema import models_json_schema
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from mems.core.i18n import (
    DEFAULT_LOCALE,
    Locale,
    Message,
    Text,
    _,
    catalogue,
    negotiate,
    render,
    term,
)
from mems.core.schemas import HAND_READ_BODIES, nul_as_its_own_error

log = logging.getLogger("mems.errors")

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "urn:mems:problem:"


class FieldError(BaseModel):
    field: str
    message: str
    type: str
    _text: Message | None = PrivateAttr(default=None)
    _raw: dict[str, Any] | None = PrivateAttr(default=None)  # a pydantic error, rendered late

    @classmethod
    def of(cls, field: str, message: Text, type_: str) -> FieldError:
        """A field error whose message may be a `_()` template with parameters."""
        error = cls(field=field, message=str(message), type=type_)
        if isinstance(message, Message):
            error._text = message
        return error

    @classmethod
    def of_pydantic(cls, error: Any, prefix: Sequence[int | str] = ()) -> FieldError:
        """A field error from one of pydantic's, its location under `prefix`."""
        error = nul_as_its_own_error(error)
        found = cls(
            field=_field_path((*prefix, *error["loc"])),
            message=str(error["msg"]),
            type=error["type"],
        )
        found._raw = dict(error)
        return found

    def translated(self, locale: Locale) -> FieldError:
        if self._raw is not None:
            text = validation_message(self._raw, locale)
        else:
            text = self._text.render(locale) if self._text else translate(self.message, locale)
        return self if text == self.message else self.model_copy(update={"message": text})


def translate(text: str, locale: Locale) -> str:
    """A fixed English text (a title, a field message) in `locale`; unknown texts stay."""
    return Message(text, {}).render(locale)


def request_locale(request: Request) -> Locale:
    return negotiate(request.headers.get("accept-language"))


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None
    # Extension members (RFC 9457 §3.2) used by some errors.
    allowed: list[str] | None = None
    current_version: int | None = None
    current_revision: int | str | None = None  # of a setting (settings have no version)
    current_status: str | None = None  # a lifecycle state a transition was refused in
    allowed_actions: list[str] | None = None  # what that state allows instead
    expected_form: str | None = None  # a naming convention's form, e.g. {期间}-{品牌线}-{活动名}
    example: str | None = None  # a name that follows it
    part: str | None = None  # the naming convention's part at fault, e.g. brand_line
    part_label: str | None = None  # its label, e.g. 品牌线
    allowed_values: list[str] | None = None  # what that part may hold, e.g. 品牌, 电商, …
    limit: int | None = None  # the bound a value or body exceeded
    reason: str | None = None  # a machine-readable why, e.g. own_request, second_step
    batch_id: str | None = None  # the batch a delivery made before (a webhook replay)


class ProblemError(Exception):
    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"
    # A failed login must still record the attempt: the request's writes are kept.
    keep_writes: ClassVar[bool] = False

    def __init__(
        self,
        detail: Text | None = None,
        *,
        errors: Sequence[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(str(detail) if detail is not None else self.title)
        self.detail = detail
        self.errors = list(errors) if errors is not None else None
        self.headers = headers or {}
        self.extensions = extensions

    def to_problem(self, instance: str | None = None, locale: Locale = DEFAULT_LOCALE) -> Problem:
        return Problem(
            type=PROBLEM_TYPE_BASE + self.slug,
            title=translate(self.title, locale),
            status=self.status,
            detail=render(self.detail, locale),
            instance=instance,
            errors=[e.translated(locale) for e in self.errors] if self.errors else self.errors,
            **self.extensions,
        )


class BadRequest(ProblemError):
    pass


class MalformedBody(ProblemError):
    slug, title = "malformed-body", "Malformed request body"


class Unauthorized(ProblemError):
    status, slug, title = 401, "unauthorized", "Authentication required"

    def __init__(self, detail: Text | None = None, **kwargs: Any) -> None:
        super().__init__(detail, **kwargs)
        self.headers.setdefault("WWW-Authenticate", 'Bearer realm="mems"')


class Forbidden(ProblemError):
    status, slug, title = 403, "forbidden", "Not allowed"


class NotFound(ProblemError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(ProblemError):
    status, slug, title = 409, "conflict", "Conflict"


class StaleVersion(Conflict):
    slug, title = "stale-version", "The object was changed by someone else"


class PreconditionFailed(ProblemError):
    status, slug, title = 412, "precondition-failed", "Precondition failed"


class PayloadTooLarge(ProblemError):
    status, slug, title = 413, "payload-too-large", "Request body too large"


class ValidationFailed(ProblemError):
    status, slug, title = 422, "validation-failed", "Validation failed"

    @classmethod
    def on(cls, field: str, message: Text, type_: str = "invalid") -> ValidationFailed:
        return cls(message, errors=[FieldError.of(field, message, type_)])


class TooManyRequests(ProblemError):
    status, slug, title = 429, "too-many-requests", "Too many requests"


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_CONTENT_TYPE,
        headers=headers,
    )


def _field_path(loc: Sequence[int | str]) -> str:
    # ("body", "members", 0, "role") -> "members[0].role"; the location kind is dropped.
    parts = (
        list(loc[1:])
        if loc and loc[0] in ("body", "query", "path", "header", "cookie")
        else list(loc)
    )
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or (str(loc[0]) if loc else "")


class MethodNotAllowed(ProblemError):
    status, slug, title = 405, "method-not-allowed", "Method not allowed"


# Errors raised by the framework itself get the same type and title as our own.
_HTTP_ERRORS: dict[int, type[ProblemError]] = {
    cls.status: cls
    for cls in (BadRequest, Unauthorized, Forbidden, NotFound, MethodNotAllowed, PayloadTooLarge)
}


def _allowed_methods(app: FastAPI, scope: Any) -> str:
    """The methods of the resource at this path: the routes of the most specific path
    template that matches (e.g. `/notifications/read-all`, not `/notifications/{id}`)."""
    from starlette.routing import Match

    by_template: dict[str, set[str]] = {}
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        for route in app.router.routes:
            if route.matches({**scope, "method": method})[0] == Match.FULL:
                by_template.setdefault(getattr(route, "path", ""), set()).add(method)
    if not by_template:
        return ""
    best = min(by_template, key=lambda template: (template.count("{"), -len(template)))
    return ", ".join(sorted(by_template[best]))


class Duplicate(Conflict):
    slug, title = "duplicate", "Already exists"


class ServiceBusy(ProblemError):
    status, slug, title = 503, "busy", "Busy, try again"


_KEY_COLUMNS = re.compile(r"Key \(([^)]*)\)=")
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)$")
# Columns that scope a uniqueness rule rather than name the field at fault.
_SCOPE_COLUMNS = frozenset({"org_id", "project_id", "period_id", "request_id", "team_id"})


def integrity_kind(exc: IntegrityError) -> tuple[str, list[str]]:
    """What kind of constraint a database refused a write for ('unique', 'foreign_key',
    'not_null', 'check' or 'other'), and the columns it names, on PostgreSQL and SQLite."""
    orig = exc.orig
    cause = getattr(orig, "__cause__", None) or orig
    sqlstate = getattr(cause, "sqlstate", None) or getattr(orig, "pgcode", None)
    text = str(orig)
    if sqlstate:
        kind = {"23505": "unique", "23503": "foreign_key", "23502": "not_null", "23514": "check"}
        found = _KEY_COLUMNS.search(getattr(cause, "detail", None) or text)
        columns = [c.strip() for c in found.group(1).split(",")] if found else []
        column = getattr(cause, "column_name", None)
        if sqlstate == "23502" and column:
            columns = [str(column)]
        return kind.get(sqlstate, "other"), columns
    if match := _SQLITE_UNIQUE.search(text):
        return "unique", [c.strip().split(".")[-1] for c in match.group(1).split(",")]
    if "FOREIGN KEY constraint failed" in text:
        return "foreign_key", []
    if "NOT NULL constraint failed" in text:
        return "not_null", [text.rsplit(".", 1)[-1].strip()]
    if "CHECK constraint failed" in text:
        return "check", []
    return "other", []


def integrity_problem(exc: IntegrityError) -> ProblemError:
    """The answer to a write the database refused: the constraints held, so the request
    conflicted with data (often a concurrent request) and is told so, never a 500."""
    kind, columns = integrity_kind(exc)
    fields = [c for c in columns if c not in _SCOPE_COLUMNS] or columns
    field = ".".join(fields[-1:]) if fields else ""
    if kind == "unique":
        # The field is named in the reader's language (`term:field:<name>`), never as a column.
        return Duplicate(
            _(
                "Something with the same {field} already exists (perhaps created at the same "
                "moment); reload and check.",
                field=term(field or "key", "field"),
            ),
            errors=[FieldError.of(field, _("Already exists."), "duplicate")] if field else None,
        )
    if kind == "foreign_key":
        return Conflict(
            _(
                "Something this refers to, or that refers to this, was changed at the same "
                "moment; reload and retry."
            )
        )
    return Conflict(_("The data was refused as inconsistent; reload and retry."))


def _is_busy(exc: OperationalError) -> bool:
    return "database is locked" in str(exc.orig) or "deadlock detected" in str(exc.orig)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(
            exc.to_problem(request.url.path, request_locale(request)), exc.headers
        )

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, exc: StaleDataError) -> JSONResponse:
        # Two requests changed the same versioned row at once; the one that flushed second
        # lost (its transaction is rolled back) and is told to reload, like a stale version.
        err = StaleVersion(_("Someone changed this at the same moment; reload and retry."))
        return problem_response(err.to_problem(request.url.path, request_locale(request)))

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        log.info("write refused by a constraint: %s", exc.orig)
        err = integrity_problem(exc)
        return problem_response(err.to_problem(request.url.path, request_locale(request)))

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError) -> JSONResponse:
        if not _is_busy(exc):
            log.exception("database error", exc_info=exc)
            return problem_response(internal_error(request.url.path, request_locale(request)))
        log.warning("database busy: %s", exc.orig)
        err = ServiceBusy(
            _("The database is busy; try again in a moment."), headers={"Retry-After": "1"}
        )
        return problem_response(
            err.to_problem(request.url.path, request_locale(request)), err.headers
        )

    @app.exception_handler(SATimeoutError)
    async def _pool_exhausted(request: Request, exc: SATimeoutError) -> JSONResponse:
        # Every pooled connection stayed busy for the pool's timeout: overload, not a bug.
        log.warning("no database connection free: %s", exc)
        err = ServiceBusy(
            _("The database is busy; try again in a moment."), headers={"Retry-After": "1"}
        )
        return problem_response(
            err.to_problem(request.url.path, request_locale(request)), err.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        locale = request_locale(request)
        raw = [nul_as_its_own_error(e) for e in exc.errors()]
        if any(e.get("type") == "json_invalid" for e in raw):
            err: ProblemError = MalformedBody(_("The request body is not valid JSON."))
        else:
            fields = [
                FieldError(
                    field=_field_path(e["loc"]),
                    message=validation_message(e, locale),
                    type=e["type"],
                )
                for e in raw
            ]
            names = ", ".join(f.field for f in fields)
            err = ValidationFailed(_("Invalid input: {fields}", fields=names), errors=fields)
        return problem_response(err.to_problem(request.url.path, locale))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        locale = request_locale(request)
        detail: str | None = exc.detail if isinstance(exc.detail, str) else None
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed_methods(app, request.scope)
        known = _HTTP_ERRORS.get(exc.status_code)
        phrase = HTTPStatus(exc.status_code).phrase
        if detail == phrase:
            detail = None  # Starlette's default detail repeats the title
        problem = Problem(
            type=PROBLEM_TYPE_BASE + (known.slug if known else "http-error"),
            title=translate(known.title if known else phrase, locale),
            status=exc.status_code,
            detail=translate(detail, locale) if detail else None,
            instance=request.url.path,
        )
        return problem_response(problem, headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Normally answered by RequestContextMiddleware (with the request id); a fallback.
        log.exception("unhandled error", exc_info=exc)
        return problem_response(internal_error(request.url.path, request_locale(request)))


def validation_message(error: Any, locale: Locale) -> str:
    """Pydantic's message for one field, in `locale`: its error type names a template
    (`validation.<type>` in the catalogue) filled from the error's context."""
    if locale == "en":
        return str(error["msg"])
    template = catalogue(locale).get(f"validation.{error['type']}")
    if template is None:
        return str(error["msg"])
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return str(error["msg"])


def internal_error(instance: str | None, locale: Locale = DEFAULT_LOCALE) -> Problem:
    return Problem(
        type=PROBLEM_TYPE_BASE + "internal-error",
        title=translate("Internal server error", locale),
        status=500,
        detail=translate(
            "An unexpected error occurred; it has been logged with this request's id.", locale
        ),
        instance=instance,
    )


# Operations anyone may call: no 401/403 to document.
PUBLIC_OPERATIONS = frozenset(
    {("get", "/api/v1/health"), ("post", "/api/v1/auth/login"), ("post", "/api/v1/auth/token")}
)


def _document_common_problems(path: str, method: str, operation: dict[str, Any]) -> None:
    """The problems the shared machinery can answer for any operation of this shape, so the
    document lists every status a client may get (schemathesis checks it does)."""
    for parameter in operation.get("parameters", []):
        # A NUL in a query string is refused by the middleware (422): the document says so.
        for option in parameter.get("schema", {}).get("anyOf", [parameter.get("schema", {})]):
            if option.get("type") == "string" and not {"pattern", "format", "enum"} & set(option):
                option["pattern"] = r"^[^\u0000]*$"
    responses = operation.setdefault("responses", {})
    codes: dict[int, type[ProblemError]] = {}
    has_body = "requestBody" in operation
    if has_body:
        codes[400] = MalformedBody  # not JSON
        codes[413] = PayloadTooLarge
    if has_body or operation.get("parameters"):
        codes[422] = ValidationFailed
    if "{" in path:
        codes[404] = NotFound  # another organisation's object, or none
    if (method, path) not in PUBLIC_OPERATIONS:
        codes[401] = Unauthorized
        codes[403] = Forbidden
    else:
        codes[429] = TooManyRequests
    if method != "get":
        codes[409] = Conflict  # a concurrent write took the same name, number or version
        codes[503] = ServiceBusy  # the embedded database stayed locked
    for code, err in codes.items():
        responses.setdefault(str(code), {"description": err.title})


def use_problem_json_in_openapi(app: FastAPI) -> None:
    """Document every 4xx/5xx as `application/problem+json` with the Problem schema."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        spec = build()
        for path, operations in spec.get("paths", {}).items():
            for method, operation in operations.items():
                _document_common_problems(path, method, operation)
                for code, response in operation.get("responses", {}).items():
                    if code[0] in "45":
                        ref = {"$ref": "#/components/schemas/Problem"}
                        response["content"] = {PROBLEM_CONTENT_TYPE: {"schema": ref}}
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        _, defs = models_json_schema(
            [(m, "validation") for m in HAND_READ_BODIES],
            ref_template="#/components/schemas/{model}",
        )
        for name, schema in defs.get("$defs", {}).items():
            for prop in schema.get("properties", {}).values():
                if "default" in prop and prop["default"] is None:
                    del prop["default"]  # as FastAPI documents a typed body: optional, no default
            schemas.setdefault(name, schema)
        spec["components"]["schemas"] = dict(sorted(schemas.items()))
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def problem_responses(*errors: type[ProblemError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries so each route documents the problems it can return."""
    out: dict[int | str, dict[str, Any]] = {}
    for err in errors:
        out[err.status] = {
            "model": Problem,
            "description": err.title,
        }
    return out


# The problems most routes share: any route behind a sign-in (no session, no permission, bad
# input), one that names an object, one that changes a versioned object.
GUARDED = problem_responses(Unauthorized, Forbidden, ValidationFailed)
ONE = problem_responses(NotFound)
CHANGE_ONE = problem_responses(NotFound, Conflict, StaleVersion, PreconditionFailed)
