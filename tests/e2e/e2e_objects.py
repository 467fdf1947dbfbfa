"""Objects the suite creates for the tools to find: a pod, a deployment, a service, a secret, a cronjob.

Every container runs the kube-mcp image itself (nothing can be pulled here) with a Python one-liner,
and every pod spec meets the `restricted` Pod Security level, so the suite runs in namespaces that
enforce it. Names carry a random suffix; values the tools must never reveal are random too, so
finding one in an answer can only mean a leak.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from support import cluster

SLEEPER = "import sys, time; print(sys.argv[1], flush=True); time.sleep(3600)"
NETCLIENT = Path(__file__).with_name("e2e_netclient_script.py")


@dataclass
class Workload:
    """Names and secret values of the objects in one test namespace."""

    namespace: str
    image: str
    suffix: str = field(default_factory=lambda: secrets.token_hex(3))
    secret_value: str = field(default_factory=lambda: f"e2e-secret-{secrets.token_hex(12)}")
    env_value: str = field(default_factory=lambda: f"e2e-literal-env-{secrets.token_hex(12)}")

    @property
    def pod(self) -> str:
        return f"e2e-pod-{self.suffix}"

    @property
    def log_marker(self) -> str:
        return f"e2e-log-marker-{self.suffix}"

    @property
    def deployment(self) -> str:
        return f"e2e-web-{self.suffix}"

    @property
    def service(self) -> str:
        return f"e2e-svc-{self.suffix}"

    @property
    def secret(self) -> str:
        return f"e2e-secret-{self.suffix}"

    @property
    def cronjob(self) -> str:
        return f"e2e-cron-{self.suffix}"


def pod_spec(image: str, args: list[str], **extra: Any) -> dict[str, Any]:
    """A restricted-level pod spec running `python3 -c <args[0]> <args[1:]>` in our image."""
    container = {
        "name": "main", "image": image, "imagePullPolicy": "IfNotPresent",
        "command": ["python3", "-c", *args],
        "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}},
        "resources": {"requests": {"cpu": "10m", "memory": "32Mi"}, "limits": {"memory": "128Mi"}},
        **extra,
    }  # fmt: skip
    return {
        "terminationGracePeriodSeconds": 1,  # python as pid 1 ignores SIGTERM; do not wait 30 s
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": 65532,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "containers": [container],
    }


def sleeper(image: str, marker: str, env_value: str) -> dict[str, Any]:
    env = [{"name": "E2E_LITERAL", "value": env_value}]
    return pod_spec(image, [SLEEPER, marker], env=env)


def manifests(w: Workload) -> list[dict[str, Any]]:
    labels = {"app": w.deployment}
    return [
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": w.pod, "labels": {"app": w.pod}},
         "spec": sleeper(w.image, w.log_marker, w.env_value)},
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": w.deployment},
         "spec": {"replicas": 1, "selector": {"matchLabels": labels},
                  "template": {"metadata": {"labels": labels}, "spec": sleeper(w.image, w.deployment, "x")}}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": w.service},
         "spec": {"selector": labels, "ports": [{"port": 8080, "targetPort": 8080}]}},
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": w.secret},
         "stringData": {"password": w.secret_value}},
        {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": w.cronjob},
         "spec": {"schedule": "0 0 1 1 *", "suspend": True, "jobTemplate": {"spec": {"template": {
             "spec": {**pod_spec(w.image, ["pass"]), "restartPolicy": "Never"}}}}}},
    ]  # fmt: skip


def apply(kubeconfig: str, namespace: str, objects: list[dict[str, Any]]) -> None:
    doc = json.dumps({"apiVersion": "v1", "kind": "List", "items": objects})
    cluster.run_kubectl(kubeconfig, "-n", namespace, "apply", "-f", "-", input=doc)


def create_workload(kubeconfig: str, namespace: str, image: str) -> Workload:
    """Creates the objects and waits (bounded) for the pod and the deployment to be Ready."""
    workload = Workload(namespace, image)
    apply(kubeconfig, namespace, manifests(workload))
    wait_ready(kubeconfig, namespace, f"pod/{workload.pod}")
    cluster.run_kubectl(
        kubeconfig,
        "-n",
        namespace,
        "rollout",
        "status",
        f"deploy/{workload.deployment}",
        "--timeout=120s",
        timeout=130,
    )
    return workload


def wait_ready(kubeconfig: str, namespace: str, target: str, timeout: int = 120) -> None:
    cluster.run_kubectl(
        kubeconfig,
        "-n",
        namespace,
        "wait",
        "--for=condition=Ready",
        target,
        f"--timeout={timeout}s",
        timeout=timeout + 10,
    )


def exists(kubeconfig: str, namespace: str | None, *what: str) -> bool:
    """True when `kubectl get <what>` finds it (and it is not being deleted)."""
    scope = ["-n", namespace] if namespace else []
    proc = cluster.run_kubectl(kubeconfig, *scope, "get", *what, "-o", "json", check=False)
    if proc.returncode != 0:
        return False
    return not json.loads(proc.stdout).get("metadata", {}).get("deletionTimestamp")


def get_json(kubeconfig: str, namespace: str, *what: str) -> dict[str, Any]:
    out = cluster.run_kubectl(kubeconfig, "-n", namespace, "get", *what, "-o", "json").stdout
    result: dict[str, Any] = json.loads(out)
    return result


def run_netclient(kubeconfig: str, namespace: str, image: str, env: dict[str, str]) -> dict[str, Any]:
    """Runs e2e_netclient_script.py in a pod of `namespace` and returns its E2E-RESULT object."""
    name = f"e2e-netclient-{secrets.token_hex(3)}"
    env_list = [{"name": key, "value": value} for key, value in env.items()]
    spec = {**pod_spec(image, [NETCLIENT.read_text()], env=env_list), "restartPolicy": "Never"}
    apply(
        kubeconfig, namespace, [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}]
    )
    try:
        cluster.wait_until(
            f"client pod {name} to finish", lambda: _finished(kubeconfig, namespace, name), 120
        )
        log = cluster.run_kubectl(kubeconfig, "-n", namespace, "logs", name).stdout
    finally:
        cluster.run_kubectl(kubeconfig, "-n", namespace, "delete", "pod", name, "--wait=false", check=False)
    for line in log.splitlines():
        if line.startswith("E2E-RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("E2E-RESULT "))
            return result
    raise AssertionError(f"client pod {name} printed no E2E-RESULT line:\n{log[-3000:]}")


def _finished(kubeconfig: str, namespace: str, name: str) -> bool:
    phase = get_json(kubeconfig, namespace, "pod", name).get("status", {}).get("phase")
    return phase in {"Succeeded", "Failed"}
