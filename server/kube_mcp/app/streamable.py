"""/mcp: the SDK's Streamable HTTP session manager, counted, and closed on drain.

One endpoint serves both protocol eras; the SDK routes each request by its
`MCP-Protocol-Version` header: 2025-11-25 clients get sessions (`Mcp-Session-Id`, bound to the
caller by the guard's `scope["user"]`), 2026-07-28 clients are stateless by design. With
KUBE_MCP_STATELESS every request stands alone, so replicas need no session affinity.

The subclass adds what the SDK lacks: the `kube_mcp_sessions_open{transport="streamable_http"}`
gauge, and `close_sessions()` for the drain (uvicorn would otherwise wait for every open GET
stream until its shutdown timeout). Host/Origin checks are off here because the guard in front
of every MCP route already made them; the SDK still checks Content-Type (415) and its own copy
of our body cap. The manager's `run()` is entered by our app's lifespan (asgi.py).
"""

from __future__ import annotations

from typing import Any

from mcp.server.auth.middleware.bearer_auth import AuthorizationContext
from mcp.server.lowlevel import Server
from mcp.server.streamable_http import MCP_SESSION_ID_HEADER, StreamableHTTPServerTransport
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send

from kube_mcp.app import contracts, lifecycle, security

TRANSPORT = "streamable_http"  # the label kube_mcp.metrics knows (sse, streamable_http, stdio)


class SessionManager(StreamableHTTPSessionManager):
    """`StreamableHTTPSessionManager` that reports sessions opened/closed and can close them all."""

    def __init__(
        self, server: Server[Any], *, stateless: bool, max_body_bytes: int, metrics: contracts.SessionMetrics
    ) -> None:
        super().__init__(
            app=server,
            stateless=stateless,
            security_settings=TransportSecuritySettings(enable_dns_rebinding_protection=False),
            max_request_body_size=max_body_bytes,
        )
        self._metrics = metrics
        self._open: dict[str, StreamableHTTPServerTransport] = {}

    def _admit_session(self, requestor: AuthorizationContext | None) -> StreamableHTTPServerTransport | None:
        transport = super()._admit_session(requestor)
        if transport is not None and transport.mcp_session_id is not None:
            self._open[transport.mcp_session_id] = transport
            self._metrics.session_opened(TRANSPORT)
        return transport

    async def _discard_session(self, session_id: str, transport: StreamableHTTPServerTransport) -> None:
        if self._open.pop(session_id, None) is not None:
            self._metrics.session_closed(TRANSPORT)
        await super()._discard_session(session_id, transport)

    async def close_sessions(self) -> None:
        """Terminate every session: open GET streams end and later requests get 404."""
        for session_id, transport in list(self._open.items()):
            await self._discard_session(session_id, transport)


class Endpoint:
    """The ASGI app at /mcp: refuses new sessions while draining, else hands over to the manager."""

    def __init__(self, manager: SessionManager, drain: lifecycle.Drain) -> None:
        self._manager = manager
        self._drain = drain

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._drain.draining and MCP_SESSION_ID_HEADER not in Headers(scope=scope):
            refused = security.refusal(503, "the server is shutting down; connect again")
            return await refused(scope, receive, send)
        await self._manager.handle_request(scope, receive, send)
