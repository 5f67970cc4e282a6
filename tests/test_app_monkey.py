"""Monkey tests: seeded random keys on every view, at sizes from 40x12 to 250x70.

Each run launches the app, goes to a view, and presses random keys: the live bindings of
whatever screen is showing, plus navigation keys, the filter (`/` then letters), the palette
(ctrl+p, letters, enter or escape), help, and now and then a resize of the terminal or a jump
to another view (made as the palette makes one: see `close_overlays`). Quit keys are never
pressed; if the app stops anyway it is launched again.

What must hold, all the time: nothing raises (run_test re-raises what a handler raised), the
too-small notice is on screen exactly below MIN_WIDTH x MIN_HEIGHT, and at the end the app still
answers a key within a time limit. Runs are deterministic in their keys: a failure names the
seed, the size and the last keys pressed, so it can be replayed.
"""

from __future__ import annotations

import asyncio
import os
import random
from collections import deque
from pathlib import Path

import polars as pl
import pytest
from textual.screen import ModalScreen

from helpers import post_key, screen_text
from tui.app.keys import bound_nodes, key_rows
from tui.app.main import make_app
from tui.app.screens.base import MIN_HEIGHT, MIN_WIDTH, KvScreen, TooSmall
from tui.app.screens.help import HelpScreen
from tui.app.selection import SCALING, Sweep, sweeps
from tui.core.loader import load
from tui.core.schema import AVG

# Keys per run. The default run is short (40 x 7.5 runs, about 300 keys: every start, two resizes
# and a jump each); `pytest --soak` (or KVSCOPE_SOAK=1) runs the long soak, 270 a run, about 2,000
# keys in all. KVSCOPE_MONKEY_KEYS=N sets N a run either way, and KVSCOPE_MONKEY_SEED=N adds N to
# every run's seed for other key sequences (the same N replays a failure).
SHORT_KEYS_PER_RUN = 40
SOAK_KEYS_PER_RUN = 270
SEED_OFFSET = int(os.environ.get("KVSCOPE_MONKEY_SEED", "0"))
# Every so many keys the terminal is resized, and every so many the monkey jumps to another view.
RESIZE_EVERY = 15
JUMP_EVERY = 25
# Keys come fast, as from a held-down key; every so many the app is let go idle.
SETTLE_EVERY = 8
# Seconds the app may take to settle after a key before it counts as frozen.
SETTLE_TIMEOUT = 20.0

SIZES = [(40, 12), (59, 15), (60, 16), (80, 24), (120, 40), (250, 70), (59, 40), (160, 15)]

QUIT_KEYS = {"q", "ctrl+q", "ctrl+c"}
NAVIGATION = ["up", "down", "left", "right", "tab", "shift+tab", "enter", "escape", "pageup", "pagedown",
              "home", "end", "space", "backspace", "question_mark", "f1"]
# What gets typed into the filter and the palette: no q, so a stray letter can never quit.
LETTERS = "abcdefghijklmnoprstuvwxyz0123456789-|"

VIEWS = ["sweep", "average", "compare", "budgets", "scaling", "help"]


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    """The monkey presses e then enter: exports land in a temporary folder, not the checkout."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def big_virtual_terminal(monkeypatch):
    """plotext caps figures at the terminal size it reads; headless runs have none."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.setenv("LINES", "200")


def wide_sweep(folder: Path, models: int, benchmarks: int = 20, budgets: int = 50):
    """`models` x `benchmarks` x `budgets`, one wide CSV with Pass@1 and throughput, loaded."""
    rng = random.Random(models)
    rows = [(f"model-{m:03d}", f"bench-{b:02d}", 256 * (k + 1), round(rng.uniform(0, 100), 1),
             round(rng.uniform(50, 2000), 0))
            for m in range(models) for b in range(benchmarks) for k in range(budgets)]
    frame = pl.DataFrame(rows, schema=["model", "benchmark", "kv_budget", "pass_at_1", "throughput_tps"],
                         orient="row")
    path = folder / f"sweep-{models}.csv"
    frame.write_csv(path)
    return load([path])


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """100 models x 20 benchmarks x 50 budgets: 100,000 rows."""
    return wide_sweep(Path(tmp_path_factory.mktemp("large")), 100)


HOSTILE = ["[bold red]x[/]", "\x1b]0;pwned\x07", "\u202eevil", "宽字符模型"]


@pytest.fixture
def hostile(write):
    rows = ["model,benchmark,kv_budget,pass_at_1,throughput_tps"]
    for i, model in enumerate(HOSTILE):
        for j, bench in enumerate(HOSTILE):
            m, b = ('"' + name.replace('"', '""') + '"' for name in (model, bench))
            rows += [f"{m},{b},2500,{40 + i + j},700", f"{m},{b},3000,{45 + i + j},650"]
    return load([write("hostile.csv", "\n".join(rows) + "\n")])


@pytest.fixture(scope="session")
def keys_per_run(soak) -> int:
    default = SOAK_KEYS_PER_RUN if soak else SHORT_KEYS_PER_RUN
    return int(os.environ.get("KVSCOPE_MONKEY_KEYS", default))


def too_small(size) -> bool:
    return size[0] < MIN_WIDTH or size[1] < MIN_HEIGHT


def check_notice(app) -> None:
    """On a kvscope screen, the notice shows exactly when the terminal is below the usable size."""
    screen = app.screen
    if not isinstance(screen, KvScreen):
        return  # the command palette draws over the screen and has no notice of its own
    notice = screen.query_one(TooSmall)
    shown = notice.display and notice.region.width > 0 and "Terminal too small" in screen_text(app)
    assert shown == too_small(app.size), f"too-small notice shown={shown} at {tuple(app.size)}"


def go(app, view: str) -> None:
    """Jump to `view` through the app's own API (as the palette does)."""
    every = sweeps(app.results)
    if view == "sweep" and every:
        app.show_view(every[0])
    elif view == "average" and every:
        app.show_view(next(v for v in every if v.benchmark == AVG))
    elif view == "compare" and every:
        left = every[0]
        right = next((v for v in every if v.benchmark == left.benchmark and v.model != left.model),
                     next((v for v in every if v.model == left.model and v != left), None))
        if right is not None:
            app.show_compare(left, right)
    elif view == "budgets":
        app.show_budgets()
    elif view == "scaling" and app.results.scaling.height:
        app.show_view(SCALING)
    elif view == "help" and not isinstance(app.screen, HelpScreen):
        app.action_help()


async def close_overlays(pilot) -> None:
    """What comes before a jump when a person makes one: it is a palette command, and the palette
    closes itself (and anything modal is closed to reach it) before the command runs, once the
    screens already asked for have mounted. Jumping from under a live palette or export dialog is
    not something a person can do, and Textual's palette fails when popped from outside (its
    command search and its enter handler assume it is still on top)."""
    await asyncio.wait_for(pilot.pause(), SETTLE_TIMEOUT)
    for _ in range(4):  # escape hides the palette's list first, then closes it
        if not isinstance(pilot.app.screen, ModalScreen):
            return
        await asyncio.wait_for(pilot.press("escape"), SETTLE_TIMEOUT)


async def press_held(app, pilot, key: str) -> None:
    """One key, as fast as a held-down key: its handlers run and the screen is drawn, but
    unlike `pilot.press` there is no wait for the process to go idle (that is every SETTLE_EVERY keys).
    The event is built as `Pilot.press` builds it."""
    post_key(app, key)
    await pilot._wait_for_screen()


class Monkey:
    """Chooses keys from a seeded generator; keeps the last ones for the failure message."""

    def __init__(self, seed: int, avoid: frozenset[str] = frozenset()) -> None:
        self.rng = random.Random(seed)
        self.avoid = QUIT_KEYS | avoid
        self.seed = seed
        self.last: deque[str] = deque(maxlen=40)
        self._bound: dict[type, list[str]] = {}

    def bound_keys(self, screen) -> list[str]:
        """The live bindings of `screen` (its own, the app's, its widgets'), quit keys left out."""
        kind = type(screen)
        if kind not in self._bound:
            keys = {key for node in bound_nodes(screen) for row in key_rows(node) for key in row.keys}
            self._bound[kind] = sorted(keys - self.avoid)
        return self._bound[kind]

    def next_presses(self, screen) -> list[str]:
        """One user gesture: a key, or `/` or ctrl+p followed by some typing."""
        roll = self.rng.random()
        if roll < 0.05:
            typed = [("space" if c == " " else c) for c in self.rng.choices(LETTERS, k=self.rng.randint(1, 6))]
            return ["slash", *typed, self.rng.choice(["enter", "escape", "down", "tab"])]
        if roll < 0.08 and "ctrl+p" not in self.avoid:
            typed = [c for c in self.rng.choices(LETTERS, k=self.rng.randint(0, 5))]
            return ["ctrl+p", *typed, *self.rng.choices(["down", "up"], k=self.rng.randint(0, 3)),
                    self.rng.choice(["enter", "escape", "escape"])]
        if roll < 0.55:
            return [self.rng.choice(self.bound_keys(screen))]
        return [self.rng.choice([key for key in NAVIGATION if key not in self.avoid])]


async def monkey_run(results, seed: int, keys: int, start_size: tuple[int, int], start_view: str,
                     avoid: frozenset[str] = frozenset(), views: list[str] = VIEWS) -> int:
    """Press `keys` random keys, relaunching if the app ever stops; returns how many launches it took.

    `avoid` names keys never pressed and `views` the views jumped to (a large sweep leaves out
    the ones a run should skip).
    """
    monkey = Monkey(seed + SEED_OFFSET, avoid)
    pressed, launches = 0, 0
    size, view = start_size, start_view
    while pressed < keys:
        launches += 1
        app = make_app(results)
        app.animation_level = "none"
        try:
            async with app.run_test(size=size) as pilot:
                await pilot.pause()
                go(app, view)
                await pilot.pause()
                while pressed < keys and app.is_running:
                    if pressed and pressed % RESIZE_EVERY == 0:
                        size = monkey.rng.choice(SIZES)
                        monkey.last.append(f"<resize {size[0]}x{size[1]}>")
                        await pilot.resize_terminal(*size)
                        await asyncio.wait_for(pilot.pause(), SETTLE_TIMEOUT)
                        check_notice(app)
                    if pressed and pressed % JUMP_EVERY == 0:
                        view = monkey.rng.choice(views)
                        monkey.last.append(f"<go {view}>")
                        await close_overlays(pilot)
                        go(app, view)
                    for key in monkey.next_presses(app.screen):
                        monkey.last.append(key)
                        await asyncio.wait_for(press_held(app, pilot, key), SETTLE_TIMEOUT)
                        pressed += 1
                        if not app.is_running:
                            break
                        if pressed % SETTLE_EVERY == 0:
                            await asyncio.wait_for(pilot.pause(), SETTLE_TIMEOUT)
                if app.is_running:
                    await asyncio.wait_for(app.workers.wait_for_complete(), SETTLE_TIMEOUT)
                    await asyncio.wait_for(pilot.pause(), SETTLE_TIMEOUT)
                    check_notice(app)
                    await still_answers(app, pilot)
        except Exception as exc:
            trail = " ".join(monkey.last)
            raise AssertionError(f"monkey seed={monkey.seed} size={size[0]}x{size[1]} after {pressed} keys; "
                                 f"last keys: {trail}") from exc
        assert app._exception is None
    return launches


async def still_answers(app, pilot) -> None:
    """Not frozen: back out of any overlay, then f1 must still open (or close) help in time."""
    for _ in range(5):
        if isinstance(app.screen, KvScreen):
            break
        await asyncio.wait_for(pilot.press("escape"), SETTLE_TIMEOUT)
    before = app.screen
    assert isinstance(before, KvScreen), f"stuck on {type(before).__name__}"
    await asyncio.wait_for(pilot.press("f1"), SETTLE_TIMEOUT)
    await asyncio.wait_for(pilot.pause(), SETTLE_TIMEOUT)
    assert app.screen is not before, "f1 changed nothing: the app no longer answers keys"


BUNDLED_RUNS = [  # (seed, start size, start view): every size and every view is a starting point
    (1, (80, 24), "sweep"),
    (2, (40, 12), "average"),
    (3, (59, 15), "compare"),
    (4, (60, 16), "budgets"),
    (5, (120, 40), "scaling"),
    (6, (250, 70), "help"),
]


@pytest.mark.parametrize("seed,size,view", BUNDLED_RUNS, ids=[f"{v}-{w}x{h}" for _, (w, h), v in BUNDLED_RUNS])
def test_monkey_bundled(bundled, keys_per_run, seed, size, view):
    asyncio.run(monkey_run(bundled, seed, keys_per_run, size, view))


def test_monkey_large_sweep(large, keys_per_run):
    assert len(large.models) == 100
    asyncio.run(monkey_run(large, 11, keys_per_run, (120, 40), "sweep"))


def test_monkey_hostile_names(hostile, keys_per_run):
    """Markup, terminal escapes, bidi overrides and wide characters in names: nothing raises, no
    escape reaches the screen, and markup shows as the text it is."""

    async def run():
        await monkey_run(hostile, 21, keys_per_run // 2, (80, 24), "sweep")
        app = make_app(hostile)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for view in VIEWS:
                go(app, view)
                await pilot.pause()
                for key in Monkey(22).rng.choices(NAVIGATION[:8], k=10):
                    await press_held(app, pilot, key)
                await pilot.pause()
                svg, text = app.export_screenshot(), screen_text(app)
                for raw in ("\x1b", "\x07", "\u202e"):
                    assert raw not in svg and raw not in text, f"{raw!r} on screen in {view}"
            app.show_view(Sweep(HOSTILE[0], HOSTILE[0]))
            await pilot.pause()
            assert "[bold red]x[/]" in screen_text(app)

    asyncio.run(run())


def test_too_small_notice_on_every_view_at_every_size(bundled):
    """Every view, resized through every size: the notice shows exactly below the usable size."""

    async def run():
        app = make_app(bundled)
        async with app.run_test(size=SIZES[0]) as pilot:
            await pilot.pause()
            for view in VIEWS:
                go(app, view)
                for size in SIZES[VIEWS.index(view) % 2::2]:  # 4 sizes a view, both sides of the minimum
                    await pilot.resize_terminal(*size)
                    check_notice(app)

    asyncio.run(run())


def test_the_palette_key_with_a_palette_under_help_opens_no_second_one(bundled):
    """Help opened over the palette through the app (no key does it: the monkey's jumps once
    did), then ctrl+p: Textual's is-open check saw only help and pushed a second palette with
    the same id (DuplicateIds)."""

    async def run():
        app = make_app(bundled)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+p")
            go(app, "help")
            await pilot.pause()
            await pilot.press("ctrl+p")
            await pilot.pause()
            names = [type(screen).__name__ for screen in app.screen_stack]
            assert names == ["ExplorerScreen", "Palette", "HelpScreen"]
            await pilot.press("escape", "escape")  # help, then the palette: back on the explorer
            assert type(app.screen).__name__ == "ExplorerScreen"
        assert app._exception is None

    asyncio.run(run())


def test_a_selection_reaching_a_closed_palette_is_ignored(bundled):
    """Enter queues the palette's selection; an escape (or the selection itself) can close the
    palette before a second one is handled. Textual's palette then dismissed itself again, popping
    the screen under it (ScreenStackError with one left), and ran the command again. Found by a
    1,500-key soak on the 100-model sweep (seed 11); here the late gesture is delivered directly."""

    async def run():
        app = make_app(bundled)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+p", *"gemma 27")
            await pilot.pause(0.3)  # the search runs in a worker
            palette = app.screen
            await pilot.press("enter")  # one hit: selected, the palette closes, the scatter opens
            await pilot.pause()
            assert [type(screen).__name__ for screen in app.screen_stack] == ["ExplorerScreen"]
            assert app.screen.query_one("#main").current == "scaling"
            palette._select_or_command()  # the late gesture
            await pilot.pause()
            assert [type(screen).__name__ for screen in app.screen_stack] == ["ExplorerScreen"]
        assert app._exception is None

    asyncio.run(run())


def test_a_screen_resized_while_buried_shows_the_notice_when_it_returns(bundled):
    """Textual sends a resize to the top screen and the one under it only: the explorer under
    budgets under help keeps the old size's classes until it is shown again. Back on it (a jump
    pops help and budgets), the notice must follow the new size, both ways."""

    async def run():
        app = make_app(bundled)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            go(app, "budgets")
            await pilot.pause()
            go(app, "help")
            await pilot.pause()
            await pilot.resize_terminal(40, 12)
            await pilot.pause()
            check_notice(app)
            go(app, "sweep")  # pops help and budgets: back on the explorer
            await pilot.pause()
            assert type(app.screen).__name__ == "ExplorerScreen"
            check_notice(app)
            go(app, "budgets")
            go(app, "help")
            await pilot.pause()
            await pilot.resize_terminal(120, 40)
            await pilot.pause()
            go(app, "sweep")
            await pilot.pause()
            check_notice(app)

    asyncio.run(run())


@pytest.fixture(scope="module")
def many_models(tmp_path_factory):
    """30 models x 20 benchmarks: small enough to time in a test, big enough to show the problem."""
    return wide_sweep(Path(tmp_path_factory.mktemp("many")), 30, budgets=3)


# A user presses a key and waits; longer than this and the app looks hung (the bundled data
# answers both keys in well under a second).
ANSWER_LIMIT = 5.0


async def seconds_to_answer(results, key: str) -> float:
    import time

    app = make_app(results)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        start = time.monotonic()
        await pilot.press(key)
        await pilot.pause()
        return time.monotonic() - start


def test_palette_opens_promptly_on_many_models(many_models):
    assert asyncio.run(seconds_to_answer(many_models, "ctrl+p")) < ANSWER_LIMIT


def test_budget_comparison_opens_promptly_on_many_models(many_models):
    assert asyncio.run(seconds_to_answer(many_models, "b")) < ANSWER_LIMIT
