"""The `kube-mcp` command: settings from flags and environment, then stdio or HTTP.

    kube-mcp                                   MCP over stdio (an MCP client starts us)
    ENABLE_UNSAFE_SSE_TRANSPORT=1 PORT=3001 kube-mcp   /sse, /messages, /mcp, probes, metrics
    kube-mcp --help                            every setting with its environment variable

A bad setting prints one line `kube-mcp: <what is wrong>` and exits 2, before anything starts.
This module is the composition root: it builds the registry, metrics, audit log, cluster and MCP
server once and hands them down. stdio is on the cold-start path (a client may start us for
every conversation): the HTTP app is imported only in HTTP mode (`kube_mcp.app.stdio` is the one
light module of the app package that stdio needs), and the `kubernetes` client only by the first
tool call. stdout is the wire on stdio: logs and audit lines go to stderr.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
import sys
from collections.abc import Sequence
from typing import TextIO

import anyio
import prometheus_client

from kube_mcp import audit, config, mcp_server, metrics
from kube_mcp.app import stdio
from kube_mcp.k8s import cluster

log = logging.getLogger("kube_mcp")

USAGE_ERROR = 2  # what argparse uses too
STDIN_EOF_MARGIN_SECONDS = 5.0


@dataclasses.dataclass(frozen=True, slots=True)
class Parts:
    """Everything one server process is made of, built once by `build`."""

    registry: prometheus_client.CollectorRegistry
    metrics: metrics.Metrics
    cluster: cluster.Cluster
    kube: mcp_server.KubeMcp


def build(settings: config.Settings, *, audit_stream: TextIO | None = None) -> Parts:
    """Wire the layers together: no I/O and no `kubernetes` import happen here."""
    registry = prometheus_client.CollectorRegistry()
    meter = metrics.Metrics(registry)
    api = cluster.connect(settings, on_request=meter.observe_api, environ=os.environ)
    trail = audit.AuditLog(sys.stderr if audit_stream is None else audit_stream)
    kube = mcp_server.build_server(settings, api, metrics=meter, audit=trail)
    return Parts(registry, meter, api, kube)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    try:
        settings = config.from_env(os.environ, sys.argv[1:] if argv is None else argv)
        _check_allowed_tools(settings)
    except config.ConfigError as err:
        print(f"kube-mcp: {err}", file=sys.stderr)
        return USAGE_ERROR
    _configure_logging(settings.log_level)
    parts = build(settings)
    try:
        return _serve_http(settings, parts) if settings.http else _serve_stdio(settings, parts)
    except KeyboardInterrupt:
        return 130  # Ctrl-C on a terminal: the shell's convention


def _check_allowed_tools(settings: config.Settings) -> None:
    known = mcp_server.tool_names()
    unknown = [name for name in settings.allowed_tools or () if name not in known]
    if unknown:
        raise config.ConfigError(
            f"ALLOWED_TOOLS: unknown tool {', '.join(unknown)}; valid names: {', '.join(sorted(known))}"
        )


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        stream=sys.stderr,
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def _serve_stdio(settings: config.Settings, parts: Parts) -> int:
    # After stdin closes, answers may still take a tool call's worst case: every retry timing out.
    wait = settings.request_timeout * (settings.read_retries + 1) + STDIN_EOF_MARGIN_SECONDS
    anyio.run(functools.partial(stdio.serve, parts.kube.server, wait_seconds=wait))
    return 0


def _serve_http(settings: config.Settings, parts: Parts) -> int:
    from kube_mcp.app import asgi, serving  # HTTP mode only: stdio never loads uvicorn

    app = asgi.create_app(
        settings, kube=parts.kube, cluster=parts.cluster, metrics=parts.metrics, registry=parts.registry
    )
    return serving.serve(settings, app)
