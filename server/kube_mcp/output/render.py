"""Objects and lists as YAML, JSON or `kind/name` lines, within the response cap.

YAML is what a person reads in `kubectl get -o yaml`; PyYAML costs ~20 ms to import, so it is
imported the first time someone asks for YAML, never at start. Lists are cut at item
boundaries: a half object is worse than a note saying how to get the rest.
"""

from __future__ import annotations

import json
from typing import Any

from kube_mcp.output import caps

LIST_HEADER = 64  # "apiVersion: v1\nkind: List\nitems:" and JSON's braces
LIST_INDENT = {"json": 5, "yaml": 2}  # extra characters per line of an item nested under "items"


def dump(value: Any, output: str) -> str:
    """`value` as "yaml" or "json" text."""
    if output == "json":
        return json.dumps(value, indent=2, ensure_ascii=False)
    import yaml  # lazy on purpose: only YAML answers pay for PyYAML

    text: str = yaml.safe_dump(
        value, sort_keys=False, allow_unicode=True, default_flow_style=False, width=120
    )
    return text.rstrip("\n")


def object_text(obj: dict[str, Any], output: str, max_chars: int) -> str:
    return caps.cut(
        dump(obj, output),
        max_chars,
        "the object is larger than the answer cap; ask for output=table or a narrower kind",
    )


def with_kinds(items: list[Any], kind: str, api_version: str) -> list[Any]:
    """List items as the API server sends them lack kind/apiVersion; kubectl fills them in."""
    out = []
    for item in items:
        if isinstance(item, dict) and "kind" not in item:
            item = {"apiVersion": api_version, "kind": kind, **item}
        out.append(item)
    return out


def list_text(body: dict[str, Any], output: str, page: caps.Page, max_chars: int) -> tuple[str, int]:
    """A List (kind, apiVersion, items) as yaml/json with as many whole items as fit."""
    items: list[Any] = list(body.get("items") or [])
    reserve = caps.NOTE_RESERVE + len(page.continue_token or "")
    budget = max(max_chars - reserve, 0)
    count = _fitting(items, output, budget)
    text = _list_dump(body, items[:count], output)
    while len(text) > budget and count > 1:  # the estimate ran short: drop whole items, never cut one
        count = max(1, min(count - 1, int(count * budget / len(text))))
        text = _list_dump(body, items[:count], output)
    if len(text) > budget:  # one item alone is over the cap
        text = caps.cut(text, budget, "one object is larger than the answer cap; ask for output=table")
    note = caps.page_note(page, count, max_chars)
    return text + (f"\n\n({note})" if note else ""), count


def _fitting(items: list[Any], output: str, budget: int) -> int:
    """How many leading items fit in `budget`, rendered one at a time and stopping at the budget, so
    a page of a thousand objects costs what fits (~20k characters), not the whole page: PyYAML is
    pure Python, ~0.5 ms per object. Nested in the list, each line gains `LIST_INDENT` characters."""
    used = LIST_HEADER
    for index, item in enumerate(items):
        piece = dump(item, output)
        used += len(piece) + (piece.count("\n") + 1) * LIST_INDENT[output]
        if used > budget:
            return max(index, 1)
    return len(items)


def _list_dump(body: dict[str, Any], items: list[Any], output: str) -> str:
    return dump(
        {"apiVersion": body.get("apiVersion", "v1"), "kind": body.get("kind", "List"), "items": items}, output
    )


def name_line(kind: str, group: str, name: str) -> str:
    """kubectl's -o name form: `pod/web-1`, `deployment.apps/web`."""
    return f"{kind.lower()}.{group}/{name}" if group else f"{kind.lower()}/{name}"
