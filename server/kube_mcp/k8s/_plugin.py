"""Kubeconfig users with `exec` or `auth-provider`: the `kubernetes` package's loader does the work.

Credential plugins (aws/gcloud/az CLIs, kubelogin, OIDC refresh) are the one thing we do not
reimplement: their protocols are long and change. Only this module imports `kubernetes`, and only
`_client` imports this module, lazily, when `kubeconfig` flags such a user. The container image
ships without `kubernetes` (it has no plugin binaries to run), so its absence is a one-sentence
ConfigurationError. Each transport gets a fresh `Configuration`; the library's global defaults
and default client are never used or changed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from kube_mcp.k8s import errors, translate

MISSING = (
    "This kubeconfig user authenticates with an exec plugin (or auth-provider), which needs the "
    "kubernetes Python package; install kube-mcp with its default dependencies, or use a token or "
    "client certificate."
)


def load(
    doc_or_paths: Any, context: str | None, *, pool_size: int
) -> tuple[str, Any, Callable[[], dict[str, str]]]:
    """(host, urllib3 pool, auth headers) for a kubeconfig dict (KUBECONFIG_YAML) or file paths."""
    try:
        from kubernetes import client as k8s_client
        from kubernetes.client import rest as k8s_rest
        from kubernetes.config import config_exception, kube_config
    except ImportError:
        raise errors.ConfigurationError(MISSING) from None
    try:
        if isinstance(doc_or_paths, dict):
            doc, base = doc_or_paths, ""
        else:
            doc = kube_config.KubeConfigMerger(os.pathsep.join(doc_or_paths)).config  # type: ignore[no-untyped-call]
            base = None  # relative file names resolve against each kubeconfig's own directory
        loader = kube_config.KubeConfigLoader(  # type: ignore[no-untyped-call]
            config_dict=doc, active_context=context, config_base_path=base
        )
        cfg = k8s_client.Configuration()
        cfg.retries = False
        cfg.connection_pool_maxsize = pool_size
        loader.load_and_set(cfg)  # type: ignore[no-untyped-call]
    except config_exception.ConfigException as exc:
        raise ValueError(translate.credential_reason(exc)) from None
    pool = k8s_rest.RESTClientObject(cfg).pool_manager

    def auth() -> dict[str, str]:
        """Bearer or basic credentials; the library refreshes expiring exec/OIDC tokens in here."""
        try:
            setting = cfg.auth_settings().get("BearerToken")
        except config_exception.ConfigException as exc:
            raise errors.ConfigurationError(
                f"The credentials cannot be refreshed: {translate.credential_reason(exc)}."
            ) from None
        value = setting.get("value") if setting else None
        return {"Authorization": str(value)} if value else {}

    return cfg.host.rstrip("/"), pool, auth
