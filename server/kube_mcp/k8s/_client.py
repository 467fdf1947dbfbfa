"""Everything that touches the `kubernetes` and `urllib3` packages; imported on the first request.

We use `kubernetes` for what it does well (reading kubeconfigs with every auth method, building a
TLS-configured urllib3 pool) and send requests ourselves: raw bytes in and out, so big lists are
parsed once by `json.loads` instead of into generated model objects. Each transport gets a fresh
`Configuration`; the library's global defaults and default client are never used or changed.
urllib3's own retries and redirects are off (`retries=False`): `rest` owns the retry policy.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import logging
import os
from collections.abc import Callable, Mapping
from typing import Any

import urllib3
import yaml
from kubernetes import client as k8s_client
from kubernetes.client import rest as k8s_rest
from kubernetes.config import config_exception, kube_config

from kube_mcp.k8s import connection, errors, sources, translate

POOL_SIZE = 16  # as many kept-alive connections as worker threads (rest.WORKERS)
LOG = logging.getLogger(__name__)


@dataclasses.dataclass(slots=True)
class Transport:
    host: str  # https://host:port, no trailing slash
    pool: Any  # urllib3.PoolManager with the cluster's TLS settings
    auth: Callable[[], dict[str, str]]  # headers for one request (token read fresh)

    def close(self) -> None:
        self.pool.clear()


def build(source: sources.Source, token_file: connection.TokenFile | None) -> Transport:
    """A transport for `source`; bad or missing credentials raise ConfigurationError."""
    try:
        if source.kind == "server":
            return _from_server(source)
        if source.kind == "in-cluster" and token_file is not None:
            return _in_cluster(source, token_file)
        if source.kind in ("yaml", "files"):
            return _from_kubeconfig(source)
    except (
        config_exception.ConfigException,
        OSError,
        ValueError,
        KeyError,
        TypeError,
        yaml.YAMLError,
    ) as exc:
        raise errors.ConfigurationError(
            f"The {_label(source)} cannot be used: {_safe_reason(exc)}."
        ) from None
    raise errors.ConfigurationError(source.problem or "No Kubernetes credentials were found.")


def exchange(
    transport: Transport,
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes | None,
    timeout: float,
    max_bytes: int | None,
) -> connection.Raw:
    """Send one request and read its body (at most max_bytes); only KubeError escapes."""
    try:
        auth = transport.auth()
    except config_exception.ConfigException as exc:
        raise errors.ConfigurationError(
            f"The credentials cannot be refreshed: {_safe_reason(exc)}."
        ) from None
    try:
        response = transport.pool.request(
            method,
            transport.host + path,
            body=body,
            headers={**headers, **auth},
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
            retries=False,
            redirect=False,
            preload_content=False,
        )
        return _read(response, max_bytes)
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise translate.transport_error(exc, timeout) from None


def _read(response: Any, max_bytes: int | None) -> connection.Raw:
    try:
        data = response.read() if max_bytes is None else response.read(max_bytes + 1)
    except BaseException:
        response.close()
        raise
    if max_bytes is not None and len(data) > max_bytes:
        response.close()  # the rest is unread: this connection cannot be reused
        data = data[:max_bytes]
    else:
        response.release_conn()
    headers = {key.lower(): value for key, value in response.headers.items()}
    return connection.Raw(response.status, headers, data)


def _configuration(host: str | None) -> Any:
    cfg = k8s_client.Configuration(host=host)
    cfg.retries = False
    cfg.connection_pool_maxsize = POOL_SIZE
    return cfg


def _pool(cfg: Any) -> Any:
    if not cfg.verify_ssl:
        LOG.warning("TLS verification of the API server is OFF (K8S_SKIP_TLS_VERIFY); use only for tests")
        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    return k8s_rest.RESTClientObject(cfg).pool_manager


def _from_server(source: sources.Source) -> Transport:
    cfg = _configuration((source.server or "").rstrip("/"))
    if source.ca_data:
        cfg.ca_cert_data = _ca_pem(source.ca_data)
    cfg.verify_ssl = not source.skip_tls_verify
    header = {"Authorization": f"Bearer {source.token}"} if source.token else {}
    return Transport(cfg.host, _pool(cfg), lambda: dict(header))


def _in_cluster(source: sources.Source, token_file: connection.TokenFile) -> Transport:
    cfg = _configuration(source.server)
    cfg.ssl_ca_cert = os.path.join(source.sa_dir, "ca.crt")
    token_file.current()  # fail now, as a ConfigurationError, if the token cannot be read
    return Transport(cfg.host, _pool(cfg), lambda: {"Authorization": f"Bearer {token_file.current()}"})


def _from_kubeconfig(source: sources.Source) -> Transport:
    if source.kind == "yaml":
        doc: Any = yaml.safe_load(source.yaml_text or "")
        base: str | None = ""
    else:
        merger = kube_config.KubeConfigMerger(os.pathsep.join(source.paths))  # type: ignore[no-untyped-call]
        doc = merger.config
        base = None  # relative file names resolve against each kubeconfig's own directory
    if not isinstance(doc, dict | kube_config.ConfigNode):
        raise ValueError("it is empty or not a kubeconfig")
    loader = kube_config.KubeConfigLoader(  # type: ignore[no-untyped-call]
        config_dict=doc, active_context=source.context, config_base_path=base
    )
    cfg = _configuration(None)
    loader.load_and_set(cfg)  # type: ignore[no-untyped-call]
    return Transport(cfg.host.rstrip("/"), _pool(cfg), lambda: _kubeconfig_auth(cfg))


def _kubeconfig_auth(cfg: Any) -> dict[str, str]:
    """Bearer or basic credentials; the library refreshes expiring exec/OIDC tokens in here."""
    setting = cfg.auth_settings().get("BearerToken")
    return {"Authorization": setting["value"]} if setting and setting.get("value") else {}


def _ca_pem(data: str) -> str:
    """K8S_CA_DATA is base64 of a PEM bundle (like kubeconfig's certificate-authority-data)."""
    if data.lstrip().startswith("-----BEGIN"):
        return data
    try:
        return base64.b64decode(data, validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError):
        raise ValueError("K8S_CA_DATA is not base64 of a PEM certificate bundle") from None


def _label(source: sources.Source) -> str:
    return {
        "server": "K8S_SERVER setting",
        "yaml": "kubeconfig in KUBECONFIG_YAML",
        "files": "kubeconfig file",
        "in-cluster": "ServiceAccount",
    }.get(source.kind, "configuration")


def _safe_reason(exc: BaseException) -> str:
    """A short reason; credential plugins' output and file contents are never echoed."""
    text = str(exc.args[0]) if exc.args else type(exc).__name__
    if isinstance(exc, OSError):
        return f"a file it names cannot be read ({exc.strerror or 'error'})"
    if "exec" in text.lower() or isinstance(exc, yaml.YAMLError):
        return "its credential plugin failed" if "exec" in text.lower() else "it is not valid YAML"
    return translate.clean(text, 160).rstrip(".")
