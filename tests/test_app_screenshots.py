"""`write_screenshots` renders views to SVGs that show what their names say.

The full set is slow-ish (one app per view), and the views themselves are pinned by the
snapshot tests, so this renders three and checks the file names and contents.
"""

from __future__ import annotations

import gc
import html
import os
import weakref

from tui.app.screenshots import VIEWS, write_screenshots


def test_write_screenshots(bundled, tmp_path, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)
    chosen = [view for view in VIEWS if view[0][0] in "135"]
    paths = write_screenshots(bundled, tmp_path / "shots", views=chosen)
    assert [p.name for p in paths] == [f"{stem}.svg" for stem, _ in chosen]
    text = {p.stem[0]: html.unescape(p.read_text(encoding="utf-8")).replace("\xa0", " ") for p in paths}
    assert "R1-Llama | AMC23" in text["1"] and "86.5" in text["1"]
    assert "R1-Qwen vs R1-Llama | GPQA-D" in text["3"] and "−6.7" in text["3"]
    assert "[Kimi-VL-A3B-Thinking-2506]" in text["5"]
    assert "COLUMNS" not in os.environ  # the virtual terminal size was put back


def test_each_finished_app_is_given_back_to_the_collector(bundled, tmp_path, monkeypatch):
    """The explorer freezes what it built after its first frame; six screenshots are six apps
    in one process, and a finished one must not stay frozen (kept) while the next one runs."""
    from tui.app import main

    apps = []
    make_app = main.make_app
    monkeypatch.setattr(main, "make_app", lambda results: apps.append(weakref.ref(app := make_app(results))) or app)
    write_screenshots(bundled, tmp_path, views=[VIEWS[0], VIEWS[0]])
    gc.collect()
    assert len(apps) == 2 and [ref() for ref in apps] == [None, None]
