"""Fault injection with real sockets: listeners that never answer, ports nobody listens on,
endpoints that speak the wrong protocol, and an HTTP front that throttles before forwarding to
the real API server. Nothing here imitates Kubernetes: a successful answer only ever comes from
the real API server behind `ThrottlingProxy`."""

from __future__ import annotations

import contextlib
import dataclasses
import http.server
import itertools
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

Answer = tuple[int, dict[str, str], bytes]
Responder = Callable[[str, str, dict[str, str], bytes], Answer]


@contextlib.contextmanager
def silent_listener() -> Iterator[int]:
    """A port whose listener completes TCP handshakes (kernel backlog) but never reads or answers."""
    with socket.create_server(("127.0.0.1", 0), backlog=64) as server:
        yield server.getsockname()[1]


def closed_port() -> int:
    """A port on 127.0.0.1 that refuses connections (bound once, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def plain_text_listener() -> Iterator[int]:
    """Answers every connection with an HTTP/1.0 line at once: a TLS client sees no handshake."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(0.2)
        stop = threading.Event()

        def serve() -> None:
            while not stop.is_set():
                with contextlib.suppress(OSError):
                    conn, _ = server.accept()
                    with conn:
                        conn.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\nnot tls\n")

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        try:
            yield server.getsockname()[1]
        finally:
            stop.set()
            thread.join(timeout=5)


@dataclasses.dataclass
class Seen:
    method: str
    path: str
    status: int


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, headers, payload = self.server.responder(self.command, self.path, dict(self.headers), body)
        self.server.seen.append(Seen(self.command, self.path, status))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, responder: Responder) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.responder = responder
        self.seen: list[Seen] = []


@contextlib.contextmanager
def http_endpoint(responder: Responder) -> Iterator[_Server]:
    """A real HTTP server on 127.0.0.1 answering with `responder`; `.seen` records each request."""
    server = _Server(responder)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def url_of(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def throttled(retry_after: str = "0") -> Responder:
    """Every request gets 429 with Retry-After and an Audit-Id, as a loaded API server answers."""
    counter = itertools.count(1)

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        status = (
            b'{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"TooManyRequests","code":429}'
        )
        return (
            429,
            {
                "Retry-After": retry_after,
                "Audit-Id": f"throttled-{next(counter)}",
                "Content-Type": "application/json",
            },
            status,
        )

    return answer


def throttle_then_forward(forward: Responder, *, times: int, retry_after: str = "1") -> Responder:
    """The first `times` requests get 429 (with Retry-After), the rest go to `forward`."""
    lock = threading.Lock()
    count = itertools.count()
    too_many = throttled(retry_after)

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        with lock:
            n = next(count)
        return too_many(method, path, headers, body) if n < times else forward(method, path, headers, body)

    return answer


def forward_to(kubeconfig: str) -> Responder:
    """Forwards to the API server of `kubeconfig` over TLS with its credentials (the caller's are
    dropped). Uses the `kubernetes` package only to read the kubeconfig, like kubectl would."""
    from kubernetes import client, config
    from kubernetes.client import rest

    cfg = client.Configuration()
    config.load_kube_config(config_file=kubeconfig, client_configuration=cfg, persist_config=False)
    pool = rest.RESTClientObject(cfg).pool_manager
    keep = ("accept", "content-type")

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        out = {k: v for k, v in headers.items() if k.lower() in keep}
        bearer = cfg.auth_settings().get("BearerToken")
        if bearer:
            out["Authorization"] = bearer["value"]
        response = pool.request(
            method, cfg.host + path, body=body or None, headers=out, retries=False, redirect=False, timeout=30
        )
        passed = {k: v for k, v in response.headers.items() if k.lower() in ("content-type", "audit-id")}
        return response.status, passed, response.data

    return answer
