"""Tools under RBAC and network faults: a ServiceAccount that may only list pods gets its list and
a one-sentence Forbidden for the rest; an API server that accepts TCP and never answers is an
error within the configured timeout (worker freed); a closed port is a fast error."""

from __future__ import annotations

import base64
import json
import textwrap
import time

import anyio
import pytest

from support import faults

pytestmark = [pytest.mark.cluster, pytest.mark.anyio]

LEAK_MARKERS = (
    "HTTP",
    "Audit-Id",
    "Content-Type",
    "{",
    "}",
    "Traceback",
    "kind",
    "apiVersion",
    "system:serviceaccount",
)


def server_and_ca(kubectl) -> tuple[str, str]:
    """The API server URL and its CA as base64 PEM, from the test kubeconfig."""
    doc = json.loads(kubectl("config", "view", "--raw", "--minify", "-o", "json").stdout)
    cfg = doc["clusters"][0]["cluster"]
    if "certificate-authority-data" in cfg:
        return cfg["server"], cfg["certificate-authority-data"]
    with open(cfg["certificate-authority"], "rb") as handle:
        return cfg["server"], base64.b64encode(handle.read()).decode()


@pytest.fixture(scope="module")
def lister(kubectl, module_namespace, unschedulable_pod):
    """(namespace, token) of a ServiceAccount that may only list pods in the module's namespace,
    where a pod `target` exists."""
    ns = module_namespace
    kubectl("-n", ns, "apply", "-f", "-", input=unschedulable_pod("target"))
    kubectl(
        "-n",
        ns,
        "apply",
        "-f",
        "-",
        input=textwrap.dedent("""\
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: pod-lister}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: pod-lister}
        rules:
        - {apiGroups: [""], resources: [pods], verbs: [list]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: pod-lister}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-lister}
        subjects:
        - {kind: ServiceAccount, name: pod-lister}
        """),
    )
    token = kubectl("-n", ns, "create", "token", "pod-lister", "--duration=10m").stdout.strip()
    return ns, token


@pytest.fixture
def as_lister(tools_server, kubectl, lister):
    server, ca = server_and_ca(kubectl)
    ns, token = lister
    return tools_server(K8S_SERVER=server, K8S_TOKEN=token, K8S_CA_DATA=ca, KUBE_MCP_DEFAULT_NAMESPACE=ns)


def assert_clean_sentence(text: str, token: str) -> None:
    assert "\n" not in text and text.endswith(".") and token not in text, text
    for marker in LEAK_MARKERS:
        assert marker not in text, f"{marker!r} in {text!r}"


async def test_a_pod_lister_lists_its_pods(as_lister, lister):
    ns, _ = lister
    text = await as_lister.ok("list_pods", {"namespace": ns})
    assert [line.split()[0] for line in text.splitlines()[1:]] == ["target"]


async def test_a_pod_lister_may_not_delete_and_is_told_so_in_one_sentence(as_lister, kubectl, lister):
    ns, token = lister
    uid = kubectl("-n", ns, "get", "pod", "target", "-o", "jsonpath={.metadata.uid}").stdout
    answer = await as_lister.call("delete_pod", {"name": "target", "namespace": ns})
    assert answer.is_error
    assert answer.text == f'Forbidden: the server\'s ServiceAccount may not delete pods in namespace "{ns}".'
    assert_clean_sentence(answer.text, token)
    assert kubectl("-n", ns, "get", "pod", "target", "-o", "jsonpath={.metadata.uid}").stdout == uid
    assert (
        as_lister.registry.get_sample_value(
            "kube_mcp_api_requests_total", {"verb": "delete", "code_class": "4xx"}
        )
        == 1
    )


@pytest.mark.parametrize(
    ("tool", "arguments", "verb", "where"),
    [
        ("list_pods", {"namespace": "kube-system"}, "list pods", ' in namespace "kube-system"'),
        ("describe_pod", {"name": "target", "namespace": "NS"}, "get pods", ' in namespace "NS"'),
        ("list_nodes", {}, "list nodes", ""),
        ("create_namespace", {"name": "kmcp-test-never"}, "create namespaces", ""),
    ],
)
async def test_everything_else_is_a_forbidden_sentence(as_lister, lister, tool, arguments, verb, where):
    ns, token = lister
    arguments = {k: v.replace("NS", ns) if isinstance(v, str) else v for k, v in arguments.items()}
    answer = await as_lister.call(tool, arguments)
    assert answer.is_error
    assert answer.text == f"Forbidden: the server's ServiceAccount may not {verb}{where.replace('NS', ns)}."
    assert_clean_sentence(answer.text, token)


async def test_scaling_is_a_forbidden_sentence_naming_the_scale_subresource(as_lister, lister):
    ns, token = lister
    answer = await as_lister.call("scale_deployment", {"name": "web", "namespace": ns, "replicas": 1})
    assert answer.is_error and answer.text.startswith(
        "Forbidden: the server's ServiceAccount may not patch deployments"
    )
    assert "scale" in answer.text and answer.text.endswith(f' in namespace "{ns}".')
    assert_clean_sentence(answer.text, token)


async def test_kubectl_get_works_for_a_pod_lister(as_lister):
    # Discovery is open to every authenticated identity (system:discovery), so resolving "po"
    # must not need more rights than the list itself.
    assert await as_lister.ok("kubectl_get", {"resourceType": "po", "output": "name"}) == "pod/target"


@pytest.mark.parametrize(
    ("tool", "arguments", "verb"),
    [
        ("list_pods", {"namespace": "default"}, "list"),
        ("delete_pod", {"name": "web", "namespace": "default"}, "delete"),
        ("kubectl_get", {"resourceType": "pods"}, "discovery"),
    ],
)
async def test_an_api_server_that_never_answers_is_an_error_within_the_timeout(
    tools_server, tool, arguments, verb
):
    with faults.silent_listener() as port:
        server = tools_server(
            K8S_SERVER=f"https://127.0.0.1:{port}", K8S_TOKEN="x", KUBE_MCP_REQUEST_TIMEOUT="2"
        )
        started = time.monotonic()
        with anyio.fail_after(10):
            answer = await server.call(tool, arguments)
        elapsed = time.monotonic() - started
    assert answer.is_error and answer.text == "The API server did not answer within 2 s."
    assert 1.5 <= elapsed <= 5, f"answered after {elapsed:.1f} s"
    assert server.cluster.workers_busy == 0
    # One request, not retried: a write that timed out may have happened, and a read's wait is one timeout.
    assert server.api_requests() == 1
    assert (
        server.registry.get_sample_value("kube_mcp_api_requests_total", {"verb": verb, "code_class": "none"})
        == 1
    )


async def test_a_closed_port_is_a_fast_clear_error(tools_server):
    server = tools_server(K8S_SERVER=f"https://127.0.0.1:{faults.closed_port()}", K8S_TOKEN="x")
    started = time.monotonic()
    answer = await server.call("ping")
    assert time.monotonic() - started < 2
    assert answer.is_error and answer.text.startswith(
        "Cannot reach the API server: the connection was refused"
    )


async def test_an_untrusted_certificate_is_a_tls_sentence(tools_server, kubectl, lister):
    server_url, _ = server_and_ca(kubectl)
    _, token = lister
    server = tools_server(K8S_SERVER=server_url, K8S_TOKEN=token)  # no CA: the system store lacks ours
    answer = await server.call("ping")
    assert answer.is_error and answer.text.startswith("The TLS handshake with the API server failed")
    assert_clean_sentence(answer.text, token)
