"""What the app needs from the layers below, stated as protocols.

`kube_mcp.mcp_server.KubeMcp` and `kube_mcp.metrics.Metrics` satisfy these structurally; naming
only what the transports use keeps this package testable with a small server of a test's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import mcp_types as types
from mcp.server.lowlevel import Server


class McpBackend(Protocol):
    """The MCP server the transports serve (`KubeMcp`)."""

    @property
    def server(self) -> Server[Any]: ...

    async def call_tool(
        self, name: str, arguments: Mapping[str, Any] | None, caller: str
    ) -> types.CallToolResult:
        """The one path every tool call takes (policy, validation, metrics, audit)."""
        ...


class SessionMetrics(Protocol):
    """The session gauge (`Metrics.session_opened/closed`, label transport=sse|streamable_http)."""

    def session_opened(self, transport: str) -> None: ...

    def session_closed(self, transport: str) -> None: ...


class RateMetrics(Protocol):
    """The 429 counter (`Metrics.rate_limited`, label transport=sse|streamable_http|other)."""

    def rate_limited(self, transport: str) -> None: ...


class AppMetrics(SessionMetrics, RateMetrics, Protocol):
    """Every metric the HTTP app reports itself."""
