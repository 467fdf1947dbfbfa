"""`kubectl port-forward svc/<release> :3000`, as a user runs it, for the length of a block.

kubectl picks a free local port and prints `Forwarding from 127.0.0.1:<port> -> 3000`; we read
that line (bounded wait) and keep draining its output, since it prints a line per connection and
a full pipe would stall the forward. The process is ended by its own pid when the block exits.
"""

from __future__ import annotations

import contextlib
import queue
import re
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import IO

import e2e_tools

READY_TIMEOUT = 30  # kubectl resolves the Service to a pod and binds in well under a second here
FORWARD_LINE = re.compile(r"Forwarding from 127\.0\.0\.1:(\d+) ->")


@contextlib.contextmanager
def port_forward(kubeconfig: str, namespace: str, target: str, remote: int = 3000) -> Iterator[str]:
    """Yields `http://127.0.0.1:<port>` forwarding to `target` (e.g. `svc/<release>`)."""
    cmd = [
        e2e_tools.binary("kubectl"), "--kubeconfig", kubeconfig, "-n", namespace,
        "port-forward", "--address", "127.0.0.1", target, f":{remote}",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    threading.Thread(target=_drain, args=(proc.stdout, lines), daemon=True).start()
    try:
        port = _wait_for_port(proc, lines)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _drain(stream: IO[str], lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)


def _wait_for_port(proc: subprocess.Popen[str], lines: queue.Queue[str]) -> int:
    deadline = time.monotonic() + READY_TIMEOUT
    seen: list[str] = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            if proc.poll() is not None:
                break
            continue
        seen.append(line)
        match = FORWARD_LINE.search(line)
        if match:
            return int(match.group(1))
    raise AssertionError(f"kubectl port-forward did not start within {READY_TIMEOUT}s:\n{''.join(seen)}")


def http_get(url: str, *, timeout: float = 15) -> tuple[int, str]:
    """GET `url`; returns (status, body) for any HTTP status, raising only on no answer."""
    return http_request(url, timeout=timeout)


def http_request(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None, timeout: float = 15
) -> tuple[int, str]:
    """GET (or POST with `data`) `url`; returns (status, body) for any HTTP status."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(errors="replace")
