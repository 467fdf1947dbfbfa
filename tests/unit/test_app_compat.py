"""The seed's hand-typed SSE demo (kube_mcp.app.compat): routing before `initialize`, folding
`namespace` into the arguments, and the shape of the answers."""

from __future__ import annotations

import json

import mcp_types as types
import pytest

from kube_mcp.app import compat

SEED_DEMO = (
    b'{"jsonrpc": "2.0", "id": 1234, "method": "tools/call", '
    b'"params": {"name": "list_pods", "namespace": "default"}}'
)


def parse(raw: bytes | str) -> types.JSONRPCMessage:
    return types.jsonrpc_message_adapter.validate_json(raw, by_name=False)


def request(method: str, params: dict[str, object] | None = None) -> types.JSONRPCMessage:
    return types.JSONRPCRequest(jsonrpc="2.0", id=1, method=method, params=params)


def test_the_seed_demo_on_a_fresh_session_is_run_here() -> None:
    assert compat.SessionState().route(parse(SEED_DEMO)) is compat.Route.TOOL_CALL


def test_namespace_beside_name_becomes_the_arguments() -> None:
    message = parse(SEED_DEMO)
    assert isinstance(message, types.JSONRPCRequest)
    assert compat.tool_call_params(message.params) == ("list_pods", {"namespace": "default"})


def test_explicit_arguments_win_and_meta_is_never_an_argument() -> None:
    params = {"name": "list_pods", "arguments": {"namespace": "a"}, "namespace": "b", "_meta": {"x": 1}}
    assert compat.tool_call_params(params) == ("list_pods", {"namespace": "a"})
    assert compat.tool_call_params({"name": "list_nodes", "_meta": {"x": 1}}) == ("list_nodes", {})


@pytest.mark.parametrize(
    ("params", "says"),
    [(None, "params.name"), ({"name": ""}, "params.name"), ({"name": "x", "arguments": [1]}, "JSON object")],
)
def test_unusable_tool_calls_say_what_to_send(params: dict[str, object] | None, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        compat.tool_call_params(params)


def test_other_requests_before_initialize_are_refused() -> None:
    assert compat.SessionState().route(request("tools/list")) is compat.Route.REFUSE


@pytest.mark.parametrize("method", ["initialize", "ping", "server/discover"])
def test_handshake_requests_go_to_the_server(method: str) -> None:
    assert compat.SessionState().route(request(method)) is compat.Route.SERVER


def test_after_initialize_everything_goes_to_the_server() -> None:
    state = compat.SessionState()
    state.route(request("initialize"))
    assert state.route(parse(SEED_DEMO)) is compat.Route.SERVER
    assert state.route(request("tools/list")) is compat.Route.SERVER


def test_a_2026_request_carries_its_own_envelope_and_needs_no_initialize() -> None:
    state = compat.SessionState()
    meta = {types.PROTOCOL_VERSION_META_KEY: "2026-07-28"}
    assert state.route(request("tools/list", {"_meta": meta})) is compat.Route.SERVER
    assert state.route(parse(SEED_DEMO)) is compat.Route.SERVER


def test_notifications_and_responses_go_to_the_server() -> None:
    state = compat.SessionState()
    assert (
        state.route(parse('{"jsonrpc": "2.0", "method": "notifications/initialized"}')) is compat.Route.SERVER
    )
    assert state.route(parse('{"jsonrpc": "2.0", "id": 3, "result": {}}')) is compat.Route.SERVER


def test_the_refusal_spells_out_the_initialize_request() -> None:
    sent = json.loads(compat.error_message(7, types.INVALID_REQUEST, compat.NOT_INITIALIZED))
    assert sent["id"] == 7 and sent["error"]["code"] == types.INVALID_REQUEST
    message = sent["error"]["message"]
    example = message[message.index("{") : message.index("} then") + 1]
    assert json.loads(example)["params"]["protocolVersion"] == "2025-11-25"
    assert "notifications/initialized" in message


def test_a_result_is_a_jsonrpc_response_in_wire_casing() -> None:
    result = types.CallToolResult(
        content=[types.TextContent(type="text", text="NAME  READY")], is_error=False
    )
    sent = json.loads(compat.result_message(1234, result))
    assert sent == {
        "jsonrpc": "2.0",
        "id": 1234,
        "result": {"content": [{"type": "text", "text": "NAME  READY"}], "isError": False},
    }
