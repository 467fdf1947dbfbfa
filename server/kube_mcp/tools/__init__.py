"""Tools: one module per domain, each with `specs()` returning its ToolSpecs.

    listing   list_pods, list_deployments, list_services, list_namespaces, list_nodes
    pods      describe_pod
    logs      get_logs
    events    get_events
    generic   kubectl_get (any kind, CRDs too; sorting in `sorting`)
    changes   scale_deployment, create_namespace, delete_pod/deployment/namespace/cronjob
    ping      ping
    resources the k8s:// resources (not tools: read through the same output path)

`catalog()` is every tool that exists; which of them a server offers is policy's decision.
"""

from __future__ import annotations

from kube_mcp.tools import base, changes, events, generic, listing, logs, ping, pods


def catalog() -> tuple[base.ToolSpec, ...]:
    """Every tool, in the order `tools/list` shows them: reads first, then writes, then deletes."""
    return (
        *listing.specs(),
        *pods.specs(),
        *logs.specs(),
        *events.specs(),
        *generic.specs(),
        *ping.specs(),
        *changes.specs(),
    )
