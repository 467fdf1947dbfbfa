"""MCP clients pointed at a port-forward: the SDK's SSE and Streamable HTTP clients, and a ledger.

Every tool call the suite makes goes through `Endpoint.checked`, which asserts the expected
outcome and counts it in the ledger of the pod that answered. The metrics test compares that
ledger with the pod's `kube_mcp_tool_calls_total` (a pod restart starts a new ledger, as it starts
new counters). Outcomes are the server's labels: ok, error (Kubernetes said no), refused (the
mode forbids the tool), invalid (bad arguments).
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio
import e2e_forward
import mcp_types as types
from mcp import Client, ClientSession
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from prometheus_client import parser

CALL_TIMEOUT = 60  # one MCP exchange; a tool call is one or two API requests (10 s timeout each)
ANY = "*"  # ledger outcome of a call whose outcome the test does not pin (ok or an error)
MODERN = "2026-07-28"  # the stateless protocol revision, no initialize and no session
T = TypeVar("T")


@dataclass
class Endpoint:
    """The server behind one port-forward, and the tool calls made to its current pod."""

    url: str
    ledger: Counter[tuple[str, str]] = field(default_factory=Counter)

    def record(self, tool: str, outcome: str) -> None:
        self.ledger[(tool, outcome)] += 1

    def checked(self, tool: str, result: types.CallToolResult, expect: str | None = "ok") -> str:
        """Counts the call, asserts its outcome (None: any), and returns all of its text."""
        self.record(tool, expect or ANY)
        text = text_of(result)
        if expect is None:
            pass
        elif expect == "ok":
            assert not result.is_error, f"{tool} failed: {text}"
        else:
            assert result.is_error, f"{tool} should have been {expect} but succeeded: {text}"
        return text

    def call(
        self, tool: str, arguments: Mapping[str, Any] | None = None, *, expect: str | None = "ok"
    ) -> str:
        """One tool call over a fresh Streamable HTTP session; returns the answer's text."""

        async def go(session: ClientSession) -> types.CallToolResult:
            return await session.call_tool(tool, dict(arguments or {}))

        return self.checked(tool, run_in_session(self.url, "mcp", go), expect)

    def call_many(
        self, calls: list[tuple[str, dict[str, Any]]], *, transport: str = "mcp"
    ) -> list[types.CallToolResult]:
        """Several calls over one session; the caller checks each result with `checked`."""

        async def go(session: ClientSession) -> list[types.CallToolResult]:
            return [await session.call_tool(tool, args) for tool, args in calls]

        return run_in_session(self.url, transport, go)

    def tool_names(self, transport: str = "mcp") -> set[str]:
        async def go(session: ClientSession) -> types.ListToolsResult:
            return await session.list_tools()

        return {tool.name for tool in run_in_session(self.url, transport, go).tools}

    def metrics(self) -> str:
        status, body = e2e_forward.http_get(f"{self.url}/metrics")
        assert status == 200, f"/metrics answered {status}: {body[:500]}"
        return body


EnterPhase = Callable[[Mapping[str, str]], contextlib.AbstractContextManager[Endpoint]]


def text_of(result: types.CallToolResult) -> str:
    """Every text block of a tool answer, plus its structured content as JSON."""
    parts = [block.text for block in result.content if isinstance(block, types.TextContent)]
    if result.structured_content is not None:
        parts.append(json.dumps(result.structured_content))
    return "\n".join(parts)


def raw_text_of(result: Mapping[str, Any]) -> str:
    """The same for a JSON-RPC `result` object read off the wire (camelCase keys)."""
    parts = [block.get("text", "") for block in result.get("content", []) if block.get("type") == "text"]
    if result.get("structuredContent") is not None:
        parts.append(json.dumps(result["structuredContent"]))
    return "\n".join(parts)


@contextlib.asynccontextmanager
async def session(base_url: str, transport: str) -> AsyncIterator[ClientSession]:
    """An initialized SDK session over `sse` (GET /sse) or `mcp` (Streamable HTTP /mcp)."""
    if transport == "sse":
        streams = sse_client(f"{base_url}/sse", timeout=CALL_TIMEOUT)
    elif transport == "mcp":
        streams = streamable_http_client(f"{base_url}/mcp")
    else:
        raise ValueError(f"unknown transport {transport!r}")
    async with streams as (read, write), ClientSession(read, write) as client:
        await client.initialize()
        yield client


def run_in_session(base_url: str, transport: str, body: Callable[[ClientSession], Awaitable[T]]) -> T:
    """Runs `body(session)` on a fresh event loop, bounded by CALL_TIMEOUT."""

    async def main() -> T:
        with anyio.fail_after(CALL_TIMEOUT):
            async with session(base_url, transport) as client:
                return await body(client)

    return anyio.run(main)


def run_modern(base_url: str, body: Callable[[Client], Awaitable[T]]) -> T:
    """Runs `body(client)` with a 2026-07-28 client: no initialize, no session id."""

    async def main() -> T:
        with anyio.fail_after(CALL_TIMEOUT):
            async with Client(f"{base_url}/mcp", mode=MODERN, cache=None) as client:
                return await body(client)

    return anyio.run(main)


def tool_call_counters(metrics_text: str) -> Counter[tuple[str, str]]:
    """kube_mcp_tool_calls_total{tool,outcome} samples above zero, as a Counter."""
    counts: Counter[tuple[str, str]] = Counter()
    for family in parser.text_string_to_metric_families(metrics_text):
        for sample in family.samples:
            if sample.name == "kube_mcp_tool_calls_total" and sample.value > 0:
                counts[(sample.labels["tool"], sample.labels["outcome"])] = int(sample.value)
    return counts


def assert_counters_match(ledger: Counter[tuple[str, str]], scraped: Counter[tuple[str, str]]) -> None:
    """Scraped counters equal the ledger: per (tool, outcome), or per tool where outcomes were open."""
    open_tools = {tool for tool, outcome in ledger if outcome == ANY}
    for tool in sorted(open_tools):
        made = sum(n for (t, _), n in ledger.items() if t == tool)
        counted = sum(n for (t, _), n in scraped.items() if t == tool)
        assert counted == made, f"{tool}: made {made} calls, metrics count {counted}"
    pinned = Counter({key: n for key, n in ledger.items() if key[0] not in open_tools})
    counted_pinned = Counter({key: n for key, n in scraped.items() if key[0] not in open_tools})
    assert counted_pinned == pinned, (
        f"calls made (left) vs kube_mcp_tool_calls_total (right): {pinned} != {counted_pinned}"
    )
