"""get_events: what happened, oldest first and newest last, one compact line per event.

The API server lists events in key order, not time order, so "the newest" needs the whole set:
we read up to MAX_SCANNED events page by page, sort by last-seen time, and show the newest
`limit`. Beyond that bound we say so and suggest a fieldSelector rather than read without end.
Both event shapes are read: core/v1 (`involvedObject`, `lastTimestamp`) and events.k8s.io/v1
(`regarding`, `note`, `series`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from kube_mcp.output import caps, table
from kube_mcp.policy import validate
from kube_mcp.tools import base, common, schemas

_FRACTION = re.compile(r"\.[0-9]+Z$")
MAX_SCANNED = 2000  # ~2 MB of events at most, 20 pages of 100; a busy namespace has a few hundred

SCHEMA = schemas.obj(
    {
        "namespace": schemas.string("Namespace; omit for events of all namespaces.", 63),
        "fieldSelector": schemas.FIELD_SELECTOR,
        "limit": schemas.integer("How many of the newest events to show (default 50).", 1, 500),
    }
)


def when(event: Mapping[str, Any]) -> str:
    series = event.get("series") or {}
    for value in (
        event.get("lastTimestamp"),
        event.get("deprecatedLastTimestamp"),
        series.get("lastObservedTime"),
        event.get("eventTime"),
        (event.get("metadata") or {}).get("creationTimestamp"),
    ):
        if isinstance(value, str) and value:
            return value
    return ""


def row(event: Mapping[str, Any], with_namespace: bool) -> list[str]:
    about = event.get("involvedObject") or event.get("regarding") or {}
    count = (
        event.get("count") or (event.get("series") or {}).get("count") or event.get("deprecatedCount") or 1
    )
    message = " ".join(str(event.get("message") or event.get("note") or "").split())
    cells = [
        _FRACTION.sub("Z", when(event)) or "<unknown>",  # eventTime has microseconds; seconds will do
        str(event.get("type") or "<none>"),
        str(event.get("reason") or "<none>"),
        f"{str(about.get('kind', '')).lower()}/{about.get('name', '')}",
        message + (f" (x{count})" if isinstance(count, int) and count > 1 else ""),
    ]
    return [str(about.get("namespace") or ""), *cells] if with_namespace else cells


def lines(events: Sequence[Mapping[str, Any]], *, with_namespace: bool) -> tuple[str, list[str]]:
    """Header and lines, oldest first; the message column is left unpadded."""
    header = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    grid = [(["NAMESPACE"] if with_namespace else []) + header]
    grid += [
        [table.cell_text(c) if c else "" for c in row(e, with_namespace)] for e in sorted(events, key=when)
    ]
    aligned = table.align(grid)
    return aligned[0], aligned[1:]


async def collect(ctx: base.ToolContext, ns: str | None, field: str | None) -> tuple[list[Any], bool]:
    """Events of `ns` (all when None), at most MAX_SCANNED; True when there were more."""
    events: list[Any] = []
    token: str | None = None
    while len(events) < MAX_SCANNED:
        page = await ctx.cluster.list(
            common.EVENTS,
            namespace=ns,
            field_selector=field,
            as_table=False,
            limit=min(ctx.limits.page_size, MAX_SCANNED - len(events)),
            continue_token=token,
        )
        events += common.shape(ctx, page.body).get("items") or []
        token = page.continue_token
        if not token:
            return events, False
    return events, True


async def get_events(ctx: base.ToolContext, args: Mapping[str, Any]) -> base.ToolResult:
    ns = validate.namespace(args["namespace"]) if args.get("namespace") else None
    field = validate.selector(args["fieldSelector"], "fieldSelector") if args.get("fieldSelector") else None
    events, more = await collect(ctx, ns, field)
    if not events:
        return base.ToolResult(
            f"No events found{common.where(common.EVENTS, ns)}.", namespace=ns, kind="Event"
        )
    newest = sorted(events, key=when)[-int(args.get("limit") or 50) :]
    header, body = lines(newest, with_namespace=ns is None)
    budget = ctx.limits.max_chars - caps.NOTE_RESERVE - len(header) - 1
    shown = caps.fit(body[::-1], budget)  # keep the newest when the cap bites
    text = "\n".join([header, *body[len(body) - shown :]])
    notes = (
        [f"showing the newest {shown} of {len(events)} events; pass limit to see more or fewer"]
        if shown < len(events)
        else []
    )
    if more:
        notes.append(
            f"read the first {MAX_SCANNED} events only; narrow with fieldSelector "
            "(type=Warning, involvedObject.name=<name>)"
        )
    text += "".join(f"\n\n({n})" for n in notes)
    return base.ToolResult(text, namespace=ns, kind="Event")


def specs() -> tuple[base.ToolSpec, ...]:
    return (
        base.ToolSpec(
            "get_events",
            "Get events",
            "Show recent cluster events (warnings, restarts, scheduling, pulls), newest last; use it to find "
            "why something fails.",
            SCHEMA,
            base.Safety.READ,
            get_events,
            kind="Event",
        ),
    )
