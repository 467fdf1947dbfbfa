"""`create_app`: every HTTP route of kube-mcp on one port, with one lifespan.

    /healthz /readyz /metrics          plain routes, no Host check (kubelet, Prometheus)
    everything else -> McpGuard -> /sse (GET), /messages and /messages/ (POST), /mcp
                       (the guard also holds the per-caller rate limit: probes are never limited)

Everything is built here from injected parts (settings, the MCP server, the cluster, metrics and
their registry); nothing lives at module level, so a test builds as many apps as it likes. The
lifespan enters the Streamable HTTP manager's `run()` (a mounted sub-app's lifespan would never
run) and the drain watcher. `App.begin_drain()` is what the cli calls on SIGTERM.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import anyio
import prometheus_client
from sse_starlette.sse import AppStatus
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.types import Receive, Scope, Send

from kube_mcp import config
from kube_mcp.app import callers, contracts, health, lifecycle, ratelimit, security, sse, streamable
from kube_mcp.k8s import errors
from kube_mcp.k8s import types as k8s_types

log = logging.getLogger(__name__)

AsgiHandler = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclasses.dataclass(eq=False)
class App:
    """The ASGI app uvicorn serves, plus the handles the cli and tests need."""

    starlette: Starlette
    drain: lifecycle.Drain
    sse: sse.SseTransport
    sessions: streamable.SessionManager

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.starlette(scope, receive, send)

    def begin_drain(self) -> None:
        """Readiness off, wait for calls in flight (bounded), close streams. Signal-handler safe."""
        self.drain.begin()


class _Asgi:
    """Marks a handler as a raw ASGI app for Starlette's Route (it streams its own response)."""

    def __init__(self, handler: AsgiHandler) -> None:
        self._handler = handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._handler(scope, receive, send)


def create_app(
    settings: config.Settings,
    *,
    kube: contracts.McpBackend,
    cluster: k8s_types.ClusterApi,
    metrics: contracts.AppMetrics,
    registry: prometheus_client.CollectorRegistry,
) -> App:
    """Build the app; see the module docstring for the routes."""
    drain = lifecycle.Drain(settings.drain_seconds)
    kube.server.middleware.append(drain.server_middleware)  # counts requests in flight, every transport
    legacy = sse.SseTransport(kube, drain=drain, metrics=metrics)
    sessions = streamable.SessionManager(
        kube.server, stateless=settings.stateless, max_body_bytes=settings.max_body_bytes, metrics=metrics
    )
    drain.add_closer(legacy.close_all)
    drain.add_closer(sessions.close_sessions)
    guard = security.McpGuard(
        Router(routes=_mcp_routes(legacy, streamable.Endpoint(sessions, drain))),
        hosts=security.default_hosts(settings, _namespace(settings, cluster)),
        origins=security.default_origins(settings),
        callers=callers.Callers(settings, cluster),
        limits=ratelimit.Limiter(settings.rate_limit, settings.rate_burst),
        metrics=metrics,
        max_body_bytes=settings.max_body_bytes,
    )
    readiness = health.Readiness(cluster, drain, cache_seconds=settings.readiness_cache_seconds)
    routes: list[BaseRoute] = [*health.routes(readiness, registry), Mount("", app=guard)]
    starlette = Starlette(routes=routes, lifespan=_lifespan(drain, sessions))
    return App(starlette, drain, legacy, sessions)


def _mcp_routes(legacy: sse.SseTransport, mcp: streamable.Endpoint) -> list[BaseRoute]:
    messages = _Asgi(legacy.handle_message)
    return [
        Route("/sse", _Asgi(legacy.handle_stream), methods=["GET"]),
        Route(sse.ENDPOINT, messages, methods=["POST"]),
        Route(sse.ENDPOINT + "/", messages, methods=["POST"]),  # the SDK's spelling; no 307 detour
        Route("/mcp", mcp, methods=["GET", "POST", "DELETE"]),
    ]


def _namespace(settings: config.Settings, cluster: k8s_types.ClusterApi) -> str | None:
    """Our namespace for the Service's DNS names: the setting, else what the cluster config says."""
    if settings.default_namespace:
        return settings.default_namespace
    try:
        return cluster.default_namespace
    except errors.KubeError as err:
        log.warning("namespace unknown (%s); only the bare Service name joins the Host allow-list", err)
        return None


def _lifespan(
    drain: lifecycle.Drain, sessions: streamable.SessionManager
) -> Callable[[Starlette], contextlib.AbstractAsyncContextManager[None]]:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # sse-starlette would end every SDK event stream the moment SIGTERM arrives, cutting off
        # answers still in flight; our drain closes them itself once those answers are out.
        AppStatus.enable_automatic_graceful_drain = False  # the method form is untyped
        async with anyio.create_task_group() as tasks, sessions.run():
            tasks.start_soon(drain.watch)
            yield
            tasks.cancel_scope.cancel()

    return lifespan
