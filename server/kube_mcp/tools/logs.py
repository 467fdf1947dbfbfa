"""get_logs: a pod's log, or the logs of a deployment's or job's pods, bounded.

For a deployment or job we read its selector and list its pods (at most MAX_PODS), then give
each pod's log under a header; the byte and character budgets are split between the pods so
every pod gets a say. Without `tail` or `since` we fetch the last DEFAULT_TAIL lines: the API's
`limitBytes` counts from the start of the log, so a bare byte cap would show old lines. Log text
is sanitized (ANSI colours, control and bidi characters stripped).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from kube_mcp.k8s import errors
from kube_mcp.k8s import types as k8s_types
from kube_mcp.output import caps, sanitize
from kube_mcp.policy import validate
from kube_mcp.tools import base, common, schemas

MAX_PODS = 10
DEFAULT_TAIL = 200
REFETCHES = 3  # smaller-tail retries when a log window is over the byte cap
DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container"
OWNERS = {"deployment": common.DEPLOYMENTS, "job": common.JOBS}

SCHEMA = schemas.obj(
    {
        "resourceType": {
            "type": "string",
            "enum": ["pod", "deployment", "job"],
            "description": "pod, or deployment/job to read the logs of their pods.",
        },
        "name": schemas.string("Name of the pod, deployment or job (or use labelSelector)."),
        "namespace": schemas.NAMESPACE,
        "labelSelector": schemas.LABEL_SELECTOR,
        "container": schemas.string("Container name (default: the pod's default or first container).", 63),
        "tail": schemas.integer(
            f"Number of last lines (default {DEFAULT_TAIL} when since is not given).", 1, 100_000
        ),
        "since": schemas.integer("Only lines from the last N seconds.", 1, 31_536_000),
        "timestamps": schemas.boolean("Prefix each line with its timestamp."),
    },
    required=["resourceType"],
)


def selector_text(selector: Mapping[str, Any]) -> str:
    """A LabelSelector object as selector text: matchLabels and matchExpressions."""
    parts = [f"{k}={v}" for k, v in (selector.get("matchLabels") or {}).items()]
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr.get("key"), expr.get("operator"), ",".join(expr.get("values") or [])
        parts.append(
            {
                "In": f"{key} in ({values})",
                "NotIn": f"{key} notin ({values})",
                "Exists": f"{key}",
                "DoesNotExist": f"!{key}",
            }.get(str(op), f"{key}")
        )
    return ",".join(parts)


async def _pods(ctx: base.ToolContext, args: Mapping[str, Any], ns: str) -> tuple[list[Any], bool]:
    """The pods to read, and whether there were more than MAX_PODS."""
    kind, name = args["resourceType"], common.optional(args, "name")
    label, _ = common.selectors(args)
    if kind == "pod" and name is not None:
        return [await ctx.cluster.get(common.PODS, validate.dns_subdomain(name), namespace=ns)], False
    if name is not None:
        owner = await ctx.cluster.get(OWNERS[kind], validate.dns_subdomain(name), namespace=ns)
        label = selector_text((owner.get("spec") or {}).get("selector") or {})
        if not label:
            raise base.ToolInputError(f"The {kind} {name} has no pod selector; pass labelSelector instead.")
    elif label is None:
        raise base.ToolInputError(f"get_logs needs the {kind}'s name or a labelSelector.")
    page = await ctx.cluster.list(
        common.PODS, namespace=ns, label_selector=label, limit=MAX_PODS, as_table=False
    )
    return list(page.body.get("items") or []), page.continue_token is not None


def _container(pod: Mapping[str, Any], wanted: str | None) -> tuple[str | None, str]:
    """The container to read, and a remark for the header when the choice was ours."""
    names = [c.get("name") for c in (pod.get("spec") or {}).get("containers") or []]
    if wanted is not None or len(names) <= 1:
        return wanted, ""
    default = ((pod.get("metadata") or {}).get("annotations") or {}).get(DEFAULT_CONTAINER)
    chosen = default if default in names else names[0]
    return chosen, f" (containers: {', '.join(map(str, names))}; pass container to choose)"


async def _one_log(
    ctx: base.ToolContext, pod: Mapping[str, Any], ns: str, args: Mapping[str, Any], share: int
) -> str:
    wanted = common.optional(args, "container")
    container, remark = _container(pod, None if wanted is None else validate.dns_label(wanted, "container"))
    name = str((pod.get("metadata") or {}).get("name"))
    since, tail = args.get("since"), args.get("tail")
    options = k8s_types.LogOptions(
        container=container,
        since_seconds=since,
        tail_lines=tail if tail or since else DEFAULT_TAIL,
        timestamps=bool(args.get("timestamps")),
        limit_bytes=max(ctx.limits.max_log_bytes // share, 1024),
    )
    header = sanitize.clean(
        f"==> pod/{name}" + (f" container {container}" if container else "") + remark + " <=="
    )
    try:
        text = sanitize.clean(await _newest(ctx, ns, name, options))
    except errors.KubeError as err:
        if share == 1:
            raise
        text = f"(no log: {sanitize.clean(str(err))})"
    budget = max(ctx.limits.max_chars // share - len(header) - 2, 200)
    return (
        header
        + "\n"
        + caps.cut(
            text.rstrip("\n") or "(empty log)",
            budget,
            "pass a smaller tail or since to see the newest lines whole",
            keep_end=True,
        )
    )


async def _newest(ctx: base.ToolContext, ns: str, name: str, options: k8s_types.LogOptions) -> str:
    """The newest lines of the requested window that fit `limit_bytes`, with a note when cut.

    The API server applies limitBytes from the *start* of the tailLines/sinceSeconds window, so a
    window over the cap would come back as its oldest part. We ask again with a smaller tail,
    sized from the bytes per line just seen (at most REFETCHES times), then drop a partial line.
    """
    raw = await ctx.cluster.logs(ns, name, options)
    if len(raw.encode()) < options.limit_bytes:
        return raw
    requested = options.tail_lines
    for _ in range(REFETCHES):
        per_line = len(raw.encode()) / max(raw.count("\n"), 1)
        tail = max(1, int(options.limit_bytes * 0.9 / per_line))
        if options.tail_lines is not None and tail >= options.tail_lines:
            tail = options.tail_lines - 1
        if tail < 1:
            break
        options = dataclasses.replace(options, tail_lines=tail)
        raw = await ctx.cluster.logs(ns, name, options)
        if len(raw.encode()) < options.limit_bytes:
            break
    if len(raw.encode()) >= options.limit_bytes and "\n" in raw:
        raw = raw[: raw.rindex("\n") + 1]  # the cap fell inside a line: drop the partial one
    shown = raw.count("\n")
    asked = f"{requested} requested lines" if requested else "requested window"
    return raw + (
        f"(log cut at {options.limit_bytes} bytes: showing the newest {shown} lines of the {asked}; "
        "pass a smaller tail or since)\n"
    )


async def get_logs(ctx: base.ToolContext, args: Mapping[str, Any]) -> base.ToolResult:
    ns = common.namespace(ctx, args)
    if common.optional(args, "container") is not None:  # checked before the first request
        validate.dns_label(args["container"], "container")
    pods, more = await _pods(ctx, args, ns)
    if not pods:
        return base.ToolResult(
            f'No pods found for this {args["resourceType"]} in namespace "{ns}".', namespace=ns
        )
    parts = [await _one_log(ctx, pod, ns, args, len(pods)) for pod in pods]
    text = "\n\n".join(parts) + (
        f"\n\n(showing the first {MAX_PODS} pods; pass a narrower labelSelector or "
        "resourceType=pod with a name for the others)"
        if more
        else ""
    )
    kind = {"pod": "Pod", "deployment": "Deployment", "job": "Job"}[args["resourceType"]]
    return base.ToolResult(
        caps.cut(text, ctx.limits.max_chars, "ask for fewer lines"),
        namespace=ns,
        kind=kind,
        name=common.optional(args, "name"),
    )


def specs() -> tuple[base.ToolSpec, ...]:
    return (
        base.ToolSpec(
            "get_logs",
            "Get logs",
            "Read the recent log lines of a pod, or of every pod of a deployment or job; use it to see why a "
            "container fails.",
            SCHEMA,
            base.Safety.READ,
            get_logs,
            kind="Pod",
        ),
    )
