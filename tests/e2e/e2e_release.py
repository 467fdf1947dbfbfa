"""One Helm release of the chart, driven with the commands a user types.

A phase of the suite (read-only, writes forced on, admin, admin non-destructive) is the base
values plus a few `--set` pairs; `Release.apply(sets)` runs `helm upgrade` with exactly those (no
`--reuse-values`), so a phase never inherits another's settings and a module can run alone.
After each apply the release has exactly one pod, Ready and not terminating, so a port-forward
to the Service lands on the pod the phase configured.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import e2e_tools

from support import cluster

HELM_TIMEOUT = "180s"  # image is local, so a pod is Ready in seconds; the rest is margin
SETTLE_TIMEOUT = 120  # old pods get the server's drain (10 s) plus the kubelet's grace


@dataclass
class Release:
    """A release `name` in `namespace`, installed from the repository's chart."""

    kubeconfig: str
    name: str
    namespace: str
    values_file: Path
    installed: bool = False
    sets: dict[str, str] | None = None
    pod_uid: str = ""
    history: list[str] = field(default_factory=list)

    @staticmethod
    def unique_name(prefix: str = "kube-mcp-e2e") -> str:
        # Contains the chart name, so the chart's fullname (and Service name) is the release name.
        return f"{prefix}-{secrets.token_hex(3)}"

    def kubectl(self, *args: str, timeout: float = 60, check: bool = True) -> str:
        return cluster.run_kubectl(
            self.kubeconfig, "-n", self.namespace, *args, timeout=timeout, check=check
        ).stdout

    def apply(self, sets: Mapping[str, str], *, wait: bool = True) -> None:
        """helm install (first time) or upgrade to base values + `sets`, waiting for Ready."""
        if self.installed and self.sets == dict(sets):
            return
        verb = "upgrade" if self.installed else "install"
        args = [verb, self.name, str(e2e_tools.CHART), "-n", self.namespace, "-f", str(self.values_file)]
        for key, value in sets.items():
            args += ["--set-string" if _is_string(value) else "--set", f"{key}={value}"]
        if wait:
            args += ["--wait", "--timeout", HELM_TIMEOUT]
        try:
            e2e_tools.helm(self.kubeconfig, *args, timeout=240)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{self.diagnosis()}") from None
        self.installed, self.sets = True, dict(sets)
        self.history.append(" ".join(["helm", *args]))
        if wait:
            self.pod_uid = self.settle()["metadata"]["uid"]

    def uninstall(self, *, check: bool = True) -> None:
        e2e_tools.helm(self.kubeconfig, "uninstall", self.name, "-n", self.namespace, "--wait", check=check)
        self.installed = False

    def pods(self) -> list[dict[str, Any]]:
        """The server's pods: the release's pods that a ReplicaSet owns (not `helm test` hook pods)."""
        out = self.kubectl("get", "pods", "-l", f"app.kubernetes.io/instance={self.name}", "-o", "json")
        items: list[dict[str, Any]] = json.loads(out)["items"]
        return [pod for pod in items if _owned_by_replicaset(pod)]

    def settle(self) -> dict[str, Any]:
        """Waits until the release has one pod, Ready and not being deleted; returns it."""

        def one_ready_pod() -> dict[str, Any] | None:
            pods = self.pods()
            if len(pods) == 1 and is_ready(pods[0]) and not pods[0]["metadata"].get("deletionTimestamp"):
                return pods[0]
            return None

        pod: dict[str, Any] = cluster.wait_until(
            f"release {self.name} to settle on one Ready pod", one_ready_pod, timeout=SETTLE_TIMEOUT
        )
        return pod

    def logs(self) -> str:
        """The server's log (stderr), for failure messages."""
        proc = cluster.run_kubectl(
            self.kubeconfig, "-n", self.namespace, "logs", f"deploy/{self.name}", "--tail", "80", check=False
        )
        return proc.stdout + proc.stderr

    def diagnosis(self) -> str:
        """Pods, their recent events and the server's log: what a failed install needs explained."""
        selector = f"app.kubernetes.io/instance={self.name}"
        pods = self.kubectl("get", "pods", "-l", selector, "-o", "wide", check=False)
        described = self.kubectl("describe", "pods", "-l", selector, check=False)
        log = self.logs()[-4000:]
        return f"--- pods ---\n{pods}\n--- describe ---\n{described[-4000:]}\n--- log ---\n{log}"


def is_ready(pod: Mapping[str, Any]) -> bool:
    conditions = pod.get("status", {}).get("conditions") or []
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)


def _owned_by_replicaset(pod: Mapping[str, Any]) -> bool:
    return any(ref.get("kind") == "ReplicaSet" for ref in pod["metadata"].get("ownerReferences") or [])


def _is_string(value: str) -> bool:
    # true/false and numbers go through --set so the schema sees booleans and integers.
    return value not in {"true", "false"} and not value.isdigit()
