"""Shared pieces of the transport tests, and tests of those pieces.

- `serve(app)`: the real app under a real uvicorn, in this process, on a free loopback port.
- `SmallKube`: a tiny MCP backend (a lowlevel Server plus `call_tool`) for transport behaviour
  that does not depend on Kubernetes; `ApiReachable` answers the two questions the app itself
  asks the cluster (who am I, and review this token: always "no").
- `SseEvents`: reads `event:`/`data:` frames from a raw SSE response.
- `free_port()`, `kube_mcp_command()`: for tests that start the `kube-mcp` console script.
Tests that need the API server build the real stack with `kube_mcp.cli.build` instead.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import shutil
import socket
import sys
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import anyio
import httpx2
import mcp_types as types
import prometheus_client
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server

from kube_mcp import config, metrics
from kube_mcp.app import asgi, serving

SETTINGS = config.Settings(http=True, drain_seconds=3.0)


def text(value: str, *, error: bool = False) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=value)], is_error=error)


class SmallKube:
    """`list_pods` answers with its namespace and caller; `block` waits for `release`."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any], str]] = []
        self.blocked = anyio.Event()
        self.release = anyio.Event()
        self.server: Server[Any] = Server("small-kube", on_list_tools=self._list, on_call_tool=self._call)

    async def _list(self, ctx: ServerRequestContext[Any], params: Any) -> types.ListToolsResult:
        schema = {"type": "object", "properties": {"namespace": {"type": "string"}}}
        return types.ListToolsResult(
            tools=[
                types.Tool(name=name, description=name, input_schema=schema)
                for name in ("list_pods", "block")
            ]
        )

    async def _call(
        self, ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        caller = ctx.request.state.kube_mcp_caller if ctx.request is not None else "stdio"
        return await self.call_tool(params.name, params.arguments, caller)

    async def call_tool(
        self, name: str, arguments: Mapping[str, Any] | None, caller: str
    ) -> types.CallToolResult:
        self.calls.append((name, dict(arguments or {}), caller))
        if name == "block":
            self.blocked.set()
            await self.release.wait()
            return text("released")
        if name == "list_pods":
            return text(
                f"NAME  READY  STATUS (namespace {(arguments or {}).get('namespace')}, caller {caller})"
            )
        return text(f"no tool {name}", error=True)


class ApiReachable:
    """The app's own questions to the cluster: readiness (always fine) and token reviews (always no)."""

    default_namespace = "kube-mcp"

    async def whoami(self) -> str:
        return "system:serviceaccount:kube-mcp:kube-mcp"

    async def review_token(self, token: str, audiences: tuple[str, ...]) -> None:
        return None


@dataclasses.dataclass
class Running:
    url: str
    app: asgi.App
    registry: prometheus_client.CollectorRegistry
    server: serving.DrainingServer


def small_app(
    settings: config.Settings = SETTINGS, kube: Any = None, cluster: Any = None
) -> tuple[asgi.App, Any]:
    kube = kube or SmallKube()
    registry = prometheus_client.CollectorRegistry()
    app = asgi.create_app(
        settings,
        kube=kube,
        cluster=cluster or ApiReachable(),
        metrics=metrics.Metrics(registry),
        registry=registry,
    )
    return app, registry


@contextlib.asynccontextmanager
async def serve(app: asgi.App, registry: Any, settings: config.Settings = SETTINGS) -> AsyncIterator[Running]:
    """Run `app` under uvicorn on 127.0.0.1:<free port>; on exit drain it as SIGTERM would."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = serving.DrainingServer(
        serving.uvicorn_config(dataclasses.replace(settings, port=port), app), app.begin_drain
    )
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(functools.partial(server.serve, sockets=[sock]))
        with anyio.fail_after(10):
            while not server.started:
                await anyio.sleep(0.01)
        try:
            yield Running(f"http://127.0.0.1:{port}", app, registry, server)
        finally:
            server.handle_exit(15, None)  # what SIGTERM does: drain, then uvicorn's shutdown
    sock.close()


class SseEvents:
    """`event:`/`data:` frames of an open SSE response, keep-alive comments skipped."""

    def __init__(self, response: httpx2.Response) -> None:
        self._lines = response.aiter_lines()

    async def next(self, timeout: float = 10) -> tuple[str, str]:
        event, data = "message", []
        with anyio.fail_after(timeout):
            async for line in self._lines:
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].lstrip())
                elif line == "" and data:
                    return event, "\n".join(data)
        raise EOFError("the SSE stream ended")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def kube_mcp_command() -> list[str]:
    script = Path(sys.executable).with_name("kube-mcp")
    return [str(script)] if script.exists() else [shutil.which("kube-mcp") or "kube-mcp"]


def gauge(registry: prometheus_client.CollectorRegistry, transport: str) -> float:
    return registry.get_sample_value("kube_mcp_sessions_open", {"transport": transport}) or 0.0
