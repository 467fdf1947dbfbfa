"""Cold start to a completed `tools/list` over stdio, and resident memory right after it.

A run spawns the server, sends `initialize`, `notifications/initialized` and `tools/list`, and
stops the clock when the tools/list answer has arrived; VmRSS of the server's process tree is read
at that moment. The floor is `python -c "import mcp.server.mcpserver"` with the same interpreter:
the SDK's own import cost, which no server built on it can beat. Runs are interleaved by the
caller (floor, server, floor, server, ...) so a slow moment on the machine hits both, and the
median of each is reported.
"""

from __future__ import annotations

import dataclasses
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence

import procmem
import stdio_rpc

# The status goes out (flushed) right after the import, so the first byte marks "import done" and
# end of file marks exit: the floor is to exit; the stricter one stops when import is done.
FLOOR_CODE = (
    "import mcp.server.mcpserver, sys; sys.stdout.write(open('/proc/self/status').read()); sys.stdout.flush()"
)


@dataclasses.dataclass(slots=True)
class Series:
    """Repeated measurements of one subject; `error` set when it could not be measured at all."""

    name: str
    seconds: list[float] = dataclasses.field(default_factory=list)
    imported: list[float] = dataclasses.field(default_factory=list)  # floor only: to "import done"
    rss_mib: list[float] = dataclasses.field(default_factory=list)
    tools: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.seconds)

    @property
    def median_seconds(self) -> float:
        return statistics.median(self.seconds)

    @property
    def median_rss(self) -> float:
        return statistics.median(self.rss_mib)


def floor_once(python: str, series: Series) -> None:
    """One `import mcp.server.mcpserver` in a fresh interpreter: wall time to exit and to the end of
    the import, and its VmRSS."""
    started = time.perf_counter()
    with subprocess.Popen(
        [python, "-c", FLOOR_CODE], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    ) as proc:
        assert proc.stdout is not None
        first = proc.stdout.read(1)
        imported = time.perf_counter()
        rest = proc.stdout.read()
        if proc.wait(60) != 0 or not first:
            raise RuntimeError("python -c 'import mcp.server.mcpserver' failed")
    series.seconds.append(time.perf_counter() - started)
    series.imported.append(imported - started)
    series.rss_mib.append(procmem.parse_vm_rss_mib((first + rest).decode()))


def server_once(argv: Sequence[str], env: Mapping[str, str], series: Series, timeout: float = 60.0) -> None:
    """One cold start to tools/list; on failure records a one-line reason in `series.error`."""
    server = stdio_rpc.StdioServer(argv, env)
    try:
        server.initialize(timeout)
        tools = server.list_tools(timeout)
        elapsed = time.perf_counter() - server.started
        series.rss_mib.append(procmem.tree_rss_mib(server.pid))
        series.seconds.append(elapsed)
        series.tools = len(tools)
    except (stdio_rpc.RpcError, OSError, KeyError, TypeError, AttributeError) as exc:
        series.error = stdio_rpc.one_line(str(exc) or type(exc).__name__)
    finally:
        server.close()


def run_interleaved(
    python: str,
    subjects: Sequence[tuple[str, Sequence[str], Mapping[str, str]]],
    runs: int,
) -> tuple[Series, list[Series]]:
    """The floor and each subject, `runs` times each in turn, after one discarded warm-up of each
    (the first run pays for a cold page cache, which is not what a user restarting a server sees)."""
    floor = Series("SDK floor: import mcp.server.mcpserver")
    results = [Series(name) for name, _, _ in subjects]
    floor_once(python, Series("warm-up"))
    for _, argv, env in subjects:
        server_once(argv, env, Series("warm-up"))
    for _ in range(runs):
        floor_once(python, floor)
        for (_, argv, env), series in zip(subjects, results, strict=True):
            if series.error is None:
                server_once(argv, env, series)
    return floor, results
