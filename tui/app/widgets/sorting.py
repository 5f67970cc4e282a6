"""How table cells sort, and the header arrow that shows it: shared by the DataTables and the
light LineTable, which then needs no DataTable import of its own."""

from __future__ import annotations

import math

from rich.text import Text


def sort_value(cell: object) -> tuple[int, float | str]:
    """Numbers sort as numbers (marks and separators ignored); blanks and '-' sort last."""
    text = cell.plain if isinstance(cell, Text) else str(cell)
    # Marks, a delta's arrow and its minus sign ("▼ −6.7") are not part of the number.
    digits = text.replace(",", "").replace("\u2212", "-").strip("~* ▲▼")
    try:
        number = float(digits)
    except ValueError:
        return (1, text.lower()) if digits not in ("", "-") else (2, "")
    return (0, number) if math.isfinite(number) else (2, "")


def sort_key(descending: bool):
    """A sort key for cells, used with `reverse=descending`: numbers by value, then text, blanks
    last either way; descending reverses numbers and text alike (z to a)."""

    def key(cell: object) -> tuple:
        rank, value = sort_value(cell)
        return (2 - rank if descending else rank, value)

    return key


ARROWS = {False: "▲", True: "▼"}  # the sorted column's header: ascending, descending
ROOM = "  "  # kept beside every header label, so an arrow never widens a column


def with_arrow(label: Text, descending: bool | None) -> Text:
    """`label` with the sort arrow (or the room for one) on the side away from its alignment."""
    mark = ROOM if descending is None else f"{ARROWS[descending]} "
    if label.justify == "right":
        return Text.assemble(mark, label, justify="right")
    return Text.assemble(label, mark[::-1], justify=label.justify)
