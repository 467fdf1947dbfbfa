"""Session fixtures of the e2e suite: one image build, one release, objects for the tools to find.

Order of cost: the image is built and loaded once per session; the release is installed once and
each test module moves it to its phase with `helm upgrade` (see e2e_release). Everything the
suite creates carries a random suffix and is removed by a finalizer, also when a test fails.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path

import e2e_forward
import e2e_mcp
import e2e_objects
import e2e_tools
import e2e_values
import pytest
import yaml
from e2e_release import Release

from support import cluster

Ledgers = dict[str, Counter[tuple[str, str]]]


@pytest.fixture(scope="session")
def e2e_loader(kubeconfig: str) -> str:
    return e2e_tools.choose_loader(kubeconfig)


@pytest.fixture(scope="session")
def e2e_image(kubeconfig: str, e2e_loader: str) -> str:
    """The repository's Dockerfile built once (E2E_BUILD=0: reuse E2E_IMAGE) and copied into the cluster."""
    image = e2e_tools.build_image(e2e_loader) if os.environ.get("E2E_BUILD", "1") != "0" else e2e_tools.IMAGE
    e2e_tools.load_image(kubeconfig, image, e2e_loader)
    return image


@pytest.fixture(scope="session")
def e2e_token() -> str:
    return secrets.token_urlsafe(32)


@pytest.fixture(scope="session")
def release_namespace(kubeconfig: str, e2e_token: str) -> Iterator[str]:
    """A fresh namespace for the releases, holding the Secret with the network callers' token."""
    name = cluster.create_namespace(kubeconfig)
    cluster.run_kubectl(
        kubeconfig, "-n", name, "create", "secret", "generic", "kube-mcp-e2e-token",
        f"--from-literal={e2e_values.TOKEN_KEY}={e2e_token}",
    )  # fmt: skip
    yield name
    cluster.delete_namespace(kubeconfig, name)


@pytest.fixture(scope="session")
def values_file(tmp_path_factory: pytest.TempPathFactory, e2e_image: str) -> Path:
    path = tmp_path_factory.mktemp("e2e") / "values.yaml"
    path.write_text(yaml.safe_dump(e2e_values.base(e2e_image, "kube-mcp-e2e-token")))
    return path


@pytest.fixture(scope="session")
def release(kubeconfig: str, release_namespace: str, values_file: Path) -> Iterator[Release]:
    """The suite's release (installed by the first phase that needs it, uninstalled at the end)."""
    rel = Release(kubeconfig, Release.unique_name(), release_namespace, values_file)
    yield rel
    if rel.installed:
        rel.uninstall(check=False)


@pytest.fixture(scope="session")
def workload(kubeconfig: str, e2e_image: str) -> Iterator[e2e_objects.Workload]:
    """A namespace (not the release's) with a pod, deployment, service, secret and cronjob."""
    name = cluster.create_namespace(kubeconfig)
    try:
        yield e2e_objects.create_workload(kubeconfig, name, e2e_image)
    finally:
        cluster.delete_namespace(kubeconfig, name)


@pytest.fixture(scope="session")
def ledgers() -> Ledgers:
    """Tool calls made per server pod (keyed by pod uid), for the metrics test."""
    return {}


@pytest.fixture(scope="session")
def unreachable_release(
    kubeconfig: str, release_namespace: str, values_file: Path
) -> Iterator[tuple[Release, AssertionError | None]]:
    """A second release whose server's API server never answers, installed without waiting.

    Started early (the first phase asks for it) so the probe test finds it already running; an
    install error is handed to the probe test rather than failing every phase.
    """
    rel = Release(kubeconfig, Release.unique_name("kube-mcp-e2e-noapi"), release_namespace, values_file)
    error: AssertionError | None = None
    try:
        rel.apply(e2e_values.UNREACHABLE_API, wait=False)
    except AssertionError as exc:
        error = exc
    yield rel, error
    e2e_tools.helm(kubeconfig, "uninstall", rel.name, "-n", release_namespace, "--wait", check=False)


@pytest.fixture(scope="session")
def enter_phase(
    kubeconfig: str,
    release: Release,
    ledgers: Ledgers,
    unreachable_release: tuple[Release, AssertionError | None],
) -> e2e_mcp.EnterPhase:
    """enter_phase(sets): helm upgrade to base + sets, then a port-forward to the Service."""

    @contextlib.contextmanager
    def enter(sets: Mapping[str, str]) -> Iterator[e2e_mcp.Endpoint]:
        release.apply(sets)
        ledger = ledgers.setdefault(release.pod_uid, Counter())
        with e2e_forward.port_forward(kubeconfig, release.namespace, f"svc/{release.name}") as url:
            yield e2e_mcp.Endpoint(url, ledger)

    return enter


@pytest.fixture(scope="module")
def readonly(enter_phase: e2e_mcp.EnterPhase, workload: e2e_objects.Workload) -> Iterator[e2e_mcp.Endpoint]:
    """The default install (read-only RBAC and mode), port-forwarded for one test module."""
    with enter_phase(e2e_values.READONLY) as endpoint:
        yield endpoint
