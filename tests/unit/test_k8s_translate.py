"""Status bodies and transport failures become one safe sentence in our error vocabulary."""

from __future__ import annotations

import json

import pytest
import urllib3.exceptions as u3

from kube_mcp.k8s import errors, translate


def status(code: int, reason: str, message: str = "", **details: object) -> bytes:
    body = {
        "kind": "Status",
        "apiVersion": "v1",
        "status": "Failure",
        "code": code,
        "reason": reason,
        "message": message,
        "details": details,
    }
    return json.dumps(body).encode()


PODS = translate.Context("get", "pods", name="x", namespace="y", principal="ServiceAccount")


def test_not_found_names_the_object_and_namespace():
    err = translate.status_error(
        404, status(404, "NotFound", 'pods "x" not found', name="x", kind="pods"), PODS
    )
    assert isinstance(err, errors.NotFound)
    assert str(err) == 'pods "x" not found in namespace "y".'


def test_not_found_of_a_grouped_resource_shows_its_group():
    ctx = translate.Context("get", "deployments", group="apps", name="web", namespace="y")
    err = translate.status_error(
        404, status(404, "NotFound", name="web", group="apps", kind="deployments"), ctx
    )
    assert str(err) == 'deployments.apps "web" not found in namespace "y".'


def test_not_found_namespace_is_not_placed_inside_itself():
    ctx = translate.Context("create", "configmaps", name="c", namespace="missing")
    body = status(404, "NotFound", 'namespaces "missing" not found', name="missing", kind="namespaces")
    assert str(translate.status_error(404, body, ctx)) == 'namespaces "missing" not found.'


def test_not_found_without_a_name_says_the_type_is_not_served():
    ctx = translate.Context("list", "widgets", group="example.com", namespace="y")
    err = translate.status_error(
        404, status(404, "NotFound", "the server could not find the requested resource"), ctx
    )
    assert isinstance(err, errors.NotFound)
    assert "does not serve widgets.example.com" in str(err)


def test_rbac_forbidden_says_who_may_not_do_what_where():
    ctx = translate.Context("delete", "pods", name="x", namespace="y", principal="ServiceAccount")
    message = (
        'pods "x" is forbidden: User "system:serviceaccount:y:nobody" cannot delete resource "pods" '
        'in API group "" in the namespace "y"'
    )
    err = translate.status_error(403, status(403, "Forbidden", message, name="x", kind="pods"), ctx)
    assert isinstance(err, errors.Forbidden)
    assert str(err) == 'Forbidden: the server\'s ServiceAccount may not delete pods in namespace "y".'
    assert "system:serviceaccount" not in str(err)


def test_rbac_forbidden_list_across_namespaces_and_cluster_scope():
    everywhere = translate.Context("list", "deployments", group="apps", namespace=None)
    nodes = translate.Context("list", "nodes", namespaced=False)
    body = status(403, "Forbidden", 'x is forbidden: User "u" cannot list resource "deployments"')
    assert str(translate.status_error(403, body, everywhere)) == (
        "Forbidden: the server's credentials may not list deployments.apps across all namespaces."
    )
    assert (
        str(translate.status_error(403, body, nodes))
        == "Forbidden: the server's credentials may not list nodes."
    )


def test_admission_denial_is_not_blamed_on_rbac_and_keeps_the_reason():
    ctx = translate.Context("create", "pods", name="p", namespace="y")
    message = 'pods "p" is forbidden: violates PodSecurity "restricted:latest": privileged (container "c")'
    err = translate.status_error(403, status(403, "Forbidden", message, name="p", kind="pods"), ctx)
    assert isinstance(err, errors.Forbidden)
    assert str(err) == (
        'Forbidden: a cluster policy refused pods "p" in namespace "y": violates PodSecurity '
        '"restricted:latest": privileged (container "c").'
    )


def test_invalid_lists_field_causes():
    ctx = translate.Context("create", "deployments", group="apps", name="web", namespace="y")
    causes = [
        {
            "reason": "FieldValueInvalid",
            "message": "Invalid value: -1: must be greater than or equal to 0",
            "field": "spec.replicas",
        }
    ]
    body = status(
        422,
        "Invalid",
        'Deployment.apps "web" is invalid: ...',
        name="web",
        group="apps",
        kind="Deployment",
        causes=causes,
    )
    err = translate.status_error(422, body, ctx)
    assert isinstance(err, errors.Invalid)
    assert str(err) == (
        'The API server rejected Deployment.apps "web": spec.replicas: Invalid value: -1: '
        "must be greater than or equal to 0."
    )


def test_bad_request_keeps_the_server_reason_on_one_clean_line():
    ctx = translate.Context("list", "pods", namespace="y")
    body = status(
        400, "BadRequest", "unable to parse requirement:\n\x1b[31mfound '!'\u202e, expected: identifier"
    )
    err = translate.status_error(400, body, ctx)
    assert isinstance(err, errors.Invalid) and err.status == 400
    assert "\n" not in str(err) and "\x1b" not in str(err) and "\u202e" not in str(err)
    assert "unable to parse requirement" in str(err)


def test_long_cluster_text_is_capped():
    ctx = translate.Context("create", "pods", name="p", namespace="y")
    err = translate.status_error(422, status(422, "Invalid", "v" * 5000), ctx)
    assert len(str(err)) < translate.MAX_DETAIL + 100


def test_conflicts_distinguish_already_exists_from_a_stale_write():
    ctx = translate.Context("create", "configmaps", name="c", namespace="y")
    exists = translate.status_error(409, status(409, "AlreadyExists", name="c", kind="configmaps"), ctx)
    stale = translate.status_error(409, status(409, "Conflict", name="c", kind="configmaps"), ctx)
    assert isinstance(exists, errors.Conflict) and isinstance(stale, errors.Conflict)
    assert str(exists) == 'configmaps "c" already exists in namespace "y".'
    assert "changed by someone else" in str(stale)


def test_gone_on_a_continue_token_says_to_restart_the_list():
    ctx = translate.Context("list", "configmaps", namespace="y", continued=True)
    err = translate.status_error(
        410, status(410, "Expired", "The provided continue parameter is too old"), ctx
    )
    assert isinstance(err, errors.Gone)
    assert "restart the list from the first page" in str(err)


def test_throttling_and_server_failures():
    ctx = translate.Context("get", "pods", name="x", namespace="y")
    throttled = translate.status_error(429, status(429, "TooManyRequests"), ctx, retries=3)
    assert isinstance(throttled, errors.TooManyRequests) and "after 3 retries" in str(throttled)
    assert isinstance(translate.status_error(503, b"<html>busy</html>", ctx), errors.Unavailable)
    assert isinstance(translate.status_error(504, status(504, "Timeout"), ctx), errors.Timeout)
    assert isinstance(translate.status_error(500, status(500, "Timeout", "timed out"), ctx), errors.Timeout)


def test_unauthorized_never_repeats_the_body():
    body = b'{"kind":"Status","message":"Bearer eyJsecret rejected"}'
    err = translate.status_error(401, body, PODS)
    assert isinstance(err, errors.Unauthorized) and "eyJ" not in str(err)


def test_a_body_that_is_not_a_status_is_ignored():
    err = translate.status_error(418, b'{"token": "s3cret", "kind": "Secret"}', PODS)
    assert type(err) is errors.KubeError and err.status == 418
    assert "s3cret" not in str(err)


@pytest.mark.parametrize(
    ("exc", "kind", "words"),
    [
        (u3.NewConnectionError(None, "Connection refused"), errors.Unavailable, "refused"),
        (u3.NameResolutionError("nohost", None, OSError("x")), errors.Unavailable, "does not resolve"),
        (u3.ConnectTimeoutError(None, "timed out"), errors.Timeout, "within 2.5 s"),
        (u3.ReadTimeoutError(None, "/x", "read timed out"), errors.Timeout, "within 2.5 s"),
        (u3.SSLError("certificate verify failed"), errors.Unavailable, "TLS"),
        (u3.ProtocolError("Connection aborted.", ConnectionResetError()), errors.Unavailable, "broke"),
        (ConnectionResetError(104, "reset"), errors.Unavailable, "broke"),
        (OSError("weird"), errors.Unavailable, "could not be reached"),
    ],
)
def test_transport_failures_map_to_unavailable_or_timeout(exc, kind, words):
    err = translate.transport_error(exc, 2.5)
    assert type(err) is kind
    assert words in str(err)


def test_an_internal_error_keeps_the_servers_cause():
    ctx = translate.Context("create", "pods", name="p", namespace="y")
    message = 'Internal error occurred: failed calling webhook "check.example.com": connection refused'
    err = translate.status_error(500, status(500, "InternalError", message), ctx)
    assert isinstance(err, errors.Unavailable) and err.status == 500
    assert 'failed calling webhook "check.example.com"' in str(err)
