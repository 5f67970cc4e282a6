"""`y` copies the table cell under the cursor, `Y` the cursor's row (TSV: header line and the row).

Values are copied as the table shows them, marks included (`48.4~`), so what is pasted is what
was read. The clipboard is Textual's (OSC 52: it works over SSH where the terminal allows it).
Both table classes (the light `LineTable` and the DataTable-based `KeyTable`) list
`COPY_BINDINGS` and mix in `CopyCells`, which asks them only for headers and the cursor's row.
"""

from __future__ import annotations

from textual.binding import Binding

from tui.render.tables import tsv_rows
from tui.render.text import clean

COPY_BINDINGS = [
    Binding("y", "copy_cell", "Copy", tooltip="Copy the cell under the cursor, as shown (marks too)"),
    Binding("Y", "copy_row", "Copy row", show=False,
            tooltip="Copy the cursor's row as TSV: the header line, then the row as shown"),
]


def one_line(text: str) -> str:
    """A header or cell on one line, without tabs (a two-line header "R1-Qwen\\nPass@1" joined)."""
    return " ".join(clean(part).strip() for part in text.split("\n")).replace("\t", " ").strip()


class CopyCells:
    """The copy actions of a table; `copy_context` (e.g. the open sweep) goes in front of a cell's notice."""

    copy_context: str = ""

    def copy_headers(self) -> list[str]:
        raise NotImplementedError

    def copy_row_cells(self) -> tuple[list[str], int] | None:
        """The cursor's row as shown, and the cursor's column; None on an empty table."""
        raise NotImplementedError

    def _cursor_cells(self) -> tuple[list[str], int] | None:
        found = self.copy_row_cells()
        if found is None:
            self.notify("Nothing to copy: the table is empty.", title="Copy", severity="warning")
        return found

    def action_copy_cell(self) -> None:
        if (found := self._cursor_cells()) is None:
            return
        cells, column = found
        value = cells[column]
        # The row's label (its first cell) and the column's header say where the value comes from.
        header = self.copy_headers()[column]
        where = [self.copy_context, cells[0], header] if column else [self.copy_context, header]
        self.app.copy_to_clipboard(value)
        self.notify(f"Copied {value or '(an empty cell)'} ({', '.join(part for part in where if part)})",
                    title="Copy", markup=False)

    def action_copy_row(self) -> None:
        if (found := self._cursor_cells()) is None:
            return
        cells, _ = found
        self.app.copy_to_clipboard(tsv_rows([self.copy_headers(), cells]))
        self.notify(f"Copied row {cells[0]} ({len(cells)} values, TSV with its header line)",
                    title="Copy", markup=False)
