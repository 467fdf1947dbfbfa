"""The safety modes against the real API server: tools/list shows exactly the mode's tools, and a
hidden tool called by name is refused with zero API requests (kube_mcp_api_requests_total does
not move) and leaves the object as kubectl saw it before (CVE-2026-46519's bug in a peer)."""

from __future__ import annotations

import json

import pytest
from mcp import Client
from mcp.shared import exceptions

from kube_mcp import mcp_server

pytestmark = [pytest.mark.cluster, pytest.mark.anyio]

ALL = set(mcp_server.tool_names())
WRITES = {"scale_deployment", "create_namespace"}
DELETES = {"delete_pod", "delete_deployment", "delete_namespace", "delete_cronjob"}
READS = ALL - WRITES - DELETES


@pytest.fixture(scope="module")
def ns(kubectl, module_namespace, unschedulable_pod):
    """A deployment `keep` with 2 replicas, a pod `keep-pod` and a cronjob `keep-cron`."""
    kubectl("-n", module_namespace, "apply", "-f", "-", input=unschedulable_pod("keep-pod"))
    kubectl(
        "-n",
        module_namespace,
        "create",
        "deployment",
        "keep",
        "--image=kube-mcp.invalid/none:0",
        "--replicas=2",
    )
    kubectl(
        "-n",
        module_namespace,
        "create",
        "cronjob",
        "keep-cron",
        "--image=kube-mcp.invalid/none:0",
        "--schedule=0 3 * * *",
    )
    return module_namespace


def snapshot(kubectl, ns: str) -> dict:
    """What a refused call must not change: the objects' uids, the replica count, the namespaces."""

    def uid(*what: str) -> str:
        return kubectl("-n", ns, "get", *what, "-o", "jsonpath={.metadata.uid}").stdout

    return {
        "pod": uid("pod", "keep-pod"),
        "deployment": uid("deployment", "keep"),
        "replicas": kubectl("-n", ns, "get", "deployment", "keep", "-o", "jsonpath={.spec.replicas}").stdout,
        "cronjob": uid("cronjob", "keep-cron"),
        "namespace": kubectl("get", "namespace", ns, "-o", "jsonpath={.metadata.uid},{.status.phase}").stdout,
        "namespaces": kubectl("get", "namespaces", "-o", "name").stdout.count("namespace/kmcp-refused"),
    }


def calls_for(ns: str) -> dict[str, dict]:
    return {
        "delete_pod": {"name": "keep-pod", "namespace": ns},
        "delete_deployment": {"name": "keep", "namespace": ns},
        "delete_cronjob": {"name": "keep-cron", "namespace": ns},
        "delete_namespace": {"name": ns},
        "scale_deployment": {"name": "keep", "namespace": ns, "replicas": 0},
        "create_namespace": {"name": "kmcp-refused"},
        "get_logs": {"resourceType": "pod", "name": "keep-pod", "namespace": ns},
        "kubectl_get": {"resourceType": "pods", "namespace": ns},
    }


def refused_counter(server, tool: str) -> float:
    value = server.registry.get_sample_value(
        "kube_mcp_tool_calls_total", {"tool": tool, "outcome": "refused"}
    )
    return value or 0.0


MODES = [
    pytest.param(
        {"ALLOW_ONLY_READONLY_TOOLS": "true"},
        READS,
        [
            "delete_pod",
            "delete_deployment",
            "delete_cronjob",
            "delete_namespace",
            "scale_deployment",
            "create_namespace",
        ],
        "the server runs in read-only mode",
        id="read-only",
    ),
    pytest.param(
        {"ALLOW_ONLY_NON_DESTRUCTIVE_TOOLS": "true"},
        ALL - DELETES,
        ["delete_pod", "delete_deployment", "delete_cronjob", "delete_namespace"],
        "the server runs in non-destructive mode",
        id="non-destructive",
    ),
    pytest.param(
        {"ALLOWED_TOOLS": "list_pods,ping"},
        {"list_pods", "ping"},
        ["kubectl_get", "get_logs", "delete_pod", "scale_deployment", "delete_namespace"],
        "it is not in the server's ALLOWED_TOOLS list",
        id="allowed-tools",
    ),
]


@pytest.mark.parametrize(("env", "listed", "hidden", "reason"), MODES)
async def test_a_mode_lists_only_its_tools(tools_server, env, listed, hidden, reason):
    server = tools_server(**env)
    assert await server.tool_names() == listed
    assert not set(hidden) & listed


@pytest.mark.parametrize(("env", "listed", "hidden", "reason"), MODES)
async def test_a_hidden_tool_called_by_name_is_refused_without_any_api_request(
    tools_server, kubectl, ns, env, listed, hidden, reason
):
    server = tools_server(KUBE_MCP_DEFAULT_NAMESPACE=ns, **env)
    await server.ok("list_pods", {"namespace": ns})  # the metrics hook counts real requests
    before, requests = snapshot(kubectl, ns), server.api_requests()
    assert requests > 0
    for tool in hidden:
        answer = await server.call(tool, calls_for(ns)[tool])
        assert (answer.is_error, answer.text) == (True, f'Tool "{tool}" is not available: {reason}.')
        assert server.api_requests() == requests, f"{tool} reached the API server"
        assert refused_counter(server, tool) == 1
        assert json.loads(server.audit_lines().splitlines()[-1])["outcome"] == "refused"
    assert snapshot(kubectl, ns) == before


async def test_non_destructive_mode_still_runs_its_writes(tools_server, kubectl, ns):
    server = tools_server(ALLOW_ONLY_NON_DESTRUCTIVE_TOOLS="true")
    await server.ok("scale_deployment", {"name": "keep", "namespace": ns, "replicas": 1})
    try:
        assert kubectl("-n", ns, "get", "deployment", "keep", "-o", "jsonpath={.spec.replicas}").stdout == "1"
    finally:
        kubectl("-n", ns, "scale", "deployment", "keep", "--replicas=2")


async def test_read_only_mode_still_reads(tools_server, ns):
    server = tools_server(ALLOW_ONLY_READONLY_TOOLS="true")
    text = await server.ok("kubectl_get", {"resourceType": "deploy", "namespace": ns, "output": "name"})
    assert text == "deployment.apps/keep"


async def test_an_unknown_tool_is_refused_without_any_api_request(tools_server, ns):
    server = tools_server()
    await server.ok("ping")
    requests = server.api_requests()
    answer = await server.call("exec_in_pod", {"name": "keep-pod", "namespace": ns, "command": "id"})
    assert answer.is_error and answer.text.startswith('Unknown tool "exec_in_pod"')
    assert server.api_requests() == requests


async def test_resources_are_not_readable_when_kubectl_get_is_hidden(tools_server, ns):
    server = tools_server(ALLOWED_TOOLS="list_pods,ping")
    async with Client(server.kube.server) as client:
        assert client.server_capabilities.resources is None
        with pytest.raises(exceptions.MCPError):
            await client.read_resource(f"k8s://{ns}/pods")
    assert server.api_requests() == 0


CREDENTIAL_WORDS = {
    "context",
    "cluster",
    "server",
    "kubeconfig",
    "token",
    "user",
    "as",
    "impersonate",
    "insecure",
}


async def test_no_tool_takes_a_cluster_credential_or_identity_argument(tools_server):
    server = tools_server()
    async with Client(server.kube.server) as client:
        tools = (await client.list_tools()).tools
    assert {tool.name for tool in tools} == ALL
    for tool in tools:
        properties = {name.lower() for name in tool.input_schema.get("properties", {})}
        assert not properties & CREDENTIAL_WORDS, f"{tool.name} takes {properties & CREDENTIAL_WORDS}"
        assert tool.input_schema.get("additionalProperties") is False


async def test_tool_listing_and_instructions_hold_no_cluster_text(tools_server, ns):
    # Two servers, one on the real cluster with our namespace as default, one on nothing at all:
    # what a model reads before its first call must be the same static text.
    real = tools_server(KUBE_MCP_DEFAULT_NAMESPACE=ns)
    nowhere = tools_server(K8S_SERVER="https://127.0.0.1:1", K8S_TOKEN="x")
    await real.ok("list_pods")
    listings = []
    for server in (real, nowhere):
        async with Client(server.kube.server) as client:
            tools = (await client.list_tools()).tools
            listings.append(([t.model_dump() for t in tools], client.instructions))
    assert listings[0][1] and listings[0] == listings[1]
    assert ns not in json.dumps(listings[0])
