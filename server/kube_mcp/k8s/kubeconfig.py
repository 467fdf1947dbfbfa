"""Kubeconfig files read without the `kubernetes` package: the static credentials of one context.

The `kubernetes` package is 25 MB of generated client plus eight dependencies, and importing it
costs about 0.5 s and 40 MB on the first request; we speak raw REST over urllib3 anyway. This
module covers what in-cluster deployments and most local kubeconfigs use: server, CA, client
certificate, token or token file, basic auth. A user with `exec` or `auth-provider` (cloud CLIs,
OIDC) is flagged `plugin=True` and left to the `kubernetes` loader (see `_plugin`).

Merging follows kubectl: with several files, the first cluster/user/context of a given name wins
and the first file that sets current-context decides it. Relative file names resolve against the
directory of the kubeconfig that names them (against the working directory for KUBECONFIG_YAML).
Problems raise ValueError with a short reason that never quotes a credential.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import os
from collections.abc import Sequence
from typing import Any

import yaml


@dataclasses.dataclass(frozen=True, slots=True)
class Facts:
    """How to reach one API server; file fields are absolute paths, data fields PEM bytes."""

    server: str
    ca_data: bytes | None = dataclasses.field(default=None, repr=False)
    ca_file: str | None = None
    cert_data: bytes | None = dataclasses.field(default=None, repr=False)
    cert_file: str | None = None
    key_data: bytes | None = dataclasses.field(default=None, repr=False)
    key_file: str | None = None
    token: str | None = dataclasses.field(default=None, repr=False)
    token_file: str | None = None
    basic: tuple[str, str] | None = dataclasses.field(default=None, repr=False)
    insecure: bool = False
    tls_server_name: str | None = None
    proxy_url: str | None = None
    plugin: bool = False  # the user authenticates with exec or auth-provider


@dataclasses.dataclass(frozen=True, slots=True)
class _Entry:
    body: dict[str, Any]
    base: str  # directory that relative file names in `body` resolve against


def from_files(paths: Sequence[str], context: str | None) -> Facts:
    """Facts of `context` (else the merged current-context) from kubeconfig files in order."""
    docs = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            docs.append((yaml.safe_load(handle), os.path.dirname(os.path.abspath(path))))
    return _resolve(docs, context)


def from_text(text: str, context: str | None) -> Facts:
    """Facts from a whole kubeconfig held in a string (KUBECONFIG_YAML)."""
    return _resolve([(yaml.safe_load(text), "")], context)


def _resolve(docs: list[tuple[Any, str]], context: str | None) -> Facts:
    docs = [(doc, base) for doc, base in docs if doc]  # kubectl skips empty files
    if not docs or not all(isinstance(doc, dict) for doc, _ in docs):
        raise ValueError("it is empty or not a kubeconfig")
    name = context or next((d["current-context"] for d, _ in docs if d.get("current-context")), None)
    if not name:
        raise ValueError("it names no current context")
    ctx = _named(docs, "contexts", "context", name)
    if ctx is None:
        raise ValueError(f"its context {_quote(name)} is not defined")
    cluster = _named(docs, "clusters", "cluster", ctx.body.get("cluster"))
    if cluster is None:
        raise ValueError(f"the cluster of context {_quote(name)} is not defined")
    user = _named(docs, "users", "user", ctx.body.get("user")) or _Entry({}, "")
    return _facts(cluster, user)


def _named(docs: list[tuple[Any, str]], section: str, key: str, name: object) -> _Entry | None:
    """The first entry called `name` across the files (kubectl's first-wins merge)."""
    if not isinstance(name, str) or not name:
        return None
    for doc, base in docs:
        for item in doc.get(section) or []:
            if isinstance(item, dict) and item.get("name") == name:
                body = item.get(key) or {}
                if not isinstance(body, dict):
                    raise ValueError(f"its {key} entry {_quote(name)} is malformed")
                return _Entry(body, base)
    return None


def _facts(cluster: _Entry, user: _Entry) -> Facts:
    server = cluster.body.get("server")
    if not isinstance(server, str) or not server.strip():
        raise ValueError("its cluster has no server address")
    u = user.body
    basic = (str(u["username"]), str(u["password"])) if "username" in u and "password" in u else None
    return Facts(
        server=server.strip().rstrip("/"),
        ca_data=_data(cluster.body, "certificate-authority-data"),
        ca_file=_path(cluster, "certificate-authority"),
        cert_data=_data(u, "client-certificate-data"),
        cert_file=_path(user, "client-certificate"),
        key_data=_data(u, "client-key-data"),
        key_file=_path(user, "client-key"),
        token=str(u["token"]).strip() if u.get("token") else None,
        token_file=_path(user, "tokenFile"),
        basic=basic,
        insecure=bool(cluster.body.get("insecure-skip-tls-verify", False)),
        tls_server_name=cluster.body.get("tls-server-name") or None,
        proxy_url=cluster.body.get("proxy-url") or None,
        plugin=bool(u.get("exec") or u.get("auth-provider")),
    )


def _data(body: dict[str, Any], key: str) -> bytes | None:
    """A `*-data` field: base64 of PEM, as kubectl writes it."""
    value = body.get(key)
    if not value:
        return None
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"its {key} is not base64") from None


def _path(entry: _Entry, key: str) -> str | None:
    value = entry.body.get(key)
    if not value:
        return None
    path = os.path.expanduser(str(value))
    return path if os.path.isabs(path) or not entry.base else os.path.join(entry.base, path)


def _quote(name: object) -> str:
    return repr(str(name)[:60])
