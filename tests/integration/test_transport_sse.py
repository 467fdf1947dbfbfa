"""Legacy HTTP+SSE (/sse, /messages) over real HTTP: the seed's URL form and demo, the SDK's SSE
client, sessions bound to their caller, and clean refusals of bad requests."""

from __future__ import annotations

import dataclasses
import json
import re

import anyio
import httpx2
import mcp_types as types
import pytest
from mcp.client import Client
from mcp.client.sse import sse_client

from kube_mcp.app import sse
from support.transport import SETTINGS, SseEvents, gauge, serve, small_app

pytestmark = pytest.mark.anyio

JSON = {"Content-Type": "application/json"}
SEED_DEMO = (
    b'{"jsonrpc": "2.0", "id": 1234, "method": "tools/call", '
    b'"params": {"name": "list_pods", "namespace": "default"}}'
)
UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


async def open_session(client: httpx2.AsyncClient, url: str, stack: object) -> tuple[SseEvents, str]:
    response = await stack.enter_async_context(client.stream("GET", url + "/sse"))  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = SseEvents(response)
    event, data = await events.next()
    assert event == "endpoint"
    return events, data


async def test_get_sse_announces_the_seeds_messages_url_with_a_uuid4() -> None:
    app, registry = small_app()
    async with (
        serve(app, registry) as running,
        httpx2.AsyncClient() as client,
        client.stream("GET", running.url + "/sse") as response,
    ):
        event, data = await SseEvents(response).next()
    assert event == "endpoint"
    assert re.fullmatch(rf"/messages\?sessionId={UUID4}", data)


async def test_the_seeds_curl_demo_typed_literally_answers_on_the_stream() -> None:
    app, registry = small_app()
    async with (
        serve(app, registry) as running,
        httpx2.AsyncClient() as client,
        client.stream("GET", running.url + "/sse") as response,
    ):
        events = SseEvents(response)
        _, endpoint = await events.next()
        posted = await client.post(running.url + endpoint, content=SEED_DEMO, headers=JSON)
        assert posted.status_code == 202
        event, data = await events.next()
    assert event == "message"
    answer = json.loads(data)
    assert answer["id"] == 1234 and answer["result"]["isError"] is False
    assert (
        answer["result"]["content"][0]["text"] == "NAME  READY  STATUS (namespace default, caller loopback)"
    )


async def test_other_requests_before_initialize_are_told_what_to_send() -> None:
    app, registry = small_app()
    async with (
        serve(app, registry) as running,
        httpx2.AsyncClient() as client,
        client.stream("GET", running.url + "/sse") as response,
    ):
        events = SseEvents(response)
        _, endpoint = await events.next()
        body = b'{"jsonrpc": "2.0", "id": 5, "method": "tools/list"}'
        assert (await client.post(running.url + endpoint, content=body, headers=JSON)).status_code == 202
        _, data = await events.next()
    error = json.loads(data)["error"]
    assert error["code"] == types.INVALID_REQUEST
    assert (
        '"method": "initialize"' in error["message"] and '"protocolVersion": "2025-11-25"' in error["message"]
    )


async def test_the_sdks_spelling_session_id_and_trailing_slash_is_accepted() -> None:
    app, registry = small_app()
    async with (
        serve(app, registry) as running,
        httpx2.AsyncClient() as client,
        client.stream("GET", running.url + "/sse") as response,
    ):
        events = SseEvents(response)
        _, endpoint = await events.next()
        session = endpoint.split("=", 1)[1].replace("-", "")
        url = f"{running.url}/messages/?session_id={session}"
        assert (await client.post(url, content=SEED_DEMO, headers=JSON)).status_code == 202
        assert json.loads((await events.next())[1])["id"] == 1234


async def test_the_sdk_sse_client_initializes_lists_and_calls() -> None:
    app, registry = small_app()
    async with serve(app, registry) as running:
        async with Client(sse_client(running.url + "/sse"), mode="legacy") as client:
            assert client.protocol_version == "2025-11-25"
            tools = await client.list_tools()
            result = await client.call_tool("list_pods", {"namespace": "tools"})
            assert gauge(registry, "sse") == 1
        with anyio.fail_after(5):
            while gauge(registry, "sse"):  # the server sees the disconnect a moment later
                await anyio.sleep(0.01)
    assert [tool.name for tool in tools.tools] == ["list_pods", "block"]
    assert result.content[0].text == "NAME  READY  STATUS (namespace tools, caller loopback)"  # type: ignore[union-attr]


async def test_the_sdk_sse_client_in_auto_mode_speaks_2026_over_sse() -> None:
    app, registry = small_app()
    async with (
        serve(app, registry) as running,
        Client(sse_client(running.url + "/sse")) as client,
    ):
        result = await client.call_tool("list_pods", {"namespace": "tools"})
        assert client.protocol_version == "2026-07-28"
    assert result.is_error is False


async def test_bad_posts_are_refused_and_the_session_survives() -> None:
    settings = dataclasses.replace(SETTINGS, max_body_bytes=2048)
    app, registry = small_app(settings)
    async with (
        serve(app, registry, settings) as running,
        httpx2.AsyncClient() as client,
        client.stream("GET", running.url + "/sse") as response,
    ):
        events = SseEvents(response)
        _, endpoint = await events.next()
        url = running.url + endpoint
        post = client.post
        assert (await post(url, content=SEED_DEMO, headers={"Content-Type": "text/plain"})).status_code == 400
        assert (await post(url, content=b"{not json", headers=JSON)).status_code == 400
        assert (await post(url, content=b"[" * 2000 + b"]" * 2000, headers=JSON)).status_code == 413
        assert (await post(url, content=b"[" * 1000 + b"]" * 1000, headers=JSON)).status_code == 400
        assert (await post(url, content=b'{"jsonrpc": "2.0"}', headers=JSON)).status_code == 400
        assert (await post(running.url + "/messages", content=SEED_DEMO, headers=JSON)).status_code == 400
        unknown = running.url + "/messages?sessionId=" + "0" * 32
        assert (await post(unknown, content=SEED_DEMO, headers=JSON)).status_code == 404
        assert (
            await post(running.url + "/messages?sessionId=x", content=SEED_DEMO, headers=JSON)
        ).status_code == 404
        assert (await post(url, content=SEED_DEMO, headers=JSON)).status_code == 202
        assert json.loads((await events.next())[1])["id"] == 1234


async def test_a_session_answers_404_to_a_different_caller() -> None:
    settings = dataclasses.replace(SETTINGS, auth_token="s3cret")
    app, registry = small_app(settings)
    async with (
        serve(app, registry, settings) as running,
        httpx2.AsyncClient() as client,
        client.stream("GET", running.url + "/sse") as response,  # opened by "loopback"
    ):
        _, endpoint = await SseEvents(response).next()
        other = {**JSON, "Authorization": "Bearer s3cret"}  # "token:static"
        refused = await client.post(running.url + endpoint, content=SEED_DEMO, headers=other)
    assert refused.status_code == 404
    assert "no such session" in refused.json()["error"]


async def test_sse_sessions_past_the_cap_are_refused_with_503(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sse, "MAX_SESSIONS", 2)  # the real cap is 1000; the mechanism is the same
    app, registry = small_app()
    async with (
        serve(app, registry) as running,
        httpx2.AsyncClient() as client,
        client.stream("GET", running.url + "/sse") as first,
        client.stream("GET", running.url + "/sse") as second,
    ):
        assert (await SseEvents(first).next())[0] == (await SseEvents(second).next())[0] == "endpoint"
        third = await client.get(running.url + "/sse")
        assert third.status_code == 503 and "too many open SSE sessions" in third.text
