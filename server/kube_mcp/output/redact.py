"""Values a tool answer never shows, whatever path the object took to get here.

- Secret `data`/`stringData`: keys kept (useful), values replaced. Keyed on the object's kind:
  a Secret, an item of a SecretList (the API server leaves `kind` off list items), or an item
  of a mixed `List`.
- Literal `env[].value` of containers, initContainers and ephemeralContainers in any pod spec,
  wherever it sits (Pod, Deployment/Job/CronJob templates, a CRD that embeds a pod template);
  `valueFrom` references are kept. On by default (settings.redact_env_values): people put
  passwords there.
- The `kubectl.kubernetes.io/last-applied-configuration` annotation: a full copy of what was
  applied, Secret data included.
- `metadata.managedFields`: not secret, but noise that often doubles an object's size.

`redact` works on a deep copy and counts what it hid in a Counter ("secret", "env",
"last_applied") that feeds the redactions metric.
"""

from __future__ import annotations

import collections
import copy
from typing import Any

REDACTED = "<redacted>"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")


def redact(
    value: Any,
    *,
    env_values: bool = True,
    counter: collections.Counter[str] | None = None,
    in_place: bool = False,
) -> Any:
    """A redacted deep copy of an object, a List, or a Table; `in_place` redacts `value` itself, for
    a freshly parsed API answer nobody else holds (a copy of a 100-pod page costs ~6 ms)."""
    counts: collections.Counter[str] = counter if counter is not None else collections.Counter()
    target = value if in_place else copy.deepcopy(value)
    _walk(target, None, env_values, counts)
    return target


def _walk(node: Any, kind_hint: str | None, env_values: bool, counts: collections.Counter[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, kind_hint, env_values, counts)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("kind") if isinstance(node.get("kind"), str) else kind_hint
    if kind == "Secret" or (kind is None and _looks_like_secret(node)):
        _secret(node, counts)
    if isinstance(node.get("metadata"), dict):
        _metadata(node["metadata"], counts)
    if env_values:
        for key in CONTAINER_LISTS:
            if isinstance(node.get(key), list):
                _env(node[key], counts)
    item_hint = _item_kind(kind)
    for key, child in node.items():
        if key == "items":
            _walk(child, item_hint, env_values, counts)
        elif key in ("data", "stringData") and kind == "Secret":
            continue
        else:
            _walk(child, None, env_values, counts)


def _item_kind(kind: str | None) -> str | None:
    """`SecretList` -> `Secret`; a mixed `List` gives no hint (its items carry their kind)."""
    if kind and kind.endswith("List") and len(kind) > 4:
        return kind[:-4]
    return None


def _looks_like_secret(node: dict[str, Any]) -> bool:
    """A kind-less object shaped like a Secret: when unsure, hide."""
    return (
        isinstance(node.get("type"), str) and ("data" in node or "stringData" in node) and "spec" not in node
    )


def _secret(node: dict[str, Any], counts: collections.Counter[str]) -> None:
    for key in ("data", "stringData"):
        values = node.get(key)
        if isinstance(values, dict) and values:
            node[key] = dict.fromkeys(values, REDACTED)
            counts["secret"] += len(values)
        elif values:  # not a mapping: nothing to keep
            node[key] = REDACTED
            counts["secret"] += 1


def _metadata(meta: dict[str, Any], counts: collections.Counter[str]) -> None:
    meta.pop("managedFields", None)
    annotations = meta.get("annotations")
    if isinstance(annotations, dict) and LAST_APPLIED in annotations:
        annotations[LAST_APPLIED] = REDACTED
        counts["last_applied"] += 1


def _env(containers: list[Any], counts: collections.Counter[str]) -> None:
    for container in containers:
        env = container.get("env") if isinstance(container, dict) else None
        for var in env if isinstance(env, list) else ():
            if isinstance(var, dict) and "value" in var:
                var["value"] = REDACTED
                counts["env"] += 1
