"""The seed's simple writes and deletes, so the safety modes have something real to hide.

scale_deployment and create_namespace are WRITE (hidden in read-only mode); the deletes are
DESTRUCTIVE (hidden in read-only and non-destructive modes). Every one makes exactly one write
request; writes are never retried (the k8s layer retries reads only). Scaling goes through the
`scale` subresource, so RBAC can grant `deployments/scale` without `deployments` patch.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kube_mcp.k8s import errors
from kube_mcp.k8s import types as k8s_types
from kube_mcp.policy import validate
from kube_mcp.tools import base, common, schemas


async def scale_deployment(ctx: base.ToolContext, args: Mapping[str, Any]) -> base.ToolResult:
    ns, name = validate.namespace(args["namespace"]), validate.dns_subdomain(args["name"])
    replicas = int(args["replicas"])
    scale = await ctx.cluster.patch(
        common.DEPLOYMENTS, name, {"spec": {"replicas": replicas}}, namespace=ns, subresource="scale"
    )
    current = (scale.get("status") or {}).get("replicas")
    text = f'Scaled deployment "{name}" in namespace "{ns}" to {replicas} replicas'
    text += f" ({current} exist now; they converge in the background)." if current is not None else "."
    return base.ToolResult(
        text,
        {"name": name, "namespace": ns, "replicas": replicas},
        namespace=ns,
        kind="Deployment",
        name=name,
    )


async def create_namespace(ctx: base.ToolContext, args: Mapping[str, Any]) -> base.ToolResult:
    name = validate.namespace(args["name"])
    body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
    await ctx.cluster.create(common.NAMESPACES, body, namespace=None)
    return base.ToolResult(
        f'Created namespace "{name}".', {"name": name, "created": True}, kind="Namespace", name=name
    )


def _deleter(ref: k8s_types.ResourceRef) -> base.Handler:
    async def handler(ctx: base.ToolContext, args: Mapping[str, Any]) -> base.ToolResult:
        ns = validate.namespace(args["namespace"]) if ref.namespaced else None
        name = (
            validate.namespace(args["name"])
            if ref is common.NAMESPACES
            else validate.dns_subdomain(args["name"])
        )
        where = f' in namespace "{ns}"' if ns else ""
        kind = ref.kind.lower()
        try:
            await ctx.cluster.delete(ref, name, namespace=ns)
        except errors.NotFound:
            if not args.get("ignoreNotFound"):
                raise
            return base.ToolResult(
                f'No {kind} "{name}"{where}; nothing to delete.',
                {"deleted": False},
                namespace=ns,
                kind=ref.kind,
                name=name,
            )
        text = f'Deleted {kind} "{name}"{where} (it terminates in the background).'
        return base.ToolResult(text, {"deleted": True}, namespace=ns, kind=ref.kind, name=name)

    return handler


def _delete_spec(tool: str, ref: k8s_types.ResourceRef, description: str) -> base.ToolSpec:
    kind = ref.kind.lower()
    properties: dict[str, schemas.Schema] = {"name": schemas.name(kind)}
    if ref.namespaced:
        properties["namespace"] = schemas.REQUIRED_NAMESPACE
    properties["ignoreNotFound"] = schemas.IGNORE_NOT_FOUND
    return base.ToolSpec(
        tool,
        f"Delete {kind}",
        description,
        schemas.obj(properties, required=["name", "namespace"] if ref.namespaced else ["name"]),
        base.Safety.DESTRUCTIVE,
        _deleter(ref),
        kind=ref.kind,
    )


def specs() -> tuple[base.ToolSpec, ...]:
    return (
        base.ToolSpec(
            "scale_deployment",
            "Scale deployment",
            "Set a deployment's desired replica count (0 stops its pods); use it to scale up or down.",
            schemas.obj(
                {
                    "name": schemas.name("deployment"),
                    "namespace": schemas.REQUIRED_NAMESPACE,
                    "replicas": schemas.integer("Desired number of replicas.", 0, 10_000),
                },
                required=["name", "namespace", "replicas"],
            ),
            base.Safety.WRITE,
            scale_deployment,
            kind="Deployment",
        ),
        base.ToolSpec(
            "create_namespace",
            "Create namespace",
            "Create a new, empty namespace.",
            schemas.obj({"name": schemas.string("Name of the new namespace.", 63)}, required=["name"]),
            base.Safety.WRITE,
            create_namespace,
            kind="Namespace",
        ),
        _delete_spec(
            "delete_pod",
            common.PODS,
            "Delete a pod (its controller, if any, starts a replacement); use it to restart one pod.",
        ),
        _delete_spec("delete_deployment", common.DEPLOYMENTS, "Delete a deployment and, with it, its pods."),
        _delete_spec(
            "delete_namespace",
            common.NAMESPACES,
            "Delete a namespace and everything in it; cannot be undone.",
        ),
        _delete_spec(
            "delete_cronjob", common.CRONJOBS, "Delete a cron job (its running jobs are deleted too)."
        ),
    )
