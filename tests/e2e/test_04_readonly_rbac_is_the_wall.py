"""Read-only RBAC with the server's mode forced to allow writes: Kubernetes still says no (403).

The server's mode is the second wall; this phase removes it (a values override) to show the first
one stands on its own: the ServiceAccount of the read-only variant cannot write, so every write
tool answers an error that says forbidden, and the objects it aimed at are untouched.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import e2e_mcp
import e2e_objects
import e2e_values
import pytest
from e2e_objects import Workload

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def forced(enter_phase: e2e_mcp.EnterPhase, workload: Workload) -> Iterator[e2e_mcp.Endpoint]:
    with enter_phase(e2e_values.FORCED_WRITES) as endpoint:
        yield endpoint


def assert_forbidden(text: str) -> None:
    assert "forbidden" in text.lower(), f"the refusal does not say forbidden: {text}"


def test_the_override_makes_the_server_list_its_write_tools(forced: e2e_mcp.Endpoint) -> None:
    names = forced.tool_names()
    missing = (e2e_values.WRITE_TOOLS | e2e_values.DESTRUCTIVE_TOOLS) - names
    assert not missing, f"the server mode still hides {sorted(missing)}: the override did not take"


def test_scale_deployment_is_forbidden_and_the_replicas_stay(
    forced: e2e_mcp.Endpoint, workload: Workload, kubectl
) -> None:
    ns = workload.namespace
    assert_forbidden(
        forced.call(
            "scale_deployment", {"name": workload.deployment, "namespace": ns, "replicas": 3}, expect="error"
        )
    )
    assert (
        kubectl("get", "deploy", workload.deployment, "-n", ns, "-o", "jsonpath={.spec.replicas}").stdout
        == "1"
    )


def test_create_namespace_is_forbidden_and_nothing_is_created(
    forced: e2e_mcp.Endpoint, kubectl, kubeconfig: str
) -> None:
    name = f"kmcp-e2e-never-{secrets.token_hex(3)}"
    try:
        assert_forbidden(forced.call("create_namespace", {"name": name}, expect="error"))
        assert not e2e_objects.exists(kubeconfig, None, "namespace", name)
    finally:
        kubectl("delete", "namespace", name, "--ignore-not-found", "--wait=false")


@pytest.mark.parametrize(
    ("tool", "kind"),
    [("delete_pod", "pod"), ("delete_deployment", "deployment"), ("delete_cronjob", "cronjob")],
)
def test_delete_tools_are_forbidden_and_the_object_stays(
    forced: e2e_mcp.Endpoint, workload: Workload, kubeconfig: str, tool: str, kind: str
) -> None:
    name = {"pod": workload.pod, "deployment": workload.deployment, "cronjob": workload.cronjob}[kind]
    assert_forbidden(forced.call(tool, {"name": name, "namespace": workload.namespace}, expect="error"))
    assert e2e_objects.exists(kubeconfig, workload.namespace, kind, name)


def test_delete_namespace_is_forbidden_and_the_namespace_stays(
    forced: e2e_mcp.Endpoint, workload: Workload, kubeconfig: str
) -> None:
    assert_forbidden(forced.call("delete_namespace", {"name": workload.namespace}, expect="error"))
    assert e2e_objects.exists(kubeconfig, None, "namespace", workload.namespace)
