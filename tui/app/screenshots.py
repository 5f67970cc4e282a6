"""`kvscope screenshots`: each main view rendered headlessly to an SVG, for docs and reviews.

Every view starts from a fresh app and reaches its state by pressing keys, like a user, so the
pictures also prove the keyboard journeys work. Rendering is deterministic (no clock, workers
waited for), so regenerating only changes files whose views changed.
"""

from __future__ import annotations

import asyncio
import gc
import os
from contextlib import contextmanager
from pathlib import Path

from tui.core.schema import Results

SIZE = (120, 36)

# (file stem, keys pressed from launch). Keys only: the same paths a user takes. The sidebar
# opens with its cursor on the first sweep (R1-Llama | AIME24); G jumps to its last line.
VIEWS: list[tuple[str, list[str]]] = [
    ("1-sweep-r1-llama-amc23", ["j", "j", "enter", "tab", "j"]),
    ("2-sweep-r1-qwen-average", ["G", "k", "enter"]),
    ("3-compare-models-gpqa-d", ["G", "k", "k", "c", "k", "k", "k", "k", "k", "k", "c"]),
    ("4-compare-budgets", ["b"]),
    ("5-scaling-kimi-vl-2506", ["s", "j"]),
    ("6-help", ["question_mark"]),
]


def write_screenshots(results: Results, out_dir: Path, size: tuple[int, int] = SIZE,
                      views: list[tuple[str, list[str]]] | None = None) -> list[Path]:
    """Render each view (default: all of VIEWS) into `out_dir`, created if missing; returns the SVG paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with _virtual_terminal(*size):
        return [asyncio.run(_shoot(results, out_dir / f"{stem}.svg", keys, size)) for stem, keys in views or VIEWS]


async def _shoot(results: Results, path: Path, keys: list[str], size: tuple[int, int]) -> Path:
    from tui.app.main import make_app

    app = make_app(results)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press("space" if key == " " else key)
        await app.workers.wait_for_complete()
        await pilot.pause()
        path.write_text(app.export_screenshot(title=f"kvscope: {path.stem}"), encoding="utf-8")
    # The explorer freezes what it built after its first frame (see `_settle_garbage`), this app
    # among it: back to the collector, or each finished app would stay for the next one's run.
    gc.unfreeze()
    return path


@contextmanager
def _virtual_terminal(width: int, height: int):
    """Headless runs have no terminal, and plotext caps figures at the size it reads from
    COLUMNS/LINES; give it the virtual terminal's size for the duration, then restore."""
    saved = {name: os.environ.get(name) for name in ("COLUMNS", "LINES")}
    os.environ["COLUMNS"], os.environ["LINES"] = str(width), str(height)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
