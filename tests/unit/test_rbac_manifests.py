"""deploy/rbac/ holds plain manifests generated from the Helm chart; they must not drift from it.

Runs scripts/render-rbac into a temporary directory and compares file by file. helm is required
(scripts/render-rbac finds it: $HELM, the one scripts/cluster built, or PATH): a missing helm is a
failure, not a skip, so CI cannot pass without checking.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "deploy" / "rbac"


def render(out: Path) -> None:
    proc = subprocess.run(
        ["bash", str(REPO / "scripts" / "render-rbac"), str(out)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, f"scripts/render-rbac failed:\n{proc.stderr}"


def test_deploy_rbac_matches_what_the_chart_renders(tmp_path):
    render(tmp_path)
    rendered = sorted(p.name for p in tmp_path.iterdir())
    assert rendered == sorted(p.name for p in COMMITTED.glob("*.yaml")) == ["admin.yaml", "readonly.yaml"]
    for name in rendered:
        assert (COMMITTED / name).read_text() == (tmp_path / name).read_text(), (
            f"deploy/rbac/{name} is stale: run scripts/render-rbac"
        )


def test_readonly_manifest_grants_no_secrets_and_no_write_verbs_beyond_token_reviews():
    docs = list(yaml.safe_load_all((COMMITTED / "readonly.yaml").read_text()))
    role = next(d for d in docs if d and d["kind"] == "ClusterRole")
    for rule in role["rules"]:
        assert "secrets" not in rule["resources"] and "*" not in rule["resources"]
        if rule["resources"] != ["tokenreviews"]:
            assert set(rule["verbs"]) <= {"get", "list", "watch"}, rule


def test_both_manifests_bind_the_kube_mcp_service_account_in_namespace_kube_mcp():
    for name in ("readonly.yaml", "admin.yaml"):
        docs = [d for d in yaml.safe_load_all((COMMITTED / name).read_text()) if d]
        assert [d["kind"] for d in docs] == ["ServiceAccount", "ClusterRole", "ClusterRoleBinding"]
        account = {"kind": "ServiceAccount", "name": "kube-mcp", "namespace": "kube-mcp"}
        assert docs[2]["subjects"] == [account]
        assert docs[0]["metadata"]["namespace"] == "kube-mcp"
