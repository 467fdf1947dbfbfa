"""One JSON audit line per tool call (who, which tool, about what, how it ended, how long, the API
server's audit ids), never argument values or results; and the tool metrics of each outcome."""

from __future__ import annotations

import io
import json
from typing import Any

import prometheus_client
import pytest

from kube_mcp import audit, config, mcp_server, metrics
from kube_mcp.k8s import auditing, errors

pytestmark = pytest.mark.anyio


class NotFoundSpy:
    """Answers every list with NotFound after recording an Audit-Id, as the k8s layer would."""

    default_namespace = "default"

    def __init__(self) -> None:
        self.calls = 0

    async def list(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        auditing.record("3f1c8a52-audit-id")
        raise errors.NotFound('namespace "team-a" not found.')

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"unexpected API request: {name}")


class Harness:
    def __init__(self, **settings: Any) -> None:
        self.stream = io.StringIO()
        self.registry = prometheus_client.CollectorRegistry()
        self.kube = mcp_server.build_server(
            config.Settings(**settings),
            NotFoundSpy(),  # type: ignore[arg-type]
            metrics=metrics.Metrics(self.registry),
            audit=audit.AuditLog(self.stream),
        )

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]

    def count(self, tool: str, outcome: str) -> float | None:
        return self.registry.get_sample_value("kube_mcp_tool_calls_total", {"tool": tool, "outcome": outcome})


async def test_a_failed_call_is_one_line_with_caller_object_and_audit_ids() -> None:
    harness = Harness()
    await harness.kube.call_tool("list_pods", {"namespace": "team-a"}, "serviceaccount:ci:bot")
    [line] = harness.lines()
    assert line["event"] == "tool_call" and line["tool"] == "list_pods" and line["outcome"] == "error"
    assert line["caller"] == "serviceaccount:ci:bot"
    assert (line["namespace"], line["kind"], line["name"]) == ("team-a", "Pod", None)
    assert line["audit_ids"] == ["3f1c8a52-audit-id"]
    assert line["duration_ms"] >= 0 and line["time"].endswith("+00:00")
    assert harness.count("list_pods", "error") == 1


async def test_refused_and_invalid_calls_are_audited_and_counted() -> None:
    harness = Harness(read_only=True)
    await harness.kube.call_tool("delete_pod", {"name": "web", "namespace": "default"}, "loopback")
    await harness.kube.call_tool("list_pods", {"bogus": "x"}, "loopback")
    refused, invalid = harness.lines()
    assert (refused["tool"], refused["outcome"], refused["audit_ids"]) == ("delete_pod", "refused", [])
    assert (invalid["tool"], invalid["outcome"]) == ("list_pods", "invalid")
    assert harness.count("delete_pod", "refused") == 1 and harness.count("list_pods", "invalid") == 1


async def test_argument_values_never_reach_the_audit_line() -> None:
    harness = Harness()
    await harness.kube.call_tool(
        "kubectl_get", {"resourceType": "pods", "labelSelector": "secret=hunter2"}, "x"
    )
    await harness.kube.call_tool("describe_pod", {"name": "--token=abc", "namespace": "default"}, "x")
    text = harness.stream.getvalue()
    assert "hunter2" not in text and "--token" not in text
    assert harness.lines()[1]["name"] is None


async def test_an_unknown_tool_is_counted_as_unknown_not_by_its_name() -> None:
    harness = Harness()
    await harness.kube.call_tool("x" * 300 + "\u202e", {}, "x")
    [line] = harness.lines()
    assert line["tool"] == "unknown" and harness.count("unknown", "invalid") == 1


def test_audit_lines_are_json_with_escaped_control_characters_and_bounded_fields() -> None:
    stream = io.StringIO()
    audit.AuditLog(stream).record(
        "ping", "ok", "token:a\nb\u202e" + "c" * 1000, None, None, None, 0.0123, ["id"]
    )
    [raw] = stream.getvalue().splitlines()
    line = json.loads(raw)
    assert "\u202e" not in raw and "\n" not in raw
    assert len(line["caller"]) == audit.MAX_FIELD and line["duration_ms"] == 12.3
