"""The seed's MCP resources: `k8s://namespaces`, `k8s://nodes`, `k8s://<namespace>/<kind>`.

A resource read is a list tool call under another name: the first page of the kind as a table,
through the same redaction, sanitizing and cap, with a note pointing at kubectl_get for the
rest. The URI's parts are validated like tool arguments (a namespace label, a resource type).
"""

from __future__ import annotations

import dataclasses

from kube_mcp.k8s import types as k8s_types
from kube_mcp.policy import validate
from kube_mcp.tools import base, common

SCHEME = "k8s://"
TEMPLATE = "k8s://{namespace}/{kind}"
CLUSTER_WIDE = {"namespaces": common.NAMESPACES, "nodes": common.NODES}
KNOWN = {
    "pods": common.PODS,
    "deployments": common.DEPLOYMENTS,
    "services": common.SERVICES,
    "events": common.EVENTS,
    "jobs": common.JOBS,
    "cronjobs": common.CRONJOBS,
}
LISTED_KINDS = ("pods", "deployments", "services")


@dataclasses.dataclass(frozen=True, slots=True)
class Listed:
    uri: str
    name: str
    description: str


def listed(default_namespace: str) -> list[Listed]:
    """The resources `resources/list` shows: the cluster-wide ones and the seed's three kinds."""
    out = [Listed(f"{SCHEME}{key}", key, f"The cluster's {key} as a table.") for key in CLUSTER_WIDE]
    ns = validate.namespace(default_namespace)
    out += [
        Listed(f"{SCHEME}{ns}/{kind}", f"{ns}/{kind}", f'The {kind} of namespace "{ns}" as a table.')
        for kind in LISTED_KINDS
    ]
    return out


async def _target(ctx: base.ToolContext, uri: str) -> tuple[k8s_types.ResourceRef, str | None]:
    if not uri.startswith(SCHEME):
        raise base.ToolInputError(f"Resource URIs look like {SCHEME}namespaces or {TEMPLATE}.")
    rest = uri[len(SCHEME) :]
    if rest in CLUSTER_WIDE:
        return CLUSTER_WIDE[rest], None
    parts = rest.split("/")
    if len(parts) != 2:
        raise base.ToolInputError(f"Resource URIs look like {SCHEME}namespaces or {TEMPLATE}.")
    ns = validate.namespace(parts[0])
    kind = validate.resource_type(parts[1])
    return KNOWN.get(kind) or await ctx.cluster.resolve(kind), ns


async def read(ctx: base.ToolContext, uri: str) -> base.ToolResult:
    """The first page of the resource's kind, as text."""
    ref, ns = await _target(ctx, uri)
    return await common.list_table(ctx, ref, ns, {}, how="call kubectl_get with")
