"""The audit trail: one JSON line per tool call, on a stream the entry point hands in (stderr).

A line says who called which tool, about which object, how it ended, how long it took, and the
API server's `Audit-Id`s of the requests the call made, so an operator can join our line with the
cluster's own audit log. It never holds argument values beyond the object's namespace/kind/name,
and never results: those can carry cluster data the caller was allowed to see but a log reader
was not.
"""

from __future__ import annotations

import datetime
import json
import threading
from collections.abc import Sequence
from typing import TextIO

# Fields are identifiers (names are <= 253 characters); a longer value is not a name and is cut,
# so one odd call cannot write a megabyte line.
MAX_FIELD = 256
MAX_AUDIT_IDS = 50


def _field(value: str | None) -> str | None:
    return None if value is None else value[:MAX_FIELD]


class AuditLog:
    """Writes audit records as JSON lines; safe to share between threads and tasks."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def record(
        self,
        tool: str,
        outcome: str,
        caller: str,
        namespace: str | None,
        kind: str | None,
        name: str | None,
        seconds: float,
        audit_ids: Sequence[str] = (),
    ) -> None:
        line = json.dumps(
            {
                "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds"),
                "event": "tool_call",
                "tool": _field(tool),
                "outcome": outcome,
                "caller": _field(caller),
                "namespace": _field(namespace),
                "kind": _field(kind),
                "name": _field(name),
                "duration_ms": round(seconds * 1000, 1),
                "audit_ids": [str(i)[:64] for i in list(audit_ids)[:MAX_AUDIT_IDS]],
            },
            ensure_ascii=True,  # control characters and bidi marks become \u escapes, never raw
        )
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()
