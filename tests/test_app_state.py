"""The explorer's and compare screen's state are reactives: setting one (from a key, the palette
or a test) brings its side effects, the footer's keys included, with no refresh called by hand."""

from __future__ import annotations

from textual.widgets import Static

from helpers import drive, screen_text, settle
from tui.app.selection import SCALING, Sweep
from tui.app.widgets.sidebar import StudyTree


def footer(app) -> str:
    return screen_text(app).splitlines()[-1]


def test_setting_the_compare_mark_shows_the_hint_and_the_back_key(bundled):
    async def check(app, pilot):
        screen = app.screen
        hint = screen.query_one("#compare-hint", Static)
        assert "esc Back" not in footer(app) and not hint.has_class("-shown")  # nothing to undo yet
        screen.left = Sweep("R1-Llama", "GPQA-D")
        await settle(pilot)
        assert hint.has_class("-shown") and "R1-Llama | GPQA-D" in screen_text(app)
        assert "esc Back" in footer(app)
        screen.left = None
        await settle(pilot)
        assert not hint.has_class("-shown") and "esc Back" not in footer(app)

    drive(bundled, [], check, size=(120, 40))


def test_the_footer_follows_the_kind_of_view_and_the_filter(bundled):
    async def check(app, pilot):
        screen = app.screen
        assert "s Scaling" in footer(app)
        screen.open(SCALING, remember=False)
        await settle(pilot)
        assert screen.view_kind is type(SCALING) and "s Scaling" not in footer(app)  # already there
        await pilot.press("slash", "l")
        screen.query_one(StudyTree).focus()  # the filter box's own escape would hide the screen's
        await settle(pilot)
        assert screen.filtering and "esc Back" in footer(app)  # escape clears the filter
        await pilot.press("escape")  # the tree keeps the focus: only the filter's state changes
        await settle(pilot)
        assert not screen.filtering and not app.history and "esc Back" not in footer(app)

    drive(bundled, [], check, size=(120, 40))


def test_the_sidebar_folds_when_its_wanted_state_changes(bundled):
    async def check(app, pilot):
        screen = app.screen
        assert not screen.has_class("-fold")
        screen.sidebar_wanted = False
        assert screen.has_class("-fold")
        screen.sidebar_wanted = None  # as the terminal suits: 120 columns keep it
        assert not screen.has_class("-fold")

    drive(bundled, [], check, size=(120, 40))


def test_v_cycles_the_compare_layout_through_its_classes(bundled):
    async def check(app, pilot):
        app.show_compare(Sweep("R1-Qwen", "GPQA-D"), Sweep("R1-Llama", "GPQA-D"))
        await settle(pilot)
        screen = app.screen
        seen = []
        for _ in range(3):
            await pilot.press("v")
            seen.append((screen.layout_class, screen.has_class("-chart-only"), screen.has_class("-table-only")))
        assert seen == [("-chart-only", True, False), ("-table-only", False, True), ("", False, False)]

    drive(bundled, [], check, size=(120, 40))


def test_opening_a_second_sweep_shows_the_back_key_and_going_back_hides_it(bundled):
    async def check(app, pilot):
        assert "esc Back" not in footer(app)
        app.screen.open(Sweep("R1-Qwen", "AMC23"))  # remembers the sweep on show
        await settle(pilot)
        assert app.history and "esc Back" in footer(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not app.history and "esc Back" not in footer(app)

    drive(bundled, [], check, size=(120, 40))
