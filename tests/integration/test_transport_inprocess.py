"""The in-process harness itself: a server starts, answers and drains."""

from __future__ import annotations

import httpx2
import pytest

from support.transport import serve, small_app


@pytest.mark.anyio
async def test_the_in_process_server_answers_and_stops_cleanly() -> None:
    app, registry = small_app()
    async with serve(app, registry) as running, httpx2.AsyncClient() as client:
        assert (await client.get(running.url + "/healthz")).text == "ok\n"
    assert app.drain.finished.is_set()
