"""Probes: a server whose API server never answers stays alive (/healthz 200) and never Ready.

A second release points its server at https://127.0.0.1:1 (nothing listens there) through the
chart's extra environment. It is installed, without --wait, when the first phase starts (see
conftest), so by now it has usually been running longer than the observation window below.
Evidence that it never was Ready: the Ready condition is False and last changed when the
container started (a True-then-False history would move it later), and it never restarted
(liveness must not call the API server, or this would be a restart loop).
"""

from __future__ import annotations

import datetime
import time
from typing import Any

import e2e_forward
import pytest
from e2e_release import Release, is_ready

from support import cluster

pytestmark = pytest.mark.e2e
START_TIMEOUT = 120  # the image is local: scheduling and start take seconds
MAX_WINDOW = 90  # the longest we watch; the chart's liveness gives up well within it


def running_pod(rel: Release) -> dict[str, Any] | None:
    for pod in rel.pods():
        statuses = pod.get("status", {}).get("containerStatuses") or []
        if statuses and statuses[0].get("state", {}).get("running"):
            return pod
    return None


def window_seconds(pod: dict[str, Any]) -> float:
    """How long liveness needs to kill a container it considers dead, plus one period of margin."""
    probe = pod["spec"]["containers"][0].get("livenessProbe") or {}
    period = probe.get("periodSeconds", 10)
    span = probe.get("initialDelaySeconds", 0) + period * (probe.get("failureThreshold", 3) + 1)
    return float(min(max(span, 15), MAX_WINDOW))


def started_at(pod: dict[str, Any]) -> datetime.datetime:
    stamp = pod["status"]["containerStatuses"][0]["state"]["running"]["startedAt"]
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def test_unreachable_api_server_keeps_the_pod_alive_and_unready(
    unreachable_release: tuple[Release, AssertionError | None],
) -> None:
    rel, install_error = unreachable_release
    if install_error:
        raise install_error
    pod = cluster.wait_until(f"a running pod of {rel.name}", lambda: running_pod(rel), START_TIMEOUT)
    name = pod["metadata"]["name"]
    with e2e_forward.port_forward(rel.kubeconfig, rel.namespace, f"pod/{name}") as url:
        assert e2e_forward.http_get(f"{url}/healthz")[0] == 200
        status, body = e2e_forward.http_get(f"{url}/readyz")
        assert status == 503, f"/readyz answered {status} with the API server unreachable: {body[:300]}"
    end = started_at(pod).timestamp() + window_seconds(pod)
    while True:  # bounded: `end` is at most MAX_WINDOW after the container started
        pod = cluster.wait_until(f"pod {name}", lambda: _get(rel, name), 30)
        assert not is_ready(pod), f"{name} became Ready with its API server unreachable"
        assert pod["status"]["containerStatuses"][0].get("restartCount", 0) == 0, (
            f"{name} restarted: {rel.logs()}"
        )
        if time.time() >= end:
            break
        time.sleep(1)
    ready = next(c for c in pod["status"]["conditions"] if c["type"] == "Ready")
    changed = datetime.datetime.fromisoformat(ready["lastTransitionTime"].replace("Z", "+00:00"))
    assert changed <= started_at(pod) + datetime.timedelta(seconds=5), f"Ready changed after start: {ready}"


def _get(rel: Release, name: str) -> dict[str, Any] | None:
    return next((p for p in rel.pods() if p["metadata"]["name"] == name), None)
