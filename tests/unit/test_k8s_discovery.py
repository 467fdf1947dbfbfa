"""Resource types resolve the way kubectl resolves them, from aggregated or legacy discovery.

The documents below have the shape a Kubernetes 1.34 API server serves (checked against a capture
of /api and /apis from the test cluster), trimmed to a few resources per group, plus one CRD group.
"""

from __future__ import annotations

import pytest

from kube_mcp.k8s import discovery


def res(resource, kind, scope="Namespaced", singular="", short=(), verbs=("get", "list")):
    entry = {
        "resource": resource,
        "responseKind": {"group": "", "version": "", "kind": kind},
        "scope": scope,
        "singularResource": singular,
        "verbs": list(verbs),
    }
    if short:
        entry["shortNames"] = list(short)
    return entry


CORE = {
    "kind": "APIGroupDiscoveryList",
    "apiVersion": "apidiscovery.k8s.io/v2",
    "metadata": {},
    "items": [
        {
            "metadata": {},
            "versions": [
                {
                    "version": "v1",
                    "resources": [
                        res(
                            "pods",
                            "Pod",
                            singular="pod",
                            short=("po",),
                            verbs=("create", "delete", "get", "list", "patch"),
                        ),
                        res("events", "Event", singular="event", short=("ev",)),
                        res("namespaces", "Namespace", "Cluster", singular="namespace", short=("ns",)),
                        res("configmaps", "ConfigMap", singular="configmap", short=("cm",)),
                    ],
                    "freshness": "Current",
                }
            ],
        }
    ],
}
APIS = {
    "kind": "APIGroupDiscoveryList",
    "apiVersion": "apidiscovery.k8s.io/v2",
    "metadata": {},
    "items": [
        {
            "metadata": {"name": "apps"},
            "versions": [
                {
                    "version": "v1",
                    "resources": [
                        res("deployments", "Deployment", singular="deployment", short=("deploy",)),
                        {
                            **res("replicasets", "ReplicaSet", singular="replicaset", short=("rs",)),
                            "subresources": [{"subresource": "scale", "responseKind": {"kind": "Scale"}}],
                        },
                    ],
                }
            ],
        },
        {
            "metadata": {"name": "events.k8s.io"},
            "versions": [
                {
                    "version": "v1",
                    "resources": [
                        res("events", "Event", singular="event", short=("ev",)),
                    ],
                }
            ],
        },
        {
            "metadata": {"name": "autoscaling"},
            "versions": [
                {
                    "version": "v2",
                    "resources": [
                        res(
                            "horizontalpodautoscalers",
                            "HorizontalPodAutoscaler",
                            singular="horizontalpodautoscaler",
                            short=("hpa",),
                        )
                    ],
                },
                {
                    "version": "v1",
                    "resources": [
                        res(
                            "horizontalpodautoscalers",
                            "HorizontalPodAutoscaler",
                            singular="horizontalpodautoscaler",
                            short=("hpa",),
                        )
                    ],
                },
            ],
        },
        {
            "metadata": {"name": "cert-manager.io"},
            "versions": [
                {
                    "version": "v1",
                    "resources": [
                        res("certificates", "Certificate", singular="certificate", short=("cert", "certs")),
                        res("clusterissuers", "ClusterIssuer", "Cluster", singular="clusterissuer"),
                    ],
                }
            ],
        },
    ],
}
REFS = discovery.parse_aggregated(CORE) + discovery.parse_aggregated(APIS)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("pods", ("", "v1", "pods")),
        ("pod", ("", "v1", "pods")),
        ("po", ("", "v1", "pods")),
        ("Pod", ("", "v1", "pods")),
        ("PODS", ("", "v1", "pods")),
        (" cm ", ("", "v1", "configmaps")),
        ("deployments.apps", ("apps", "v1", "deployments")),
        ("deploy", ("apps", "v1", "deployments")),
        ("deployment.v1.apps", ("apps", "v1", "deployments")),
        ("Deployment", ("apps", "v1", "deployments")),
        ("pods.v1", ("", "v1", "pods")),
        ("events", ("", "v1", "events")),
        ("events.events.k8s.io", ("events.k8s.io", "v1", "events")),
        ("hpa", ("autoscaling", "v2", "horizontalpodautoscalers")),
        ("hpa.v1.autoscaling", ("autoscaling", "v1", "horizontalpodautoscalers")),
        ("certificates.cert-manager.io", ("cert-manager.io", "v1", "certificates")),
        ("certs", ("cert-manager.io", "v1", "certificates")),
        ("Certificate", ("cert-manager.io", "v1", "certificates")),
        ("clusterissuer", ("cert-manager.io", "v1", "clusterissuers")),
    ],
)
def test_resolution_accepts_what_kubectl_accepts(typed, expected):
    ref = discovery.find(REFS, typed)
    assert ref is not None
    assert (ref.group, ref.version, ref.resource) == expected


@pytest.mark.parametrize(
    "typed", ["pod.apps", "deployments.v2.apps", "replicasets/scale", "scale", "", "x.y.z"]
)
def test_unknown_or_mismatched_types_do_not_resolve(typed):
    assert discovery.find(REFS, typed) is None


def test_aggregated_refs_carry_scope_verbs_and_names():
    pods = discovery.find(REFS, "po")
    namespaces = discovery.find(REFS, "ns")
    assert pods is not None and namespaces is not None
    assert pods.namespaced and not namespaces.namespaced
    assert pods.kind == "Pod" and pods.singular == "pod" and pods.short_names == ("po",)
    assert "delete" in pods.verbs
    assert pods.path("default", "web", "log") == "/api/v1/namespaces/default/pods/web/log"
    assert namespaces.path("ignored") == "/api/v1/namespaces"


LEGACY_APPS = {
    "kind": "APIResourceList",
    "apiVersion": "v1",
    "groupVersion": "apps/v1",
    "resources": [
        {
            "name": "deployments",
            "singularName": "deployment",
            "namespaced": True,
            "kind": "Deployment",
            "verbs": ["get", "list"],
            "shortNames": ["deploy"],
            "categories": ["all"],
        },
        {
            "name": "deployments/scale",
            "singularName": "",
            "namespaced": True,
            "group": "autoscaling",
            "version": "v1",
            "kind": "Scale",
            "verbs": ["get", "patch", "update"],
        },
    ],
}
LEGACY_CORE = {
    "kind": "APIResourceList",
    "groupVersion": "v1",
    "resources": [
        {
            "name": "nodes",
            "singularName": "",
            "namespaced": False,
            "kind": "Node",
            "verbs": ["get"],
            "shortNames": ["no"],
        },
        {"name": "pods/log", "singularName": "", "namespaced": True, "kind": "Pod", "verbs": ["get"]},
    ],
}
LEGACY_GROUPS = {
    "kind": "APIGroupList",
    "apiVersion": "v1",
    "groups": [
        {
            "name": "apps",
            "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
            "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"},
        },
        {
            "name": "autoscaling",
            "versions": [
                {"groupVersion": "autoscaling/v1", "version": "v1"},
                {"groupVersion": "autoscaling/v2", "version": "v2"},
            ],
            "preferredVersion": {"groupVersion": "autoscaling/v2", "version": "v2"},
        },
    ],
}


def test_legacy_discovery_skips_subresources_and_derives_singulars_from_kinds():
    refs = discovery.parse_resource_list(LEGACY_CORE) + discovery.parse_resource_list(LEGACY_APPS)
    assert [(r.group, r.resource) for r in refs] == [("", "nodes"), ("apps", "deployments")]
    node = discovery.find(refs, "node")
    assert node is not None and not node.namespaced and node.api_version == "v1"
    deploy = discovery.find(refs, "deploy")
    assert deploy is not None and deploy.api_version == "apps/v1"


def test_legacy_group_versions_put_the_preferred_version_first():
    assert discovery.group_versions(LEGACY_GROUPS) == ["apps/v1", "autoscaling/v2", "autoscaling/v1"]


def test_malformed_documents_yield_nothing_rather_than_failing():
    assert discovery.parse_aggregated({"items": [None, {"versions": "x"}]}) == []
    assert discovery.parse_resource_list({"resources": [{"kind": "X"}]}) == []
    assert discovery.group_versions({}) == []
