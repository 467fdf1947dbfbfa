"""Credentials are chosen by a documented precedence, and the default namespace follows them."""

from __future__ import annotations

import textwrap

from kube_mcp import config
from kube_mcp.k8s import sources

KUBECONFIG = textwrap.dedent("""\
    apiVersion: v1
    kind: Config
    current-context: dev
    clusters: [{name: c, cluster: {server: "https://10.0.0.1:6443"}}]
    users: [{name: u, user: {token: abc}}]
    contexts:
    - {name: dev, context: {cluster: c, user: u, namespace: team-a}}
    - {name: prod, context: {cluster: c, user: u, namespace: team-b}}
    """)
IN_CLUSTER_ENV = {"KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"}


def service_account_dir(tmp_path, namespace="pod-ns"):
    sa = tmp_path / "sa"
    sa.mkdir()
    (sa / "token").write_text("tok")
    (sa / "namespace").write_text(namespace + "\n")
    return str(sa)


def select(tmp_path, environ=None, **settings):
    return sources.select(
        config.Settings(**settings), environ or {}, sa_dir=str(tmp_path / "none"), home=str(tmp_path)
    )


def test_k8s_server_wins_over_everything(tmp_path):
    settings = config.Settings(
        k8s_server="https://k:6443", k8s_token="tok-s3cret", kubeconfig_yaml=KUBECONFIG
    )
    source = sources.select(settings, IN_CLUSTER_ENV, sa_dir=service_account_dir(tmp_path))
    assert (source.kind, source.server, source.namespace, source.principal) == (
        "server",
        "https://k:6443",
        "default",
        "ServiceAccount",
    )
    assert source.token == "tok-s3cret" and "s3cret" not in repr(source)


def test_kubeconfig_yaml_comes_before_a_kubeconfig_path(tmp_path):
    path = tmp_path / "kc"
    path.write_text(KUBECONFIG)
    source = select(
        tmp_path,
        kubeconfig_yaml=KUBECONFIG.replace("current-context: dev", "current-context: prod"),
        kubeconfig=str(path),
    )
    assert (source.kind, source.context, source.namespace) == ("yaml", "prod", "team-b")
    assert "abc" not in repr(source)


def test_kubeconfig_paths_merge_like_kubectl(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.write_text("apiVersion: v1\nkind: Config\ncurrent-context: prod\n")
    second.write_text(KUBECONFIG)
    source = select(tmp_path, kubeconfig=f"{first}:{tmp_path / 'missing'}:{second}")
    assert source.kind == "files"
    assert source.paths == (str(first), str(second))
    assert (source.context, source.namespace) == ("prod", "team-b")


def test_explicit_context_and_namespace_settings_win(tmp_path):
    path = tmp_path / "kc"
    path.write_text(KUBECONFIG)
    assert select(tmp_path, kubeconfig=str(path), context="prod").namespace == "team-b"
    assert select(tmp_path, kubeconfig=str(path), default_namespace="mine").namespace == "mine"


def test_a_kubeconfig_setting_naming_no_file_is_an_error_not_a_fallback(tmp_path):
    source = sources.select(
        config.Settings(kubeconfig=str(tmp_path / "nope")),
        IN_CLUSTER_ENV,
        sa_dir=service_account_dir(tmp_path),
    )
    assert source.kind == "none" and "KUBECONFIG" in (source.problem or "")


def test_in_cluster_uses_the_pod_namespace_before_home_kubeconfig(tmp_path):
    (tmp_path / ".kube").mkdir()
    (tmp_path / ".kube" / "config").write_text(KUBECONFIG)
    source = sources.select(
        config.Settings(), IN_CLUSTER_ENV, sa_dir=service_account_dir(tmp_path), home=str(tmp_path)
    )
    assert (source.kind, source.server, source.namespace) == ("in-cluster", "https://10.96.0.1:443", "pod-ns")


def test_in_cluster_needs_both_the_variables_and_the_token(tmp_path):
    assert select(tmp_path, environ=IN_CLUSTER_ENV).kind == "none"
    sa_dir = service_account_dir(tmp_path)
    assert sources.select(config.Settings(), {}, sa_dir=sa_dir, home=str(tmp_path)).kind == "none"


def test_ipv6_service_host_is_bracketed():
    env = {"KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"}
    assert sources.in_cluster_server(env) == "https://[fd00::1]:443"


def test_home_kubeconfig_is_the_last_resort(tmp_path):
    (tmp_path / ".kube").mkdir()
    (tmp_path / ".kube" / "config").write_text(KUBECONFIG)
    source = select(tmp_path)
    assert (source.kind, source.namespace, source.principal) == ("files", "team-a", "credentials")


def test_nothing_configured_explains_what_to_set(tmp_path):
    source = select(tmp_path)
    assert source.kind == "none" and source.namespace == "default"
    assert "KUBECONFIG" in (source.problem or "") and "K8S_SERVER" in (source.problem or "")


def test_unreadable_yaml_still_selects_the_source_and_defaults_the_namespace(tmp_path):
    source = select(tmp_path, kubeconfig_yaml="{ not: [valid")
    assert (source.kind, source.namespace) == ("yaml", "default")
