"""Building blocks of the tools' input schemas, so every tool describes a parameter the same way.

Schemas are strict (`additionalProperties: false`) and use only the subset
`kube_mcp.policy.schema` checks. Required strings get `minLength: 1`; an optional string sent
empty counts as not sent (models often fill every parameter with ""). Parameter names are the
seed's (camelCase: `labelSelector`, `ignoreNotFound`), so prompts written for the TypeScript
server keep working.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kube_mcp.policy import validate

Schema = dict[str, Any]


def obj(properties: Mapping[str, Schema], required: Sequence[str] = ()) -> Schema:
    props = {key: _required(sub) if key in required else sub for key, sub in properties.items()}
    schema: Schema = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    return schema


def _required(sub: Schema) -> Schema:
    return {**sub, "minLength": 1} if sub.get("type") == "string" and "enum" not in sub else sub


def string(description: str, max_length: int = 253) -> Schema:
    return {"type": "string", "description": description, "maxLength": max_length}


def boolean(description: str, default: bool = False) -> Schema:
    return {"type": "boolean", "description": description, "default": default}


def integer(description: str, minimum: int, maximum: int) -> Schema:
    return {"type": "integer", "description": description, "minimum": minimum, "maximum": maximum}


def name(kind: str) -> Schema:
    return string(f"Name of the {kind}.")


NAMESPACE = string('Namespace (default: the server\'s default namespace, normally "default").', 63)
REQUIRED_NAMESPACE = string("Namespace of the object.", 63)
LABEL_SELECTOR = string(
    "Label selector, e.g. app=web,tier!=db or env in (prod,staging).", validate.MAX_SELECTOR
)
FIELD_SELECTOR = string(
    "Field selector, e.g. status.phase=Running or spec.nodeName=node-1.", validate.MAX_SELECTOR
)
LIMIT = integer("Most objects per page (default: the server's page size, usually 100).", 1, 1000)
CONTINUE = string(
    "The continue token a previous answer's note gave, to get the next page.", validate.MAX_TOKEN
)
IGNORE_NOT_FOUND = boolean("Succeed without error if the object does not exist.")

PAGING: dict[str, Schema] = {"limit": LIMIT, "continue": CONTINUE}
