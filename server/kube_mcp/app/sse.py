"""Legacy HTTP+SSE (protocol 2024-11-05) in the seed's spelling.

    GET  /sse                         -> event: endpoint / data: /messages?sessionId=<uuid4>
    POST /messages?sessionId=<id>     -> 202; the answer arrives as `event: message` on the stream

Modelled on the SDK's `mcp.server.sse`, with three differences that are the reason it exists:
the seed's URL form (`sessionId`, a dashed uuid4, `/messages` without a slash; `session_id` and
`/messages/` are accepted too), the seed's demo served (see compat.py), and our lifecycle (streams
closed on drain, sessions counted in `kube_mcp_sessions_open{transport="sse"}`).

A session is bound to the caller that opened it: a POST from another principal gets the same 404
as an unknown session id. The id is random (122 bits) but is never treated as authentication.
Answers: 400 wrong Content-Type, missing sessionId or a body that is not one JSON-RPC message;
404 unknown session; 413 (the guard) for a body over the cap. A keep-alive comment every 15 s
stops idle proxies from cutting the stream.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid

import anyio
import mcp_types as types
from anyio.abc import TaskGroup
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from mcp.shared.message import ServerMessageMetadata, SessionMessage
from pydantic import ValidationError
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from kube_mcp.app import compat, contracts, lifecycle, security

log = logging.getLogger(__name__)

ENDPOINT = "/messages"
PING_SECONDS = 15.0
PING = b": ping\r\n\r\n"
OUTBOX_FRAMES = 32  # frames buffered for a slow reader before senders wait
MAX_SESSIONS = 1000  # ~63 KB each (measured): a bound on memory; /mcp sessions have the SDK's own cap
SSE_HEADERS = [
    (b"content-type", b"text/event-stream"),
    (b"cache-control", b"no-store"),
    (b"x-accel-buffering", b"no"),
]


def frame(event: str, data: str) -> bytes:
    lines = "".join(f"data: {line}\r\n" for line in data.splitlines())
    return f"event: {event}\r\n{lines}\r\n".encode()


@dataclasses.dataclass(eq=False)
class Session:
    id: str
    owner: str  # the caller string of the GET that opened it
    inbox: MemoryObjectSendStream[SessionMessage | Exception]  # to the MCP server loop
    outbox: MemoryObjectSendStream[bytes]  # SSE frames to the client
    tasks: TaskGroup
    state: compat.SessionState


class SseTransport:
    """The session registry plus the two ASGI handlers."""

    def __init__(
        self, kube: contracts.McpBackend, *, drain: lifecycle.Drain, metrics: contracts.SessionMetrics
    ) -> None:
        self._kube = kube
        self._drain = drain
        self._metrics = metrics
        self._sessions: dict[str, Session] = {}

    async def handle_stream(self, scope: Scope, receive: Receive, send: Send) -> None:
        """GET /sse: open a session and stream until the client leaves or we drain."""
        if self._drain.draining:
            refused = security.refusal(503, "the server is shutting down; connect again")
            return await refused(scope, receive, send)
        if len(self._sessions) >= MAX_SESSIONS:
            refused = security.refusal(503, f"too many open SSE sessions ({MAX_SESSIONS}); try again later")
            return await refused(scope, receive, send)
        session_id = str(uuid.uuid4())
        inbox, inbox_reader = anyio.create_memory_object_stream[SessionMessage | Exception](0)
        replies, replies_reader = anyio.create_memory_object_stream[SessionMessage](0)
        outbox, outbox_reader = anyio.create_memory_object_stream[bytes](OUTBOX_FRAMES)
        endpoint = f"{scope.get('root_path', '')}{ENDPOINT}?sessionId={session_id}"
        outbox.send_nowait(frame("endpoint", endpoint))
        self._metrics.session_opened("sse")
        try:
            async with anyio.create_task_group() as tasks:
                owner = security.caller_of(scope)
                self._sessions[session_id] = Session(
                    session_id, owner, inbox, outbox, tasks, compat.SessionState()
                )
                tasks.start_soon(self._serve, inbox_reader, replies)
                tasks.start_soon(self._forward, replies_reader, outbox)
                await _stream(outbox_reader, receive, send)
                tasks.cancel_scope.cancel()  # the client left or the stream ended: stop the session's work
        finally:
            self._sessions.pop(session_id, None)
            self._metrics.session_closed("sse")

    async def handle_message(self, scope: Scope, receive: Receive, send: Send) -> None:
        """POST /messages: route one JSON-RPC message into its session."""
        request = Request(scope, receive)
        if not request.headers.get("content-type", "").lower().startswith("application/json"):
            return await security.refusal(400, "Content-Type must be application/json")(scope, receive, send)
        session = self._lookup(request.query_params, security.caller_of(scope))
        if isinstance(session, Response):
            return await session(scope, receive, send)
        try:
            message = types.jsonrpc_message_adapter.validate_json(await request.body(), by_name=False)
        except ValidationError:
            refused = security.refusal(400, "the body must be one JSON-RPC 2.0 message (a JSON object)")
            return await refused(scope, receive, send)
        await Response("Accepted", status_code=202)(scope, receive, send)
        await self._dispatch(session, message, request)

    async def close_all(self) -> None:
        """End every session: its server loop sees end of input, then its stream ends."""
        for session in list(self._sessions.values()):
            session.inbox.close()

    def _lookup(self, query: QueryParams, caller: str) -> Session | Response:
        raw = query.get("sessionId") or query.get("session_id")
        if not raw:
            return security.refusal(
                400, "sessionId is required: use the URL of the endpoint event from GET /sse"
            )
        try:
            session = self._sessions.get(str(uuid.UUID(raw)))
        except ValueError:
            session = None
        if session is None or session.owner != caller:  # another principal's session looks absent
            return security.refusal(404, "no such session: open GET /sse again and use the URL it announces")
        return session

    async def _dispatch(self, session: Session, message: types.JSONRPCMessage, request: Request) -> None:
        route = session.state.route(message)
        if route is compat.Route.SERVER:
            item = SessionMessage(message, metadata=ServerMessageMetadata(request_context=request))
            try:
                await session.inbox.send(item)
            except (anyio.ClosedResourceError, anyio.BrokenResourceError):
                log.debug("session %s ended before a message could be delivered", session.id)
        elif isinstance(message, types.JSONRPCRequest) and route is compat.Route.TOOL_CALL:
            session.tasks.start_soon(self._tool_call, session, message, security.caller_of(request.scope))
        elif isinstance(message, types.JSONRPCRequest):
            await self._reply(
                session, compat.error_message(message.id, types.INVALID_REQUEST, compat.NOT_INITIALIZED)
            )

    async def _tool_call(self, session: Session, request: types.JSONRPCRequest, caller: str) -> None:
        try:
            name, arguments = compat.tool_call_params(request.params)
        except ValueError as err:
            return await self._reply(
                session, compat.error_message(request.id, types.INVALID_PARAMS, str(err))
            )
        with self._drain.track():
            try:
                result = await self._kube.call_tool(name, arguments, caller)
            except Exception:
                log.exception("seed-style tools/call failed")
                failed = "The tool call failed inside the server; the server log has the details."
                return await self._reply(
                    session, compat.error_message(request.id, types.INTERNAL_ERROR, failed)
                )
        await self._reply(session, compat.result_message(request.id, result))

    async def _reply(self, session: Session, message_json: str) -> None:
        try:
            await session.outbox.send(frame("message", message_json))
        except (anyio.ClosedResourceError, anyio.BrokenResourceError):
            log.debug("session %s ended before its answer could be sent", session.id)

    async def _serve(
        self,
        inbox: MemoryObjectReceiveStream[SessionMessage | Exception],
        replies: MemoryObjectSendStream[SessionMessage],
    ) -> None:
        server = self._kube.server
        try:
            await server.run(inbox, replies, server.create_initialization_options())
        except Exception:
            log.exception("an SSE session's MCP server loop failed")

    async def _forward(
        self, replies: MemoryObjectReceiveStream[SessionMessage], outbox: MemoryObjectSendStream[bytes]
    ) -> None:
        """Server messages -> `event: message` frames; closing the outbox ends the response."""
        async with replies, outbox:
            async for item in replies:
                await outbox.send(
                    frame("message", item.message.model_dump_json(by_alias=True, exclude_unset=True))
                )


async def _stream(frames: MemoryObjectReceiveStream[bytes], receive: Receive, send: Send) -> None:
    """Write frames as they come, a keep-alive every 15 s; return when either side ends."""
    lock = anyio.Lock()

    async def write(chunk: bytes) -> None:
        async with lock:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})

    async def pump() -> None:
        async with frames:
            async for chunk in frames:
                await write(chunk)
        async with lock:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        tasks.cancel_scope.cancel()

    async def keep_alive() -> None:
        while True:
            await anyio.sleep(PING_SECONDS)
            await write(PING)

    async def until_disconnect() -> None:
        message: Message = {"type": ""}
        while message["type"] != "http.disconnect":
            message = await receive()
        tasks.cancel_scope.cancel()

    await send({"type": "http.response.start", "status": 200, "headers": SSE_HEADERS})
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(pump)
        tasks.start_soon(keep_alive)
        tasks.start_soon(until_disconnect)
