"""Delivery against a real HTTP receiver on 127.0.0.1: a small asyncio server that records each
request and answers from a script. Waiting between attempts goes through the injected `sleep`,
so the tests see the delays without spending them."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from mems.alerts.delivery import READ_LIMIT, DeliveryResult, deliver, guarded_client
from mems.alerts.outbound import ChannelKind, Notice, OutboundRequest, build_request
from mems.alerts.urlsafety import Resolver, UnsafeUrl
from mems.core.signing import verify_generic
from tests.alerts.receiver import Answer, Receiver, serve

NOW = datetime(2026, 5, 9, 7, 35, 25, tzinfo=UTC)
SECRET = "receiver-secret"


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with serve() as running:
        yield running


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with guarded_client(allow_private=True) as client:
        yield client


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def notice() -> Notice:
    return Notice(
        title="点击率低于阈值",
        text="活动的点击率低于 0.8%。",
        severity="warning",
        button="查看",
        url="https://mems.example.com/alerts/1",
        fields=[("CTR", "0.52%")],
        payload={"alert_id": "1"},
    )


def request_to(url: str, kind: ChannelKind = ChannelKind.WEBHOOK) -> OutboundRequest:
    return build_request(kind, url, SECRET, notice(), NOW)


async def send(
    client: httpx.AsyncClient, request: OutboundRequest, sleeps: Sleeps, **options: Any
) -> DeliveryResult:
    return await deliver(client, request, sleep=sleeps, jitter=lambda: 1.0, **options)


async def test_a_signed_webhook_arrives_intact_and_verifies(
    receiver: Receiver, client: httpx.AsyncClient
) -> None:
    request = request_to(receiver.url("/in?x=1"))
    result = await send(client, request, Sleeps())
    assert result.ok
    assert result.status == 200
    assert result.error is None
    assert len(result.attempts) == 1
    assert result.attempts[0].body == "ok"
    [got] = receiver.requests
    assert (got.method, got.target) == ("POST", "/in?x=1")
    assert got.body == request.body
    assert got.headers["content-type"] == "application/json; charset=utf-8"
    assert got.headers["user-agent"] == "MEMS-Notifier/1"
    verify_generic(
        SECRET, got.headers["x-mems-timestamp"], got.headers["x-mems-signature"], got.body, NOW
    )
    assert json.loads(got.body)["title"] == "点击率低于阈值"


async def test_500_then_200_is_retried_after_a_backoff(
    receiver: Receiver, client: httpx.AsyncClient
) -> None:
    receiver.script = [Answer(500, b"boom"), Answer(200, b"ok")]
    sleeps = Sleeps()
    result = await send(client, request_to(receiver.url()), sleeps, backoff=2.0)
    assert result.ok
    assert not result.retryable
    assert [a.status for a in result.attempts] == [500, 200]
    assert [a.error for a in result.attempts] == ["http 500", None]
    assert result.attempts[0].body == "boom"
    assert sleeps.delays == [2.0]  # backoff × 2⁰ at full jitter
    assert len(receiver.requests) == 2
    assert receiver.requests[0].body == receiver.requests[1].body


async def test_backoff_doubles_and_jitter_takes_between_half_and_all(
    receiver: Receiver, client: httpx.AsyncClient
) -> None:
    receiver.script = [Answer(503)] * 4
    sleeps = Sleeps()
    result = await deliver(
        client, request_to(receiver.url()), sleep=sleeps, jitter=lambda: 0.0, backoff=1.0
    )
    assert not result.ok
    assert result.status == 503
    assert result.error == "http 503"
    assert len(result.attempts) == 4
    assert sleeps.delays == [0.5, 1.0, 2.0]  # no wait after the last attempt
    assert len(receiver.requests) == 4
    assert result.retryable  # the receiver may come back: worth a later round


async def test_jitter_stays_within_bounds_with_real_randomness(
    receiver: Receiver, client: httpx.AsyncClient
) -> None:
    receiver.script = [Answer(502)] * 3
    sleeps = Sleeps()
    await deliver(client, request_to(receiver.url()), attempts=3, sleep=sleeps, backoff=4.0)
    assert 2.0 <= sleeps.delays[0] <= 4.0
    assert 4.0 <= sleeps.delays[1] <= 8.0


async def test_429_waits_what_retry_after_says(
    receiver: Receiver, client: httpx.AsyncClient
) -> None:
    receiver.script = [Answer(429, b"slow down", {"Retry-After": "7"}), Answer(200)]
    sleeps = Sleeps()
    result = await send(client, request_to(receiver.url()), sleeps)
    assert result.ok
    assert sleeps.delays == [7.0]
    assert [a.status for a in result.attempts] == [429, 200]


async def test_a_retry_after_beyond_the_cap_ends_the_delivery(
    receiver: Receiver, client: httpx.AsyncClient
) -> None:
    receiver.script = [Answer(429, b"throttled", {"Retry-After": "600"})]
    sleeps = Sleeps()
    result = await send(client, request_to(receiver.url()), sleeps)
    assert not result.ok
    assert result.retry_after == 600.0
    assert result.retryable
    assert len(result.attempts) == 1
    assert sleeps.delays == []
    assert len(receiver.requests) == 1


async def test_a_retry_after_date_is_honoured(
    receiver: Receiver, client: httpx.AsyncClient
) -> None:
    receiver.script = [Answer(503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})]
    sleeps = Sleeps()
    result = await send(client, request_to(receiver.url()), sleeps)
    assert result.ok  # the date is past: retry at once
    assert sleeps.delays == [0.0]


async def test_400_is_not_retried(receiver: Receiver, client: httpx.AsyncClient) -> None:
    receiver.script = [Answer(400, b'{"error":"invalid_payload"}')]
    sleeps = Sleeps()
    result = await send(client, request_to(receiver.url()), sleeps)
    assert not result.ok
    assert result.status == 400
    assert result.error == "http 400"
    assert not result.retryable
    assert result.attempts[0].body == '{"error":"invalid_payload"}'
    assert sleeps.delays == []
    assert len(receiver.requests) == 1


async def test_redirects_are_not_followed(receiver: Receiver, client: httpx.AsyncClient) -> None:
    receiver.script = [Answer(302, headers={"Location": receiver.url("/elsewhere")})]
    result = await send(client, request_to(receiver.url()), Sleeps())
    assert not result.ok
    assert result.status == 302
    assert [r.target for r in receiver.requests] == ["/hook"]


async def test_feishu_error_code_in_a_200_is_a_failure_without_retry(
    receiver: Receiver, client: httpx.AsyncClient
) -> None:
    receiver.script = [Answer(200, b'{"code":19001,"msg":"param invalid: incoming webhook"}')]
    sleeps = Sleeps()
    result = await send(client, request_to(receiver.url(), ChannelKind.FEISHU), sleeps)
    assert not result.ok
    assert result.status == 200
    assert result.error == "platform error 19001: param invalid: incoming webhook"
    assert sleeps.delays == []
    assert len(receiver.requests) == 1


@pytest.mark.parametrize(
    ("kind", "answer", "ok"),
    [
        (ChannelKind.FEISHU, b'{"code":0,"msg":"success","data":{}}', True),
        (ChannelKind.FEISHU, b'{"StatusCode":0,"StatusMessage":"success"}', True),
        (ChannelKind.FEISHU, b'{"StatusCode":0,"code":19021,"msg":"sign match fail"}', False),
        (ChannelKind.FEISHU, b"ok", False),
        (ChannelKind.DINGTALK, b'{"errcode":0,"errmsg":"ok"}', True),
        (ChannelKind.DINGTALK, b'{"errcode":310000,"errmsg":"sign not match"}', False),
        (ChannelKind.WECOM, b'{"errcode":0,"errmsg":"ok"}', True),
        (ChannelKind.WECOM, b'{"errcode":93000,"errmsg":"invalid webhook url"}', False),
        (ChannelKind.WECOM, b"[]", False),
        (ChannelKind.SLACK, b"ok", True),
        (ChannelKind.WEBHOOK, b"", True),
        (ChannelKind.WEBHOOK, b'{"code":5}', True),  # our webhook: only the status counts
    ],
)
async def test_platform_answers_in_a_200(
    receiver: Receiver, client: httpx.AsyncClient, kind: ChannelKind, answer: bytes, ok: bool
) -> None:
    receiver.script = [Answer(200, answer)]
    result = await send(client, request_to(receiver.url(), kind), Sleeps())
    assert result.ok is ok
    assert len(result.attempts) == 1


async def test_a_refused_connection_is_retried_then_reported(client: httpx.AsyncClient) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps = Sleeps()
    result = await send(client, request_to(f"http://127.0.0.1:{port}/hook"), sleeps)
    assert not result.ok
    assert result.status is None
    assert len(result.attempts) == 4
    assert all(a.status is None and a.error for a in result.attempts)
    assert result.error is not None
    assert result.error.startswith("ConnectError")
    assert sleeps.delays == [1.0, 2.0, 4.0]


async def test_an_attempt_that_hangs_times_out_and_is_retried(
    receiver: Receiver, client: httpx.AsyncClient
) -> None:
    receiver.script = [Answer(200, stall=True), Answer(200, b"ok")]
    result = await send(client, request_to(receiver.url()), Sleeps(), attempt_timeout=0.3)
    assert result.ok
    assert result.attempts[0].error is not None
    assert result.attempts[0].error.startswith("timeout")
    assert result.attempts[0].elapsed_ms >= 250
    assert len(receiver.requests) == 2


async def test_only_the_start_of_a_long_answer_is_read_and_kept(
    receiver: Receiver, client: httpx.AsyncClient
) -> None:
    receiver.script = [Answer(400, "错".encode() * 50_000)]
    result = await send(client, request_to(receiver.url()), Sleeps())
    assert result.attempts[0].body == "错" * 500
    assert READ_LIMIT < 150_000


# --- the SSRF guard at send time ---------------------------------------------------------


def resolver_for(*addresses: str) -> Resolver:
    async def resolve(host: str, port: int) -> Sequence[str]:
        return list(addresses)

    return resolve


async def test_the_guarded_client_refuses_loopback_before_connecting(receiver: Receiver) -> None:
    async with guarded_client(allow_private=False) as client:
        https = f"https://127.0.0.1:{receiver.port}/hook"
        result = await send(client, request_to(https), Sleeps())
        assert not result.ok
        assert result.error == "unsafe_url: private: 127.0.0.1 resolves to 127.0.0.1"
        assert len(result.attempts) == 1  # not retried
        plain = await send(client, request_to(receiver.url()), Sleeps())
        assert plain.error == "unsafe_url: scheme: http"
    assert receiver.connections == 0


async def test_the_connection_goes_to_the_checked_address(receiver: Receiver) -> None:
    """The name is resolved once, by the guard; the request reaches the address it checked
    (a stub DNS maps the name to the receiver) and still names the host it was sent to."""
    async with guarded_client(allow_private=True, resolver=resolver_for("127.0.0.1")) as client:
        result = await send(
            client, request_to(f"http://hooks.example.test:{receiver.port}/in"), Sleeps()
        )
    assert result.ok
    assert receiver.requests[0].headers["host"] == f"hooks.example.test:{receiver.port}"


async def test_a_name_rebound_to_a_private_address_is_refused_at_send_time(
    receiver: Receiver,
) -> None:
    rebound = resolver_for("93.184.216.34", "127.0.0.1")
    async with guarded_client(allow_private=False, resolver=rebound) as client:
        url = f"https://hooks.example.test:{receiver.port}/in"
        result = await send(client, request_to(url), Sleeps())
        with pytest.raises(UnsafeUrl) as raised:
            await client.post(url, content=b"{}")
    assert raised.value.reason == "private"
    assert result.error is not None
    assert result.error.startswith("unsafe_url: private")
    assert receiver.connections == 0


async def test_a_name_that_does_not_resolve_is_retried(receiver: Receiver) -> None:
    async def failing(host: str, port: int) -> Sequence[str]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    sleeps = Sleeps()
    async with guarded_client(allow_private=False, resolver=failing) as client:
        result = await send(client, request_to("https://hooks.example.test/in"), sleeps)
    assert not result.ok
    assert len(result.attempts) == 4
    assert result.error is not None
    assert result.error.startswith("unsafe_url: resolve")


async def test_at_least_one_attempt() -> None:
    async with guarded_client() as client:
        with pytest.raises(ValueError, match="attempt"):
            await deliver(client, request_to("https://x.example/"), attempts=0)


@pytest.mark.parametrize(
    ("kind", "answer", "wait"),
    [
        (ChannelKind.DINGTALK, b'{"errcode":130101,"errmsg":"send too fast"}', 600.0),
        (ChannelKind.WECOM, b'{"errcode":45009,"errmsg":"api freq out of limit"}', 60.0),
        (ChannelKind.FEISHU, b'{"code":11232,"msg":"frequency limited"}', 60.0),
    ],
)
async def test_a_throttling_platform_ends_the_round_for_a_later_one(
    receiver: Receiver, client: httpx.AsyncClient, kind: ChannelKind, answer: bytes, wait: float
) -> None:
    """A chat platform's throttle is answered in a 200 with its own code: not waited out in
    the round (the worker would sleep through it), a later round is worth it after the
    platform's window."""
    receiver.script = [Answer(200, answer)]
    sleeps = Sleeps()
    result = await send(client, request_to(receiver.url(), kind), sleeps)
    assert not result.ok
    assert result.retryable
    assert result.retry_after == wait
    assert result.error is not None
    assert result.error.startswith("throttled: platform error")
    assert len(result.attempts) == 1
    assert sleeps.delays == []
