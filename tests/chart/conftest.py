"""Fixtures for the chart's cluster tests: the helm binary, rendering, and RBAC applied and removed.

Rendering is `helm template` (no release is recorded): the tests apply or dry-run exactly the
objects the chart renders. ClusterRoles are cluster-scoped, so every release name is
unique and every cluster-scoped object a test creates is deleted afterwards.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from chartkit import CHART, find_helm, release_name

Manifest = dict[str, object]


@pytest.fixture(scope="session")
def helm() -> str:
    return find_helm()


@pytest.fixture(scope="session")
def kube_version(kubectl) -> str:
    """The API server's version, so helm renders for the cluster it is tested against."""
    out = kubectl("version", "-o", "json").stdout
    return str(json.loads(out)["serverVersion"]["gitVersion"]).lstrip("v")


@pytest.fixture(scope="session")
def render(helm, kube_version) -> Callable[..., list[Manifest]]:
    """render(release, namespace, *value_files, sets={...}, show_only=[...]) -> manifests (hooks included)."""

    def _render(
        release: str,
        namespace: str,
        *value_files: Path,
        sets: dict[str, str] | None = None,
        show_only: tuple[str, ...] = (),
    ) -> list[Manifest]:
        args = [helm, "template", release, str(CHART), "-n", namespace, "--kube-version", kube_version]
        for values in value_files:
            args += ["--values", str(values)]
        for key, value in (sets or {}).items():
            args += ["--set", f"{key}={value}"]
        for template in show_only:
            args += ["--show-only", template]
        proc = subprocess.run(args, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, f"helm template failed:\n{proc.stderr}"
        return [doc for doc in yaml.safe_load_all(proc.stdout) if doc]

    return _render


@pytest.fixture
def apply_rbac(render, kubectl, namespace) -> Iterator[Callable[..., str]]:
    """apply_rbac(**sets) renders and applies the ServiceAccount and RBAC; returns the `--as` user.

    Cluster-scoped objects are deleted after the test; the namespace fixture removes the rest."""
    created: list[tuple[str, str]] = []

    def _apply(**sets: str) -> str:
        release = release_name("rbac")
        docs = render(
            release, namespace, sets=sets, show_only=("templates/serviceaccount.yaml", "templates/rbac.yaml")
        )
        kubectl("apply", "-f", "-", input=yaml.safe_dump_all(docs))
        for doc in docs:
            if doc["kind"] in ("ClusterRole", "ClusterRoleBinding"):
                created.append((str(doc["kind"]), str(doc["metadata"]["name"])))  # type: ignore[index]
        account = next(doc for doc in docs if doc["kind"] == "ServiceAccount")
        return f"system:serviceaccount:{namespace}:{account['metadata']['name']}"  # type: ignore[index]

    yield _apply
    for kind, name in created:
        kubectl("delete", kind, name, "--ignore-not-found", "--wait=false", check=False)
