"""Our error vocabulary at the Kubernetes boundary.

The `kubernetes` client's `ApiException` carries HTTP headers and whole response bodies; it never
leaves this package. `translate()` turns it (and urllib3's connection errors) into one of the
classes below, once, with a one-sentence message that is safe to show a model: no headers, no
tokens, no stack traces.

    KubeError
    ├── NotFound          404
    ├── Forbidden         403 (RBAC said no)
    ├── Unauthorized      401 (our credentials were refused)
    ├── Invalid           400/422 (the API server rejected the request)
    ├── Conflict          409 (already exists, or changed under us)
    ├── Gone              410 (a continue token expired)
    ├── TooManyRequests   429 (after our retries)
    ├── Unavailable       5xx, connection refused, DNS failure
    ├── Timeout           no answer within the configured timeout
    └── UnknownResource   discovery has no such kind/resource
"""

from __future__ import annotations


class KubeError(Exception):
    """A Kubernetes request failed; `str(err)` is one sentence fit for a model."""

    status: int | None = None
    reason = "Error"

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status


class NotFound(KubeError):
    status = 404
    reason = "NotFound"


class Forbidden(KubeError):
    status = 403
    reason = "Forbidden"


class Unauthorized(KubeError):
    status = 401
    reason = "Unauthorized"


class Invalid(KubeError):
    status = 422
    reason = "Invalid"


class Conflict(KubeError):
    status = 409
    reason = "Conflict"


class Gone(KubeError):
    status = 410
    reason = "Gone"


class TooManyRequests(KubeError):
    status = 429
    reason = "TooManyRequests"


class Unavailable(KubeError):
    status = 503
    reason = "Unavailable"


class Timeout(KubeError):
    status = 504
    reason = "Timeout"


class UnknownResource(KubeError):
    status = 404
    reason = "UnknownResource"


class ConfigurationError(KubeError):
    """No usable cluster credentials (bad kubeconfig, missing token file, ...)."""

    reason = "Configuration"
