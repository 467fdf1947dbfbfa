"""What a tool is: a spec (name, schema, safety class) and an async handler.

A handler validates nothing itself that the schema can say; `kube_mcp.mcp_server` validates the
arguments against the strict schema before the handler runs, and checks the mode again at call
time. Handlers do one job: turn arguments into one or a few cluster calls and shape the answer.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from kube_mcp.k8s import types as k8s_types


class Safety(enum.Enum):
    """How much a tool can change: decides which modes register it."""

    READ = "read"  # never writes
    WRITE = "write"  # creates or changes, never removes (hidden by read-only)
    DESTRUCTIVE = "destructive"  # removes or replaces (hidden by read-only and non-destructive)


class ToolInputError(Exception):
    """The model's arguments are unusable; the message is one sentence telling it what to send."""


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
