"""SIGTERM: readiness off, calls in flight finish, streams close, exit 0 within the drain.

The in-process tests start the drain the way the signal handler does (`App.begin_drain`) while
the server still accepts connections, so they can watch /readyz and the streams; the last test
sends a real SIGTERM to a `kube-mcp` process."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import time

import anyio
import httpx2
import pytest

from support.transport import (
    SETTINGS,
    SmallKube,
    SseEvents,
    free_port,
    kube_mcp_command,
    serve,
    small_app,
)

pytestmark = pytest.mark.anyio

JSON = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
BLOCK = b'{"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": {"name": "block", "arguments": {}}}'
INITIALIZE = (
    b'{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25", '
    b'"capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}}'
)
INITIALIZED = b'{"jsonrpc": "2.0", "method": "notifications/initialized"}'


@pytest.mark.parametrize("handshake", [False, True], ids=["seed-style", "initialized"])
async def test_an_sse_call_in_flight_finishes_before_its_stream_is_closed(handshake: bool) -> None:
    kube = SmallKube()
    app, registry = small_app(kube=kube)
    async with (
        serve(app, registry) as running,
        httpx2.AsyncClient() as client,
        client.stream("GET", running.url + "/sse") as response,
    ):
        events = SseEvents(response)
        _, endpoint = await events.next()
        if handshake:
            await client.post(running.url + endpoint, content=INITIALIZE, headers=JSON)
            assert json.loads((await events.next())[1])["id"] == 1
            await client.post(running.url + endpoint, content=INITIALIZED, headers=JSON)
        await client.post(running.url + endpoint, content=BLOCK, headers=JSON)
        with anyio.fail_after(5):
            await kube.blocked.wait()
        app.begin_drain()
        ready = await client.get(running.url + "/readyz")
        assert (ready.status_code, ready.text) == (503, "draining: the server is shutting down\n")
        assert (await client.get(running.url + "/sse")).status_code == 503
        kube.release.set()
        answer = json.loads((await events.next())[1])
        assert answer["id"] == 9 and answer["result"]["content"][0]["text"] == "released"
        with pytest.raises(EOFError):
            await events.next()  # the drain closed the stream
    assert app.drain.finished.is_set()


async def test_a_streamable_call_in_flight_finishes_during_the_drain() -> None:
    kube = SmallKube()
    app, registry = small_app(kube=kube)
    async with serve(app, registry) as running, httpx2.AsyncClient() as client:
        answers: list[httpx2.Response] = []

        async def call() -> None:
            headers = {
                **JSON,
                "MCP-Protocol-Version": "2026-07-28",
                "Mcp-Method": "tools/call",
                "Mcp-Name": "block",
            }
            answers.append(await client.post(running.url + "/mcp", json=modern_block(), headers=headers))

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(call)
            with anyio.fail_after(5):
                await kube.blocked.wait()
            app.begin_drain()
            assert (await client.get(running.url + "/readyz")).status_code == 503
            kube.release.set()
        assert answers[0].status_code == 200
        assert "released" in answers[0].text


async def test_a_hung_call_is_cut_off_when_the_drain_period_ends() -> None:
    settings = dataclasses.replace(SETTINGS, drain_seconds=0.5)
    kube = SmallKube()
    app, registry = small_app(settings, kube=kube)
    with anyio.fail_after(0.5 + 2 + 3):
        async with (
            serve(app, registry, settings) as running,
            httpx2.AsyncClient() as client,
            client.stream("GET", running.url + "/sse") as response,
        ):
            events = SseEvents(response)
            _, endpoint = await events.next()
            await client.post(running.url + endpoint, content=BLOCK, headers=JSON)
            await kube.blocked.wait()
            app.begin_drain()
            with pytest.raises(EOFError):
                await events.next()  # never released: the stream closes anyway


def modern_block() -> dict[str, object]:
    """A 2026-07-28 tools/call: the envelope rides in `_meta`, no session."""
    meta = {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientInfo": {"name": "test", "version": "1"},
        "io.modelcontextprotocol/clientCapabilities": {},
    }
    return {
        "jsonrpc": "2.0",
        "id": 3,
        "method": "tools/call",
        "params": {"name": "block", "arguments": {}, "_meta": meta},
    }


async def test_sigterm_with_an_open_sse_stream_exits_0_within_the_drain() -> None:
    port = free_port()
    env = {
        **os.environ,
        "ENABLE_UNSAFE_SSE_TRANSPORT": "1",
        "PORT": str(port),
        "KUBE_MCP_DRAIN_SECONDS": "3",
        "KUBE_MCP_DEFAULT_NAMESPACE": "default",
    }
    process = subprocess.Popen(kube_mcp_command(), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        async with httpx2.AsyncClient() as client:
            with anyio.fail_after(20):
                while True:
                    try:
                        if (await client.get(url + "/healthz")).status_code == 200:
                            break
                    except httpx2.TransportError:
                        assert process.poll() is None, process.stderr.read().decode()  # type: ignore[union-attr]
                        await anyio.sleep(0.05)
            async with client.stream("GET", url + "/sse") as response:
                events = SseEvents(response)
                assert (await events.next())[0] == "endpoint"
                started = time.monotonic()
                process.send_signal(signal.SIGTERM)
                with pytest.raises(EOFError):
                    await events.next()
        code = await anyio.to_thread.run_sync(lambda: process.wait(timeout=3 + 2 + 5))
        elapsed = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.kill()
        _, stderr = process.communicate()
    assert code == 0, stderr.decode()
    assert elapsed < 3 + 2, f"took {elapsed:.1f}s"
