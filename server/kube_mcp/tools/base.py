"""What a tool is: a spec (name, schema, safety class) and an async handler.

A handler validates nothing itself that the schema can say; `kube_mcp.mcp_server` validates the
arguments against the strict schema before the handler runs, and checks the mode again at call
time. Handlers do one job: turn arguments into one or a few cluster calls and shape the answer.
"""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from kube_mcp.k8s import types as k8s_types
from kube_mcp.policy import modes, validate

# Both live in policy (below tools) so name validation and mode checks can use them; these names
# are the tools' vocabulary and stay importable from here.
Safety = modes.Safety
ToolInputError = validate.ToolInputError


@dataclasses.dataclass(frozen=True, slots=True)
class OutputLimits:
    max_chars: int
    page_size: int
    redact_env_values: bool
    max_log_bytes: int


@dataclasses.dataclass(frozen=True, slots=True)
class ToolContext:
    """What a handler gets besides its arguments."""

    cluster: k8s_types.ClusterApi
    limits: OutputLimits
    # Values hidden while shaping this call's answer, by kind ("secret", "env", "last_applied");
    # one fresh counter per call, read by the server for the redactions metric.
    redactions: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)


@dataclasses.dataclass(frozen=True, slots=True)
class ToolResult:
    """A successful answer: text for the model, optional structured content, and for the audit
    line the object the call was about."""

    text: str
    structured: dict[str, Any] | None = None
    namespace: str | None = None
    kind: str | None = None
    name: str | None = None


Handler = Callable[[ToolContext, Mapping[str, Any]], Awaitable[ToolResult]]


@dataclasses.dataclass(frozen=True, slots=True)
class ToolSpec:
    name: str
    title: str
    description: str  # one line for a model: a verb phrase, then when to use it
    input_schema: dict[str, Any]  # JSON Schema, additionalProperties false
    safety: Safety
    handler: Handler
    idempotent: bool = True
    kind: str | None = None  # the kind the tool is about ("Pod"), for the audit line of failed calls
