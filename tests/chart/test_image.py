"""The container image: built from the repository's Dockerfile, small, non-root, and serving.

Built once per session on the local base image (`kube-mcp-base:bookworm` from `scripts/cluster up`,
which also starts the Docker engine; $KUBE_MCP_BASE_IMAGE overrides it) with the classic builder,
as on machines without BuildKit.
"""

from __future__ import annotations

import os
import subprocess
import urllib.request
from collections.abc import Iterator

import pytest
from chartkit import REPO

from support import cluster

pytestmark = pytest.mark.cluster

IMAGE = "kube-mcp:test"
BASE_IMAGE = os.environ.get("KUBE_MCP_BASE_IMAGE", "kube-mcp-base:bookworm")
# Issue 4 aims at 60 MB on top of the base. Without `kubernetes` and its own dependencies (the image
# removes them: see the Dockerfile) the venv adds 46.5 MB (cryptography 16 MB, pydantic 10 MB: see
# docs/chart.md). This budget is the target and catches growth.
ADDED_MB_BUDGET = 60


def docker(*args: str, timeout: float = 60, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"docker {' '.join(args)} failed:\n{proc.stderr}{proc.stdout}")
    return proc


@pytest.fixture(scope="session")
def image(kubeconfig) -> str:
    """The image, built once; depends on `kubeconfig` because scripts/cluster up starts the engine."""
    docker("image", "inspect", BASE_IMAGE)
    env = {**os.environ, "DOCKER_BUILDKIT": "0"}
    args = ["docker", "build", "--build-arg", f"BASE_IMAGE={BASE_IMAGE}", "-t", IMAGE, str(REPO)]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=900, env=env)
    assert proc.returncode == 0, f"docker build failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
    return IMAGE


@pytest.fixture
def serving(image) -> Iterator[tuple[str, int]]:
    """The image started as the chart starts it (read-only root, /tmp writable); yields (id, port)."""
    container = docker(
        "run", "-d", "--read-only", "--tmpfs", "/tmp", "-p", "127.0.0.1::3000", image
    ).stdout.strip()  # fmt: skip
    try:
        port = int(docker("port", container, "3000/tcp").stdout.split(":")[-1])
        yield container, port
    finally:
        docker("rm", "-f", container, check=False)


def healthz(port: int) -> int:
    """The /healthz status once the server listens (bounded by wait_until's deadline)."""

    def fetch() -> int:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return response.status

    return cluster.wait_until("the server to answer /healthz", fetch, timeout=30)


def test_image_prints_help_and_exits_zero(image):
    proc = docker("run", "--rm", image, "--help")
    assert "ENABLE_UNSAFE_SSE_TRANSPORT" in proc.stdout


def test_image_serves_healthz_on_port_3000_with_a_read_only_root(serving):
    _, port = serving
    assert healthz(port) == 200


def test_image_stops_cleanly_on_sigterm(serving):
    container, port = serving
    assert healthz(port) == 200
    docker("stop", "--time", "20", container, timeout=40)
    assert docker("inspect", container, "--format", "{{.State.ExitCode}}").stdout.strip() == "0"


def test_image_runs_as_uid_10001_with_the_http_entrypoint(image):
    template = "{{.Config.User}} {{json .Config.Entrypoint}}"
    config = docker("image", "inspect", image, "--format", template).stdout
    assert config.split() == ["10001:10001", '["kube-mcp"]']
    env = docker("image", "inspect", image, "--format", "{{json .Config.Env}}").stdout
    for setting in ("ENABLE_UNSAFE_SSE_TRANSPORT=1", "HOST=0.0.0.0", "PORT=3000"):
        assert setting in env


def test_image_holds_no_compilers_kubectl_cloud_clis_pip_or_sources_of_tests(image):
    script = (
        "for c in gcc cc g++ make kubectl helm aws gcloud az /opt/venv/bin/pip; do command -v $c; done;"
        "ls -d /src /opt/venv/lib/python3*/site-packages/tests 2>/dev/null; true"
    )
    found = docker("run", "--rm", "--entrypoint", "sh", image, "-c", script).stdout.split()
    assert found == []


def test_image_adds_at_most_the_size_budget_to_its_base(image):
    def size(name: str) -> int:
        return int(docker("image", "inspect", name, "--format", "{{.Size}}").stdout)

    added_mb = (size(image) - size(BASE_IMAGE)) / 1e6
    assert added_mb <= ADDED_MB_BUDGET, f"the image adds {added_mb:.1f} MB to {BASE_IMAGE}"
