"""When and how long to wait before retrying a read.

Only reads are retried, and only on 429 and 5xx (not 501): a write that got a 5xx may have been
applied, so repeating it could do it twice. A `Retry-After` header is honoured but capped, so one
overloaded API server cannot hold a tool call for minutes; without it we back off exponentially.
Timeouts and refused connections are not retried: the caller's wait is bounded by one timeout.
"""

from __future__ import annotations

import email.utils
import math
import time

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
BASE_DELAY = 0.25  # seconds before the first retry without Retry-After: 0.25, 0.5, 1, 2
MAX_DELAY = 5.0  # never sleep longer than this before one retry, whatever Retry-After says
MAX_TOTAL_DELAY = 10.0  # all sleeps of one call together; past this we give up and report 429/5xx


def should_retry(status: int, *, idempotent: bool) -> bool:
    return idempotent and status in RETRY_STATUSES


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent or bad."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT; a naive one cannot be compared reliably
        return None
    seconds = when.timestamp() - (time.time() if now is None else now)
    return max(0.0, seconds)


def delay(attempt: int, retry_after: float | None) -> float:
    """Seconds to sleep before retry number `attempt` (0-based), bounded by MAX_DELAY."""
    if retry_after is not None and math.isfinite(retry_after):
        return min(max(retry_after, 0.0), MAX_DELAY)
    return min(BASE_DELAY * 2.0 ** min(max(attempt, 0), 10), MAX_DELAY)


def within_budget(slept: float, next_delay: float) -> bool:
    """Whether one more sleep keeps the call's total waiting under MAX_TOTAL_DELAY."""
    return slept + next_delay <= MAX_TOTAL_DELAY
