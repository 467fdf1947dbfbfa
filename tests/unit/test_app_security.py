"""Host and Origin allow-lists for the MCP routes (kube_mcp.app.security)."""

from __future__ import annotations

import dataclasses

import pytest

from kube_mcp import config
from kube_mcp.app import security

SETTINGS = config.Settings()


@pytest.mark.parametrize(
    "host",
    ["localhost", "localhost:3000", "127.0.0.1:3001", "[::1]:3000", "LOCALHOST:3000", "[::1]"],
)
def test_loopback_hosts_with_any_port_are_allowed_by_default(host: str) -> None:
    assert security.matches(host, security.default_hosts(SETTINGS, None))


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "localhost.evil.example:3000",
        "127.0.0.1.nip.io:3000",
        "localhost:",
        "localhost:30a0",
        "10.1.2.3:3000",
        "",
        "kube-mcp:3000",  # no Service name configured
    ],
)
def test_other_hosts_are_refused_by_default(host: str) -> None:
    assert not security.matches(host, security.default_hosts(SETTINGS, None))


def test_service_dns_names_join_the_list_with_and_without_a_port() -> None:
    settings = dataclasses.replace(SETTINGS, service_name="kube-mcp")
    hosts = security.default_hosts(settings, "tools")
    for name in ("kube-mcp", "kube-mcp.tools", "kube-mcp.tools.svc", "kube-mcp.tools.svc.cluster.local"):
        assert security.matches(name, hosts)
        assert security.matches(f"{name}:3000", hosts)
    assert not security.matches("kube-mcp.other.svc:3000", hosts)


def test_without_a_namespace_only_the_bare_service_name_is_added() -> None:
    hosts = security.default_hosts(dataclasses.replace(SETTINGS, service_name="kube-mcp"), None)
    assert security.matches("kube-mcp:3000", hosts)
    assert not security.matches("kube-mcp.tools:3000", hosts)


def test_operator_hosts_are_added_verbatim() -> None:
    settings = dataclasses.replace(SETTINGS, allowed_hosts=("mcp.example.com", "gateway:*"))
    hosts = security.default_hosts(settings, None)
    assert security.matches("mcp.example.com", hosts)
    assert not security.matches("mcp.example.com:8443", hosts)  # exact form only
    assert security.matches("gateway:8080", hosts)


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://localhost:6274", True),
        ("http://127.0.0.1", True),
        ("https://[::1]:8443", True),
        ("http://evil.example", False),
        ("http://localhost.evil.example", False),
        ("null", False),
    ],
)
def test_origins_default_to_pages_served_from_loopback(origin: str, allowed: bool) -> None:
    assert security.matches(origin, security.default_origins(SETTINGS)) is allowed


def test_operator_origins_are_added() -> None:
    settings = dataclasses.replace(SETTINGS, allowed_origins=("https://console.example.com",))
    assert security.matches("https://console.example.com", security.default_origins(settings))
