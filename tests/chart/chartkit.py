"""Shared by the chart's cluster tests: where the chart lives, its value scenarios, helm, names.

Kept out of conftest.py so test modules can import it by name (every conftest.py is `conftest`).
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

import pytest

from support import cluster

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "deploy" / "helm-chart"
# deploy/helm-chart/ci/*-values.yaml: the scenarios helm lint and these tests render.
SCENARIOS = sorted((CHART / "ci").glob("*-values.yaml"))


def find_helm() -> str:
    """$HELM, else the helm scripts/cluster built, else helm on PATH; no helm fails the test."""
    path = cluster.cluster_env().get("PATH", "").split(":")
    candidates = [os.environ.get("HELM", ""), *(str(Path(entry) / "helm") for entry in path if entry)]
    candidates.append(shutil.which("helm") or "")
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK) and Path(candidate).is_file():
            return candidate
    pytest.fail("helm not found: set HELM, run scripts/cluster up, or put helm on PATH")


def release_name(prefix: str) -> str:
    """A release name no other test (or earlier run) uses: ClusterRoles share one cluster-wide namespace."""
    return f"{prefix}-{secrets.token_hex(3)}"
