"""One async API request: a worker thread, a timeout, bounded retries, an audit id, one error.

Every request of the package goes through `Rest.send`, so the rules hold everywhere:
- the blocking client runs in at most WORKERS threads (`anyio.to_thread` with our own limiter),
  never on the event loop; waits between retries are `anyio.sleep`, not a held thread; a
  cancelled call waits for its worker (one timeout at most), so the thread count stays bounded;
- connect and read timeouts come from settings.request_timeout (in `connection`);
- reads (`idempotent=True`) are retried on 429/5xx by `retry`'s rules; writes never are;
- a 401 makes the connection re-read its credentials and the request is sent once more (the API
  server authenticates before doing anything, so even a write is safe to resend);
- every response's Audit-Id goes to `auditing`, and `on_request(verb, status, seconds)` is called
  once per HTTP exchange (status None when no answer came);
- any status >= 400 leaves as an `errors.KubeError` from `translate`.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

import anyio
import anyio.to_thread

from kube_mcp.k8s import auditing, connection, errors, retry, translate

WORKERS = 16  # concurrent blocking requests; more callers wait for a free worker
USER_AGENT = "kube-mcp/0.1"
JSON_TYPE = "application/json"
OnRequest = Callable[[str, int | None, float], None]


@dataclasses.dataclass(frozen=True, slots=True)
class Request:
    verb: str  # metrics label: get, list, create, patch, delete, logs, review, discovery, version
    method: str
    path: str  # with its query string (see `with_query`)
    context: translate.Context
    body: bytes | None = dataclasses.field(default=None, repr=False)  # may hold a reviewed token
    content_type: str | None = None
    accept: str = JSON_TYPE
    idempotent: bool = True  # reads: safe to retry on 429/5xx
    max_bytes: int | None = None  # read at most this much of the body (logs)


def with_query(path: str, params: Mapping[str, str | int | bool | None]) -> str:
    """path?k=v&... with None dropped and booleans spelled the way the API server parses them."""
    items = [
        (k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in params.items() if v is not None
    ]
    return f"{path}?{urlencode(items)}" if items else path


def json_body(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def parse_json(data: bytes) -> dict[str, Any]:
    """A JSON object from the API server; anything else means something other than it answered."""
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        doc = None
    if not isinstance(doc, dict):
        raise errors.Unavailable(
            "The API server's answer was not a JSON object (is K8S_SERVER an API server?)."
        )
    return doc


class Rest:
    def __init__(
        self, conn: connection.Connection, *, read_retries: int, on_request: OnRequest | None
    ) -> None:
        self._connection = conn
        self._read_retries = read_retries
        self._on_request = on_request
        self._limiter = anyio.CapacityLimiter(WORKERS)

    @property
    def workers_busy(self) -> int:
        """Worker threads in use now (0 when idle: a timed-out request has freed its worker)."""
        return int(self._limiter.borrowed_tokens)

    async def json(self, request: Request) -> dict[str, Any]:
        return parse_json((await self.send(request)).data)

    async def send(self, request: Request) -> connection.Raw:
        """The successful (< 400) answer to `request`, after retries; else the translated error."""
        retries, slept, refreshed = 0, 0.0, False
        while True:
            raw = await self._attempt(request)
            if raw.status == 401 and not refreshed:
                refreshed = True
                if await anyio.to_thread.run_sync(self._connection.refresh, limiter=self._limiter):
                    continue
            if raw.status < 400:
                return raw
            pause = self._pause(request, raw, retries, slept)
            if pause is None:
                raise translate.status_error(raw.status, raw.data, request.context, retries=retries)
            await anyio.sleep(pause)
            retries, slept = retries + 1, slept + pause

    def _pause(self, request: Request, raw: connection.Raw, retries: int, slept: float) -> float | None:
        """Seconds to wait before retrying, or None when this answer is final."""
        if retries >= self._read_retries or not retry.should_retry(raw.status, idempotent=request.idempotent):
            return None
        pause = retry.delay(retries, retry.parse_retry_after(raw.headers.get("retry-after")))
        return pause if retry.within_budget(slept, pause) else None

    async def _attempt(self, request: Request) -> connection.Raw:
        work = functools.partial(self._timed_exchange, request)
        raw, failure, seconds = await anyio.to_thread.run_sync(work, limiter=self._limiter)
        if self._on_request is not None:
            self._on_request(request.verb, raw.status if raw else None, seconds)
        if failure is not None:
            raise failure
        assert raw is not None
        auditing.record(raw.headers.get("audit-id"))
        return raw

    def _timed_exchange(
        self, request: Request
    ) -> tuple[connection.Raw | None, errors.KubeError | None, float]:
        """Runs in a worker: the exchange and its duration (queueing for a worker not counted)."""
        headers = {"Accept": request.accept, "User-Agent": USER_AGENT}
        if request.content_type:
            headers["Content-Type"] = request.content_type
        started = time.monotonic()
        try:
            raw = self._connection.exchange(
                request.method, request.path, headers, request.body, request.max_bytes
            )
        except errors.ConfigurationError:
            raise  # no request was sent: nothing to measure
        except errors.KubeError as exc:
            return None, exc, time.monotonic() - started
        return raw, None, time.monotonic() - started
