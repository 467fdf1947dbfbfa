"""A strict checker for the small JSON Schema subset our tool schemas use.

Why our own: `jsonschema` costs ~100 ms of import and its messages are written for programmers
("Additional properties are not allowed ('foo' was unexpected)"). A model acts better on "Unknown
argument "foo" for list_pods; accepted arguments: namespace, limit, continue." The subset:
type, enum, required, properties, additionalProperties (always false at the top), items,
minimum/maximum, minLength/maxLength, default. A tool schema using anything else fails the
unit test that walks the catalog, not a call.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kube_mcp.policy import validate

KEYWORDS = frozenset(
    {
        "type",
        "enum",
        "required",
        "properties",
        "additionalProperties",
        "items",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "default",
        "description",
        "title",
    }
)

_TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "array": "an array",
    "object": "an object",
}


def _accepted(schema: Mapping[str, Any]) -> str:
    names = list(schema.get("properties", {}))
    return "accepted arguments: " + (", ".join(names) if names else "none")


def _quoted(key: object) -> str:
    text = "".join(c if c.isascii() and c.isprintable() else "?" for c in str(key)[:40])
    return f'"{text}"'


def check(tool: str, schema: Mapping[str, Any], arguments: Mapping[str, Any] | None) -> dict[str, Any]:
    """The arguments, checked, with schema defaults filled in; raises ToolInputError."""
    if arguments is None:
        arguments = {}
    if not isinstance(arguments, Mapping):
        raise validate.ToolInputError(f"Arguments for {tool} must be an object; {_accepted(schema)}.")
    required = schema.get("required", ())
    # null, and "" for an optional parameter, count as not given: models send both for "not given"
    given = {k: v for k, v in arguments.items() if v is not None and (v != "" or k in required)}
    properties: Mapping[str, Any] = schema.get("properties", {})
    unknown = [k for k in arguments if k not in properties]
    if unknown:
        word = "argument" if len(unknown) == 1 else "arguments"
        listed = ", ".join(_quoted(k) for k in unknown[:5])
        raise validate.ToolInputError(f"Unknown {word} {listed} for {tool}; {_accepted(schema)}.")
    missing = [k for k in required if k not in given]
    if missing:
        raise validate.ToolInputError(
            f'Missing required argument "{missing[0]}" for {tool}; {_accepted(schema)}.'
        )
    result: dict[str, Any] = {}
    for key, sub in properties.items():
        if key in given:
            result[key] = _value(key, sub, given[key])
        elif "default" in sub:
            result[key] = sub["default"]
    return result


def _value(path: str, schema: Mapping[str, Any], value: Any) -> Any:
    kind = schema.get("type")
    value = _typed(path, kind, value)
    if "enum" in schema and value not in schema["enum"]:
        choices = ", ".join(str(c) for c in schema["enum"])
        raise validate.ToolInputError(f'Argument "{path}" must be one of: {choices}.')
    if kind in ("integer", "number"):
        _range(path, schema, value)
    elif kind == "string":
        _length(path, schema, value)
    elif kind == "array" and "items" in schema:
        value = [_value(f"{path}[{i}]", schema["items"], item) for i, item in enumerate(value)]
    return value


def _typed(path: str, kind: str | None, value: Any) -> Any:
    ok = {
        "string": isinstance(value, str),
        "boolean": isinstance(value, bool),
        "integer": (isinstance(value, int) and not isinstance(value, bool))
        or (isinstance(value, float) and value.is_integer()),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "array": isinstance(value, list),
        "object": isinstance(value, Mapping),
        None: True,
    }.get(kind, False)
    if not ok:
        raise validate.ToolInputError(f'Argument "{path}" must be {_TYPE_WORDS.get(str(kind), kind)}.')
    return int(value) if kind == "integer" else value


def _range(path: str, schema: Mapping[str, Any], value: float) -> None:
    low, high = schema.get("minimum"), schema.get("maximum")
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = (
            f"from {low} to {high}"
            if low is not None and high is not None
            else (f"at least {low}" if low is not None else f"at most {high}")
        )
        raise validate.ToolInputError(f'Argument "{path}" must be {bounds}.')


def _length(path: str, schema: Mapping[str, Any], value: str) -> None:
    if len(value) < schema.get("minLength", 0):
        raise validate.ToolInputError(f'Argument "{path}" must not be empty.')
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        raise validate.ToolInputError(f'Argument "{path}" must be at most {schema["maxLength"]} characters.')


def unsupported_keywords(schema: Mapping[str, Any]) -> set[str]:
    """Keywords outside the subset anywhere in `schema` (the catalog test wants none)."""
    found = set(schema) - KEYWORDS
    for sub in schema.get("properties", {}).values():
        found |= unsupported_keywords(sub)
    if isinstance(schema.get("items"), Mapping):
        found |= unsupported_keywords(schema["items"])
    return found
