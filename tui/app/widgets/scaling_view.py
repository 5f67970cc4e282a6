"""The parameter-scaling study: the scatter, a table of its points, and the selected point's source.

Rows are keyed by position (names may repeat in user data). The table cursor is the chart
cursor: j/k (up/down) move from point to point in the table's order (parameters, until `[`/`]`
sort by the cursor's column, which h/l pick) and the selected point is bracketed in the chart.
`space` hides or shows the cursor row's family (rows of hidden families stay in the table,
dimmed, so they can be shown again); `a` shows every family.
"""

from __future__ import annotations

from functools import partial

import polars as pl
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from tui.app.layout import CHART_ROWS
from tui.app.widgets.chart import ChartView
from tui.app.widgets.tables import KeyTable
from tui.core.schema import Results, how_legend
from tui.core.views import scaling_points
from tui.render.scatter import scaling_chart
from tui.render.tables import marked
from tui.render.text import clean

DETAIL_ROWS = 5  # the selected point's name, its two sources, a note, the marks' legend


class ScalingTable(KeyTable):
    """One row per point; row keys are model names. Owns the family toggles."""

    BINDING_GROUP_TITLE = "Scaling points"
    BINDINGS = [
        Binding("space", "toggle_family", "Family", tooltip="Hide or show the cursor row's family"),
        Binding("a", "show_all", "All", show=False, tooltip="Show every family"),
    ]

    def action_toggle_family(self) -> None:
        self.screen.query_one(ScalingView).toggle_family()

    def action_show_all(self) -> None:
        self.screen.query_one(ScalingView).show_all()


class ScalingView(Vertical):
    """Chart on top, point table below, the selected point's provenance under it.

    The explorer adds it when the study is first shown: `select` and `focus_table` called
    before it is mounted take effect once it is (`Ready`, when the explorer shows it)."""

    class Ready(Message):
        """Mounted: the explorer may switch to it."""

    def __init__(self, results: Results, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.results = results
        self.points = scaling_points(results)
        self.hidden: set[str] = set()
        self.selected: str | None = None
        self.selected_index: int | None = None
        self._pending_point: str | None = None
        self.focus_wanted = False  # focus_table before the view was ready
        self.ready = False  # mounted, its table filled

    def compose(self) -> ComposeResult:
        yield ChartView(id="scaling-chart")
        yield ScalingTable(id="scaling-table", cursor_type="cell", zebra_stripes=True)
        yield Static(id="scaling-detail", markup=False)

    @property
    def table(self) -> ScalingTable:
        return self.query_one(ScalingTable)

    def on_mount(self) -> None:
        table = self.table
        # How and where each value came from is in the detail lines below; marks say it in brief.
        columns = (("Model", "model", "left"), ("Family", "family", "left"), ("Params", "params", "right"),
                   ("Pass@1", "score", "right"), ("Pass@1/B", "per_b", "right"))
        for label, key, justify in columns:
            table.add_column(Text(label, justify=justify), key=key)
        self._fill()
        self.ready = True
        if self.points.height:
            self.select(self._pending_point or self.points["model"][0])
        self.post_message(self.Ready())

    def focus_table(self) -> None:
        if self.ready:
            self.table.focus()
        else:
            self.focus_wanted = True

    def on_resize(self) -> None:
        self._arrange()

    def _arrange(self) -> None:
        """The chart keeps CHART_ROWS rows; the table and the detail share what is left (the table
        up to a third of the view, the detail up to DETAIL_ROWS). On the smallest terminals only
        the chart shows: the table keeps the focus, so j/k still move its bracketed point."""
        height = self.size.height
        if not height:
            return
        room = max(height - CHART_ROWS, 0)
        detail = min(DETAIL_ROWS, max(room - 4, 0))
        table = min(self.table.row_count + 1, room - detail, max(height // 3, 4))
        self.table.styles.max_height = table
        self.table.set_class(table == 0, "-folded")
        self.query_one("#scaling-detail").styles.max_height = detail

    def _fill(self) -> None:
        """(Re)write the rows; hidden families are dimmed and say so."""
        table = self.table
        cursor = table.cursor_row
        table.clear()
        for index, row in enumerate(self.points.iter_rows(named=True)):
            hidden = row["family"] in self.hidden
            style = "dim" if hidden else ""
            table.add_row(
                Text(clean(row["model"]), style=style),
                Text(clean(row["family"]) + (" (hidden)" if hidden else ""), style=style),
                Text(marked(row["params_b"], row["params_how"], 1), style=style, justify="right"),
                Text(marked(row["score"], row["score_how"], 1), style=style, justify="right"),
                Text(marked(row["score_per_b"], row["score_per_b_how"], 2), style=style, justify="right"),
                key=str(index),
            )
        table.resort()
        if table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1))

    def select(self, model: str) -> None:
        """Put the table cursor (and so the chart's marker) on the first point named `model`."""
        if not self.ready:
            self._pending_point = model
            return
        index = self.points["model"].to_list().index(model)
        self.table.move_cursor(row=self.table.get_row_index(str(index)))
        self._selected(index)

    def _selected(self, index: int) -> None:
        row = self.points.row(index, named=True)
        model = self.selected = row["model"]
        self.selected_index = index
        lines = [
            Text.assemble((clean(model), "bold"), f"  {clean(row['family'])}  {row['params_b']:g}B activated"
                          f"  Pass@1 {row['score']:.1f}"),
            Text(f"params: {clean(row['params_how'])}; {clean(row['params_source'])}", style="dim"),
            Text(f"score: {clean(row['score_how'])}; {clean(row['score_source'])}", style="dim"),
        ]
        # The table above marks params and scores of every point: the legend covers what it shows.
        legend = how_legend(self.points["params_how"].to_list() + self.points["score_how"].to_list())
        if legend:
            lines.append(Text(legend, style="dim"))
        if row["note"]:
            lines.insert(3, Text(f"note: {clean(row['note'])}", style="dim"))
        detail = Text("\n", no_wrap=True, overflow="ellipsis").join(lines)
        self.query_one("#scaling-detail", Static).update(detail)
        self._draw()

    def _draw(self) -> None:
        draw = partial(_draw_scaling, self.points, self.selected, frozenset(self.hidden))
        self.query_one(ChartView).show(draw)

    @on(DataTable.CellHighlighted, "#scaling-table")
    def _cursor_moved(self, event: DataTable.CellHighlighted) -> None:
        row = event.cell_key.row_key.value
        if row is not None and int(row) != self.selected_index:
            self._selected(int(row))

    def toggle_family(self) -> None:
        if self.selected_index is None:
            return
        family = self.points["family"][self.selected_index]
        self.hidden ^= {family}
        self._fill()
        self._draw()

    def show_all(self) -> None:
        self.hidden.clear()
        self._fill()
        self._draw()


def _draw_scaling(points: pl.DataFrame, selected: str | None, hidden: frozenset[str],
                  width: int, height: int, color: bool) -> str:
    return scaling_chart(points, width=width, height=height, color=color, selected=selected, hidden=hidden)
