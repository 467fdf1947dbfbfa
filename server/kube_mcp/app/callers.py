"""Who is calling: the decision every MCP request passes before it reaches a transport.

    bearer token sent      -> static token?          "token:static"
                              TokenReview (our aud)? "serviceaccount:<ns>:<sa>" or "user:<name>"
                              neither                 refused (401), even from loopback
    no token, loopback     -> "loopback" when KUBE_MCP_TRUST_LOOPBACK (the default)
    no token, network      -> "unauthenticated" only with KUBE_MCP_UNSAFE_ALLOW_UNAUTHENTICATED
                              otherwise refused (401)

Why loopback is trusted: `kubectl port-forward` arrives from 127.0.0.1 inside the pod, and the API
server has already checked that the user may port-forward to this pod. A service-mesh sidecar
also connects from loopback, which is why the trust is a setting. A token that was sent but does
not verify is refused rather than ignored, so a misconfigured client learns it at once.
The caller string names the principal sessions are bound to and goes into the audit line.

Every request that could end in a 401 or cost a TokenReview (any token but the static one, or
no token from a network peer) first takes one unit from its peer address's failed-attempt
bucket (ratelimit.py, 5/s, burst 10), which is given back when the caller is accepted. An empty
bucket answers 429 before any check, so a flood of random tokens from one address makes at most
~10 TokenReviews and then 5 a second; a verified token is cached (tokens.py) as before. While an
address is throttled its ServiceAccount-token callers wait too (a token cannot be told from a
forged one without checking it); the static token and trusted loopback are never held up.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import logging

from kube_mcp import config
from kube_mcp.app import ratelimit, tokens
from kube_mcp.k8s import errors
from kube_mcp.k8s import types as k8s_types

log = logging.getLogger(__name__)

SERVICEACCOUNT_PREFIX = "system:serviceaccount:"
HOW_TO_AUTHENTICATE = (
    "network callers must send 'Authorization: Bearer <token>' (the static token, or a ServiceAccount "
    "token from 'kubectl create token <sa> --audience {audience}')"
)


@dataclasses.dataclass(frozen=True, slots=True)
class Verdict:
    """`caller` when accepted; else the HTTP status and a one-line reason for the refusal."""

    caller: str | None
    status: int = 200
    reason: str = ""
    retry_after: int = 0  # whole seconds, for a 429


def is_loopback(peer: str | None) -> bool:
    """Whether the TCP peer address is loopback (127.0.0.0/8, ::1, or ::ffff:127.x.y.z)."""
    if not peer:
        return False
    try:
        address = ipaddress.ip_address(peer.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header; "" when the header is not that."""
    if authorization is None:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def caller_name(identity: k8s_types.Identity) -> str:
    """`serviceaccount:<ns>:<sa>` for ServiceAccounts, `user:<name>` for anyone else."""
    if identity.username.startswith(SERVICEACCOUNT_PREFIX):
        return "serviceaccount:" + identity.username.removeprefix(SERVICEACCOUNT_PREFIX)
    return "user:" + identity.username


class Callers:
    """Classifies each request's caller; see the module docstring for the rules."""

    def __init__(
        self,
        settings: config.Settings,
        cluster: k8s_types.ClusterApi,
        *,
        failures: ratelimit.Limiter | None = None,
    ) -> None:
        self._failures = ratelimit.failed_auth_limiter() if failures is None else failures
        self._trust_loopback = settings.trust_loopback
        self._unsafe = settings.unsafe_allow_unauthenticated
        self._static = tokens.StaticToken(settings.auth_token, settings.auth_token_file)
        audience = settings.token_audience
        self._reviews = tokens.TokenReviews(cluster, audience) if audience else None
        self._how_to_authenticate = HOW_TO_AUTHENTICATE.format(audience=audience or "<audience>")
        if self._unsafe:
            log.warning(
                "UNSAFE: KUBE_MCP_UNSAFE_ALLOW_UNAUTHENTICATED is on: anyone who can reach this port "
                "can use this server's Kubernetes credentials without a token"
            )

    async def identify(self, peer: str | None, authorization: str | None) -> Verdict:
        token = bearer_token(authorization)
        if token and self._static.matches(token):
            return Verdict("token:static")
        if token is None and self._trust_loopback and is_loopback(peer):
            return Verdict("loopback")
        if token is None and self._unsafe:
            return Verdict("unauthenticated")
        return await self._charged(ratelimit.failed_auth_key(peer), token)

    async def _charged(self, key: str, token: str | None) -> Verdict:
        """The checks that may fail or call the API server, paid for up front by the peer."""
        wait = self._failures.take(key)
        if wait > 0:
            limit = ratelimit.describe(self._failures, "address")
            reason = f"too many failed authentication attempts from this address: at most {limit}"
            return Verdict(None, 429, reason, ratelimit.retry_after(wait))
        verdict = await self._check(token)
        if verdict.caller is not None:
            self._failures.refund(key)
        return verdict

    async def _check(self, token: str | None) -> Verdict:
        if token == "":
            return Verdict(None, 401, "the Authorization header must be 'Bearer <token>'")
        if token is None:
            return Verdict(None, 401, self._how_to_authenticate)
        return await self._review(token)

    async def _review(self, token: str) -> Verdict:
        if self._reviews is not None:
            try:
                identity = await self._reviews.review(token)
            except errors.KubeError as err:
                log.warning("TokenReview failed: %s", err)
                return Verdict(None, 503, f"the bearer token could not be verified now: {err}")
            if identity is not None:
                return Verdict(caller_name(identity))
        return Verdict(None, 401, "the bearer token was not accepted")
