"""The typed read tools against the real API server, through a real MCP client: list_*,
describe_pod, get_logs and get_events, checked for what they say about the session's workload
(running pods, a pending pod, a deployment, a service), not only that the call succeeded."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.cluster, pytest.mark.anyio]


@pytest.fixture
def ns(workload):
    return workload.namespace


@pytest.fixture
def server(tools_server, ns):
    return tools_server(KUBE_MCP_DEFAULT_NAMESPACE=ns)


# --- typed list tools ---------------------------------------------------------------------------


async def test_list_pods_shows_running_and_pending_pods_with_kubectl_columns(server, ns):
    table = await server.table("list_pods", {"namespace": ns})
    assert table.header == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert table.row("talker")[1:3] == ["2/2", "Running"]
    assert table.row("waiting")[1:3] == ["0/1", "Pending"]
    echo = [n for n in table.names if n.startswith("echo-")]
    assert len(echo) == 1 and table.row(echo[0])[1:3] == ["1/1", "Running"]


async def test_list_pods_defaults_to_the_servers_default_namespace(server):
    assert {"talker", "waiting"} <= set((await server.table("list_pods")).names)


async def test_list_deployments_shows_ready_replicas(server, ns):
    table = await server.table("list_deployments", {"namespace": ns})
    assert table.header == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert table.row("echo")[1:4] == ["1/1", "1", "1"]


async def test_list_services_shows_type_and_ports(server, ns):
    row = (await server.table("list_services", {"namespace": ns})).row("echo")
    assert row[1] == "ClusterIP" and "80/TCP" in row


async def test_list_namespaces_shows_the_test_namespace_active(server, ns):
    assert (await server.table("list_namespaces")).row(ns)[1] == "Active"


async def test_list_nodes_shows_every_node_ready(server, kubectl):
    nodes = kubectl("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}").stdout.split()
    table = await server.table("list_nodes")
    assert nodes and sorted(table.names) == sorted(nodes)
    for node in nodes:
        assert table.row(node)[1] == "Ready"


# --- describe_pod, get_logs, get_events ---------------------------------------------------------


async def test_describe_pod_gives_node_conditions_containers_and_events(server, kubectl, ns, runnable_image):
    node = kubectl("-n", ns, "get", "pod", "talker", "-o", "jsonpath={.spec.nodeName}").stdout
    text = await server.ok("describe_pod", {"name": "talker", "namespace": ns})
    assert "Name:        talker" in text and f"Namespace:   {ns}" in text
    assert f"Node:        {node}" in text and "Status:      Running" in text
    assert "Ready=True" in text and "ContainersReady=True" in text
    assert "Labels:      app=talker, tier=backend" in text
    for container in ("main", "side"):
        block = text.split(f"  {container}:\n", 1)[1]
        assert block.splitlines()[0].split() == ["Image:", runnable_image]
        assert block.splitlines()[1].strip().startswith("State:      Running")
    events = text.split("Events (newest last", 1)[1]
    assert "Scheduled" in events and "pod/talker" in events and "Started" in events


async def test_describe_pod_of_a_pending_pod_shows_why_it_waits(server, ns):
    text = await server.ok("describe_pod", {"name": "waiting", "namespace": ns})
    assert "Node:        <none>" in text and "Status:      Pending" in text
    assert "PodScheduled=False" in text and "FailedScheduling" in text


async def test_describe_pod_of_a_missing_pod_is_a_not_found_sentence(server, ns):
    answer = await server.call("describe_pod", {"name": "nobody", "namespace": ns})
    assert answer.is_error and answer.text == f'pods "nobody" not found in namespace "{ns}".'


async def test_get_logs_of_a_pod_with_tail_and_container(server, ns, workload):
    text = await server.ok(
        "get_logs", {"resourceType": "pod", "name": "talker", "namespace": ns, "container": "main", "tail": 3}
    )
    lines = workload.talker_lines
    want = [f"main-line-{i}" for i in range(lines - 3, lines)]
    assert text.splitlines() == ["==> pod/talker container main <==", *want]
    side = await server.ok(
        "get_logs", {"resourceType": "pod", "name": "talker", "namespace": ns, "container": "side"}
    )
    assert side.splitlines() == ["==> pod/talker container side <==", "side-says-hi"]


async def test_get_logs_of_a_two_container_pod_names_the_containers_it_did_not_read(server, ns, workload):
    text = await server.ok("get_logs", {"resourceType": "pod", "name": "talker", "namespace": ns})
    lines = text.splitlines()
    assert lines[0] == "==> pod/talker container main (containers: main, side; pass container to choose) <=="
    assert lines[1:] == [f"main-line-{i}" for i in range(workload.talker_lines)]


async def test_get_logs_of_a_deployment_reads_its_pods(server, ns):
    text = await server.ok("get_logs", {"resourceType": "deployment", "name": "echo", "namespace": ns})
    header, body = text.splitlines()
    assert re.fullmatch(r"==> pod/echo-[a-z0-9]+-[a-z0-9]+ <==", header) and body == "echo-says-hello"


async def test_get_logs_of_a_pod_that_never_started_says_the_log_is_empty(server, ns):
    # The API server answers 204 No Content for a pod without a node, as `kubectl logs` shows.
    text = await server.ok("get_logs", {"resourceType": "pod", "name": "waiting", "namespace": ns})
    assert text == "==> pod/waiting <==\n(empty log)"


async def test_get_events_shows_the_namespaces_events_newest_last(server, ns):
    text = await server.ok("get_events", {"namespace": ns})
    assert text.splitlines()[0].split() == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    assert re.search(r"Normal\s+Started\s+pod/talker", text)
    assert re.search(r"Warning\s+FailedScheduling\s+pod/waiting", text)
    stamps = [line.split()[0] for line in text.splitlines()[1:] if line.strip()]
    assert stamps == sorted(stamps)


async def test_get_events_field_selector_narrows_to_one_object(server, ns):
    text = await server.ok("get_events", {"namespace": ns, "fieldSelector": "involvedObject.name=waiting"})
    objects = {line.split()[3] for line in text.splitlines()[1:] if line.strip()}
    assert objects == {"pod/waiting"}
