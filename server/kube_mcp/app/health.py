"""Probes and metrics: /healthz, /readyz, /metrics. Not Host-checked (see security.py).

- /healthz says the process answers. It never calls the API server, so an API outage makes the
  pod unready but never restarts it (a restart would not fix the API server).
- /readyz asks the API server who we are (one SelfSubjectReview, the cheapest authenticated
  call) and reuses the answer for KUBE_MCP_READINESS_CACHE_SECONDS (5 s), so probes from the
  kubelet and a load balancer cost at most one call per period. 503 with one line while the API
  server does not answer, or while draining.
- /metrics is the Prometheus text of the registry injected at start.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import anyio
import prometheus_client
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from kube_mcp.app import lifecycle
from kube_mcp.k8s import errors
from kube_mcp.k8s import types as k8s_types

log = logging.getLogger(__name__)


class Readiness:
    """The /readyz answer: draining wins; otherwise a cached `whoami()`."""

    def __init__(
        self,
        cluster: k8s_types.ClusterApi,
        drain: lifecycle.Drain,
        *,
        cache_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._cluster = cluster
        self._drain = drain
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._lock = anyio.Lock()
        self._answer: tuple[bool, str] = (False, "not checked yet")
        self._checked_at: float | None = None

    async def check(self) -> tuple[bool, str]:
        """(ready, one-line reason)."""
        if self._drain.draining:
            return False, "draining: the server is shutting down"
        async with self._lock:  # concurrent probes share one API call
            now = self._clock()
            if self._checked_at is None or now - self._checked_at >= self._cache_seconds:
                self._answer = await self._ask()
                self._checked_at = self._clock()
        return self._answer

    async def _ask(self) -> tuple[bool, str]:
        try:
            await self._cluster.whoami()
        except errors.KubeError as err:
            return False, f"the Kubernetes API server did not answer: {err}"
        except Exception as err:  # a probe must answer, whatever broke
            log.exception("readiness check failed")
            return False, f"the readiness check failed ({type(err).__name__})"
        return True, "ok"


def routes(readiness: Readiness, registry: prometheus_client.CollectorRegistry) -> list[Route]:
    """The three plain routes, to be mounted outside the MCP guard."""

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok\n")

    async def readyz(request: Request) -> Response:
        ready, reason = await readiness.check()
        return PlainTextResponse(reason + "\n", status_code=200 if ready else 503)

    async def metrics(request: Request) -> Response:
        # A few dozen series: well under a millisecond, so it runs on the loop.
        return Response(
            prometheus_client.generate_latest(registry), media_type=prometheus_client.CONTENT_TYPE_LATEST
        )

    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]
