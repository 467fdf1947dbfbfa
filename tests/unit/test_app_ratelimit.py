"""Rate limits (kube_mcp.app.ratelimit) on a fake clock: bucket arithmetic, Retry-After rounding,
the bound on keys, and the failed-attempt budget that stands between random tokens and the
TokenReview API (kube_mcp.app.callers)."""

from __future__ import annotations

import dataclasses

import anyio
import prometheus_client
import pytest

from kube_mcp import config, metrics
from kube_mcp.app import callers, ratelimit, security
from kube_mcp.k8s import types as k8s_types

pytestmark = pytest.mark.anyio

SA_TOKEN = "eyJ.sa-token-for-kube-mcp"
SA = k8s_types.Identity("system:serviceaccount:tools:agent", ("system:serviceaccounts",), ("kube-mcp",))
NETWORK_PEER = "10.1.2.3"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Reviews:
    """The TokenReview API: SA_TOKEN is the agent, anything else nobody; counts its calls."""

    def __init__(self) -> None:
        self.calls = 0
        self.gate: anyio.Event | None = None  # when set, every review waits for it

    async def review_token(self, token: str, audiences: tuple[str, ...]) -> k8s_types.Identity | None:
        self.calls += 1
        if self.gate is not None:
            await self.gate.wait()
        return SA if token == SA_TOKEN else None


def limiter(rate: float = 2.0, burst: int = 3, **kwargs: object) -> tuple[ratelimit.Limiter, Clock]:
    clock = Clock()
    return ratelimit.Limiter(rate, burst, clock=clock, **kwargs), clock  # type: ignore[arg-type]


def make_callers(reviews: Reviews, **changes: object) -> tuple[callers.Callers, Clock]:
    clock = Clock()
    settings = dataclasses.replace(config.Settings(), **changes)  # type: ignore[arg-type]
    failures = ratelimit.failed_auth_limiter(clock)
    return callers.Callers(settings, reviews, failures=failures), clock  # type: ignore[arg-type]


def test_a_caller_may_send_the_burst_at_once_and_then_must_wait_one_token() -> None:
    limits, _ = limiter(rate=2.0, burst=3)
    assert [limits.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limits.take("a") == pytest.approx(0.5)  # one token at 2 a second
    assert limits.take("a") == pytest.approx(0.5)  # a refusal takes nothing


def test_the_bucket_refills_at_the_rate_and_never_beyond_the_burst() -> None:
    limits, clock = limiter(rate=2.0, burst=3)
    for _ in range(3):
        limits.take("a")
    clock.now += 0.25
    assert limits.take("a") == pytest.approx(0.25)  # half a token so far
    clock.now += 0.25
    assert limits.take("a") == 0.0
    clock.now += 3600
    assert [limits.take("a") for _ in range(4)][-1] > 0  # full again: 3, not 7200


def test_twenty_a_second_admits_one_more_request_every_fiftieth_of_a_second() -> None:
    limits, clock = limiter(rate=20.0, burst=40)
    assert all(limits.take("loopback") == 0.0 for _ in range(40))
    assert limits.take("loopback") > 0
    for _ in range(100):  # float refills of 0.05 s x 20/s must add up to whole tokens
        clock.now += 0.05
        assert limits.take("loopback") == 0.0


def test_one_caller_over_its_limit_leaves_another_untouched() -> None:
    limits, _ = limiter(rate=1.0, burst=2)
    for _ in range(5):
        limits.take("loopback")
    assert limits.take("loopback") > 0
    assert limits.take("token:static") == 0.0


def test_a_refund_gives_the_token_back_but_never_beyond_the_burst() -> None:
    limits, _ = limiter(rate=1.0, burst=2)
    limits.take("a")
    limits.take("a")
    limits.refund("a")
    assert limits.take("a") == 0.0
    for _ in range(3):
        limits.refund("a")
    assert [limits.take("a") for _ in range(3)] == [0.0, 0.0, pytest.approx(1.0)]
    limits.refund("never-seen")  # nothing to give back to: no bucket appears
    assert len(limits) == 1


def test_rate_zero_turns_limiting_off_and_keeps_no_state() -> None:
    limits, _ = limiter(rate=0.0, burst=1)
    assert not limits.enabled
    assert all(limits.take("a") == 0.0 for _ in range(1000))
    assert len(limits) == 0


def test_the_number_of_keys_stays_bounded_and_the_least_recently_used_goes_first() -> None:
    limits, _ = limiter(rate=1.0, burst=1, max_keys=3)
    limits.take("kept")  # drained
    for i in range(10):
        limits.take(f"caller-{i}")
        limits.take("kept")  # used again each time: never the least recent
        assert len(limits) <= 3
    assert limits.take("kept") > 0  # still drained: its bucket survived
    assert limits.take("caller-0") == 0.0  # evicted long ago: back with a full bucket


def test_the_default_bound_is_the_token_cache_size() -> None:
    limits, _ = limiter(rate=1.0, burst=1)
    for i in range(ratelimit.MAX_KEYS + 100):
        limits.take(f"unauthenticated:10.0.{i // 256}.{i % 256}")
    assert len(limits) == ratelimit.MAX_KEYS


@pytest.mark.parametrize(("rate", "burst", "keys"), [(-1.0, 1, 1), (1.0, 0, 1), (1.0, 1, 0)])
def test_impossible_limits_are_refused(rate: float, burst: int, keys: int) -> None:
    with pytest.raises(ValueError, match="rate must be"):
        ratelimit.Limiter(rate, burst, max_keys=keys)


@pytest.mark.parametrize(
    ("wait", "header"), [(0.0, 1), (0.001, 1), (0.5, 1), (1.0, 1), (1.0000000001, 1), (1.01, 2), (7.5, 8)]
)
def test_retry_after_is_whole_seconds_rounded_up_and_at_least_one(wait: float, header: int) -> None:
    assert ratelimit.retry_after(wait) == header


def test_the_limit_is_named_in_words() -> None:
    limits, _ = limiter(rate=20.0, burst=40)
    assert ratelimit.describe(limits, "caller") == "20 requests a second per caller, burst 40"
    assert ratelimit.failed_auth_key("10.1.2.3") == "unauthenticated:10.1.2.3"
    assert ratelimit.failed_auth_key(None) == "unauthenticated:unknown"


async def test_a_flood_of_random_tokens_makes_at_most_a_burst_of_token_reviews() -> None:
    reviews = Reviews()
    check, clock = make_callers(reviews)
    verdicts = [await check.identify(NETWORK_PEER, f"Bearer random-{i}") for i in range(100)]
    assert reviews.calls == ratelimit.FAILED_AUTH_BURST
    assert [v.status for v in verdicts[: ratelimit.FAILED_AUTH_BURST]] == [401] * ratelimit.FAILED_AUTH_BURST
    throttled = verdicts[ratelimit.FAILED_AUTH_BURST]
    assert (throttled.status, throttled.retry_after) == (429, 1)
    assert "too many failed authentication attempts" in throttled.reason and "5 requests" in throttled.reason
    clock.now += 1.0  # 5 more a second
    for i in range(20):
        await check.identify(NETWORK_PEER, f"Bearer later-{i}")
    assert reviews.calls == ratelimit.FAILED_AUTH_BURST + 5


async def test_simultaneous_random_tokens_are_charged_before_their_reviews_start() -> None:
    reviews = Reviews()
    reviews.gate = anyio.Event()
    check, _ = make_callers(reviews)
    statuses: list[int] = []

    async def attempt(i: int) -> None:
        statuses.append((await check.identify(NETWORK_PEER, f"Bearer together-{i}")).status)

    with anyio.fail_after(5):
        async with anyio.create_task_group() as tasks:
            for i in range(50):
                tasks.start_soon(attempt, i)
            while len(statuses) < 50 - ratelimit.FAILED_AUTH_BURST:  # the rest are refused at once
                await anyio.sleep(0.001)
            reviews.gate.set()
    assert reviews.calls == ratelimit.FAILED_AUTH_BURST
    assert statuses.count(429) == 50 - ratelimit.FAILED_AUTH_BURST


async def test_failed_attempts_from_one_address_do_not_throttle_another() -> None:
    check, _ = make_callers(Reviews())
    for i in range(30):
        await check.identify(NETWORK_PEER, f"Bearer random-{i}")
    assert (await check.identify("10.9.9.9", f"Bearer {SA_TOKEN}")).caller == "serviceaccount:tools:agent"
    assert (await check.identify("10.9.9.9", None)).status == 401  # refused, not throttled


async def test_accepted_callers_never_use_up_the_failure_budget() -> None:
    reviews = Reviews()
    check, _ = make_callers(reviews, auth_token="s3cret")
    for _ in range(100):
        assert (await check.identify(NETWORK_PEER, f"Bearer {SA_TOKEN}")).caller
        assert (await check.identify(NETWORK_PEER, "Bearer s3cret")).caller == "token:static"
        assert (await check.identify("127.0.0.1", None)).caller == "loopback"
    assert (await check.identify(NETWORK_PEER, "Bearer wrong")).status == 401


async def test_the_static_token_and_trusted_loopback_pass_while_their_address_is_throttled() -> None:
    check, _ = make_callers(Reviews(), auth_token="s3cret")
    for i in range(30):
        await check.identify("127.0.0.1", f"Bearer guess-{i}")
    assert (await check.identify("127.0.0.1", "Bearer guess-x")).status == 429
    assert (await check.identify("127.0.0.1", "Bearer s3cret")).caller == "token:static"
    assert (await check.identify("127.0.0.1", None)).caller == "loopback"


async def test_requests_without_a_token_from_the_network_count_as_failed_attempts() -> None:
    check, _ = make_callers(Reviews())
    statuses = [(await check.identify(NETWORK_PEER, None)).status for _ in range(12)]
    assert statuses == [401] * ratelimit.FAILED_AUTH_BURST + [429, 429]


def test_the_settings_read_the_rate_and_the_burst() -> None:
    settings = config.from_env({"KUBE_MCP_RATE_LIMIT": "2.5", "KUBE_MCP_RATE_BURST": "5"})
    assert (settings.rate_limit, settings.rate_burst) == (2.5, 5)
    assert config.from_env({}, ["--rate-limit", "0"]).rate_limit == 0.0
    assert (config.Settings().rate_limit, config.Settings().rate_burst) == (20.0, 40)


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"KUBE_MCP_RATE_LIMIT": "fast"}, "KUBE_MCP_RATE_LIMIT"),
        ({"KUBE_MCP_RATE_LIMIT": "-1"}, "KUBE_MCP_RATE_LIMIT"),
        ({"KUBE_MCP_RATE_LIMIT": "nan"}, "KUBE_MCP_RATE_LIMIT"),
        ({"KUBE_MCP_RATE_BURST": "0"}, "KUBE_MCP_RATE_BURST"),
        ({"KUBE_MCP_RATE_BURST": "1.5"}, "KUBE_MCP_RATE_BURST"),
    ],
)
def test_a_bad_rate_setting_is_one_line_naming_the_variable(environ: dict[str, str], named: str) -> None:
    with pytest.raises(config.ConfigError, match=f"^{named}:"):
        config.from_env(environ)


def test_rate_limited_requests_are_counted_by_transport_from_a_fixed_set() -> None:
    registry = prometheus_client.CollectorRegistry()
    m = metrics.Metrics(registry)
    for path in ("/mcp", "/mcp", "/sse", "/messages/", "/anything"):
        m.rate_limited(security.transport_of(path))
    m.rate_limited("carrier-pigeon")
    count = registry.get_sample_value
    assert count("kube_mcp_rate_limited_total", {"transport": "streamable_http"}) == 2
    assert count("kube_mcp_rate_limited_total", {"transport": "sse"}) == 2
    assert count("kube_mcp_rate_limited_total", {"transport": "other"}) == 2
