"""Cold start: importing the MCP server loads neither the kubernetes client, PyYAML nor jsonschema."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_server_keeps_heavy_modules_unloaded() -> None:
    code = (
        "import sys, kube_mcp.mcp_server as m; m.tool_names(); "
        "print(sorted(n for n in ('kubernetes', 'yaml', 'jsonschema', 'urllib3') if n in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"
