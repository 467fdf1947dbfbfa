"""Helpers for tests that need a real Kubernetes cluster.

The cluster is whatever $KUBECONFIG points at (kind, a remote cluster) when it answers, otherwise
the local one-node cluster from `scripts/cluster up`.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CLUSTER_SCRIPT = REPO / "scripts" / "cluster"
# A cold `up` may build Kubernetes from source (tens of minutes); a warm one takes about a minute.
UP_TIMEOUT = int(os.environ.get("KUBE_MCP_CLUSTER_UP_TIMEOUT", "5400"))


def cluster_env() -> dict[str, str]:
    """KUBECONFIG and PATH that `scripts/cluster env` prints, as a dict."""
    out = subprocess.run(
        ["bash", str(CLUSTER_SCRIPT), "env"], check=True, capture_output=True, text=True, timeout=30
    ).stdout
    return dict(re.findall(r"^export (\w+)=(.*)$", out, re.M))


def kubectl_binary() -> str:
    """The kubectl that scripts/cluster built, else the one on PATH."""
    for entry in cluster_env().get("PATH", "").split(":"):
        candidate = Path(entry) / "kubectl"
        if entry and candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("kubectl")
    if not found:
        raise RuntimeError("kubectl not found: run scripts/cluster up or put kubectl on PATH")
    return found


def run_kubectl(
    kubeconfig: str, *args: str, input: str | None = None, timeout: float = 60, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Runs kubectl against `kubeconfig`; raises with kubectl's stderr when check fails."""
    cmd = [kubectl_binary(), "--kubeconfig", kubeconfig, *args]
    proc = subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}{proc.stdout}")
    return proc


def reachable(kubeconfig: str) -> bool:
    if not Path(kubeconfig).is_file():
        return False
    try:
        return run_kubectl(kubeconfig, "get", "--raw", "/readyz", timeout=15, check=False).returncode == 0
    except (subprocess.TimeoutExpired, RuntimeError):
        return False


def ensure_local_cluster() -> str:
    """Runs `scripts/cluster up` (a no-op when it is already up) and returns the admin kubeconfig."""
    proc = subprocess.run(
        ["bash", str(CLUSTER_SCRIPT), "up"], capture_output=True, text=True, timeout=UP_TIMEOUT
    )
    if proc.returncode != 0:
        raise RuntimeError(f"scripts/cluster up failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return cluster_env()["KUBECONFIG"]


def create_namespace(kubeconfig: str) -> str:
    name = f"kmcp-test-{secrets.token_hex(4)}"
    run_kubectl(kubeconfig, "create", "namespace", name)
    run_kubectl(kubeconfig, "label", "namespace", name, "kube-mcp.test=true")
    return name


def delete_namespace(kubeconfig: str, name: str) -> None:
    run_kubectl(kubeconfig, "delete", "namespace", name, "--wait=false", "--ignore-not-found", check=False)


def wait_until(what: str, predicate: Callable[[], object], timeout: float = 120, interval: float = 0.5):
    """Polls `predicate` until it returns something truthy; fails naming `what` at the deadline."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = predicate()
            if result:
                return result
        except Exception as exc:  # a poll may fail while the thing is still coming up
            last_error = exc
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; last error: {last_error}")


def load_image(kubeconfig: str, image: str) -> None:
    """Makes a Docker engine image available to the cluster's nodes.

    $KUBE_MCP_LOAD_IMAGE (a command prefix) wins; a kind context uses `kind load docker-image`;
    otherwise `scripts/cluster load-image`.
    """
    prefix = os.environ.get("KUBE_MCP_LOAD_IMAGE")
    if prefix:
        cmd = [*prefix.split(), image]
    else:
        context = run_kubectl(kubeconfig, "config", "current-context").stdout.strip()
        if context.startswith("kind-") and shutil.which("kind"):
            cmd = ["kind", "load", "docker-image", "--name", context.removeprefix("kind-"), image]
        else:
            cmd = ["bash", str(CLUSTER_SCRIPT), "load-image", image]
    subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=300)
