"""Callers from another pod, through the Service DNS name: a token is required, and only ours works.

One client pod (our own image, Python's urllib) tries each credential in turn against
`http://<release>.<namespace>.svc:3000/mcp`: none, a wrong token, the chart's static token (from
the Secret named by auth.staticToken.existingSecret), its own ServiceAccount token (audience: the
API server, which an MCP server must not accept) and a token minted for audience `kube-mcp`.
"""

from __future__ import annotations

from typing import Any

import e2e_mcp
import e2e_objects
import pytest
from e2e_objects import Workload
from e2e_release import Release

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def attempts(
    readonly: e2e_mcp.Endpoint, release: Release, workload: Workload, e2e_token: str, kubectl
) -> dict[str, Any]:
    audience_token = kubectl(
        "-n", workload.namespace, "create", "token", "default", "--audience", "kube-mcp", "--duration", "10m"
    ).stdout.strip()
    env = {
        "URL": f"http://{release.name}.{release.namespace}.svc:3000/mcp",
        "TOKEN": e2e_token,
        "AUD_TOKEN": audience_token,
    }
    result = e2e_objects.run_netclient(release.kubeconfig, workload.namespace, workload.image, env)
    for outcome in result.values():  # the server counted every call it let through
        if outcome.get("result") is not None:
            readonly.record("list_namespaces", "error" if outcome["result"].get("isError") else "ok")
    return result


@pytest.mark.parametrize("case", ["none", "wrong", "apiserver_audience"])
def test_network_caller_without_a_valid_token_is_refused_with_401(
    attempts: dict[str, Any], case: str
) -> None:
    assert case in attempts, f"the client pod did not try {case}: {attempts}"
    assert attempts[case]["initialize"] == 401, attempts[case]


def test_network_caller_with_the_configured_token_lists_namespaces(
    attempts: dict[str, Any], workload: Workload
) -> None:
    assert_listed_namespaces(attempts["static"], workload.namespace)


def test_network_caller_with_a_token_for_the_kube_mcp_audience_is_let_in(
    attempts: dict[str, Any], workload: Workload
) -> None:
    assert_listed_namespaces(attempts["kube_mcp_audience"], workload.namespace)


def assert_listed_namespaces(attempt: dict[str, Any], namespace: str) -> None:
    assert attempt["initialize"] == 200, attempt
    assert attempt.get("call") == 200 and attempt.get("result") is not None, attempt
    result = attempt["result"]
    assert not result.get("isError"), result
    assert namespace in e2e_mcp.raw_text_of(result), result
