"""Arguments are checked against the tool's strict schema: unknown ones are named with the accepted
list, missing and mistyped ones get one sentence each."""

from __future__ import annotations

from typing import Any

import pytest

from kube_mcp.policy import schema, validate

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 10},
        "namespace": {"type": "string", "maxLength": 63},
        "output": {"type": "string", "enum": ["table", "yaml"], "default": "table"},
        "tail": {"type": "integer", "minimum": 1, "maximum": 100},
        "follow": {"type": "boolean", "default": False},
        "command": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["name"],
    "additionalProperties": False,
}


def check(arguments: Any) -> dict[str, Any]:
    return schema.check("demo_tool", SCHEMA, arguments)


def refused(arguments: Any) -> str:
    with pytest.raises(validate.ToolInputError) as caught:
        check(arguments)
    return str(caught.value)


def test_valid_arguments_come_back_with_defaults_filled() -> None:
    assert check({"name": "web", "tail": 5}) == {"name": "web", "tail": 5, "output": "table", "follow": False}


def test_an_unknown_argument_is_named_with_the_accepted_list() -> None:
    assert refused({"name": "web", "context": "prod"}) == (
        'Unknown argument "context" for demo_tool; accepted arguments: '
        "name, namespace, output, tail, follow, command."
    )


def test_several_unknown_arguments_are_all_named() -> None:
    assert refused({"name": "w", "server": "x", "token": "y"}).startswith(
        'Unknown arguments "server", "token"'
    )


def test_an_unknown_argument_is_refused_even_when_null() -> None:
    assert "Unknown argument" in refused({"name": "web", "kubeconfig": None})


def test_a_missing_required_argument_is_named() -> None:
    assert refused({}) == (
        'Missing required argument "name" for demo_tool; accepted arguments: name, namespace, output, tail, '
        "follow, command."
    )


def test_null_and_empty_optional_arguments_count_as_not_given() -> None:
    assert check({"name": "web", "namespace": "", "tail": None}) == {
        "name": "web",
        "output": "table",
        "follow": False,
    }


def test_an_empty_required_string_is_refused() -> None:
    assert refused({"name": ""}) == 'Argument "name" must not be empty.'


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"name": 5}, 'Argument "name" must be a string.'),
        ({"name": "w", "tail": "10"}, 'Argument "tail" must be an integer.'),
        ({"name": "w", "tail": True}, 'Argument "tail" must be an integer.'),
        ({"name": "w", "tail": 1.5}, 'Argument "tail" must be an integer.'),
        ({"name": "w", "tail": 0}, 'Argument "tail" must be from 1 to 100.'),
        ({"name": "w", "follow": "yes"}, 'Argument "follow" must be true or false.'),
        ({"name": "w", "output": "xml"}, 'Argument "output" must be one of: table, yaml.'),
        ({"name": "w" * 11}, 'Argument "name" must be at most 10 characters.'),
        ({"name": "w", "command": ["ls", 3]}, 'Argument "command[1]" must be a string.'),
        ({"name": "w", "command": "ls"}, 'Argument "command" must be an array.'),
    ],
)
def test_wrong_types_and_ranges_get_one_sentence(arguments: dict[str, Any], message: str) -> None:
    assert refused(arguments) == message


def test_a_whole_float_is_accepted_as_an_integer() -> None:
    assert check({"name": "w", "tail": 10.0})["tail"] == 10


def test_arguments_that_are_not_an_object_are_refused() -> None:
    assert refused(["web"]).startswith("Arguments for demo_tool must be an object")


def test_none_means_no_arguments() -> None:
    assert schema.check("t", {"type": "object", "properties": {}, "additionalProperties": False}, None) == {}


def test_keywords_outside_the_subset_are_reported() -> None:
    assert schema.unsupported_keywords({"type": "object", "properties": {"a": {"pattern": "x"}}}) == {
        "pattern"
    }
    assert schema.unsupported_keywords(SCHEMA) == set()
