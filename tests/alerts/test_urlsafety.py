"""The SSRF guard: which addresses and URLs a notification may be posted to. DNS answers are
injected through the `resolver` parameter; one test resolves `localhost` for real."""

from __future__ import annotations

import socket
from collections.abc import Sequence

import pytest

from mems.alerts.urlsafety import Resolver, UnsafeUrl, check_address, check_target, check_url

REFUSED = [
    "127.0.0.1",
    "127.255.0.9",
    "10.0.0.1",
    "10.255.255.255",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.0.1",
    "169.254.169.254",  # the clouds' metadata service
    "169.254.0.23",  # Tencent Cloud's metadata
    "100.100.100.200",  # Alibaba Cloud's metadata
    "100.64.0.1",  # shared address space (CGNAT)
    "100.127.255.254",
    "0.0.0.0",  # noqa: S104 (an address to refuse, not to bind)
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "198.18.0.1",
    "::1",
    "::",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fe80::1%1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "2002:7f00:1::1",  # 6to4 carrying 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 carrying 10.0.0.1
    "2001:db8::1",  # documentation
]
PUBLIC = ["1.1.1.1", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111"]


@pytest.mark.parametrize("ip", REFUSED)
def test_private_and_special_addresses_are_refused(ip: str) -> None:
    assert check_address(ip) is False


@pytest.mark.parametrize("ip", PUBLIC)
def test_public_addresses_are_allowed(ip: str) -> None:
    assert check_address(ip) is True


@pytest.mark.parametrize("ip", ["127.0.0.1", "10.0.0.1", "192.168.1.1", "::1", "fd00::1"])
def test_allow_private_opens_loopback_and_private_networks(ip: str) -> None:
    assert check_address(ip, allow_private=True) is True


@pytest.mark.parametrize(
    "ip",
    [
        "169.254.169.254",
        "100.100.100.200",
        "fe80::1",
        "0.0.0.0",  # noqa: S104 (an address to refuse, not to bind)
        "::",
        "224.0.0.1",
    ],
)
def test_metadata_link_local_unspecified_multicast_stay_refused_even_when_private_is_allowed(
    ip: str,
) -> None:
    assert check_address(ip, allow_private=True) is False


def resolver_for(*addresses: str, calls: list[str] | None = None) -> Resolver:
    async def resolve(host: str, port: int) -> Sequence[str]:
        if calls is not None:
            calls.append(f"{host}:{port}")
        return list(addresses)

    return resolve


async def refused(url: str, allow_private: bool = False, resolver: Resolver | None = None) -> str:
    with pytest.raises(UnsafeUrl) as raised:
        await check_url(url, allow_private=allow_private, resolver=resolver)
    return raised.value.reason


async def test_public_host_is_allowed_and_resolved_with_its_port() -> None:
    calls: list[str] = []
    await check_url(
        "https://open.feishu.cn/open-apis/bot/v2/hook/x",
        allow_private=False,
        resolver=resolver_for("1.1.1.1", "2606:4700:4700::1111", calls=calls),
    )
    await check_url(
        "https://hooks.example.com:8443/x",
        allow_private=False,
        resolver=resolver_for("8.8.8.8", calls=calls),
    )
    assert calls == ["open.feishu.cn:443", "hooks.example.com:8443"]


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "10.1.2.3", "169.254.169.254", "::ffff:127.0.0.1", "fd00::5"]
)
async def test_a_name_resolving_to_a_private_address_is_refused(address: str) -> None:
    assert await refused("https://hooks.example.com/x", resolver=resolver_for(address)) == "private"


async def test_one_private_address_among_public_ones_refuses_the_url() -> None:
    resolver = resolver_for("1.1.1.1", "10.0.0.7")
    assert await refused("https://hooks.example.com/x", resolver=resolver) == "private"


async def test_private_targets_can_be_allowed_but_not_the_metadata_service() -> None:
    await check_url(
        "http://intranet.corp/hook", allow_private=True, resolver=resolver_for("10.0.0.7")
    )
    resolver = resolver_for("169.254.169.254")
    assert await refused("http://intranet.corp/hook", True, resolver) == "private"


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/x",
        "ftp://hooks.example.com/x",
        "file:///etc/passwd",
        "gopher://x/",
    ],
)
async def test_only_https_is_allowed(url: str) -> None:
    assert await refused(url, resolver=resolver_for("1.1.1.1")) == "scheme"


async def test_http_only_when_private_targets_are_allowed() -> None:
    await check_url(
        "http://hooks.example.com/x", allow_private=True, resolver=resolver_for("1.1.1.1")
    )
    assert await refused("ftp://hooks.example.com/x", True, resolver_for("1.1.1.1")) == "scheme"


@pytest.mark.parametrize(
    "url",
    [
        "https://user:pass@hooks.example.com/x",
        "https://user@hooks.example.com/x",
        "https://:p@h.com/",
    ],
)
async def test_userinfo_is_refused(url: str) -> None:
    assert await refused(url, resolver=resolver_for("1.1.1.1")) == "userinfo"


@pytest.mark.parametrize(
    "url", ["https:///x", "https://exa mple.com/", "https://a%2Fb.com/", "not a url"]
)
async def test_bad_hosts_are_refused(url: str) -> None:
    assert await refused(url, resolver=resolver_for("1.1.1.1")) in {"host", "scheme"}


async def test_bad_host_reason() -> None:
    assert await refused("https://exa mple.com/", resolver=resolver_for("1.1.1.1")) == "host"
    assert await refused("https:///x", resolver=resolver_for("1.1.1.1")) == "host"


async def test_dns_failure_and_empty_answers_are_resolve_errors() -> None:
    async def failing(host: str, port: int) -> Sequence[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    assert await refused("https://nowhere.invalid/", resolver=failing) == "resolve"
    assert await refused("https://nowhere.invalid/", resolver=resolver_for()) == "resolve"
    assert await refused("https://x.example/", resolver=resolver_for("not-an-ip")) == "resolve"


async def test_literal_addresses_are_checked_too() -> None:
    assert await refused("https://127.0.0.1/x") == "private"
    assert await refused("https://[::1]:8443/x") == "private"
    assert await refused("https://[::ffff:127.0.0.1]/x") == "private"
    assert await refused("https://169.254.169.254/latest/meta-data/") == "private"


async def test_localhost_really_resolves_to_a_refused_address() -> None:
    assert await refused("https://localhost/hook") == "private"


async def test_numeric_spellings_of_loopback_are_refused_after_resolution() -> None:
    # inet_aton accepts these; the check sees what the resolver makes of them
    assert await refused("https://2130706433/") == "private"
    assert await refused("https://0x7f.1/") == "private"


def test_check_target_returns_the_dns_name_and_port() -> None:
    assert check_target("https://Bücher.example/x", allow_private=False) == (
        "xn--bcher-kva.example",
        443,
    )
    assert check_target("http://h.example:8080/", allow_private=True) == ("h.example", 8080)
    assert check_target("https://[2606:4700::1]/", allow_private=False) == ("2606:4700::1", 443)
