"""The client's address: X-Forwarded-For is believed from trusted proxies only (core.proxy)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from mems.config import Settings
from mems.core.proxy import client_address, parse_trusted_proxies

ROOT = Path(__file__).resolve().parents[2]
PROXY = parse_trusted_proxies("172.30.80.10, 10.1.0.0/16, ::1")


def test_parse_trusted_proxies() -> None:
    assert parse_trusted_proxies("") == ()
    assert [str(n) for n in PROXY] == ["172.30.80.10/32", "10.1.0.0/16", "::1/128"]
    with pytest.raises(ValueError, match="nginx"):
        parse_trusted_proxies("10.0.0.1, nginx")


def test_a_bad_setting_refuses_to_start() -> None:
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        Settings(trusted_proxies="*")
    assert Settings(trusted_proxies="10.0.0.0/8").trusted_proxy_networks[0].num_addresses > 1


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "real_ip", "expected"),
    [
        # An untrusted peer cannot pretend to be a proxy.
        ("198.51.100.2", "1.2.3.4", None, "198.51.100.2"),
        # The trusted proxy says what it saw.
        ("172.30.80.10", "203.0.113.7", None, "203.0.113.7"),
        ("172.30.80.10", None, "203.0.113.7", "203.0.113.7"),
        # A proxy that appends: the client's own entries are to the left and never reached.
        ("172.30.80.10", "6.6.6.6, 7.7.7.7, 203.0.113.7", None, "203.0.113.7"),
        # Two trusted hops are skipped; the first untrusted address from the right wins.
        ("172.30.80.10", "6.6.6.6, 203.0.113.7, 10.1.2.3", None, "203.0.113.7"),
        # Garbage from the proxy's side, or only proxies: the peer's own address.
        ("172.30.80.10", "not-an-address", "203.0.113.7", "172.30.80.10"),
        ("172.30.80.10", "10.1.2.3", None, "172.30.80.10"),
        ("172.30.80.10", None, None, "172.30.80.10"),
        # Ports and IPv6 forms.
        ("::1", "[2001:db8::5]:4711", None, "2001:db8::5"),
        ("172.30.80.10", "203.0.113.7:5000", None, "203.0.113.7"),
        ("::ffff:172.30.80.10", "::ffff:203.0.113.7", None, "203.0.113.7"),
    ],
)
def test_client_address(
    peer: str, forwarded_for: str | None, real_ip: str | None, expected: str
) -> None:
    assert client_address(peer, forwarded_for, real_ip, PROXY) == expected


def test_no_trusted_proxies_means_the_peer() -> None:
    """The default: the headers are ignored whatever they say, even from a proxy's address."""
    assert client_address("172.30.80.10", "203.0.113.7", "203.0.113.7", ()) == "172.30.80.10"


def test_the_documented_deployment_trusts_nginx_alone_and_nginx_overwrites_the_header() -> None:
    """docker/: the API believes only nginx's address, and nginx sends the address it saw."""
    compose = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())
    api_env = compose["services"]["api"]["environment"]
    assert "FORWARDED_ALLOW_IPS" not in api_env
    spa_ip = compose["services"]["spa"]["networks"]["default"]["ipv4_address"]
    assert api_env["TRUSTED_PROXIES"] == spa_ip
    default_ip = re.fullmatch(r"\$\{MEMS_PROXY_IP:-([0-9.]+)\}", spa_ip)
    assert default_ip is not None
    subnet = compose["networks"]["default"]["ipam"]["config"][0]["subnet"]
    default_subnet = re.fullmatch(r"\$\{MEMS_SUBNET:-([0-9./]+)\}", subnet)
    assert default_subnet is not None
    network = parse_trusted_proxies(default_subnet.group(1))[0]
    assert parse_trusted_proxies(default_ip.group(1))[0].subnet_of(network)  # type: ignore[arg-type]

    nginx = (ROOT / "docker" / "nginx.conf").read_text()
    headers = dict(re.findall(r"^\s*proxy_set_header\s+(\S+)\s+(.+?);", nginx, flags=re.MULTILINE))
    assert headers["X-Forwarded-For"] == "$remote_addr"
    assert headers["X-Real-IP"] == "$remote_addr"
    assert "$proxy_add_x_forwarded_for" not in re.sub(r"#.*", "", nginx)


def test_the_server_does_not_apply_its_own_proxy_headers() -> None:
    cli = (ROOT / "backend" / "mems" / "cli.py").read_text()
    assert "proxy_headers=False" in cli
