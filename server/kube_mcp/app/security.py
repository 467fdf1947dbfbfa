"""The guard in front of every MCP route: Host, Origin, caller, rate, body size, in that order.

Host and Origin allow-lists stop DNS rebinding: a web page that resolves its own name to 127.0.0.1
must not reach a port-forwarded server. The defaults are the loopback names (the port-forward
path) and, when our Service name is known, its cluster DNS names; operators add more with
KUBE_MCP_ALLOWED_HOSTS / KUBE_MCP_ALLOWED_ORIGINS. A pattern `name:*` matches `name:<port>`.

Order matters and each step answers with one line:
    Host not allowed      421 (the spec's "misdirected request")
    Origin not allowed    403 (an absent Origin is fine: non-browser clients send none)
    caller refused        401 with `WWW-Authenticate: Bearer` (503 if a TokenReview failed;
                          429 with `Retry-After` after too many failed attempts from one address)
    caller over its rate  429 with `Retry-After` (ratelimit.py), counted in
                          kube_mcp_rate_limited_total{transport}
    body over the cap     413, before anything parses it
The body is never read for a request refused earlier.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence

from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken
from mcp.server.transport_security import RequestBodyLimitMiddleware
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from kube_mcp import config
from kube_mcp.app import callers, contracts, ratelimit
from kube_mcp.policy import caller as caller_policy

log = logging.getLogger(__name__)

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


def default_hosts(settings: config.Settings, namespace: str | None) -> tuple[str, ...]:
    """Host values MCP routes accept: loopback, our Service's DNS names, then the operator's."""
    names = list(LOOPBACK_NAMES)
    if settings.service_name:
        svc = settings.service_name
        names.append(svc)
        if namespace:
            names += [f"{svc}.{namespace}", f"{svc}.{namespace}.svc", f"{svc}.{namespace}.svc.cluster.local"]
    patterns = [form for name in names for form in (name, f"{name}:*")]
    return _unique([*patterns, *settings.allowed_hosts])


def default_origins(settings: config.Settings) -> tuple[str, ...]:
    """Origin values MCP routes accept: pages served from loopback, then the operator's."""
    bases = [f"{scheme}://{name}" for scheme in ("http", "https") for name in LOOPBACK_NAMES]
    patterns = [form for base in bases for form in (base, f"{base}:*")]
    return _unique([*patterns, *settings.allowed_origins])


def matches(value: str, patterns: Iterable[str]) -> bool:
    """Whether `value` equals a pattern, or has the pattern's name and a numeric port for `name:*`.

    Case-insensitive, as DNS names are. `name:*` never matches `name` alone or `name.evil:80`."""
    value = value.strip().lower()
    for pattern in patterns:
        pattern = pattern.strip().lower()
        if pattern.endswith(":*"):
            base, _, port = value.rpartition(":")
            if base == pattern[:-2] and port.isdigit():
                return True
        elif value == pattern:
            return True
    return False


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def refusal(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A one-line JSON body: `{"error": "..."}` reads well in curl and parses in clients."""
    body = json.dumps({"error": message}) + "\n"
    return Response(body, status_code=status, media_type="application/json", headers=headers)


class McpGuard:
    """ASGI middleware wrapping all MCP routes; see the module docstring for the order of checks."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        hosts: Sequence[str],
        origins: Sequence[str],
        callers: callers.Callers,
        limits: ratelimit.Limiter,
        metrics: contracts.RateMetrics,
        max_body_bytes: int,
    ) -> None:
        self._hosts = tuple(hosts)
        self._origins = tuple(origins)
        self._callers = callers
        self._limits = limits
        self._metrics = metrics
        self._app = RequestBodyLimitMiddleware(app, max_body_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self._app(scope, receive, send)
        refused = await self._check(scope)
        if refused is not None:
            return await refused(scope, receive, send)
        await self._app(scope, receive, send)

    async def _check(self, scope: Scope) -> Response | None:
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if not matches(host, self._hosts):
            # debug, like the 429 path: refusals come before any caller check, so a flood of them
            # from an unauthenticated peer must not become a flood of log lines.
            log.debug(
                "refused Host %r on %s (allowed: %s)", host[:100], scope["path"], ", ".join(self._hosts)
            )
            return refusal(421, "Host header not allowed on MCP routes; add it to KUBE_MCP_ALLOWED_HOSTS")
        origin = headers.get("origin")
        if origin is not None and not matches(origin, self._origins):
            log.debug("refused Origin %r on %s", origin[:100], scope["path"])
            return refusal(403, "Origin not allowed on MCP routes; add it to KUBE_MCP_ALLOWED_ORIGINS")
        client = scope.get("client")
        verdict = await self._callers.identify(client[0] if client else None, headers.get("authorization"))
        if verdict.caller is None:
            return self._refuse_caller(scope, verdict)
        wait = self._limits.take(verdict.caller)
        if wait > 0:
            limit = ratelimit.describe(self._limits, "caller")
            return self._too_many(scope, f"rate limit exceeded: at most {limit}", ratelimit.retry_after(wait))
        bind_caller(scope, verdict.caller)
        return None

    def _refuse_caller(self, scope: Scope, verdict: callers.Verdict) -> Response:
        if verdict.status == 429:
            return self._too_many(scope, verdict.reason, verdict.retry_after)
        client = scope.get("client")
        log.info(
            "refused caller from %s on %s: %s", client[0] if client else "?", scope["path"], verdict.reason
        )
        extra = {"WWW-Authenticate": 'Bearer realm="kube-mcp"'} if verdict.status == 401 else None
        return refusal(verdict.status, verdict.reason, extra)

    def _too_many(self, scope: Scope, reason: str, seconds: int) -> Response:
        """429 before the body is read; debug-logged only, since a flood must not flood the log."""
        self._metrics.rate_limited(transport_of(scope["path"]))
        log.debug("429 on %s: %s", scope["path"], reason)
        return refusal(429, f"{reason}; retry after {seconds} s", {"Retry-After": str(seconds)})


def transport_of(path: str) -> str:
    """The metrics label of an MCP route: /mcp is Streamable HTTP, /sse and /messages legacy SSE."""
    if path == "/mcp" or path.startswith("/mcp/"):
        return "streamable_http"
    if path == "/sse" or path.startswith("/messages"):
        return "sse"
    return "other"


def bind_caller(scope: Scope, caller: str) -> None:
    """Record who is calling: for our handlers (request.state) and for the SDK's session binding.

    The SDK's Streamable HTTP manager ties each session to `scope["user"]` and answers 404 to any
    other principal; the token itself is not kept (the field is required, so it holds nothing)."""
    scope.setdefault("state", {})[caller_policy.STATE_KEY] = caller
    scope["user"] = AuthenticatedUser(AccessToken(token="", client_id=caller, scopes=[]))


def caller_of(scope: Scope) -> str:
    """The caller `McpGuard` recorded for this request."""
    caller = scope.get("state", {}).get(caller_policy.STATE_KEY)
    if not isinstance(caller, str):
        raise RuntimeError("MCP route reached without McpGuard")  # a wiring bug, never a client's fault
    return caller
