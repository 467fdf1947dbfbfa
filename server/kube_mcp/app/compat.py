"""The seed's hand-typed SSE demo, served: `tools/call` on a session that never sent `initialize`.

The seed's README shows a curl user opening `GET /sse` and then posting

    {"jsonrpc": "2.0", "id": 1234, "method": "tools/call",
     "params": {"name": "list_pods", "namespace": "default"}}

with no `initialize` and with `namespace` beside `name` instead of inside `arguments`. The MCP
SDK answers any request before `initialize` with a bare INVALID_PARAMS, so that demo would end in
an error nobody can act on. Our SSE transport therefore tracks, per session, whether `initialize`
(or a 2026-07-28 request, which needs none) was posted, and before that:

- `tools/call` takes this path: parameters other than `name`, `arguments` and `_meta` become the
  arguments when `arguments` is absent; the call runs through `KubeMcp.call_tool` (the same mode
  check, validation, metrics and audit line as any call) and the JSON-RPC response arrives as
  `event: message` on the session's stream.
- `ping`, `initialize` and `server/discover`, notifications and responses go to the MCP server.
- any other request is answered with an error saying exactly what to send (`NOT_INITIALIZED`).

Once the session is initialized this module steps aside and the MCP server handles everything.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from typing import Any

import mcp_types as types
from mcp_types import methods
from mcp_types.version import LATEST_HANDSHAKE_VERSION

PASS_BEFORE_INIT = frozenset({"initialize", "ping", "server/discover"})
TOOL_CALL_KEYS = frozenset({"name", "arguments", "_meta"})

_INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": LATEST_HANDSHAKE_VERSION,
        "capabilities": {},
        "clientInfo": {"name": "curl", "version": "1.0"},
    },
}
_INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}
NOT_INITIALIZED = (
    f"This session is not initialized. POST an initialize request first: {json.dumps(_INITIALIZE)} "
    f"then the notification {json.dumps(_INITIALIZED)}; only tools/call works without them."
)


class Route(enum.Enum):
    SERVER = "server"  # hand the message to the MCP server
    TOOL_CALL = "tool_call"  # run it here (the seed's demo)
    REFUSE = "refuse"  # answer NOT_INITIALIZED


class SessionState:
    """What the transport has seen on one SSE session."""

    def __init__(self) -> None:
        self.initialized = False  # an `initialize` request was posted
        self.modern = False  # a 2026-07-28 request (which carries its own envelope) was posted

    def route(self, message: types.JSONRPCMessage) -> Route:
        """Decide where a posted message goes, updating the session's state."""
        if not isinstance(message, types.JSONRPCRequest):
            return Route.SERVER
        if message.method == "initialize":
            self.initialized = True
        elif _has_modern_envelope(message.params):
            self.modern = True
        if self.initialized or self.modern or message.method in PASS_BEFORE_INIT:
            return Route.SERVER
        return Route.TOOL_CALL if message.method == "tools/call" else Route.REFUSE


def _has_modern_envelope(params: Mapping[str, Any] | None) -> bool:
    meta = (params or {}).get("_meta")
    return isinstance(meta, Mapping) and types.PROTOCOL_VERSION_META_KEY in meta


def tool_call_params(params: Mapping[str, Any] | None) -> tuple[str, Mapping[str, Any] | None]:
    """(tool name, arguments) of a seed-style `tools/call`; raises ValueError with what to send."""
    params = params or {}
    name = params.get("name")
    if not isinstance(name, str) or not name:
        raise ValueError("tools/call needs params.name, the name of the tool to call")
    arguments = params.get("arguments")
    if arguments is None:
        arguments = {key: value for key, value in params.items() if key not in TOOL_CALL_KEYS}
    if not isinstance(arguments, Mapping):
        raise ValueError("params.arguments must be a JSON object of the tool's arguments")
    return name, arguments


def result_message(request_id: types.RequestId, result: types.CallToolResult) -> str:
    """The JSON-RPC response carrying `result`, shaped as the newest handshake era sends it."""
    dumped = result.model_dump(by_alias=True, exclude_none=True, mode="json")
    shaped = methods.serialize_server_result("tools/call", LATEST_HANDSHAKE_VERSION, dumped)
    response = types.JSONRPCResponse(jsonrpc="2.0", id=request_id, result=shaped)
    return response.model_dump_json(by_alias=True, exclude_none=True)


def error_message(request_id: types.RequestId, code: int, message: str) -> str:
    """A JSON-RPC error response with one actionable sentence."""
    error = types.JSONRPCError(
        jsonrpc="2.0", id=request_id, error=types.ErrorData(code=code, message=message)
    )
    return error.model_dump_json(by_alias=True, exclude_none=True)
