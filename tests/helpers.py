"""Helpers shared by test modules (pytest puts tests/ on sys.path, so `from helpers import run`):
the CLI in-process (`run`) and the app driven by keys (`drive`, `press`, `settle`)."""

from __future__ import annotations

from tui.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    """Run `kvscope ARGS` in-process: (exit code, stdout, stderr)."""
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    return code, out, err


def many_models(folder):
    """Results of 20 models (m00..m19) x benchmarks x and y x budgets 1000 and 2000, Pass@1 only:
    more than the sidebar unfolds at start."""
    import polars as pl

    from tui.core.loader import load

    rows = [{"model": f"m{m:02d}", "benchmark": b, "kv_budget": k, "pass_at_1": float(m + k / 1000)}
            for m in range(20) for b in ("x", "y") for k in (1000, 2000)]
    path = folder / "many.csv"
    pl.DataFrame(rows).write_csv(path)
    return load([path])


async def settle(pilot) -> None:
    """Wait until the app is idle: the messages already sent handled, then its workers (insights,
    palette searches, file checks) done and the messages they sent handled."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def post_key(app, key: str) -> None:
    """Send one key event (a key name or a character) as Pilot.press builds it, without waiting."""
    from textual import events
    from textual.keys import _character_to_key, key_to_character

    name = _character_to_key(key) if len(key) == 1 and not key.isalnum() else key
    event = events.Key(name, key if len(key) == 1 else key_to_character(name))
    event.set_sender(app)
    app.post_message(event)


async def type_text(pilot, text: str) -> None:
    """Type `text` as a quick typist (or a paste) does: every character arrives before the app has
    handled the first. Pilot.press would wait for the app to go idle after each one."""
    for char in text:
        post_key(pilot.app, char)
    await settle(pilot)


async def press(pilot, *keys: str) -> None:
    """Press `keys`, one key name each, or "type:some text" to type the text; then wait until
    the app is idle (`settle`). Each key is handled before the next is sent, as with
    Pilot.press, which also waits for idle twice a key where one wait is enough."""
    for key in keys:
        if key.startswith("type:"):
            await type_text(pilot, key[5:])
        else:
            post_key(pilot.app, key)
            await pilot.pause()
    await settle(pilot)


def drive(results, keys, check, size=(80, 24), **app_options):
    """Launch the explorer on `results` at `size`, press `keys` (see `press`) and wait for it to be
    idle, then run `await check(app, pilot)`. `app_options` go to make_app (e.g. watch=[path])."""
    from tui.app.main import make_app

    drive_app(make_app(results, **app_options), keys, check, size)


def drive_app(app, keys, check, size=(80, 24)):
    """`drive` for any Textual app."""
    import asyncio

    async def journey():
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await press(pilot, *keys)
            await check(app, pilot)

    asyncio.run(journey())


def screen_text(app) -> str:
    """The characters on the screen, one line per row, no styles."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return "\n".join("".join(strip.text for strip in line) if not hasattr(line, "text") else line.text
                     for line in update.strips)


# One model, two benchmarks scored by different metrics (Pass@1, acc), both with throughput.
MIXED_METRICS = """model,benchmark,kv_budget,metric,value
M,alpha,2500,pass_at_1,40.0
M,alpha,2500,throughput_tps,600
M,alpha,5000,pass_at_1,50.0
M,alpha,5000,throughput_tps,500
M,beta,2500,acc,30.0
M,beta,2500,throughput_tps,640
M,beta,5000,acc,35.0
M,beta,5000,throughput_tps,520
"""


def without_throughput(text: str) -> str:
    """A tidy CSV's text without its throughput rows."""
    return "\n".join(line for line in text.splitlines() if "throughput" not in line) + "\n"
