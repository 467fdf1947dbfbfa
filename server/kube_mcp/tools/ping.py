"""ping: is the API server reachable, and which Kubernetes is it?

One cheap request (`/version`), timed. An unreachable server is reported by the server's usual
error path (a one-sentence `is_error` result) within the configured request timeout.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from kube_mcp.output import sanitize
from kube_mcp.tools import base, schemas


async def ping(ctx: base.ToolContext, args: Mapping[str, Any]) -> base.ToolResult:
    start = time.perf_counter()
    version = await ctx.cluster.version()
    millis = round((time.perf_counter() - start) * 1000)
    git = sanitize.clean(str(version.get("gitVersion") or "unknown"))[:64]
    platform = sanitize.clean(str(version.get("platform") or ""))[:64]
    text = f"The Kubernetes API server is reachable: version {git}" + (f" ({platform})" if platform else "")
    return base.ToolResult(
        text + f", answered in {millis} ms.",
        {"reachable": True, "version": git, "platform": platform, "milliseconds": millis},
    )


def specs() -> tuple[base.ToolSpec, ...]:
    return (
        base.ToolSpec(
            "ping",
            "Ping the cluster",
            "Check that the Kubernetes API server answers and report its version; use it first when other "
            "calls fail.",
            schemas.obj({}),
            base.Safety.READ,
            ping,
        ),
    )
