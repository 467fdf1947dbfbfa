"""Identity questions to the API server: who we are (SelfSubjectReview) and who a caller's bearer
token belongs to (TokenReview, for network callers of the MCP endpoint).

A TokenReview names the audiences we accept; the answer counts only if the API server says the
token is valid for one of them, so a token minted for the API server itself (or another service)
is refused: an MCP server must not accept tokens that were not issued for it.
"""

from __future__ import annotations

from kube_mcp.k8s import errors, rest, translate, types

API = "/apis/authentication.k8s.io/v1"
API_VERSION = "authentication.k8s.io/v1"


def self_review(principal: str) -> rest.Request:
    return _request("selfsubjectreviews", {"apiVersion": API_VERSION, "kind": "SelfSubjectReview"}, principal)


def token_review(token: str, audiences: tuple[str, ...], principal: str) -> rest.Request:
    spec = {"token": token, "audiences": list(audiences)}
    return _request(
        "tokenreviews", {"apiVersion": API_VERSION, "kind": "TokenReview", "spec": spec}, principal
    )


def username_of(review: types.JSON) -> str:
    """The user a SelfSubjectReview answer names."""
    info = types.as_object(types.as_object(review.get("status")).get("userInfo"))
    username = info.get("username")
    if not isinstance(username, str) or not username:
        raise errors.Unavailable("The API server's SelfSubjectReview named no user.")
    return username


def identity_of(review: types.JSON, audiences: tuple[str, ...]) -> types.Identity | None:
    """The Identity in a TokenReview answer, only if authenticated for one of `audiences`
    (none requested: the API server checked its own audience, and said so)."""
    status = types.as_object(review.get("status"))
    if status.get("authenticated") is not True:
        return None
    granted = tuple(a for a in status.get("audiences") or () if isinstance(a, str))
    if audiences and not set(audiences) & set(granted):
        return None
    user = types.as_object(status.get("user"))
    username = user.get("username")
    if not isinstance(username, str) or not username:
        return None
    groups = tuple(g for g in user.get("groups") or () if isinstance(g, str))
    return types.Identity(username=username, groups=groups, audiences=granted)


def _request(resource: str, body: types.JSON, principal: str) -> rest.Request:
    """A create that stores nothing, so it is retried like a read."""
    context = translate.Context(
        "create", resource, group="authentication.k8s.io", namespaced=False, principal=principal
    )
    return rest.Request(
        "review", "POST", f"{API}/{resource}", context, body=rest.json_body(body), content_type=rest.JSON_TYPE
    )
