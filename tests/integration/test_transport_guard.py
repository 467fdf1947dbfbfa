"""The guard in front of the MCP routes over real HTTP: Host (421) and Origin (403) on every MCP
route, probes and metrics reachable with a pod-IP Host, and network callers (401 without a valid
token). Loopback trust is switched off to make this machine's client a network caller."""

from __future__ import annotations

import dataclasses

import httpx2
import pytest

from kube_mcp.k8s import errors
from support.transport import SETTINGS, ApiReachable, SseEvents, serve, small_app

pytestmark = pytest.mark.anyio

JSON = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
POD_IP_HOST = {"Host": "10.1.2.3:3000"}
MCP_REQUESTS = [
    ("GET", "/sse"),
    ("POST", "/messages?sessionId=x"),
    ("POST", "/messages/"),
    ("POST", "/mcp"),
    ("GET", "/mcp"),
]


@pytest.mark.parametrize(("method", "path"), MCP_REQUESTS)
async def test_a_host_not_allowed_gets_421_on_every_mcp_route(method: str, path: str) -> None:
    app, registry = small_app()
    async with serve(app, registry) as running, httpx2.AsyncClient() as client:
        response = await client.request(
            method, running.url + path, content=b"{}", headers={**JSON, **POD_IP_HOST}
        )
    assert response.status_code == 421
    assert "KUBE_MCP_ALLOWED_HOSTS" in response.json()["error"]


@pytest.mark.parametrize(("method", "path"), MCP_REQUESTS)
async def test_an_origin_not_allowed_gets_403_on_every_mcp_route(method: str, path: str) -> None:
    app, registry = small_app()
    async with serve(app, registry) as running, httpx2.AsyncClient() as client:
        headers = {**JSON, "Origin": "http://evil.example"}
        response = await client.request(method, running.url + path, content=b"{}", headers=headers)
    assert response.status_code == 403


async def test_the_service_name_and_a_local_page_origin_are_allowed() -> None:
    settings = dataclasses.replace(SETTINGS, service_name="kube-mcp", default_namespace="tools")
    app, registry = small_app(settings)
    async with serve(app, registry, settings) as running, httpx2.AsyncClient() as client:
        headers = {"Host": "kube-mcp.tools.svc:3000", "Origin": "http://localhost:6274"}
        async with client.stream("GET", running.url + "/sse", headers=headers) as response:
            assert response.status_code == 200
            assert (await SseEvents(response).next())[0] == "endpoint"


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
async def test_probes_and_metrics_accept_a_pod_ip_host(path: str) -> None:
    app, registry = small_app()
    async with serve(app, registry) as running, httpx2.AsyncClient() as client:
        response = await client.get(running.url + path, headers=POD_IP_HOST)
    assert response.status_code == 200


async def test_metrics_are_prometheus_text_from_the_injected_registry() -> None:
    app, registry = small_app()
    async with (
        serve(app, registry) as running,
        httpx2.AsyncClient() as client,
        client.stream("GET", running.url + "/sse"),
    ):
        response = await client.get(running.url + "/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    assert 'kube_mcp_sessions_open{transport="sse"} 1.0' in response.text


async def test_readyz_is_503_with_one_line_when_the_api_server_does_not_answer() -> None:
    class Down(ApiReachable):
        async def whoami(self) -> str:
            raise errors.Unavailable("The API server refused the connection.")

    app, registry = small_app(cluster=Down())
    async with serve(app, registry) as running, httpx2.AsyncClient() as client:
        ready = await client.get(running.url + "/readyz")
        alive = await client.get(running.url + "/healthz")
    assert ready.status_code == 503
    assert ready.text == "the Kubernetes API server did not answer: The API server refused the connection.\n"
    assert alive.status_code == 200


NETWORK = dataclasses.replace(SETTINGS, trust_loopback=False, auth_token="s3cret")


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", "Basic czNjcmV0"])
async def test_a_network_caller_without_a_valid_token_gets_401(authorization: str | None) -> None:
    app, registry = small_app(NETWORK)
    headers = {"Authorization": authorization} if authorization else {}
    async with serve(app, registry, NETWORK) as running, httpx2.AsyncClient() as client:
        sse = await client.get(running.url + "/sse", headers=headers)
        mcp = await client.post(running.url + "/mcp", content=b"{}", headers={**JSON, **headers})
    for response in (sse, mcp):
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert set(response.json()) == {"error"}


async def test_a_network_caller_with_the_static_token_is_served() -> None:
    app, registry = small_app(NETWORK)
    async with serve(app, registry, NETWORK) as running, httpx2.AsyncClient() as client:
        auth = {"Authorization": "Bearer s3cret"}
        async with client.stream("GET", running.url + "/sse", headers=auth) as response:
            assert response.status_code == 200
            events = SseEvents(response)
            _, endpoint = await events.next()
            body = b'{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "list_pods"}}'
            posted = await client.post(running.url + endpoint, content=body, headers={**JSON, **auth})
            assert posted.status_code == 202
            assert "caller token:static" in (await events.next())[1]


async def test_the_unsafe_flag_serves_network_callers_without_a_token() -> None:
    settings = dataclasses.replace(SETTINGS, trust_loopback=False, unsafe_allow_unauthenticated=True)
    app, registry = small_app(settings)
    async with (
        serve(app, registry, settings) as running,
        httpx2.AsyncClient() as client,
        client.stream("GET", running.url + "/sse") as response,
    ):
        assert response.status_code == 200
