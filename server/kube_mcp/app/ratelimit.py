"""Token buckets keyed by a string: how one caller is kept from starving the others, and how a
flood of made-up bearer tokens is kept from becoming a flood of TokenReviews.

The app builds two limiters (asgi.py):
    per caller       KUBE_MCP_RATE_LIMIT requests a second (default 20), bucket KUBE_MCP_RATE_BURST
                     (40), keyed by the caller string: "loopback", "token:static",
                     "serviceaccount:<ns>:<sa>". Every port-forward user is the one "loopback".
    failed attempts  FAILED_AUTH_RATE (5/s), bucket FAILED_AUTH_BURST (10), keyed
                     "unauthenticated:<peer ip>". callers.py charges it before a request's
                     credentials are checked (so before any TokenReview, even for requests that
                     arrive together) and gives the unit back when the caller is accepted.
Over either limit the guard answers 429 with `Retry-After` before the body is read.

A bucket holds at most `burst` tokens and gains `rate` a second; a request takes one. Memory is
bounded: at most MAX_KEYS buckets (~150 bytes each, ~0.6 MB), the least recently used dropped
first. A dropped key comes back with a full bucket, which errs only toward letting a caller in;
each key is still limited on its own. Not thread-safe: used on the event loop only, where no two
requests interleave between reading a bucket and updating it.
"""

from __future__ import annotations

import collections
import dataclasses
import math
import time
from collections.abc import Callable

MAX_KEYS = 4096  # as many as the TokenReview cache: every client of one server, with room to spare
FAILED_AUTH_RATE = 5.0  # failed attempts a second per peer address: a mistyped token is a few
FAILED_AUTH_BURST = 10  # a client retrying a bad token a few times is not throttled at once
FAILED_AUTH_PREFIX = "unauthenticated:"
EPSILON = 1e-9  # float refills (0.05 s x 20/s) may land a hair under one whole token


@dataclasses.dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float  # clock reading of the last refill


class Limiter:
    """Token buckets by key, with a bounded number of keys; `rate` 0 lets everything through."""

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        max_keys: int = MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate < 0 or burst < 1 or max_keys < 1:
            raise ValueError("rate must be >= 0, burst and max_keys >= 1")
        self.rate = rate
        self.burst = burst
        self._max_keys = max_keys
        self._clock = clock
        self._buckets: collections.OrderedDict[str, _Bucket] = collections.OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, key: str) -> float:
        """Take one token for `key`: 0.0 when the request may go on, else the seconds until the
        bucket holds a whole token again (nothing is taken then)."""
        if not self.enabled:
            return 0.0
        bucket = self._refilled(key)
        if bucket.tokens >= 1.0 - EPSILON:
            bucket.tokens = max(0.0, bucket.tokens - 1.0)
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    def refund(self, key: str) -> None:
        """Give back the token `take` took (the request turned out not to count)."""
        bucket = self._buckets.get(key)
        if bucket is not None:
            bucket.tokens = min(float(self.burst), bucket.tokens + 1.0)

    def _refilled(self, key: str) -> _Bucket:
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
            if len(self._buckets) > self._max_keys:
                self._buckets.popitem(last=False)  # the least recently used key
            return bucket
        self._buckets.move_to_end(key)
        elapsed = max(0.0, now - bucket.stamp)
        bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self.rate)
        bucket.stamp = now
        return bucket


def failed_auth_limiter(clock: Callable[[], float] = time.monotonic) -> Limiter:
    """The limiter of failed authentication attempts per peer address (fixed, see above)."""
    return Limiter(FAILED_AUTH_RATE, FAILED_AUTH_BURST, clock=clock)


def failed_auth_key(peer: str | None) -> str:
    """`unauthenticated:<peer ip>`; a peer uvicorn could not name shares "unauthenticated:unknown"."""
    return FAILED_AUTH_PREFIX + (peer or "unknown")


def retry_after(wait: float) -> int:
    """The `Retry-After` value for a wait: whole seconds, rounded up, at least 1."""
    return max(1, math.ceil(wait - EPSILON))


def describe(limiter: Limiter, per: str) -> str:
    """The limit in words for a 429 body, e.g. "20 requests a second per caller, burst 40"."""
    return f"{limiter.rate:g} requests a second per {per}, burst {limiter.burst}"
