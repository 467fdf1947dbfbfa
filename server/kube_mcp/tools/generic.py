"""kubectl_get: any kind the API server serves, CRDs included, one object or a page of a list.

`resourceType` is resolved by discovery the way kubectl does (`po`, `deploy`, `Deployment`,
`deployments.apps`, `certificates.cert-manager.io`). Tables (the default) come from the API
server's Table format; yaml/json carry whole objects, redacted. No `context` parameter: the
cluster, credentials and identity are fixed by the server's configuration, never by a call.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from kube_mcp.k8s import types as k8s_types
from kube_mcp.output import caps, render, table
from kube_mcp.policy import validate
from kube_mcp.tools import base, common, schemas, sorting

OUTPUTS = ("table", "wide", "yaml", "json", "name")

SCHEMA = schemas.obj(
    {
        "resourceType": schemas.string(
            "Kind or resource to get: pods, deployments, services, nodes, events, secrets, a short name (po, "
            "deploy, svc) or a CRD (certificates.cert-manager.io)."
        ),
        "name": schemas.string("Name of one object; omit to list."),
        "namespace": schemas.NAMESPACE,
        "output": {
            "type": "string",
            "enum": list(OUTPUTS),
            "default": "table",
            "description": "table (default, compact columns), wide (more columns), yaml, json, or name.",
        },
        "allNamespaces": schemas.boolean("List across all namespaces (ignores namespace)."),
        "labelSelector": schemas.LABEL_SELECTOR,
        "fieldSelector": schemas.FIELD_SELECTOR,
        "sortBy": schemas.string(
            "Field path to sort by, e.g. .metadata.creationTimestamp (sorts each page).", 256
        ),
        **schemas.PAGING,
    },
    required=["resourceType"],
)


@dataclasses.dataclass(frozen=True, slots=True)
class Query:
    """kubectl_get's arguments, every one validated before the first request."""

    resource_type: str
    namespace: str
    name: str | None
    output: str
    all_namespaces: bool
    list_options: sorting.ListOptions
    sort_by: str | None

    @classmethod
    def parse(cls, ctx: base.ToolContext, args: Mapping[str, Any]) -> Query:
        name, sort_by = common.optional(args, "name"), common.optional(args, "sortBy")
        label, field = common.selectors(args)
        limit, token = common.paging(ctx, args)
        if name is not None and args.get("allNamespaces"):
            raise base.ToolInputError("Pass either name or allNamespaces=true, not both.")
        return cls(
            validate.resource_type(args["resourceType"]),
            common.namespace(ctx, args),
            None if name is None else validate.object_name(name),
            args["output"],
            bool(args.get("allNamespaces")),
            sorting.ListOptions(label, field, limit, token),
            None if sort_by is None else validate.sort_by(sort_by),
        )


async def kubectl_get(ctx: base.ToolContext, args: Mapping[str, Any]) -> base.ToolResult:
    query = Query.parse(ctx, args)
    ref = await ctx.cluster.resolve(query.resource_type)
    ns = None if not ref.namespaced or query.all_namespaces else query.namespace
    if query.name is not None:
        return await _one(ctx, ref, ns, query.name, query.output)
    return await _page(ctx, ref, ns, query)


async def _one(
    ctx: base.ToolContext, ref: k8s_types.ResourceRef, ns: str | None, name: str, output: str
) -> base.ToolResult:
    if output in ("yaml", "json"):
        obj = common.shape(ctx, await ctx.cluster.get(ref, name, namespace=ns))
        text = render.object_text(obj, output, ctx.limits.max_chars)
    else:
        body = common.shape(ctx, await ctx.cluster.get(ref, name, namespace=ns, as_table=True))
        if output == "name":
            text = render.name_line(ref.kind, ref.group, name)
        else:
            single = k8s_types.ListPage(body, None, None)
            text = common.table_text(ctx, ref, ns, body, single, False, wide=output == "wide")
    return base.ToolResult(text, namespace=ns, kind=ref.kind, name=name)


async def _page(
    ctx: base.ToolContext, ref: k8s_types.ResourceRef, ns: str | None, query: Query
) -> base.ToolResult:
    output, options = query.output, query.list_options
    page = await sorting.list_page(ctx, ref, ns, options, as_table=output not in ("yaml", "json"))
    body = common.shape(ctx, page.body)
    if query.sort_by is not None:
        body = await sorting.sort_page(ctx, ref, ns, options, body, query.sort_by)
    continued = options.continue_token is not None
    rows = body.get("rows") or body.get("items") or []
    note = caps.Page(ref.resource, len(rows), page.continue_token, page.remaining, continued)
    if output in ("yaml", "json"):
        body["items"] = render.with_kinds(body.get("items") or [], ref.kind, ref.api_version)
        text, _ = render.list_text(body, output, note, ctx.limits.max_chars)
    elif output == "name" and rows:
        lines = [render.name_line(ref.kind, ref.group, table.row_name(row, body)) for row in rows]
        text, _ = caps.list_text(None, lines, note, ctx.limits.max_chars)
    else:
        text = common.table_text(ctx, ref, ns, body, page, continued, wide=output == "wide")
    return base.ToolResult(text, namespace=ns, kind=ref.kind)


def specs() -> tuple[base.ToolSpec, ...]:
    return (
        base.ToolSpec(
            "kubectl_get",
            "Get Kubernetes resources",
            "Get one object or list objects of any kind (CRDs too) with selectors, across namespaces, as "
            "table, yaml, json or names; the general read tool when no specific list tool fits.",
            SCHEMA,
            base.Safety.READ,
            kubectl_get,
        ),
    )
