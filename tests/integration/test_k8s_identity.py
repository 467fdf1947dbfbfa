"""Credentials against the real API server: a ServiceAccount without rights gets Forbidden
sentences, TokenReview honours audiences, and an in-cluster token is re-read when it rotates."""

from __future__ import annotations

import base64
import json
import os
import pathlib
from urllib.parse import urlsplit

import pytest

from kube_mcp import config
from kube_mcp.k8s import cluster, errors, types

pytestmark = [pytest.mark.cluster, pytest.mark.anyio]
CONFIGMAPS = types.ResourceRef(
    group="", version="v1", resource="configmaps", kind="ConfigMap", namespaced=True
)


def server_and_ca(kubectl) -> tuple[str, str]:
    """The API server URL and its CA as base64 PEM, from the test kubeconfig."""
    cfg = json.loads(kubectl("config", "view", "--raw", "--minify", "-o", "json").stdout)["clusters"][0][
        "cluster"
    ]
    if "certificate-authority-data" in cfg:
        return cfg["server"], cfg["certificate-authority-data"]
    with open(cfg["certificate-authority"], "rb") as handle:
        return cfg["server"], base64.b64encode(handle.read()).decode()


def service_account(kubectl, namespace: str, name: str, *audiences: str) -> str:
    kubectl("-n", namespace, "create", "serviceaccount", name, check=False)
    flags = [f"--audience={a}" for a in audiences]
    return kubectl("-n", namespace, "create", "token", name, *flags).stdout.strip()


async def test_a_service_account_without_rights_gets_forbidden_sentences(kubectl, namespace):
    server, ca = server_and_ca(kubectl)
    token = service_account(kubectl, namespace, "nobody")
    api = cluster.connect(config.Settings(k8s_server=server, k8s_token=token, k8s_ca_data=ca), environ={})
    assert await api.whoami() == f"system:serviceaccount:{namespace}:nobody"
    with pytest.raises(errors.Forbidden) as listing:
        await api.list(CONFIGMAPS, namespace=namespace)
    assert (
        str(listing.value)
        == f'Forbidden: the server\'s ServiceAccount may not list configmaps in namespace "{namespace}".'
    )
    with pytest.raises(errors.Forbidden) as deleting:
        await api.delete(CONFIGMAPS, "kube-root-ca.crt", namespace=namespace)
    assert str(deleting.value) == (
        f'Forbidden: the server\'s ServiceAccount may not delete configmaps in namespace "{namespace}".'
    )
    assert token not in str(listing.value) + str(deleting.value)


async def test_a_wrong_ca_is_a_tls_failure_not_a_hang(kubectl):
    server, _ = server_and_ca(kubectl)
    other_ca = base64.b64encode(pathlib.Path("/etc/ssl/certs/ca-certificates.crt").read_bytes()).decode()
    settings = config.Settings(k8s_server=server, k8s_token="x", k8s_ca_data=other_ca, request_timeout=5)
    with pytest.raises(errors.Unavailable, match="TLS handshake"):
        await cluster.connect(settings, environ={}).version()


async def test_a_bad_token_is_unauthorized_without_echoing_it(kubectl):
    server, ca = server_and_ca(kubectl)
    api = cluster.connect(
        config.Settings(k8s_server=server, k8s_token="s3cret-nonsense", k8s_ca_data=ca), environ={}
    )
    with pytest.raises(errors.Unauthorized) as caught:
        await api.version()
    assert "s3cret" not in str(caught.value)


async def test_token_review_accepts_only_tokens_minted_for_our_audience(kubeconfig, kubectl, namespace):
    ours = service_account(kubectl, namespace, "caller", "kube-mcp")
    theirs = service_account(kubectl, namespace, "caller")  # the API server's own audience
    api = cluster.connect(config.Settings(kubeconfig=kubeconfig), environ={})
    identity = await api.review_token(ours, ("kube-mcp",))
    assert identity is not None
    assert identity.username == f"system:serviceaccount:{namespace}:caller"
    assert "kube-mcp" in identity.audiences and "system:serviceaccounts" in identity.groups
    assert await api.review_token(theirs, ("kube-mcp",)) is None
    assert await api.review_token("not-a-token", ("kube-mcp",)) is None


def in_cluster(tmp_path, kubectl, namespace: str, token: str, calls: list) -> cluster.Cluster:
    """A Cluster that believes it runs in a pod: service variables and a ServiceAccount directory."""
    server, ca = server_and_ca(kubectl)
    url = urlsplit(server)
    sa_dir = tmp_path / "serviceaccount"
    sa_dir.mkdir(exist_ok=True)
    (sa_dir / "ca.crt").write_bytes(base64.b64decode(ca))
    (sa_dir / "namespace").write_text(namespace)
    (sa_dir / "token").write_text(token)
    environ = {"KUBERNETES_SERVICE_HOST": url.hostname or "", "KUBERNETES_SERVICE_PORT": str(url.port or 443)}
    return cluster.connect(
        config.Settings(),
        environ=environ,
        sa_dir=str(sa_dir),
        on_request=lambda verb, status, seconds: calls.append((verb, status)),
    )


async def test_in_cluster_token_is_reread_when_the_kubelet_rotates_it(tmp_path, kubectl, namespace):
    first, second = (
        service_account(kubectl, namespace, "first"),
        service_account(kubectl, namespace, "second"),
    )
    calls: list = []
    api = in_cluster(tmp_path, kubectl, namespace, first, calls)
    assert api.default_namespace == namespace
    assert await api.whoami() == f"system:serviceaccount:{namespace}:first"
    staged = tmp_path / "staged"
    staged.write_text(second)
    os.replace(staged, tmp_path / "serviceaccount" / "token")  # the kubelet's atomic swap
    assert await api.whoami() == f"system:serviceaccount:{namespace}:second"
    assert [status for _, status in calls] == [201, 201]


async def test_in_cluster_401_rereads_the_token_and_retries_once(tmp_path, kubectl, namespace):
    good = service_account(kubectl, namespace, "rotated")
    bad = "x" * len(good)  # same size, so only a forced re-read can notice the change
    calls: list = []
    api = in_cluster(tmp_path, kubectl, namespace, bad, calls)
    with pytest.raises(errors.Unauthorized):
        await api.whoami()
    token_file = tmp_path / "serviceaccount" / "token"
    before = os.stat(token_file)
    token_file.write_text(good)  # same inode, same size; restore the mtime so its stamp is unchanged
    os.utime(token_file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert await api.whoami() == f"system:serviceaccount:{namespace}:rotated"
    assert [status for _, status in calls] == [401, 401, 201]


async def test_skip_tls_verify_reaches_the_server_without_a_ca(kubectl, namespace):
    server, _ = server_and_ca(kubectl)
    token = service_account(kubectl, namespace, "insecure")
    settings = config.Settings(k8s_server=server, k8s_token=token, k8s_skip_tls_verify=True)
    assert (
        await cluster.connect(settings, environ={}).whoami() == f"system:serviceaccount:{namespace}:insecure"
    )
