"""Tool-call overhead: a tool call through MCP against the raw API request that call makes.

The raw side is not guessed: one warm tool call runs with urllib3's connection pool instrumented,
which records every request the call made (method, path and query, headers with the same
credentials and Accept, body). The benchmark then replays exactly those requests on that same
pool (same TLS session, same keep-alive connection, same HTTP stack) and reads the whole body.
Raw and MCP calls alternate, N of each, so drift on the machine hits both; p50 and p95 of each
and the difference are reported for an in-process MCP client (the SDK `Client` over its in-memory
transport: JSON-RPC dispatch, validation, our call path, the worker-thread hop) and for a stdio
client (the same plus pipes and JSON encoding in another process).
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import time
from collections.abc import Iterator, Mapping
from typing import Any

import stdio_rpc


@dataclasses.dataclass(frozen=True, slots=True)
class Recorded:
    pool: Any  # urllib3.connectionpool.HTTPConnectionPool
    args: tuple[Any, ...]
    kwargs: dict[str, Any]

    def replay(self) -> int:
        kwargs = {**self.kwargs, "preload_content": True, "retries": False}
        response = self.pool.urlopen(*self.args, **kwargs)
        size = len(response.data)
        response.release_conn()
        return size


@dataclasses.dataclass(slots=True)
class Overhead:
    label: str
    raw: list[float] = dataclasses.field(default_factory=list)
    mcp: list[float] = dataclasses.field(default_factory=list)
    error: str | None = None
    replays: list[Recorded] = dataclasses.field(default_factory=list, repr=False)

    @property
    def requests_per_call(self) -> int:
        return len(self.replays)

    def pct(self, values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    @property
    def p50_diff_ms(self) -> float:
        return (self.pct(self.mcp, 0.5) - self.pct(self.raw, 0.5)) * 1000


@contextlib.contextmanager
def recording() -> Iterator[list[Recorded]]:
    """Record the requests urllib3 sends inside the block (from any thread)."""
    from urllib3 import connectionpool

    original = connectionpool.HTTPConnectionPool.urlopen
    seen: list[Recorded] = []

    def urlopen(self: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(Recorded(self, args, dict(kwargs)))
        return original(self, *args, **kwargs)

    connectionpool.HTTPConnectionPool.urlopen = urlopen  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        connectionpool.HTTPConnectionPool.urlopen = original  # type: ignore[method-assign]


def build_in_process(env: Mapping[str, str]) -> Any:
    """kube-mcp wired by the command line's own `build`, in this process; returns the KubeMcp."""
    from kube_mcp import cli, config

    return cli.build(config.from_env(env), audit_stream=io.StringIO()).kube


READS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("list_namespaces", {}),
    ("kubectl_get", {"resourceType": "namespaces"}),
)


def label(name: str, arguments: Mapping[str, Any], path: str) -> str:
    return f"{name}({', '.join(f'{k}={v}' for k, v in arguments.items())}) {path}"


def raw_round(replays: list[Recorded]) -> float:
    """Seconds for the raw requests of one tool call, replayed in order."""
    started = time.perf_counter()
    for recorded in replays:
        recorded.replay()
    return time.perf_counter() - started


async def measure(env: Mapping[str, str], argv: list[str], n: int, warm: int = 5) -> list[Overhead]:
    """Each read tool in READS through the in-process client, then through stdio, each against its
    raw requests; errors are reported in the rows, not raised."""
    from mcp.client.client import Client

    kube = build_in_process(env)
    enabled = {tool.name for tool in kube.tools}
    reads = [(name, arguments) for name, arguments in READS if name in enabled]
    if not reads:
        return [Overhead("tool call", error="neither list_namespaces nor kubectl_get is enabled")]
    results: list[Overhead] = []
    async with Client(kube.server, mode="legacy", cache=None) as client:
        for name, arguments in reads:
            results.append(await measure_in_process(client, name, arguments, n, warm))
    with stdio_rpc.StdioServer(argv, env) as server:
        server.initialize()
        for (name, arguments), inproc in zip(reads, list(results), strict=True):
            if inproc.replays:
                results.append(measure_stdio(server, name, arguments, inproc.replays, n, warm))
    return results


async def measure_in_process(
    client: Any, name: str, arguments: dict[str, Any], n: int, warm: int
) -> Overhead:
    result = Overhead(label(name, arguments, "in-process client"))
    for _ in range(warm):  # fills discovery caches and the connection pool, as in steady use
        await client.call_tool(name, arguments)
    with recording() as replays:
        first = await client.call_tool(name, arguments)
    if first.is_error or not replays:
        text = " ".join(getattr(part, "text", "") for part in first.content)
        result.error = stdio_rpc.one_line(f"the call failed or sent no urllib3 request: {text}")
        return result
    result.replays = replays
    for _ in range(n):  # the event loop is idle during a raw round: nothing else is running
        result.raw.append(raw_round(replays))
        started = time.perf_counter()
        answer = await client.call_tool(name, arguments)
        result.mcp.append(time.perf_counter() - started)
        if answer.is_error:
            result.error = "a call returned isError during the run"
            return result
    return result


def measure_stdio(
    server: stdio_rpc.StdioServer,
    name: str,
    arguments: dict[str, Any],
    replays: list[Recorded],
    n: int,
    warm: int,
) -> Overhead:
    result = Overhead(label(name, arguments, "stdio client"), replays=replays)
    try:
        for _ in range(warm):
            server.call_tool(name, arguments)
        for _ in range(n):
            result.raw.append(raw_round(replays))
            started = time.perf_counter()
            answer = server.call_tool(name, arguments)
            result.mcp.append(time.perf_counter() - started)
            if answer.get("isError"):
                raise stdio_rpc.RpcError(stdio_rpc.tool_text(answer))
    except stdio_rpc.RpcError as exc:
        result.error = stdio_rpc.one_line(str(exc))
    return result
