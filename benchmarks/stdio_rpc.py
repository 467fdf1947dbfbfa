"""A bare MCP client over stdio: raw JSON-RPC lines on a pipe, no SDK.

The cold-start figures compare servers, so the client must add nothing of its own: it imports only
the standard library, writes one JSON object per line to the server's stdin and reads lines from
its stdout with a deadline (`selectors`, so a silent server cannot hang the benchmark). The server
runs in its own session so `close()` can end it and any children it spawned (npx-style wrappers)
by its process-group id.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from typing import Any

PROTOCOL_VERSION = "2025-11-25"
CLIENT_INFO = {"name": "kube-mcp-bench", "version": "0.1.0"}


class RpcError(RuntimeError):
    """The server answered with a JSON-RPC error, closed its stdout, or missed a deadline."""


class StdioServer:
    """One server process spoken to over stdin/stdout; `started` is the perf_counter at spawn."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str], cwd: str | None = None) -> None:
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close(); a file, not a pipe: a chatty server never blocks on it
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=dict(env),
            cwd=cwd,
            bufsize=0,
            start_new_session=True,
        )
        self._selector = selectors.DefaultSelector()
        assert self.proc.stdout is not None
        self._selector.register(self.proc.stdout, selectors.EVENT_READ)
        self._buffer = b""
        self._next_id = 0

    @property
    def pid(self) -> int:
        return self.proc.pid

    def send(self, message: Mapping[str, Any]) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(message, separators=(",", ":")).encode() + b"\n")
        except BrokenPipeError:
            raise RpcError(f"server exited early: {self.stderr_tail()}") from None

    def notify(self, method: str, params: Mapping[str, Any] | None = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, **({"params": params} if params else {})})

    def request(self, method: str, params: Mapping[str, Any] | None = None, timeout: float = 30.0) -> Any:
        """Send one request and return its `result`; answers other traffic the server sends meanwhile."""
        self._next_id += 1
        rid = self._next_id
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": dict(params or {})})
        deadline = time.monotonic() + timeout
        while True:
            message = self._read_message(deadline)
            if message.get("id") == rid and "method" not in message:
                if "error" in message:
                    raise RpcError(f"{method}: {message['error'].get('message', message['error'])}")
                return message.get("result")
            if "method" in message and "id" in message:  # a server->client request (ping, roots/list)
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": {}})

    def initialize(self, timeout: float = 60.0) -> Any:
        result = self.request(
            "initialize",
            {"protocolVersion": PROTOCOL_VERSION, "capabilities": {}, "clientInfo": CLIENT_INFO},
            timeout,
        )
        self.notify("notifications/initialized")
        return result

    def list_tools(self, timeout: float = 60.0) -> list[dict[str, Any]]:
        """Every tool, following `nextCursor` pages."""
        tools: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            result = self.request("tools/list", {"cursor": cursor} if cursor else {}, timeout)
            tools.extend(result.get("tools", []))
            cursor = result.get("nextCursor")
            if not cursor:
                return tools

    def call_tool(self, name: str, arguments: Mapping[str, Any], timeout: float = 60.0) -> dict[str, Any]:
        result: dict[str, Any] = self.request(
            "tools/call", {"name": name, "arguments": dict(arguments)}, timeout
        )
        return result

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RpcError("no answer before the deadline")
            if not self._selector.select(left):
                continue
            assert self.proc.stdout is not None
            chunk = os.read(self.proc.stdout.fileno(), 1 << 16)
            if not chunk:
                raise RpcError(f"server closed stdout: {self.stderr_tail()}")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        if not line.strip():
            return {}
        try:
            message: dict[str, Any] = json.loads(line)
        except ValueError:
            return {}  # a server that logs to stdout: not a message, skip it
        return message

    def stderr_text(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    def stderr_tail(self) -> str:
        """The last line the server wrote to stderr: for a crash, the exception and its message."""
        lines = [text for text in self.stderr_text().splitlines() if text.strip()]
        return one_line(lines[-1]) if lines else "(no stderr)"

    def close(self, grace: float = 3.0) -> None:
        """Close stdin (the polite stop for stdio servers), then TERM and KILL the process group."""
        if self.proc.stdin and not self.proc.stdin.closed:
            self.proc.stdin.close()
        try:
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGTERM)
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.proc.wait(grace)
        self._signal_group(signal.SIGKILL)  # children a wrapper left behind, same group
        self._selector.close()
        if self.proc.stdout:
            self.proc.stdout.close()
        self._stderr.close()

    def _signal_group(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)  # our child's own group: start_new_session made pgid == pid

    def __enter__(self) -> StdioServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def tool_text(result: Mapping[str, Any]) -> str:
    """The text parts of a tools/call result, joined."""
    return "\n".join(part.get("text", "") for part in result.get("content", []) if part.get("type") == "text")


def one_line(text: str, limit: int = 160) -> str:
    """Text squeezed to one line of at most `limit` characters, for a table cell or a reason."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
