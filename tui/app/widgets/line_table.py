"""A light table that paints only the rows on screen, for tables refilled on every key.

Textual's DataTable renders every cell through rich and rebuilds its caches on each refill,
which every "open the next sweep" would pay (docs/PERFORMANCE.md). This table keeps its cells as
rich `Text` (never markup), lays each row out once when the data comes in, and paints a screen
line by copying that row's segments. It has a fixed header row, a cell cursor (row and column)
that scrolls into view, zebra stripes, vi keys and VisiData-style sort.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.app.keys import Move, vi_bindings
from tui.app.widgets.copy import COPY_BINDINGS, CopyCells, one_line
from tui.app.widgets.sorting import ROOM, sort_key, with_arrow

PAD = 1  # blank cells each side of a column, as DataTable's cell padding


@dataclass(frozen=True)
class Column:
    key: str
    label: Text
    width: int
    justify: str = "left"  # of the header and of plain-string cells; a Text cell's own justify wins


# A cell: rich Text, or a plain string (no styles: fewer objects for the garbage collector).
Cell = Text | str


def _cell_len(cell: Cell) -> int:
    return cell.cell_len if isinstance(cell, Text) else cell_len(cell)


class LineTable(CopyCells, ScrollView, can_focus=True):
    """Rows of cells under a header; `on_cursor(row_key)` is called when the cursor row changes."""

    BINDING_GROUP_TITLE = "Table"
    BINDINGS = [
        *vi_bindings("before", up=Move("cursor(-1)", "Up"), down=Move("cursor(1)", "Down"),
                     left=Move("column(-1)", "Left"), right=Move("column(1)", "Right")),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        *vi_bindings("before", first=Move("jump(0)", "First row"), last=Move("jump(-1)", "Last row")),
        # One footer entry ("[ ] Sort") for the pair keeps the footer short; help lists both keys.
        Binding("[", "sort(False)", "Sort", key_display="[ ]", tooltip="Sort by the cursor's column, ascending"),
        Binding("]", "sort(True)", "Sort descending", show=False, tooltip="Sort by the cursor's column, descending"),
        *COPY_BINDINGS,
    ]
    COMPONENT_CLASSES = {"line-table--header", "line-table--even-row", "line-table--cursor"}

    cursor_row: reactive[int] = reactive(0, always_update=True, repaint=False)
    cursor_column: reactive[int] = reactive(0, repaint=False)

    def __init__(self, *, on_cursor: Callable[[Hashable | None], None] | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        """`on_cursor(row_key)` is called in the same turn as the key (not as a message): what
        follows the cursor (a chart) then repaints in the same frame as the table."""
        super().__init__(id=id, classes=classes)
        self._on_cursor = on_cursor
        self.columns: list[Column] = []
        self._keys: list[Hashable] = []
        self._rows: list[list[Cell]] = []
        self._lines: list[list[Segment] | None] = []  # rows laid out as first painted: padded cells
        self.sorted_by: tuple[int, bool] | None = None  # (column index, descending); marked in the header

    # -- data ---------------------------------------------------------------------------------

    def set_data(self, columns: Sequence[tuple[str, Text]], rows: Sequence[tuple[Hashable, Sequence[Cell]]],
                 min_width: int = 0) -> None:
        """Replace every column and row; the cursor goes back to the first row. A column's
        label's justify ("right" for numbers) aligns its header and its plain-string cells;
        `min_width` keeps narrow columns from changing width (and the screen's layout) from one
        fill to the next."""
        widths = [max(label.cell_len + len(ROOM), min_width) for _, label in columns]
        for _, cells in rows:
            for i, cell in enumerate(cells):
                widths[i] = max(widths[i], _cell_len(cell))
        self.columns = [Column(key, label, width, label.justify or "left")
                        for (key, label), width in zip(columns, widths)]
        self._keys = [key for key, _ in rows]
        self._rows = [list(cells) for _, cells in rows]
        self._lines = [None] * len(self._rows)
        self.sorted_by = None
        self.virtual_size = Size(sum(c.width + 2 * PAD for c in self.columns), len(self._rows) + 1)
        self.cursor_column = min(self.cursor_column, max(len(self.columns) - 1, 0))
        self.scroll_to(y=0, animate=False, immediate=True)
        # A new virtual size lays the screen out (the table is as tall and wide as its data); the
        # same size, as when stepping through the sweeps of one study, needs only this repaint.
        self.refresh()
        self.cursor_row = 0

    def _row(self, row: int) -> list[Segment]:
        """Row `row` laid out (padded, unstyled by the table), once, when it is first painted."""
        line = self._lines[row]
        if line is None:
            line = self._lines[row] = self._segments(self._rows[row])
        return line

    def _segments(self, cells: Sequence[Cell]) -> list[Segment]:
        segments: list[Segment] = []
        pad = " " * PAD
        for column, cell in zip(self.columns, cells):
            if isinstance(cell, Text) and (cell.spans or cell.cell_len > column.width):
                text = cell.copy()  # styled parts or cut: rich lays it out
                text.truncate(column.width, overflow="ellipsis")
                text.align(cell.justify or column.justify, column.width)
                text.pad(PAD)
                segments.extend(text.render(self.app.console))
                continue
            # The common case, a number or a name: one segment.
            is_text = isinstance(cell, Text)
            plain, style, justify = (cell.plain, cell.style, cell.justify) if is_text else (cell, "", None)
            if cell_len(plain) > column.width:
                plain = plain[:column.width - 1] + "…"
            fitted = plain.rjust(column.width) if (justify or column.justify) == "right" else plain.ljust(column.width)
            style = self.app.console.get_style(style) if isinstance(style, str) else style
            segments.append(Segment(pad + fitted + pad, style or None))
        return segments

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def cursor_key(self) -> Hashable | None:
        return self._keys[self.cursor_row] if self._rows else None

    def get_row_key(self, index: int) -> Hashable:
        return self._keys[index]

    def row_index(self, key: Hashable) -> int:
        return self._keys.index(key)

    def get_cell(self, row_key: Hashable, column_key: str) -> Text:
        index = next(i for i, c in enumerate(self.columns) if c.key == column_key)
        return self._as_text(self._rows[self.row_index(row_key)][index], self.columns[index])

    def get_row_at(self, index: int) -> list[Text]:
        return [self._as_text(cell, column) for cell, column in zip(self._rows[index], self.columns)]

    @staticmethod
    def _as_text(cell: Cell, column: Column) -> Text:
        return cell if isinstance(cell, Text) else Text(cell, justify=column.justify)

    def copy_headers(self) -> list[str]:
        return [one_line(column.label.plain) for column in self.columns]

    def copy_row_cells(self) -> tuple[list[str], int] | None:
        if not self._rows:
            return None
        row = self._rows[self.cursor_row]
        return [one_line(cell.plain if isinstance(cell, Text) else cell) for cell in row], self.cursor_column

    # -- size and painting --------------------------------------------------------------------

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self.virtual_size.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.virtual_size.height

    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles walk the DOM: worked out once per repaint, not once per line.
        base = self.rich_style
        self._paint_styles = (base, base + self.get_component_rich_style("line-table--header"),
                              base + self.get_component_rich_style("line-table--even-row"),
                              self.get_component_rich_style("line-table--cursor", partial=True))
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base, header, even, cursor = self._paint_styles
        if y == 0:
            line = [Segment(" " * PAD + self._aligned(i, column) + " " * PAD)
                    for i, column in enumerate(self.columns)]
            return self._crop(Strip(line).apply_style(header), width, header)
        row = self.scroll_offset.y + y - 1
        if row >= len(self._lines):
            return Strip.blank(width, base)
        style = even if row % 2 else base
        strip = Strip(self._row(row)).apply_style(style)
        if row == self.cursor_row and self.columns:
            strip = self._with_cursor(strip, cursor)
        return self._crop(strip, width, style)

    def _aligned(self, index: int, column: Column) -> str:
        """A header label aligned as its column's cells (numbers right, names left), with the
        sort arrow if the table is sorted by it."""
        arrow = self.sorted_by[1] if self.sorted_by and self.sorted_by[0] == index else None
        label = with_arrow(Text(column.label.plain, justify=column.justify), arrow).plain[:column.width]
        return label.rjust(column.width) if column.justify == "right" else label.ljust(column.width)

    def _with_cursor(self, strip: Strip, cursor: Style) -> Strip:
        start = sum(c.width + 2 * PAD for c in self.columns[:self.cursor_column])
        end = start + self.columns[self.cursor_column].width + 2 * PAD
        before, cell, after = strip.divide([start, end, strip.cell_length])
        # On top of the row's own styles (zebra stripe, cell colours), so the cursor always shows.
        cell = Strip(list(Segment.apply_style(cell, post_style=cursor)), cell.cell_length)
        return Strip.join([before, cell, after])

    def _crop(self, strip: Strip, width: int, style: Style) -> Strip:
        x = self.scroll_offset.x
        return strip.crop_extend(x, x + width, style)

    # -- the cursor ---------------------------------------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        for row in {old, new}:
            self._refresh_row(row)
        if self._on_cursor is not None:
            self._on_cursor(self.cursor_key)

    def watch_cursor_column(self) -> None:
        self._refresh_row(self.cursor_row)

    def _refresh_row(self, row: int) -> None:
        self.refresh_line(row + 1)  # row r is line r + 1 of the table, under the header

    def _scroll_to_cursor(self) -> None:
        visible = max(self.size.height - 1, 1)
        top = self.scroll_offset.y
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False, immediate=True)

    def _move(self, row: int) -> None:
        if self._rows:
            row = max(0, min(len(self._rows) - 1, row))
            if row != self.cursor_row:
                self.cursor_row = row

    def action_cursor(self, step: int) -> None:
        self._move(self.cursor_row + step)

    def action_page(self, step: int) -> None:
        self._move(self.cursor_row + step * max(self.size.height - 1, 1))

    def action_jump(self, row: int) -> None:
        self._move(row % len(self._rows) if self._rows else 0)

    def action_column(self, step: int) -> None:
        if self.columns:
            self.cursor_column = max(0, min(len(self.columns) - 1, self.cursor_column + step))
            self.scroll_to_region_of_column()

    def scroll_to_region_of_column(self) -> None:
        start = sum(c.width + 2 * PAD for c in self.columns[:self.cursor_column])
        end = start + self.columns[self.cursor_column].width + 2 * PAD
        x, width = self.scroll_offset.x, self.size.width
        if start < x:
            self.scroll_to(x=start, animate=False, immediate=True)
        elif end > x + width:
            self.scroll_to(x=end - width, animate=False, immediate=True)

    def action_sort(self, descending: bool) -> None:
        """Sort by the cursor's column; the cursor stays on the row it was on."""
        if not self._rows:
            return
        key, column, order = self.cursor_key, self.cursor_column, sort_key(descending)
        ordered = sorted(range(len(self._rows)), key=lambda index: order(self._rows[index][column]),
                         reverse=descending)
        self.sorted_by = (column, descending)
        self._keys = [self._keys[i] for i in ordered]
        self._rows = [self._rows[i] for i in ordered]
        self._lines = [self._lines[i] for i in ordered]
        self.refresh()
        self.cursor_row = self._keys.index(key)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        x = offset.x + self.scroll_offset.x
        edges = 0
        for i, column in enumerate(self.columns):
            edges += column.width + 2 * PAD
            if x < edges:
                self.cursor_column = i
                break
        if offset.y >= 1:
            self._move(self.scroll_offset.y + offset.y - 1)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
