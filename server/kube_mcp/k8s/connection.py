"""The blocking side of a request: credentials loaded on first use, rotated tokens, one exchange.

Everything here runs in a worker thread (see `rest`). urllib3 and the transport (`_client`) are
imported by the first `exchange()`, not before, so the server starts and lists its tools without
paying for them; `kubernetes` is imported only for kubeconfig users with exec plugins (`_plugin`).
An in-cluster ServiceAccount token is projected and rotated by the kubelet (about hourly): it is
re-read whenever the file changes and, after a 401, once more before giving up.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from kube_mcp.k8s import errors, sources

if TYPE_CHECKING:
    from kube_mcp.k8s import _client


@dataclasses.dataclass(frozen=True, slots=True)
class Raw:
    """An HTTP answer: status, lower-cased headers, and the body bytes (maybe cut at max_bytes)."""

    status: int
    headers: Mapping[str, str]
    data: bytes


class TokenFile:
    """A bearer token kept in a file, re-read when the file's mtime, size or inode changes."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._stamp: tuple[int, int, int] | None = None
        self._token = ""
        self._lock = threading.Lock()

    def current(self) -> str:
        """The token; one stat() per call (microseconds) catches the kubelet's rotation."""
        with self._lock:
            try:
                st = os.stat(self._path)
            except OSError:
                return self._token  # a rotation swaps a symlink; keep the last token meanwhile
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
            if stamp != self._stamp:
                self._token = self._read()
                self._stamp = stamp
            return self._token

    def reload(self) -> bool:
        """Read the file again whatever its stamp says; True if the token changed."""
        with self._lock:
            old, self._token = self._token, self._read()
            return self._token != old

    def _read(self) -> str:
        try:
            with open(self._path, encoding="utf-8") as handle:
                return handle.read().strip()
        except (OSError, UnicodeDecodeError):
            raise errors.ConfigurationError("The ServiceAccount token file cannot be read.") from None


class Connection:
    """Lazily built transport to the API server; thread-safe."""

    def __init__(self, source: Callable[[], sources.Source], *, timeout: float) -> None:
        self._source = source
        self.timeout = timeout
        self._lock = threading.Lock()
        self._transport: _client.Transport | None = None
        self._token_file: TokenFile | None = None

    def exchange(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes | None, max_bytes: int | None
    ) -> Raw:
        """One HTTP request; raises only `errors.KubeError` (transport failures translated)."""
        from kube_mcp.k8s import _client

        return _client.exchange(self._get(), method, path, headers, body, self.timeout, max_bytes)

    def refresh(self) -> bool:
        """After a 401: re-read credentials; True when a retry may now succeed."""
        source = self._source()
        if source.kind == "in-cluster":
            return self._token_file is not None and self._token_file.reload()
        if source.kind in ("yaml", "files"):
            with self._lock:
                old, self._transport = self._transport, None
            if old is not None:
                old.close()
            return True  # tokens from files or exec plugins may have been renewed
        return False  # a static K8S_TOKEN cannot change under us

    def close(self) -> None:
        with self._lock:
            transport, self._transport = self._transport, None
        if transport is not None:
            transport.close()

    def _get(self) -> _client.Transport:
        with self._lock:
            if self._transport is None:
                from kube_mcp.k8s import _client

                source = self._source()
                if source.kind == "in-cluster" and self._token_file is None:
                    self._token_file = TokenFile(os.path.join(source.sa_dir, "token"))
                self._transport = _client.build(source, self._token_file)
            return self._transport
