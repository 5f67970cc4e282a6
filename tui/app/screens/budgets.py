"""Every model and benchmark at budget A against budget B.

Pick A and B with left/right on each picker (tab moves between them); the table updates as you
go. Numbers from `tui.core.compare.compare_budgets`, cells from `tui.render.compare.budgets_cells`
(the same the CLI prints), in a DataTable so a sweep of thousands of rows draws only what is visible.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static

from tui.app.screens.base import KvScreen
from tui.app.widgets.panes import KnobPicker
from tui.app.widgets.tables import KeyTable
from tui.core.compare import budgets_of, compare_budgets, named_by_metric
from tui.core.schema import Results
from tui.render.compare import budgets_cells, budgets_legend, budgets_title


class BudgetTable(KeyTable):
    """Model x benchmark rows, values at A and B with deltas."""


class BudgetScreen(KvScreen):
    """A vs B pickers over the comparison table. Starts on the smallest vs the largest budget."""

    BINDING_GROUP_TITLE = "Compare budgets"
    BINDINGS = [
        Binding("escape,backspace", "app.go_back", "Back", tooltip="Go to the previous view"),
        Binding("x", "swap", "Swap A/B"),
    ]

    def __init__(self, results: Results) -> None:
        super().__init__()
        self.results = results
        self.budgets = budgets_of(results)
        self.frame = None  # the comparison on screen, for export
        self.frame_budgets: tuple[float | None, float | None] = (None, None)  # (A, B) it compares
        self.title = "kvscope: compare budgets"

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="pickers"):
            yield KnobPicker("Budget A", self.budgets, 0, id="budget-a")
            yield KnobPicker("Budget B", self.budgets, -1, id="budget-b")
            yield Static("tab: other picker", id="pickers-hint", markup=False)
        yield Static(id="budgets-title", markup=False)
        yield BudgetTable(id="budgets-table", zebra_stripes=True, header_height=2)
        yield Static(id="budgets-caption", markup=False)

    def on_mount(self) -> None:
        self.query_one("#budget-a", KnobPicker).focus()
        self._fill()

    @property
    def a(self) -> float | None:
        return self.query_one("#budget-a", KnobPicker).value

    @property
    def b(self) -> float | None:
        return self.query_one("#budget-b", KnobPicker).value

    @on(KnobPicker.Changed)
    def _fill(self) -> None:
        table = self.query_one(BudgetTable)
        title, caption = self.query_one("#budgets-title", Static), self.query_one("#budgets-caption", Static)
        if self.a is None or self.b is None:
            title.update("No budgets in the loaded data.")
            return
        self.frame = frame = compare_budgets(self.results, self.a, self.b)
        self.frame_budgets = (self.a, self.b)
        headers, rows = budgets_cells(frame, self.a, self.b)
        heading, note = budgets_title(self.a, self.b, self.results.knob_label)
        title.update(heading)
        legend = budgets_legend(frame)
        caption.update(f"{note}   {legend}" if rows and legend else note if rows
                       else f"{note} No scores or throughput values at these budgets.")
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        for index, header in enumerate(headers):
            table.add_column(Text(header, justify="left" if index < 2 else "right"), key=str(index))
        table.add_rows(rows)
        table.resort()  # a sort the user chose survives a new pair of budgets
        if rows:
            table.move_cursor(row=min(cursor.row, len(rows) - 1), column=cursor.column)

    def place(self) -> tuple:
        """Where this screen is, for the app's back key."""
        return ("budgets",)

    def view_data(self):
        from tui.app.screens.export import ViewData
        from tui.core.schema import format_knob

        if (self.a, self.b) != self.frame_budgets:
            self._fill()  # a picker moved and its message is still queued: export what it now says
        if self.frame is None:
            return None
        a, b = format_knob(self.a), format_knob(self.b)
        frame = named_by_metric(self.frame)
        if a != b:  # one budget picked twice keeps its _a and _b columns apart (both would be _at_a)
            sided = ("_a", "_b", "_a_how", "_b_how")
            frame = frame.rename({c: _at(c, a, b) for c in frame.columns if c.endswith(sided)})
        return ViewData(frame, f"budgets-{a}-vs-{b}", self.results.knob)

    def action_swap(self) -> None:
        pick_a, pick_b = self.query_one("#budget-a", KnobPicker), self.query_one("#budget-b", KnobPicker)
        pick_a.index, pick_b.index = pick_b.index, pick_a.index


def _at(column: str, a: str, b: str) -> str:
    """pass_at_1_a -> pass_at_1_at_2500, pass_at_1_a_how -> pass_at_1_at_2500_how (marks stay paired)."""
    how = "_how" if column.endswith("_how") else ""
    stem = column.removesuffix(how)
    return f"{stem[:-2]}_at_{a if stem.endswith('_a') else b}{how}"
