"""Faults on real sockets: no answer, no listener, wrong protocol, throttling.

The first group needs no API server; the throttling-then-forwarding tests put a small HTTP front
before the real API server (marked `cluster`).
"""

from __future__ import annotations

import time

import anyio
import pytest

from kube_mcp import config
from kube_mcp.k8s import audit_ids, cluster, errors, types
from support import faults

pytestmark = pytest.mark.anyio
TIMEOUT = 1.0
MARGIN = 1.0  # thread hand-off, connection setup and the first `kubernetes` import


def connect(
    server: str, calls: list[tuple[str, int | None]] | None = None, **settings: object
) -> cluster.Cluster:
    def on_request(verb: str, status: int | None, seconds: float) -> None:
        if calls is not None:
            calls.append((verb, status))

    options = {"request_timeout": TIMEOUT, **settings}
    settings_ = config.Settings(k8s_server=server, k8s_token="t", **options)
    return cluster.connect(settings_, environ={}, on_request=on_request)


CONFIGMAPS = types.ResourceRef(
    group="", version="v1", resource="configmaps", kind="ConfigMap", namespaced=True
)


@pytest.mark.parametrize("scheme", ["http", "https"])
async def test_a_listener_that_never_answers_times_out_within_the_timeout_and_frees_the_worker(scheme):
    calls: list[tuple[str, int | None]] = []
    with faults.silent_listener() as port:
        api = connect(f"{scheme}://127.0.0.1:{port}", calls)
        started = time.monotonic()
        with pytest.raises(errors.Timeout, match=r"did not answer within 1 s"):
            await api.version()
        elapsed = time.monotonic() - started
    assert TIMEOUT * 0.9 <= elapsed <= TIMEOUT + MARGIN
    assert api.workers_busy == 0
    assert calls == [("version", None)]


async def test_a_hung_api_server_never_blocks_the_event_loop():
    with faults.silent_listener() as port:
        api = connect(f"http://127.0.0.1:{port}")
        ticks = 0

        async def hang() -> None:
            with pytest.raises(errors.Timeout):
                await api.get(CONFIGMAPS, "x", namespace="default")

        async with anyio.create_task_group() as tg:
            for _ in range(4):
                tg.start_soon(hang)
            with anyio.fail_after(TIMEOUT):  # the loop keeps ticking while 4 requests hang
                while ticks < 10:
                    await anyio.sleep(0.01)
                    ticks += 1
            assert api.workers_busy == 4
    assert api.workers_busy == 0


async def test_a_closed_port_is_unavailable_fast():
    calls: list[tuple[str, int | None]] = []
    api = connect(f"http://127.0.0.1:{faults.closed_port()}", calls)
    started = time.monotonic()
    with pytest.raises(errors.Unavailable, match="connection was refused"):
        await api.list(CONFIGMAPS, namespace="default")
    assert time.monotonic() - started < MARGIN
    assert calls == [("list", None)]


async def test_tls_to_something_that_is_not_tls_is_unavailable_with_a_tls_sentence():
    with faults.plain_text_listener() as port:
        api = connect(f"https://127.0.0.1:{port}")
        with anyio.fail_after(TIMEOUT + MARGIN), pytest.raises(errors.Unavailable, match="TLS handshake"):
            await api.version()


async def test_reads_retry_on_429_up_to_the_limit_and_keep_every_audit_id():
    calls: list[tuple[str, int | None]] = []
    with faults.http_endpoint(faults.throttled(retry_after="0")) as server:
        api = connect(faults.url_of(server), calls, read_retries=2)
        with audit_ids() as ids, pytest.raises(errors.TooManyRequests, match="after 2 retries"):
            await api.get(CONFIGMAPS, "x", namespace="default")
    assert [s.method for s in server.seen] == ["GET", "GET", "GET"]
    assert ids == ["throttled-1", "throttled-2", "throttled-3"]
    assert calls == [("get", 429)] * 3


async def test_writes_are_never_retried():
    with faults.http_endpoint(faults.throttled(retry_after="0")) as server:
        api = connect(faults.url_of(server), read_retries=3)
        body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}
        with pytest.raises(errors.TooManyRequests):
            await api.create(CONFIGMAPS, body, namespace="default")
        with pytest.raises(errors.TooManyRequests):
            await api.patch(CONFIGMAPS, "x", {"data": {"a": "b"}}, namespace="default")
        with pytest.raises(errors.TooManyRequests):
            await api.delete(CONFIGMAPS, "x", namespace="default")
    assert [s.method for s in server.seen] == ["POST", "PATCH", "DELETE"]


async def test_retry_after_is_honoured_between_read_retries():
    with faults.http_endpoint(faults.throttled(retry_after="1")) as server:
        api = connect(faults.url_of(server), read_retries=1)
        started = time.monotonic()
        with pytest.raises(errors.TooManyRequests):
            await api.version()
    assert len(server.seen) == 2
    assert 1.0 <= time.monotonic() - started < 1.0 + MARGIN


@pytest.mark.cluster
async def test_a_read_succeeds_after_two_429s_from_a_front_of_the_real_api_server(kubeconfig):
    calls: list[tuple[str, int | None]] = []
    front = faults.throttle_then_forward(faults.forward_to(kubeconfig), times=2, retry_after="1")
    with faults.http_endpoint(front) as server:
        api = connect(faults.url_of(server), calls, request_timeout=10.0)
        started = time.monotonic()
        with audit_ids() as ids:
            version = await api.version()
        elapsed = time.monotonic() - started
    assert "gitVersion" in version
    assert [s.status for s in server.seen] == [429, 429, 200]
    assert [status for _, status in calls] == [429, 429, 200]
    assert 2.0 <= elapsed < 2.0 + 3 * MARGIN
    assert len(ids) == 3 and ids[:2] == ["throttled-1", "throttled-2"]


@pytest.mark.cluster
async def test_a_write_through_the_throttling_front_is_refused_once_and_not_resent(kubeconfig, namespace):
    front = faults.throttle_then_forward(faults.forward_to(kubeconfig), times=1, retry_after="1")
    with faults.http_endpoint(front) as server:
        api = connect(faults.url_of(server), request_timeout=10.0)
        body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "once"}, "data": {"a": "1"}}
        with pytest.raises(errors.TooManyRequests):
            await api.create(CONFIGMAPS, body, namespace=namespace)
        assert [s.method for s in server.seen] == ["POST"]
        with pytest.raises(errors.NotFound):
            await api.get(CONFIGMAPS, "once", namespace=namespace)
        created = await api.create(CONFIGMAPS, body, namespace=namespace)
    assert created["metadata"]["name"] == "once"
    assert [(s.method, s.status) for s in server.seen] == [("POST", 429), ("GET", 404), ("POST", 201)]
