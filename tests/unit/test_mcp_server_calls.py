"""Every tool call takes one path, driven here through a real MCP client: the mode is checked again
at call time with zero API calls, arguments are checked strictly, and failures are one sentence.

`Spy` implements ClusterApi only to count: any request fails the test (or raises the error a test
asks for). The tools' behaviour against a real API server is tested in tests/integration."""

from __future__ import annotations

import io
import logging
from typing import Any

import prometheus_client
import pytest
from mcp import Client
from mcp.shared import exceptions

from kube_mcp import audit, config, mcp_server, metrics
from kube_mcp.k8s import errors

pytestmark = pytest.mark.anyio

ALL = set(mcp_server.tool_names())
WRITES = {"scale_deployment", "create_namespace"}
DELETES = {"delete_pod", "delete_deployment", "delete_namespace", "delete_cronjob"}


class Spy:
    """A ClusterApi whose every request is recorded and then fails."""

    default_namespace = "default"

    def __init__(self, raises: BaseException | None = None) -> None:
        self.calls: list[str] = []
        self.raises = raises

    def _request(self, method: str) -> Any:
        self.calls.append(method)
        raise self.raises or AssertionError(f"unexpected API request: {method}")

    async def resolve(self, *args: Any, **kwargs: Any) -> Any:
        return self._request("resolve")

    async def list(self, *args: Any, **kwargs: Any) -> Any:
        return self._request("list")

    async def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._request("get")

    async def create(self, *args: Any, **kwargs: Any) -> Any:
        return self._request("create")

    async def patch(self, *args: Any, **kwargs: Any) -> Any:
        return self._request("patch")

    async def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._request("delete")

    async def logs(self, *args: Any, **kwargs: Any) -> Any:
        return self._request("logs")

    async def version(self) -> Any:
        return self._request("version")

    async def whoami(self) -> Any:
        return self._request("whoami")

    async def review_token(self, *args: Any) -> Any:
        return self._request("review_token")


def build(spy: Spy | None = None, **settings: Any) -> mcp_server.KubeMcp:
    return mcp_server.build_server(
        config.Settings(**settings),
        spy or Spy(),
        metrics=metrics.Metrics(prometheus_client.CollectorRegistry()),
        audit=audit.AuditLog(io.StringIO()),
    )


async def listed(kube: mcp_server.KubeMcp) -> set[str]:
    async with Client(kube.server) as client:
        return {tool.name for tool in (await client.list_tools()).tools}


async def call(kube: mcp_server.KubeMcp, name: str, arguments: dict[str, Any]) -> tuple[bool, str]:
    async with Client(kube.server) as client:
        result = await client.call_tool(name, arguments)
    return result.is_error, result.content[0].text  # type: ignore[union-attr]


async def test_full_mode_lists_every_tool() -> None:
    assert await listed(build()) == ALL


async def test_read_only_mode_hides_writes_and_deletes() -> None:
    assert await listed(build(read_only=True)) == ALL - WRITES - DELETES


async def test_non_destructive_mode_hides_only_deletes() -> None:
    assert await listed(build(non_destructive=True)) == ALL - DELETES


async def test_allowed_tools_lists_only_those() -> None:
    kube = build(allowed_tools=("list_pods", "ping", "delete_pod"))
    assert await listed(kube) == {"list_pods", "ping", "delete_pod"}
    assert {spec.name for spec in kube.tools} == {"list_pods", "ping", "delete_pod"}


async def test_listed_tools_carry_schema_title_and_annotations() -> None:
    async with Client(build().server) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    delete = tools["delete_namespace"]
    assert delete.title == "Delete namespace" and delete.input_schema["additionalProperties"] is False
    assert delete.annotations is not None and delete.annotations.destructive_hint is True


@pytest.mark.parametrize(
    ("settings", "tool", "arguments", "message"),
    [
        (
            {"read_only": True},
            "delete_pod",
            {"name": "web", "namespace": "default"},
            'Tool "delete_pod" is not available: the server runs in read-only mode.',
        ),
        (
            {"read_only": True},
            "scale_deployment",
            {"name": "web", "namespace": "default", "replicas": 0},
            'Tool "scale_deployment" is not available: the server runs in read-only mode.',
        ),
        (
            {"read_only": True},
            "create_namespace",
            {"name": "x"},
            'Tool "create_namespace" is not available: the server runs in read-only mode.',
        ),
        (
            {"non_destructive": True},
            "delete_namespace",
            {"name": "prod"},
            'Tool "delete_namespace" is not available: the server runs in non-destructive mode.',
        ),
        (
            {"allowed_tools": ("list_pods",)},
            "get_logs",
            {"resourceType": "pod", "name": "web"},
            'Tool "get_logs" is not available: it is not in the server\'s ALLOWED_TOOLS list.',
        ),
    ],
)
async def test_a_hidden_tool_called_by_name_is_refused_with_zero_api_calls(
    settings: dict[str, Any], tool: str, arguments: dict[str, Any], message: str
) -> None:
    spy = Spy()
    assert await call(build(spy, **settings), tool, arguments) == (True, message)
    assert spy.calls == []


async def test_the_direct_call_path_refuses_the_same_way() -> None:
    spy = Spy()
    result = await build(spy, read_only=True).call_tool(
        "delete_cronjob", {"name": "a", "namespace": "b"}, "x"
    )
    assert result.is_error and "read-only mode" in result.content[0].text  # type: ignore[union-attr]
    assert spy.calls == []


async def test_an_unknown_tool_is_an_error_result() -> None:
    is_error, text = await call(build(), "exec_in_pod", {})
    assert (
        is_error
        and text == 'Unknown tool "exec_in_pod"; call tools/list to see the tools this server offers.'
    )


async def test_an_unknown_argument_is_refused_with_the_accepted_list_and_no_api_call() -> None:
    spy = Spy()
    is_error, text = await call(build(spy), "list_pods", {"namespace": "default", "context": "prod-admin"})
    assert is_error
    assert text == 'Unknown argument "context" for list_pods; accepted arguments: namespace, limit, continue.'
    assert spy.calls == []


async def test_a_missing_required_argument_is_named() -> None:
    is_error, text = await call(build(), "describe_pod", {"name": "web"})
    assert is_error and text.startswith('Missing required argument "namespace" for describe_pod')


BAD_CALLS = [
    ("describe_pod", {"name": "--server=https://evil.example", "namespace": "default"}),
    ("describe_pod", {"name": "web", "namespace": "kube-system/../default"}),
    ("describe_pod", {"name": "web%2F..", "namespace": "default"}),
    ("get_logs", {"resourceType": "pod", "name": "web;cat /etc/passwd"}),
    ("get_logs", {"resourceType": "pod", "name": "web", "container": "-c"}),
    ("get_logs", {"resourceType": "deployment", "labelSelector": "app=$(id)"}),
    ("get_logs", {"resourceType": "job"}),
    ("list_pods", {"namespace": "-A"}),
    ("list_pods", {"continue": "not a token"}),
    ("kubectl_get", {"resourceType": "pods/../secrets"}),
    ("kubectl_get", {"resourceType": "pods", "name": "--raw=/api"}),
    ("kubectl_get", {"resourceType": "pods", "labelSelector": "app=web\nx"}),
    ("kubectl_get", {"resourceType": "pods", "fieldSelector": "a" * 1025}),
    ("kubectl_get", {"resourceType": "pods", "sortBy": ".a;b"}),
    ("kubectl_get", {"resourceType": "pods", "name": "web", "allNamespaces": True}),
    ("get_events", {"fieldSelector": "involvedObject.name=`id`"}),
    ("scale_deployment", {"name": "web/scale", "namespace": "default", "replicas": 1}),
    ("scale_deployment", {"name": "web", "namespace": "default", "replicas": -1}),
    ("create_namespace", {"name": "Prod"}),
    ("delete_namespace", {"name": "kube-system\n"}),
    ("delete_pod", {"name": "..", "namespace": "default"}),
    ("delete_cronjob", {"name": "a b", "namespace": "default"}),
]


@pytest.mark.parametrize(
    ("tool", "arguments"), BAD_CALLS, ids=[f"{t}-{i}" for i, (t, _) in enumerate(BAD_CALLS)]
)
async def test_bad_values_are_refused_before_any_api_call(tool: str, arguments: dict[str, Any]) -> None:
    spy = Spy()
    is_error, text = await call(build(spy), tool, arguments)
    assert is_error and "\n" not in text and text.endswith(".")
    assert spy.calls == []


async def test_a_kubernetes_error_becomes_its_one_sentence() -> None:
    spy = Spy(raises=errors.Forbidden('The server may not list pods in namespace "default" (RBAC).'))
    assert await call(build(spy), "list_pods", {}) == (
        True,
        'The server may not list pods in namespace "default" (RBAC).',
    )
    assert spy.calls == ["list"]


async def test_cluster_text_in_an_error_is_sanitized() -> None:
    spy = Spy(raises=errors.Invalid("admission webhook said \x1b[31mno\u202e."))
    assert await call(build(spy), "ping", {}) == (True, "admission webhook said no.")


async def test_any_other_failure_is_an_internal_error_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    spy = Spy(raises=RuntimeError("token=abc123 leaked in a message"))
    with caplog.at_level(logging.ERROR, logger="kube_mcp.mcp_server"):
        is_error, text = await call(build(spy), "list_nodes", {})
    assert (is_error, text) == (True, "Internal error while running list_nodes; see server logs.")
    assert any(record.exc_info for record in caplog.records)


async def test_resources_are_offered_when_kubectl_get_is() -> None:
    async with Client(build().server) as client:
        uris = [str(r.uri) for r in (await client.list_resources()).resources]
        templates = (await client.list_resource_templates()).resource_templates
    assert uris == [
        "k8s://namespaces",
        "k8s://nodes",
        "k8s://default/pods",
        "k8s://default/deployments",
        "k8s://default/services",
    ]
    assert [t.uri_template for t in templates] == ["k8s://{namespace}/{kind}"]


async def test_resources_are_not_offered_without_kubectl_get() -> None:
    async with Client(build(allowed_tools=("ping",)).server) as client:
        assert client.server_capabilities.resources is None


@pytest.mark.parametrize(
    "uri", ["k8s://-n/pods", "k8s://default/pods/../secrets", "https://x", "k8s://a/b%2Fc"]
)
async def test_a_bad_resource_uri_is_an_invalid_params_error_without_api_calls(uri: str) -> None:
    spy = Spy()
    async with Client(build(spy).server) as client:
        with pytest.raises(exceptions.MCPError) as caught:
            await client.read_resource(uri)
    assert caught.value.code == -32602 and spy.calls == []


def test_tool_names_lists_every_tool_whatever_the_mode() -> None:
    assert set(mcp_server.tool_names()) == ALL and len(ALL) == 16
    assert {spec.name for spec in build(read_only=True).tools} < ALL


def test_instructions_are_static_text() -> None:
    assert build().server.instructions == mcp_server.INSTRUCTIONS
