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
"""

from __future__ import annotations

import dataclasses
import ipaddress
import logging

from kube_mcp import config
from kube_mcp.app import tokens
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

    def __init__(self, settings: config.Settings, cluster: k8s_types.ClusterApi) -> None:
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
        if token == "":
            return Verdict(None, 401, "the Authorization header must be 'Bearer <token>'")
        if token is not None:
            return await self._verify(token)
        if self._trust_loopback and is_loopback(peer):
            return Verdict("loopback")
        if self._unsafe:
            return Verdict("unauthenticated")
        return Verdict(None, 401, self._how_to_authenticate)

    async def _verify(self, token: str) -> Verdict:
        if self._static.matches(token):
            return Verdict("token:static")
        if self._reviews is not None:
            try:
                identity = await self._reviews.review(token)
            except errors.KubeError as err:
                log.warning("TokenReview failed: %s", err)
                return Verdict(None, 503, f"the bearer token could not be verified now: {err}")
            if identity is not None:
                return Verdict(caller_name(identity))
        return Verdict(None, 401, "the bearer token was not accepted")
