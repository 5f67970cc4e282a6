"""The Textual app: wiring only. Screens and widgets do the work; styles live in the .tcss files."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from tui.app.commands import StudyCommands
from tui.app.screens.base import MIN_HEIGHT, MIN_WIDTH
from tui.app.screens.explorer import ExplorerScreen
from tui.app.selection import Selection, Sweep
from tui.core.schema import Results
from tui.render.text import clean


class KvscopeApp(App):
    """Opens on the explorer; the header names the data that is open."""

    CSS_PATH = ["app.tcss", "screens/explorer.tcss", "screens/compare.tcss"]
    TITLE = "kvscope"
    BINDING_GROUP_TITLE = "Everywhere"
    COMMANDS = App.COMMANDS | {StudyCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark,f1", "help", "Help", key_display="?"),
    ]
    # Breakpoint classes on every screen; app.tcss swaps in the too-small notice below the minimum.
    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (MIN_WIDTH, "-narrow"), (80, "-medium"), (120, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (MIN_HEIGHT, "-short"), (32, "-tall")]

    def __init__(self, results: Results) -> None:
        super().__init__()
        self.results = results
        self.sub_title = clean(results.origin)

    def get_default_screen(self) -> ExplorerScreen:
        return ExplorerScreen(self.results)

    @property
    def explorer(self) -> ExplorerScreen:
        return next(s for s in self.screen_stack if isinstance(s, ExplorerScreen))

    def _back_to_explorer(self) -> ExplorerScreen:
        while not isinstance(self.screen, ExplorerScreen):
            self.pop_screen()
        return self.screen

    def show_view(self, view: Selection, point: str | None = None) -> None:
        """Open `view` on the explorer from anywhere (the command palette, other screens)."""
        self._back_to_explorer().open(view, point)

    def show_compare(self, left: Sweep, right: Sweep) -> None:
        from tui.app.screens.compare import CompareScreen

        self._back_to_explorer()
        self.push_screen(CompareScreen(self.results, left, right))

    def show_budgets(self) -> None:
        from tui.app.screens.budgets import BudgetScreen

        self._back_to_explorer()
        self.push_screen(BudgetScreen(self.results))

    def action_help(self) -> None:
        """Toggle the help screen for the screen underneath."""
        from tui.app.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        else:
            self.push_screen(HelpScreen(self.screen))
