"""One sweep: the budgets x metrics table, the provenance legend and insights, and the chart.

The table's cursor row is the highlighted budget in the chart. Insight sentences come from
`tui.core.answers` in a thread worker (dominance compares every model on the benchmark); the result is
posted back as a message and only the handler touches widgets.
"""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static

from tui.app.selection import Sweep
from tui.app.widgets.chart import ChartView
from tui.app.widgets.tables import KeyTable
from tui.core import views
from tui.core.schema import HOW_LEGEND, METRIC_SHORT, PASS, TPS, Results, format_knob
from tui.render.charts import sweep_chart
from tui.render.tables import marked
from tui.render.text import clean

DIGITS = {PASS: 1, TPS: 0}


class SweepTable(KeyTable):
    """Budgets down, metrics across; row keys are the formatted budgets."""


class SweepView(Vertical):
    """Table, legend and insights on top; the chart fills the rest and follows the table cursor."""

    class InsightsReady(Message):
        def __init__(self, view: Sweep, lines: list[str]) -> None:
            super().__init__()
            self.view, self.lines = view, lines

    def __init__(self, results: Results, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.results = results
        self.view: Sweep | None = None
        self.frame = None
        self.knobs: dict[str, float] = {}
        self.highlight: float | None = None  # the budget under the table cursor, marked in the chart
        self.bar: str | None = PASS  # the metrics shown: accuracy bars, throughput line
        self.line: str | None = TPS
        self._insights: dict[Sweep, list[str]] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="sweep-top"):
            yield SweepTable(id="sweep-table", zebra_stripes=True)
            with VerticalScroll(id="sweep-notes", can_focus=False):
                yield Static(id="sweep-legend", markup=False)
                yield Static(id="sweep-insights", markup=False)
        yield ChartView(id="sweep-chart")

    @property
    def table(self) -> SweepTable:
        return self.query_one(SweepTable)

    @property
    def chart(self) -> ChartView:
        return self.query_one(ChartView)

    def show(self, view: Sweep) -> None:
        """Fill the table and chart for `view`; the cursor starts on the first budget."""
        with self.app.batch_update():  # one layout and one repaint for the whole change
            self._fill(view)

    def _fill(self, view: Sweep) -> None:
        self.view = view
        # The sweep's own accuracy metric (Pass@1, else e.g. exact_match) and throughput, as the CLI.
        self.bar, self.line = views.chart_metrics(self.results, view.model, view.benchmark)
        chosen = tuple(m for m in (self.bar, self.line) if m)
        self.frame = views.series(self.results, view.model, view.benchmark, chosen)
        table = self.table
        table.clear(columns=True)
        table.add_column(Text(self.results.knob_label), key="knob")
        metrics = [m for m in chosen if m in self.frame.columns and self.frame[m].null_count() < self.frame.height]
        for metric in metrics:
            table.add_column(Text(clean(METRIC_SHORT.get(metric, metric))), key=metric)
        self.knobs = {}
        for row in self.frame.iter_rows(named=True):
            key = format_knob(row["knob"])
            self.knobs[key] = row["knob"]
            cells = [Text(key, justify="right")]
            cells += [Text(marked(row[m], row.get(f"{m}_how"), DIGITS.get(m, 2)), justify="right") for m in metrics]
            table.add_row(*cells, key=key)
        # The notes beside the table scroll within the table's height instead of pushing the chart down.
        self.query_one("#sweep-top").styles.height = table.row_count + 1
        self.query_one("#sweep-legend", Static).update(Text(HOW_LEGEND.replace("   ", "\n"), style="dim"))
        self._set_insights(self._insights.get(view))
        if view not in self._insights:
            self._load_insights(view)
        self._draw(self.frame["knob"][0] if self.frame.height else None)

    def _draw(self, highlight: float | None) -> None:
        assert self.view is not None
        self.highlight = highlight
        draw = partial(_draw_sweep, [(self.view.model, self.frame)], self.view.label,
                       self.results.knob_label, highlight, self.bar or PASS, self.line or TPS)
        self.chart.show(draw)

    @on(DataTable.CellHighlighted, "#sweep-table")
    def _cursor_moved(self, event: DataTable.CellHighlighted) -> None:
        knob = self.knobs.get(event.cell_key.row_key.value)
        # Filling the table highlights its first row, which `show` has already drawn: draw once.
        if self.view is not None and knob is not None and knob != self.highlight:
            self._draw(knob)

    @work(thread=True, exclusive=True, group="insights")
    def _load_insights(self, view: Sweep) -> None:
        from tui.core.answers import insights  # compares every model: kept off the event loop

        lines = insights(self.results.sweep, self.results.aggregates, view.model, benchmark=view.benchmark)
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
        text = "\n".join(f"• {clean(line)}" for line in about) if lines is not None else "…"
        self.query_one("#sweep-insights", Static).update(Text(text))


def _draw_sweep(frames, title: str, knob_label: str, highlight: float | None, bar: str, line: str,
                width: int, height: int, color: bool) -> str:
    return sweep_chart(frames, title, knob_label=knob_label, width=width, height=height,
                       color=color, highlight=highlight, bar=bar, line=line)
