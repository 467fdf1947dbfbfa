"""Modes decide which tools exist; the same decision refuses a call, with one sentence."""

from __future__ import annotations

from kube_mcp import config
from kube_mcp.policy import caller, modes

READ, WRITE, DESTRUCTIVE = modes.Safety.READ, modes.Safety.WRITE, modes.Safety.DESTRUCTIVE


def test_full_mode_allows_everything() -> None:
    settings = config.Settings()
    assert all(modes.refusal("t", s, settings) is None for s in modes.Safety)


def test_read_only_refuses_writes_and_deletes() -> None:
    settings = config.Settings(read_only=True)
    assert modes.refusal("list_pods", READ, settings) is None
    assert modes.refusal("scale_deployment", WRITE, settings) == (
        'Tool "scale_deployment" is not available: the server runs in read-only mode.'
    )
    assert modes.refusal("delete_pod", DESTRUCTIVE, settings) == (
        'Tool "delete_pod" is not available: the server runs in read-only mode.'
    )


def test_non_destructive_refuses_only_deletes() -> None:
    settings = config.Settings(non_destructive=True)
    assert modes.refusal("scale_deployment", WRITE, settings) is None
    assert modes.refusal("delete_pod", DESTRUCTIVE, settings) == (
        'Tool "delete_pod" is not available: the server runs in non-destructive mode.'
    )


def test_allowed_tools_refuses_every_other_tool() -> None:
    settings = config.Settings(allowed_tools=("list_pods", "delete_pod"))
    assert modes.refusal("list_pods", READ, settings) is None
    assert modes.refusal("delete_pod", DESTRUCTIVE, settings) is None
    assert modes.refusal("get_logs", READ, settings) == (
        'Tool "get_logs" is not available: it is not in the server\'s ALLOWED_TOOLS list.'
    )


def test_allowed_tools_cannot_reopen_what_read_only_closes() -> None:
    settings = config.Settings(read_only=True, allowed_tools=("delete_pod",))
    assert "read-only" in str(modes.refusal("delete_pod", DESTRUCTIVE, settings))


def test_an_empty_allowed_tools_list_means_unset_as_in_the_seed() -> None:
    assert modes.refusal("get_logs", READ, config.from_env({"ALLOWED_TOOLS": ""})) is None


def test_mode_names_for_logs() -> None:
    assert modes.mode_name(config.Settings()) == "full"
    assert (
        modes.mode_name(config.Settings(read_only=True, allowed_tools=("a",))) == "read-only + ALLOWED_TOOLS"
    )


class _State:
    kube_mcp_caller = "serviceaccount:team:bot"


class _Request:
    state = _State()


def test_the_caller_comes_from_the_request_state_or_is_stdio() -> None:
    assert caller.caller_of(_Request()) == "serviceaccount:team:bot"
    assert caller.caller_of(None) == "stdio"
    assert caller.caller_of(object()) == "unknown"
