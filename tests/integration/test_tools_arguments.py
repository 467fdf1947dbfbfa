"""Bad arguments from the security checklist, sent to a server on the real API server: each is
an is_error answer of one sentence, made before any API request (kube_mcp_api_requests_total
does not move), and the objects the values aimed at are untouched."""

from __future__ import annotations

import json

import pytest

pytestmark = [pytest.mark.cluster, pytest.mark.anyio]

LONG_SELECTOR = "app=" + "x" * 1100  # over the 1024-character cap

BAD_CALLS = [
    # values starting with "-" (peers passed them to kubectl as flags)
    ("describe_pod", {"name": "--server=https://evil.example", "namespace": "NS"}),
    ("delete_pod", {"name": "-f", "namespace": "NS"}),
    ("kubectl_get", {"resourceType": "pods", "name": "--raw=/api/v1/secrets", "namespace": "NS"}),
    ("list_pods", {"namespace": "-A"}),
    ("create_namespace", {"name": "--kubeconfig=/etc/shadow"}),
    # "/" and path tricks
    ("describe_pod", {"name": "web/../../secrets", "namespace": "NS"}),
    ("kubectl_get", {"resourceType": "pods/log", "namespace": "NS"}),
    ("delete_deployment", {"name": "web/scale", "namespace": "NS"}),
    ("get_logs", {"resourceType": "pod", "name": "web", "namespace": "NS", "container": "main/x"}),
    ("delete_pod", {"name": "..", "namespace": "NS"}),
    ("kubectl_get", {"resourceType": "pods", "name": "web..x", "namespace": "NS"}),
    ("list_pods", {"namespace": "NS.."}),
    ("kubectl_get", {"resourceType": "secrets", "name": "web%2Fx", "namespace": "NS"}),
    ("describe_pod", {"name": "web", "namespace": "kube-system%2Fdefault"}),
    # newlines
    ("delete_namespace", {"name": "NS\n"}),
    ("kubectl_get", {"resourceType": "pods", "namespace": "NS", "labelSelector": "app=web\nx"}),
    ("get_events", {"namespace": "NS", "fieldSelector": "type=Warning\r\nx"}),
    ("scale_deployment", {"name": "web\n", "namespace": "NS", "replicas": 0}),
    # shell metacharacters
    ("get_logs", {"resourceType": "pod", "name": "web;id", "namespace": "NS"}),
    ("delete_pod", {"name": "$(id)", "namespace": "NS"}),
    ("delete_cronjob", {"name": "`id`", "namespace": "NS"}),
    ("kubectl_get", {"resourceType": "pods|sh", "namespace": "NS"}),
    ("kubectl_get", {"resourceType": "pods", "name": "web&&id", "namespace": "NS"}),
    ("get_logs", {"resourceType": "deployment", "namespace": "NS", "labelSelector": "app=$(id)"}),
    ("describe_pod", {"name": "web>x", "namespace": "NS"}),
    # selectors too long
    ("kubectl_get", {"resourceType": "pods", "namespace": "NS", "labelSelector": LONG_SELECTOR}),
    ("kubectl_get", {"resourceType": "pods", "namespace": "NS", "fieldSelector": LONG_SELECTOR}),
    ("get_events", {"namespace": "NS", "fieldSelector": LONG_SELECTOR}),
    # out of range
    ("scale_deployment", {"name": "web", "namespace": "NS", "replicas": -1}),
    ("list_pods", {"namespace": "NS", "limit": 0}),
    ("list_pods", {"namespace": "NS", "continue": "not a token"}),
]


@pytest.fixture(scope="module")
def ns(kubectl, module_namespace, unschedulable_pod):
    kubectl("-n", module_namespace, "apply", "-f", "-", input=unschedulable_pod("web"))
    kubectl("-n", module_namespace, "create", "deployment", "web", "--image=kube-mcp.invalid/none:0")
    return module_namespace


def with_namespace(value, ns: str):
    """The call's arguments with the placeholder NS replaced by the test namespace."""
    if isinstance(value, dict):
        return {k: with_namespace(v, ns) for k, v in value.items()}
    return value.replace("NS", ns) if isinstance(value, str) else value


def uids(kubectl, ns: str) -> str:
    return kubectl("-n", ns, "get", "pods,deployments", "-o", "jsonpath={.items[*].metadata.uid}").stdout


def assert_one_sentence(text: str) -> None:
    assert "\n" not in text and "\r" not in text and text.endswith(".") and len(text) < 400, text
    assert "Traceback" not in text and "HTTP" not in text


@pytest.mark.parametrize(
    ("tool", "arguments"), BAD_CALLS, ids=[f"{i:02d}-{tool}" for i, (tool, _) in enumerate(BAD_CALLS)]
)
async def test_a_bad_value_is_one_sentence_and_no_api_request(tools_server, kubectl, ns, tool, arguments):
    server = tools_server()
    before = uids(kubectl, ns)
    answer = await server.call(tool, with_namespace(arguments, ns))
    assert answer.is_error
    assert_one_sentence(answer.text)
    assert server.api_requests() == 0
    audit = json.loads(server.audit_lines().splitlines()[-1])
    assert audit["outcome"] == "invalid"
    assert "evil" not in server.audit_lines() and "$(id)" not in server.audit_lines()
    assert uids(kubectl, ns) == before


@pytest.mark.parametrize(
    ("tool", "arguments", "accepted"),
    [
        ("list_pods", {"namespace": "NS", "context": "prod-admin"}, "namespace, limit, continue"),
        ("kubectl_get", {"resourceType": "pods", "server": "https://evil.example"}, "resourceType, name,"),
        ("kubectl_get", {"resourceType": "pods", "kubeconfig": "/tmp/evil"}, "resourceType, name,"),
        ("delete_pod", {"name": "web", "namespace": "NS", "force": True}, "name, namespace, ignoreNotFound"),
        (
            "scale_deployment",
            {"name": "web", "namespace": "NS", "replicas": 0, "as": "system:admin"},
            "name, namespace, replicas",
        ),
    ],
)
async def test_an_unknown_argument_names_the_accepted_ones_without_an_api_request(
    tools_server, kubectl, ns, tool, arguments, accepted
):
    server = tools_server()
    before = uids(kubectl, ns)
    unknown = next(k for k in arguments if k not in ("name", "namespace", "resourceType", "replicas"))
    answer = await server.call(tool, with_namespace(arguments, ns))
    assert answer.is_error
    assert_one_sentence(answer.text)
    assert answer.text.startswith(f'Unknown argument "{unknown}" for {tool}; accepted arguments: {accepted}')
    assert server.api_requests() == 0 and uids(kubectl, ns) == before


async def test_a_good_call_after_bad_ones_still_works(tools_server, ns):
    server = tools_server()
    assert (await server.call("describe_pod", {"name": "--server=x", "namespace": ns})).is_error
    text = await server.ok("describe_pod", {"name": "web", "namespace": ns})
    assert "Name:        web" in text and server.api_requests() > 0
