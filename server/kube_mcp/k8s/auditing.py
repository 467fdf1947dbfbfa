"""Collect the API server's `Audit-Id` response headers for the requests one tool call made.

The audit log line of a tool call names the API server's audit ids, so an operator can join our
log with the cluster's audit log. A context variable carries the collector, so concurrent tool
calls (each its own task) never see each other's ids; `rest` records every response's header.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

_COLLECTOR: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "kube_mcp_audit_ids", default=None
)
MAX_IDS = 100  # a tool call makes a handful of requests; never grow without bound


@contextlib.contextmanager
def audit_ids() -> Iterator[list[str]]:
    """`with audit_ids() as ids:` -> `ids` fills with the Audit-Id of each request made inside."""
    ids: list[str] = []
    token = _COLLECTOR.set(ids)
    try:
        yield ids
    finally:
        _COLLECTOR.reset(token)


def record(audit_id: str | None) -> None:
    """Add one id to the innermost active collector, if any."""
    ids = _COLLECTOR.get()
    if ids is not None and audit_id and len(ids) < MAX_IDS:
        ids.append(audit_id)
