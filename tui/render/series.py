"""How series are told apart: a fixed palette and one marker per series, and the legend lines.

Every series has its own colour and its own marker, so a legend still tells them apart
without colour (NO_COLOR, pipes) and for colour-blind readers. The palette follows Okabe-Ito,
darkened or lightened where needed so every colour has a contrast of at least 3:1 on both a
black and a white background.
"""

from __future__ import annotations

import plotext as plt

from tui.render.text import fit

RGB = tuple[int, int, int]

PALETTE: tuple[RGB, ...] = (
    (0, 114, 178),    # blue
    (200, 135, 0),    # orange
    (0, 158, 115),    # bluish green
    (213, 94, 0),     # vermillion
    (204, 121, 167),  # reddish purple
    (40, 150, 220),   # sky blue
    (160, 150, 0),    # olive
)
MARKERS = ("●", "▲", "■", "◆", "✚", "★", "▼", "◼", "✖", "⬟")
HIGHLIGHT: RGB = PALETTE[4]  # the bar under the table cursor, drawn with its own glyph too


def color_of(index: int) -> RGB:
    return PALETTE[index % len(PALETTE)]


def marker_of(index: int) -> str:
    return MARKERS[index % len(MARKERS)]


def relative_luminance(rgb: RGB) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def legend(items: list[tuple[str, str, RGB | str]], color: bool, width: int) -> str:
    """Legend lines under a chart (never over a bar or a point): `glyph label` items wrapped to
    `width`, three spaces apart, or two when that saves a line (a line more squeezes the plot)."""
    wide, narrow = _legend(items, color, width, 3), _legend(items, color, width, 2)
    return wide if wide.count("\n") <= narrow.count("\n") else narrow


def _legend(items: list[tuple[str, str, RGB | str]], color: bool, width: int, gap: int) -> str:
    lines, line, used = [], [], 0
    for glyph, label, col in items:
        label = fit(label, max(width - len(glyph) - 1, 4))
        cells = len(glyph) + 1 + len(label) + (gap if line else 0)
        if line and used + cells > width:
            lines.append((" " * gap).join(line))
            line, used = [], 0
            cells -= gap
        line.append(f"{plt.colorize(glyph, col) if color else glyph} {label}")
        used += cells
    if line:
        lines.append((" " * gap).join(line))
    return "\n".join(lines)
