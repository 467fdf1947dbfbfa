"""Many concurrent MCP sessions doing reads over HTTP: errors, memory, and the session registry.

kube-mcp runs as an HTTP server on a free loopback port against the real cluster. For each
transport (legacy HTTP+SSE at /sse, Streamable HTTP at /mcp with 2025-11-25 sessions) S sessions
open at once through the SDK's own client, each makes C read tool calls, then all leave. Reported:
calls, errors (exceptions and isError results), wall time, call latency p50/p95, RSS idle / peak /
after, and `kube_mcp_sessions_open` from /metrics at its peak and once clients have left (it must
return to zero: a registry that leaks sessions leaks memory).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any

import procmem
import stdio_rpc

READS = (
    ("list_namespaces", {}),
    ("list_pods", {"namespace": "kube-system"}),
    ("kubectl_get", {"resourceType": "pods", "namespace": "kube-system"}),
    ("kubectl_get", {"resourceType": "configmaps", "namespace": "kube-system"}),
)


@dataclasses.dataclass(slots=True)
class LoadResult:
    transport: str
    sessions: int
    calls_per_session: int
    calls: int = 0
    errors: int = 0
    first_error: str = ""
    seconds: float = 0.0
    latencies: list[float] = dataclasses.field(default_factory=list)
    rss_before: float = 0.0
    rss_peak: float = 0.0
    rss_after: float = 0.0
    sessions_peak: float = 0.0
    sessions_after: float | None = None  # None: /metrics had no kube_mcp_sessions_open

    def pct_ms(self, q: float) -> float:
        ordered = sorted(self.latencies) or [0.0]
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def http_server(
    argv: Sequence[str], env: Mapping[str, str], ready_within: float = 30.0
) -> Iterator[tuple[int, str]]:
    """kube-mcp over HTTP on a free loopback port; yields (pid, base URL) once /healthz answers."""
    import httpx2

    port = free_port()
    env = {**env, "ENABLE_UNSAFE_SSE_TRANSPORT": "1", "PORT": str(port), "HOST": "127.0.0.1"}
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    proc = subprocess.Popen(
        list(argv), env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_within
        while True:
            with contextlib.suppress(httpx2.TransportError):
                if httpx2.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                lines = log.read().decode(errors="replace").strip().splitlines() or ["(no output)"]
                tail = stdio_rpc.one_line(lines[-1])
                raise RuntimeError(f"HTTP server did not become healthy: {tail}")
            time.sleep(0.1)
        yield proc.pid, base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # the group of the server we started
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        log.close()


async def sessions_open(base: str) -> float | None:
    """Sum of kube_mcp_sessions_open over its transports, from /metrics."""
    import httpx2

    async with httpx2.AsyncClient(timeout=5) as http:
        text = (await http.get(f"{base}/metrics")).text
    values = [
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("kube_mcp_sessions_open")
    ]
    return sum(values) if values else None


@contextlib.asynccontextmanager
async def open_client(transport: str, base: str) -> AsyncIterator[Any]:
    from mcp.client.client import Client
    from mcp.client.sse import sse_client
    from mcp.client.streamable_http import streamable_http_client

    stream = sse_client(f"{base}/sse") if transport == "sse" else streamable_http_client(f"{base}/mcp")
    async with Client(stream, mode="legacy", cache=None) as client:
        yield client


async def one_session(
    transport: str, base: str, reads: Sequence[tuple[str, dict[str, Any]]], result: LoadResult
) -> None:
    try:
        async with open_client(transport, base) as client:
            for i in range(result.calls_per_session):
                name, arguments = reads[i % len(reads)]
                started = time.perf_counter()
                answer = await client.call_tool(name, arguments)
                result.latencies.append(time.perf_counter() - started)
                result.calls += 1
                if answer.is_error:
                    result.errors += 1
                    result.first_error = result.first_error or stdio_rpc.one_line(content_text(answer))
    except Exception as exc:  # one failed session is a counted error, not the end of the run
        result.errors += 1
        result.first_error = result.first_error or stdio_rpc.one_line(f"{type(exc).__name__}: {exc}")


async def available_reads(base: str) -> list[tuple[str, dict[str, Any]]]:
    """The READS this server offers, each called once: "RSS before" then includes the client
    library the first call loads and the caches it fills, not only an idle process."""
    async with open_client("streamable", base) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        reads = [(name, args) for name, args in READS if name in names]
        for name, args in reads:
            await client.call_tool(name, args)
    return reads


async def run_transport(pid: int, base: str, transport: str, sessions: int, calls: int) -> LoadResult:
    import anyio
    import httpx2

    result = LoadResult(transport, sessions, calls)
    reads = await available_reads(base)
    result.rss_before = procmem.tree_rss_mib(pid)
    result.rss_peak = result.rss_before
    done = anyio.Event()

    async def sample() -> None:
        while not done.is_set():
            result.rss_peak = max(result.rss_peak, procmem.tree_rss_mib(pid))
            with contextlib.suppress(httpx2.HTTPError):  # a missed sample is not a failed run
                result.sessions_peak = max(result.sessions_peak, await sessions_open(base) or 0.0)
            with anyio.move_on_after(0.05):
                await done.wait()

    started = time.perf_counter()
    async with anyio.create_task_group() as group:
        group.start_soon(sample)
        async with anyio.create_task_group() as clients:
            for _ in range(sessions):
                clients.start_soon(one_session, transport, base, reads, result)
        result.seconds = time.perf_counter() - started
        done.set()
    result.sessions_after = await settle_sessions(base)
    result.rss_after = procmem.tree_rss_mib(pid)
    return result


async def settle_sessions(base: str, within: float = 20.0) -> float | None:
    """Poll /metrics until no session is open (or `within` seconds pass); the last figure seen."""
    import anyio

    deadline = time.monotonic() + within
    value = await sessions_open(base)
    while value and time.monotonic() < deadline:
        await anyio.sleep(0.2)
        value = await sessions_open(base)
    return value


def content_text(answer: Any) -> str:
    return " ".join(getattr(part, "text", "") for part in answer.content)
