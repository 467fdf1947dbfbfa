"""stdio: the SDK's stdin/stdout transport, plus answers to requests read before stdin closed.

The SDK's dispatcher cancels every request in flight the moment its input ends. A client that
writes its requests and then closes stdin (`printf '...' | kube-mcp`, a shell script, a CI check)
would get no answers. Here the end of input is held back until every request read so far has
been answered (or cancelled by the client with `notifications/cancelled`), for at most
`wait_seconds`. Interactive clients keep stdin open and never notice.

This module is on the stdio cold-start path: it imports nothing beyond what the SDK's stdio
transport already loads.
"""

from __future__ import annotations

import contextvars
from types import TracebackType
from typing import Any, Generic, Protocol, Self, TypeVar

import anyio
import mcp_types as types
from mcp.server import stdio
from mcp.server.lowlevel import Server
from mcp.shared._stream_protocols import ReadStream, WriteStream
from mcp.shared.message import SessionMessage


class _Ledger:
    """Ids of requests read and not yet answered."""

    def __init__(self) -> None:
        self._pending: set[types.RequestId] = set()
        self._settled = anyio.Event()

    def opened(self, message: types.JSONRPCMessage) -> None:
        if isinstance(message, types.JSONRPCRequest):
            self._pending.add(message.id)
        elif isinstance(message, types.JSONRPCNotification) and message.method == "notifications/cancelled":
            self.closed((message.params or {}).get("requestId"))

    def closed(self, request_id: Any) -> None:
        self._pending.discard(request_id)
        if not self._pending:
            self._settled.set()

    async def settle(self, wait_seconds: float) -> None:
        with anyio.move_on_after(wait_seconds):
            while self._pending:
                self._settled = anyio.Event()
                await self._settled.wait()


class _Closable(Protocol):
    async def aclose(self) -> None: ...


_Stream = TypeVar("_Stream", bound=_Closable)


class _Wrapper(Generic[_Stream]):
    """Closing and `async with` for a stream wrapped around `_inner`."""

    _inner: _Stream

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


class _Input(_Wrapper[ReadStream[SessionMessage | Exception]]):
    """stdin's message stream, whose end waits for the ledger to settle."""

    def __init__(
        self, inner: ReadStream[SessionMessage | Exception], ledger: _Ledger, wait_seconds: float
    ) -> None:
        self._inner, self._ledger, self._wait_seconds = inner, ledger, wait_seconds

    @property
    def last_context(self) -> contextvars.Context | None:  # the SDK reads the sender's context here
        return getattr(self._inner, "last_context", None)

    async def receive(self) -> SessionMessage | Exception:
        try:
            item = await self._inner.receive()
        except anyio.EndOfStream:
            await self._ledger.settle(self._wait_seconds)
            raise
        if isinstance(item, SessionMessage):
            self._ledger.opened(item.message)
        return item

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> SessionMessage | Exception:
        try:
            return await self.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None


class _Output(_Wrapper[WriteStream[SessionMessage]]):
    """stdout's message stream, marking requests answered."""

    def __init__(self, inner: WriteStream[SessionMessage], ledger: _Ledger) -> None:
        self._inner, self._ledger = inner, ledger

    async def send(self, item: SessionMessage, /) -> None:
        await self._inner.send(item)
        if isinstance(item.message, types.JSONRPCResponse | types.JSONRPCError):
            self._ledger.closed(item.message.id)


async def serve(server: Server[Any], *, wait_seconds: float) -> None:
    """Serve `server` over stdin/stdout until stdin ends and every request read is answered."""
    async with stdio.stdio_server() as (read, write):
        ledger = _Ledger()
        await server.run(
            _Input(read, ledger, wait_seconds), _Output(write, ledger), server.create_initialization_options()
        )
