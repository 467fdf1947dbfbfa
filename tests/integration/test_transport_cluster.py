"""The whole server against the real API server, driven by the SDK's own clients over every
transport, the seed's curl demo byte for byte against a `kube-mcp` process, and network callers
with real ServiceAccount tokens."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import anyio
import httpx2
import pytest
from mcp.client import Client
from mcp.client.sse import sse_client
from mcp.client.stdio import StdioServerParameters

from kube_mcp import cli
from kube_mcp.app import asgi
from support.transport import SETTINGS, Running, SseEvents, free_port, kube_mcp_command, serve

pytestmark = [pytest.mark.anyio, pytest.mark.cluster]

JSON = {"Content-Type": "application/json"}
SEED_DEMO = (
    b'{"jsonrpc": "2.0", "id": 1234, "method": "tools/call", '
    b'"params": {"name": "list_pods", "namespace": "default"}}'
)
POD = "kmcp-transport-probe"


@pytest.fixture
def pod(namespace: str, kubectl: Callable[..., Any]) -> str:
    """One pod in the test namespace (it need not run: listing it is what matters)."""
    manifest = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": POD},
        "spec": {
            "containers": [
                {"name": "c", "image": "localhost/kube-mcp/pause:3.10", "imagePullPolicy": "Never"}
            ]
        },
    }
    kubectl("-n", namespace, "apply", "-f", "-", input=json.dumps(manifest))
    return POD


@contextlib.asynccontextmanager
async def real_server(kubeconfig: str, **changes: Any) -> AsyncIterator[Running]:
    settings = dataclasses.replace(SETTINGS, kubeconfig=kubeconfig, **changes)
    parts = cli.build(settings, audit_stream=io.StringIO())
    app = asgi.create_app(
        settings, kube=parts.kube, cluster=parts.cluster, metrics=parts.metrics, registry=parts.registry
    )
    async with serve(app, parts.registry, settings) as running:
        yield running


@contextlib.contextmanager
def kube_mcp_process(kubeconfig: str) -> Iterator[str]:
    """`ENABLE_UNSAFE_SSE_TRANSPORT=1 PORT=<port> kube-mcp`, as the seed's README starts it."""
    port = free_port()
    env = {**os.environ, "ENABLE_UNSAFE_SSE_TRANSPORT": "1", "PORT": str(port), "KUBECONFIG": kubeconfig}
    process = subprocess.Popen(kube_mcp_command(), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield f"http://localhost:{port}"
    finally:
        process.terminate()
        process.communicate(timeout=15)


async def wait_healthy(client: httpx2.AsyncClient, url: str) -> None:
    with anyio.fail_after(20):
        while True:
            with contextlib.suppress(httpx2.TransportError):
                if (await client.get(url + "/healthz")).status_code == 200:
                    return
            await anyio.sleep(0.05)


async def seed_demo(client: httpx2.AsyncClient, url: str, body: bytes) -> dict[str, Any]:
    """GET /sse, POST `body` to the announced URL, return the `event: message` that answers."""
    async with client.stream("GET", url + "/sse") as response:
        events = SseEvents(response)
        event, endpoint = await events.next()
        assert event == "endpoint"
        posted = await client.post(url + endpoint, content=body, headers=JSON)
        assert posted.status_code == 202
        event, data = await events.next(timeout=30)
    assert event == "message"
    return json.loads(data)  # type: ignore[no-any-return]


async def test_the_seeds_curl_demo_typed_literally_lists_pods(
    kubeconfig: str, namespace: str, pod: str
) -> None:
    with kube_mcp_process(kubeconfig) as url:
        async with httpx2.AsyncClient() as client:
            await wait_healthy(client, url)
            answer = await seed_demo(client, url, SEED_DEMO)
            ours = await seed_demo(
                client, url, SEED_DEMO.replace(b'"default"', json.dumps(namespace).encode())
            )
    assert answer["id"] == 1234 and answer["result"]["isError"] is False
    assert (
        '"default"' in answer["result"]["content"][0]["text"]
        or "NAME" in answer["result"]["content"][0]["text"]
    )
    assert pod in ours["result"]["content"][0]["text"]


async def test_readiness_asks_the_real_api_server(kubeconfig: str) -> None:
    async with real_server(kubeconfig) as running, httpx2.AsyncClient() as client:
        ready = await client.get(running.url + "/readyz", headers={"Host": "10.1.2.3:3000"})
    assert (ready.status_code, ready.text) == (200, "ok\n")


async def test_the_sdk_sse_client_lists_pods(kubeconfig: str, namespace: str, pod: str) -> None:
    async with (
        real_server(kubeconfig) as running,
        Client(sse_client(running.url + "/sse"), mode="legacy") as client,
    ):
        result = await client.call_tool("list_pods", {"namespace": namespace})
    assert result.is_error is False
    assert pod in result.content[0].text  # type: ignore[union-attr]


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
async def test_the_sdk_streamable_client_lists_pods_in_both_eras(
    kubeconfig: str, namespace: str, pod: str, mode: str
) -> None:
    async with real_server(kubeconfig) as running, Client(running.url + "/mcp", mode=mode) as client:
        result = await client.call_tool("list_pods", {"namespace": namespace})
    assert pod in result.content[0].text  # type: ignore[union-attr]


async def test_the_sdk_stdio_client_lists_pods(kubeconfig: str, namespace: str, pod: str) -> None:
    env = {**os.environ, "KUBECONFIG": kubeconfig}
    env.pop("ENABLE_UNSAFE_SSE_TRANSPORT", None)
    params = StdioServerParameters(command=sys.executable, args=["-m", "kube_mcp"], env=env)
    async with Client(params, mode="legacy") as client:
        tools = await client.list_tools()
        result = await client.call_tool("list_pods", {"namespace": namespace})
    assert "list_pods" in {tool.name for tool in tools.tools}
    assert pod in result.content[0].text  # type: ignore[union-attr]


def mint(kubectl: Callable[..., Any], namespace: str, *audience: str) -> str:
    args = ["-n", namespace, "create", "token", "agent", "--duration", "10m"]
    for value in audience:
        args += ["--audience", value]
    return str(kubectl(*args).stdout.strip())


async def test_network_callers_need_a_token_issued_for_this_server(
    kubeconfig: str, namespace: str, kubectl: Callable[..., Any]
) -> None:
    kubectl("-n", namespace, "create", "serviceaccount", "agent")
    ours = mint(kubectl, namespace, "kube-mcp")
    for_the_api_server = mint(kubectl, namespace)
    async with (
        real_server(kubeconfig, trust_loopback=False, auth_token="s3cret") as running,
        httpx2.AsyncClient() as client,
    ):

        async def status(token: str | None) -> int:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            async with client.stream("GET", running.url + "/sse", headers=headers) as response:
                return response.status_code

        assert await status(None) == 401
        assert await status("wrong") == 401
        assert await status("s3cret") == 200
        assert await status(ours) == 200
        assert await status(for_the_api_server) == 401
        http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {ours}"})
        async with (
            http,
            Client(sse_client(running.url + "/sse", headers=dict(http.headers)), mode="legacy") as mcp,
        ):
            result = await mcp.call_tool("list_pods", {"namespace": namespace})
    assert result.is_error is False
