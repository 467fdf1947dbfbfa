"""The chart against a real API server: what it renders is valid, admitted, and grants what it says.

Three claims, each checked by Kubernetes itself rather than by reading YAML:
- every values scenario in deploy/helm-chart/ci renders objects the API server accepts
  (`kubectl apply --dry-run=server`, strict field validation);
- the server pod and the `helm test` pod are admitted under Pod Security "restricted";
- the ServiceAccount's RBAC allows what the tools need and nothing more (`kubectl auth can-i --as`).
"""

from __future__ import annotations

import functools
import subprocess
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import pytest
import yaml
from chartkit import SCENARIOS, release_name

from support import cluster

pytestmark = pytest.mark.cluster

WRITE_VERBS = ("create", "update", "patch", "delete", "deletecollection")
WRITABLE = (
    "pods", "deployments.apps", "replicasets.apps", "statefulsets.apps", "daemonsets.apps", "jobs.batch",
    "cronjobs.batch", "services", "configmaps", "secrets", "serviceaccounts", "persistentvolumeclaims",
    "events", "roles.rbac.authorization.k8s.io", "rolebindings.rbac.authorization.k8s.io",
)  # fmt: skip
CLUSTER_WRITABLE = (
    "namespaces", "nodes", "customresourcedefinitions.apiextensions.k8s.io",
    "clusterroles.rbac.authorization.k8s.io", "clusterrolebindings.rbac.authorization.k8s.io",
)  # fmt: skip
# Subresources and verbs that turn read access into code execution or identity theft.
DANGEROUS = (
    ("create", "pods", "exec"), ("get", "pods", "exec"), ("create", "pods", "attach"),
    ("create", "pods", "portforward"), ("get", "pods", "portforward"), ("get", "pods", "proxy"),
    ("get", "services", "proxy"), ("get", "nodes", "proxy"), ("create", "serviceaccounts", "token"),
    ("impersonate", "users", None), ("impersonate", "groups", None), ("impersonate", "serviceaccounts", None),
    ("escalate", "clusterroles.rbac.authorization.k8s.io", None),
    ("bind", "clusterroles.rbac.authorization.k8s.io", None),
)  # fmt: skip
SECRET_READS = ("get", "list", "watch")


class Check(NamedTuple):
    verb: str
    resource: str
    namespace: str | None  # None: every namespace (or a cluster-scoped resource)
    sub: str | None = None

    def __str__(self) -> str:
        sub = f"/{self.sub}" if self.sub else ""
        return f"{self.verb} {self.resource}{sub} in {self.namespace or 'all namespaces'}"


@functools.cache
def kubectl_binary() -> str:
    return cluster.kubectl_binary()  # resolved once: about 200 checks run per test


def can_i(kubeconfig: str, user: str, check: Check) -> bool:
    """One `kubectl auth can-i` as `user`."""
    args = [kubectl_binary(), "--kubeconfig", kubeconfig, "auth", "can-i", check.verb, check.resource]
    args += ["--as", user]
    args += ["-n", check.namespace] if check.namespace else ["--all-namespaces"]
    if check.sub:
        args += ["--subresource", check.sub]
    out = subprocess.run(args, capture_output=True, text=True, timeout=30).stdout.strip()
    assert out in ("yes", "no"), f"unexpected kubectl auth can-i answer {out!r} for {args}"
    return out == "yes"


def allowed(kubeconfig: str, user: str, checks: list[Check]) -> list[Check]:
    """The checks `user` passes (eight kubectl processes at a time)."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda check: can_i(kubeconfig, user, check), checks))
    return [check for check, yes in zip(checks, answers, strict=True) if yes]


def refused(kubeconfig: str, user: str, checks: list[Check]) -> list[str]:
    granted = set(allowed(kubeconfig, user, checks))
    return [str(check) for check in checks if check not in granted]


def forbidden_checks(namespace: str) -> list[Check]:
    """Writes everywhere, Secret reads, exec/attach/port-forward/proxy, impersonation and escalation."""
    checks = [Check(v, r, ns) for v in WRITE_VERBS for r in WRITABLE for ns in (namespace, None)]
    checks += [Check(v, r, None) for v in WRITE_VERBS for r in CLUSTER_WRITABLE]
    checks += [Check(v, "secrets", ns) for v in SECRET_READS for ns in (namespace, None)]
    checks += [Check(verb, res, namespace, sub) for verb, res, sub in DANGEROUS]
    return checks


# --- the API server accepts what the chart renders -------------------------------------------


@pytest.mark.parametrize("scenario", [None, *SCENARIOS], ids=lambda s: s.stem if s else "defaults")
def test_every_values_scenario_renders_objects_the_api_server_accepts(render, kubectl, namespace, scenario):
    docs = render(release_name("dry"), namespace, *([scenario] if scenario else []))
    served = kubectl("api-resources", "-o", "name").stdout.split()
    # The ServiceMonitor kind exists only where the Prometheus Operator's CRDs are installed.
    if "servicemonitors.monitoring.coreos.com" not in served:
        docs = [d for d in docs if d["kind"] != "ServiceMonitor"]
    assert {d["kind"] for d in docs} >= {"ServiceAccount", "Service", "Deployment", "Pod"}
    manifests = yaml.safe_dump_all(docs)
    # Every namespaced object names its namespace (the test's, or rbac.namespaces), so no -n here.
    proc = kubectl("apply", "--dry-run=server", "--validate=strict", "-f", "-", input=manifests)
    assert proc.stderr.strip() == "", f"the API server warned about the rendered objects:\n{proc.stderr}"


# --- Pod Security "restricted" admits the pods ------------------------------------------------


def restricted(kubectl, namespace: str) -> None:
    labels = [f"pod-security.kubernetes.io/{mode}=restricted" for mode in ("enforce", "warn")]
    kubectl("label", "namespace", namespace, *labels, "--overwrite")


def pods_of(docs) -> list[dict]:
    """The server pod (from the Deployment's template) and the `helm test` pod, as Pod objects."""
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    template = deployment["spec"]["template"]
    server_pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {**template["metadata"], "name": "server"},
                  "spec": template["spec"]}  # fmt: skip
    return [server_pod, *(d for d in docs if d["kind"] == "Pod")]


def dry_run_create(kubectl, namespace: str, obj: dict, check: bool = True):
    return kubectl(
        "create", "--dry-run=server", "-n", namespace, "-f", "-", input=yaml.safe_dump(obj), check=check
    )


def test_pod_security_restricted_is_enforced_in_the_test_namespace(kubectl, namespace):
    """The control for the next test: a root pod is refused, so an admitted pod means something."""
    restricted(kubectl, namespace)
    root_pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "root"},
                "spec": {"containers": [{"name": "c", "image": "kube-mcp:0.1.0"}]}}  # fmt: skip
    proc = dry_run_create(kubectl, namespace, root_pod, check=False)
    assert proc.returncode != 0 and "violates PodSecurity" in proc.stderr


@pytest.mark.parametrize("scenario", [None, *SCENARIOS], ids=lambda s: s.stem if s else "defaults")
def test_server_and_helm_test_pods_pass_restricted_pod_security(render, kubectl, namespace, scenario):
    restricted(kubectl, namespace)
    docs = render(release_name("psa"), namespace, *([scenario] if scenario else []))
    # Pod admission looks the ServiceAccounts up: ours, and `default` (the helm test pod's).
    kubectl("apply", "-f", "-", input=yaml.safe_dump(next(d for d in docs if d["kind"] == "ServiceAccount")))
    cluster.wait_until("the default ServiceAccount", lambda: kubectl("get", "sa", "default", "-n", namespace))
    for pod in pods_of(docs):
        proc = dry_run_create(kubectl, namespace, pod)
        assert "PodSecurity" not in proc.stderr, proc.stderr
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    proc = kubectl("apply", "--dry-run=server", "-n", namespace, "-f", "-", input=yaml.safe_dump(deployment))
    assert "would violate PodSecurity" not in proc.stderr, proc.stderr


# --- RBAC: readonly ------------------------------------------------------------------------------

READ_TOOL_NEEDS = [
    *(Check("list", r, None) for r in (
        "pods", "deployments.apps", "replicasets.apps", "statefulsets.apps", "daemonsets.apps", "jobs.batch",
        "cronjobs.batch", "services", "endpoints", "endpointslices.discovery.k8s.io", "configmaps", "events",
        "events.events.k8s.io", "namespaces", "nodes", "customresourcedefinitions.apiextensions.k8s.io",
    )),
    Check("watch", "pods", None),
    Check("get", "pods", "kube-system", "log"),
    Check("get", "pods", "default", "log"),
    Check("create", "tokenreviews.authentication.k8s.io", None),  # verifying network callers' tokens
]  # fmt: skip


def test_readonly_account_cannot_write_read_secrets_exec_forward_or_impersonate(
    apply_rbac, kubeconfig, namespace
):
    user = apply_rbac()
    assert [str(c) for c in allowed(kubeconfig, user, forbidden_checks(namespace))] == []


def test_readonly_service_account_reads_what_the_read_tools_need_in_every_namespace(apply_rbac, kubeconfig):
    user = apply_rbac()
    assert refused(kubeconfig, user, READ_TOOL_NEEDS) == []


def test_every_service_account_may_ask_who_it_is_for_the_readiness_probe(apply_rbac, kubeconfig, kubectl):
    """/readyz uses a SelfSubjectReview, granted to all authenticated users by system:basic-user."""
    user = apply_rbac()
    assert can_i(kubeconfig, user, Check("create", "selfsubjectreviews.authentication.k8s.io", None))
    assert kubectl("auth", "can-i", "get", "/version", "--as", user, check=False).stdout.strip() == "yes"


def test_readonly_service_account_cannot_verify_tokens_when_kubernetes_tokens_are_off(apply_rbac, kubeconfig):
    user = apply_rbac(**{"auth.kubernetesTokens.enabled": "false"})
    assert not can_i(kubeconfig, user, Check("create", "tokenreviews.authentication.k8s.io", None))


# --- RBAC: admin ---------------------------------------------------------------------------------

# (verb, resource, subresource) the admin variant grants, each for a tool.
ADMIN_GRANTS = {
    ("delete", "pods", None),  # delete_pod
    ("patch", "deployments.apps", "scale"),  # scale_deployment
    ("update", "deployments.apps", "scale"),
    ("patch", "deployments.apps", None),  # scale_deployment (spec.replicas), update tools
    ("update", "deployments.apps", None),
    ("delete", "deployments.apps", None),  # delete_deployment
    ("create", "namespaces", None),  # create_namespace
    ("delete", "namespaces", None),  # delete_namespace
    ("delete", "cronjobs.batch", None),  # delete_cronjob
}


def test_admin_service_account_can_do_what_the_admin_tools_need(apply_rbac, kubeconfig, namespace):
    user = apply_rbac(**{"rbac.variant": "admin"})
    scopes = {r: (None,) if r == "namespaces" else (None, namespace) for _, r, _ in ADMIN_GRANTS}
    needs = [Check(v, r, ns, sub) for v, r, sub in ADMIN_GRANTS for ns in scopes[r]]
    assert refused(kubeconfig, user, needs) == []


def test_admin_service_account_is_refused_everything_else(apply_rbac, kubeconfig, namespace):
    user = apply_rbac(**{"rbac.variant": "admin"})
    granted = allowed(kubeconfig, user, forbidden_checks(namespace))
    extra = [str(c) for c in granted if (c.verb, c.resource, c.sub) not in ADMIN_GRANTS]
    assert extra == [], "admin may do more than its tools need"


def test_admin_service_account_reads_secrets_only_with_read_secrets(apply_rbac, kubeconfig, namespace):
    user = apply_rbac(**{"rbac.variant": "admin"})
    assert not can_i(kubeconfig, user, Check("get", "secrets", namespace))
    user = apply_rbac(**{"rbac.variant": "admin", "rbac.readSecrets": "true"})
    assert can_i(kubeconfig, user, Check("list", "secrets", None))
    assert allowed(kubeconfig, user, [Check(v, "secrets", namespace) for v in WRITE_VERBS]) == []


def test_admin_create_tools_add_creates_without_secrets_or_exec(apply_rbac, kubeconfig, namespace):
    user = apply_rbac(**{"rbac.variant": "admin", "rbac.createTools": "true"})
    kinds = ("pods", "deployments.apps", "cronjobs.batch", "configmaps", "services")
    creates = [Check("create", r, namespace) for r in kinds]
    assert refused(kubeconfig, user, creates) == []
    assert not can_i(kubeconfig, user, Check("get", "secrets", namespace))
    assert not can_i(kubeconfig, user, Check("create", "pods", namespace, "exec"))


# --- RBAC: namespaced scope ----------------------------------------------------------------------


def test_namespaced_scope_reads_only_the_listed_namespaces(apply_rbac, kubeconfig, namespace):
    user = apply_rbac(**{"rbac.scope": "namespaces", "rbac.namespaces[0]": namespace})
    inside = [Check("list", "pods", namespace), Check("get", "pods", namespace, "log")]
    assert refused(kubeconfig, user, inside) == []
    outside = [Check("list", "pods", "default"), Check("list", "pods", None)]
    outside += [Check("list", "namespaces", None), Check("list", "nodes", None)]
    assert [str(c) for c in allowed(kubeconfig, user, outside)] == []
    assert can_i(kubeconfig, user, Check("create", "tokenreviews.authentication.k8s.io", None))
    assert [str(c) for c in allowed(kubeconfig, user, forbidden_checks(namespace))] == []
