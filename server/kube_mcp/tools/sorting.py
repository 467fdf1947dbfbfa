"""sortBy for kubectl_get: order one page by a field path, like `kubectl get --sort-by`.

The API server cannot sort, so neither can a paged list: we sort each page (the schema says so).
Table rows carry only their object's metadata, so a path outside `.metadata` costs one more
request for the same page as whole objects, joined to the rows by namespace and name.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from typing import Any

from kube_mcp.k8s import types as k8s_types
from kube_mcp.output import redact, table
from kube_mcp.tools import base

_STEP = re.compile(r"[A-Za-z0-9_]+|\[[0-9]+\]")


def path_steps(path: str) -> list[str | int]:
    """`{.spec.containers[0].image}` -> ["spec", "containers", 0, "image"]."""
    steps: list[str | int] = []
    for step in _STEP.findall(path.strip("{}")):
        steps.append(int(step[1:-1]) if step.startswith("[") else step)
    return steps


def value_at(obj: Any, steps: list[str | int]) -> Any:
    for step in steps:
        if isinstance(step, int):
            obj = obj[step] if isinstance(obj, list) and step < len(obj) else None
        else:
            obj = obj.get(step) if isinstance(obj, dict) else None
    return obj


def sort_key(value: Any) -> tuple[int, Any]:
    """Missing values first, then numbers, then text; never a TypeError between kinds."""
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (2, str(value))
    if isinstance(value, int | float):
        return (1, value)
    return (2, value if isinstance(value, str) else json.dumps(value, sort_keys=True))


@dataclasses.dataclass(frozen=True, slots=True)
class ListOptions:
    """A validated list request's options, reused for the whole-object request of a sort."""

    label_selector: str | None
    field_selector: str | None
    limit: int
    continue_token: str | None


async def list_page(
    ctx: base.ToolContext, ref: k8s_types.ResourceRef, ns: str | None, options: ListOptions, *, as_table: bool
) -> k8s_types.ListPage:
    return await ctx.cluster.list(
        ref,
        namespace=ns,
        label_selector=options.label_selector,
        field_selector=options.field_selector,
        limit=options.limit,
        continue_token=options.continue_token,
        as_table=as_table,
    )


async def sort_page(
    ctx: base.ToolContext,
    ref: k8s_types.ResourceRef,
    ns: str | None,
    options: ListOptions,
    body: dict[str, Any],
    path: str,
) -> dict[str, Any]:
    """`body` (a List or a Table) with its items or rows ordered by `path`."""
    steps = path_steps(path)
    if "rows" not in body:
        body["items"] = sorted(body.get("items") or [], key=lambda item: sort_key(value_at(item, steps)))
        return body
    if steps[:1] == ["metadata"]:
        objects = {_key(table.row_meta(row)): {"metadata": table.row_meta(row)} for row in body["rows"]}
    else:
        page = await list_page(ctx, ref, ns, options, as_table=False)
        # Redacted so a sort key never orders by a secret value; not counted: none of it is shown.
        items = (
            redact.redact(page.body, env_values=ctx.limits.redact_env_values, in_place=True).get("items")
            or []
        )
        objects = {_key(item.get("metadata") or {}): item for item in items if isinstance(item, dict)}
    body["rows"] = sorted(
        body.get("rows") or [],
        key=lambda row: sort_key(value_at(objects.get(_key(table.row_meta(row))), steps)),
    )
    return body


def _key(meta: Mapping[str, Any]) -> tuple[str, str]:
    return str(meta.get("namespace", "")), str(meta.get("name", ""))
