"""The write and delete tools against the real API server: kubectl sees what each call did, and a
missing object is an error unless the call says ignoreNotFound."""

from __future__ import annotations

import json
import secrets

import pytest

from support import cluster

pytestmark = [pytest.mark.cluster, pytest.mark.anyio]


def deployment(name: str, replicas: int = 1) -> str:
    """A deployment whose pods never schedule: scaling and deleting it needs no image."""
    return json.dumps(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": name},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": name}},
                "template": {
                    "metadata": {"labels": {"app": name}},
                    "spec": {
                        "nodeSelector": {"kube-mcp.test/no-such-node": "true"},
                        "containers": [{"name": "c", "image": "kube-mcp.invalid/none:0"}],
                    },
                },
            },
        }
    )


def exists(kubectl, *what: str) -> bool:
    return bool(kubectl(*what, "--ignore-not-found", "-o", "name").stdout.strip())


def gone(kubectl, *what: str) -> None:
    """Waits (bounded) until kubectl no longer finds the object."""
    cluster.wait_until(
        f"{' '.join(what)} to be gone", lambda: not exists(kubectl, *what), timeout=30, interval=0.2
    )


def last_audit(server) -> dict:
    return json.loads(server.audit_lines().splitlines()[-1])


async def test_scale_deployment_sets_the_replicas_kubectl_sees(tools_server, kubectl, namespace):
    kubectl("-n", namespace, "apply", "-f", "-", input=deployment("web"))
    server = tools_server()
    answer = await server.call("scale_deployment", {"name": "web", "namespace": namespace, "replicas": 3})
    assert not answer.is_error and answer.text.startswith(
        f'Scaled deployment "web" in namespace "{namespace}" to 3 replicas'
    )
    assert answer.structured == {"name": "web", "namespace": namespace, "replicas": 3}
    assert kubectl("-n", namespace, "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}").stdout == "3"
    line = last_audit(server)
    assert (line["tool"], line["outcome"], line["namespace"], line["kind"], line["name"]) == (
        "scale_deployment",
        "ok",
        namespace,
        "Deployment",
        "web",
    )
    assert line["audit_ids"], "the API server's Audit-Id of the patch is in the audit line"
    await server.ok("scale_deployment", {"name": "web", "namespace": namespace, "replicas": 0})
    assert kubectl("-n", namespace, "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}").stdout == "0"


async def test_scale_deployment_of_a_missing_deployment_is_not_found(tools_server, namespace):
    answer = await tools_server().call(
        "scale_deployment", {"name": "ghost", "namespace": namespace, "replicas": 1}
    )
    assert answer.is_error and '"ghost" not found' in answer.text and "\n" not in answer.text


async def test_create_namespace_creates_it_and_a_second_time_says_it_exists(
    tools_server, kubeconfig, kubectl
):
    name = f"kmcp-test-{secrets.token_hex(4)}"
    server = tools_server()
    try:
        assert await server.ok("create_namespace", {"name": name}) == f'Created namespace "{name}".'
        assert kubectl("get", "namespace", name, "-o", "jsonpath={.status.phase}").stdout == "Active"
        again = await server.call("create_namespace", {"name": name})
        assert again.is_error and again.text == f'namespaces "{name}" already exists.'
    finally:
        cluster.delete_namespace(kubeconfig, name)


async def test_delete_pod_removes_the_pod(tools_server, kubectl, namespace, unschedulable_pod):
    kubectl("-n", namespace, "apply", "-f", "-", input=unschedulable_pod("victim"))
    text = await tools_server().ok("delete_pod", {"name": "victim", "namespace": namespace})
    assert text == f'Deleted pod "victim" in namespace "{namespace}" (it terminates in the background).'
    gone(kubectl, "-n", namespace, "get", "pod", "victim")


async def test_delete_deployment_removes_the_deployment(tools_server, kubectl, namespace):
    kubectl("-n", namespace, "apply", "-f", "-", input=deployment("web"))
    text = await tools_server().ok("delete_deployment", {"name": "web", "namespace": namespace})
    assert text == f'Deleted deployment "web" in namespace "{namespace}" (it terminates in the background).'
    gone(kubectl, "-n", namespace, "get", "deployment", "web")


async def test_delete_cronjob_removes_the_cronjob(tools_server, kubectl, namespace):
    kubectl(
        "-n",
        namespace,
        "create",
        "cronjob",
        "nightly",
        "--image=kube-mcp.invalid/none:0",
        "--schedule=0 3 * * *",
    )
    text = await tools_server().ok("delete_cronjob", {"name": "nightly", "namespace": namespace})
    assert text == f'Deleted cronjob "nightly" in namespace "{namespace}" (it terminates in the background).'
    gone(kubectl, "-n", namespace, "get", "cronjob", "nightly")


async def test_delete_namespace_starts_its_termination(tools_server, kubeconfig, kubectl):
    name = cluster.create_namespace(kubeconfig)
    try:
        text = await tools_server().ok("delete_namespace", {"name": name})
        assert text == f'Deleted namespace "{name}" (it terminates in the background).'
        phase = kubectl(
            "get", "namespace", name, "--ignore-not-found", "-o", "jsonpath={.status.phase}"
        ).stdout
        assert phase in ("Terminating", "")
    finally:
        cluster.delete_namespace(kubeconfig, name)


MISSING = [
    ("delete_pod", "pod", "pods", True),
    ("delete_deployment", "deployment", "deployments.apps", True),
    ("delete_cronjob", "cronjob", "cronjobs.batch", True),
    ("delete_namespace", "namespace", "namespaces", False),
]


@pytest.mark.parametrize(("tool", "kind", "resource", "namespaced"), MISSING)
async def test_deleting_a_missing_object_with_ignore_not_found_succeeds(
    tools_server, namespace, tool, kind, resource, namespaced
):
    name = "ghost" if namespaced else f"kmcp-test-ghost-{secrets.token_hex(3)}"
    args = {"name": name, "namespace": namespace} if namespaced else {"name": name}
    where = f' in namespace "{namespace}"' if namespaced else ""
    server = tools_server()
    answer = await server.call(tool, {**args, "ignoreNotFound": True})
    assert (answer.is_error, answer.text) == (False, f'No {kind} "{name}"{where}; nothing to delete.')
    assert answer.structured == {"deleted": False}


@pytest.mark.parametrize(("tool", "kind", "resource", "namespaced"), MISSING)
async def test_deleting_a_missing_object_without_ignore_not_found_is_not_found(
    tools_server, namespace, tool, kind, resource, namespaced
):
    name = "ghost" if namespaced else f"kmcp-test-ghost-{secrets.token_hex(3)}"
    args = {"name": name, "namespace": namespace} if namespaced else {"name": name}
    where = f' in namespace "{namespace}"' if namespaced else ""
    answer = await tools_server().call(tool, args)
    assert (answer.is_error, answer.text) == (True, f'{resource} "{name}" not found{where}.')
