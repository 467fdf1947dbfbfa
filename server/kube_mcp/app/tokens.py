"""The two kinds of bearer token a network caller may present, and how each is checked.

- A static token (KUBE_MCP_AUTH_TOKEN, or KUBE_MCP_AUTH_TOKEN_FILE for a mounted Secret). The file
  is re-read when its mtime, size or inode changes, so rotating the Secret needs no restart
  (kubelet swaps the `..data` symlink, which changes all three). Compared in constant time.
- A Kubernetes ServiceAccount token minted for *our* audience (`kubectl create token <sa>
  --audience kube-mcp`), checked by a TokenReview naming that audience. A token meant for the API
  server fails that review, so a stolen kubectl token does not open this server. Positive answers
  are cached for 60 s and refusals for 10 s, keyed by the token's SHA-256, so a busy client costs
  one TokenReview a minute; the cache holds at most 4096 entries.

Neither token is ever sent anywhere but to the TokenReview API: our calls to the API server use
the server's own credentials.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import logging
import os
import time
from collections.abc import Callable

from kube_mcp.k8s import types as k8s_types

log = logging.getLogger(__name__)

POSITIVE_TTL = 60.0  # seconds a verified token stays verified without asking again
NEGATIVE_TTL = 10.0  # seconds a refused token stays refused (stops a retry loop hammering the API)
MAX_CACHED = 4096  # ~0.5 MB at most; enough for every client of one server


class StaticToken:
    """The operator's shared token, from a value or a file that may be rotated under us."""

    def __init__(self, value: str | None, path: str | None) -> None:
        self._value = value.strip().encode() if value else None
        self._path = path
        self._stamp: tuple[int, int, int] | None = None
        self._warned = False

    def matches(self, token: str) -> bool:
        current = self._current()
        return current is not None and hmac.compare_digest(current, token.encode())

    def _current(self) -> bytes | None:
        if self._path is None:
            return self._value
        try:
            info = os.stat(self._path)
            stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
            if stamp != self._stamp:
                with open(self._path, "rb") as handle:
                    self._value = handle.read().strip() or None
                self._stamp = stamp
                self._warned = False
        except OSError as err:
            if not self._warned:
                log.warning("cannot read the auth token file %s: %s", self._path, err.strerror)
                self._warned = True
            return None
        return self._value


@dataclasses.dataclass(frozen=True, slots=True)
class _Entry:
    identity: k8s_types.Identity | None
    expires: float


class TokenReviews:
    """TokenReview with our audience, behind a small time-bounded cache."""

    def __init__(
        self, cluster: k8s_types.ClusterApi, audience: str, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._cluster = cluster
        self._audience = audience
        self._clock = clock
        self._cache: dict[str, _Entry] = {}

    async def review(self, token: str) -> k8s_types.Identity | None:
        """Who the token belongs to, or None when it was not issued for our audience.

        Raises `kube_mcp.k8s.errors.KubeError` when the review itself failed (not cached)."""
        key = hashlib.sha256(token.encode()).hexdigest()
        now = self._clock()
        entry = self._cache.get(key)
        if entry is not None and entry.expires > now:
            return entry.identity
        identity = await self._cluster.review_token(token, (self._audience,))
        if identity is not None and self._audience not in identity.audiences:
            identity = None  # the API server must echo our audience; anything else is not for us
        self._remember(key, identity, now)
        return identity

    def _remember(self, key: str, identity: k8s_types.Identity | None, now: float) -> None:
        if len(self._cache) >= MAX_CACHED:
            self._cache = {k: e for k, e in self._cache.items() if e.expires > now}
            while len(self._cache) >= MAX_CACHED:
                del self._cache[next(iter(self._cache))]  # oldest first: dicts keep insertion order
        ttl = POSITIVE_TTL if identity is not None else NEGATIVE_TTL
        self._cache[key] = _Entry(identity, now + ttl)
