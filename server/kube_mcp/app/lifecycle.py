"""SIGTERM as a bounded drain: readiness off, calls in flight finish, streams close, exit 0.

Kubernetes sends SIGTERM and waits `terminationGracePeriodSeconds` (30 s by default) before
SIGKILL. On `begin()` (called from uvicorn's signal handler, so it only sets a flag and wakes
the loop) the server:
  1. reports not ready and refuses new sessions (503),
  2. waits until no MCP request is in flight, for at most KUBE_MCP_DRAIN_SECONDS (10 s),
  3. closes every SSE stream and Streamable HTTP session, so uvicorn has no open response left.
uvicorn's own `timeout_graceful_shutdown` (drain + 2 s, set by the cli) then cancels whatever is
still running, and the process exits 0.

In-flight requests are counted by a middleware on the MCP server itself, so every transport (SSE,
both Streamable HTTP eras, the seed-compatible path) is covered by one counter.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import anyio
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext

log = logging.getLogger(__name__)

Closer = Callable[[], Awaitable[None]]


class Drain:
    """The shutdown state shared by readiness, the transports and the signal handler."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.draining = False
        self._in_flight = 0
        self._idle = anyio.Event()
        self._requested = anyio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closers: list[Closer] = []
        self.finished = anyio.Event()

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def add_closer(self, closer: Closer) -> None:
        """Run `closer` once the drain period is over (closes streams and sessions)."""
        self._closers.append(closer)

    def begin(self) -> None:
        """Start draining. Safe from a signal handler: sets a flag and wakes the loop."""
        if self.draining:
            return
        self.draining = True
        log.info(
            "draining: readiness off; waiting up to %.0f s for %d call(s)", self.seconds, self._in_flight
        )
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._requested.set)

    async def watch(self) -> None:
        """Runs for the life of the app (lifespan task group): performs the drain when asked."""
        self._loop = asyncio.get_running_loop()
        if not self.draining:
            await self._requested.wait()
        with anyio.move_on_after(self.seconds) as deadline:
            while self._in_flight:
                self._idle = anyio.Event()
                await self._idle.wait()
        if deadline.cancelled_caught:
            log.warning(
                "drain period over with %d call(s) still running; they will be cancelled", self._in_flight
            )
        for closer in self._closers:
            await closer()
        self.finished.set()

    @contextlib.contextmanager
    def track(self) -> Iterator[None]:
        """Count one MCP request as in flight for its duration."""
        self._in_flight += 1
        try:
            yield
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()

    async def server_middleware(
        self, ctx: ServerRequestContext[Any, Any], call_next: CallNext
    ) -> HandlerResult:
        """A lowlevel-Server middleware counting requests (not notifications) while they run."""
        if ctx.request_id is None:
            return await call_next(ctx)
        with self.track():
            return await call_next(ctx)
