"""Which imports a cold start pays for beyond the SDK floor (`python -X importtime`, attributed).

The server runs over stdio with PYTHONPROFILEIMPORTTIME=1 up to its first `tools/list` answer;
the interpreter writes one `import time:` line per module to stderr. The floor's module set comes
from the same trace of `python -c "import mcp.server.mcpserver"`. Modules the floor does not
load are grouped by top-level package and summed by their self time (so nothing is counted
twice); the median of a few runs is reported. That is the list of what to defer or drop.
"""

from __future__ import annotations

import collections
import os
import re
import statistics
import subprocess
from collections.abc import Mapping, Sequence

import stdio_rpc

LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)\s*$")


def parse(trace: str) -> dict[str, int]:
    """module -> self time in microseconds."""
    selfs: dict[str, int] = {}
    for line in trace.splitlines():
        match = LINE.match(line)
        if match:
            selfs[match.group(4)] = int(match.group(1))
    return selfs


def floor_modules(python: str) -> set[str]:
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run(
        [python, "-c", "import mcp.server.mcpserver"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    return set(parse(done.stderr))


def server_trace(argv: Sequence[str], env: Mapping[str, str]) -> str:
    with stdio_rpc.StdioServer(argv, {**env, "PYTHONPROFILEIMPORTTIME": "1"}) as server:
        server.initialize()
        server.list_tools()
        return server.stderr_text()


def extra_imports(
    python: str, argv: Sequence[str], env: Mapping[str, str], runs: int = 3, top: int = 12
) -> list[tuple[str, float, int]]:
    """(top-level package, median milliseconds of self time over `runs`, modules) for what the
    floor does not import; one trace alone is noisy on a shared machine."""
    floor = floor_modules(python)
    samples: dict[str, list[int]] = collections.defaultdict(list)
    counts: dict[str, int] = {}
    for _ in range(runs):
        totals: dict[str, int] = collections.Counter()
        modules: dict[str, int] = collections.Counter()
        for module, micros in parse(server_trace(argv, env)).items():
            if module not in floor:
                totals[module.split(".")[0]] += micros
                modules[module.split(".")[0]] += 1
        for package, micros in totals.items():
            samples[package].append(micros)
        counts.update(modules)
    medians = {
        package: statistics.median(values + [0] * (runs - len(values))) for package, values in samples.items()
    }
    ranked = sorted(medians.items(), key=lambda item: -item[1])[:top]
    return [(package, micros / 1000, counts[package]) for package, micros in ranked]
