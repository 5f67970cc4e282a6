"""What every kvscope screen shares: header (which data is open), footer (keys), too-small notice.

Below MIN_WIDTH x MIN_HEIGHT the breakpoint classes set by the app (see app.tcss) hide the
screen's widgets and show one sentence instead of a squashed layout. Keys keep working.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.app.textual_compat import FooterKey, KvHeader, breakpoint_classes, footer_bindings_ready, is_footer_rebuild

MIN_WIDTH, MIN_HEIGHT = 60, 16
# Footer keys given up first when the footer is too narrow for all (help still lists them),
# then any other from the right; the keys that open views and help are kept longest.
FOOTER_DROP_FIRST = ("quit", "export", "filter", "copy_cell", "layout", "swap")
FOOTER_KEEP = ("select_cursor", "scaling", "compare", "budgets", "help", "sidebar", "app.go_back")
PALETTE_KEY_WIDTH = 13  # "▏^p palette" and its padding, shown from 80 columns


class TooSmall(Static):
    """Shown instead of the screen when the terminal is below the usable size."""

    def __init__(self) -> None:
        super().__init__(f"Terminal too small. kvscope needs at least {MIN_WIDTH}x{MIN_HEIGHT}; "
                         "enlarge the window, or press q to quit.", markup=False)


class KvFooter(Footer):
    """Textual's footer, keeping the keys that matter most when they do not all fit."""

    _rebuild_queued = False
    _stale = False  # bindings changed while another screen was over this one

    def call_after_refresh(self, callback, *args, **kwargs) -> bool:
        # Textual queues a rebuild per change of bindings; one key often makes several (focus,
        # then a reactive, then a screen). One queued rebuild reads them all when it runs.
        if is_footer_rebuild(self, callback):
            if self._rebuild_queued:
                return True
            # A screen under another is still laid out and repainted with it: rebuild when shown.
            self._stale = self.screen is not self.app.screen
            if self._stale:
                return True
            self._rebuild_queued = True
        return super().call_after_refresh(callback, *args, **kwargs)

    def rebuild_if_stale(self) -> None:
        """Rebuild now that the screen shows, if bindings changed while it was hidden."""
        if self._stale:
            self._stale = False
            self.refresh(recompose=True)  # run by the footer itself: its keys bind to it as they mount

    _shown: tuple | None = None  # what the keys composed last show

    async def recompose(self) -> None:
        self._rebuild_queued = False
        if not self.is_attached:
            return  # a rebuild queued before its screen was recomposed without it
        # A change of bindings often shows the same keys (a focus, reopening a kept screen):
        # rebuilding the same footer would cost a relayout for nothing.
        if self._shown is not None and self._shown == self._keys_shown():
            return
        await super().recompose()

    def _keys_shown(self) -> tuple:
        """Everything the footer's keys show: each binding's key, label, state and tooltip (the
        hidden ones too: the palette key is one)."""
        if not footer_bindings_ready(self):
            return ()
        display = self.app.get_key_display
        return (self.app.size.width, self.compact, self.show_command_palette,
                *[(binding.key, binding.show, display(binding), binding.description, binding.action,
                   binding.group, enabled, tooltip or binding.tooltip)
                  for _, binding, enabled, tooltip in self.screen.active_bindings.values()])

    def compose(self) -> ComposeResult:
        self._shown = self._keys_shown()
        items = list(super().compose())  # no binding groups in kvscope: a flat list of FooterKeys
        keys = [item for item in items
                if isinstance(item, FooterKey) and not item.has_class("-command-palette")]
        self._width = self.app.size.width
        room = self._width - (PALETTE_KEY_WIDTH if self._width >= 80 else 0)
        width = lambda key: len(key.key_display) + len(key.description) + 2  # noqa: E731  key, space, margin
        order = ([k for name in FOOTER_DROP_FIRST for k in keys if k.action == name]
                 + [k for k in reversed(keys) if k.action not in FOOTER_DROP_FIRST + FOOTER_KEEP]
                 + [k for k in reversed(keys) if k.action in FOOTER_KEEP])
        dropped = set()
        while order and sum(width(k) for k in keys if id(k) not in dropped) > room:
            dropped.add(id(order.pop(0)))
        kept = [item for item in items if id(item) not in dropped]
        self.styles.grid_size_columns = len(kept)
        yield from kept

    def on_resize(self) -> None:
        if self.app.size.width != getattr(self, "_width", None):
            self.refresh(recompose=True)


class KvScreen(Screen):
    """Header, `compose_body()`, footer, and the too-small notice; `e` exports what `view_data` gives."""

    BINDINGS = [
        Binding("e", "export", "Export",
                tooltip="Write the view to a file (CSV, JSON, Parquet, Markdown, LaTeX; its chart as SVG, text)"),
        Binding("ctrl+y", "copy_view", "Copy view", show=False,
                tooltip="Copy the whole view as TSV: the data `e` exports, numbers as in CSV"),
        # Tables bind y and Y themselves; these answer when the focus is elsewhere (sidebar, chart).
        Binding("y,Y", "copy_nothing", "Copy", show=False,
                tooltip="On a table, its cell (y) or row (Y); elsewhere says to move to a table"),
    ]

    def compose(self) -> ComposeResult:
        self._apply_breakpoints()  # before any child is styled: no restyle of them for it later
        yield KvHeader()
        yield from self.compose_body()
        yield KvFooter(compact=True)
        yield TooSmall()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_screen_resume(self) -> None:
        # Textual sets the breakpoint classes on a Resize, after the first layout and only on the
        # top two screens: set here (and in compose) so no screen is laid out for the wrong size.
        self._apply_breakpoints()
        self.query_one(KvFooter).rebuild_if_stale()

    def _apply_breakpoints(self) -> None:
        self.update_classes(breakpoint_classes(self, *self.app.size), animate=False)

    def on_resize(self) -> None:
        # A maximized widget (Textual's "Maximize" command) would cover the notice: give it up.
        if self.maximized is not None and self._too_small():
            self.minimize()

    def maximize(self, widget, container: bool = True) -> bool:
        """Textual's maximize, refused below the usable size: the notice must stay on top (the
        palette's Maximize can run just after a resize)."""
        if self._too_small():
            return False
        return super().maximize(widget, container)

    def _too_small(self) -> bool:
        return self.app.size.width < MIN_WIDTH or self.app.size.height < MIN_HEIGHT

    def view_data(self):
        """The current view as a `ViewData` for export; None where there is nothing to export."""
        return None

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("export", "copy_view"):
            return type(self).view_data is not KvScreen.view_data
        return True

    def action_copy_view(self) -> None:
        data = self.view_data()
        if data is None or data.frame.height == 0:
            self.notify("Nothing to copy: this view has no rows.", title="Copy", severity="warning")
            return
        from tui.render.tables import plain

        self.app.copy_to_clipboard(plain(data.frame, "tsv", data.knob) + "\n")
        self.notify(f"Copied the view as TSV ({data.frame.height} rows x {data.frame.width} columns)",
                    title="Copy", markup=False)

    def action_copy_nothing(self) -> None:
        self.notify("Nothing to copy here: y copies a table's cell, Y its row (tab to a table); "
                    "ctrl+y copies the whole view.", title="Copy", severity="warning")

    def action_export(self) -> None:
        data = self.view_data()
        if data is None:
            return
        from tui.app.screens.export import ExportScreen

        def done(message: str | None) -> None:
            if message:
                self.notify(message, title="Exported", markup=False)  # a file name is text

        self.app.push_screen(ExportScreen(data), done)
