"""Safety modes: which tools exist in read-only, non-destructive and ALLOWED_TOOLS modes.

The same function decides both what `tools/list` shows and whether `tools/call` runs, so a client
that calls a hidden tool by name gets the same answer the listing implied (a peer's read-only
mode only hid tools from the list and still ran them: CVE-2026-46519).
"""

from __future__ import annotations

import enum

from kube_mcp import config


class Safety(enum.Enum):
    """How much a tool can change: decides which modes register it."""

    READ = "read"  # never writes
    WRITE = "write"  # creates or changes, never removes (hidden by read-only)
    DESTRUCTIVE = "destructive"  # removes or replaces (hidden by read-only and non-destructive)


def refusal(name: str, safety: Safety, settings: config.Settings) -> str | None:
    """None when `name` may run in this mode, else the one-sentence reason it may not."""
    if settings.read_only and safety is not Safety.READ:
        return f'Tool "{name}" is not available: the server runs in read-only mode.'
    if settings.non_destructive and safety is Safety.DESTRUCTIVE:
        return f'Tool "{name}" is not available: the server runs in non-destructive mode.'
    # An empty ALLOWED_TOOLS means unset, as in the seed (`if (process.env.ALLOWED_TOOLS)`).
    if settings.allowed_tools and name not in settings.allowed_tools:
        return f'Tool "{name}" is not available: it is not in the server\'s ALLOWED_TOOLS list.'
    return None


def mode_name(settings: config.Settings) -> str:
    """A short label for logs: "read-only", "non-destructive" or "full" (plus allow-list)."""
    mode = "read-only" if settings.read_only else "non-destructive" if settings.non_destructive else "full"
    return mode + (" + ALLOWED_TOOLS" if settings.allowed_tools else "")
