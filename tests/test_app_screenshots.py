"""`write_screenshots` renders views to SVGs that show what their names say.

The full set is slow-ish (one app per view), and the views themselves are pinned by the
snapshot tests, so this renders three and checks the file names and contents.
"""

from __future__ import annotations

import html
import os

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
