"""Plain-text tables and the PASS/MISS lines, printed as each section finishes.

Printing as we go (flushed) means a run stopped half-way still leaves the figures it measured.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence


@dataclasses.dataclass(frozen=True, slots=True)
class Target:
    name: str
    measured: str  # the figure, with its unit
    limit: str  # the target, with its unit
    passed: bool | None  # None: not measured in this run

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "MISS", None: "n/a"}[self.passed]


def heading(title: str) -> None:
    print(f"\n{title}", flush=True)


def line(text: str) -> None:
    print(f"  {text}", flush=True)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A left-aligned first column and right-aligned figures, two spaces apart."""
    full = [headers, *(row for row in rows if len(row) == len(headers))]
    widths = [max(len(str(row[i])) for row in full) for i in range(len(headers))]
    widths[0] = max(len(str(row[0])) for row in [headers, *rows])
    for row in [headers, *rows]:
        if len(row) < len(headers):  # a one-cell row (an "unavailable: ..." line) spans the figures
            cells = [str(row[0]).ljust(widths[0]), *(str(c) for c in row[1:])]
        else:
            cells = [str(row[0]).ljust(widths[0])] + [
                str(c).rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
            ]
        print("  " + "  ".join(cells).rstrip(), flush=True)


def targets(results: Sequence[Target]) -> None:
    heading("Targets (each a ratio or difference measured in this run)")
    width = max(len(t.name) for t in results)
    for t in results:
        line(f"{t.name.ljust(width)}  {t.verdict:4}  {t.measured}   (target {t.limit})")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"
