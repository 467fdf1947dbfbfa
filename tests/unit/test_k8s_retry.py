"""Retry-After is honoured but bounded; only reads retry; the total wait has a budget."""

from __future__ import annotations

import email.utils

from kube_mcp.k8s import retry


def test_retry_after_seconds_and_http_dates_are_parsed():
    now = 1_700_000_000.0
    assert retry.parse_retry_after("1") == 1.0
    assert retry.parse_retry_after(" 7 ") == 7.0
    date = email.utils.formatdate(now + 3, usegmt=True)
    assert retry.parse_retry_after(date, now=now) == 3.0
    assert retry.parse_retry_after(email.utils.formatdate(now - 60, usegmt=True), now=now) == 0.0


def test_absent_or_malformed_retry_after_is_none():
    for value in (None, "", "soon", "-1", "1.5e9999", "Mon, 99 Foo 2024"):
        assert retry.parse_retry_after(value) is None


def test_delay_honours_retry_after_but_never_beyond_the_cap():
    assert retry.delay(0, 1.0) == 1.0
    assert retry.delay(0, 3600.0) == retry.MAX_DELAY
    assert retry.delay(5, 0.0) == 0.0


def test_delay_without_retry_after_backs_off_exponentially_up_to_the_cap():
    delays = [retry.delay(n, None) for n in range(8)]
    assert delays[:4] == [0.25, 0.5, 1.0, 2.0]
    assert max(delays) == retry.MAX_DELAY
    assert retry.delay(10_000, None) == retry.MAX_DELAY


def test_only_reads_retry_and_only_on_throttling_or_server_errors():
    assert retry.should_retry(429, idempotent=True)
    assert retry.should_retry(503, idempotent=True)
    assert not retry.should_retry(429, idempotent=False)
    assert not retry.should_retry(501, idempotent=True)
    assert not retry.should_retry(404, idempotent=True)


def test_total_waiting_stays_within_the_budget():
    assert retry.within_budget(0.0, retry.MAX_DELAY)
    assert not retry.within_budget(retry.MAX_TOTAL_DELAY - 1, 2.0)
