"""The response cap: no answer longer than settings.max_response_chars, and an honest note.

A model cannot scroll. When we cut, the last line says what was shown, of how many, and the
exact call that gets the rest (`continue="<token>"`, a smaller `limit`, `tail`, a selector).
Cuts fall on line or item boundaries, never inside a row. The note is budgeted first, so the
whole answer, note included, stays under the cap.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

NOTE_RESERVE = 260  # characters kept for a note besides the continue token it may quote (longest ~220)


@dataclasses.dataclass(frozen=True, slots=True)
class Page:
    """What a list page was, for its note."""

    plural: str  # "pods"
    rows: int  # rows the API server returned in this page
    continue_token: str | None  # the token for the next page, if any
    remaining: int | None  # remainingItemCount after this page, when the server knows it
    continued: bool  # this page itself came from a continue token
    how: str = "call again with"  # resources say "call kubectl_get with"


def fit(lines: Sequence[str], budget: int) -> int:
    """How many leading lines fit in `budget` characters, newlines counted."""
    used = 0
    for count, line in enumerate(lines):
        used += len(line) + 1
        if used > budget:
            return count
    return len(lines)


def page_note(page: Page, shown: int, max_chars: int) -> str | None:
    """The note under a list page, or None when the page is complete and the last one."""
    if shown < page.rows:
        where = "this page's " if page.continued else ""
        steps = "limit and the same continue token" if page.continued else "limit"
        return (
            f"showing {shown} of {where}{page.rows} {page.plural}: answers are capped at {max_chars} "
            f"characters; {page.how} a smaller {steps} (limit={max(shown, 1)}) or a narrower "
            "selector to see the rest"
        )
    if not page.continue_token:
        return None
    if page.continued:
        left = f", ~{page.remaining} left after these" if page.remaining else ""
        counted = f"showing {shown} more {page.plural}{left}"
    else:
        total = f" of ~{shown + page.remaining}" if page.remaining else ""
        counted = f"showing {shown}{total} {page.plural}"
    return f'{counted}; {page.how} continue="{page.continue_token}" for the next page'


def list_text(header: str | None, lines: Sequence[str], page: Page, max_chars: int) -> tuple[str, int]:
    """Header (if any), as many rows as fit, and the note; returns (text, rows shown)."""
    reserve = NOTE_RESERVE + len(page.continue_token or "") + len(header or "") + 1
    shown = fit(lines, max(max_chars - reserve, 0))
    note = page_note(page, shown, max_chars)
    body = "\n".join([header, *lines[:shown]] if header is not None else lines[:shown])
    return (body + (f"\n\n({note})" if note else "")), shown


def cut(text: str, max_chars: int, hint: str, *, keep_end: bool = False) -> str:
    """`text` itself if it fits; else its head (or tail) at a line boundary and a note with `hint`."""
    if len(text) <= max_chars:
        return text
    budget = max(max_chars - NOTE_RESERVE - len(hint), 0)
    if keep_end:
        kept = text[len(text) - budget :]
        newline = kept.find("\n")
        kept = kept[newline + 1 :] if 0 <= newline < len(kept) - 1 else kept
        note = f"(cut: showing the last {len(kept)} of {len(text)} characters; {hint})"
        return f"{note}\n\n{kept}"
    kept = text[:budget]
    newline = kept.rfind("\n")
    kept = kept[:newline] if newline > 0 else kept
    return f"{kept}\n\n(cut: showing the first {len(kept)} of {len(text)} characters; {hint})"
