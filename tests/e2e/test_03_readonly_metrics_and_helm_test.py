"""/metrics through the Service counts every tool call made to this pod; then `helm test` passes.

Runs after the read-only modules (same pod: the phase is unchanged, so no restart reset the
counters), and adds one call of each outcome so it proves something when run alone too. `helm
test` comes last: its hook pod is one more client of the same server. While it runs we watch the
Service's EndpointSlices: the hook pod must never be listed there (it listens on no port, so a
client routed to it would fail).
"""

from __future__ import annotations

import json
import subprocess
import time

import e2e_mcp
import e2e_tools
import pytest
from e2e_objects import Workload
from e2e_release import Release
from prometheus_client import parser

pytestmark = pytest.mark.e2e


def test_metrics_count_exactly_the_tool_calls_made_to_this_pod(
    readonly: e2e_mcp.Endpoint, workload: Workload
) -> None:
    ns = workload.namespace
    readonly.call("list_pods", {"namespace": ns})
    readonly.call("describe_pod", {"name": "e2e-no-such-pod", "namespace": ns}, expect="error")
    readonly.call("list_pods", {"namespace": ns, "bogus": 1}, expect="invalid")
    readonly.call(
        "scale_deployment", {"name": workload.deployment, "namespace": ns, "replicas": 2}, expect="refused"
    )
    scraped = e2e_mcp.tool_call_counters(readonly.metrics())
    e2e_mcp.assert_counters_match(readonly.ledger, scraped)


def test_metrics_count_api_requests_by_verb_and_status_class(
    readonly: e2e_mcp.Endpoint, workload: Workload
) -> None:
    readonly.call("list_namespaces")
    readonly.call(
        "describe_pod", {"name": "e2e-no-such-pod", "namespace": workload.namespace}, expect="error"
    )
    samples = [
        sample
        for family in parser.text_string_to_metric_families(readonly.metrics())
        for sample in family.samples
        if sample.name == "kube_mcp_api_requests_total"
    ]
    assert any(
        s.labels.get("verb") == "list" and s.labels.get("code_class") == "2xx" and s.value > 0
        for s in samples
    )
    assert any(s.labels.get("code_class") == "4xx" and s.value > 0 for s in samples), "a 404 was not counted"


def service_backends(release: Release) -> set[str]:
    """Names of the pods the Service's EndpointSlices list right now."""
    out = release.kubectl(
        "get", "endpointslices", "-l", f"kubernetes.io/service-name={release.name}", "-o", "json"
    )
    return {
        endpoint["targetRef"]["name"]
        for item in json.loads(out)["items"]
        for endpoint in item.get("endpoints") or []
        if endpoint.get("targetRef")
    }


def test_helm_test_passes_and_its_pod_never_serves_behind_the_service(
    readonly: e2e_mcp.Endpoint, release: Release
) -> None:
    servers = {pod["metadata"]["name"] for pod in release.pods()}
    cmd = [e2e_tools.binary("helm"), "--kubeconfig", release.kubeconfig, "test", release.name]
    helm_test = subprocess.Popen([*cmd, "-n", release.namespace, "--timeout", "120s"], stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True)  # fmt: skip
    seen: set[str] = set()
    deadline = time.monotonic() + 150
    while helm_test.poll() is None and time.monotonic() < deadline:  # a kubectl call per ~0.1 s
        seen |= service_backends(release)
    output = helm_test.communicate(timeout=max(deadline - time.monotonic(), 1))[0]
    assert helm_test.returncode == 0, f"helm test failed:\n{output}"
    assert seen <= servers, (
        f"the Service listed {sorted(seen - servers)} as a backend during helm test: that pod matches the "
        "Service's selector and would get a share of MCP connections"
    )
