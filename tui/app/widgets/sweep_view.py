"""One sweep: the budgets x metrics table, the provenance legend and insights, and the chart.

The table's cursor row is the highlighted budget in the chart. Insight sentences come from
`tui.core.answers` in a thread worker (dominance compares every model on the benchmark); the result is
posted back as a message and only the handler touches widgets.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import polars as pl
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.cache import LRUCache
from textual.containers import Horizontal, Vertical
from textual.css.scalar import Unit
from textual.message import Message
from textual.timer import Timer

from tui.app.layout import CHART_MIN_WIDTH, CHART_ROWS
from tui.app.selection import Sweep
from tui.app.widgets.chart import ChartView
from tui.app.widgets.line_table import LineTable
from tui.app.widgets.notes import NotesView
from tui.core import views
from tui.core.answers import Advice, Constraints, Knob, Scores, advise_sweep, label
from tui.core.schema import METRIC_SHORT, PASS, TPS, Results, format_knob
from tui.render.charts import sweep_chart
from tui.render.tables import marked, marks_legend
from tui.render.text import clean

DIGITS = {PASS: 1, TPS: 0}  # as the CLI tables: throughput 0 decimals, any other metric 1
PREPARE_AFTER = 0.1  # seconds after a key before figures are drawn ahead
NOTES_MIN_WIDTH = 24  # beside the chart, the notes under the table get at least this width


class SweepTable(LineTable):
    """Budgets down, metrics across; row keys are the formatted budgets."""


@dataclass(frozen=True)
class SweepData:
    """What the view shows for one sweep, computed once: the frame, its metrics and the table cells."""

    frame: pl.DataFrame
    bar: str | None
    line: str | None
    columns: list[tuple[str, Text]]
    rows: list[tuple[str, tuple[str, ...]]]
    knobs: dict[str, float]
    legend: str  # the marks' legend, "" when no value on show is marked

    @classmethod
    def of(cls, results: Results, view: Sweep) -> SweepData:
        # The sweep's own accuracy metric (Pass@1, else e.g. exact_match) and throughput, as the CLI.
        bar, line = views.chart_metrics(results, view.model, view.benchmark)
        chosen = tuple(m for m in (bar, line) if m)
        frame = views.series(results, view.model, view.benchmark, chosen)
        metrics = [m for m in chosen if m in frame.columns and frame[m].null_count() < frame.height]
        columns = [("knob", Text(results.knob_label, justify="right"))]
        columns += [(m, Text(clean(METRIC_SHORT.get(m, m)), justify="right")) for m in metrics]
        rows, knobs = [], {}
        for row in frame.iter_rows(named=True):
            key = format_knob(row["knob"])
            knobs[key] = row["knob"]
            # Plain strings (numbers, right-aligned by their column): kept for many sweeps.
            cells = (marked(row[m], row.get(f"{m}_how"), DIGITS.get(m, 1)) for m in metrics)
            rows.append((key, (key, *cells)))
        legend = marks_legend(frame.select("knob", *metrics, *[f"{m}_how" for m in metrics]), "\n")
        return cls(frame, bar, line, columns, rows, knobs, legend)


class SweepView(Vertical):
    """Table, legend and insights on top; the chart fills the rest and follows the table cursor.

    Keys should repaint at once, so the work behind a view is done once and kept: the sweep's
    data and cells (`SweepData`, per sweep) and its chart figures (the chart's cache). While the
    user reads a view, `prepare` draws what the next key will probably show, one figure per turn
    of the event loop so a key never waits for more than one.
    """

    class InsightsReady(Message):
        def __init__(self, view: Sweep, lines: list[str]) -> None:
            super().__init__()
            self.view, self.lines = view, lines

    def __init__(self, results: Results, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.results = results
        self.view: Sweep | None = None
        self.data: SweepData | None = None
        self.highlight: float | None = None  # the budget under the table cursor, marked in the chart
        self._insights: dict[Sweep, list[str]] = {}
        self._data: LRUCache[Sweep, SweepData] = LRUCache(48)  # few: many cells to collect
        self._token = object()  # names this data set's figures in the chart cache (a reload gets a new one)
        self._jobs: list[Callable[[], object]] = []
        self._timer: Timer | None = None
        self.constraints = Constraints()  # the advisor's limits (`a`), kept from sweep to sweep
        self.advice: Advice | None = None  # its answer for the open sweep, None without constraints
        self._advice: dict[Sweep, Advice] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="sweep-top"):
            yield SweepTable(on_cursor=self._cursor_moved, id="sweep-table")
            yield NotesView(id="sweep-notes")
        yield ChartView(id="sweep-chart")

    @property
    def table(self) -> SweepTable:
        return self.query_one(SweepTable)

    @property
    def chart(self) -> ChartView:
        return self.query_one(ChartView)

    @property
    def frame(self) -> pl.DataFrame | None:
        """The open sweep with the metrics on screen (what export writes)."""
        return self.data.frame if self.data is not None else None

    def sweep_data(self, view: Sweep) -> SweepData:
        data = self._data.get(view)
        if data is None:
            data = SweepData.of(self.results, view)
            self._data.set(view, data)
        return data

    def show(self, view: Sweep) -> None:
        """Fill the table and chart for `view`; the cursor starts on the first budget."""
        with self.app.batch_update():  # one repaint for the whole change
            self.view, self.data = view, self.sweep_data(view)
            table = self.table
            self.advice = self._advice_for(view)
            columns, rows = self.data.columns, self.data.rows
            if self.advice is not None:  # a marker column: the advised budget, readable without colour
                pick = format_knob(self.advice.knob) if self.advice.knob is not None else None
                columns = [*columns, ("advised", Text("Pick"))]
                mark = "◀" if self.advice.fits else "◁"  # hollow: the closest, no budget fits (notes say so)
                rows = [(key, (*cells, mark if key == pick else "")) for key, cells in rows]
            # 6 cells ("100.0~", "1234~") keep most sweeps' tables one width: no layout between them.
            table.set_data(columns, rows, min_width=6)
            table.copy_context = view.label  # a copied cell's notice names the sweep
            self._arrange()
            self._set_insights(self._insights.get(view))
            if view not in self._insights:
                # After this frame is out: the worker's thread would otherwise compete with it.
                self.call_after_refresh(self._load_insights, view)
            start = self.data.frame["knob"][0] if self.data.frame.height else None
            if self.advice is not None and self.advice.knob in self.data.knobs.values():
                start = self.advice.knob  # the chart highlights the advised budget, the cursor on its row
            self._draw(start)
            if start is not None and table.row_count:
                table.cursor_row = table.row_index(format_knob(start))

    @property
    def knob(self) -> Knob:
        """The knob the sweeps vary: what a maximum limits and how the notes name a setting."""
        return Knob(self.results.knob, self.results.knob_label)

    @property
    def score_name(self) -> str:
        """The open sweep's headline metric as headers name it (Pass@1, acc_norm): what a minimum
        score constrains."""
        return label(self.data.bar) if self.data is not None and self.data.bar else "score"

    def set_constraints(self, constraints: Constraints) -> None:
        """New limits for the advisor; empty ones remove the marks. The open sweep is shown again."""
        self.constraints, self._advice = constraints, {}
        if self.view is not None:
            self.show(self.view)

    def _advice_for(self, view: Sweep) -> Advice | None:
        if not self.constraints:
            return None
        if view not in self._advice:
            self._advice[view] = advise_sweep(self.results.sweep, view.model, view.benchmark,
                                              self.constraints, aggregates=self.results.aggregates,
                                              scores=Scores.of_results(self.results))
        return self._advice[view]

    def _figure(self, view: Sweep, data: SweepData, highlight: float | None) -> tuple[Callable, tuple]:
        draw = partial(_draw_sweep, [(view.model, data.frame)], view.label, self.results.knob_label,
                       highlight, data.bar or PASS, data.line or TPS)
        return draw, (self._token, view, highlight)

    def _draw(self, highlight: float | None) -> None:
        assert self.view is not None and self.data is not None
        self.highlight = highlight
        self.chart.show(*self._figure(self.view, self.data, highlight))
        if self.table.has_focus:  # from the sidebar, the next key moves in the sidebar
            self._prepare_rows()
        else:
            self._schedule([])

    def _cursor_moved(self, row_key: str | None) -> None:
        knob = self.data.knobs.get(row_key) if self.data is not None else None
        # Filling the table puts the cursor on its first row, which `show` has already drawn: draw once.
        if knob is not None and knob != self.highlight:
            self._draw(knob)

    # -- drawing ahead --------------------------------------------------------------------------

    def prepare(self, view: Sweep, *also: Callable[[], object]) -> None:
        """Get `view` ready to show (its data and first figure), then run `also` (other views the
        next key may open), instead of the other pending work: the user has moved on to it."""
        self._schedule([partial(self._prepare_sweep, view), *also])

    def _prepare_sweep(self, view: Sweep) -> None:
        data = self.sweep_data(view)
        first = data.frame["knob"][0] if data.frame.height else None
        self.chart.prepare(*self._figure(view, data, first))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self.has_class("-drawer"):
            self._arrange()
        if event.widget is self.table and self.data is not None:
            self._prepare_rows()

    def _prepare_rows(self) -> None:
        """The figures one key away in the table: the next and previous budget, a page down and up."""
        table, view, data = self.table, self.view, self.data
        page = max(table.size.height - 1, 1)
        here = table.cursor_row
        rows = [here + 1, here - 1, here + page, here - page, table.row_count - 1, 0]
        knobs = [data.knobs[table.get_row_key(i)] for i in dict.fromkeys(rows) if 0 <= i < table.row_count]
        self._schedule([partial(self.chart.prepare, *self._figure(view, data, knob)) for knob in knobs])

    def _schedule(self, jobs: list[Callable[[], object]]) -> None:
        # Last, a full garbage collection: between keys, not in the middle of the next one.
        self._jobs = [*jobs, gc.collect]
        # Start once the key's repaints (a layout's follow-up frame included) have gone out;
        # a key that comes sooner puts the work off again.
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(PREPARE_AFTER, self._run_job)

    def _run_job(self) -> None:
        self._timer = None
        if self._jobs:
            self._jobs.pop(0)()
        if self._jobs:
            self.call_later(self._run_job)  # one job per turn: keys that arrived meanwhile go first

    @work(thread=True, exclusive=True, group="insights")
    def _load_insights(self, view: Sweep) -> None:
        from tui.core.answers import insights  # compares every model: kept off the event loop

        lines = insights(self.results.sweep, self.results.aggregates, view.model, benchmark=view.benchmark,
                         scores=Scores.of_results(self.results))
        self.post_message(self.InsightsReady(view, lines))

    def on_sweep_view_insights_ready(self, message: InsightsReady) -> None:
        self._insights[message.view] = message.lines
        if self.view == message.view:
            self._set_insights(message.lines)

    def _set_insights(self, lines: list[str] | None) -> None:
        assert self.view is not None
        prefix = f"{self.view.model} {self.view.benchmark}:"
        about = [line.removeprefix(prefix).strip() for line in lines or []
                 if line.startswith(prefix) or f" on {self.view.benchmark}:" in line]
        why = self.results.average_metric(self.view.model)[1]
        if why.startswith("no single average") and lines is not None:
            about = [why[0].upper() + why[1:], *about]  # why the sidebar has no Average for this model
        text = "\n".join(f"• {clean(line)}" for line in about) if lines is not None else "…"
        parts = [Text(text)]
        if self.data is not None and self.data.legend:
            parts.insert(0, Text(self.data.legend, style="dim"))
        if self.advice is not None:
            lines = [f"a: {self.constraints.describe(self.score_name, self.knob)}", *self.advice.lines]
            parts.insert(0, Text("\n".join(f"▶ {clean(line)}" for line in lines), style="bold"))
        self.query_one(NotesView).update(*parts)

    # -- giving the chart its room ------------------------------------------------------------

    def on_resize(self) -> None:
        self._arrange()

    def on_descendant_blur(self) -> None:
        if self.has_class("-drawer"):
            self.call_after_refresh(self._arrange)  # focus may have moved to the other of table and notes

    def _arrange(self) -> None:
        """Table and notes over the chart while the chart keeps CHART_ROWS rows below them; else
        beside it, or, where the chart would then be narrower than CHART_MIN_WIDTH, in its place
        while they have focus (tab to them): a chart that narrow runs its bars together. Stacked,
        they take a quarter of a tall view: a share that does not depend on the notes, so the
        chart keeps one size from sweep to sweep."""
        width, height = self._room()
        if self.data is None or not height:
            return
        table = self.table
        rows = table.row_count + 1
        table_width = table.virtual_size.width + 1  # and its scrollbar
        stacked = height - rows >= CHART_ROWS
        drawer = not stacked and width - table_width < CHART_MIN_WIDTH
        # One batch: each class changed on its own restyles the whole view again.
        self.update_classes({"-beside": not stacked, "-drawer": drawer})
        top = self.query_one("#sweep-top")
        if stacked:
            self.chart.display = True
            top.styles.width = None
            top.styles.height = max(rows, min(height // 4, height - CHART_ROWS))
        else:
            open_ = not drawer or top.has_focus_within
            self.chart.display = not (drawer and open_)
            top.styles.width = ("1fr" if drawer else max(table_width, NOTES_MIN_WIDTH)) if open_ else 0
            top.styles.height = "1fr"

    def _room(self) -> tuple[int, int]:
        """The view's size; before its first layout, what the screen will give it (the terminal but
        the header, footer and sidebar), so the first chart is drawn once, at its final size."""
        if self.size.height:
            return self.size.width, self.size.height
        screen, (width, height) = self.screen, self.app.size
        # The sidebar's width as its styles have it now: a folded one shows while it has focus.
        sidebars = screen.query("#sidebar")
        sidebar = sidebars.first().styles.width if sidebars else None
        used = int(sidebar.value) if sidebar is not None and sidebar.unit == Unit.CELLS else 0
        return width - used, height - (1 if screen.has_class("-low") else 2)


def _draw_sweep(frames, title: str, knob_label: str, highlight: float | None, bar: str, line: str,
                width: int, height: int, color: bool) -> str:
    return sweep_chart(frames, title, knob_label=knob_label, width=width, height=height,
                       color=color, highlight=highlight, bar=bar, line=line)
