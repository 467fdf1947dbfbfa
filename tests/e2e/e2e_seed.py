"""The seed README's SSE demo, typed with curl exactly as the README shows it.

1. `curl <url>/sse` prints `event: endpoint` / `data: /messages?sessionId=<id>`.
2. `curl -X POST -H "Content-Type: application/json" -d '<body>' "<url>/messages?sessionId=<id>"`
   is accepted (202) and an `event: message` carrying the JSON-RPC answer appears on stream 1.
The demo sends no `initialize` and puts `namespace` beside `name` rather than in `arguments`.
"""

from __future__ import annotations

import json
import queue
import re
import subprocess
import threading
import time
from dataclasses import dataclass
from typing import IO, Any

import e2e_tools

STREAM_TIMEOUT = 30  # the endpoint event comes at once; the answer after one list request
ENDPOINT_DATA = re.compile(r"^/messages\?sessionId=([A-Za-z0-9_-]+)$")


# Verbatim from the seed README's curl command.
README_BODY = (
    '{"jsonrpc": "2.0", "id": 1234, "method": "tools/call", '
    '"params": {"name": "list_pods", "namespace": "default"}}'
)


def seed_body(namespace: str) -> str:
    """The README's request body, with only the namespace value changed."""
    return README_BODY.replace('"namespace": "default"', f'"namespace": "{namespace}"')


@dataclass
class SeedAnswer:
    endpoint: str  # the `data:` of the endpoint event
    post_status: str  # curl's %{http_code} for the POST
    message: dict[str, Any]  # the JSON-RPC message answering id 1234


def run_seed_flow(base_url: str, body: str) -> SeedAnswer:
    """GET /sse with curl, POST `body` to the announced endpoint, read the answer off the stream."""
    curl = e2e_tools.binary("curl")
    stream = subprocess.Popen([curl, "-sS", "-N", f"{base_url}/sse"], stdout=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    assert stream.stdout is not None
    threading.Thread(target=_drain, args=(stream.stdout, lines), daemon=True).start()
    try:
        deadline = time.monotonic() + STREAM_TIMEOUT
        endpoint = _next_event(lines, "endpoint", deadline)
        assert ENDPOINT_DATA.match(endpoint), f"endpoint event is not the seed's form: {endpoint!r}"
        post = e2e_tools.run(
            [curl, "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
             "-H", "Content-Type: application/json", "-d", body, f"{base_url}{endpoint}"],
            timeout=STREAM_TIMEOUT,
        )  # fmt: skip
        message: dict[str, Any] = {}
        while message.get("id") != 1234:
            message = json.loads(_next_event(lines, "message", deadline))
        return SeedAnswer(endpoint, post.stdout.strip(), message)
    finally:
        stream.terminate()
        stream.wait(timeout=10)


def _drain(stream: IO[str], lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line.rstrip("\r\n"))


def _next_event(lines: queue.Queue[str], wanted: str, deadline: float) -> str:
    """The data of the next SSE event named `wanted` (other events and `:` comments skipped)."""
    event, data = "message", []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"no `event: {wanted}` on the SSE stream within {STREAM_TIMEOUT}s")
        try:
            line = lines.get(timeout=min(remaining, 1.0))
        except queue.Empty:
            continue
        if line.startswith("event:"):
            event = line.partition(":")[2].strip()
        elif line.startswith("data:"):
            data.append(line.partition(":")[2].removeprefix(" "))
        elif line == "":
            if event == wanted and data:
                return "\n".join(data)
            event, data = "message", []
