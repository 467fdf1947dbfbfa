"""Kubernetes access: the only package that imports `kubernetes`, and only lazily.

Importing this package costs nothing beyond the standard library: `kube_mcp.k8s.cluster.connect`
builds a `Cluster` that loads the `kubernetes` client on its first request, so `tools/list` and
`/healthz` never pay for it. Modules:

    sources      which credentials to use (precedence documented there); default namespace
    connection   the blocking side: lazy client, token rotation, one HTTP exchange
    _client      everything that touches `kubernetes`/`urllib3` (imported on first request)
    rest         one async request: worker threads, timeouts, retries, audit ids, metrics, errors
    retry        Retry-After parsing and bounded backoff
    translate    HTTP statuses and transport failures -> `errors.*` with one sentence
    discovery    resource types, cached, resolved from what a user types
    cluster      `Cluster` (the `types.ClusterApi` implementation) and `connect()`
    auditing     `audit_ids()`: the Audit-Id headers of the requests a block of code made
"""

from __future__ import annotations

from kube_mcp.k8s.auditing import audit_ids

__all__ = ["audit_ids"]
