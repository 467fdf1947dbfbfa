"""Cluster text is data: strip what could drive a terminal or hide text from a reader.

Logs, event messages, annotations and even object names are written by whoever runs workloads
in the cluster, so they may carry terminal escapes (ANSI CSI/OSC: recolour, retitle, hyperlink),
C0/C1 control characters, bidi overrides (U+202E turns "exe.txt" into "txt.exe" on screen) and
invisible characters used to smuggle instructions past a human reviewer (zero-width marks,
Unicode tag characters U+E0000-U+E007F). We keep newlines and tabs, drop everything else.
"""

from __future__ import annotations

import re
from typing import Any

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), other escapes (ESC, intermediates, one final:
# ESC c reset, ESC 7 save cursor, ESC ( B charset), and the 8-bit CSI (0x9b).
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]{0,2048}(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]|\x9b[0-?]*[ -/]*[@-~]"
)

_DROPPED = [c for c in range(0x20) if c not in (0x09, 0x0A)] + list(range(0x7F, 0xA0))  # C0, DEL, C1
_DROPPED += [0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF]  # ALM, zero-width, LRM/RLM
_DROPPED += list(range(0x202A, 0x202F)) + list(range(0x2066, 0x206A))  # bidi embeddings/isolates
_DROPPED += list(range(0xE0000, 0xE0080))  # tag characters ("ASCII smuggling")
_TABLE = dict.fromkeys(_DROPPED)


def clean(text: str) -> str:
    """`text` without escapes, control characters (but \\n and \\t) or bidi/invisible marks."""
    if text.isascii() and text.isprintable():
        return text  # the common case: nothing to do, no copies
    return _ANSI.sub("", text).translate(_TABLE)


def clean_tree(value: Any) -> Any:
    """A copy of a parsed-JSON value with every string (keys too) cleaned."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(str(k)): clean_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_tree(v) for v in value]
    return value
