"""A chart as a file: SVG (the colours on screen) or plain text, from the same figure text.

Both are drawn from the text a chart function returns (plotext's ANSI-coloured characters), so
an exported chart is the picture on screen at the size asked for, not a re-plot that might differ.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

CHART_SUFFIXES = (".svg", ".txt")


def chart_file(figure: str, suffix: str, title: str = "kvscope") -> bytes:
    """The figure (ANSI-coloured text) as the bytes of a `.svg` or `.txt` file."""
    suffix = suffix.lower()
    if suffix not in CHART_SUFFIXES:
        raise ValueError(f"a chart is written as {' or '.join(CHART_SUFFIXES)}, not {suffix or '(no extension)'}")
    text = Text.from_ansi(figure)
    if suffix == ".txt":
        return "".join(line.rstrip() + "\n" for line in text.plain.splitlines()).encode()
    width = max((len(line) for line in text.plain.splitlines()), default=1)
    # A console that records instead of printing: exactly as wide as the figure, colour forced on.
    recorder = Console(record=True, width=width, file=io.StringIO(), force_terminal=True,
                       color_system="truecolor", highlight=False, markup=False, emoji=False)
    recorder.print(text, no_wrap=True, overflow="ignore", crop=False)
    return recorder.export_svg(title=title).encode()
