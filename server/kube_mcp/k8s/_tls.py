"""A urllib3 pool from plain connection facts: the cluster CA, a client certificate, SNI, a proxy.

Built once per transport. The CA and the client certificate go into one `ssl.SSLContext`, so
each new connection costs no file reads. Python's `ssl` loads a certificate chain only from
files: `*-data` certificates and keys are written to a private temporary directory (0700, files
0600), loaded, and deleted before this returns (they never outlive the call; the image's /tmp
is a tmpfs). Without a CA, the system's trust store is used, as kubectl does.
"""

from __future__ import annotations

import logging
import os
import ssl
import tempfile
from typing import Any

import urllib3
from urllib3.util import ssl_ as urllib3_ssl

from kube_mcp.k8s import kubeconfig

LOG = logging.getLogger(__name__)


def pool(facts: kubeconfig.Facts, size: int) -> Any:
    """A PoolManager (or ProxyManager for a kubeconfig proxy-url) for `facts.server`."""
    if not facts.server.startswith(("https://", "http://")):
        raise ValueError("the server address must start with https://")
    reqs = ssl.CERT_NONE if facts.insecure else ssl.CERT_REQUIRED
    if facts.insecure:
        LOG.warning("TLS verification of the API server is OFF (skip-tls-verify); use only for tests")
        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    args: dict[str, Any] = {
        "num_pools": 4,
        "maxsize": size,
        "retries": False,
        "cert_reqs": reqs,
        "ssl_context": _context(facts, reqs),
    }
    if facts.tls_server_name:
        args["server_hostname"] = facts.tls_server_name
    if not facts.proxy_url:
        return urllib3.PoolManager(**args)
    if facts.proxy_url.startswith("socks"):
        try:
            from urllib3.contrib.socks import SOCKSProxyManager
        except ImportError:
            raise ValueError("its SOCKS proxy-url needs the PySocks package") from None
        return SOCKSProxyManager(facts.proxy_url, **args)
    return urllib3.ProxyManager(facts.proxy_url, **args)


def _context(facts: kubeconfig.Facts, reqs: ssl.VerifyMode) -> ssl.SSLContext:
    context = urllib3_ssl.create_urllib3_context(cert_reqs=reqs)
    try:
        if facts.ca_data or facts.ca_file:
            if facts.ca_data:  # data wins over a file, as in kubectl
                context.load_verify_locations(cadata=facts.ca_data.decode("ascii"))
            else:
                context.load_verify_locations(cafile=facts.ca_file)
        elif reqs == ssl.CERT_REQUIRED:
            context.load_default_certs()
        _client_certificate(context, facts)
    except ssl.SSLError:
        raise ValueError("its CA or client certificate is not a valid PEM certificate or key") from None
    except UnicodeDecodeError:
        raise ValueError("its CA data is not a PEM certificate bundle") from None
    return context


def _client_certificate(context: ssl.SSLContext, facts: kubeconfig.Facts) -> None:
    has_cert = facts.cert_data or facts.cert_file
    has_key = facts.key_data or facts.key_file
    if not has_cert and not has_key:
        return
    if not (has_cert and has_key):
        raise ValueError("its user has a client certificate without a key, or a key without one")
    if not facts.cert_data and not facts.key_data:
        context.load_cert_chain(facts.cert_file or "", facts.key_file)
        return
    with tempfile.TemporaryDirectory(prefix="kube-mcp-") as private:  # mode 0700
        cert = facts.cert_file or _write(private, "client.crt", facts.cert_data or b"")
        key = facts.key_file or _write(private, "client.key", facts.key_data or b"")
        context.load_cert_chain(cert, key)


def _write(directory: str, name: str, data: bytes) -> str:
    path = os.path.join(directory, name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return path
