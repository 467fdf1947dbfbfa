"""Small pieces of the Kubernetes layer: lazy import, audit ids, queries, token files, reviews."""

from __future__ import annotations

import os
import subprocess
import sys

import anyio
import pytest

from kube_mcp import config
from kube_mcp.k8s import audit_ids, auditing, authn, cluster, connection, errors, rest


def test_connect_does_not_import_kubernetes():
    code = (
        "import sys\n"
        "from kube_mcp import config\n"
        "from kube_mcp.k8s import cluster\n"
        "c = cluster.connect(config.Settings(k8s_server='https://127.0.0.1:1'), environ={})\n"
        "assert c.default_namespace == 'default'\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('kubernetes', 'urllib3')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"


def test_audit_ids_collect_per_block_and_nest():
    auditing.record("outside")  # no collector: dropped
    with audit_ids() as outer:
        auditing.record("a")
        with audit_ids() as inner:
            auditing.record("b")
        auditing.record(None)
        auditing.record("c")
    assert (outer, inner) == (["a", "c"], ["b"])


@pytest.mark.anyio
async def test_audit_ids_of_concurrent_tasks_do_not_mix():
    results: dict[str, list[str]] = {}

    async def call(name: str) -> None:
        with audit_ids() as ids:
            for n in range(3):
                auditing.record(f"{name}-{n}")
                await anyio.sleep(0)
        results[name] = ids

    async with anyio.create_task_group() as tg:
        for name in ("x", "y"):
            tg.start_soon(call, name)
    assert results == {"x": ["x-0", "x-1", "x-2"], "y": ["y-0", "y-1", "y-2"]}


def test_queries_drop_none_and_spell_booleans_for_the_api_server():
    path = rest.with_query(
        "/api/v1/pods", {"labelSelector": "app in (a,b)", "limit": 2, "continue": None, "timestamps": True}
    )
    assert path == "/api/v1/pods?labelSelector=app+in+%28a%2Cb%29&limit=2&timestamps=true"
    assert rest.with_query("/version", {"x": None}) == "/version"


def test_non_json_answers_are_unavailable():
    with pytest.raises(errors.Unavailable):
        rest.parse_json(b"<html>proxy error</html>")
    with pytest.raises(errors.Unavailable):
        rest.parse_json(b"[1, 2]")


def test_request_repr_hides_the_body_that_may_hold_a_token():
    request = authn.token_review("eyJ.secret.token", ("kube-mcp",), "ServiceAccount")
    assert "eyJ" not in repr(request)
    assert b"eyJ.secret.token" in (request.body or b"")


def review(authenticated=True, audiences=("kube-mcp",), username="system:serviceaccount:ns:caller"):
    return {
        "status": {
            "authenticated": authenticated,
            "audiences": list(audiences),
            "user": {"username": username, "groups": ["system:serviceaccounts"]},
        }
    }


def test_token_review_accepts_only_tokens_for_our_audience():
    identity = authn.identity_of(review(), ("kube-mcp",))
    assert identity is not None and identity.username == "system:serviceaccount:ns:caller"
    assert identity.groups == ("system:serviceaccounts",) and identity.audiences == ("kube-mcp",)
    assert authn.identity_of(review(audiences=("https://kubernetes.default.svc",)), ("kube-mcp",)) is None
    assert authn.identity_of(review(authenticated=False), ("kube-mcp",)) is None
    assert (
        authn.identity_of({"status": {"authenticated": True, "audiences": ["kube-mcp"]}}, ("kube-mcp",))
        is None
    )
    assert authn.identity_of({}, ("kube-mcp",)) is None


def test_self_review_without_a_user_is_an_error():
    assert authn.username_of({"status": {"userInfo": {"username": "admin"}}}) == "admin"
    with pytest.raises(errors.Unavailable):
        authn.username_of({"status": {}})


def test_token_file_is_reread_when_it_changes(tmp_path):
    path = tmp_path / "token"
    path.write_text("one\n")
    tokens = connection.TokenFile(str(path))
    assert tokens.current() == "one"
    replacement = tmp_path / "new"
    replacement.write_text("two")
    os.replace(replacement, path)  # the kubelet swaps the file atomically (new inode)
    assert tokens.current() == "two"


def test_token_file_reload_sees_a_change_its_stamp_missed(tmp_path):
    path = tmp_path / "token"
    path.write_text("old")
    tokens = connection.TokenFile(str(path))
    assert tokens.current() == "old"
    stat = os.stat(path)
    path.write_text("new")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same inode, same mtime
    assert tokens.current() == "old"
    assert tokens.reload() is True
    assert tokens.current() == "new"
    assert tokens.reload() is False


@pytest.mark.anyio
async def test_missing_credentials_surface_on_the_first_request_as_one_sentence(tmp_path):
    settings = config.Settings(kubeconfig=str(tmp_path / "absent"))
    cluster_ = cluster.connect(settings, environ={}, sa_dir=str(tmp_path))
    assert cluster_.default_namespace == "default"
    with pytest.raises(errors.ConfigurationError, match="KUBECONFIG names no readable kubeconfig file"):
        await cluster_.version()


@pytest.mark.anyio
async def test_a_broken_kubeconfig_is_a_configuration_error_without_its_contents(tmp_path):
    yaml_text = (
        "apiVersion: v1\nkind: Config\ncurrent-context: nowhere\nusers: [{name: u, user: {token: s3cret}}]\n"
    )
    cluster_ = cluster.connect(config.Settings(kubeconfig_yaml=yaml_text), environ={})
    with pytest.raises(errors.ConfigurationError) as caught:
        await cluster_.version()
    assert "s3cret" not in str(caught.value)
    assert str(caught.value).startswith("The kubeconfig in KUBECONFIG_YAML cannot be used")


@pytest.mark.anyio
async def test_k8s_ca_data_that_is_not_base64_is_a_configuration_error():
    settings = config.Settings(k8s_server="https://127.0.0.1:1", k8s_ca_data="%%%not base64%%%")
    with pytest.raises(errors.ConfigurationError, match="K8S_CA_DATA"):
        await cluster.connect(settings, environ={}).version()
