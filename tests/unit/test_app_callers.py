"""Who may call (kube_mcp.app.callers, kube_mcp.app.tokens): loopback trust, bearer tokens,
the token file's rotation and the TokenReview cache."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from kube_mcp import config
from kube_mcp.app import callers, tokens
from kube_mcp.k8s import errors
from kube_mcp.k8s import types as k8s_types

pytestmark = pytest.mark.anyio

SA_TOKEN = "eyJ.sa-token-for-kube-mcp"
SA = k8s_types.Identity("system:serviceaccount:tools:agent", ("system:serviceaccounts",), ("kube-mcp",))


class Reviews:
    """Stands in for the one ClusterApi method the caller check uses, and counts its calls."""

    def __init__(self, identity: k8s_types.Identity | None = SA, error: Exception | None = None) -> None:
        self.identity = identity
        self.error = error
        self.calls: list[tuple[str, tuple[str, ...]]] = []

    async def review_token(self, token: str, audiences: tuple[str, ...]) -> k8s_types.Identity | None:
        self.calls.append((token, audiences))
        if self.error is not None:
            raise self.error
        return self.identity if token == SA_TOKEN else None


def make(reviews: Reviews | None = None, **changes: object) -> callers.Callers:
    settings = dataclasses.replace(config.Settings(), **changes)  # type: ignore[arg-type]
    return callers.Callers(settings, reviews or Reviews())  # type: ignore[arg-type]


@pytest.mark.parametrize("peer", ["127.0.0.1", "127.5.6.7", "::1", "::ffff:127.0.0.1"])
def test_loopback_peers_are_recognised(peer: str) -> None:
    assert callers.is_loopback(peer)


@pytest.mark.parametrize("peer", ["10.1.2.3", "::ffff:10.0.0.1", "fe80::1%eth0", "localhost", "", None])
def test_other_peers_are_not_loopback(peer: str | None) -> None:
    assert not callers.is_loopback(peer)


def test_bearer_token_is_taken_from_the_header() -> None:
    assert callers.bearer_token("Bearer abc") == "abc"
    assert callers.bearer_token("bearer   abc ") == "abc"
    assert callers.bearer_token("Basic dXNlcg==") == ""
    assert callers.bearer_token(None) is None


async def test_a_loopback_peer_without_a_token_is_the_loopback_caller() -> None:
    assert (await make().identify("127.0.0.1", None)).caller == "loopback"


async def test_a_network_peer_without_a_token_is_refused_with_how_to_get_one() -> None:
    verdict = await make().identify("10.1.2.3", None)
    assert (verdict.caller, verdict.status) == (None, 401)
    assert "kubectl create token <sa> --audience kube-mcp" in verdict.reason


async def test_loopback_is_a_network_peer_when_trust_is_off() -> None:
    assert (await make(trust_loopback=False).identify("127.0.0.1", None)).status == 401


async def test_the_unsafe_flag_lets_network_peers_in_without_a_token() -> None:
    verdict = await make(unsafe_allow_unauthenticated=True).identify("10.1.2.3", None)
    assert verdict.caller == "unauthenticated"


async def test_the_static_token_names_its_caller() -> None:
    verdict = await make(auth_token="s3cret").identify("10.1.2.3", "Bearer s3cret")
    assert verdict.caller == "token:static"


async def test_a_wrong_token_is_refused_even_from_loopback() -> None:
    verdict = await make(auth_token="s3cret").identify("127.0.0.1", "Bearer guess")
    assert (verdict.caller, verdict.status) == (None, 401)


async def test_a_malformed_authorization_header_is_refused() -> None:
    verdict = await make().identify("127.0.0.1", "Token abc")
    assert verdict.status == 401 and "Bearer" in verdict.reason


async def test_a_serviceaccount_token_for_our_audience_names_the_serviceaccount() -> None:
    reviews = Reviews()
    verdict = await make(reviews).identify("10.1.2.3", f"Bearer {SA_TOKEN}")
    assert verdict.caller == "serviceaccount:tools:agent"
    assert reviews.calls == [(SA_TOKEN, ("kube-mcp",))]


async def test_a_review_that_does_not_echo_our_audience_is_refused() -> None:
    other = dataclasses.replace(SA, audiences=("https://kubernetes.default.svc",))
    verdict = await make(Reviews(other)).identify("10.1.2.3", f"Bearer {SA_TOKEN}")
    assert verdict.status == 401


async def test_serviceaccount_tokens_are_off_when_the_audience_is_empty() -> None:
    reviews = Reviews()
    verdict = await make(reviews, token_audience="").identify("10.1.2.3", f"Bearer {SA_TOKEN}")
    assert verdict.status == 401 and reviews.calls == []


async def test_a_failed_review_is_a_503_with_the_reason() -> None:
    reviews = Reviews(error=errors.Unavailable("The API server is unreachable."))
    verdict = await make(reviews).identify("10.1.2.3", f"Bearer {SA_TOKEN}")
    assert verdict.status == 503 and "unreachable" in verdict.reason


def test_other_users_are_named_as_users() -> None:
    assert (
        callers.caller_name(k8s_types.Identity("alice@example.com", (), ("kube-mcp",)))
        == "user:alice@example.com"
    )


async def test_positive_reviews_are_cached_for_a_minute() -> None:
    now = [1000.0]
    reviews = Reviews()
    cache = tokens.TokenReviews(reviews, "kube-mcp", clock=lambda: now[0])  # type: ignore[arg-type]
    assert await cache.review(SA_TOKEN) == SA
    now[0] += 59
    assert await cache.review(SA_TOKEN) == SA
    assert len(reviews.calls) == 1
    now[0] += 2
    assert await cache.review(SA_TOKEN) == SA
    assert len(reviews.calls) == 2


async def test_refusals_are_cached_briefly() -> None:
    now = [1000.0]
    reviews = Reviews()
    cache = tokens.TokenReviews(reviews, "kube-mcp", clock=lambda: now[0])  # type: ignore[arg-type]
    assert await cache.review("bad") is None
    assert await cache.review("bad") is None
    assert len(reviews.calls) == 1
    now[0] += tokens.NEGATIVE_TTL + 1
    assert await cache.review("bad") is None
    assert len(reviews.calls) == 2


async def test_the_cache_stays_bounded() -> None:
    reviews = Reviews()
    cache = tokens.TokenReviews(reviews, "kube-mcp")  # type: ignore[arg-type]
    for i in range(tokens.MAX_CACHED + 10):
        await cache.review(f"token-{i}")
    assert len(cache._cache) <= tokens.MAX_CACHED


def test_the_token_file_is_reread_when_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text("first\n")
    token = tokens.StaticToken(None, str(path))
    assert token.matches("first")
    path.write_text("second-token\n")
    os.utime(path, ns=(1, 2_000_000_000_000_000_000))  # a different mtime, whatever the clock did
    assert token.matches("second-token")
    assert not token.matches("first")


def test_a_rotated_secret_volume_symlink_swap_is_followed(tmp_path: Path) -> None:
    (tmp_path / "v1").mkdir()
    (tmp_path / "v1" / "token").write_text("old")
    (tmp_path / "v2").mkdir()
    (tmp_path / "v2" / "token").write_text("new")
    (tmp_path / "..data").symlink_to("v1")
    (tmp_path / "token").symlink_to("..data/token")
    token = tokens.StaticToken(None, str(tmp_path / "token"))
    assert token.matches("old")
    (tmp_path / "..data_tmp").symlink_to("v2")
    os.replace(tmp_path / "..data_tmp", tmp_path / "..data")  # what the kubelet does
    assert token.matches("new")


def test_a_missing_or_empty_token_file_matches_nothing(tmp_path: Path) -> None:
    assert not tokens.StaticToken(None, str(tmp_path / "absent")).matches("")
    (tmp_path / "empty").write_text("\n")
    assert not tokens.StaticToken(None, str(tmp_path / "empty")).matches("")


def test_no_static_token_configured_matches_nothing() -> None:
    assert not tokens.StaticToken(None, None).matches("")
