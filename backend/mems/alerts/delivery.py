"""Posting an outbound request, with retries, and saying exactly what happened.

`deliver` sends one `OutboundRequest` (built by `outbound.build_request`) and returns a
`DeliveryResult` with every attempt (HTTP status or error, time taken, the start of the
answer) for the caller to keep as the delivery log. It raises nothing for a failed delivery.

- Retried, with exponential backoff and jitter (`backoff` × 2ⁿ⁻¹ seconds, between half and all
  of it): network errors and timeouts, 429 and 5xx. A `Retry-After` (seconds or an HTTP date)
  is waited out instead when it is at most `RETRY_AFTER_CAP`; a longer one ends the delivery
  (`retry_after` in the result) — a worker should not sleep through DingTalk's ten-minute
  throttle, the caller can schedule a later try.
- Not retried: other 4xx and 3xx (redirects are never followed: the target was checked, the
  redirect's target was not), a refused URL (`UnsafeUrl`, except a DNS failure), and errors a
  platform reports inside a 2xx — Feishu `{"code": ≠ 0}`, DingTalk and WeCom
  `{"errcode": ≠ 0}` — since a bad signature or keyword stays bad. Those three platforms always
  answer JSON with their code, so a 2xx without one is not a delivery either. Their
  throttling codes (`THROTTLES`) are the exception: the round ends, and another is worth it
  after the platform's window. Slack answers a
  plain `ok`; the generic webhook succeeds on any 2xx.
- A round that ends on a failure that may pass says so (`retryable`): the caller plans
  another round later (`delivering.LATER_ROUNDS`), outlasting an outage of minutes.
- Each attempt has 5 s to connect and 10 s in all, the answer's first 8 KiB are read and
  500 characters of it kept.

Send with `guarded_client()`: its transport connects only to checked public addresses
(`urlsafety`), follows no redirect and ignores proxy settings from the environment.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from mems.alerts.outbound import ChannelKind, OutboundRequest
from mems.alerts.urlsafety import GuardedTransport, Resolver, UnsafeUrl

CONNECT_TIMEOUT = 5.0  # seconds
ATTEMPT_TIMEOUT = 10.0  # seconds, the whole attempt
RETRY_AFTER_CAP = 60.0  # seconds a delivery waits for a Retry-After
# Chat platforms that throttle answer a 2xx with a code of their own: DingTalk's robot takes 20
# messages a minute and then nothing for ten minutes, WeCom's 20 a minute, Feishu's 100 a
# minute. Not waited out within a round (it would hold the worker): the round ends and the next
# is planned after the platform's window.
THROTTLED = "throttled: "
THROTTLES: dict[tuple[ChannelKind, str], float] = {
    (ChannelKind.DINGTALK, "platform error 130101"): 600.0,  # send too fast
    (ChannelKind.WECOM, "platform error 45009"): 60.0,  # api freq out of limit
    (ChannelKind.FEISHU, "platform error 11232"): 60.0,  # frequency limited
    (ChannelKind.FEISHU, "platform error 9499"): 60.0,  # too many requests
}
READ_LIMIT = 8192  # bytes of an answer read
EXCERPT = 500  # characters of an answer kept


@dataclass(frozen=True, slots=True)
class Attempt:
    status: int | None  # the HTTP status; None when no answer came
    error: str | None  # why the attempt failed; None when it succeeded
    elapsed_ms: int
    body: str  # the answer's first 500 characters


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    ok: bool
    attempts: tuple[Attempt, ...]
    status: int | None  # the last attempt's HTTP status
    error: str | None  # the last attempt's error (None when ok)
    retry_after: float | None = None  # the server asked for a longer wait than we make
    # The last failure may pass (network, timeout, 429, 5xx, a long Retry-After): worth another
    # round later. False when it succeeded, or failed in a way that stays (4xx, a bad URL).
    retryable: bool = False


def guarded_client(
    *, allow_private: bool = False, resolver: Resolver | None = None
) -> httpx.AsyncClient:
    """The client to deliver with: checked addresses only, no redirects, no environment
    proxies, the attempt timeouts. Close it when done (`async with`)."""
    return httpx.AsyncClient(
        transport=GuardedTransport(allow_private=allow_private, resolver=resolver),
        timeout=httpx.Timeout(ATTEMPT_TIMEOUT, connect=CONNECT_TIMEOUT),
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": "MEMS-Notifier/1"},
    )


async def deliver(
    client: httpx.AsyncClient,
    request: OutboundRequest,
    *,
    attempts: int = 4,
    backoff: float = 1.0,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    jitter: Callable[[], float] = random.random,
    attempt_timeout: float = ATTEMPT_TIMEOUT,
) -> DeliveryResult:
    """Send `request` up to `attempts` times (see the module's docstring for what is retried).
    `sleep` and `jitter` (a number in [0, 1)) are the waiting and the randomness, for tests."""
    if attempts < 1:
        raise ValueError("at least one attempt")
    log: list[Attempt] = []
    retry = False
    for number in range(1, attempts + 1):
        attempt, retry, retry_after = await _attempt(client, request, attempt_timeout)
        log.append(attempt)
        if attempt.error is None:
            break
        if (
            retry
            and retry_after is not None
            and (retry_after > RETRY_AFTER_CAP or attempt.error.startswith(THROTTLED))
        ):
            return _result(log, retry_after, retryable=True)
        if not retry or number == attempts:
            break
        delay = backoff * 2 ** (number - 1) * (0.5 + 0.5 * jitter())
        await sleep(retry_after if retry_after is not None else delay)
    return _result(log, None, retryable=retry and log[-1].error is not None)


async def _attempt(
    client: httpx.AsyncClient, request: OutboundRequest, seconds: float
) -> tuple[Attempt, bool, float | None]:
    """One try: the attempt, whether a failure is worth retrying, and any Retry-After."""
    started = time.monotonic()

    def done(status: int | None, error: str | None, body: str = "") -> Attempt:
        elapsed = round((time.monotonic() - started) * 1000)
        return Attempt(status, error, elapsed, body[:EXCERPT])

    try:
        async with asyncio.timeout(seconds):
            async with client.stream(
                request.method,
                request.url,
                content=request.body,
                headers=request.headers,
                timeout=httpx.Timeout(seconds, connect=min(CONNECT_TIMEOUT, seconds)),
                follow_redirects=False,
            ) as response:
                raw = await _read_start(response)
    except UnsafeUrl as exc:
        return done(None, f"unsafe_url: {exc}"), exc.reason == "resolve", None
    except TimeoutError:
        return done(None, "timeout"), True, None
    except httpx.TimeoutException as exc:
        return done(None, f"timeout: {type(exc).__name__}"), True, None
    except httpx.UnsupportedProtocol as exc:
        return done(None, f"unsupported: {exc}"), False, None
    except httpx.TransportError as exc:
        return done(None, f"{type(exc).__name__}: {exc}"), True, None
    except httpx.InvalidURL as exc:
        return done(None, f"invalid_url: {exc}"), False, None

    status = response.status_code
    text = raw.decode("utf-8", "replace")
    if 200 <= status < 300:
        problem = _platform_error(request.kind, raw)
        throttle = THROTTLES.get((request.kind, problem.split(":")[0])) if problem else None
        if throttle is not None:
            return done(status, f"{THROTTLED}{problem}", text), True, throttle
        return done(status, problem, text), False, None
    retryable = status == 429 or status >= 500
    retry_after = _retry_after(response.headers.get("Retry-After")) if retryable else None
    return done(status, f"http {status}", text), retryable, retry_after


async def _read_start(response: httpx.Response) -> bytes:
    """The first READ_LIMIT bytes of the answer; the rest is not read (a hostile endpoint's
    endless answer costs nothing)."""
    chunks = bytearray()
    async for chunk in response.aiter_bytes():
        chunks += chunk
        if len(chunks) >= READ_LIMIT:
            break
    return bytes(chunks[:READ_LIMIT])


def _platform_error(kind: ChannelKind, raw: bytes) -> str | None:
    """The error a chat platform reports inside a 2xx answer, or None."""
    if kind in (ChannelKind.SLACK, ChannelKind.WEBHOOK):
        return None
    try:
        answer = json.loads(raw)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        return "unexpected_response"
    if kind == ChannelKind.FEISHU:
        keys = [("code", "msg"), ("StatusCode", "StatusMessage")]
    else:
        keys = [("errcode", "errmsg")]
    codes = [(answer[code], answer.get(message)) for code, message in keys if code in answer]
    if not codes:
        return "unexpected_response"
    for code, message in codes:
        if code != 0:
            return f"platform error {code}: {message}"
    return None


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _result(log: list[Attempt], retry_after: float | None, *, retryable: bool) -> DeliveryResult:
    last = log[-1]
    return DeliveryResult(
        ok=last.error is None,
        attempts=tuple(log),
        status=last.status,
        error=last.error,
        retry_after=retry_after,
        retryable=retryable,
    )
