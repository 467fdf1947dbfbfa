"""`kube_mcp.k8s.cluster.Cluster` against the real API server: discovery, pagination, the object
lifecycle and its errors, logs. Each test works in its own namespace (the `namespace` fixture)."""

from __future__ import annotations

import base64
import json
import os
import secrets
import textwrap

import anyio
import pytest

from kube_mcp import config
from kube_mcp.k8s import audit_ids, cluster, errors, types
from support import cluster as support

pytestmark = [pytest.mark.cluster, pytest.mark.anyio]
BASE_IMAGE = os.environ.get("KUBE_MCP_TEST_BASE_IMAGE", "kube-mcp-base:bookworm")


def connect(kubeconfig: str, **options: object) -> cluster.Cluster:
    return cluster.connect(config.Settings(kubeconfig=kubeconfig), environ={}, **options)  # type: ignore[arg-type]


@pytest.fixture
def crd_names():
    """Names for a CRD no other test uses (a deleted CRD lingers in discovery for a moment)."""
    tag = secrets.token_hex(3)
    return {
        "group": f"t{tag}.kube-mcp.test",
        "plural": f"gizmo{tag}s",
        "singular": f"gizmo{tag}",
        "kind": f"Gizmo{tag}",
        "short": f"gz{tag}",
    }


@pytest.fixture
def crd(kubectl, crd_names):
    """A namespaced CRD with those names, deleted afterwards (CRDs are cluster-scoped)."""
    n = crd_names
    manifest = textwrap.dedent(f"""\
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {{name: {n["plural"]}.{n["group"]}}}
        spec:
          group: {n["group"]}
          scope: Namespaced
          names:
            plural: {n["plural"]}
            singular: {n["singular"]}
            kind: {n["kind"]}
            shortNames: [{n["short"]}]
          versions:
          - name: v1
            served: true
            storage: true
            schema: {{openAPIV3Schema: {{type: object, x-kubernetes-preserve-unknown-fields: true}}}}
        """)
    kubectl("apply", "-f", "-", input=manifest)
    name = f"crd/{n['plural']}.{n['group']}"
    try:
        kubectl("wait", "--for=condition=Established", name, "--timeout=60s", timeout=70)
        yield n
    finally:
        kubectl("delete", name, "--wait=false", "--ignore-not-found", check=False)


@pytest.mark.parametrize("aggregated", [True, False], ids=["aggregated-discovery", "legacy-discovery"])
async def test_core_apps_and_new_crd_types_resolve_like_kubectl(kubeconfig, request, crd_names, aggregated):
    api = connect(kubeconfig, aggregated_discovery=aggregated)
    for typed in ("pods", "pod", "po", "Pod"):
        ref = await api.resolve(typed)
        assert (ref.group, ref.version, ref.resource, ref.kind, ref.namespaced) == (
            "",
            "v1",
            "pods",
            "Pod",
            True,
        )
    for typed in ("deployments.apps", "deploy", "deployment.v1.apps", "Deployment"):
        ref = await api.resolve(typed)
        assert (ref.api_version, ref.resource) == ("apps/v1", "deployments")
    assert not (await api.resolve("ns")).namespaced
    with pytest.raises(errors.UnknownResource, match=f'no resource type "{crd_names["plural"]}"'):
        await api.resolve(crd_names["plural"])
    n = request.getfixturevalue("crd")  # created after the cache was filled: the miss refreshes it
    group, plural = n["group"], n["plural"]
    for typed in (
        plural,
        n["singular"],
        n["short"],
        n["kind"],
        f"{plural}.{group}",
        f"{n['singular']}.v1.{group}",
    ):
        ref = await api.resolve(typed)
        assert (ref.group, ref.version, ref.resource, ref.kind, ref.namespaced) == (
            group,
            "v1",
            plural,
            n["kind"],
            True,
        )


@pytest.mark.parametrize("as_table", [False, True], ids=["objects", "table"])
async def test_lists_page_through_every_object_once_with_limit_and_continue(
    kubeconfig, kubectl, namespace, as_table
):
    names = {f"cm-{n}" for n in range(5)}
    for name in sorted(names):
        kubectl("-n", namespace, "create", "configmap", name, "--from-literal=k=v")
    api = connect(kubeconfig)
    ref = await api.resolve("configmaps")
    seen: list[str] = []
    token: str | None = None
    pages = 0
    while True:
        page = await api.list(ref, namespace=namespace, limit=2, continue_token=token, as_table=as_table)
        pages += 1
        if as_table:
            assert page.body["kind"] == "Table" and page.body["columnDefinitions"]
            seen += [row["object"]["metadata"]["name"] for row in page.body["rows"]]
        else:
            assert page.body["kind"] == "ConfigMapList"
            seen += [item["metadata"]["name"] for item in page.body["items"]]
        if pages == 1:
            assert page.remaining is not None and page.remaining >= 4
        token = page.continue_token
        if token is None:
            break
    assert len(seen) == len(set(seen))
    assert names <= set(seen)  # plus kube-root-ca.crt, which every namespace gets
    assert pages == -(-len(seen) // 2)


async def test_label_selectors_filter_lists(kubeconfig, kubectl, namespace):
    kubectl("-n", namespace, "create", "configmap", "a")
    kubectl("-n", namespace, "create", "configmap", "b")
    kubectl("-n", namespace, "label", "configmap", "b", "pick=yes")
    api = connect(kubeconfig)
    page = await api.list(
        await api.resolve("cm"), namespace=namespace, label_selector="pick in (yes)", as_table=False
    )
    assert [i["metadata"]["name"] for i in page.body["items"]] == ["b"]
    with pytest.raises(errors.Invalid, match="rejected"):
        await api.list(
            await api.resolve("cm"), namespace=namespace, label_selector="pick in (", as_table=False
        )


async def test_create_get_patch_delete_and_their_errors(kubeconfig, namespace):
    api = connect(kubeconfig)
    ref = await api.resolve("configmap")
    body: types.JSON = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "life"},
        "data": {"a": "1"},
    }
    with audit_ids() as ids:
        created = await api.create(ref, body, namespace=namespace)
    assert created["metadata"]["namespace"] == namespace and len(ids) == 1 and ids[0]
    with pytest.raises(errors.Conflict, match=f'configmaps "life" already exists in namespace "{namespace}"'):
        await api.create(ref, body, namespace=namespace)
    patched = await api.patch(ref, "life", {"data": {"b": "2"}}, namespace=namespace)
    assert patched["data"] == {"a": "1", "b": "2"}
    stale = {"metadata": {"resourceVersion": created["metadata"]["resourceVersion"]}, "data": {"c": "3"}}
    with pytest.raises(errors.Conflict, match="changed by someone else"):
        await api.patch(ref, "life", stale, namespace=namespace)
    table = await api.get(ref, "life", namespace=namespace, as_table=True)
    assert table["kind"] == "Table" and table["rows"][0]["cells"][0] == "life"
    assert (await api.get(ref, "life", namespace=namespace))["data"]["b"] == "2"
    await api.delete(ref, "life", namespace=namespace)
    with pytest.raises(errors.NotFound) as missing:
        await api.get(ref, "life", namespace=namespace)
    assert str(missing.value) == f'configmaps "life" not found in namespace "{namespace}".'
    with pytest.raises(errors.NotFound):
        await api.delete(ref, "life", namespace=namespace)


async def test_invalid_objects_are_rejected_with_the_field_that_is_wrong(kubeconfig, namespace):
    api = connect(kubeconfig)
    ref = await api.resolve("deploy")
    body = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "bad"},
        "spec": {
            "replicas": -1,
            "selector": {"matchLabels": {"a": "b"}},
            "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": []}},
        },
    }
    with pytest.raises(errors.Invalid) as invalid:
        await api.create(ref, body, namespace=namespace)
    assert str(invalid.value).startswith('The API server rejected Deployment.apps "bad": spec.replicas')


async def test_version_and_whoami_answer(kubeconfig):
    api = connect(kubeconfig)
    assert (await api.version())["gitVersion"].startswith("v1.")
    assert await api.whoami()


def node_ready(kubectl) -> bool:
    nodes = json.loads(kubectl("get", "nodes", "-o", "json").stdout)["items"]
    return any(
        c["type"] == "Ready" and c["status"] == "True" for n in nodes for c in n["status"]["conditions"]
    )


async def test_logs_are_text_bounded_by_limit_bytes(kubeconfig, kubectl, namespace):
    assert node_ready(kubectl), "no Ready node: this cluster cannot run pods"
    support.load_image(kubeconfig, BASE_IMAGE)  # a fresh cluster's containerd has no images yet
    script = (
        "i=0; while [ $i -lt 200 ]; do echo line-$i; i=$((i+1)); done; printf 'caf\\303\\251\\n'; sleep 3600"
    )
    kubectl(
        "-n",
        namespace,
        "run",
        "talker",
        f"--image={BASE_IMAGE}",
        "--image-pull-policy=Never",
        "--restart=Never",
        "--command",
        "--",
        "sh",
        "-c",
        script,
    )
    support.wait_until(
        "the talker pod's last line",
        lambda: "café" in kubectl("-n", namespace, "logs", "talker").stdout,
        timeout=120,
    )
    api = connect(kubeconfig)
    text = await api.logs(namespace, "talker", types.LogOptions(limit_bytes=1024))
    assert text.startswith("line-0\nline-1\n") and len(text.encode()) <= 1024
    tail = await api.logs(namespace, "talker", types.LogOptions(tail_lines=2))
    assert tail == "line-199\ncafé\n"
    with pytest.raises(errors.NotFound, match='pods "nobody" not found'):
        await api.logs(namespace, "nobody", types.LogOptions())


async def test_an_expired_continue_token_says_to_restart_the_list(kubeconfig, namespace):
    # A continue token pins a resourceVersion; once etcd has compacted it the list cannot go on.
    # The API server compacts up to the revision of the tick before (every 30 s on our cluster,
    # 5 min by default), so revision 1 is gone about a minute after a fresh cluster starts.
    pinned = json.dumps({"v": "meta.k8s.io/v1", "rv": 1, "start": "a\x00"}).encode()
    token = base64.urlsafe_b64encode(pinned).decode().rstrip("=")
    api = connect(kubeconfig)
    ref = await api.resolve("configmaps")
    with anyio.fail_after(180):
        while True:
            try:
                await api.list(ref, namespace=namespace, limit=1, continue_token=token)
            except errors.Gone as exc:
                message = str(exc)
                break
            await anyio.sleep(2)  # polled until the compaction tick, bounded above
    assert message == (
        "The list's continue token has expired; restart the list from the first page "
        "(without a continue token)."
    )
