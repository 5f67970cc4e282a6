"""The explorer: sidebar of studies on the left, the open view (sweep or scaling) on the right.

Keys here act on the whole screen: `/` filter, `c` compare (mark a left side, then pick the
right), `b` compare budgets, `s` scaling study. Widget keys (table sort, family toggles) live
on the widgets, so the footer shows what applies where the focus is.
"""

from __future__ import annotations

import gc
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import ScreenResume
from textual.reactive import var
from textual.widgets import ContentSwitcher, Input, Static, Tree

from tui.app.layout import sidebar_folds
from tui.app.screens.base import KvScreen
from tui.app.selection import SCALING, Scaling, Selection, Sweep, compare_kind, first_view, sweeps
from tui.app.textual_compat import css_generation, forget_removed_widgets
from tui.app.widgets.chart import ChartView
from tui.app.widgets.sidebar import Sidebar, StudyTree
from tui.app.widgets.sweep_view import SweepView
from tui.core.schema import Results


class ExplorerScreen(KvScreen):
    """The main screen; `open(view)` is the one way anything (tree, palette, tests) shows a view."""

    BINDING_GROUP_TITLE = "Explorer"
    # Textual's default picks the first focusable widget, the hidden filter box: focused, then
    # blurred again when on_mount focuses the tree (two restyles at start-up for nothing).
    AUTO_FOCUS = "StudyTree"
    BINDINGS = [
        Binding("/", "filter", "Filter", tooltip="Filter the sidebar by name"),
        Binding("c", "compare", "Compare", tooltip="Mark this sweep as the left side; on a second sweep, compare them"),
        Binding("b", "budgets", "Budgets", tooltip="Compare every model and benchmark at two budgets"),
        Binding("s", "scaling", "Scaling", tooltip="Open the parameter-scaling study"),
        # Not in the footer (it lists the keys that open views); listed in help and the palette.
        Binding("a", "constraints", "Advise", show=False, tooltip="Constraints (min TPS, max budget, "
                "min headline score, e.g. Pass@1): the open sweep marks the advised budget"),
        Binding("escape", "cancel", "Back", tooltip="Clear the sidebar filter, else forget the compare "
                "mark, else go to the previous view"),
        Binding("backspace", "app.go_back", "Back", show=False, tooltip="Go to the previous view"),
        Binding("t", "sidebar", "Sidebar", tooltip="Show or hide the sidebar (folded on small terminals)"),
    ]

    # The state the footer's keys depend on refreshes them when it changes (`bindings=True`).
    view: var[Selection | None] = var(None, init=False)  # the open view
    view_kind: var[type | None] = var(None, init=False, bindings=True)  # what the footer depends on
    left: var[Sweep | None] = var(None, init=False, bindings=True)  # the compare mark (`c`)
    can_compare: var[bool] = var(True, init=False, bindings=True)  # `c` applies to the target
    filtering: var[bool] = var(False, init=False, bindings=True)  # escape first clears the filter
    sidebar_wanted: var[bool | None] = var(None, init=False)  # `t`'s choice; None: as the size suits

    def __init__(self, results: Results) -> None:
        super().__init__()
        self.results = results
        self._scaling = None  # the ScalingView, added after the first frame (or when first shown)
        self._hint_stale = False  # the compare mark changed while another screen was over this one
        self._composed_at: int | None = None  # the app's CSS generation when composed, until shown

    def compose_body(self) -> ComposeResult:
        self._composed_at = css_generation(self.app)
        with Horizontal(id="body"):
            yield Sidebar(self.results, id="sidebar")
            with ContentSwitcher(id="main"):
                yield SweepView(self.results, id="sweep")
        yield Static(id="compare-hint", markup=False)

    def _scaling_view(self):
        if self._scaling is None:
            # Imported here: the first frame shows a sweep, and this view's modules are not needed for it.
            from tui.app.widgets.scaling_view import ScalingView

            self._scaling = ScalingView(self.results, id="scaling")
            self.query_one(ContentSwitcher).add_content(self._scaling)
        return self._scaling

    def on_scaling_view_ready(self) -> None:
        scaling = self._scaling_view()
        if isinstance(self.view, Scaling):
            self.query_one(ContentSwitcher).current = "scaling"
            if scaling.focus_wanted:
                scaling.table.focus()
        scaling.focus_wanted = False

    def _apply_breakpoints(self) -> None:
        super()._apply_breakpoints()
        self._fold_sidebar()

    def on_resize(self) -> None:
        self._fold_sidebar()

    def watch_sidebar_wanted(self) -> None:
        self._fold_sidebar()

    def _fold_sidebar(self) -> None:
        folds = sidebar_folds(*self.app.size) if self.sidebar_wanted is None else not self.sidebar_wanted
        self.set_class(folds, "-fold")

    def action_sidebar(self) -> None:
        """Hide the sidebar if it shows (moving focus to the view), else bring it back."""
        sidebar = self.query_one(Sidebar)
        shown = not self.has_class("-fold") or sidebar.has_focus_within
        self.sidebar_wanted = not shown
        if shown:
            if sidebar.has_focus_within:
                self._focus_view()
        else:
            self.query_one(StudyTree).focus()

    def _focus_view(self) -> None:
        """Focus the open view's table."""
        if isinstance(self.view, Scaling):
            self._scaling_view().focus_table()
        else:
            self.query_one(SweepView).table.focus()

    def on_mount(self) -> None:
        if self.app.rest is not None:  # a first look: the whole results come right after its frame
            # (and the scaling view with them).
            self.call_after_refresh(self._take_whole_results)
        else:
            self.call_after_refresh(self._scaling_view)  # its keys are then in help, as every view's
        self.query_one(StudyTree).focus()
        self.open(first_view(self.results))  # now, so the first frame already shows data
        self.call_after_refresh(_settle_garbage)

    def place(self) -> Selection | None:
        """Where the explorer is, for the app's back key."""
        return self.view

    def open(self, view: Selection, point: str | None = None, *, remember: bool = True) -> None:
        """Show `view` (and, for the scaling study, put the cursor on model `point`); `remember`
        keeps the view it replaces for the back key."""
        if remember and self.view is not None and view != self.view:
            self.app.remember()
        self.view = view
        switcher = self.query_one(ContentSwitcher)
        if isinstance(view, Sweep):
            self.query_one(SweepView).show(view)
            switcher.current = "sweep"
        else:
            scaling = self._scaling_view()
            if scaling.ready:
                switcher.current = "scaling"
            if point is not None:
                scaling.select(point)
        tree = self.query_one(StudyTree)
        node = tree.node_for(view)
        if node is not None and tree.cursor_node is not node:
            parent = node.parent  # a folded model (many models) or group: unfold to show where we are
            while parent is not None and not parent.is_root:
                if not parent.is_expanded:
                    parent.expand()
                parent = parent.parent
            tree.call_after_refresh(tree.move_cursor, node)

    def watch_view(self, view: Selection | None) -> None:
        # Refreshing the keys rebuilds the footer; they depend on the kind of view, not which.
        self.view_kind = type(view)

    def watch_left(self) -> None:
        self._show_hint()

    async def _take_whole_results(self) -> None:
        """The first look is on screen: the whole file's results take its place (the same
        frame, now with every model's rows behind it)."""
        results = self.app.whole_results()
        if results is not None:
            await self.reload(results)

    async def reload(self, results: Results) -> None:
        """New data (--watch): rebuild the panes and stay on the open view if it still exists."""
        view, self.results = self.view, results
        constraints = self.query_one(SweepView).constraints
        every = sweeps(results)
        if self.left not in every:
            self.left = None
        self._scaling = None
        await self.recompose()
        # The panes just replaced held the old data: nothing may keep them (a reload a few seconds
        # apart, for hours, would keep every one). Start-up froze the first ones out of the
        # collector's sight: they are given back to it, collected, and what lives is frozen again.
        forget_removed_widgets(self, self.app)
        self.set_timer(COLLECT_AFTER_RELOAD, _collect_replaced)
        self.query_one(SweepView).constraints = constraints  # kept, applied to the new data by open()
        self._show_constraints()
        still_there = view in every or (view == SCALING and results.scaling.height > 0)
        self.open(view if still_there else first_view(results), remember=False)
        self._scaling_view()
        self.query_one(StudyTree).focus()
        self._show_hint()
        self.refresh_bindings()  # the new footer shows no keys until told they changed

    @on(Sidebar.Opened)
    def _opened(self, message: Sidebar.Opened) -> None:
        self.open(message.view)

    @on(Sidebar.FilterDone)
    def _filter_done(self, message: Sidebar.FilterDone) -> None:
        # A filter that is still narrowing the tree stays on show, so the tree never looks incomplete.
        self.query_one(Sidebar).set_class(bool(message.source.value), "-filtering")
        tree = self.query_one(StudyTree)
        tree.focus()
        tree.call_after_refresh(self._cursor_to_view)

    def _cursor_to_view(self) -> None:
        """After the tree is rebuilt, put its cursor back on the open view (if the filter shows it)."""
        tree = self.query_one(StudyTree)
        node = tree.node_for(self.view) if self.view is not None else None
        if node is not None:
            tree.move_cursor(node)

    @on(Tree.NodeHighlighted)
    def _tree_moved(self, event: Tree.NodeHighlighted) -> None:
        leaf = event.node.data
        if isinstance(leaf, Sweep) and leaf != self.view:
            # Likely opened next, or compared with the marked sweep: get it ready while the user looks.
            ahead = ([partial(self.app.prepare_compare, self.left, leaf)]
                     if self.left is not None and compare_kind(self.left, leaf) is not None else [])
            self.query_one(SweepView).prepare(leaf, *ahead)
        # `c` applies to sweep leaves, not to the scaling study or a model's row.
        self.can_compare = isinstance(self._target(), Sweep)

    @on(Input.Changed, "#filter")
    def _filter_typed(self, event: Input.Changed) -> None:
        self.filtering = bool(event.value)

    def action_filter(self) -> None:
        """Start a new filter: `/` then typing replaces the old one, as in less and vim."""
        sidebar = self.query_one(Sidebar)
        sidebar.add_class("-filtering")
        filter_box = sidebar.filter_box()
        filter_box.value = ""
        filter_box.focus()

    def action_scaling(self) -> None:
        if self.results.scaling.height:
            self.open(SCALING)
            self._scaling_view().focus_table()
        else:
            self.notify("The loaded data has no scaling study.", severity="warning")

    def action_budgets(self) -> None:
        self.app.show_budgets()

    def action_constraints(self) -> None:
        from tui.app.screens.constraints import ConstraintsScreen

        sweep = self.query_one(SweepView)

        def done(constraints) -> None:
            if constraints is not None:
                sweep.set_constraints(constraints)
                self._show_constraints()

        self.app.push_screen(ConstraintsScreen(sweep.constraints, sweep.score_name, sweep.knob), done)

    def _show_constraints(self) -> None:
        """The header names the constraints in force (None: the app's own sub-title, the data)."""
        sweep = self.query_one(SweepView)
        constraints = sweep.constraints
        limits = constraints.describe(sweep.score_name, sweep.knob)
        self.sub_title = (f"{self.app.sub_title} · advise: {limits}"
                          if constraints else None)

    def _target(self) -> Selection | None:
        """The sweep `c` acts on: the tree's cursor leaf when the tree has focus, else the open view."""
        tree = self.query_one(StudyTree)
        if self.focused is tree and tree.cursor_node is not None and tree.cursor_node.data is not None:
            return tree.cursor_node.data
        return self.view

    def action_compare(self) -> None:
        view = self._target()
        if not isinstance(view, Sweep):
            self.notify("Compare works on sweeps: open a model's benchmark or Average first.", severity="warning")
            return
        if self.left is None or self.left == view:
            if view != self.view:
                self.open(view)
            self.left = None if self.left == view else view
            return
        if compare_kind(self.left, view) is None:
            if view != self.view:
                self.open(view)
            self.notify("Compare two models on one benchmark, or two benchmarks of one model.",
                        title="Cannot compare", severity="warning")
            return
        opened = view == self.view
        if not opened:
            # Back from the comparison lands on `view`, as if it had been opened first; it is opened
            # then: under the comparison, every change to this screen would repaint that one.
            self.app.remember()
            self.app.remember(view)
        self.app.show_compare(self.left, view, remember=opened)
        self.left = None  # the hint goes when this screen shows again (`_show_hint`)

    def action_cancel(self) -> None:
        """Undo one thing: the sidebar filter first, then the compare mark, then the last move."""
        filter_box = self.query_one(Sidebar).filter_box()
        if filter_box.value:
            filter_box.action_clear()
        elif self.left is not None:
            self.left = None
        else:
            self.app.action_go_back()

    def view_data(self):
        """The open sweep's table (budgets x metrics, with how each value was obtained) or the scaling points."""
        from tui.app.screens.export import ViewData, chart_data
        from tui.render.scatter import SCALING_TITLE

        if isinstance(self.view, Sweep):
            sweep = self.query_one(SweepView)
            frame = sweep.frame  # the open sweep with the metrics on screen
            return ViewData(frame.rename({"knob": self.results.knob}), self.view.label.replace(" | ", "-"),
                            self.results.knob, chart=chart_data(sweep.chart, self.view.label))
        if isinstance(self.view, Scaling):
            chart = chart_data(self.query_one("#scaling-chart", ChartView), SCALING_TITLE)
            return ViewData(self.results.scaling, "scaling", self.results.knob, chart=chart)
        return None

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Keys that cannot apply are hidden from the footer (and left to other widgets)."""
        if action in ("export", "copy_view"):
            return self.view is not None
        if action == "cancel":
            return self.left is not None or self.filtering or bool(self.app.history)
        if action == "compare":
            return isinstance(self._target(), Sweep)  # follows focus too; can_compare only refreshes
        if action == "budgets":
            return self.results.sweep.height + self.results.aggregates.height > 0
        if action == "scaling":
            return not isinstance(self.view, Scaling) and self.results.scaling.height > 0
        return True

    def on_screen_resume(self, event: ScreenResume) -> None:  # before KvScreen's and Screen's own
        # Textual restyles a screen whole when it is shown; when first shown, each widget was just
        # styled as it mounted, with the same CSS: that restyle would change nothing.
        if self._composed_at is not None and self._composed_at == css_generation(self.app):
            event.refresh_styles = False
        self._composed_at = None
        if self._hint_stale:
            self._show_hint()

    def _show_hint(self) -> None:
        # Hidden, this screen is still laid out and repainted with the one over it: wait until shown.
        self._hint_stale = self.app.screen is not self
        if self._hint_stale:
            return
        hint = self.query_one("#compare-hint", Static)
        hint.set_class(self.left is not None, "-shown")
        if self.left is not None:
            hint.update(Text.assemble(("Compare: ", "bold"), self.left.label,
                                      " vs … open another sweep (same benchmark or same model)"
                                      " and press c; escape cancels"))


# Seconds after a reload: by then the replaced panes' last messages and tasks have let go of them.
COLLECT_AFTER_RELOAD = 0.5


def _collect_replaced() -> None:
    """What start-up froze (the first panes among it) back to the collector, collected, and what
    still lives frozen again."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _settle_garbage() -> None:
    """After the first frame: the data and widgets live as long as the screen, so they are kept
    out of the garbage collector's passes, and the collector (off while the app started, see
    `kvscope open`) runs again."""
    gc.freeze()
    gc.enable()
