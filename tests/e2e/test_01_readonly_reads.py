"""The default install (read-only) through `kubectl port-forward svc/<release> :3000`, as a team uses it.

The seed's curl demo over /sse, the SDK's SSE and Streamable HTTP clients and a 2026-07-28
stateless client reading objects the test created in another namespace; no write tool listed or
callable; Secret values never shown.
"""

from __future__ import annotations

import json
import re

import e2e_checks
import e2e_forward
import e2e_mcp
import e2e_seed
import e2e_values
import mcp_types as types
import pytest
from e2e_objects import Workload
from mcp import Client, ClientSession

pytestmark = pytest.mark.e2e
NO_PODS = re.compile(r"\bno pods\b|\bnone\b|\bno resources\b|\bnot? found\b|\b0 pods\b|\bempty\b", re.I)


def seed_flow(readonly: e2e_mcp.Endpoint, namespace: str) -> str:
    """The README's two curl commands; returns the text of the tool answer."""
    answer = e2e_seed.run_seed_flow(readonly.url, e2e_seed.seed_body(namespace))
    result = answer.message.get("result")
    if result is not None:
        readonly.record("list_pods", "error" if result.get("isError") else "ok")
    assert answer.post_status == "202", f"POST /messages answered {answer.post_status}"
    assert result is not None, f"the answer is a JSON-RPC error: {answer.message}"
    text = e2e_mcp.raw_text_of(result)
    assert not result.get("isError"), f"list_pods failed: {text}"
    return text


def test_seed_curl_demo_lists_the_pods_of_default(readonly: e2e_mcp.Endpoint, kubectl) -> None:
    def pods_of_default() -> set[str]:
        out = kubectl("get", "pods", "-n", "default", "-o", "name").stdout
        return {pod.removeprefix("pod/") for pod in out.split()}

    # Others may use default: only pods there before and after the call must be in the answer.
    before = pods_of_default()
    text = seed_flow(readonly, "default")
    after = pods_of_default()
    if before or after:
        e2e_checks.assert_names_in(text, *sorted(before & after))
    else:
        assert NO_PODS.search(text), f"default has no pods, but the answer does not say so: {text}"


def test_seed_curl_demo_names_the_pod_created_in_a_test_namespace(
    readonly: e2e_mcp.Endpoint, workload: Workload
) -> None:
    e2e_checks.assert_names_in(seed_flow(readonly, workload.namespace), workload.pod)


def test_sse_client_initializes_lists_read_tools_and_finds_the_test_pod(
    readonly: e2e_mcp.Endpoint, workload: Workload
) -> None:
    async def go(session: ClientSession) -> tuple[types.ListToolsResult, types.CallToolResult]:
        listed = await session.list_tools()
        return listed, await session.call_tool("list_pods", {"namespace": workload.namespace})

    listed, result = e2e_mcp.run_in_session(readonly.url, "sse", go)
    assert {tool.name for tool in listed.tools} >= e2e_values.READ_TOOLS
    e2e_checks.assert_names_in(readonly.checked("list_pods", result), workload.pod)


def test_describe_pod_names_its_image_and_node_and_hides_literal_env_values(
    readonly: e2e_mcp.Endpoint, workload: Workload, kubectl
) -> None:
    node = kubectl(
        "get", "pod", workload.pod, "-n", workload.namespace, "-o", "jsonpath={.spec.nodeName}"
    ).stdout
    text = readonly.call("describe_pod", {"name": workload.pod, "namespace": workload.namespace})
    e2e_checks.assert_names_in(text, workload.pod, node, "E2E_LITERAL")
    assert workload.env_value not in text, f"a literal env value was shown: {text[:2000]}"


def test_streamable_http_client_reads_deployments_services_events_and_logs(
    readonly: e2e_mcp.Endpoint, workload: Workload
) -> None:
    ns = {"namespace": workload.namespace}
    e2e_checks.assert_names_in(readonly.call("list_deployments", ns), workload.deployment)
    e2e_checks.assert_names_in(readonly.call("list_services", ns), workload.service)
    e2e_checks.assert_names_in(readonly.call("get_events", ns), workload.pod)
    logs = readonly.call("get_logs", {"resourceType": "pod", "name": workload.pod, **ns})
    e2e_checks.assert_names_in(logs, workload.log_marker)


def test_cluster_wide_reads_show_the_test_namespace_and_every_node(
    readonly: e2e_mcp.Endpoint, workload: Workload, kubectl
) -> None:
    nodes = [n.removeprefix("node/") for n in kubectl("get", "nodes", "-o", "name").stdout.split()]
    e2e_checks.assert_names_in(readonly.call("list_namespaces"), workload.namespace)
    e2e_checks.assert_names_in(readonly.call("list_nodes"), *nodes)


def test_kubectl_get_returns_the_test_pod_as_json(readonly: e2e_mcp.Endpoint, workload: Workload) -> None:
    args = {"resourceType": "pods", "name": workload.pod, "namespace": workload.namespace, "output": "json"}
    text = readonly.call("kubectl_get", args)
    assert json.loads(text[text.index("{") :])["metadata"]["name"] == workload.pod


def test_a_2026_stateless_client_lists_tools_and_calls_ping(readonly: e2e_mcp.Endpoint) -> None:
    async def go(client: Client) -> tuple[types.ListToolsResult, types.CallToolResult]:
        return await client.list_tools(), await client.call_tool("ping", {})

    listed, result = e2e_mcp.run_modern(readonly.url, go)
    assert {tool.name for tool in listed.tools} >= e2e_values.READ_TOOLS
    readonly.checked("ping", result)


@pytest.mark.parametrize("transport", ["sse", "mcp"])
def test_readonly_tool_list_has_no_write_tool(readonly: e2e_mcp.Endpoint, transport: str) -> None:
    names = readonly.tool_names(transport)
    assert not names & (e2e_values.WRITE_TOOLS | e2e_values.DESTRUCTIVE_TOOLS), sorted(names)


def test_readonly_server_refuses_write_tools_called_by_name(
    readonly: e2e_mcp.Endpoint, workload: Workload, kubectl
) -> None:
    ns = workload.namespace
    text = readonly.call(
        "scale_deployment", {"name": workload.deployment, "namespace": ns, "replicas": 3}, expect="refused"
    )
    assert "read-only" in text, text
    readonly.call("delete_pod", {"name": workload.pod, "namespace": ns}, expect="refused")
    replicas = kubectl(
        "get", "deploy", workload.deployment, "-n", ns, "-o", "jsonpath={.spec.replicas}"
    ).stdout
    assert replicas == "1"
    kubectl("get", "pod", workload.pod, "-n", ns)


def test_secret_value_never_appears_through_any_tool(readonly: e2e_mcp.Endpoint, workload: Workload) -> None:
    e2e_checks.assert_secret_never_revealed(readonly, workload)


INITIALIZE = {
    "jsonrpc": "2.0", "id": 1, "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {},
               "clientInfo": {"name": "e2e", "version": "1"}},
}  # fmt: skip


@pytest.mark.parametrize(
    ("header", "value", "status"),
    [("Host", "evil.example:3000", 421), ("Origin", "http://evil.example", 403)],
)
def test_the_forwarded_port_refuses_a_foreign_host_or_origin(
    readonly: e2e_mcp.Endpoint, header: str, value: str, status: int
) -> None:
    # A browser page on evil.example reaching the user's forwarded localhost port (DNS rebinding).
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json, text/event-stream",
        header: value,
    }
    answer = e2e_forward.http_request(
        f"{readonly.url}/mcp", data=json.dumps(INITIALIZE).encode(), headers=headers, timeout=15
    )
    assert answer[0] == status, answer
