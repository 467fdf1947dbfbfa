"""Metrics live on an injected registry, use Prometheus names, and never grow labels from user data."""

from __future__ import annotations

import prometheus_client
import pytest

from kube_mcp import metrics


def sample(registry: prometheus_client.CollectorRegistry, name: str, **labels: str) -> float | None:
    return registry.get_sample_value(name, labels)


@pytest.fixture
def registry() -> prometheus_client.CollectorRegistry:
    return prometheus_client.CollectorRegistry()


def test_tool_calls_are_counted_by_tool_and_outcome_with_latency(
    registry: prometheus_client.CollectorRegistry,
) -> None:
    m = metrics.Metrics(registry)
    m.observe_tool("list_pods", "ok", 0.02)
    m.observe_tool("list_pods", "refused", 0.0)
    m.observe_tool("list_pods", "ok", 3.0)
    assert sample(registry, "kube_mcp_tool_calls_total", tool="list_pods", outcome="ok") == 2
    assert sample(registry, "kube_mcp_tool_calls_total", tool="list_pods", outcome="refused") == 1
    assert sample(registry, "kube_mcp_tool_call_seconds_count", tool="list_pods") == 3
    assert sample(registry, "kube_mcp_tool_call_seconds_bucket", tool="list_pods", le="0.025") == 2


def test_unknown_outcomes_verbs_transports_and_kinds_fold_into_other(
    registry: prometheus_client.CollectorRegistry,
) -> None:
    m = metrics.Metrics(registry)
    m.observe_tool("ping", "weird", 0.1)
    m.observe_api("/api/v1/namespaces/secret-ns/pods", 200, 0.1)
    m.session_opened("carrier-pigeon")
    m.redacted("user-supplied", 2)
    assert sample(registry, "kube_mcp_tool_calls_total", tool="ping", outcome="other") == 1
    assert sample(registry, "kube_mcp_api_requests_total", verb="other", code_class="2xx") == 1
    assert sample(registry, "kube_mcp_sessions_open", transport="other") == 1
    assert sample(registry, "kube_mcp_redactions_total", kind="other") == 2


def test_api_requests_are_counted_by_verb_and_status_class(
    registry: prometheus_client.CollectorRegistry,
) -> None:
    m = metrics.Metrics(registry)
    m.observe_api("list", 200, 0.01)
    m.observe_api("get", 404, 0.01)
    m.observe_api("get", None, 10.0)
    assert sample(registry, "kube_mcp_api_requests_total", verb="list", code_class="2xx") == 1
    assert sample(registry, "kube_mcp_api_requests_total", verb="get", code_class="4xx") == 1
    assert sample(registry, "kube_mcp_api_requests_total", verb="get", code_class="none") == 1
    assert sample(registry, "kube_mcp_api_request_seconds_count", verb="get") == 2


def test_status_classes() -> None:
    assert [metrics.code_class(s) for s in (200, 201, 301, 429, 503, None, 0, 999)] == [
        "2xx",
        "2xx",
        "3xx",
        "4xx",
        "5xx",
        "none",
        "none",
        "none",
    ]


def test_in_flight_goes_back_to_zero_even_on_error(registry: prometheus_client.CollectorRegistry) -> None:
    m = metrics.Metrics(registry)
    with m.in_flight():
        assert sample(registry, "kube_mcp_tool_calls_in_flight") == 1
    with pytest.raises(RuntimeError), m.in_flight():
        raise RuntimeError
    assert sample(registry, "kube_mcp_tool_calls_in_flight") == 0


def test_sessions_open_by_transport(registry: prometheus_client.CollectorRegistry) -> None:
    m = metrics.Metrics(registry)
    m.session_opened("sse")
    m.session_opened("sse")
    m.session_opened("streamable_http")
    m.session_closed("sse")
    assert sample(registry, "kube_mcp_sessions_open", transport="sse") == 1
    assert sample(registry, "kube_mcp_sessions_open", transport="streamable_http") == 1


def test_redactions_by_kind_and_zero_is_not_counted(registry: prometheus_client.CollectorRegistry) -> None:
    m = metrics.Metrics(registry)
    m.redacted("secret", 3)
    m.redacted("env", 0)
    assert sample(registry, "kube_mcp_redactions_total", kind="secret") == 3
    assert sample(registry, "kube_mcp_redactions_total", kind="env") is None


def test_two_servers_in_one_process_do_not_collide() -> None:
    metrics.Metrics(prometheus_client.CollectorRegistry())
    metrics.Metrics(prometheus_client.CollectorRegistry())


def test_every_series_has_the_prefix(registry: prometheus_client.CollectorRegistry) -> None:
    metrics.Metrics(registry)
    names = {metric.name for metric in registry.collect()}
    assert names and all(name.startswith("kube_mcp_") for name in names)
