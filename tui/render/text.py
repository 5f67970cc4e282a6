"""Making data safe to show: names are text, never markup or terminal control sequences."""

from __future__ import annotations

import re
import unicodedata

# C0/C1 controls (ESC, BEL, CR...), and bidi overrides that could reorder what follows.
CONTROL_PATTERN = "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
_UNSAFE = re.compile(CONTROL_PATTERN)


def clean(text: object) -> str:
    """A printable one-line version of any value: control characters become U+FFFD."""
    if text is None:
        return ""
    return _UNSAFE.sub("\ufffd", str(text))


def fit(text: str, width: int) -> str:
    """Cut `text` to `width` cells with an ellipsis rather than mid-word silently."""
    if width <= 0:
        return ""
    if _cells(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
