"""The `kube-mcp` command line (kube_mcp.cli): bad settings end in one line and exit 2, --help
lists every setting, and stdio serves without loading the HTTP stack or `kubernetes`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kube_mcp import cli, config, mcp_server

CLEAN_ENV = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG", "SYSTEMROOT")}


@pytest.fixture
def no_settings_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for spec in config.SPECS:
        for name in (spec.env, *spec.aliases):
            monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_settings_env")
def test_a_bad_setting_prints_one_line_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PORT", "99999")
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    assert err == "kube-mcp: PORT: expected a port from 1 to 65535, got '99999'\n"


@pytest.mark.usefixtures("no_settings_env")
def test_unknown_allowed_tools_are_named_with_the_valid_ones(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ALLOWED_TOOLS", "list_pods,drop_database")
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("kube-mcp: ALLOWED_TOOLS: unknown tool drop_database; valid names: ")
    for name in mcp_server.tool_names():
        assert name in err


def test_help_lists_every_setting_with_its_variable(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for spec in config.SPECS:
        assert spec.flag in out and spec.env in out


STDIO_PROBE = """
import atexit, sys
from kube_mcp import cli
def report():
    heavy = sorted({m.split(".")[0] if not m.startswith("kube_mcp.") else m for m in sys.modules
                    if m.startswith(("kubernetes", "urllib3", "kube_mcp.app."))} - {"kube_mcp.app.stdio"})
    print("LOADED", heavy, file=sys.stderr)
atexit.register(report)
raise SystemExit(cli.main([]))
"""
REQUESTS = [
    {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": {"name": "t", "version": "1"},
        },
    },
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
    {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
]


def test_stdio_lists_tools_without_loading_our_http_app_or_kubernetes() -> None:
    # (uvicorn itself is loaded by the SDK: sse_starlette imports it to patch its signal handler)
    stdin = "".join(json.dumps(request) + "\n" for request in REQUESTS)
    env = {**CLEAN_ENV, "KUBECONFIG": "/nonexistent/kubeconfig"}
    done = subprocess.run(
        [sys.executable, "-c", STDIO_PROBE], input=stdin, capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [answer["id"] for answer in answers] == [1, 2]  # stdout carries only the wire
    assert {tool["name"] for tool in answers[1]["result"]["tools"]} == set(mcp_server.tool_names())
    assert "LOADED []" in done.stderr
