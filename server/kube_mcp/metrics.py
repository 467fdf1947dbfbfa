"""Prometheus metrics: every series the server exports, on an injected registry.

One `Metrics` object per process, built by the entry point with its own `CollectorRegistry`
(the global default registry would make every test that builds a server collide on duplicated
series). Labels come only from fixed vocabularies: tool names from the catalog, outcomes, verbs,
status classes, transports and redaction kinds. Anything else is folded into "other", so a
caller can never grow a label set without bound (no namespace, pod, user or argument labels).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import prometheus_client

OUTCOMES = frozenset({"ok", "error", "refused", "invalid"})
VERBS = frozenset({"get", "list", "create", "patch", "delete", "logs", "version", "discovery", "review"})
TRANSPORTS = frozenset({"sse", "streamable_http", "stdio"})
REDACTION_KINDS = frozenset({"secret", "env", "last_applied"})

# Tool calls run from ~5 ms (cached discovery, small list) to the 10 s request timeout and a
# little beyond with retries; the API server answers in 1 ms to 10 s.
TOOL_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
API_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def _fold(value: str, allowed: frozenset[str]) -> str:
    return value if value in allowed else "other"


def code_class(status: int | None) -> str:
    """404 -> "4xx"; None (no HTTP answer: timeout, refused connection) -> "none"."""
    if status is None or not 100 <= status <= 599:
        return "none"
    return f"{status // 100}xx"


class Metrics:
    """All of kube-mcp's metric objects, prefix `kube_mcp_`, registered on `registry`."""

    def __init__(self, registry: prometheus_client.CollectorRegistry) -> None:
        self.tool_calls = prometheus_client.Counter(
            "kube_mcp_tool_calls",
            "Tool calls by tool and outcome (ok, error, refused, invalid).",
            ["tool", "outcome"],
            registry=registry,
        )
        self.tool_seconds = prometheus_client.Histogram(
            "kube_mcp_tool_call_seconds",
            "Time from a tool call's arrival to its answer.",
            ["tool"],
            buckets=TOOL_BUCKETS,
            registry=registry,
        )
        self.tools_in_flight = prometheus_client.Gauge(
            "kube_mcp_tool_calls_in_flight", "Tool calls being served now.", registry=registry
        )
        self.sessions = prometheus_client.Gauge(
            "kube_mcp_sessions_open", "Open MCP sessions by transport.", ["transport"], registry=registry
        )
        self.api_requests = prometheus_client.Counter(
            "kube_mcp_api_requests",
            "Requests to the Kubernetes API server by verb and status class.",
            ["verb", "code_class"],
            registry=registry,
        )
        self.api_seconds = prometheus_client.Histogram(
            "kube_mcp_api_request_seconds",
            "Kubernetes API request latency by verb.",
            ["verb"],
            buckets=API_BUCKETS,
            registry=registry,
        )
        self.redactions = prometheus_client.Counter(
            "kube_mcp_redactions",
            "Values hidden from tool output, by kind (secret, env, last_applied).",
            ["kind"],
            registry=registry,
        )
        self.rate_limited_requests = prometheus_client.Counter(
            "kube_mcp_rate_limited",
            "MCP requests refused with 429 (caller over its rate, or too many failed logins), by transport.",
            ["transport"],
            registry=registry,
        )

    def observe_tool(self, tool: str, outcome: str, seconds: float) -> None:
        """Count one finished call; `tool` must come from the catalog (the server passes "unknown")."""
        self.tool_calls.labels(tool=tool, outcome=_fold(outcome, OUTCOMES)).inc()
        self.tool_seconds.labels(tool=tool).observe(seconds)

    @contextlib.contextmanager
    def in_flight(self) -> Iterator[None]:
        self.tools_in_flight.inc()
        try:
            yield
        finally:
            self.tools_in_flight.dec()

    def session_opened(self, transport: str) -> None:
        self.sessions.labels(transport=_fold(transport, TRANSPORTS)).inc()

    def session_closed(self, transport: str) -> None:
        self.sessions.labels(transport=_fold(transport, TRANSPORTS)).dec()

    def observe_api(self, verb: str, status: int | None, seconds: float) -> None:
        """One API server request; the k8s layer's `on_request` hook lands here."""
        verb = _fold(verb, VERBS)
        self.api_requests.labels(verb=verb, code_class=code_class(status)).inc()
        self.api_seconds.labels(verb=verb).observe(seconds)

    def rate_limited(self, transport: str) -> None:
        """One request answered 429; `transport` is sse or streamable_http (else "other")."""
        self.rate_limited_requests.labels(transport=_fold(transport, TRANSPORTS)).inc()

    def redacted(self, kind: str, n: int = 1) -> None:
        if n > 0:
            self.redactions.labels(kind=_fold(kind, REDACTION_KINDS)).inc(n)
