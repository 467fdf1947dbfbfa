"""Admin RBAC with the seed's ALLOW_ONLY_NON_DESTRUCTIVE_TOOLS: no delete_* listed or callable.

The RBAC would allow the deletes, so only the server's mode stands between the call and the
object: a refusal here with the object still present is the mode working at call time. The
ServiceAccount may read Secrets in this phase (rbac.readSecrets), so only the server's redaction
stands between a Secret's value and the answer.
"""

from __future__ import annotations

from collections.abc import Iterator

import e2e_checks
import e2e_mcp
import e2e_objects
import e2e_values
import pytest
from e2e_objects import Workload
from prometheus_client import parser

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def non_destructive(enter_phase: e2e_mcp.EnterPhase, workload: Workload) -> Iterator[e2e_mcp.Endpoint]:
    with enter_phase(e2e_values.ADMIN_NON_DESTRUCTIVE) as endpoint:
        yield endpoint


@pytest.mark.parametrize("transport", ["sse", "mcp"])
def test_non_destructive_lists_writes_but_no_delete_tool(
    non_destructive: e2e_mcp.Endpoint, transport: str
) -> None:
    names = non_destructive.tool_names(transport)
    assert not names & e2e_values.DESTRUCTIVE_TOOLS, sorted(names)
    assert names >= e2e_values.WRITE_TOOLS, sorted(names)


@pytest.mark.parametrize(
    ("tool", "kind"),
    [("delete_pod", "pod"), ("delete_deployment", "deployment"), ("delete_cronjob", "cronjob")],
)
def test_non_destructive_refuses_delete_tools_by_name_and_the_object_stays(
    non_destructive: e2e_mcp.Endpoint, workload: Workload, kubeconfig: str, tool: str, kind: str
) -> None:
    name = {"pod": workload.pod, "deployment": workload.deployment, "cronjob": workload.cronjob}[kind]
    text = non_destructive.call(tool, {"name": name, "namespace": workload.namespace}, expect="refused")
    assert "non-destructive" in text, text
    assert e2e_objects.exists(kubeconfig, workload.namespace, kind, name)


def test_non_destructive_refuses_delete_namespace_by_name(
    non_destructive: e2e_mcp.Endpoint, workload: Workload, kubeconfig: str
) -> None:
    non_destructive.call("delete_namespace", {"name": workload.namespace}, expect="refused")
    assert e2e_objects.exists(kubeconfig, None, "namespace", workload.namespace)


def test_a_readable_secret_comes_back_with_its_keys_but_never_its_value(
    non_destructive: e2e_mcp.Endpoint, workload: Workload
) -> None:
    args = {
        "resourceType": "secrets",
        "name": workload.secret,
        "namespace": workload.namespace,
        "output": "json",
    }
    text = non_destructive.call("kubectl_get", args)
    assert "password" in text, f"the Secret's keys should stay visible: {text[:2000]}"
    e2e_checks.assert_secret_never_revealed(non_destructive, workload)
    redactions = {
        sample.labels["kind"]: sample.value
        for family in parser.text_string_to_metric_families(non_destructive.metrics())
        for sample in family.samples
        if sample.name == "kube_mcp_redactions_total"
    }
    assert redactions.get("secret", 0) > 0 and redactions.get("last_applied", 0) > 0, redactions
