"""The paths every tool shares: argument helpers, the fixed core resources, list-as-table,
and `shape`, the one door cluster objects go through (redact, then sanitize).

The typed tools (list_pods, get_events, ...) use fixed references to core resources instead of
discovery: one API call fewer, and no chance a CRD named "events" shadows the core kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kube_mcp.k8s import types as k8s_types
from kube_mcp.output import caps, redact, sanitize, table
from kube_mcp.policy import validate
from kube_mcp.tools import base

_READ = frozenset({"get", "list", "watch"})
PODS = k8s_types.ResourceRef("", "v1", "pods", "Pod", True, _READ | {"delete"})
EVENTS = k8s_types.ResourceRef("", "v1", "events", "Event", True, _READ)
SERVICES = k8s_types.ResourceRef("", "v1", "services", "Service", True, _READ)
NAMESPACES = k8s_types.ResourceRef("", "v1", "namespaces", "Namespace", False, _READ | {"create", "delete"})
NODES = k8s_types.ResourceRef("", "v1", "nodes", "Node", False, _READ)
DEPLOYMENTS = k8s_types.ResourceRef(
    "apps", "v1", "deployments", "Deployment", True, _READ | {"patch", "delete"}
)
JOBS = k8s_types.ResourceRef("batch", "v1", "jobs", "Job", True, _READ)
CRONJOBS = k8s_types.ResourceRef("batch", "v1", "cronjobs", "CronJob", True, _READ | {"delete"})


def namespace(ctx: base.ToolContext, args: Mapping[str, Any], key: str = "namespace") -> str:
    """The namespace argument, validated; the server's default namespace when absent."""
    return validate.namespace(args.get(key) or ctx.cluster.default_namespace)


def optional(args: Mapping[str, Any], key: str) -> str | None:
    value = args.get(key)
    return value if isinstance(value, str) and value else None


def selectors(args: Mapping[str, Any]) -> tuple[str | None, str | None]:
    label, field = optional(args, "labelSelector"), optional(args, "fieldSelector")
    return (
        None if label is None else validate.selector(label, "labelSelector"),
        None if field is None else validate.selector(field, "fieldSelector"),
    )


def paging(ctx: base.ToolContext, args: Mapping[str, Any]) -> tuple[int, str | None]:
    token = optional(args, "continue")
    return int(args.get("limit") or ctx.limits.page_size), None if token is None else validate.continue_token(
        token
    )


def shape(ctx: base.ToolContext, value: Any) -> Any:
    """Redact (counting what was hidden), then strip control characters from every string.

    `value` is a fresh API answer, redacted in place: `clean_tree` makes the one copy we return."""
    redacted = redact.redact(
        value, env_values=ctx.limits.redact_env_values, counter=ctx.redactions, in_place=True
    )
    return sanitize.clean_tree(redacted)


def where(ref: k8s_types.ResourceRef, ns: str | None) -> str:
    if not ref.namespaced:
        return ""
    return " in any namespace" if ns is None else f' in namespace "{ns}"'


async def list_table(
    ctx: base.ToolContext,
    ref: k8s_types.ResourceRef,
    ns: str | None,
    args: Mapping[str, Any],
    *,
    wide: bool = False,
    how: str = "call again with",
) -> base.ToolResult:
    """One page of `ref` as aligned columns, capped, with the note saying how to continue."""
    label, field = selectors(args)
    limit, token = paging(ctx, args)
    ns = ns if ref.namespaced else None
    page = await ctx.cluster.list(
        ref,
        namespace=ns,
        label_selector=label,
        field_selector=field,
        limit=limit,
        continue_token=token,
        as_table=True,
    )
    body = shape(ctx, page.body)
    return base.ToolResult(
        table_text(ctx, ref, ns, body, page, token is not None, wide=wide, how=how),
        namespace=ns,
        kind=ref.kind,
    )


def table_text(
    ctx: base.ToolContext,
    ref: k8s_types.ResourceRef,
    ns: str | None,
    body: dict[str, Any],
    page: k8s_types.ListPage,
    continued: bool,
    *,
    wide: bool = False,
    how: str = "call again with",
) -> str:
    if not body.get("rows"):
        return f"No {ref.resource} found{where(ref, ns)}."
    header, lines = table.rows(body, wide=wide, namespaces=ref.namespaced and ns is None)
    note = caps.Page(ref.resource, len(lines), page.continue_token, page.remaining, continued, how)
    text, _ = caps.list_text(header, lines, note, ctx.limits.max_chars)
    return text
