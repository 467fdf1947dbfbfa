"""Values a model sends: names, namespaces, selectors, resource types, tokens.

Peers leaked credentials through `name="--server=https://evil"` and path tricks (`../..`, `%2F`)
because a value went into a command line or a URL unchecked. We run no commands, and the k8s
layer quotes path segments, but we still refuse such values up front with a
sentence that says what to send instead: a wall that does not depend on a lower layer's quoting.
Kubernetes' own rules: DNS-1123 label (<= 63, namespaces, containers) and subdomain (<= 253,
most object names).
"""

from __future__ import annotations

import re
import string

MAX_SELECTOR = 1024  # selectors are a few dozen characters; 1 KiB is generous and bounded
MAX_TOKEN = 8192  # continue tokens are base64 of a small JSON (~100-500 characters)
SHELL_META = frozenset(";|&$`<>(){}[]*?!~'\"\\#^ \t")

_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
# Names of kinds outside the DNS rules (ClusterRole "system:node", CRDs) only obey the path-segment
# rule; we accept the characters seen in practice.
_OBJECT_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._:@-]*[A-Za-z0-9])?")
_RESOURCE_TYPE = re.compile(r"[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z0-9][A-Za-z0-9-]*)*")
_SELECTOR_CHARS = frozenset(string.ascii_letters + string.digits + "._-/=!,() ")
_FIELD_SELECTOR_CHARS = _SELECTOR_CHARS | {":"}
_TOKEN = re.compile(r"[A-Za-z0-9_=+/-]+")
_SORT_BY = re.compile(r"\{?\.?[A-Za-z0-9_]+(\.[A-Za-z0-9_]+|\[[0-9]+\])*\}?")


class ToolInputError(Exception):
    """The model's arguments are unusable; the message is one sentence telling it what to send."""


def _shown(value: str) -> str:
    """The value as a model can read it back: printable ASCII, at most 60 characters."""
    printable = "".join(c if c.isascii() and c.isprintable() else "?" for c in value[:60])
    return f'"{printable}"' + ("..." if len(value) > 60 else "")


def _reject(what: str, value: str, why: str) -> ToolInputError:
    return ToolInputError(f"{what} {_shown(value)} is not valid: {why}.")


def _common(value: str, what: str, *, slash_ok: bool = False) -> None:
    """The patterns behind published exploits, each with its own message."""
    if not value:
        raise ToolInputError(f"{what} must not be empty.")
    if value.startswith("-"):
        raise _reject(what, value, 'it must not start with "-"')
    if any(c in value for c in "\r\n") or any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise _reject(what, value, "it must not contain newlines or control characters")
    if ".." in value:
        raise _reject(what, value, 'it must not contain ".."')
    if "%" in value:
        raise _reject(what, value, 'it must not contain "%" (no URL-encoded characters such as %2F)')
    if "/" in value and not slash_ok:
        raise _reject(what, value, 'it must not contain "/"')


def _no_shell(value: str, what: str, allowed: frozenset[str] = frozenset()) -> None:
    bad = sorted({c for c in value if c in SHELL_META and c not in allowed})
    if bad:
        raise _reject(what, value, "it must not contain shell characters such as " + " ".join(bad))


def dns_label(value: str, what: str = "name") -> str:
    """A DNS-1123 label: namespaces, container names, services (<= 63, a-z 0-9 -)."""
    return _dns(value, what, 63, _LABEL, "use lower-case letters, digits and '-'")


def namespace(value: str) -> str:
    return dns_label(value, "namespace")


def dns_subdomain(value: str, what: str = "name") -> str:
    """A DNS-1123 subdomain: most object names (<= 253, a-z 0-9 - .)."""
    return _dns(value, what, 253, _SUBDOMAIN, "use lower-case letters, digits, '-' and '.'")


def _dns(value: str, what: str, longest: int, pattern: re.Pattern[str], letters: str) -> str:
    _common(value, what)
    _no_shell(value, what)
    if len(value) > longest:
        raise _reject(what, value, f"it must be at most {longest} characters")
    if not pattern.fullmatch(value):
        raise _reject(what, value, f"{letters}, starting and ending alphanumeric")
    return value


def object_name(value: str, what: str = "name") -> str:
    """A name of any kind (the generic tools): path-segment safe, letters digits . _ : @ -."""
    _common(value, what)
    _no_shell(value, what)
    if len(value) > 253 or not _OBJECT_NAME.fullmatch(value):
        raise _reject(what, value, "use letters, digits, '-', '.', '_', ':' or '@' (at most 253)")
    return value


def resource_type(value: str) -> str:
    """`pods`, `po`, `Deployment`, `deployments.apps`, `certificates.cert-manager.io`."""
    what = "resourceType"
    _common(value, what)
    _no_shell(value, what)
    if len(value) > 253 or not _RESOURCE_TYPE.fullmatch(value):
        raise _reject(what, value, "use a kind or resource such as pods, deployments.apps or Certificate")
    return value


def selector(value: str, what: str = "labelSelector") -> str:
    """A label or field selector: `app=web,tier!=db`, `env in (a,b)`, `status.phase=Running`."""
    _common(value, what, slash_ok=True)  # label keys have prefixes: app.kubernetes.io/name=web
    if len(value) > MAX_SELECTOR:
        raise _reject(what, value, f"it must be at most {MAX_SELECTOR} characters")
    chars = _FIELD_SELECTOR_CHARS if what == "fieldSelector" else _SELECTOR_CHARS
    bad = sorted({c for c in value if c not in chars})
    if bad:
        raise _reject(
            what, value, "selectors use letters, digits, . _ - / = ! , ( ) and spaces; not " + " ".join(bad)
        )
    return value


def continue_token(value: str) -> str:
    """The opaque token a previous page returned; base64 characters only."""
    if not value or len(value) > MAX_TOKEN or not _TOKEN.fullmatch(value):
        raise _reject("continue", value, "pass back exactly the token a previous call returned")
    return value


def sort_by(value: str) -> str:
    """A simple JSONPath such as `.metadata.creationTimestamp` or `{.status.startTime}`."""
    if len(value) > 256 or ".." in value or not _SORT_BY.fullmatch(value):
        raise _reject("sortBy", value, "use a field path such as .metadata.creationTimestamp")
    return value
