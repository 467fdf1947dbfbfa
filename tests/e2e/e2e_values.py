"""The chart values each phase of the suite installs (read from deploy/helm-chart/values.yaml).

BASE goes into a values file for every `helm install`/`upgrade`; each phase adds `--set` pairs,
spelled as a user would type them (`--set rbac.variant=admin`).
"""

from __future__ import annotations

from typing import Any

TOKEN_KEY = "token"  # key of the static token in the Secret the chart reads


def base(image: str, token_secret: str) -> dict[str, Any]:
    """Values every phase shares: our locally built image, and the network callers' token."""
    repository, _, tag = image.rpartition(":")
    return {
        "image": {"repository": repository, "tag": tag, "pullPolicy": "IfNotPresent"},
        "auth": {"staticToken": {"existingSecret": token_secret, "key": TOKEN_KEY}},
        # The suite fires dozens of calls a second through one port-forward, i.e. one (loopback)
        # caller; the limit itself is proven by tests/integration/test_transport_ratelimit.py.
        "server": {"rateLimit": {"perSecond": 500, "burst": 1000}},
    }


# The default install: read-only RBAC, read-only server mode.
READONLY: dict[str, str] = {}
# Read-only RBAC, but the server's own mode told to allow writes: only Kubernetes stands in the way.
FORCED_WRITES: dict[str, str] = {"server.testOnlyAllowWriteTools": "true"}
# Admin RBAC (the server mode follows the variant), as the issue spells it.
ADMIN: dict[str, str] = {"rbac.variant": "admin"}
# Admin RBAC with the seed's ALLOW_ONLY_NON_DESTRUCTIVE_TOOLS; Secrets readable by the ServiceAccount,
# so only the server's redaction stands between a Secret's value and the answer.
ADMIN_NON_DESTRUCTIVE: dict[str, str] = {
    "rbac.variant": "admin",
    "server.nonDestructive": "true",
    "rbac.readSecrets": "true",
}
# A second release whose server points at an API server that is not there (probe test).
UNREACHABLE_API: dict[str, str] = {
    "server.extraEnv[0].name": "K8S_SERVER",
    "server.extraEnv[0].value": "https://127.0.0.1:1",  # nothing listens on port 1: refused at once
    "server.extraEnv[1].name": "K8S_TOKEN",
    "server.extraEnv[1].value": "unused",
}

WRITE_TOOLS = frozenset({"scale_deployment", "create_namespace"})
DESTRUCTIVE_TOOLS = frozenset({"delete_pod", "delete_deployment", "delete_namespace", "delete_cronjob"})
READ_TOOLS = frozenset({
    "list_pods", "describe_pod", "get_logs", "list_deployments", "list_services", "list_namespaces",
    "list_nodes", "get_events", "kubectl_get", "ping",
})  # fmt: skip
