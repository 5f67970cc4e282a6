"""Two sweeps side by side: both values and the delta per budget, and one chart with both series.

Numbers come from `tui.core.compare.compare_series` and the cells from
`tui.render.compare.compare_cells`, the same ones `kvscope compare` prints, so the app and the
CLI can never disagree; the table sorts like every other. Δ = right − left, marked ▲/▼ (not by
colour alone).

Opening a comparison should repaint at once, like opening a sweep: what a comparison shows is
computed once (`CompareData`, kept per data set by `Comparisons`), and the explorer computes it,
and draws its chart into the chart cache, while a compare mark is set and the sidebar cursor
rests on a sweep it could be compared with. The app keeps one built screen and refills it
(`reopen`) instead of composing and styling a new one for every comparison.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import polars as pl
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.events import ScreenResume
from textual.geometry import Region, Size
from textual.reactive import var
from textual.visual import visualize
from textual.widgets import Static

from tui.app.layout import CHART_ROWS
from tui.app.screens.base import KvScreen
from tui.app.selection import Sweep, compare_title, side_label
from tui.app.textual_compat import css_generation, lay_out_hidden, measure_new_rows
from tui.app.widgets.chart import ChartView
from tui.app.widgets.tables import KeyTable
from tui.core.compare import CompareChart, compare_chart, compare_metrics, compare_series
from tui.core.schema import Results
from tui.render.charts import sweep_chart
from tui.render.compare import compare_caption, compare_cells
from tui.render.text import clean

MIN_PANE_ROWS = 4  # fewer rows of the compare table than this are not worth the chart's rows


class CompareTable(KeyTable):
    """Budgets down; both sides' values and the delta per metric across."""

    def render_ahead(self) -> None:
        """Lay out the rows on show into the table's line cache while its screen is hidden, so
        showing it paints them without rendering cells through rich again."""
        measure_new_rows(self)  # the widths the lines are drawn at
        width, height = self.size
        if width and height:
            self.render_lines(Region(0, 0, width, height))


def update_text(static: Static, text: Text) -> None:
    """Show `text`, laying out the screen only when its height changes: a layout when the screen
    is shown repaints the table's scrollbars one frame later."""
    width = static.content_size.width
    if not static.display:  # showing it again lays the screen out anyway
        same = True
    elif width:
        height = lambda visual: visual.get_height(static.styles, width)  # noqa: E731
        same = height(static.visual) == height(visualize(static, text, markup=False))
    else:
        same = False
    static.update(text, layout=not same)


def two_lines(header: Text) -> Text:
    """"R1-Qwen Pass@1" as "R1-Qwen" over "Pass@1": narrower columns, so 80 columns hold the table."""
    head, _, last = header.plain.rpartition(" ")
    return Text(f"{head}\n{last}" if head else last, justify=header.justify)


@dataclass(frozen=True, eq=False)  # compared by identity: its figure is cached under it
class CompareData:
    """What the screen shows for one comparison, computed once: frame, cells, caption and chart."""

    left: Sweep
    right: Sweep
    frame: pl.DataFrame
    title: str
    caption: Text
    headers: list[Text]
    rows: list[list[Text]]
    draw: Callable[[int, int, bool], str]

    @classmethod
    def of(cls, results: Results, left: Sweep, right: Sweep) -> CompareData:
        sides = (left.model, left.benchmark), (right.model, right.benchmark)
        frame = compare_series(results, *sides)
        metrics = compare_metrics(results, *sides)
        title = compare_title(left, right)
        labels = side_label(left, right), side_label(right, left)
        headers, cells = compare_cells(frame, *labels, results.knob_label, metrics)
        rows = [[cell if isinstance(cell, Text) else Text(cell, justify="right") for cell in row]
                for row in cells]
        chart = compare_chart(results, *sides, labels)  # the rule `kvscope compare --chart` follows
        draw = partial(_draw, chart, title, results.knob_label)
        return cls(left, right, frame, title, compare_caption(frame, *labels, metrics),
                   [two_lines(header) for header in headers], rows, draw)

    @property
    def figure_key(self) -> tuple:
        """The chart cache's name for this comparison's figure."""
        return ("compare", self)


class Comparisons:
    """The comparisons of one data set, the most recent kept: computed ahead by the explorer,
    shown by the screen. A reload (--watch) makes a new data set, so never an old comparison."""

    def __init__(self, results: Results) -> None:
        self.results = results
        self._kept: LRUCache[tuple[Sweep, Sweep], CompareData] = LRUCache(8)

    def get(self, left: Sweep, right: Sweep) -> CompareData:
        data = self._kept.get((left, right))
        if data is None:
            data = CompareData.of(self.results, left, right)
            self._kept.set((left, right), data)
        return data


class CompareScreen(KvScreen):
    """Left vs right; `x` swaps the sides, escape goes back to the explorer."""

    BINDING_GROUP_TITLE = "Compare"
    BINDINGS = [
        Binding("escape,backspace", "app.go_back", "Back", tooltip="Go to the previous view"),
        Binding("x", "swap", "Swap sides"),
        Binding("v", "layout", "Layout", tooltip="Cycle table and chart / chart only / table only"),
    ]
    LAYOUTS = ("", "-chart-only", "-table-only")
    layout_class: var[str] = var("", init=False)  # the one of LAYOUTS in force (`v`)
    AUTO_FOCUS = ""  # on_mount focuses the table, unless it is folded

    def __init__(self, results: Results, left: Sweep, right: Sweep,
                 comparisons: Comparisons | None = None) -> None:
        super().__init__()
        self.results, self.left, self.right = results, left, right
        self.comparisons = comparisons if comparisons is not None else Comparisons(results)
        self.data: CompareData | None = None
        self._prepared: tuple[Sweep, Sweep] | None = None  # the sides `prepare` filled in, not yet shown
        self._prepared_at: Size | None = None  # the terminal's size then
        self._hidden_at: Size | None = None  # the terminal's size when last hidden
        self._styled_at: int | None = None  # the app's CSS generation when last styled whole

    def compose_body(self) -> ComposeResult:
        with Vertical(id="compare-pane"):
            yield Static(id="compare-title", markup=False)
            yield CompareTable(id="compare-table", cursor_type="cell", zebra_stripes=True, header_height=2)
            yield Static(id="compare-caption", markup=False)
        yield ChartView(id="compare-chart")

    @property
    def table(self) -> CompareTable:
        return self.query_one(CompareTable)

    @property
    def chart(self) -> ChartView:
        return self.query_one(ChartView)

    @property
    def frame(self) -> pl.DataFrame | None:
        """The comparison on show (what export writes)."""
        return self.data.frame if self.data is not None else None

    def on_mount(self) -> None:
        self._fill()
        self._arrange()
        if not self._pane_folds():  # folded, the table opens when tab focuses it
            self.table.focus()

    def reopen(self, left: Sweep, right: Sweep) -> None:
        """Show another comparison in this built screen (before it is pushed again), as a new
        screen would start: both panes, no sort, the cursor on the first cell."""
        # Refilled ahead and not shown since: as it should start, unless the terminal was resized
        # since (a hidden screen is not, so its breakpoints, panes and focus are for the old size).
        if self._prepared == (left, right) and self._prepared_at == self.app.size:
            return
        self.left, self.right = left, right
        self._apply_breakpoints()  # the terminal may have been resized while the screen was hidden
        table = self.table
        table.sorted_by = None
        self.layout_class = ""
        self._fill()
        table.move_cursor(row=0, column=0, animate=False)
        table.scroll_home(animate=False, immediate=True)
        self._arrange()
        self.set_focus(None if self._pane_folds() else table, scroll_visible=False)

    def prepare(self, left: Sweep, right: Sweep) -> None:
        """While hidden, get a comparison ready to show: refill this screen with it and draw its
        chart into the chart cache, at the size the chart had when last shown."""
        self.reopen(left, right)
        self._prepared, self._prepared_at = (left, right), self.app.size
        self.chart.prepare(self.data.draw, self.data.figure_key)
        self.table.render_ahead()

    def on_idle(self) -> None:  # before Screen's own, which lays out only a screen on show
        # Refilled ahead: lay out now what the refill changed (column widths, a caption's height)
        # rather than when shown, and render the rows again if that layout moved them.
        if self._prepared is not None and lay_out_hidden(self):
            self.table.call_next(self.table.render_ahead)

    # -- giving the chart its room ------------------------------------------------------------

    def on_resize(self) -> None:
        self._arrange()

    def on_screen_resume(self, event: ScreenResume) -> None:  # before KvScreen's and Screen's own
        self._prepared = None  # shown: keys may change it from here
        # Textual restyles a pushed screen whole, which also empties the table's rendered lines;
        # with the same CSS that changes nothing (class changes restyle their nodes at once).
        # A resize while hidden leaves rows rendered at the old width: the restyle clears them.
        styled_at, self._styled_at = self._styled_at, css_generation(self.app)
        if styled_at == self._styled_at and self._hidden_at == self.app.size:
            event.refresh_styles = False
        self._arrange()

    def on_screen_suspend(self) -> None:
        self._hidden_at = self.app.size

    def on_descendant_focus(self) -> None:
        self._arrange()

    def on_descendant_blur(self) -> None:
        self._arrange()

    def _body_rows(self) -> int:
        return self.app.size.height - 1 - (0 if self.has_class("-low") else 1)  # footer, header

    def _pane_folds(self) -> bool:
        return self._body_rows() - CHART_ROWS < MIN_PANE_ROWS

    def _arrange(self) -> None:
        """The table takes what the chart leaves (up to half the rows) and scrolls; when that is
        too little to read, it shows only while focused (tab), over half the rows."""
        pane = self.query_one("#compare-pane")
        if self.layout_class:  # one pane at full height
            pane.styles.height = None
            return
        body = self._body_rows()
        wanted = self.table.row_count + 3  # two header lines, the rows, the caption
        if self._pane_folds():
            pane.styles.height = min(wanted, body // 2) if pane.has_focus_within else 0
        else:
            pane.styles.height = min(wanted, body - CHART_ROWS, body // 2)

    def _fill(self) -> None:
        self.data = data = self.comparisons.get(self.left, self.right)
        self.title = "kvscope: compare"  # the header keeps naming the open data (app sub_title)
        update_text(self.query_one("#compare-title", Static), Text(data.title))
        update_text(self.query_one("#compare-caption", Static), data.caption)
        table = self.table
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        for index, header in enumerate(data.headers):
            table.add_column(header, key=str(index))
        table.add_rows(data.rows)
        table.resort()  # a sort chosen before a swap is kept
        if data.rows:
            table.move_cursor(row=min(cursor.row, len(data.rows) - 1), column=cursor.column)
        self.chart.show(data.draw, data.figure_key)

    def place(self) -> tuple:
        """Where this screen is, for the app's back key."""
        return ("compare", self.left, self.right)

    def view_data(self):
        from tui.app.screens.export import ViewData, chart_data

        title = self.data.title
        stem = f"compare-{title}".replace(" | ", "-").replace(" ", "-")
        return ViewData(self.frame.rename({"knob": self.results.knob}), stem, self.results.knob,
                        chart=chart_data(self.query_one(ChartView), title))

    def action_layout(self) -> None:
        """On short terminals one pane at full height reads better than two squeezed ones."""
        self.layout_class = self.LAYOUTS[(self.LAYOUTS.index(self.layout_class) + 1) % len(self.LAYOUTS)]

    def watch_layout_class(self, shown: str) -> None:
        self.update_classes({name: name == shown for name in self.LAYOUTS[1:]})  # one restyle
        self._arrange()
        # Hiding the table took its focus: give it back when it shows again, as on opening.
        if self.focused is None and shown != "-chart-only" and (shown or not self._pane_folds()):
            self.call_after_refresh(self.table.focus)

    def action_swap(self) -> None:
        self.left, self.right = self.right, self.left
        self._fill()


def _draw(chart: CompareChart, title: str, knob_label: str, width: int, height: int, color: bool) -> str:
    if not chart.frames:  # nothing to draw: say so rather than draw an empty frame
        return f"{clean(title)}\n({chart.note})"
    return sweep_chart(chart.frames, title, knob_label=knob_label, width=width, height=height, color=color,
                       bar=chart.bar)
