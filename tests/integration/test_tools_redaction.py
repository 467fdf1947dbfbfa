"""Redaction on every path, against real objects: a Secret and a Deployment made with
`kubectl apply` (so both carry the last-applied annotation, which holds the Secret's data in
clear), the Deployment with a literal env value and a secretKeyRef. No answer of any tool or
resource, in any output format, shows a secret value or the env literal, plain or base64."""

from __future__ import annotations

import base64
import json
import secrets

import pytest
import yaml

from support import cluster

pytestmark = [pytest.mark.cluster, pytest.mark.anyio]

PASSWORD = f"pw-{secrets.token_hex(8)}"
TOKEN = f"tk-{secrets.token_hex(8)}"
ENV_LITERAL = f"env-{secrets.token_hex(8)}"
FORBIDDEN = [
    value
    for plain in (PASSWORD, TOKEN, ENV_LITERAL)
    for value in (plain, base64.b64encode(plain.encode()).decode().rstrip("="))
]


def manifests() -> str:
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "creds", "labels": {"app": "vault"}},
        "stringData": {"password": PASSWORD},
        "data": {"token": base64.b64encode(TOKEN.encode()).decode()},
    }
    container = {
        "name": "app",
        "image": "kube-mcp.invalid/none:0",
        "env": [
            {"name": "API_KEY", "value": ENV_LITERAL},
            {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "password"}}},
        ],
    }
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "app"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "app"}},
            "template": {
                "metadata": {"labels": {"app": "app"}},
                "spec": {"nodeSelector": {"kube-mcp.test/no-such-node": "true"}, "containers": [container]},
            },
        },
    }
    statefulset = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db"},
        "spec": {
            "replicas": 0,
            "serviceName": "db",
            "selector": {"matchLabels": {"app": "db"}},
            "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [container]}},
        },
    }
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": [secret, deployment, statefulset]})


def custom_object(kind: dict[str, str]) -> str:
    """An object of a CRD that embeds a pod template (as Argo Rollouts or Knative do)."""
    container = {"name": "c", "image": "x", "env": [{"name": "API_KEY", "value": ENV_LITERAL}]}
    return json.dumps(
        {
            "apiVersion": kind["apiVersion"],
            "kind": kind["kind"],
            "metadata": {"name": "rollout"},
            "spec": {"template": {"spec": {"containers": [container]}}},
        }
    )


@pytest.fixture(scope="module")
def ns(kubectl, module_namespace):
    """The module's namespace with the applied Secret `creds` and Deployment `app` (its pod exists)."""
    kubectl("-n", module_namespace, "apply", "-f", "-", input=manifests())
    got = kubectl("-n", module_namespace, "get", "secret", "creds", "-o", "json").stdout
    assert PASSWORD in got, "kubectl apply put the clear value in the last-applied annotation"
    kubectl(
        "-n",
        module_namespace,
        "wait",
        "--for=create",
        "pod",
        "--selector=app=app",
        "--timeout=30s",
        timeout=40,
    )
    cluster.wait_until(
        "the StatefulSet's ControllerRevision, which holds the env literal",
        lambda: (
            ENV_LITERAL in kubectl("-n", module_namespace, "get", "controllerrevisions", "-o", "json").stdout
        ),
        timeout=30,
        interval=0.2,
    )
    return module_namespace


@pytest.fixture(scope="module")
def custom(kubectl, ns, custom_kind) -> str:
    """The plural of a CRD with one applied object `rollout` holding the env literal."""
    kubectl("-n", ns, "apply", "-f", "-", input=custom_object(custom_kind))
    return custom_kind["plural"]


@pytest.fixture(scope="module")
def pod_name(kubectl, ns) -> str:
    return kubectl(
        "-n", ns, "get", "pods", "-l", "app=app", "-o", "jsonpath={.items[0].metadata.name}"
    ).stdout


@pytest.fixture
def server(tools_server, ns):
    return tools_server(KUBE_MCP_DEFAULT_NAMESPACE=ns)


def assert_hidden(text: str, where: str) -> None:
    for value in FORBIDDEN:
        assert value not in text, f"{where} shows {value!r}:\n{text}"


OUTPUTS = ["table", "wide", "yaml", "json", "name"]


@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize(
    "shape",
    [
        {"resourceType": "secrets", "name": "creds"},
        {"resourceType": "secret", "name": "creds"},
        {"resourceType": "secrets"},
        {"resourceType": "Secret", "labelSelector": "app=vault"},
        {"resourceType": "secrets", "allNamespaces": True, "labelSelector": "app=vault"},
        {"resourceType": "secrets", "sortBy": ".data.password"},
        {"resourceType": "deployments", "name": "app"},
        {"resourceType": "deploy"},
        {"resourceType": "pods", "labelSelector": "app=app"},
        {"resourceType": "replicasets"},
        {"resourceType": "statefulsets"},
        {"resourceType": "controllerrevisions"},
    ],
    ids=lambda shape: "-".join(str(v) for v in shape.values()),
)
async def test_kubectl_get_never_shows_a_secret_or_env_value(server, ns, shape, output):
    answer = await server.call("kubectl_get", {**shape, "namespace": ns, "output": output})
    assert not answer.is_error, answer.text
    assert_hidden(answer.text, f"kubectl_get {shape} output={output}")
    assert_hidden(json.dumps(answer.structured), "structured content")


@pytest.mark.parametrize("output", OUTPUTS)
async def test_a_custom_object_with_a_pod_template_loses_its_env_literal(server, ns, custom, output):
    for shape in ({"name": "rollout"}, {}):
        answer = await server.call("kubectl_get", {"resourceType": custom, **shape, "output": output})
        assert not answer.is_error and "rollout" in answer.text, answer.text
        assert_hidden(answer.text, f"kubectl_get {custom} {shape} output={output}")


@pytest.mark.parametrize("output", ["yaml", "json"])
async def test_a_secret_keeps_its_keys_and_loses_its_values_and_last_applied(server, ns, output):
    text = await server.ok(
        "kubectl_get", {"resourceType": "secrets", "name": "creds", "namespace": ns, "output": output}
    )
    secret = yaml.safe_load(text) if output == "yaml" else json.loads(text)
    assert secret["data"] == {"password": "<redacted>", "token": "<redacted>"}
    annotations = secret["metadata"]["annotations"]
    assert annotations["kubectl.kubernetes.io/last-applied-configuration"] == "<redacted>"


async def test_a_deployment_keeps_env_names_and_references_but_not_literals(server, ns):
    text = await server.ok(
        "kubectl_get", {"resourceType": "deploy", "name": "app", "namespace": ns, "output": "json"}
    )
    env = json.loads(text)["spec"]["template"]["spec"]["containers"][0]["env"]
    assert env == [
        {"name": "API_KEY", "value": "<redacted>"},
        {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "password"}}},
    ]


async def test_describe_pod_shows_env_names_and_sources_only(server, ns, pod_name):
    text = await server.ok("describe_pod", {"name": pod_name, "namespace": ns})
    assert_hidden(text, "describe_pod")
    assert "Env:        API_KEY=<redacted>, PASSWORD (from secretKeyRef creds)" in text


async def test_list_tools_and_events_never_show_them(server, ns):
    for tool in ("list_pods", "list_deployments", "get_events"):
        assert_hidden(await server.ok(tool, {"namespace": ns}), tool)


@pytest.mark.parametrize("kind", ["secrets", "deployments", "pods", "replicasets", "controllerrevisions"])
async def test_resources_never_show_them(server, ns, kind):
    text = await server.read(f"k8s://{ns}/{kind}")
    assert text.strip() and not text.startswith("No ")
    assert_hidden(text, f"k8s://{ns}/{kind}")


async def test_the_audit_log_and_metrics_never_show_them_and_count_what_was_hidden(server, ns):
    await server.ok(
        "kubectl_get", {"resourceType": "secrets", "name": "creds", "namespace": ns, "output": "yaml"}
    )
    await server.ok(
        "kubectl_get", {"resourceType": "deploy", "name": "app", "namespace": ns, "output": "yaml"}
    )
    assert_hidden(server.audit_lines(), "the audit log")
    count = server.registry.get_sample_value
    assert count("kube_mcp_redactions_total", {"kind": "secret"}) == 2
    assert count("kube_mcp_redactions_total", {"kind": "env"}) == 1
    assert count("kube_mcp_redactions_total", {"kind": "last_applied"}) == 2


async def test_resource_reads_count_what_they_hide_like_tool_calls(server, ns):
    count = server.registry.get_sample_value
    before = count("kube_mcp_redactions_total", {"kind": "last_applied"}) or 0
    await server.read(f"k8s://{ns}/deployments")  # a table; its row metadata carries last-applied
    assert (count("kube_mcp_redactions_total", {"kind": "last_applied"}) or 0) > before


async def test_turning_env_redaction_off_shows_env_but_never_a_secret(tools_server, ns):
    server = tools_server(KUBE_MCP_DEFAULT_NAMESPACE=ns, KUBE_MCP_REDACT_ENV_VALUES="false")
    deploy = await server.ok("kubectl_get", {"resourceType": "deploy", "name": "app", "output": "yaml"})
    assert ENV_LITERAL in deploy
    secret = await server.ok("kubectl_get", {"resourceType": "secrets", "name": "creds", "output": "yaml"})
    for value in FORBIDDEN[:4]:
        assert value not in secret and value not in deploy
