"""Fixtures shared by every test suite: a reachable Kubernetes cluster and throwaway namespaces."""

from __future__ import annotations

import functools
import os

import pytest

from support import cluster


def pytest_configure(config):
    config.addinivalue_line("markers", "cluster: needs a real Kubernetes cluster (started on demand)")


@pytest.fixture(scope="session")
def kubeconfig() -> str:
    """$KUBECONFIG when it answers, else the local cluster from `scripts/cluster up`."""
    env = os.environ.get("KUBECONFIG")
    if env and cluster.reachable(env):
        return env
    return cluster.ensure_local_cluster()


@pytest.fixture(scope="session")
def kubectl(kubeconfig):
    """kubectl(*args, input=None, timeout=60, check=True) -> CompletedProcess, bound to the cluster."""
    return functools.partial(cluster.run_kubectl, kubeconfig)


@pytest.fixture
def namespace(kubeconfig):
    """A fresh namespace `kmcp-test-<random>` labelled kube-mcp.test=true, deleted afterwards."""
    name = cluster.create_namespace(kubeconfig)
    yield name
    cluster.delete_namespace(kubeconfig, name)
