"""The admin variant (`helm upgrade --set rbac.variant=admin`): writes work and kubectl sees them.

Each write aims at objects made for it (victims), so the shared workload stays as other modules
expect it. The admin variant grants no Secrets by default, so Secret reads stay errors here
(test_06 repeats them with Secrets readable).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import e2e_checks
import e2e_mcp
import e2e_objects
import e2e_values
import pytest
from e2e_objects import Workload

from support import cluster

pytestmark = pytest.mark.e2e
GONE_TIMEOUT = 60  # pods have a 1 s grace period; namespaces take a few controller passes


@pytest.fixture(scope="module")
def admin(enter_phase: e2e_mcp.EnterPhase, workload: Workload) -> Iterator[e2e_mcp.Endpoint]:
    with enter_phase(e2e_values.ADMIN) as endpoint:
        yield endpoint


@pytest.fixture
def victim(kubeconfig: str, workload: Workload) -> Iterator[Workload]:
    """A fresh pod, deployment and cronjob in the workload namespace, for one test to change."""
    w = Workload(workload.namespace, workload.image)
    objects = [m for m in e2e_objects.manifests(w) if m["kind"] in {"Pod", "Deployment", "CronJob"}]
    e2e_objects.apply(kubeconfig, w.namespace, objects)
    yield w
    for kind, name in (("pod", w.pod), ("deployment", w.deployment), ("cronjob", w.cronjob)):
        cluster.run_kubectl(kubeconfig, "-n", w.namespace, "delete", kind, name, "--ignore-not-found",
                            "--wait=false", check=False)  # fmt: skip


def wait_gone(kubeconfig: str, namespace: str | None, kind: str, name: str) -> None:
    cluster.wait_until(
        f"{kind} {name} to be gone",
        lambda: not e2e_objects.exists(kubeconfig, namespace, kind, name),
        GONE_TIMEOUT,
    )


def test_admin_lists_every_write_and_destructive_tool(admin: e2e_mcp.Endpoint) -> None:
    missing = (e2e_values.WRITE_TOOLS | e2e_values.DESTRUCTIVE_TOOLS) - admin.tool_names("sse")
    assert not missing, sorted(missing)


def test_scale_deployment_sets_the_replicas_kubectl_shows(
    admin: e2e_mcp.Endpoint, victim: Workload, kubeconfig: str
) -> None:
    admin.call("scale_deployment", {"name": victim.deployment, "namespace": victim.namespace, "replicas": 2})

    def scaled() -> bool:
        deploy = e2e_objects.get_json(kubeconfig, victim.namespace, "deployment", victim.deployment)
        return deploy["spec"]["replicas"] == 2 and deploy.get("status", {}).get("replicas") == 2

    cluster.wait_until(f"deployment {victim.deployment} to have 2 replicas", scaled, GONE_TIMEOUT)


def test_create_namespace_then_delete_namespace(admin: e2e_mcp.Endpoint, kubeconfig: str) -> None:
    name = f"kmcp-e2e-made-{secrets.token_hex(3)}"
    try:
        admin.call("create_namespace", {"name": name})
        assert e2e_objects.exists(kubeconfig, None, "namespace", name)
        admin.call("delete_namespace", {"name": name})
        wait_gone(kubeconfig, None, "namespace", name)
    finally:
        cluster.delete_namespace(kubeconfig, name)


@pytest.mark.parametrize(
    ("tool", "kind"),
    [("delete_pod", "pod"), ("delete_deployment", "deployment"), ("delete_cronjob", "cronjob")],
)
def test_delete_tools_remove_the_object(
    admin: e2e_mcp.Endpoint, victim: Workload, kubeconfig: str, tool: str, kind: str
) -> None:
    name = {"pod": victim.pod, "deployment": victim.deployment, "cronjob": victim.cronjob}[kind]
    assert e2e_objects.exists(kubeconfig, victim.namespace, kind, name)
    admin.call(tool, {"name": name, "namespace": victim.namespace})
    wait_gone(kubeconfig, victim.namespace, kind, name)


def test_secret_value_never_appears_with_admin_rbac(admin: e2e_mcp.Endpoint, workload: Workload) -> None:
    e2e_checks.assert_secret_never_revealed(admin, workload)
