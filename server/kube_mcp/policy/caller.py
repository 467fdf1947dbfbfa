"""Who is calling: the label the audit line carries.

The app layer authenticates HTTP callers and leaves a string on the request
(`request.state.kube_mcp_caller`: "loopback", "token:<name>", "serviceaccount:<ns>:<sa>").
A call that arrives without an HTTP request came over stdio: the user who started the process.
We read the attribute without importing Starlette (tools and policy never import transports).
"""

from __future__ import annotations

MAX_CALLER = 256  # a ServiceAccount label is at most ~330 in theory; 256 keeps lines bounded
STATE_KEY = "kube_mcp_caller"  # the request.state attribute the app layer sets
STDIO = "stdio"
UNKNOWN = "unknown"


def caller_of(request: object | None) -> str:
    """The caller label for a request object (None on stdio)."""
    if request is None:
        return STDIO
    state = getattr(request, "state", None)
    label = getattr(state, STATE_KEY, None)
    if not isinstance(label, str) or not label:
        return UNKNOWN
    return "".join(c if c.isprintable() else "?" for c in label[:MAX_CALLER])
