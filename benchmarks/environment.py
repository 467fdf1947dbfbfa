"""Where the benchmark runs: the machine, the server command, and the cluster (if one answers).

The cluster is `--kubeconfig`, else $KUBECONFIG, else the repo's `scripts/cluster env`; it counts
only if its API server answers /version within a few seconds. Without one, the cold-start,
memory and silent-API figures still run (a stub kubeconfig: kube-mcp contacts no cluster before
its first tool call) and the sections that need a cluster say they were skipped.
"""

from __future__ import annotations

import dataclasses
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SERVER = REPO / ".venv" / "bin" / "kube-mcp"
STUB_KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters: [{name: stub, cluster: {server: "https://127.0.0.1:9", insecure-skip-tls-verify: true}}]
users: [{name: stub, user: {token: stub}}]
contexts: [{name: stub, context: {cluster: stub, user: stub, namespace: default}}]
current-context: stub
"""


@dataclasses.dataclass(frozen=True, slots=True)
class Cluster:
    kubeconfig: str
    version: str | None  # None: no API server answered
    reason: str = ""

    @property
    def up(self) -> bool:
        return self.version is not None


def machine() -> str:
    mem_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return (
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, "
        f"{mem_kib / 2**20:.1f} GiB, {platform.python_implementation()} {platform.python_version()}, "
        f"mcp {package_version('mcp')}, node {tool_version(['node', '--version'])}, load {load_average()}"
    )


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages: on a 2-core machine shared with test runs, figures
    taken above a load of about 2 are noisy, and the report says so next to them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def package_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def tool_version(argv: list[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=10).stdout.strip() or "?"
    except OSError:
        return "absent"


def kubeconfig_candidate(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    if os.environ.get("KUBECONFIG"):
        return os.environ["KUBECONFIG"]
    try:
        out = subprocess.run(
            ["bash", str(REPO / "scripts" / "cluster"), "env"], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"^export KUBECONFIG=(\S+)$", out, re.M)
    return found.group(1) if found else None


def find_cluster(explicit: str | None) -> Cluster:
    candidate = kubeconfig_candidate(explicit)
    if not candidate or not Path(candidate).is_file():
        return Cluster(stub_kubeconfig(), None, "no kubeconfig found")
    try:
        from kubernetes import client, config

        api = client.VersionApi(config.new_client_from_config(config_file=candidate))
        return Cluster(candidate, api.get_code(_request_timeout=5).git_version)
    except Exception as exc:  # any failure means "no cluster here", said in one line
        return Cluster(stub_kubeconfig(), None, f"{candidate}: {type(exc).__name__}")


def stub_kubeconfig() -> str:
    path = Path(tempfile.gettempdir()) / "kube-mcp-bench-stub-kubeconfig"
    path.write_text(STUB_KUBECONFIG)
    return str(path)


def server_env(kubeconfig: str) -> dict[str, str]:
    """Our environment without any cluster or kube-mcp settings, plus KUBECONFIG."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("K8S_", "KUBE_MCP_"))}
    env["KUBECONFIG"] = kubeconfig
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def server_argv() -> list[str]:
    return [str(SERVER)]


def python() -> str:
    return sys.executable
