"""The pure parts of the tools: selectors from owners, event lines, the pod summary, sort keys, and
`shape`, the door every cluster object passes (redacted, counted, sanitized)."""

from __future__ import annotations

from typing import Any

from kube_mcp.output import redact
from kube_mcp.tools import base, common, events, logs, pods, resources, sorting


class NoCluster:
    default_namespace = "default"


def context(**limits: Any) -> base.ToolContext:
    values = {
        "max_chars": 20_000,
        "page_size": 100,
        "redact_env_values": True,
        "max_log_bytes": 65_536,
        **limits,
    }
    return base.ToolContext(NoCluster(), base.OutputLimits(**values))  # type: ignore[arg-type]


def test_shape_redacts_counts_and_sanitizes() -> None:
    ctx = context()
    secret = {"kind": "Secret", "metadata": {"name": "db\x1b[2J"}, "data": {"a": "x", "b": "y"}}
    out = common.shape(ctx, secret)
    assert out["data"] == {"a": redact.REDACTED, "b": redact.REDACTED} and out["metadata"]["name"] == "db"
    assert ctx.redactions == {"secret": 2}


def test_shape_keeps_env_values_when_the_setting_says_so() -> None:
    pod = {"kind": "Pod", "spec": {"containers": [{"name": "a", "env": [{"name": "X", "value": "1"}]}]}}
    assert (
        common.shape(context(redact_env_values=False), pod)["spec"]["containers"][0]["env"][0]["value"] == "1"
    )


def test_an_owner_selector_becomes_selector_text() -> None:
    selector = {
        "matchLabels": {"app": "web", "tier": "front"},
        "matchExpressions": [
            {"key": "env", "operator": "In", "values": ["a", "b"]},
            {"key": "canary", "operator": "DoesNotExist"},
            {"key": "zone", "operator": "NotIn", "values": ["x"]},
            {"key": "team", "operator": "Exists"},
        ],
    }
    assert logs.selector_text(selector) == "app=web,tier=front,env in (a,b),!canary,zone notin (x),team"


def test_the_log_container_is_the_default_container_annotation_or_the_first() -> None:
    pod = {
        "metadata": {"annotations": {logs.DEFAULT_CONTAINER: "app"}},
        "spec": {"containers": [{"name": "istio-proxy"}, {"name": "app"}]},
    }
    container, remark = logs._container(pod, None)
    assert container == "app" and "containers: istio-proxy, app" in remark
    assert logs._container({"spec": {"containers": [{"name": "a"}, {"name": "b"}]}}, None)[0] == "a"
    assert logs._container({"spec": {"containers": [{"name": "only"}]}}, None) == (None, "")
    assert logs._container(pod, "istio-proxy") == ("istio-proxy", "")


def core_event(minute: int, **extra: Any) -> dict[str, Any]:
    return {
        "type": "Warning",
        "reason": "BackOff",
        "message": "Back-off\nrestarting",
        "count": 3,
        "lastTimestamp": f"2026-11-29T10:{minute:02d}:00Z",
        "involvedObject": {"kind": "Pod", "name": "web-1", "namespace": "shop"},
        **extra,
    }


def test_events_are_compact_lines_oldest_first_with_counts() -> None:
    header, lines = events.lines([core_event(9), core_event(1)], with_namespace=False)
    assert header.split() == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    assert lines[0].startswith("2026-11-29T10:01:00Z") and lines[1].startswith("2026-11-29T10:09:00Z")
    assert lines[0].endswith("pod/web-1   Back-off restarting (x3)")


def test_events_across_namespaces_name_their_namespace() -> None:
    _, lines = events.lines([core_event(1)], with_namespace=True)
    assert lines[0].split()[:2] == ["shop", "2026-11-29T10:01:00Z"]


def test_events_k8s_io_shape_is_read_too() -> None:
    event = {
        "type": "Normal",
        "reason": "Pulled",
        "note": "Image pulled",
        "series": {"count": 2, "lastObservedTime": "2026-11-29T11:00:00.000000Z"},
        "regarding": {"kind": "Pod", "name": "web-2"},
    }
    assert events.when(event) == "2026-11-29T11:00:00.000000Z"
    assert events.row(event, False)[0] == "2026-11-29T11:00:00Z"
    assert events.row(event, False)[3:] == ["pod/web-2", "Image pulled (x2)"]


def test_event_time_falls_back_to_event_time_then_creation() -> None:
    assert events.when({"eventTime": "e", "metadata": {"creationTimestamp": "c"}}) == "e"
    assert events.when({"metadata": {"creationTimestamp": "c"}}) == "c"


def crashing_pod() -> dict[str, Any]:
    return {
        "metadata": {
            "name": "web-1",
            "namespace": "shop",
            "labels": {"app": "web"},
            "ownerReferences": [{"kind": "ReplicaSet", "name": "web-5d9"}],
        },
        "spec": {
            "nodeName": "node-1",
            "containers": [
                {
                    "name": "app",
                    "image": "shop:1.2",
                    "env": [
                        {"name": "PW", "value": "<redacted>"},
                        {"name": "DB", "valueFrom": {"secretKeyRef": {"name": "db"}}},
                    ],
                    "resources": {"limits": {"memory": "128Mi"}},
                }
            ],
        },
        "status": {
            "phase": "Running",
            "podIP": "10.1.2.3",
            "qosClass": "Burstable",
            "conditions": [{"type": "Ready", "status": "False"}],
            "containerStatuses": [
                {
                    "name": "app",
                    "ready": False,
                    "restartCount": 7,
                    "state": {
                        "waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting"}
                    },
                    "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137}},
                }
            ],
        },
    }


def test_the_pod_summary_says_what_a_debugger_needs() -> None:
    text = "\n".join(pods.summary(crashing_pod()))
    for expected in (
        "Node:        node-1",
        "IP:          10.1.2.3",
        "Owned by:    ReplicaSet/web-5d9",
        "Conditions:  Ready=False",
        "Image:      shop:1.2",
        "State:      Waiting: CrashLoopBackOff, back-off 5m0s restarting",
        "Last state: Terminated: OOMKilled, exit code 137",
        "Restarts:   7",
        "Ready:      false",
        "Limits:     memory=128Mi",
        "Env:        PW=<redacted>, DB (from secretKeyRef db)",
    ):
        assert expected in text


def test_sort_paths_and_keys() -> None:
    assert sorting.path_steps("{.spec.containers[0].image}") == ["spec", "containers", 0, "image"]
    obj = {"spec": {"containers": [{"image": "b"}]}}
    assert sorting.value_at(obj, ["spec", "containers", 0, "image"]) == "b"
    assert sorting.value_at(obj, ["spec", "containers", 3, "image"]) is None
    values = [None, "b", 3, "a", 1.5, {"x": 1}]
    assert [v for v in sorted(values, key=sorting.sort_key)][:3] == [None, 1.5, 3]


def test_resources_list_the_seed_uris_for_the_default_namespace() -> None:
    assert [item.uri for item in resources.listed("shop")] == [
        "k8s://namespaces",
        "k8s://nodes",
        "k8s://shop/pods",
        "k8s://shop/deployments",
        "k8s://shop/services",
    ]
