"""Assertions several phases share: a Secret's value never leaves the server, names are present.

The Secret is created with `kubectl apply`, so its value sits in three places a tool could leak
it from: `data` (base64), and the `last-applied-configuration` annotation (plain text, inside a
JSON string). We look for the plain value and its base64 form in every answer.
"""

from __future__ import annotations

import base64
from typing import Any

import e2e_mcp
from e2e_objects import Workload

# kubectl_get's output formats (ours: the seed's json/yaml/wide/name plus table; its `custom` is not offered).
OUTPUTS = (None, "table", "wide", "json", "yaml", "name")
SPELLINGS = ("secrets", "secret", "Secret")  # the kind as a model might write it


def secret_reads(w: Workload) -> list[tuple[str, dict[str, Any]]]:
    """kubectl_get of the Secret by name, of the namespace's Secrets, and across all namespaces."""
    calls: list[tuple[str, dict[str, Any]]] = []
    for spelling in SPELLINGS:
        for output in OUTPUTS:
            fmt = {"output": output} if output else {}
            calls.append(
                ("kubectl_get", {"resourceType": spelling, "name": w.secret, "namespace": w.namespace, **fmt})
            )
            calls.append(("kubectl_get", {"resourceType": spelling, "namespace": w.namespace, **fmt}))
    calls.append(("kubectl_get", {"resourceType": "secrets", "allNamespaces": True, "output": "json"}))
    return calls


def assert_secret_never_revealed(ep: e2e_mcp.Endpoint, w: Workload) -> list[str]:
    """Reads the Secret through every path; each answer is an error or redacted. Returns the answers."""
    needles = (w.secret_value, base64.b64encode(w.secret_value.encode()).decode())
    answers = []
    for (tool, args), result in zip(secret_reads(w), ep.call_many(secret_reads(w)), strict=True):
        text = ep.checked(tool, result, expect=None)
        for needle in needles:
            assert needle not in text, f"{tool} {args} revealed the Secret's value:\n{text[:2000]}"
        answers.append(text)
    return answers


def assert_names_in(text: str, *names: str) -> None:
    missing = [name for name in names if name not in text]
    assert not missing, f"{missing} not in the answer:\n{text[:3000]}"
