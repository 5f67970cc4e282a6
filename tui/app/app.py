"""The Textual app: wiring only. Screens and widgets do the work; styles live in the .tcss files."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.css.stylesheet import StylesheetError
from textual.screen import Screen

from tui.app.screens.base import MIN_HEIGHT, MIN_WIDTH
from tui.app.screens.explorer import ExplorerScreen
from tui.app.selection import Selection, Sweep
from tui.app.textual_compat import Palette
from tui.core.errors import InputError
from tui.core.loader import LoadOptions
from tui.core.schema import Results
from tui.render.text import clean

WATCH_SECONDS = 1.0  # how often --watch polls file sizes and times
HISTORY_SIZE = 100  # places kept for the back key

# Where the user is: an explorer view, a comparison ("compare", left, right) or ("budgets",).
Place = Selection | tuple


def study_commands():
    """The command palette's provider, imported when the palette first opens, not at start."""
    from tui.app.commands import StudyCommands

    return StudyCommands


class KvscopeApp(App):
    """Opens on the explorer; the header names the data that is open."""

    CSS_PATH = ["app.tcss", "screens/explorer.tcss", "screens/compare.tcss"]
    TITLE = "kvscope"
    BINDING_GROUP_TITLE = "Everywhere"
    COMMANDS = App.COMMANDS | {study_commands}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark,f1", "help", "Help", key_display="?"),
    ]
    # Breakpoint classes on every screen; app.tcss swaps in the too-small notice below the minimum.
    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (MIN_WIDTH, "-narrow"), (80, "-medium"), (120, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (MIN_HEIGHT, "-low"), (20, "-short"), (32, "-tall")]

    def __init__(self, results: Results | Future, *, watch: list[Path] | None = None,
                 loading: str = "the results", options: LoadOptions | None = None) -> None:
        super().__init__()
        self.pending = results if isinstance(results, Future) else None
        self.results: Results | None = None
        self.rest: Future | None = None  # the whole load, while the explorer shows its first look
        self._look_shown: Callable[[], None] | None = None
        self.loading = loading
        self.watch_paths = watch
        self.load_options = options
        self.watcher = None
        self.history: list[Place] = []  # places visited before the current one, oldest first
        self._compare = None  # the CompareScreen, kept between comparisons
        self._comparisons = None  # the open data's comparisons, computed ahead or shown
        self.sub_title = f"loading {loading}"
        if self.pending is None:
            self.open_on(results)

    def open_on(self, results: Results, rest: Future | None = None, shown: Callable[[], None] | None = None
                ) -> None:
        """Before the app runs: open on `results` (the load it was made over has arrived), or on
        its first look (see tui.core.loader.first_look): then `rest` is the whole load, and
        `shown` is told when the first look is on screen."""
        self.results, self.pending = results, None
        self.rest, self._look_shown = rest, shown
        self.sub_title = clean(results.origin)

    def whole_results(self) -> Results | None:
        """After the first look's frame: the whole load's results, waited for on the event loop so
        that no key acts on the first look (keys typed meanwhile wait their turn). None when the
        rest of the file had a problem: the app then ends with its one-line message."""
        if self._look_shown is not None:
            self._look_shown()
        try:
            results = self.rest.result()
        except InputError as exc:
            self._load_failed(str(exc))
            return None
        finally:
            self.rest = self._look_shown = None
        self.results = results
        self.sub_title = clean(results.origin)
        self._start_watching()
        return results

    def parse_css(self) -> None:
        """Read and parse the app's CSS files now, before it runs (while a load runs in another
        thread): Textual keeps parsed CSS by its text, so starting finds them parsed. A CSS error
        is left for the start to report."""
        try:
            self.stylesheet.read_all(self.css_path)
            self.stylesheet.parse()
        except StylesheetError:
            pass

    def get_default_screen(self) -> Screen:
        if self.results is None:
            from tui.app.screens.loading import LoadingScreen

            return LoadingScreen(self.loading)
        return ExplorerScreen(self.results)

    def on_mount(self) -> None:
        if self.pending is not None:
            self._wait_for_data()
        elif self.rest is None:  # (with a first look: once the rest is in)
            self._start_watching()

    @work(thread=True)
    def _wait_for_data(self) -> None:
        """The CLI started the load before Textual was imported; wait for it off the event loop.
        Bad input ends the app with its one-line message; anything else is a bug and exits loudly."""
        try:
            results = self.pending.result()
        except InputError as exc:
            self.call_from_thread(self._load_failed, str(exc))
            return
        self.call_from_thread(self._data_arrived, results)

    def _load_failed(self, message: str) -> None:
        # After the next refresh: exiting while the first screen still mounts races Textual's header.
        self.call_after_refresh(self.exit, message, 2)

    def _data_arrived(self, results: Results) -> None:
        self.results, self.pending = results, None
        self.sub_title = clean(results.origin)
        # Pushed over the loading screen (the bottom screen of a stack cannot be switched out);
        # nothing pops the explorer, so the loading screen is never seen again.
        self.push_screen(ExplorerScreen(results))
        self._start_watching()

    # Live reload (--watch): poll in a thread, apply on the event loop, keep the last good data.
    def _start_watching(self) -> None:
        if self.watch_paths and self.results is not None:
            self._take_first_signature()

    @work(thread=True, group="watch-start", exit_on_error=False)
    def _take_first_signature(self) -> None:
        """The files' first signature: a folder walk or a bucket listing, so off the event loop."""
        from tui.core.watch import Watcher

        self.watcher = Watcher(self.watch_paths, self.results, self.load_options)
        self.call_from_thread(self.set_interval, WATCH_SECONDS, self._check_files)

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def _check_files(self) -> None:
        reload = self.watcher.check()
        if reload is not None:
            self.call_from_thread(self._apply_reload, reload)

    async def _apply_reload(self, reload) -> None:
        if reload.results is None:
            self.notify(clean(reload.message), title="Files changed", severity="warning", timeout=8)
            return
        here = self.current_place()
        self.results = reload.results
        self.sub_title = clean(reload.results.origin)
        await self.explorer.reload(reload.results)
        if isinstance(here, tuple):  # a comparison or the budgets: computed from the old data
            if self._reachable(here):
                self._go(here)  # built again from the new data
            else:
                self._back_to_explorer()
        self.notify(clean(reload.message), title="Reloaded", timeout=6)

    @property
    def explorer(self) -> ExplorerScreen:
        return next(s for s in self.screen_stack if isinstance(s, ExplorerScreen))

    def _back_to_explorer(self) -> ExplorerScreen:
        while not isinstance(self.screen, ExplorerScreen):
            self.pop_screen()
        return self.screen

    # -- places and the way back, like a browser's history ------------------------------------

    def current_place(self) -> Place | None:
        """The topmost screen's place (help and the palette have none: the screen under them)."""
        for screen in reversed(self.screen_stack):
            place = getattr(screen, "place", lambda: None)()
            if place is not None:
                return place
        return None

    def remember(self, place: Place | None = None) -> None:
        """Note `place` (by default the current one) before leaving it, for the back key."""
        place = self.current_place() if place is None else place
        if place is not None and (not self.history or self.history[-1] != place):
            self.history.append(place)
            del self.history[:-HISTORY_SIZE]
            self.screen.refresh_bindings()  # the back key applies now: the footer shows it

    def action_go_back(self) -> None:
        """Return to the previous place; with none left, close a pushed screen."""
        here = self.current_place()
        while self.history:
            place = self.history.pop()
            if place != here and self._reachable(place):
                self._go(place)
                self.screen.refresh_bindings()  # with no place left to go back to, the key goes
                return
        if not isinstance(self.screen, ExplorerScreen) and len(self.screen_stack) > 1:
            self.pop_screen()

    def _reachable(self, place: Place) -> bool:
        """After a reload (--watch) a remembered sweep may be gone."""
        from tui.app.selection import Scaling, sweeps

        if isinstance(place, Scaling):
            return self.results.scaling.height > 0
        if isinstance(place, Sweep):
            return place in sweeps(self.results)
        return place[0] == "budgets" or all(side in sweeps(self.results) for side in place[1:])

    def _go(self, place: Place) -> None:
        if isinstance(place, tuple) and place[0] == "compare":
            self.show_compare(*place[1:], remember=False)
        elif isinstance(place, tuple):
            self.show_budgets(remember=False)
        else:
            self.show_view(place, remember=False)

    def show_view(self, view: Selection, point: str | None = None, *, remember: bool = True) -> None:
        """Open `view` on the explorer from anywhere (the command palette, other screens)."""
        if remember:
            self.remember()
        self._back_to_explorer().open(view, point, remember=False)

    def comparisons(self):
        """The comparisons of the data open now (a reload starts anew): `Comparisons`."""
        from tui.app.screens.compare import Comparisons

        if self._comparisons is None or self._comparisons.results is not self.results:
            self._comparisons = Comparisons(self.results)
        return self._comparisons

    def _compare_screen(self):
        """The one CompareScreen, built on the first comparison and refilled for the next ones
        (installed, so leaving it keeps it); None before the first or after a reload."""
        screen = self._compare
        if screen is not None and screen.results is not self.results:
            self.uninstall_screen(screen)
            self._compare = screen = None
        return screen

    def prepare_compare(self, left: Sweep, right: Sweep) -> None:
        """Compute a comparison and draw its chart ahead: `left` is marked and `right` is likely next."""
        screen = self._compare_screen()
        if screen is not None and screen not in self.screen_stack:
            screen.prepare(left, right)
        else:
            self.comparisons().get(left, right)

    def show_compare(self, left: Sweep, right: Sweep, *, remember: bool = True) -> None:
        from tui.app.screens.compare import CompareScreen

        if remember:
            self.remember()
        self._back_to_explorer()
        screen = self._compare_screen()
        if screen is None:
            self._compare = screen = CompareScreen(self.results, left, right, self.comparisons())
            self.install_screen(screen, name="compare")
        else:
            screen.reopen(left, right)
        self.push_screen(screen)

    def show_budgets(self, *, remember: bool = True) -> None:
        from tui.app.screens.budgets import BudgetScreen

        if remember:
            self.remember()
        self._back_to_explorer()
        self.push_screen(BudgetScreen(self.results))

    def show_constraints(self) -> None:
        """The advisor's constraints form, over the explorer (what `a` opens there)."""
        self._back_to_explorer().action_constraints()

    # Every palette Textual opens (ours, its theme and command pickers) is the guarded Palette.
    def action_command_palette(self) -> None:
        # Textual's own check looks at the top screen only; a palette under help is still open,
        # and a second one with its id would raise DuplicateIds.
        if self.use_command_palette and not any(isinstance(s, Palette) for s in self.screen_stack):
            self.push_screen(Palette(id="--command-palette"))

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        self.push_screen(Palette(providers=[ThemeProvider], placeholder="Search for themes…"))

    def action_help(self) -> None:
        """Toggle the help screen for the screen underneath."""
        from tui.app.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        else:
            self.push_screen(HelpScreen(self.screen))
