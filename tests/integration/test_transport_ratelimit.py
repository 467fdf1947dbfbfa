"""Rate limits over real HTTP: a burst from one caller gets 429 with Retry-After while another
caller is served, probes are never limited, and a flood of random bearer tokens from one address
makes at most about a burst of TokenReviews (counted on a stand-in cluster, then on the real
API server through kube_mcp_api_requests_total{verb="review"})."""

from __future__ import annotations

import dataclasses
import io
import math
import time
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from kube_mcp import cli
from kube_mcp.app import asgi, ratelimit
from support.transport import SETTINGS, ApiReachable, SmallKube, serve, small_app

pytestmark = pytest.mark.anyio

# Stateless /mcp: each POST is a whole tools/call, so a request served is a call forwarded.
HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/json, text/event-stream",
    "MCP-Protocol-Version": "2025-11-25",
}
CALL = b'{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "list_pods"}}'
STATIC = {"Authorization": "Bearer s3cret"}
# 5 at once, then one every 10 s: nothing refills while a test runs.
LIMITED = dataclasses.replace(SETTINGS, stateless=True, rate_limit=0.1, rate_burst=5, auth_token="s3cret")


def http() -> httpx2.AsyncClient:
    """A client opening a connection per request: on a kept-alive one each request here waits
    ~40 ms for a delayed ACK, and these tests send hundreds."""
    return httpx2.AsyncClient(limits=httpx2.Limits(max_keepalive_connections=0))


def rate_limited(registry: Any, transport: str) -> float:
    return registry.get_sample_value("kube_mcp_rate_limited_total", {"transport": transport}) or 0.0


class CountingReviews(ApiReachable):
    """The app's cluster questions, counting TokenReviews (every token is refused)."""

    def __init__(self) -> None:
        self.reviews = 0

    async def review_token(self, token: str, audiences: tuple[str, ...]) -> None:
        self.reviews += 1


async def test_a_burst_from_one_caller_gets_429_with_retry_after_and_another_caller_is_served() -> None:
    kube = SmallKube()
    app, registry = small_app(LIMITED, kube=kube)
    async with serve(app, registry, LIMITED) as running, http() as client:
        url = running.url + "/mcp"
        burst = [await client.post(url, content=CALL, headers=HEADERS) for _ in range(12)]
        other = [await client.post(url, content=CALL, headers={**HEADERS, **STATIC}) for _ in range(5)]
    assert [r.status_code for r in burst] == [200] * 5 + [429] * 7
    refused = burst[5]
    assert 1 <= int(refused.headers["retry-after"]) <= 10
    assert refused.json() == {
        "error": "rate limit exceeded: at most 0.1 requests a second per caller, burst 5; "
        f"retry after {refused.headers['retry-after']} s"
    }
    assert [r.status_code for r in other] == [200] * 5
    callers = [caller for _, _, caller in kube.calls]
    assert callers == ["loopback"] * 5 + ["token:static"] * 5  # the refused 7 were never forwarded
    assert rate_limited(registry, "streamable_http") == 7


async def test_the_legacy_sse_routes_are_limited_too() -> None:
    settings = dataclasses.replace(LIMITED, rate_burst=2)
    app, registry = small_app(settings)
    async with (
        serve(app, registry, settings) as running,
        http() as client,
        client.stream("GET", running.url + "/sse") as stream,
    ):
        assert stream.status_code == 200
        posted = [
            await client.post(running.url + "/messages?sessionId=x", content=b"{}", headers=HEADERS)
            for _ in range(3)
        ]
        opened_again = await client.get(running.url + "/sse")
    assert [r.status_code for r in posted] == [404, 429, 429]  # the one served: an unknown session
    assert opened_again.status_code == 429 and "retry-after" in opened_again.headers
    assert rate_limited(registry, "sse") == 3


async def test_probes_and_metrics_are_never_limited_nor_spend_a_callers_budget() -> None:
    settings = dataclasses.replace(LIMITED, rate_burst=1)
    app, registry = small_app(settings)
    async with serve(app, registry, settings) as running, http() as client:
        probes = [await client.get(running.url + path) for path in ("/healthz", "/readyz", "/metrics") * 20]
        first_call = await client.post(running.url + "/mcp", content=CALL, headers=HEADERS)
        after = await client.get(running.url + "/healthz")
    assert {r.status_code for r in probes} == {200}
    assert first_call.status_code == 200 and after.status_code == 200


async def test_a_rate_of_zero_turns_the_limit_off() -> None:
    settings = dataclasses.replace(LIMITED, rate_limit=0.0, rate_burst=1)
    app, registry = small_app(settings)
    async with serve(app, registry, settings) as running, http() as client:
        statuses = {
            (await client.post(running.url + "/mcp", content=CALL, headers=HEADERS)).status_code
            for _ in range(30)
        }
    assert statuses == {200}


async def flood(client: httpx2.AsyncClient, url: str, n: int) -> tuple[list[httpx2.Response], float]:
    """n requests with made-up bearer tokens, one after another; and the seconds they took."""
    started = time.monotonic()
    answers = [
        await client.post(url, content=CALL, headers={**HEADERS, "Authorization": f"Bearer forged-{i}"})
        for i in range(n)
    ]
    return answers, time.monotonic() - started


def review_bound(seconds: float) -> int:
    """TokenReviews a flood may cause: the burst, plus what the bucket refilled while it ran."""
    return ratelimit.FAILED_AUTH_BURST + math.ceil(seconds * ratelimit.FAILED_AUTH_RATE)


async def test_a_flood_of_random_tokens_from_a_network_caller_makes_only_a_burst_of_token_reviews() -> None:
    cluster = CountingReviews()
    settings = dataclasses.replace(LIMITED, trust_loopback=False)
    app, registry = small_app(settings, cluster=cluster)
    async with serve(app, registry, settings) as running, http() as client:
        answers, seconds = await flood(client, running.url + "/mcp", 100)
        static = await client.post(running.url + "/mcp", content=CALL, headers={**HEADERS, **STATIC})
    statuses = [r.status_code for r in answers]
    assert statuses[: ratelimit.FAILED_AUTH_BURST] == [401] * ratelimit.FAILED_AUTH_BURST
    assert statuses.count(429) >= 100 - review_bound(seconds)
    assert ratelimit.FAILED_AUTH_BURST <= cluster.reviews <= review_bound(seconds)
    throttled = answers[statuses.index(429)]
    assert int(throttled.headers["retry-after"]) >= 1
    assert "too many failed authentication attempts" in throttled.json()["error"]
    assert rate_limited(registry, "streamable_http") == statuses.count(429)
    assert static.status_code == 200  # the static token needs no TokenReview: never throttled


@pytest.mark.cluster
async def test_a_flood_of_random_tokens_reaches_the_real_api_server_only_a_burst_of_times(
    kubeconfig: str, namespace: str, kubectl: Callable[..., Any]
) -> None:
    kubectl("-n", namespace, "create", "serviceaccount", "agent")
    token = kubectl("-n", namespace, "create", "token", "agent", "--audience", "kube-mcp").stdout.strip()
    settings = dataclasses.replace(LIMITED, kubeconfig=kubeconfig, trust_loopback=False)
    parts = cli.build(settings, audit_stream=io.StringIO())
    app = asgi.create_app(
        settings, kube=parts.kube, cluster=parts.cluster, metrics=parts.metrics, registry=parts.registry
    )

    def reviews() -> float:
        return (
            parts.registry.get_sample_value(
                "kube_mcp_api_requests_total", {"verb": "review", "code_class": "2xx"}
            )
            or 0.0
        )

    async with serve(app, parts.registry, settings) as running, http() as client:
        agent = {**HEADERS, "Authorization": f"Bearer {token}"}
        assert (await client.post(running.url + "/mcp", content=CALL, headers=agent)).status_code == 200
        assert reviews() == 1
        answers, seconds = await flood(client, running.url + "/mcp", 100)
    assert 1 + ratelimit.FAILED_AUTH_BURST <= reviews() <= 1 + review_bound(seconds)
    assert [r.status_code for r in answers].count(429) >= 100 - review_bound(seconds)
