"""One test per workaround in tui/app/textual_compat.py: each fails when a Textual upgrade makes
its workaround unnecessary or breaks it. The docstring says what to do then."""

from __future__ import annotations

import inspect

import textual.widgets
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from helpers import drive_app
from tui.app import textual_compat
from tui.app.textual_compat import FooterKey, HeaderTitle, KvHeader, Palette, breakpoint_classes, merged_bindings

SIZE = (100, 30)


class KeyApp(App):
    """An app with one key ("x Ring") and `footer` to show it."""

    BINDINGS = [Binding("x", "bell", "Ring")]

    def __init__(self, footer: Footer) -> None:
        super().__init__()
        self.footer = footer

    def compose(self):
        yield self.footer


def test_footer_keys_have_no_public_name_and_carry_what_the_footer_trims_by():
    """KvFooter drops FooterKey items by action and width. If Textual exports FooterKey publicly,
    import it from there; if the items lose these attributes, KvFooter.compose must change."""
    assert not hasattr(textual.widgets, "FooterKey")

    async def check(app, pilot):
        items = [item for item in app.query(FooterKey) if item.action == "bell"]
        assert [(item.key_display, item.description) for item in items] == [("x", "Ring")]

    drive_app(KeyApp(Footer()), [], check, SIZE)


def test_footer_still_says_privately_when_it_knows_its_bindings():
    """KvFooter compares the keys it would show with those it shows only once the footer knows
    its screen's bindings; Textual has no public flag for that. If Footer renames or drops
    `_bindings_ready`, adapt `footer_bindings_ready`."""
    footer = Footer()
    assert textual_compat.footer_bindings_ready(footer) is False

    async def check(app, pilot):
        assert textual_compat.footer_bindings_ready(app.query_one(Footer)) is True

    drive_app(KeyApp(Footer()), [], check, SIZE)


def test_footer_still_rebuilds_through_a_queued_recompose_on_a_change_of_bindings():
    """KvFooter coalesces the footer's rebuilds by catching `call_after_refresh(self.recompose)`,
    which Footer queues for every change of bindings. If Footer rebuilds another way, KvFooter's
    `call_after_refresh` override no longer sees the rebuilds: adapt `is_footer_rebuild`."""
    queued = []

    class Watching(Footer):
        def call_after_refresh(self, callback, *args, **kwargs) -> bool:
            queued.append(textual_compat.is_footer_rebuild(self, callback))
            return super().call_after_refresh(callback, *args, **kwargs)

    async def check(app, pilot):
        queued.clear()
        app.screen.refresh_bindings()
        await pilot.pause()
        assert queued and all(queued)

    drive_app(KeyApp(Watching()), [], check, SIZE)


def test_header_title_watchers_still_fail_once_the_title_widget_is_gone():
    """Textual's Header updates its HeaderTitle from title watchers that catch NoScreen only. If
    this test fails because the plain Header no longer raises, drop KvHeader and use Header."""

    class Plain(App):
        def compose(self):
            yield Header()

    async def check(app, pilot):
        await app.query_one(HeaderTitle).remove()
        app.title = "changed"
        await pilot.pause()

    failed = None
    try:
        drive_app(Plain(), [], check, SIZE)
    except Exception as exc:  # the app re-raises what crashed it
        failed = exc
    assert type(failed).__name__ == "NoMatches"


def test_kv_header_survives_a_title_change_without_its_title_widget():
    """The workaround itself: the same change under KvHeader does not crash the app."""

    class Guarded(App):
        def compose(self):
            yield KvHeader()

    async def check(app, pilot):
        await app.query_one(HeaderTitle).remove()
        app.title = "changed"
        await pilot.pause()
        assert app.is_running

    drive_app(Guarded(), [], check, SIZE)


def test_breakpoint_classes_are_still_set_only_after_the_first_layout():
    """Textual sets breakpoint classes on a Resize, after compose; KvScreen sets them in compose
    with `breakpoint_classes`. If Textual sets them before compose (the first assertion fails),
    drop the helper; if `_get_breakpoint_classes` changes, the second fails: adapt the helper."""
    seen: dict[str, set[str]] = {}

    class Probe(Screen):
        HORIZONTAL_BREAKPOINTS = [(0, "-small"), (80, "-big")]

        def compose(self):
            seen["compose"] = set(self.classes)
            yield Static("x")

    class Probing(App):
        def on_mount(self):
            self.push_screen(Probe())

    async def check(app, pilot):
        await pilot.pause()
        assert "-big" not in seen["compose"]
        assert "-big" in app.screen.classes and "-small" not in app.screen.classes
        assert breakpoint_classes(app.screen, 100, 30) == {"-small": False, "-big": True}
        assert breakpoint_classes(app.screen, 60, 30) == {"-small": True, "-big": False}

    drive_app(Probing(), [], check, SIZE)


def test_merged_bindings_include_keys_added_at_runtime_that_no_public_api_lists():
    """The help screen lists what `merged_bindings` gives; the palette key (ctrl+p) is added to
    the app at runtime, in no BINDINGS. If Textual gains a public per-node bindings map, use it."""

    async def check(app, pilot):
        declared = {b.action for cls in type(app).__mro__ for b in cls.__dict__.get("BINDINGS", [])
                    if isinstance(b, Binding)}
        merged = {binding.action for _, binding in merged_bindings(app)}
        assert "command_palette" in merged and "command_palette" not in declared
        assert not hasattr(app, "bindings_map")  # no public name for the merged map yet

    drive_app(App(), [], check, SIZE)


def test_palette_overrides_still_match_textual_and_textual_still_lacks_the_guards():
    """Palette overrides three private CommandPalette methods. If one is renamed, this fails:
    rename it in Palette. If Textual's own handlers check `is_active` (the selection guard) or
    catch the KeyError of paging early, drop that override."""
    for name in ("_action_command_list", "_select_command", "_select_or_command"):
        ours, theirs = getattr(Palette, name), getattr(CommandPalette, name)
        assert ours is not theirs
        assert list(inspect.signature(ours).parameters) == list(inspect.signature(theirs).parameters)
    assert "is_active" not in inspect.getsource(CommandPalette._select_command)
    assert "is_active" not in inspect.getsource(CommandPalette._select_or_command)
    assert "KeyError" not in inspect.getsource(CommandPalette._action_command_list)


def test_textual_private_names_are_used_only_in_the_compat_module():
    """Every `textual.*._x` import and `_get_breakpoint_classes` / `._bindings` use lives in
    textual_compat, so an upgrade has one module to check."""
    from pathlib import Path

    app_dir = Path(textual_compat.__file__).parent
    private = ("from textual.widgets._", "from textual._", "._get_breakpoint_classes", "._bindings")
    users = sorted(str(path.relative_to(app_dir)) for path in app_dir.rglob("*.py")
                   if any(name in path.read_text() for name in private))
    assert users == ["textual_compat.py"]


def test_a_pushed_screen_is_still_restyled_whole_and_the_css_generation_follows_the_theme():
    """CompareScreen skips Textual's restyle of a pushed screen while `css_generation` is
    unchanged. If push_screen stops asking for that restyle (the first assertion fails), drop
    the skip; if the generation no longer moves with the theme (the last fails), find what does."""

    asked: list[bool] = []

    class Probe(Screen):
        def on_screen_resume(self, event):
            asked.append(event.refresh_styles)

    async def check(app, pilot):
        app.push_screen(Probe())
        await pilot.pause()
        assert asked == [True]
        before = textual_compat.css_generation(app)
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        assert textual_compat.css_generation(app) != before

    drive_app(App(), [], check, SIZE)


def test_a_table_still_measures_added_rows_when_idle_and_measuring_them_first_is_the_same():
    """`measure_new_rows` does now what DataTable's idle pass does to rows just added. If the
    table measures rows as they are added (the first assertion fails), drop the helper; if its
    private names change, this raises: adapt the helper to the new `_on_idle`."""
    from textual.widgets import DataTable

    class Tables(App):
        def compose(self):
            yield DataTable(id="idle")
            yield DataTable(id="now")

    async def check(app, pilot):
        await pilot.pause()
        idle, now = app.query_one("#idle", DataTable), app.query_one("#now", DataTable)
        for table in (idle, now):
            table.add_columns("a", "b")
            table.add_rows([("x", "a much longer cell"), ("yy", "z")])
        before = idle.virtual_size
        textual_compat.measure_new_rows(now)
        measured = now.virtual_size
        assert before.width < len("a much longer cell") < measured.width
        await pilot.pause()
        assert idle.virtual_size == measured == now.virtual_size
        assert [c.content_width for c in idle.ordered_columns] == [c.content_width for c in now.ordered_columns]

    drive_app(Tables(), [], check, SIZE)


def test_a_hidden_screen_is_still_laid_out_only_when_shown():
    """`lay_out_hidden` lays out a screen off the stack, which Textual leaves until it is shown.
    If Textual lays out hidden screens itself (the first assertions fail), drop the helper; if
    the private names change, this raises: adapt it."""
    from textual.app import ComposeResult

    class Probe(Screen):
        def compose(self) -> ComposeResult:
            yield Static("one line", id="text")

    async def check(app, pilot):
        probe = Probe()
        app.install_screen(probe, name="probe")
        app.push_screen("probe")
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        text = probe.query_one("#text", Static)
        text.update("one\ntwo\nthree")  # asks for a layout: three lines instead of one
        await pilot.pause()
        assert text.region.height == 1 and probe._layout_required
        assert textual_compat.lay_out_hidden(probe)
        assert text.region.height == 3 and not probe._layout_required
        assert not textual_compat.lay_out_hidden(probe)  # nothing pending

    drive_app(App(), [], check, SIZE)


def test_textual_still_keeps_removed_widgets_in_two_caches():
    """`forget_removed_widgets` empties the two caches where Textual keeps widgets it removed: a
    node's `query_one` answers, and `StylesCache.get_inner_outer`'s lru_cache, whose keys hold
    the StylesCache (a widget's rendered lines) it was called on. If an assertion before the call
    fails, Textual lets go of them itself there: drop that part of the helper; if the private
    names change, this raises: adapt it."""
    import gc

    from textual._styles_cache import StylesCache
    from textual.color import Color

    def held_by_the_lru_cache(obj) -> bool:
        # Read from the cache's side: the app tests freeze objects, which get_referrers skips.
        cache = [d for d in gc.get_referents(StylesCache.get_inner_outer) if isinstance(d, dict)]
        return any(isinstance(key, tuple) and any(item is obj for item in key) for d in cache for key in d)

    lines = StylesCache()
    lines.get_inner_outer(Color(0, 0, 0), Color(10, 20, 30))  # as drawing a widget does
    assert held_by_the_lru_cache(lines)

    async def check(app, pilot):
        await app.screen.mount(Static("old", id="old"))
        await pilot.pause()
        old = app.screen.query_one(Static)
        await old.remove()
        await pilot.pause()
        cache = app.screen._query_one_cache
        assert any(cache.get(key) is old for key in cache.keys())  # removed, still remembered
        textual_compat.forget_removed_widgets(app.screen)
        assert len(cache) == 0 and not held_by_the_lru_cache(lines)

    drive_app(App(), [], check, SIZE)


def test_a_removed_header_is_still_watched_until_the_title_changes_and_kv_header_is_not():
    """KvHeader drops its title watchers when it is unmounted; Textual's Header leaves them on
    the app until the watched value next changes, which keeps the header alive. If the first
    assertion fails, Textual drops them itself: remove KvHeader.on_unmount; if `__watchers`
    changes, this raises: adapt it."""

    def watched(app) -> set:
        return {type(node).__name__ for watchers in getattr(app, "__watchers", {}).values()
                for node, _ in watchers}

    async def check(app, pilot):
        for header in (Header(), KvHeader()):
            await app.screen.mount(header)
            await pilot.pause()
            assert type(header).__name__ in watched(app)
            await header.remove()
            await pilot.pause()
        assert watched(app) == {"Header"}  # Textual's is still watched; KvHeader took its own off

    drive_app(App(), [], check, SIZE)
