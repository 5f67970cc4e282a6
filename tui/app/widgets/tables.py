"""DataTables that move with vi keys and sort by the cursor's column with `[` and `]`.

Cells are rich `Text` (never markup strings), so a name like "[red]x" shows as typed.
Sorting keeps the cursor on the same row key, so the chart highlight follows the budget,
not the screen position.
"""

from __future__ import annotations

import math

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable


def sort_value(cell: object) -> tuple[int, float | str]:
    """Numbers sort as numbers (marks and separators ignored); blanks and '-' sort last."""
    text = cell.plain if isinstance(cell, Text) else str(cell)
    digits = text.replace(",", "").rstrip("~* ▲▼").strip()
    try:
        number = float(digits)
    except ValueError:
        return (1, text.lower()) if digits not in ("", "-") else (2, "")
    return (0, number) if math.isfinite(number) else (2, "")


def sort_order(descending: bool):
    """A sort key for cells: numbers by value (largest first if `descending`), then text, then blanks."""
    sign = -1 if descending else 1

    def order(cell: object) -> tuple:
        rank, value = sort_value(cell)
        return (rank, sign * value) if isinstance(value, float) else (rank, value)

    return order


class KeyTable(DataTable):
    """A DataTable with h/j/k/l, g/G and VisiData-style sort keys."""

    BINDING_GROUP_TITLE = "Table"
    BINDINGS = [
        Binding("k", "cursor_up", "Up", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("h", "cursor_left", "Left", show=False),
        Binding("l", "cursor_right", "Right", show=False),
        Binding("g", "scroll_top", "First row", show=False),
        Binding("G", "scroll_bottom", "Last row", show=False),
        # One footer entry ("[ ] Sort") for the pair keeps the footer short; help lists both keys.
        Binding("[", "sort(False)", "Sort", key_display="[ ]", tooltip="Sort by the cursor's column, ascending"),
        Binding("]", "sort(True)", "Sort descending", show=False, tooltip="Sort by the cursor's column, descending"),
    ]

    def action_sort(self, descending: bool) -> None:
        """Sort by the cursor's column; the cursor stays on the row it was on."""
        if not self.row_count:
            return
        row_key, column_key = self.coordinate_to_cell_key(self.cursor_coordinate)
        self.sort(column_key, key=sort_order(descending))
        self.move_cursor(row=self.get_row_index(row_key), column=self.cursor_column)
