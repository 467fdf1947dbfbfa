"""Objects and lists as YAML, JSON or `kind/name` lines, within the response cap.

YAML is what a person reads in `kubectl get -o yaml`; PyYAML costs ~20 ms to import, so it is
imported the first time someone asks for YAML, never at start. Lists are cut at item
boundaries: a half object is worse than a note saying how to get the rest.
"""

from __future__ import annotations

import json
from typing import Any

from kube_mcp.output import caps

MAX_SHRINK_ROUNDS = 8  # each round re-renders with fewer items; converges in 2-3 in practice


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
    count, text = len(items), _list_dump(body, items, output)
    for _ in range(MAX_SHRINK_ROUNDS):
        if len(text) <= budget or count <= 1:
            break
        count = max(1, min(count - 1, int(count * budget / len(text))))
        text = _list_dump(body, items[:count], output)
    if len(text) > budget:  # one item alone is over the cap
        text = caps.cut(text, budget, "one object is larger than the answer cap; ask for output=table")
    note = caps.page_note(page, count, max_chars)
    return text + (f"\n\n({note})" if note else ""), count


def _list_dump(body: dict[str, Any], items: list[Any], output: str) -> str:
    return dump(
        {"apiVersion": body.get("apiVersion", "v1"), "kind": body.get("kind", "List"), "items": items}, output
    )


def name_line(kind: str, group: str, name: str) -> str:
    """kubectl's -o name form: `pod/web-1`, `deployment.apps/web`."""
    return f"{kind.lower()}.{group}/{name}" if group else f"{kind.lower()}/{name}"
