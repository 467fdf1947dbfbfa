"""HTTP failures -> our error vocabulary, once, as one sentence a model can act on.

Sentences are built from what we asked (verb, resource, namespace: `Context`) and from the
Kubernetes `Status` object's reason, details and causes. Raw response bodies, headers and the
client's exception text never pass through: they can carry tokens, and they read badly.
Cluster-supplied text that helps the model (a validation cause, an admission denial) is stripped
of control characters and capped.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

from kube_mcp.k8s import errors, types

MAX_DETAIL = 300  # characters of a cluster-supplied cause kept in a sentence
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+")
_RBAC_DENIAL = re.compile(r"\bcannot [a-z]+ resource\b")


@dataclasses.dataclass(frozen=True, slots=True)
class Context:
    """What a request was about, for the error sentence."""

    verb: str  # RBAC verb: get, list, create, patch, delete
    resource: str | None = None  # plural, with subresource if any: "pods", "pods/log"
    group: str = ""
    name: str | None = None
    namespace: str | None = None
    namespaced: bool = True
    principal: str = "credentials"  # "ServiceAccount" or "credentials": who "the server's ..." is
    continued: bool = False  # a continue token was sent (410 means: restart the list)


def clean(text: str, limit: int = MAX_DETAIL) -> str:
    """One line of cluster text: no control or bidi characters, at most `limit` characters."""
    line = " ".join(_UNSAFE.sub(" ", text).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def credential_reason(exc: BaseException) -> str:
    """Why credentials failed, in a few words; credential plugins' output may hold secrets, so
    anything naming an exec plugin becomes one fixed phrase."""
    text = str(exc.args[0]) if exc.args else type(exc).__name__
    if "exec" in text.lower():
        return "its credential plugin failed"
    return clean(text, 160).rstrip(".")


def parse_status(body: bytes) -> dict[str, Any]:
    """The `Status` object in an error body, or {} when the body is something else."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return {}
    return doc if isinstance(doc, dict) and doc.get("kind") == "Status" else {}


def status_error(status: int, body: bytes, ctx: Context, *, retries: int = 0) -> errors.KubeError:
    """The error for an HTTP status >= 400 and its body."""
    doc = parse_status(body)
    details = types.as_object(doc.get("details"))
    what = _what(ctx, details)
    reason = _text(doc.get("reason"))
    if status == 401:
        return errors.Unauthorized(
            f"Unauthorized: the API server did not accept the server's {ctx.principal} "
            "(expired, revoked or for another cluster)."
        )
    if status == 403:
        return _forbidden(doc, ctx, what)
    if status == 404:
        return _not_found(ctx, details, what)
    if status == 409:
        return _conflict(reason, ctx, what)
    if status == 410:
        return _gone(ctx)
    if status in (400, 422):
        return errors.Invalid(f"The API server rejected {what}: {_detail(doc)}.", status=status)
    if status == 429:
        after = f" after {retries} retries" if retries else ""
        return errors.TooManyRequests(
            f"The API server is rate-limiting requests (429 Too Many Requests){after}; "
            "try again in a few seconds."
        )
    if status == 504 or reason == "Timeout":
        return errors.Timeout(
            "The API server timed out while handling the request; try again or ask for less."
        )
    if status == 500 and doc.get("message"):  # e.g. a failing admission webhook: worth saying which
        return errors.Unavailable(f"The API server failed the request: {_detail(doc)}.", status=status)
    if status >= 500:
        return errors.Unavailable(
            f"The API server could not handle the request (HTTP {status}); try again shortly.", status=status
        )
    return errors.KubeError(f"The API server refused the request for {what} (HTTP {status}).", status=status)


def transport_error(exc: BaseException, timeout: float) -> errors.KubeError:
    """A failure before any HTTP status: refused, unresolvable, TLS, cut, or no answer in time."""
    import urllib3.exceptions as u3

    if isinstance(exc, u3.MaxRetryError) and exc.reason is not None:
        exc = exc.reason
    if isinstance(exc, u3.SSLError):
        return errors.Unavailable(
            "The TLS handshake with the API server failed (certificate not trusted, "
            "wrong server name, or not a TLS endpoint)."
        )
    if isinstance(exc, u3.NameResolutionError):
        return errors.Unavailable("Cannot reach the API server: its host name does not resolve.")
    if isinstance(exc, u3.NewConnectionError):
        return errors.Unavailable(
            "Cannot reach the API server: the connection was refused or the network is unreachable."
        )
    if isinstance(exc, u3.TimeoutError | TimeoutError):
        return errors.Timeout(f"The API server did not answer within {timeout:g} s.")
    if isinstance(exc, u3.ProtocolError | u3.HTTPError | ConnectionError):
        return errors.Unavailable("The connection to the API server broke before it answered; try again.")
    return errors.Unavailable("The API server could not be reached; try again shortly.")


def _what(ctx: Context, details: dict[str, Any]) -> str:
    resource = _text(details.get("kind")) or ctx.resource or "the resource"
    group = _text(details.get("group")) or ctx.group
    name = _text(details.get("name")) or ctx.name
    shown = _qualified(resource, group) if "." not in resource else resource
    return f'{shown} "{clean(name, 253)}"' if name else shown


def _qualified(resource: str, group: str | None) -> str:
    """`deployments` + `apps` -> `deployments.apps`; a subresource stays last: `deployments.apps/scale`."""
    if not group:
        return resource
    plural, slash, sub = resource.partition("/")
    return f"{plural}.{group}{slash}{sub}"


def _where(ctx: Context) -> str:
    if not ctx.namespaced:
        return ""
    if ctx.namespace:
        return f' in namespace "{ctx.namespace}"'
    return " across all namespaces" if ctx.verb == "list" else ""


def _forbidden(doc: dict[str, Any], ctx: Context, what: str) -> errors.KubeError:
    message = _text(doc.get("message"))
    if _RBAC_DENIAL.search(message) or not message:
        shown = _qualified(ctx.resource or "this resource", ctx.group)
        return errors.Forbidden(
            f"Forbidden: the server's {ctx.principal} may not {ctx.verb} {shown}{_where(ctx)}."
        )
    return errors.Forbidden(f"Forbidden: a cluster policy refused {what}{_where(ctx)}: {_detail(doc)}.")


def _not_found(ctx: Context, details: dict[str, Any], what: str) -> errors.KubeError:
    if not details.get("name") and not ctx.name:
        return errors.NotFound(
            f"The API server does not serve {what} (the resource type may have been removed)."
        )
    where = "" if details.get("kind") == "namespaces" else _where(ctx)
    return errors.NotFound(f"{what} not found{where}.")


def _conflict(reason: str, ctx: Context, what: str) -> errors.KubeError:
    if reason == "AlreadyExists":
        return errors.Conflict(f"{what} already exists{_where(ctx)}.")
    return errors.Conflict(f"{what} was changed by someone else since it was read; get it again and retry.")


def _gone(ctx: Context) -> errors.KubeError:
    if ctx.continued:
        return errors.Gone(
            "The list's continue token has expired; restart the list from the first page "
            "(without a continue token)."
        )
    return errors.Gone("The API server no longer has the requested version of this data; ask again.")


def _detail(doc: dict[str, Any]) -> str:
    """Field causes if the Status has them, else its message without the 'x "y" is invalid:' prefix."""
    details = types.as_object(doc.get("details"))
    causes = [c for c in details.get("causes") or [] if isinstance(c, dict)][:3]
    parts = [": ".join(p for p in (_text(c.get("field")), _text(c.get("message"))) if p) for c in causes]
    text = "; ".join(p for p in parts if p)
    if not text:
        text = re.split(r" is (?:invalid|forbidden): ", _text(doc.get("message")), maxsplit=1)[-1]
    return clean(text).rstrip(".") or "no reason given"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
