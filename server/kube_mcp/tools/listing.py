"""The seed's list tools: pods, deployments, services, namespaces, nodes.

Each is one paged Table request rendered as kubectl's columns. `limit` and `continue` are ours
(the seed returned everything at once, which on a big cluster is megabytes a model cannot use).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kube_mcp.k8s import types as k8s_types
from kube_mcp.tools import base, common, schemas


def _namespaced(ref: k8s_types.ResourceRef) -> base.Handler:
    async def handler(ctx: base.ToolContext, args: Mapping[str, Any]) -> base.ToolResult:
        return await common.list_table(ctx, ref, common.namespace(ctx, args), args)

    return handler


def _cluster_scoped(ref: k8s_types.ResourceRef) -> base.Handler:
    async def handler(ctx: base.ToolContext, args: Mapping[str, Any]) -> base.ToolResult:
        return await common.list_table(ctx, ref, None, args)

    return handler


def _spec(name: str, title: str, description: str, ref: k8s_types.ResourceRef) -> base.ToolSpec:
    properties = {"namespace": schemas.NAMESPACE, **schemas.PAGING} if ref.namespaced else schemas.PAGING
    handler = _namespaced(ref) if ref.namespaced else _cluster_scoped(ref)
    return base.ToolSpec(
        name, title, description, schemas.obj(properties), base.Safety.READ, handler, kind=ref.kind
    )


def specs() -> tuple[base.ToolSpec, ...]:
    return (
        _spec(
            "list_pods",
            "List pods",
            "List the pods of a namespace with status, restarts and age; use it to find a pod's exact name.",
            common.PODS,
        ),
        _spec(
            "list_deployments",
            "List deployments",
            "List the deployments of a namespace with ready/up-to-date/available replica counts.",
            common.DEPLOYMENTS,
        ),
        _spec(
            "list_services",
            "List services",
            "List the services of a namespace with type, cluster IP and ports.",
            common.SERVICES,
        ),
        _spec(
            "list_namespaces",
            "List namespaces",
            "List the cluster's namespaces with status and age; start here to see what runs where.",
            common.NAMESPACES,
        ),
        _spec(
            "list_nodes",
            "List nodes",
            "List the cluster's nodes with status, roles, age and kubelet version.",
            common.NODES,
        ),
    )
