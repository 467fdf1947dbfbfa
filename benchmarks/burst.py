"""A burst from one caller while another keeps calling: the per-caller rate limit at work.

kube-mcp runs over HTTP on a free loopback port with its default limit (KUBE_MCP_RATE_LIMIT 20
requests a second per caller, KUBE_MCP_RATE_BURST 40), a static token, and KUBE_MCP_STATELESS so
each POST /mcp is one whole tools/call. Two callers with different identities, at the same time:

    burst   the loopback caller (no token): N calls at 100 a second (5 x the limit)
    steady  the static-token caller ("token:static"): one call every 0.1 s (10 a second, half the
            limit) for as long as the burst lasts

Counted per caller: answers 200, 429 with a Retry-After header (and its values), anything else,
and latencies; then kube_mcp_rate_limited_total from /metrics, which must equal the 429s. The
call is list_namespaces when a cluster answers, tools/list otherwise (the limit is decided before
the body is read). Connections are not kept alive: on a kept-alive one this client waits ~40 ms a
request for a delayed ACK, which would pace the burst under the limit by itself.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import secrets
import time
from typing import Any

import environment
import load
import report
import stdio_rpc

BURST_RATE = 100.0  # calls a second the bursting caller tries
STEADY_GAP = 0.1  # seconds between the steady caller's calls
LIMIT, BURST = 20.0, 40  # the server's defaults, for the expected figure
HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/json, text/event-stream",
    "MCP-Protocol-Version": "2025-11-25",
}


@dataclasses.dataclass(slots=True)
class Caller:
    name: str
    sent: int = 0
    served: int = 0
    limited: int = 0  # 429 with a Retry-After header
    bare_429: int = 0  # 429 without one: must stay 0
    other: int = 0  # any other answer, or a call that failed
    first_other: str = ""
    retry_after: list[int] = dataclasses.field(default_factory=list)
    latencies: list[float] = dataclasses.field(default_factory=list)

    def record(self, status: int, retry_after: str | None, text: str, seconds: float) -> None:
        self.sent += 1
        self.latencies.append(seconds)
        if status == 200 and answered(text):
            self.served += 1
        elif status == 429 and retry_after and retry_after.isdigit():
            self.limited += 1
            self.retry_after.append(int(retry_after))
        elif status == 429:
            self.bare_429 += 1
        else:
            self.other += 1
            self.first_other = self.first_other or stdio_rpc.one_line(f"{status} {text}")

    def pct_ms(self, q: float) -> float:
        ordered = sorted(self.latencies) or [0.0]
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def answered(text: str) -> bool:
    """Whether an SSE-framed JSON-RPC answer is a result that is not an error."""
    for line in text.splitlines():
        if line.startswith("data:"):
            message = json.loads(line[5:])
            return "result" in message and not message["result"].get("isError", False)
    return False


def call_body(cluster_up: bool) -> bytes:
    if cluster_up:
        params: dict[str, Any] = {"name": "list_namespaces", "arguments": {}}
        return json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params}).encode()
    return b'{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}'


async def one(http: Any, url: str, body: bytes, headers: dict[str, str], caller: Caller) -> None:
    started = time.perf_counter()
    try:
        response = await http.post(url, content=body, headers={**HEADERS, **headers})
    except Exception as exc:  # a failed call is counted, not the end of the run
        caller.record(0, None, f"{type(exc).__name__}: {exc}", time.perf_counter() - started)
        return
    caller.record(response.status_code, response.headers.get("retry-after"), response.text, 0.0)
    caller.latencies[-1] = time.perf_counter() - started


async def measure(base: str, token: str, calls: int, body: bytes) -> tuple[Caller, Caller, float, float]:
    """(burst caller, steady caller, seconds the burst took, kube_mcp_rate_limited_total)."""
    import anyio
    import httpx2

    burst, steady = Caller("burst: loopback"), Caller("steady: token:static")
    url, done = base + "/mcp", anyio.Event()

    async def keep_calling() -> None:
        while not done.is_set():
            await one(http, url, body, {"Authorization": f"Bearer {token}"}, steady)
            with anyio.move_on_after(STEADY_GAP):
                await done.wait()

    async with httpx2.AsyncClient(timeout=30, limits=httpx2.Limits(max_keepalive_connections=0)) as http:
        started = time.perf_counter()
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(keep_calling)
            async with anyio.create_task_group() as calling:
                for i in range(calls):
                    await anyio.sleep(max(0.0, started + i / BURST_RATE - time.perf_counter()))
                    calling.start_soon(one, http, url, body, {}, burst)
            seconds = time.perf_counter() - started
            done.set()
        counted = await rate_limited_total(http, base)
    return burst, steady, seconds, counted


async def rate_limited_total(http: Any, base: str) -> float:
    text = (await http.get(base + "/metrics")).text
    prefix = "kube_mcp_rate_limited_total{"
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(prefix))


def section(args: argparse.Namespace, cluster: environment.Cluster, targets: list[report.Target]) -> None:
    """The burst table, the expected figure, and the target line."""
    import anyio

    calls = 150 if args.quick else 300
    what = "list_namespaces" if cluster.up else "tools/list (no cluster)"
    report.heading(f"A burst of {calls} {what} at {BURST_RATE:g}/s from one caller, another at 10/s")
    token = secrets.token_urlsafe(24)
    env = {**environment.server_env(cluster.kubeconfig), "KUBE_MCP_AUTH_TOKEN": token}
    env["KUBE_MCP_STATELESS"] = "1"
    try:
        with load.http_server(environment.server_argv(), env) as (_, base):
            burst, steady, seconds, counted = anyio.run(measure, base, token, calls, call_body(cluster.up))
    except RuntimeError as exc:
        report.line(f"unavailable: {exc}")
        targets.append(
            report.Target("burst", str(exc), "429 + Retry-After for one, none for the other", False)
        )
        return
    report.table(
        ["caller", "sent", "served", "429+Retry-After", "Retry-After s", "other", "p50 ms", "p95 ms"],
        [row(c) for c in (burst, steady)],
    )
    for c in (burst, steady):
        if c.first_other or c.bare_429:
            report.line(
                f"{c.name}: {c.bare_429} 429s without Retry-After; first other answer: {c.first_other}"
            )
    expected = BURST + LIMIT * seconds
    report.line(
        f"burst lasted {seconds:.2f} s: {burst.served} served, expected about {expected:.0f} "
        f"({BURST} at once + {LIMIT:g}/s); kube_mcp_rate_limited_total {counted:g}"
    )
    passed = burst.limited > 0 and burst.bare_429 == 0 and steady.limited == steady.bare_429 == 0
    passed = passed and steady.other == 0 and counted == burst.limited
    measured = (
        f"burst: {burst.limited}/{burst.sent} got 429 + Retry-After; steady: {steady.limited}/{steady.sent}"
    )
    targets.append(
        report.Target("burst from one caller", measured, "429 for the burst only, counted", passed)
    )


def row(c: Caller) -> list[str]:
    span = f"{min(c.retry_after)}-{max(c.retry_after)}" if c.retry_after else "-"
    figures = [c.sent, c.served, c.limited, span, c.other + c.bare_429, f"{c.pct_ms(0.5):.1f}"]
    return [c.name, *(str(f) for f in figures), f"{c.pct_ms(0.95):.1f}"]
