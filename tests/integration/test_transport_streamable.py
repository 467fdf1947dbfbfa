"""Streamable HTTP (/mcp) over real HTTP with the SDK's client: 2025-11-25 sessions, 2026-07-28
stateless requests, the --stateless mode, sessions bound to their caller, and refusals."""

from __future__ import annotations

import dataclasses

import anyio
import httpx2
import pytest
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client

from support.transport import SETTINGS, gauge, serve, small_app

pytestmark = pytest.mark.anyio

ACCEPT = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
INITIALIZE = (
    b'{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25", '
    b'"capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}}'
)
STREAMABLE = "streamable_http"


async def call_list_pods(url: str, mode: str) -> tuple[str, str]:
    async with Client(url + "/mcp", mode=mode) as client:
        result = await client.call_tool("list_pods", {"namespace": "tools"})
        return client.protocol_version, result.content[0].text  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("mode", "version"), [("legacy", "2025-11-25"), ("2026-07-28", "2026-07-28"), ("auto", "2026-07-28")]
)
async def test_both_protocol_eras_are_served_on_one_endpoint(mode: str, version: str) -> None:
    app, registry = small_app()
    async with serve(app, registry) as running:
        negotiated, answer = await call_list_pods(running.url, mode)
    assert negotiated == version
    assert answer == "NAME  READY  STATUS (namespace tools, caller loopback)"


async def test_a_2025_session_is_counted_while_open() -> None:
    app, registry = small_app()
    async with serve(app, registry) as running:
        async with Client(running.url + "/mcp", mode="legacy") as client:
            await client.list_tools()
            assert gauge(registry, STREAMABLE) == 1
        with anyio.fail_after(5):
            while gauge(registry, STREAMABLE):  # the client's DELETE ends it
                await anyio.sleep(0.01)


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
async def test_stateless_mode_serves_both_eras_without_sessions(mode: str) -> None:
    settings = dataclasses.replace(SETTINGS, stateless=True)
    app, registry = small_app(settings)
    async with (
        serve(app, registry, settings) as running,
        Client(running.url + "/mcp", mode=mode) as client,
    ):
        result = await client.call_tool("list_pods", {"namespace": "x"})
        assert gauge(registry, STREAMABLE) == 0
    assert result.is_error is False


async def test_a_session_answers_404_to_a_different_caller() -> None:
    settings = dataclasses.replace(SETTINGS, auth_token="s3cret")
    app, registry = small_app(settings)
    async with serve(app, registry, settings) as running, httpx2.AsyncClient() as client:
        opened = await client.post(running.url + "/mcp", content=INITIALIZE, headers=ACCEPT)
        session = opened.headers["mcp-session-id"]
        follow = {**ACCEPT, "Mcp-Session-Id": session, "MCP-Protocol-Version": "2025-11-25"}
        ping = b'{"jsonrpc": "2.0", "id": 2, "method": "ping"}'
        as_owner = await client.post(running.url + "/mcp", content=ping, headers=follow)
        as_other = await client.post(
            running.url + "/mcp", content=ping, headers={**follow, "Authorization": "Bearer s3cret"}
        )
    assert opened.status_code == 200 and as_owner.status_code == 200
    assert as_other.status_code == 404


async def test_a_client_with_a_bearer_token_is_served_as_that_caller() -> None:
    settings = dataclasses.replace(SETTINGS, auth_token="s3cret", trust_loopback=False)
    app, registry = small_app(settings)
    async with serve(app, registry, settings) as running:
        http = httpx2.AsyncClient(headers={"Authorization": "Bearer s3cret"})
        async with (
            http,
            Client(streamable_http_client(running.url + "/mcp", http_client=http), mode="legacy") as c,
        ):
            result = await c.call_tool("list_pods", {"namespace": "x"})
    assert result.content[0].text.endswith("caller token:static)")  # type: ignore[union-attr]


async def test_bad_requests_are_refused_and_the_server_stays_up() -> None:
    settings = dataclasses.replace(SETTINGS, max_body_bytes=2048)
    app, registry = small_app(settings)
    async with serve(app, registry, settings) as running, httpx2.AsyncClient() as client:
        url = running.url + "/mcp"
        assert (await client.post(url, content=b"[" * 3000, headers=ACCEPT)).status_code == 413
        nested = b'{"jsonrpc": "2.0", "id": 1, "method": "ping", "params": ' + b"[" * 900 + b"]" * 900 + b"}"
        assert (await client.post(url, content=nested, headers=ACCEPT)).status_code == 400
        assert (await client.post(url, content=b"{oops", headers=ACCEPT)).status_code == 400
        plain = {**ACCEPT, "Content-Type": "text/plain"}
        assert (await client.post(url, content=INITIALIZE, headers=plain)).status_code in (400, 415)
        unknown = {**ACCEPT, "Mcp-Session-Id": "f" * 32, "MCP-Protocol-Version": "2025-11-25"}
        assert (await client.post(url, content=INITIALIZE, headers=unknown)).status_code == 404
        assert (await client.post(url, content=INITIALIZE, headers=ACCEPT)).status_code == 200
