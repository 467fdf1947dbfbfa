"""The transport: a urllib3 pool with the cluster's TLS settings, and one exchange; first request only.

We send requests ourselves: raw bytes in and out, so big lists are parsed once by `json.loads`
instead of into generated model objects. The pool is built here from plain connection facts
(server, CA, client certificate, token): for K8S_SERVER, the in-cluster ServiceAccount and
kubeconfigs with static credentials (`kubeconfig`) no `kubernetes` import happens at all, which
saves about 0.5 s and 40 MB on the first request and lets the image ship without the package.
Only kubeconfig users with exec/auth-provider plugins go through `_plugin` (the `kubernetes` loader).
urllib3's own retries and redirects are off (`retries=False`): `rest` owns the retry policy.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import os
from collections.abc import Callable, Mapping
from typing import Any

import urllib3
import yaml

from kube_mcp.k8s import _tls, connection, errors, kubeconfig, sources, translate

POOL_SIZE = 16  # as many kept-alive connections as worker threads (rest.WORKERS)


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
    except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError) as exc:
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
    auth = transport.auth()
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


def _from_server(source: sources.Source) -> Transport:
    facts = kubeconfig.Facts(
        server=(source.server or "").rstrip("/"),
        ca_data=_ca_pem(source.ca_data) if source.ca_data else None,
        insecure=source.skip_tls_verify,
    )
    header = {"Authorization": f"Bearer {source.token}"} if source.token else {}
    return Transport(facts.server, _tls.pool(facts, POOL_SIZE), lambda: dict(header))


def _in_cluster(source: sources.Source, token_file: connection.TokenFile) -> Transport:
    facts = kubeconfig.Facts(server=source.server or "", ca_file=os.path.join(source.sa_dir, "ca.crt"))
    token_file.current()  # fail now, as a ConfigurationError, if the token cannot be read
    pool = _tls.pool(facts, POOL_SIZE)
    return Transport(facts.server, pool, lambda: {"Authorization": f"Bearer {token_file.current()}"})


def _from_kubeconfig(source: sources.Source) -> Transport:
    """Static credentials read by `kubeconfig` (tokens files are read again after a 401: see
    `connection.refresh`); exec/auth-provider users go to the `kubernetes` loader."""
    if source.kind == "yaml":
        facts = kubeconfig.from_text(source.yaml_text or "", source.context)
    else:
        facts = kubeconfig.from_files(source.paths, source.context)
    if facts.plugin:
        from kube_mcp.k8s import _plugin

        loaded: Any = yaml.safe_load(source.yaml_text or "") if source.kind == "yaml" else source.paths
        host, pool, auth = _plugin.load(loaded, source.context, pool_size=POOL_SIZE)
        return Transport(host, pool, auth)
    header = _static_auth(facts)
    return Transport(facts.server, _tls.pool(facts, POOL_SIZE), lambda: dict(header))


def _static_auth(facts: kubeconfig.Facts) -> dict[str, str]:
    """kubectl's order: token, then tokenFile, then basic auth; none with a client certificate."""
    token = facts.token
    if not token and facts.token_file:
        with open(facts.token_file, encoding="utf-8") as handle:
            token = handle.read().strip()
    if token:
        return {"Authorization": f"Bearer {token}"}
    if facts.basic:
        pair = base64.b64encode(":".join(facts.basic).encode()).decode("ascii")
        return {"Authorization": f"Basic {pair}"}
    return {}


def _ca_pem(data: str) -> bytes:
    """K8S_CA_DATA is base64 of a PEM bundle (like kubeconfig's certificate-authority-data)."""
    if data.lstrip().startswith("-----BEGIN"):
        return data.encode("ascii")
    try:
        return base64.b64decode(data, validate=True)
    except binascii.Error:
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
    if isinstance(exc, OSError):
        return f"a file it names cannot be read ({exc.strerror or 'error'})"
    if isinstance(exc, yaml.YAMLError):
        return "it is not valid YAML"
    return translate.credential_reason(exc)
