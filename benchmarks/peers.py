"""Peer MCP servers for Kubernetes, installed from their registries into a cache outside the repo.

Pinned versions so figures from different days compare. Each peer is started the way its users
start it, minus the package manager's own start-up (npx resolution, pip), which is not the server:
- npm `mcp-server-kubernetes` (the TypeScript seed): `node dist/index.js`;
- npm `kubernetes-mcp-server`: a Node shim that spawns the Go binary shipped in a per-platform npm
  package; measured through the shim (what `npx kubernetes-mcp-server` runs) and as the bare binary;
- PyPI `kubectl-mcp-server` (Python): its console script, in its own venv.
A peer that cannot be installed or started is reported as unavailable with a one-line reason.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

CACHE = Path(os.environ.get("KUBE_MCP_PEERS_CACHE", Path.home() / ".cache" / "kube-mcp" / "peers"))
TS_SEED = ("mcp-server-kubernetes", "4.1.7")
GO_PEER = ("kubernetes-mcp-server", "0.0.67")
PY_PEER = ("kubectl-mcp-server", "2.0.0")
INSTALL_TIMEOUT = 600


@dataclasses.dataclass(frozen=True, slots=True)
class Peer:
    name: str  # the row label
    argv: tuple[str, ...] | None  # None when unavailable
    reason: str = ""  # why it is unavailable
    read: tuple[str, dict[str, Any]] = ("", {})  # its call that lists namespaces


def _run(argv: list[str]) -> str | None:
    """Run an installer; None on success, else the last line it printed."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{argv[0]}: {exc}"
    if done.returncode == 0:
        return None
    lines = (done.stderr or done.stdout).strip().splitlines()
    return lines[-1] if lines else f"{argv[0]} exited {done.returncode}"


def _npm_package(package: str, version: str) -> tuple[Path | None, str]:
    """`npm install --prefix CACHE/<package>` once; the package's folder, or a reason."""
    prefix = CACHE / package
    folder = prefix / "node_modules" / package
    if (
        not (folder / "package.json").is_file()
        or f'"version": "{version}"' not in (folder / "package.json").read_text()
    ):
        if not shutil.which("npm"):
            return None, "npm is not installed"
        error = _run(
            ["npm", "install", "--prefix", str(prefix), f"{package}@{version}", "--no-audit", "--no-fund"]
        )
        if error:
            return None, f"npm install failed: {error}"
    return folder, ""


def ts_seed() -> list[Peer]:
    package, version = TS_SEED
    label = f"{package} {version} (TypeScript)"
    folder, reason = _npm_package(package, version)
    node = shutil.which("node")
    if folder is None or node is None:
        return [Peer(label, None, reason or "node is not installed")]
    return [
        Peer(
            label,
            (node, str(folder / "dist" / "index.js")),
            read=("kubectl_get", {"resourceType": "namespaces"}),
        )
    ]


def go_peer() -> list[Peer]:
    package, version = GO_PEER
    folder, reason = _npm_package(package, version)
    node = shutil.which("node")
    shim_label, bare_label = f"{package} {version} (Go, npm shim)", f"{package} {version} (Go binary)"
    if folder is None or node is None:
        reason = reason or "node is not installed"
        return [Peer(shim_label, None, reason), Peer(bare_label, None, reason)]
    platform = f"{package}-linux-{'arm64' if os.uname().machine == 'aarch64' else 'amd64'}"
    binary = folder.parent / platform / "bin" / platform
    read: tuple[str, dict[str, Any]] = ("namespaces_list", {})
    shim = Peer(shim_label, (node, str(folder / "bin" / "index.js")), read=read)
    if not binary.is_file():
        return [shim, Peer(bare_label, None, f"{platform} missing")]
    return [shim, Peer(bare_label, (str(binary),), read=read)]


def py_peer() -> list[Peer]:
    package, version = PY_PEER
    label = f"{package} {version} (Python)"
    venv = CACHE / package / "venv"
    script = venv / "bin" / "kubectl-mcp"
    marker = venv / f".installed-{version}"
    if not marker.is_file():
        error = _run([sys.executable, "-m", "venv", "--clear", str(venv)]) or _run(
            [str(venv / "bin" / "pip"), "install", "-q", f"{package}=={version}"]
        )
        if error:
            return [Peer(label, None, f"pip install failed: {error}")]
        marker.touch()
    if not script.is_file():
        return [Peer(label, None, f"{script.name} not found in the venv")]
    return [Peer(label, (str(script),), read=("kubectl_get", {"resource_type": "namespaces"}))]


def all_peers() -> list[Peer]:
    return [*ts_seed(), *go_peer(), *py_peer()]
