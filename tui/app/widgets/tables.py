"""DataTables that move with vi keys and sort by the cursor's column with `[` and `]`.

Cells are rich `Text` (never markup strings), so a name like "[red]x" shows as typed.
Sorting keeps the cursor on the same row key, so the chart highlight follows the budget,
not the screen position.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from tui.app.keys import Move, vi_bindings
from tui.app.widgets.copy import COPY_BINDINGS, CopyCells, one_line
from tui.app.widgets.sorting import sort_key, with_arrow


class KeyTable(CopyCells, DataTable):
    """A DataTable with h/j/k/l, g/G and VisiData-style sort keys."""

    BINDING_GROUP_TITLE = "Table"
    BINDINGS = [
        *vi_bindings(up=Move("cursor_up", "Up"), down=Move("cursor_down", "Down"),  # arrows: DataTable's
                     left=Move("cursor_left", "Left"), right=Move("cursor_right", "Right"),
                     first=Move("scroll_top", "First row"), last=Move("scroll_bottom", "Last row")),
        # One footer entry ("[ ] Sort") for the pair keeps the footer short; help lists both keys.
        Binding("[", "sort(False)", "Sort", key_display="[ ]", tooltip="Sort by the cursor's column, ascending"),
        Binding("]", "sort(True)", "Sort descending", show=False, tooltip="Sort by the cursor's column, descending"),
        *COPY_BINDINGS,
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.labels: dict[ColumnKey, Text] = {}  # each column's label without the arrow
        self.sorted_by: tuple[ColumnKey, bool] | None = None  # (column, descending)

    def add_column(self, label: str | Text, *, width: int | None = None, key: str | None = None,
                   default: object = None) -> ColumnKey:
        """A column whose label is text (never markup) with room for the sort arrow."""
        text = Text(label) if isinstance(label, str) else label
        column_key = super().add_column(with_arrow(text, None), width=width, key=key, default=default)
        self.labels[column_key] = text
        return column_key

    def clear(self, columns: bool = False) -> DataTable:
        if columns:
            self.labels.clear()  # the sort is kept: `resort` applies it again when the rows are back
        return super().clear(columns)

    def copy_headers(self) -> list[str]:
        return [one_line(self.labels.get(key, column.label).plain) for key, column in self.columns.items()]

    def copy_row_cells(self) -> tuple[list[str], int] | None:
        if not self.row_count:
            return None
        cells = [one_line(cell.plain if isinstance(cell, Text) else str(cell))
                 for cell in self.get_row_at(self.cursor_row)]
        return cells, self.cursor_column

    def action_sort(self, descending: bool) -> None:
        """Sort by the cursor's column; the cursor stays on the row it was on."""
        if not self.row_count:
            return
        row_key, column_key = self.coordinate_to_cell_key(self.cursor_coordinate)
        self.sorted_by = (column_key, descending)
        self.resort()
        self.move_cursor(row=self.get_row_index(row_key), column=self.cursor_column)

    def resort(self) -> None:
        """Apply the last sort (after the rows were filled again) and mark its column's header."""
        for key, column in self.columns.items():
            arrow = self.sorted_by[1] if self.sorted_by and self.sorted_by[0] == key else None
            column.label = with_arrow(self.labels.get(key, column.label), arrow)
        if self.sorted_by is not None and self.sorted_by[0] in self.columns:
            column_key, descending = self.sorted_by
            self.sort(column_key, key=sort_key(descending), reverse=descending)
        self.refresh()
