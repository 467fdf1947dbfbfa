"""Which credentials the server uses, chosen once, without importing `kubernetes`.

Precedence (the first that is configured wins; a configured source that is broken is an error,
never a silent fall-through to the next one):

1. `K8S_SERVER` (+ `K8S_TOKEN`, `K8S_CA_DATA`, `K8S_SKIP_TLS_VERIFY`): the most explicit setting.
2. `KUBECONFIG_YAML`: a whole kubeconfig in one variable (typical for a Secret mounted as env).
3. `KUBECONFIG` / `KUBECONFIG_PATH`: kubeconfig file(s), separated like `$PATH`.
4. In-cluster ServiceAccount: `KUBERNETES_SERVICE_HOST`/`_PORT` set and a token file at
   /var/run/secrets/kubernetes.io/serviceaccount/token (the token is re-read when it rotates).
5. `~/.kube/config`.

The default namespace is `KUBE_MCP_DEFAULT_NAMESPACE`, else the pod's namespace file (in-cluster),
else the kubeconfig context's namespace, else "default". `KUBE_MCP_CONTEXT` picks a kubeconfig
context; like kubectl, the first file that names a current-context decides the default one.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kube_mcp import config

SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"


@dataclasses.dataclass(frozen=True, slots=True)
class Source:
    """One way to reach the API server; secrets are kept out of `repr`."""

    kind: str  # "server" | "yaml" | "files" | "in-cluster" | "none"
    namespace: str
    context: str | None = None
    server: str | None = None
    token: str | None = dataclasses.field(default=None, repr=False)
    ca_data: str | None = dataclasses.field(default=None, repr=False)
    skip_tls_verify: bool = False
    yaml_text: str | None = dataclasses.field(default=None, repr=False)
    paths: tuple[str, ...] = ()
    sa_dir: str = SA_DIR
    problem: str | None = None  # kind "none": why nothing was usable, one sentence

    @property
    def principal(self) -> str:
        """How error sentences name our identity: tokens are ServiceAccounts in practice."""
        return "ServiceAccount" if self.kind in ("in-cluster", "server") else "credentials"


def select(
    settings: config.Settings, environ: Mapping[str, str], *, sa_dir: str = SA_DIR, home: str | None = None
) -> Source:
    """Pick the source by the precedence in the module docstring; reads only small local files."""
    chosen = settings.default_namespace
    if settings.k8s_server:
        return Source(
            "server",
            chosen or "default",
            server=settings.k8s_server,
            token=settings.k8s_token,
            ca_data=settings.k8s_ca_data,
            skip_tls_verify=settings.k8s_skip_tls_verify,
        )
    if settings.kubeconfig_yaml:
        return _from_yaml(settings, chosen)
    if settings.kubeconfig:
        return _from_files(settings, settings.kubeconfig.split(os.pathsep), chosen)
    host = in_cluster_server(environ)
    if host and Path(sa_dir, "token").is_file():
        namespace = chosen or _read_text(Path(sa_dir, "namespace")) or "default"
        return Source("in-cluster", namespace, server=host, sa_dir=sa_dir)
    default = Path(home or Path.home(), ".kube", "config")
    if default.is_file():
        return _from_files(settings, [str(default)], chosen)
    return Source(
        "none",
        chosen or "default",
        problem="No Kubernetes credentials were found: set "
        "KUBECONFIG, or K8S_SERVER and K8S_TOKEN, or run in a pod with a ServiceAccount.",
    )


def in_cluster_server(environ: Mapping[str, str]) -> str | None:
    """https://host:port from the variables the kubelet sets in every pod (IPv6 in brackets)."""
    host = environ.get("KUBERNETES_SERVICE_HOST", "").strip()
    port = environ.get("KUBERNETES_SERVICE_PORT", "").strip()
    if not host or not port:
        return None
    return f"https://[{host}]:{port}" if ":" in host else f"https://{host}:{port}"


def _from_yaml(settings: config.Settings, chosen: str | None) -> Source:
    text = settings.kubeconfig_yaml or ""
    doc = _parse_yaml(text)
    context = settings.context or _current_context([doc])
    namespace = chosen or _context_namespace([doc], context) or "default"
    return Source("yaml", namespace, context=context, yaml_text=text)


def _from_files(settings: config.Settings, raw_paths: list[str], chosen: str | None) -> Source:
    paths = tuple(
        p for p in (os.path.expanduser(r.strip()) for r in raw_paths if r.strip()) if Path(p).is_file()
    )
    if not paths:
        return Source("none", chosen or "default", problem="KUBECONFIG names no readable kubeconfig file.")
    docs = [_parse_yaml(_read_text(Path(p)) or "") for p in paths]
    context = settings.context or _current_context(docs)
    namespace = chosen or _context_namespace(docs, context) or "default"
    return Source("files", namespace, context=context, paths=paths)


def _current_context(docs: list[dict[str, Any]]) -> str | None:
    for doc in docs:
        name = doc.get("current-context")
        if isinstance(name, str) and name:
            return name
    return None


def _context_namespace(docs: list[dict[str, Any]], context: str | None) -> str | None:
    """The namespace of the first context entry named `context` (kubectl's merge rule)."""
    for doc in docs:
        for entry in doc.get("contexts") or []:
            if isinstance(entry, dict) and entry.get("name") == context:
                namespace = (entry.get("context") or {}).get("namespace")
                return namespace if isinstance(namespace, str) and namespace else None
    return None


def _parse_yaml(text: str) -> dict[str, Any]:
    """A kubeconfig as a dict; anything unreadable is {} here and reported on the first request."""
    import yaml

    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    return doc if isinstance(doc, dict) else {}


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
