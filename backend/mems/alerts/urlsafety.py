"""Outbound URLs that cannot reach inside our network (SSRF guard).

A notification channel's URL is typed by an organisation's admin, and the server posts to it:
without a guard, `http://169.254.169.254/…` or `http://10.0.0.5:6379/` would make MEMS a
proxy into its own network. A URL is acceptable when:

- its scheme is https (http too when private targets are allowed: a self-hosted install
  posting to its intranet), it carries no user:password, its host is a plain name or address;
- every address its host resolves to is public (`check_address`): not loopback, private,
  link-local, multicast, reserved, unspecified, shared (CGNAT 100.64/10), nor one of those
  wrapped in IPv6 (IPv4-mapped `::ffff:a.b.c.d`, 6to4, NAT64). One private address among
  public ones refuses the URL: the connection could pick it.
- Even when private targets are allowed, link-local (which holds the clouds' metadata services,
  169.254.169.254), Alibaba Cloud's metadata 100.100.100.200, unspecified and multicast
  addresses stay refused: no webhook lives there.

Two moments, one rule. `check_url` is called when a channel is saved (the admin hears at once
that the URL is refused) — but DNS can answer differently a second later (DNS rebinding: a
public address for the check, 127.0.0.1 for the send). So the send does not trust the check:
`GuardedTransport` (an httpx transport; `delivery.guarded_client` builds the client) resolves
the host itself when it opens a connection, checks every address, and connects to the checked
address — the name is used only for TLS (SNI and certificate), so there is no second lookup
that an attacker could answer. Redirects are never followed by the delivery client, and
environment proxies are ignored (a proxy would connect on its own terms).

Residual risk, accepted: a public address that forwards to us (an open proxy on the internet)
is not something an address check can see.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Literal

import httpcore
import httpx

Reason = Literal["scheme", "userinfo", "host", "private", "resolve"]
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]
"""`(host, port) -> addresses`: the addresses a host name resolves to, as strings."""

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_METADATA = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "100.100.100.200", "fd00:ec2::254")
)
_HOST = re.compile(r"[A-Za-z0-9._-]+")  # a name as it goes to DNS (IDNA already applied)
_DEFAULT_PORTS = {"https": 443, "http": 80}


class UnsafeUrl(Exception):
    """A URL the server will not post to. `reason`: scheme, userinfo, host, private or
    resolve (the host does not resolve)."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def check_address(ip: str | Address, *, allow_private: bool = False) -> bool:
    """Whether the server may connect to `ip`. Public addresses only, unless `allow_private`
    (then loopback and private networks too, but never link-local, metadata, unspecified or
    multicast addresses)."""
    address = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    return all(_allowed(a, allow_private) for a in _with_embedded(address))


async def check_url(url: str, *, allow_private: bool, resolver: Resolver | None = None) -> None:
    """Raise `UnsafeUrl` unless `url` may be posted to: its shape (`check_target`) and every
    address its host resolves to now (`resolver`: the event loop's getaddrinfo by default)."""
    host, port = check_target(url, allow_private=allow_private)
    await resolve_checked(host, port, allow_private=allow_private, resolver=resolver)


def check_target(url: str | httpx.URL, *, allow_private: bool) -> tuple[str, int]:
    """The URL's checks that need no DNS; returns the host as DNS sees it (IDNA, no brackets)
    and the port. Parsed as httpx parses it, so the URL checked is the URL sent."""
    try:
        parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise UnsafeUrl("host", str(exc)) from None
    allowed = ("https", "http") if allow_private else ("https",)
    if parsed.scheme not in allowed:
        raise UnsafeUrl("scheme", parsed.scheme)
    if parsed.userinfo:
        raise UnsafeUrl("userinfo")
    host = parsed.raw_host.decode("ascii", "replace")
    if not _is_literal(host) and not _HOST.fullmatch(host):
        raise UnsafeUrl("host", host)
    return host, parsed.port or _DEFAULT_PORTS[parsed.scheme]


async def resolve_checked(
    host: str, port: int, *, allow_private: bool, resolver: Resolver | None = None
) -> list[str]:
    """The addresses of `host`, in the resolver's order without repeats, once every one of
    them is allowed; raises `UnsafeUrl` ("resolve" or "private")."""
    try:
        found = await (resolver or system_resolver)(host, port)
    except (OSError, UnicodeError) as exc:  # socket.gaierror is an OSError
        raise UnsafeUrl("resolve", f"{host}: {exc}") from None
    addresses: list[Address] = []
    for raw in found:
        try:
            address = ipaddress.ip_address(raw)
        except ValueError:
            raise UnsafeUrl("resolve", f"{host}: {raw!r} is not an address") from None
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise UnsafeUrl("resolve", f"{host}: no address")
    refused = [a for a in addresses if not check_address(a, allow_private=allow_private)]
    if refused:
        raise UnsafeUrl("private", f"{host} resolves to {refused[0]}")
    return [str(a) for a in addresses]


async def system_resolver(host: str, port: int) -> list[str]:
    """The event loop's getaddrinfo (in a thread, so a slow DNS does not block the loop)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


# --- the transport that connects only to checked addresses --------------------------------


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport whose connections open only to checked addresses (see the module's
    docstring). The URL's shape is checked per request, the addresses per connection."""

    def __init__(
        self,
        *,
        allow_private: bool,
        resolver: Resolver | None = None,
        verify: bool = True,
        limits: httpx.Limits = httpx.Limits(max_connections=20, max_keepalive_connections=10),
    ) -> None:
        ssl_context = httpx.create_ssl_context(verify=verify, trust_env=False)
        super().__init__(verify=ssl_context, trust_env=False, limits=limits)
        self._allow_private = allow_private
        # httpx takes no network backend, so its pool is replaced by one with ours; the pool's
        # other settings are httpx's own defaults for HTTP/1.1.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_GuardedBackend(allow_private, resolver),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        check_target(request.url, allow_private=self._allow_private)
        return await super().handle_async_request(request)


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, allow_private: bool, resolver: Resolver | None) -> None:
        self._allow_private = allow_private
        self._resolver = resolver
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:  # the lookup counts against the connect timeout
            async with asyncio.timeout(timeout):
                addresses = await resolve_checked(
                    host, port, allow_private=self._allow_private, resolver=self._resolver
                )
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"resolving {host}") from None
        error: Exception | None = None
        for address in addresses:  # the first that answers
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise UnsafeUrl("host", "unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


# --- address rules ----------------------------------------------------------------------


def _with_embedded(address: Address) -> list[Address]:
    """The address and any IPv4 address it carries (IPv4-mapped, 6to4, NAT64): each must pass,
    since the network may deliver to the carried one."""
    found = [address]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            found.append(address.ipv4_mapped)
        if address.sixtofour is not None:
            found.append(address.sixtofour)
        if address in _NAT64:
            found.append(ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF))
    return found


def _allowed(address: Address, allow_private: bool) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        address = ipaddress.IPv6Address(str(address).split("%", 1)[0])
    if (
        address.is_unspecified
        or address.is_multicast
        or address.is_link_local
        or address in _METADATA
    ):
        return False
    if allow_private:
        return True
    return not (
        address.is_private
        or address.is_loopback
        or address.is_reserved
        or not address.is_global
        or (isinstance(address, ipaddress.IPv4Address) and address in _CGNAT)
    )


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
