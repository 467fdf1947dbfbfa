"""Resident memory of a process and its descendants, read from /proc.

VmRSS is what the kernel charges a process right now (shared library pages included), the figure
`ps` and the issue's targets use. Wrappers such as `npx` or an npm shim that starts a Go binary
run the real server as a child, so a server's figure is the sum over its process tree.
"""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")


def vm_rss_kib(pid: int) -> int:
    """VmRSS of one process in KiB; 0 if it is gone or a kernel thread."""
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


def _parent_of(pid: str) -> int | None:
    try:
        stat = (PROC / pid / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name sits in parentheses and may hold spaces: fields resume after the last ')'.
    fields = stat[stat.rfind(")") + 2 :].split()
    return int(fields[1])


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir(PROC):
        if entry.isdigit() and (parent := _parent_of(entry)) is not None:
            children.setdefault(parent, []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def tree_rss_mib(pid: int) -> float:
    """Sum of VmRSS over the process tree, in MiB (the unit of the issue's "64 MB" floor)."""
    return sum(vm_rss_kib(p) for p in descendants(pid)) / 1024


def parse_vm_rss_mib(status_text: str) -> float:
    """VmRSS from the text of a /proc/<pid>/status file, in MiB."""
    for line in status_text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise ValueError("no VmRSS line")
