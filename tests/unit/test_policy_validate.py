"""Names, namespaces, selectors and tokens are checked before any request: the value patterns behind
published exploits (`--server=...`, `../`, `%2F`, newlines, shell characters) are refused with a
sentence that says what to send instead."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kube_mcp.policy import validate

BAD_NAMES = {
    "--server=https://evil.example": 'must not start with "-"',
    "-n": 'must not start with "-"',
    "kube-system/secrets": 'must not contain "/"',
    "..": 'must not contain ".."',
    "a..b": 'must not contain ".."',
    "..%2Fsecrets": 'must not contain ".."',
    "x%2Fsecrets": 'must not contain "%"',
    "x%2fy": 'must not contain "%"',
    "web\nINFO injected": "newlines or control characters",
    "web\r": "newlines or control characters",
    "web\x00": "newlines or control characters",
    "web;rm -rf /": 'must not contain "/"',
    "web;id": "shell characters",
    "web|cat": "shell characters",
    "web&&id": "shell characters",
    "$(id)": "shell characters",
    "`id`": "shell characters",
    "a>b": "shell characters",
    "a b": "shell characters",
    "a*": "shell characters",
    "": "must not be empty",
}

CHECKERS: list[Callable[..., str]] = [
    validate.dns_subdomain,
    validate.dns_label,
    validate.namespace,
    validate.object_name,
    validate.resource_type,
]


@pytest.mark.parametrize("check", CHECKERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("value", "why"), BAD_NAMES.items(), ids=[repr(v) for v in BAD_NAMES])
def test_every_checklist_pattern_is_refused_with_a_clear_reason(
    check: Callable[..., str], value: str, why: str
) -> None:
    with pytest.raises(validate.ToolInputError, match=r"is not valid|must not be empty") as caught:
        check(value)
    assert why in str(caught.value)
    assert "\n" not in str(caught.value) and str(caught.value).endswith(".")


def test_dns_label_rules_length_and_case() -> None:
    assert validate.dns_label("a" * 63) == "a" * 63
    for bad in ("a" * 64, "Web", "web-", "web.x", "_web"):
        with pytest.raises(validate.ToolInputError):
            validate.dns_label(bad)


def test_dns_subdomain_allows_dots_up_to_253() -> None:
    name = ".".join(["a" * 63] * 3) + "." + "b" * 61
    assert len(name) == 253 and validate.dns_subdomain(name) == name
    for bad in (name + "c", "Web", "web.", ".web", "web_1"):
        with pytest.raises(validate.ToolInputError):
            validate.dns_subdomain(bad)


def test_namespace_errors_name_the_namespace() -> None:
    with pytest.raises(validate.ToolInputError, match=r'^namespace "-x" is not valid'):
        validate.namespace("-x")


def test_generic_names_allow_what_non_dns_kinds_use() -> None:
    for name in ("system:node", "system:controller:job-controller", "Admin_Role", "user@example.com"):
        assert validate.object_name(name) == name


def test_resource_types_accept_kinds_short_names_and_groups() -> None:
    for value in ("pods", "po", "Deployment", "deployments.apps", "certificates.cert-manager.io"):
        assert validate.resource_type(value) == value
    for bad in ("pods/log", "pods.", "1pods", "pods,secrets"):
        with pytest.raises(validate.ToolInputError):
            validate.resource_type(bad)


def test_selectors_accept_kubernetes_syntax() -> None:
    for value in (
        "app=web",
        "app.kubernetes.io/name=web,tier!=db",
        "env in (prod,staging)",
        "!canary",
        "app",
    ):
        assert validate.selector(value) == value
    assert validate.selector("status.phase=Running,spec.nodeName=node-1", "fieldSelector")


@pytest.mark.parametrize(
    "value",
    [
        "app=web;id",
        "app=$(id)",
        "app=web\nx",
        "-app",
        "a" * 1025,
        "app=%2F",
        "app=`x`",
        "app==web|x",
        "app=a..b",
    ],
)
def test_selectors_with_other_characters_or_too_long_are_refused(value: str) -> None:
    with pytest.raises(validate.ToolInputError, match="labelSelector"):
        validate.selector(value)


def test_continue_tokens_are_opaque_base64() -> None:
    assert validate.continue_token("eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ") == "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ"
    for bad in ("abc def", "abc\n", "x" * 8193, "a;b"):
        with pytest.raises(validate.ToolInputError, match="continue"):
            validate.continue_token(bad)


def test_sort_by_is_a_plain_field_path() -> None:
    for value in (".metadata.creationTimestamp", "{.status.startTime}", ".spec.containers[0].image"):
        assert validate.sort_by(value) == value
    for bad in (".metadata..name", "{.items[*]}", ".a;b", ".a b"):
        with pytest.raises(validate.ToolInputError, match="sortBy"):
            validate.sort_by(bad)


def test_error_messages_do_not_echo_unprintable_or_huge_values() -> None:
    with pytest.raises(validate.ToolInputError) as caught:
        validate.dns_label("-" + "\u202e" * 5 + "x" * 500)
    message = str(caught.value)
    assert "\u202e" not in message and len(message) < 200
