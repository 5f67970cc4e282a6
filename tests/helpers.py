"""Helpers shared by test modules (pytest puts tests/ on sys.path, so `from helpers import run`)."""

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


def drive(results, keys, check, size=(80, 24)):
    """Launch the app on `results`, press `keys` (a "type:..." item is typed character by
    character), wait for workers, then run `await check(app, pilot)`."""
    import asyncio

    from tui.app.main import make_app

    async def journey():
        app = make_app(results)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for key in keys:
                typed = ["space" if c == " " else c for c in key[5:]] if key.startswith("type:") else [key]
                await pilot.press(*typed)
            await app.workers.wait_for_complete()
            await pilot.pause()
            await check(app, pilot)

    asyncio.run(journey())


def screen_text(app) -> str:
    """The characters on the screen, one line per row, no styles."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return "\n".join("".join(strip.text for strip in line) if not hasattr(line, "text") else line.text
                     for line in update.strips)
