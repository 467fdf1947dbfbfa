"""An API server that accepts and never answers: does a tool call end, clearly, within the timeout?

A local TCP listener accepts every connection and holds it open without sending a byte, so the
client's TLS handshake (or request) waits forever unless it has its own deadline. The server runs
over stdio with K8S_SERVER pointing at the listener and KUBE_MCP_REQUEST_TIMEOUT set; the figure
is the time from sending `tools/call` to its answer, and the answer must be an `isError` result
saying what went wrong.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import stdio_rpc

KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters: [{{name: silent, cluster: {{server: "https://127.0.0.1:{port}", insecure-skip-tls-verify: true}}}}]
users: [{{name: silent, user: {{token: benchmark-token-never-valid}}}}]
contexts: [{{name: silent, context: {{cluster: silent, user: silent, namespace: default}}}}]
current-context: silent
"""


@dataclasses.dataclass(slots=True)
class SilentResult:
    name: str
    timeout: float | None  # the configured request timeout; None for a peer (its own default)
    wait: float  # how long the benchmark waits for the answer before calling it a hang
    tool: str = ""
    elapsed: float | None = None
    is_error: bool = False
    text: str = ""
    error: str | None = None

    @property
    def passed(self) -> bool:
        # One request's deadline plus a second for process and event-loop slack.
        limit = (self.timeout or 0) + 1.0
        return self.is_error and self.elapsed is not None and self.elapsed <= limit

    @property
    def outcome(self) -> str:
        if self.error and "deadline" in self.error:
            return f"no answer in {self.wait:g} s"
        if self.error:
            return "JSON-RPC error, not an isError result"
        return "isError" if self.is_error else "not isError (a success to the client)"


@contextlib.contextmanager
def silent_listener() -> Iterator[int]:
    """A 127.0.0.1 port that accepts connections and never writes; yields the port."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept_forever() -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                held.append(listener.accept()[0])

    thread = threading.Thread(target=accept_forever, name="silent-api", daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(2)
        for conn in held:
            conn.close()
        listener.close()


def environment(port: int, timeout: float) -> dict[str, str]:
    """Our environment minus any cluster settings, plus the silent server as K8S_SERVER."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("K8S_", "KUBE_MCP_", "KUBECONFIG"))}
    env.update(
        K8S_SERVER=f"https://127.0.0.1:{port}",
        K8S_TOKEN="benchmark-token-never-valid",
        K8S_SKIP_TLS_VERIFY="true",
        KUBE_MCP_REQUEST_TIMEOUT=f"{timeout:g}",
    )
    return env


def peer_environment(port: int, folder: str) -> dict[str, str]:
    """For a peer: a kubeconfig naming the silent server (peers have no K8S_SERVER of ours)."""
    path = Path(folder) / "silent-kubeconfig"
    path.write_text(KUBECONFIG.format(port=port))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("K8S_", "KUBE_MCP_", "KUBECONFIG"))}
    return {**env, "KUBECONFIG": str(path)}


def call_once(
    server: stdio_rpc.StdioServer, tool: str, arguments: dict[str, Any], result: SilentResult
) -> None:
    """Start the server, then time one tools/call; an RpcError becomes `result.error`."""
    try:
        server.initialize()
        server.list_tools()
        started = time.perf_counter()
        try:
            answer = server.call_tool(tool, arguments, timeout=result.wait)
        finally:
            result.elapsed = time.perf_counter() - started
        result.is_error = bool(answer.get("isError"))
        result.text = stdio_rpc.one_line(stdio_rpc.tool_text(answer), 200)
    except stdio_rpc.RpcError as exc:
        result.error = result.text = stdio_rpc.one_line(str(exc), 200)


def measure(argv: Sequence[str], timeout: float = 3.0) -> SilentResult:
    """kube-mcp with KUBE_MCP_REQUEST_TIMEOUT=`timeout` against the silent server."""
    result = SilentResult("kube-mcp", timeout, wait=timeout * 10 + 30, tool="list_namespaces")
    with silent_listener() as port, stdio_rpc.StdioServer(argv, environment(port, timeout)) as server:
        call_once(server, result.tool, {}, result)
    return result


def measure_peer(
    name: str, argv: Sequence[str], tool: str, arguments: dict[str, Any], wait: float
) -> SilentResult:
    """A peer with its own defaults (it has no setting of ours), given up on after `wait` seconds."""
    result = SilentResult(name, None, wait=wait, tool=tool)
    with (
        tempfile.TemporaryDirectory() as folder,
        silent_listener() as port,
        stdio_rpc.StdioServer(argv, peer_environment(port, folder)) as server,
    ):
        call_once(server, tool, arguments, result)
    return result
