"""Every use of Textual's private API in kvscope (written against Textual 8.2.8), in one place.

Each item says why it is needed. tests/test_textual_workarounds.py has one test per item that
fails when an upgrade makes the item unnecessary or breaks it: then drop or adapt it here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on

# Each widget's cache of rendered lines (see `forget_removed_widgets`).
from textual._styles_cache import StylesCache
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.css.query import NoMatches
from textual.dom import DOMNode, NoScreen
from textual.events import Mount
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, OptionList

# The footer's key items: the footer drops some when they do not fit, and they have no public name.
from textual.widgets._footer import FooterKey  # noqa: F401  (re-exported)

# The header's title line: the only way to set it is to update this widget.
from textual.widgets._header import HeaderTitle

if TYPE_CHECKING:  # imported with the compare screen, not for the first frame
    from textual.widgets import DataTable


def breakpoint_classes(screen: Screen, width: int, height: int) -> dict[str, bool]:
    """The breakpoint classes `screen` gets at `width` x `height`, each on or off.

    Textual sets them on a Resize only, after a screen's first layout; computing them the same
    way lets a screen set them before it is laid out.
    """
    app = screen.app
    horizontal = (app.HORIZONTAL_BREAKPOINTS if screen.HORIZONTAL_BREAKPOINTS is None
                  else screen.HORIZONTAL_BREAKPOINTS) or []
    vertical = (app.VERTICAL_BREAKPOINTS if screen.VERTICAL_BREAKPOINTS is None
                else screen.VERTICAL_BREAKPOINTS) or []
    reached = (screen._get_breakpoint_classes(width, horizontal)
               | screen._get_breakpoint_classes(height, vertical))
    return {name: name in reached for _, name in [*horizontal, *vertical]}


def css_generation(app: App) -> int:
    """A number that changes whenever the app's CSS may style nodes differently (a new theme, a
    light or dark terminal theme). Textual restyles a whole screen each time it is pushed, since
    a screen off the stack misses restyles; a screen that notes this number when it is styled
    can tell when that restyle would change nothing."""
    return app._css_update_count


def measure_new_rows(table: DataTable) -> None:
    """Measure the rows just added to `table` now, as its next idle pass would (DataTable's
    `_on_idle`): until then its column widths, and any line drawn from them, are not final."""
    if table._require_update_dimensions:
        table._require_update_dimensions = False
        new_rows = table._new_rows.copy()
        table._new_rows.clear()
        table._update_dimensions(new_rows)


def forget_removed_widgets(*nodes: DOMNode) -> None:
    """Let go of widgets just removed, which Textual keeps in two caches:

    - each node's remembered `query_one` answers: keyed by a count of changes to the DOM, an
      answer about widgets since removed is never given again, but it is kept (up to 1,024) and
      holds those widgets, and the data they show;
    - `StylesCache.get_inner_outer`, an lru_cache on a method (its first parameter is named cls,
      but it is no classmethod): its 1,024 entries hold the render cache of every widget drawn
      since, with the lines it keeps.
    """
    for node in nodes:
        node._query_one_cache.clear()
    StylesCache.get_inner_outer.cache_clear()


def lay_out_hidden(screen: Screen) -> bool:
    """Lay out a screen that is not shown, if a layout is pending: Textual lays out only the
    current screen, so one refilled while hidden is laid out when it is shown, and that layout
    repaints its scroll views' scrollbars one frame later. True if it was laid out."""
    if screen.is_current or not screen._layout_required:
        return False
    screen._refresh_layout(screen.app.size)
    screen._layout_required = False
    return True


def footer_bindings_ready(footer: Footer) -> bool:
    """Whether the footer has been told its screen's bindings: before that its compose yields no
    keys, so what it would show cannot be compared with what it shows."""
    return footer._bindings_ready


def is_footer_rebuild(footer: Footer, callback) -> bool:
    """Whether a callback the footer queues after a refresh is its rebuild: on every change of
    bindings Textual's Footer queues `call_after_refresh(self.recompose)`, with no hook to coalesce
    several changes into one rebuild."""
    return callback == footer.recompose


def merged_bindings(node: DOMNode) -> list[tuple[str, Binding]]:
    """(key, binding) pairs `node` dispatches from: its classes' BINDINGS and those added at
    runtime (the palette key). No public API gives one node's merged map."""
    return list(node._bindings)


class KvHeader(Header):
    """Textual's header, whose title watchers tolerate a title widget that is already gone
    (a screen popped while it mounts); Textual's catch NoScreen only, not NoMatches."""

    def _on_mount(self, event: Mount) -> None:
        event.prevent_default()  # replaces Header._on_mount (Widget's only concerns scrollbars)

        async def set_title() -> None:
            try:
                self.query_one(HeaderTitle).update(self.format_title())
            except (NoScreen, NoMatches):
                pass

        for owner in (self.app, self.screen):
            self.watch(owner, "title", set_title)
            self.watch(owner, "sub_title", set_title)

    def on_unmount(self) -> None:
        # Textual drops a closed node's watchers only when the watched value next changes: a
        # header replaced while the titles stay the same (a --watch reload) would be kept.
        try:
            owners = (self.app, self.screen)
        except NoScreen:
            owners = (self.app,)
        for owner in owners:
            for watchers in getattr(owner, "__watchers", {}).values():
                watchers[:] = [(node, callback) for node, callback in watchers if node is not self]


class Palette(CommandPalette):
    """Textual's command palette, guarded where a key lands while it opens or closes."""

    def _action_command_list(self, action: str) -> None:
        # Paging before the list is laid out looks up a line that is not there yet (KeyError).
        try:
            super()._action_command_list(action)
        except KeyError:
            pass

    # A selection queued before an escape closed the palette would dismiss it a second time and
    # run the cancelled command: a closed palette ignores it. `prevent_default` keeps Textual's
    # own handlers for the same messages from running as well.
    @on(OptionList.OptionSelected)
    def _select_command(self, event: OptionList.OptionSelected) -> None:
        event.prevent_default()
        if self.is_active:
            super()._select_command(event)
        else:
            event.stop()

    @on(Input.Submitted)
    @on(Button.Pressed)
    def _select_or_command(self, event: Input.Submitted | Button.Pressed | None = None) -> None:
        if event is not None:
            event.prevent_default()
        if self.is_active:
            super()._select_or_command(event)
        elif event is not None:
            event.stop()
