"""describe_pod: a pod as a person debugging it wants to read it, not the raw object.

Status, node, IPs, conditions, each container's image/state/restarts/readiness and the pod's
recent events (found by field selector on the involved object), in ~1-2 KB where the raw object
with its events is 10-20 KB. Env values arrive redacted like everywhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kube_mcp.output import caps
from kube_mcp.policy import validate
from kube_mcp.tools import base, common, events, schemas

RECENT_EVENTS = 15


def _state(state: Mapping[str, Any] | None) -> str:
    """{"waiting": {"reason": "CrashLoopBackOff"}} -> "Waiting: CrashLoopBackOff"."""
    if not state:
        return "<none>"
    phase, detail = next(iter(state.items()))
    detail = detail or {}
    parts = [str(detail.get("reason") or "")]
    if "exitCode" in detail:
        parts.append(f"exit code {detail['exitCode']}")
    if detail.get("startedAt") and phase == "running":
        parts.append(f"since {detail['startedAt']}")
    if detail.get("finishedAt"):
        parts.append(f"at {detail['finishedAt']}")
    if detail.get("message"):
        parts.append(" ".join(str(detail["message"]).split())[:200])
    text = ", ".join(p for p in parts if p)
    return f"{phase.capitalize()}: {text}" if text else phase.capitalize()


def _env(container: Mapping[str, Any]) -> str:
    out = []
    for var in container.get("env") or []:
        ref = var.get("valueFrom") or {}
        source = next(iter(ref), None)
        if source:
            target = ref[source] or {}
            out.append(
                f"{var.get('name')} (from {source} {target.get('name') or target.get('fieldPath') or ''})"
            )
        else:
            out.append(f"{var.get('name')}={var.get('value', '')}")
    return ", ".join(out)


def _container(spec: Mapping[str, Any], status: Mapping[str, Any]) -> list[str]:
    lines = [
        f"  {spec.get('name')}:",
        f"    Image:      {spec.get('image')}",
        f"    State:      {_state(status.get('state'))}",
    ]
    if status.get("lastState"):
        lines.append(f"    Last state: {_state(status.get('lastState'))}")
    lines += [
        f"    Ready:      {str(status.get('ready', False)).lower()}",
        f"    Restarts:   {status.get('restartCount', 0)}",
    ]
    ports = ", ".join(f"{p.get('containerPort')}/{p.get('protocol', 'TCP')}" for p in spec.get("ports") or [])
    resources = spec.get("resources") or {}
    for label, value in (
        ("Ports", ports),
        ("Requests", _pairs(resources.get("requests"))),
        ("Limits", _pairs(resources.get("limits"))),
        ("Env", _env(spec)),
    ):
        if value:
            lines.append(f"    {label + ':':<11} {value}")
    return lines


def _pairs(mapping: Mapping[str, Any] | None) -> str:
    return ", ".join(f"{k}={v}" for k, v in (mapping or {}).items())


def summary(pod: Mapping[str, Any]) -> list[str]:
    meta, spec, status = pod.get("metadata") or {}, pod.get("spec") or {}, pod.get("status") or {}
    owners = ", ".join(f"{o.get('kind')}/{o.get('name')}" for o in meta.get("ownerReferences") or [])
    conditions = ", ".join(f"{c.get('type')}={c.get('status')}" for c in status.get("conditions") or [])
    lines = [
        f"Name:        {meta.get('name')}",
        f"Namespace:   {meta.get('namespace')}",
        f"Node:        {spec.get('nodeName') or '<none>'}",
        f"Start time:  {status.get('startTime') or '<none>'}",
        f"Labels:      {_pairs(meta.get('labels')) or '<none>'}",
        f"Status:      {status.get('phase')}" + (f" ({status['reason']})" if status.get("reason") else ""),
        f"IP:          {status.get('podIP') or '<none>'}",
        f"Owned by:    {owners or '<none>'}",
        f"QoS class:   {status.get('qosClass') or '<none>'}",
        f"Conditions:  {conditions or '<none>'}",
    ]
    if meta.get("deletionTimestamp"):
        lines.append(f"Terminating: since {meta['deletionTimestamp']}")
    for title, key, status_key in (
        ("Init containers:", "initContainers", "initContainerStatuses"),
        ("Containers:", "containers", "containerStatuses"),
    ):
        if spec.get(key):
            statuses = {s.get("name"): s for s in status.get(status_key) or []}
            lines.append(title)
            for container in spec[key]:
                lines += _container(container, statuses.get(container.get("name"), {}))
    return lines


async def describe_pod(ctx: base.ToolContext, args: Mapping[str, Any]) -> base.ToolResult:
    ns, name = validate.namespace(args["namespace"]), validate.dns_subdomain(args["name"])
    pod = common.shape(ctx, await ctx.cluster.get(common.PODS, name, namespace=ns))
    selector = f"involvedObject.kind=Pod,involvedObject.name={name},involvedObject.namespace={ns}"
    page = await ctx.cluster.list(
        common.EVENTS, namespace=ns, field_selector=selector, limit=100, as_table=False
    )
    found = common.shape(ctx, page.body).get("items") or []
    lines = summary(pod)
    if found:
        header, rows = events.lines(sorted(found, key=events.when)[-RECENT_EVENTS:], with_namespace=False)
        lines += [f"Events (newest last, {min(len(found), RECENT_EVENTS)} of {len(found)}):", "  " + header]
        lines += ["  " + r for r in rows]
    else:
        lines.append("Events:      <none>")
    text = caps.cut("\n".join(lines), ctx.limits.max_chars, "use get_events or kubectl_get for the rest")
    return base.ToolResult(text, namespace=ns, kind="Pod", name=name)


def specs() -> tuple[base.ToolSpec, ...]:
    return (
        base.ToolSpec(
            "describe_pod",
            "Describe pod",
            "Summarize one pod: status, node, IP, conditions, each container's image, state, restarts and "
            "readiness, and its recent events; use it to debug a failing pod.",
            schemas.obj(
                {"name": schemas.name("pod"), "namespace": schemas.REQUIRED_NAMESPACE},
                required=["name", "namespace"],
            ),
            base.Safety.READ,
            describe_pod,
            kind="Pod",
        ),
    )
