"""The commands a user types, run as subprocesses: docker build, image loading, helm.

The suite finds its programs the way a user's shell would after `eval "$(scripts/cluster env)"`:
the directories `scripts/cluster env` puts on PATH first (our from-source kubectl and helm), then
the ordinary PATH (kind users). Every call has a timeout and fails with the program's stderr.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

from support import cluster

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "deploy" / "helm-chart"
IMAGE = os.environ.get("E2E_IMAGE", "kube-mcp:e2e")
BASE_IMAGE = os.environ.get("KUBE_MCP_BASE_IMAGE", "kube-mcp-base:bookworm")
# A cold build installs the Python dependencies (about a minute here); later builds hit the layer cache.
BUILD_TIMEOUT = 900
LOAD_TIMEOUT = 300


@functools.cache
def binary(name: str) -> str:
    """`name` from the PATH that `scripts/cluster env` prints, else from the ordinary PATH."""
    try:
        extra = cluster.cluster_env().get("PATH", "")
    except (subprocess.SubprocessError, OSError):
        extra = ""
    search = ":".join(p for p in extra.split(":") if p and p != "$PATH")
    found = shutil.which(name, path=f"{search}:{os.environ.get('PATH', '')}")
    if not found:
        raise AssertionError(f'{name} not found on PATH (run `eval "$(bash scripts/cluster env)"`)')
    return found


def run(
    cmd: list[str], *, timeout: float, input: str | None = None, check: bool = True, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Runs `cmd`; with `check`, a non-zero exit fails the test with the command and its output."""
    try:
        proc = subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"{' '.join(cmd)} did not finish within {timeout}s") from exc
    if check and proc.returncode != 0:
        raise AssertionError(
            f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-6000:]}{proc.stdout[-3000:]}"
        )
    return proc


def build_image(loader: str) -> str:
    """`docker build` of the repository's Dockerfile, as the issue spells it; returns the tag.

    Our cluster has no registry, so it builds on the local base image; kind users (any other
    loader) keep the Dockerfile's own base unless KUBE_MCP_BASE_IMAGE names one.
    """
    if not (REPO / "Dockerfile").is_file():
        raise AssertionError(f"no Dockerfile at {REPO / 'Dockerfile'}")
    base: list[str] = []
    if loader == "cluster" or "KUBE_MCP_BASE_IMAGE" in os.environ:
        base = ["--build-arg", f"BASE_IMAGE={BASE_IMAGE}"]
    run([binary("docker"), "build", *base, "-t", IMAGE, "."], timeout=BUILD_TIMEOUT, cwd=REPO)
    return IMAGE


def choose_loader(kubeconfig: str) -> str:
    """E2E_LOADER if set; else `cluster` when scripts/cluster is up, `kind` on a kind context, else none."""
    chosen = os.environ.get("E2E_LOADER")
    if chosen:
        if chosen not in {"cluster", "kind", "none"}:
            raise AssertionError(f"E2E_LOADER must be cluster, kind or none, not {chosen!r}")
        return chosen
    status = run(["bash", str(cluster.CLUSTER_SCRIPT), "status"], timeout=30, check=False)
    if status.returncode == 0:
        return "cluster"
    if current_context(kubeconfig).startswith("kind-"):
        return "kind"
    return "none"


def current_context(kubeconfig: str) -> str:
    return cluster.run_kubectl(kubeconfig, "config", "current-context").stdout.strip()


def load_image(kubeconfig: str, image: str, loader: str) -> None:
    """Copies the image to the cluster's nodes the way `loader` does (none: already there)."""
    if loader == "cluster":
        run(["bash", str(cluster.CLUSTER_SCRIPT), "load-image", image], timeout=LOAD_TIMEOUT)
    elif loader == "kind":
        name = os.environ.get("E2E_KIND_CLUSTER") or current_context(kubeconfig).removeprefix("kind-")
        run([binary("kind"), "load", "docker-image", "--name", name, image], timeout=LOAD_TIMEOUT)


def helm(
    kubeconfig: str, *args: str, timeout: float = 300, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """helm with the suite's kubeconfig."""
    return run([binary("helm"), "--kubeconfig", kubeconfig, *args], timeout=timeout, check=check)
