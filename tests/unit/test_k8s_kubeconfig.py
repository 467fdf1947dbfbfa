"""Kubeconfigs are read without `kubernetes`: kubectl's merge order, relative paths, data vs file
fields, the context namespace, and exec/auth-provider users handed to the `kubernetes` loader."""

from __future__ import annotations

import base64
import sys
import textwrap

import pytest
import yaml

from kube_mcp import config
from kube_mcp.k8s import _client, _plugin, cluster, errors, kubeconfig, sources

PEM = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
B64 = base64.b64encode(PEM).decode()


def doc(current=None, clusters=(), users=(), contexts=()):
    out = {"apiVersion": "v1", "kind": "Config", "clusters": [], "users": [], "contexts": []}
    if current:
        out["current-context"] = current
    out["clusters"] = [{"name": n, "cluster": body} for n, body in clusters]
    out["users"] = [{"name": n, "user": body} for n, body in users]
    out["contexts"] = [{"name": n, "context": body} for n, body in contexts]
    return out


def write(path, content) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(content))
    return str(path)


def test_the_first_file_wins_for_entries_of_the_same_name_and_for_current_context(tmp_path):
    first = write(
        tmp_path / "a" / "config",
        doc(
            clusters=[("c", {"server": "https://first:6443/"})],
            users=[("u", {"token": "first-token"})],
            contexts=[("dev", {"cluster": "c", "user": "u"})],
        ),
    )
    second = write(
        tmp_path / "b" / "config",
        doc(
            current="dev",
            clusters=[("c", {"server": "https://second:6443"})],
            users=[("u", {"token": "second-token"})],
            contexts=[("dev", {"cluster": "c", "user": "nobody"}), ("prod", {"cluster": "c", "user": "u"})],
        ),
    )
    third = write(tmp_path / "c" / "config", doc(current="prod"))
    facts = kubeconfig.from_files([first, second, third], None)
    assert (facts.server, facts.token) == ("https://first:6443", "first-token")
    assert kubeconfig.from_files([second, first], None).token is None  # dev's user "nobody" is undefined


def test_an_explicit_context_beats_current_context(tmp_path):
    path = write(
        tmp_path / "config",
        doc(
            current="dev",
            clusters=[("c1", {"server": "https://one"}), ("c2", {"server": "https://two"})],
            contexts=[("dev", {"cluster": "c1"}), ("prod", {"cluster": "c2"})],
        ),
    )
    assert kubeconfig.from_files([path], "prod").server == "https://two"


def test_relative_file_names_resolve_against_the_directory_of_the_kubeconfig_naming_them(tmp_path):
    clusters_file = write(
        tmp_path / "clusters" / "config",
        doc(clusters=[("c", {"server": "https://k", "certificate-authority": "pki/ca.crt"})]),
    )
    users_file = write(
        tmp_path / "users" / "config",
        doc(
            current="x",
            users=[("u", {"client-certificate": "me.crt", "client-key": "/abs/me.key", "tokenFile": "t"})],
            contexts=[("x", {"cluster": "c", "user": "u"})],
        ),
    )
    facts = kubeconfig.from_files([users_file, clusters_file], None)
    assert facts.ca_file == str(tmp_path / "clusters" / "pki" / "ca.crt")
    assert facts.cert_file == str(tmp_path / "users" / "me.crt")
    assert (facts.key_file, facts.token_file) == ("/abs/me.key", str(tmp_path / "users" / "t"))


def test_data_fields_are_decoded_from_base64_and_kept_apart_from_file_fields():
    text = yaml.safe_dump(
        doc(
            current="x",
            clusters=[("c", {"server": "https://k", "certificate-authority-data": B64,
                             "insecure-skip-tls-verify": True, "tls-server-name": "api.internal"})],
            users=[("u", {"client-certificate-data": B64, "client-key-data": B64, "client-key": "k.pem"})],
            contexts=[("x", {"cluster": "c", "user": "u"})],
        )
    )  # fmt: skip
    facts = kubeconfig.from_text(text, None)
    assert (facts.ca_data, facts.cert_data, facts.key_data) == (PEM, PEM, PEM)
    assert (facts.ca_file, facts.cert_file, facts.key_file) == (None, None, "k.pem")
    assert (facts.insecure, facts.tls_server_name, facts.plugin) == (True, "api.internal", False)


def test_data_that_is_not_base64_is_named_but_never_quoted():
    text = yaml.safe_dump(
        doc(
            current="x",
            clusters=[("c", {"server": "https://k"})],
            users=[("u", {"client-key-data": "s3cret%%%"})],
            contexts=[("x", {"cluster": "c", "user": "u"})],
        )
    )
    with pytest.raises(ValueError, match="client-key-data is not base64") as caught:
        kubeconfig.from_text(text, None)
    assert "s3cret" not in str(caught.value)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "empty or not a kubeconfig"),
        ("[1, 2]", "empty or not a kubeconfig"),
        (yaml.safe_dump(doc(clusters=[("c", {"server": "https://k"})])), "no current context"),
        (yaml.safe_dump(doc(current="gone")), "context 'gone' is not defined"),
        (yaml.safe_dump(doc(current="x", contexts=[("x", {"cluster": "c"})])), "cluster of context 'x'"),
        (
            yaml.safe_dump(doc(current="x", clusters=[("c", {})], contexts=[("x", {"cluster": "c"})])),
            "no server address",
        ),
    ],
)
def test_unusable_kubeconfigs_raise_a_short_reason(content, reason):
    with pytest.raises(ValueError, match=reason):
        kubeconfig.from_text(content, None)


def test_the_context_namespace_still_feeds_the_default_namespace(tmp_path):
    path = write(
        tmp_path / "config",
        doc(
            current="x",
            clusters=[("c", {"server": "https://k"})],
            contexts=[("x", {"cluster": "c", "namespace": "team-a"})],
        ),
    )
    source = sources.select(config.Settings(kubeconfig=path), {}, sa_dir=str(tmp_path / "none"))
    assert source.namespace == "team-a"
    assert kubeconfig.from_files(source.paths, source.context).server == "https://k"


def test_static_auth_prefers_token_then_token_file_then_basic(tmp_path):
    (tmp_path / "tok").write_text("from-file\n")
    facts = kubeconfig.Facts(server="https://k", token_file=str(tmp_path / "tok"), basic=("a", "b"))
    assert _client._static_auth(facts) == {"Authorization": "Bearer from-file"}
    assert _client._static_auth(kubeconfig.Facts(server="https://k", token="t", token_file="/nope")) == {
        "Authorization": "Bearer t"
    }
    basic = _client._static_auth(kubeconfig.Facts(server="https://k", basic=("a", "b")))
    assert basic == {"Authorization": "Basic " + base64.b64encode(b"a:b").decode()}


EXEC_USER = textwrap.dedent("""\
    apiVersion: v1
    kind: Config
    current-context: x
    clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
    users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: aws}}}]
    contexts: [{name: x, context: {cluster: c, user: u}}]
    """)


@pytest.mark.parametrize("user", ["exec", "auth-provider"])
def test_plugin_users_are_flagged(user):
    body = {"exec": {"command": "aws"}} if user == "exec" else {"auth-provider": {"name": "oidc"}}
    text = yaml.safe_dump(
        doc(current="x", clusters=[("c", {"server": "https://k"})], users=[("u", body)],
            contexts=[("x", {"cluster": "c", "user": "u"})])
    )  # fmt: skip
    assert kubeconfig.from_text(text, None).plugin


def test_an_exec_user_falls_back_to_the_kubernetes_loader(monkeypatch):
    seen = {}

    def fake_load(loaded, context, *, pool_size):
        seen.update(loaded=loaded, context=context)
        return "https://k", None, dict

    monkeypatch.setattr(_plugin, "load", fake_load)
    source = sources.select(config.Settings(kubeconfig_yaml=EXEC_USER), {})
    transport = _client.build(source, None)
    assert transport.host == "https://k"
    assert seen["loaded"]["users"][0]["user"]["exec"]["command"] == "aws"


@pytest.mark.anyio
async def test_an_exec_user_without_the_kubernetes_package_is_one_clear_sentence(monkeypatch):
    monkeypatch.setitem(sys.modules, "kubernetes", None)  # makes `import kubernetes` fail
    with pytest.raises(errors.ConfigurationError) as caught:
        await cluster.connect(config.Settings(kubeconfig_yaml=EXEC_USER), environ={}).version()
    assert str(caught.value) == _plugin.MISSING
    assert str(caught.value).startswith("This kubeconfig user authenticates with an exec plugin")
