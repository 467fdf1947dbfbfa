"""Running the app under uvicorn, with SIGTERM turned into our drain and a clean exit 0.

uvicorn's own signal handling has two habits that break a graceful pod shutdown: it waits for
every open SSE stream until `timeout_graceful_shutdown`, and after shutting down it re-raises the
signal it caught, so the process dies *by* SIGTERM (exit 143) instead of exiting 0. The server
subclass below starts our drain from the signal handler and does not re-raise.
"""

from __future__ import annotations

import contextlib
import logging
import math
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

import uvicorn

from kube_mcp import config
from kube_mcp.app import asgi

log = logging.getLogger(__name__)

GRACE_MARGIN_SECONDS = 2  # after the drain: closing streams and the lifespan's own shutdown
EXIT_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class DrainingServer(uvicorn.Server):
    """`uvicorn.Server` that calls `on_exit` first on SIGTERM/SIGINT and never re-raises them."""

    def __init__(self, uvicorn_config: uvicorn.Config, on_exit: Callable[[], None]) -> None:
        super().__init__(uvicorn_config)
        self._on_exit = on_exit

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self._on_exit()
        super().handle_exit(sig, frame)

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield  # signals reach only the main thread (tests run servers elsewhere)
            return
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in EXIT_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def uvicorn_config(settings: config.Settings, app: asgi.App) -> uvicorn.Config:
    """Our uvicorn settings: logs through the root logger (stderr), no proxy headers (the peer
    address decides loopback trust, so a client must not be able to rewrite it)."""
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        log_level=settings.log_level,
        access_log=False,  # kubelet probes every few seconds would drown everything else
        proxy_headers=False,
        server_header=False,
        lifespan="on",
        timeout_graceful_shutdown=math.ceil(settings.drain_seconds) + GRACE_MARGIN_SECONDS,
    )


def serve(settings: config.Settings, app: asgi.App) -> int:
    """Serve until SIGTERM/SIGINT; 0 after a clean drain, 1 if the server could not start."""
    server = DrainingServer(uvicorn_config(settings, app), app.begin_drain)
    log.info(
        "serving /sse, /messages, /mcp, /healthz, /readyz, /metrics on %s:%d", settings.host, settings.port
    )
    server.run()
    return 0 if server.started else 1
