"""kubectl_get, ping and the k8s:// resources against the real API server, through a real MCP
client: kinds, short names and a new CRD resolve like kubectl; one object, selectors, all
namespaces and every output format; the resources read the same tables."""

from __future__ import annotations

import json
import re

import pytest
import yaml

pytestmark = [pytest.mark.cluster, pytest.mark.anyio]


@pytest.fixture
def ns(workload):
    return workload.namespace


@pytest.fixture(scope="module")
def crd(kubectl, workload, custom_kind):
    """The module's CRD names, with one object of it (`gizmo-one`) in the namespace."""
    body = {
        "apiVersion": custom_kind["apiVersion"],
        "kind": custom_kind["kind"],
        "metadata": {"name": "gizmo-one"},
    }
    kubectl("-n", workload.namespace, "apply", "-f", "-", input=json.dumps({**body, "size": 3}))
    return custom_kind


@pytest.fixture
def server(tools_server, ns):
    return tools_server(KUBE_MCP_DEFAULT_NAMESPACE=ns)


# --- kubectl_get ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource_type", "expected"),
    [
        ("pods", "talker"),
        ("po", "talker"),
        ("Pod", "talker"),
        ("deploy", "echo"),
        ("deployments.apps", "echo"),
        ("svc", "echo"),
        ("cm", "settings"),
        ("configmaps", "settings"),
    ],
)
async def test_kubectl_get_resolves_kinds_and_short_names_like_kubectl(server, ns, resource_type, expected):
    table = await server.table("kubectl_get", {"resourceType": resource_type, "namespace": ns})
    assert expected in table.names


@pytest.mark.parametrize("form", ["plural", "short", "kind"])
async def test_kubectl_get_lists_a_new_crds_objects(tools_server, ns, crd, form):
    # A server built after the CRD exists: its discovery sees the new kind on first use.
    server = tools_server(KUBE_MCP_DEFAULT_NAMESPACE=ns)
    assert (await server.table("kubectl_get", {"resourceType": crd[form]})).names == ["gizmo-one"]
    one = yaml.safe_load(
        await server.ok("kubectl_get", {"resourceType": crd["plural"], "name": "gizmo-one", "output": "yaml"})
    )
    assert one["kind"] == crd["kind"] and one["size"] == 3 and one["metadata"]["namespace"] == ns


async def test_kubectl_get_one_object_by_name(server, ns):
    table = await server.table("kubectl_get", {"resourceType": "po", "name": "talker", "namespace": ns})
    assert table.names == ["talker"] and table.row("talker")[2] == "Running" and table.note == ""


async def test_kubectl_get_label_and_field_selectors_filter_on_the_server(server, ns):
    by_label = await server.table(
        "kubectl_get", {"resourceType": "pods", "namespace": ns, "labelSelector": "app=talker"}
    )
    assert by_label.names == ["talker"]
    pending = await server.table(
        "kubectl_get", {"resourceType": "pods", "namespace": ns, "fieldSelector": "status.phase=Pending"}
    )
    assert pending.names == ["waiting"]
    none = await server.ok(
        "kubectl_get", {"resourceType": "pods", "namespace": ns, "labelSelector": "app=nobody"}
    )
    assert none == f'No pods found in namespace "{ns}".'


async def test_kubectl_get_all_namespaces_adds_a_namespace_column(server, ns):
    # Every namespace has the kube-root-ca.crt ConfigMap; other suites' objects stay out of the page.
    args = {"resourceType": "cm", "allNamespaces": True, "fieldSelector": "metadata.name=kube-root-ca.crt"}
    table = await server.table("kubectl_get", args)
    assert table.header[:2] == ["NAMESPACE", "NAME"]
    rows = [cells[:2] for cells in table.rows]
    assert [ns, "kube-root-ca.crt"] in rows and ["kube-system", "kube-root-ca.crt"] in rows


async def test_kubectl_get_outputs_table_wide_yaml_json_and_name(server, kubectl, ns):
    args = {"resourceType": "pods", "name": "talker", "namespace": ns}
    table = await server.table("kubectl_get", {**args, "output": "table"})
    wide = await server.table("kubectl_get", {**args, "output": "wide"})
    assert "NODE" not in table.header and {"IP", "NODE"} <= set(wide.header)
    ip = kubectl("-n", ns, "get", "pod", "talker", "-o", "jsonpath={.status.podIP}").stdout
    assert ip in wide.row("talker")
    as_yaml = yaml.safe_load(await server.ok("kubectl_get", {**args, "output": "yaml"}))
    as_json = json.loads(await server.ok("kubectl_get", {**args, "output": "json"}))
    for obj in (as_yaml, as_json):
        assert obj["kind"] == "Pod" and obj["metadata"]["name"] == "talker"
        assert [c["name"] for c in obj["spec"]["containers"]] == ["main", "side"]
        assert "managedFields" not in obj["metadata"]
    assert await server.ok("kubectl_get", {**args, "output": "name"}) == "pod/talker"


async def test_kubectl_get_lists_as_yaml_json_and_names(server, ns):
    args = {"resourceType": "deploy", "namespace": ns}
    as_yaml = yaml.safe_load(await server.ok("kubectl_get", {**args, "output": "yaml"}))
    as_json = json.loads(await server.ok("kubectl_get", {**args, "output": "json"}))
    for doc in (as_yaml, as_json):
        assert doc["kind"] == "DeploymentList"
        assert [(i["kind"], i["apiVersion"], i["metadata"]["name"]) for i in doc["items"]] == [
            ("Deployment", "apps/v1", "echo")
        ]
    assert await server.ok("kubectl_get", {**args, "output": "name"}) == "deployment.apps/echo"


async def test_kubectl_get_a_missing_object_is_a_not_found_sentence(server, ns):
    answer = await server.call("kubectl_get", {"resourceType": "deploy", "name": "nobody", "namespace": ns})
    assert answer.is_error and answer.text == f'deployments.apps "nobody" not found in namespace "{ns}".'


async def test_kubectl_get_an_unknown_kind_is_one_sentence(server):
    answer = await server.call("kubectl_get", {"resourceType": "wombats"})
    assert answer.is_error and "wombats" in answer.text and "\n" not in answer.text


# --- ping and resources -----------------------------------------------------------------------------


async def test_ping_reports_the_api_servers_version(server, kubectl):
    version = json.loads(kubectl("get", "--raw", "/version").stdout)["gitVersion"]
    text = await server.ok("ping")
    assert re.fullmatch(
        rf"The Kubernetes API server is reachable: version {re.escape(version)} \(\S+\), "
        r"answered in \d+ ms\.",
        text,
    )


async def test_resources_list_names_the_default_namespaces_kinds(server, ns):
    assert await server.resource_uris() == [
        "k8s://namespaces",
        "k8s://nodes",
        f"k8s://{ns}/pods",
        f"k8s://{ns}/deployments",
        f"k8s://{ns}/services",
    ]


async def test_resources_read_namespaces_nodes_and_a_namespaces_kinds(server, kubectl, ns):
    assert (await server.read_table("k8s://namespaces")).row(ns)[1] == "Active"
    node = kubectl("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}").stdout
    assert (await server.read_table("k8s://nodes")).row(node)[1] == "Ready"
    pods = await server.read_table(f"k8s://{ns}/pods")
    assert pods.row("talker")[1:3] == ["2/2", "Running"]
    assert (await server.read_table(f"k8s://{ns}/deployments")).names == ["echo"]
    assert "settings" in (await server.read_table(f"k8s://{ns}/configmaps")).names
