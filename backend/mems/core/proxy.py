"""The client's address: the connection's peer, or what a trusted proxy says it saw.

Login throttling counts failures per client address, so the address must not be something a
client can choose. `X-Forwarded-For` and `X-Real-IP` are request headers like any other: only
a proxy listed in `TRUSTED_PROXIES` (addresses or networks, default none) is believed.

- Peer not trusted (the default for every peer): its own address is the client's; the headers
  are ignored, whatever they say.
- Peer trusted: `X-Forwarded-For` is read from the right (each proxy appends the address it
  saw), skipping trusted proxies; the first address that is not a trusted proxy is the client.
  An entry a client prepended sits further left and is never reached. Without the header,
  `X-Real-IP` is used; an unparsable value leaves the peer's address. The scheme the proxy
  was reached by comes from its `X-Forwarded-Proto`.

`ClientAddressMiddleware` puts the result in the ASGI scope's `client`, so `request.client`
is the real client everywhere. The server's own proxy-header handling is off (`mems serve`
runs uvicorn with `proxy_headers=False`): this is the one place that decides.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_trusted_proxies(value: str) -> tuple[Network, ...]:
    """`"10.0.0.5, 172.30.80.0/24, ::1"` → networks; raises ValueError naming a bad entry."""
    networks: list[Network] = []
    for raw in value.replace(";", ",").split(","):
        entry = raw.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(
                f"TRUSTED_PROXIES: {entry!r} is not an IP address or network"
            ) from None
    return tuple(networks)


def _address(value: str) -> Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:5000"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, trusted: Iterable[Network]) -> bool:
    return any(address in network for network in trusted)


def client_address(
    peer: str | None,
    forwarded_for: str | None,
    real_ip: str | None,
    trusted: tuple[Network, ...],
) -> str | None:
    """The client's address for a connection from `peer` with these headers (see above)."""
    if peer is None or not trusted:
        return peer
    peer_address = _address(peer)
    if peer_address is None or not _is_trusted(peer_address, trusted):
        return peer
    if forwarded_for:
        for entry in reversed(forwarded_for.split(",")):
            address = _address(entry)
            if address is None:
                return peer  # a hop we cannot read: believe nothing further left
            if not _is_trusted(address, trusted):
                return str(address)
        return peer  # only trusted proxies in the chain
    if real_ip:
        address = _address(real_ip)
        if address is not None:
            return str(address)
    return peer


class ClientAddressMiddleware:
    """Sets `scope["client"]` (and `scheme`) from a trusted proxy's headers (see above)."""

    def __init__(self, app: ASGIApp, *, trusted: tuple[Network, ...]) -> None:
        self.app = app
        self.trusted = trusted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.trusted and scope["type"] in ("http", "websocket") and scope.get("client"):
            peer = _address(scope["client"][0])
            if peer is not None and _is_trusted(peer, self.trusted):
                scope = self._forwarded(scope)
        await self.app(scope, receive, send)

    def _forwarded(self, scope: Scope) -> Scope:
        forwarded_for = real_ip = proto = None
        for name, value in scope["headers"]:
            if name == b"x-forwarded-for":
                # Several header lines are one list, in order.
                text = value.decode("latin-1")
                forwarded_for = f"{forwarded_for},{text}" if forwarded_for else text
            elif name == b"x-real-ip":
                real_ip = value.decode("latin-1")
            elif name == b"x-forwarded-proto":
                proto = value.decode("latin-1").rsplit(",", 1)[-1].strip().lower()
        host = scope["client"][0]
        client = client_address(host, forwarded_for, real_ip, self.trusted)
        scope = dict(scope)
        if client != host:
            scope["client"] = (client, 0)
        if proto in ("http", "https"):
            if scope["type"] == "websocket":
                scope["scheme"] = "wss" if proto == "https" else "ws"
            else:
                scope["scheme"] = proto
        return scope
