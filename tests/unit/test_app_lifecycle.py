"""The SIGTERM drain (kube_mcp.app.lifecycle.Drain) and the readiness it switches off
(kube_mcp.app.health.Readiness)."""

from __future__ import annotations

import anyio
import pytest

from kube_mcp.app import health, lifecycle
from kube_mcp.k8s import errors

pytestmark = pytest.mark.anyio


class Whoami:
    """The one ClusterApi method readiness uses; `error` makes it fail."""

    def __init__(self) -> None:
        self.calls = 0
        self.error: Exception | None = None

    async def whoami(self) -> str:
        self.calls += 1
        if self.error is not None:
            raise self.error
        return "system:serviceaccount:kube-mcp:kube-mcp"


async def test_the_drain_waits_for_calls_in_flight_then_closes() -> None:
    drain = lifecycle.Drain(5.0)
    closed: list[int] = []

    async def closer() -> None:
        closed.append(drain.in_flight)

    drain.add_closer(closer)
    release = anyio.Event()

    async def call() -> None:
        with drain.track():
            await release.wait()

    with anyio.fail_after(5):
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(call)
            tasks.start_soon(drain.watch)
            await anyio.wait_all_tasks_blocked()
            drain.begin()
            await anyio.wait_all_tasks_blocked()
            assert drain.draining and closed == []
            release.set()
            await drain.finished.wait()
    assert closed == [0]


async def test_the_drain_is_bounded_when_a_call_hangs() -> None:
    drain = lifecycle.Drain(0.2)
    hang = anyio.Event()
    with anyio.fail_after(5):
        async with anyio.create_task_group() as tasks:

            async def call() -> None:
                with drain.track():
                    await hang.wait()

            tasks.start_soon(call)
            tasks.start_soon(drain.watch)
            await anyio.wait_all_tasks_blocked()
            drain.begin()
            await drain.finished.wait()
            assert drain.in_flight == 1
            tasks.cancel_scope.cancel()


async def test_a_drain_asked_for_before_the_watcher_starts_still_runs() -> None:
    drain = lifecycle.Drain(1.0)
    drain.begin()
    with anyio.fail_after(5):
        await drain.watch()
    assert drain.finished.is_set()


async def test_readiness_is_cached_for_its_period() -> None:
    now = [100.0]
    cluster = Whoami()
    readiness = health.Readiness(cluster, lifecycle.Drain(1.0), cache_seconds=5.0, clock=lambda: now[0])  # type: ignore[arg-type]
    assert await readiness.check() == (True, "ok")
    now[0] += 4.9
    assert await readiness.check() == (True, "ok")
    assert cluster.calls == 1
    now[0] += 0.2
    await readiness.check()
    assert cluster.calls == 2


async def test_readiness_reports_the_api_server_failure_in_one_line() -> None:
    cluster = Whoami()
    cluster.error = errors.Timeout("The API server did not answer within 10 seconds.")
    ready, reason = await health.Readiness(cluster, lifecycle.Drain(1.0), cache_seconds=5.0).check()  # type: ignore[arg-type]
    assert not ready
    assert (
        reason == "the Kubernetes API server did not answer: The API server did not answer within 10 seconds."
    )


async def test_readiness_is_off_while_draining_without_asking_the_api_server() -> None:
    cluster = Whoami()
    drain = lifecycle.Drain(1.0)
    drain.begin()
    ready, reason = await health.Readiness(cluster, drain, cache_seconds=5.0).check()  # type: ignore[arg-type]
    assert (ready, cluster.calls) == (False, 0)
    assert reason.startswith("draining")
