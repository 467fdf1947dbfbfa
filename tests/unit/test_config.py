"""Settings come from the environment and flags, with the seed's names, and fail in one line."""

from __future__ import annotations

import pathlib

import pytest

from kube_mcp import config


def test_defaults_match_the_seed() -> None:
    settings = config.from_env({})
    assert (settings.http, settings.port, settings.host) == (False, 3000, "127.0.0.1")
    assert settings.request_timeout == 10.0
    assert not settings.read_only and not settings.non_destructive


def test_seed_variables_switch_on_http_and_non_destructive_mode() -> None:
    settings = config.from_env(
        {"ENABLE_UNSAFE_SSE_TRANSPORT": "1", "PORT": "3001", "ALLOW_ONLY_NON_DESTRUCTIVE_TOOLS": "true"}
    )
    assert settings.http and settings.port == 3001 and settings.non_destructive


def test_flags_win_over_the_environment() -> None:
    settings = config.from_env({"PORT": "3001"}, ["--port", "4000", "--read-only"])
    assert settings.port == 4000 and settings.read_only


def test_kubeconfig_path_is_an_alias_of_kubeconfig() -> None:
    assert config.from_env({"KUBECONFIG_PATH": "/k"}).kubeconfig == "/k"
    assert config.from_env({"KUBECONFIG_PATH": "/k", "KUBECONFIG": "/a"}).kubeconfig == "/a"


def test_allowed_tools_is_a_comma_separated_list() -> None:
    settings = config.from_env({"ALLOWED_TOOLS": "list_pods, get_logs,,"})
    assert settings.allowed_tools == ("list_pods", "get_logs")


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"PORT": "abc"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"ALLOW_ONLY_READONLY_TOOLS": "maybe"}, "ALLOW_ONLY_READONLY_TOOLS"),
        ({"KUBE_MCP_REQUEST_TIMEOUT": "0"}, "KUBE_MCP_REQUEST_TIMEOUT"),
        ({"KUBE_MCP_PAGE_SIZE": "0"}, "KUBE_MCP_PAGE_SIZE"),
        ({"KUBE_MCP_LOG_LEVEL": "loud"}, "KUBE_MCP_LOG_LEVEL"),
        ({"K8S_TOKEN": "t"}, "K8S_TOKEN"),
        ({"KUBE_MCP_AUTH_TOKEN": "a", "KUBE_MCP_AUTH_TOKEN_FILE": "/f"}, "KUBE_MCP_AUTH_TOKEN"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_variable(environ: dict[str, str], named: str) -> None:
    with pytest.raises(config.ConfigError) as caught:
        config.from_env(environ)
    message = str(caught.value)
    assert message.startswith(f"{named}:") and "\n" not in message


def test_settings_are_frozen() -> None:
    settings = config.from_env({})
    with pytest.raises(AttributeError):
        settings.port = 1  # type: ignore[misc]


def test_help_lists_every_setting_with_its_variable() -> None:
    text = config.build_parser().format_help()
    for spec in config.SPECS:
        assert spec.flag in text and spec.env in text


def test_readme_documents_every_setting() -> None:
    readme = (pathlib.Path(__file__).parents[2] / "README.md").read_text()
    missing = [spec.env for spec in config.SPECS if f"`{spec.env}`" not in readme]
    assert not missing, f"README lacks {missing}"
