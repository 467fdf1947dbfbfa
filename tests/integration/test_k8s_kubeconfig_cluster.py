"""Kubeconfigs against the real API server: client certificates from data or from relative files
work without ever importing `kubernetes`, and an exec-plugin user still works through its loader."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import textwrap

import pytest
import yaml

pytestmark = pytest.mark.cluster

PROBE = textwrap.dedent("""\
    import json, sys
    import anyio
    from kube_mcp import config
    from kube_mcp.k8s import cluster, types

    NAMESPACES = types.ResourceRef(group="", version="v1", resource="namespaces", kind="Namespace",
                                   namespaced=False)

    async def main():
        c = cluster.connect(config.Settings(kubeconfig=sys.argv[1]), environ={})
        page = await c.list(NAMESPACES, namespace=None, as_table=False)
        print(json.dumps({"names": [i["metadata"]["name"] for i in page.body["items"]],
                          "kubernetes": sorted(m for m in sys.modules if m.split(".")[0] == "kubernetes")}))

    anyio.run(main)
    """)


def probe(path: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, path], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def admin_parts(kubectl) -> dict:
    """server and base64 PEM of the CA, client certificate and key of the test kubeconfig."""
    raw = json.loads(kubectl("config", "view", "--raw", "--minify", "-o", "json").stdout)
    cluster, user = raw["clusters"][0]["cluster"], raw["users"][0]["user"]

    def data(body: dict, key: str) -> str:
        if f"{key}-data" in body:
            return body[f"{key}-data"]
        with open(body[key], "rb") as handle:
            return base64.b64encode(handle.read()).decode()

    return {
        "server": cluster["server"],
        "ca": data(cluster, "certificate-authority"),
        "cert": data(user, "client-certificate"),
        "key": data(user, "client-key"),
    }


def kubeconfig(cluster: dict, user: dict) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": "x",
        "clusters": [{"name": "c", "cluster": cluster}],
        "users": [{"name": "u", "user": user}],
        "contexts": [{"name": "x", "context": {"cluster": "c", "user": "u"}}],
    }


def test_a_client_certificate_kubeconfig_works_without_importing_kubernetes(kubeconfig_path_of_admin):
    seen = probe(kubeconfig_path_of_admin)
    assert "kube-system" in seen["names"]
    assert seen["kubernetes"] == []


def test_relative_certificate_files_resolve_against_the_kubeconfig_directory(kubectl, tmp_path):
    parts = admin_parts(kubectl)
    pki = tmp_path / "conf" / "pki"
    pki.mkdir(parents=True)
    for name in ("ca", "cert", "key"):
        (pki / f"{name}.pem").write_bytes(base64.b64decode(parts[name]))
    path = tmp_path / "conf" / "config"
    path.write_text(
        yaml.safe_dump(
            kubeconfig(
                {"server": parts["server"], "certificate-authority": "pki/ca.pem"},
                {"client-certificate": "pki/cert.pem", "client-key": "pki/key.pem"},
            )
        )
    )
    seen = probe(str(path))
    assert "kube-system" in seen["names"]
    assert seen["kubernetes"] == []


def test_an_exec_plugin_user_still_works_through_the_kubernetes_loader(kubectl, tmp_path):
    parts = admin_parts(kubectl)
    credential = {
        "apiVersion": "client.authentication.k8s.io/v1",
        "kind": "ExecCredential",
        "status": {
            "clientCertificateData": base64.b64decode(parts["cert"]).decode(),
            "clientKeyData": base64.b64decode(parts["key"]).decode(),
        },
    }
    plugin = tmp_path / "plugin.py"
    plugin.write_text(f"print({json.dumps(json.dumps(credential))})\n")
    user = {
        "exec": {
            "apiVersion": "client.authentication.k8s.io/v1",
            "command": sys.executable,
            "args": [str(plugin)],
            "interactiveMode": "Never",
        }
    }
    path = tmp_path / "config"
    path.write_text(
        yaml.safe_dump(
            kubeconfig({"server": parts["server"], "certificate-authority-data": parts["ca"]}, user)
        )
    )
    seen = probe(str(path))
    assert "kube-system" in seen["names"]
    assert "kubernetes" in seen["kubernetes"]


@pytest.fixture
def kubeconfig_path_of_admin(kubeconfig) -> str:
    return kubeconfig
