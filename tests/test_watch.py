"""Live reload keeps the last good data through rewrites, truncation and deletion."""

from __future__ import annotations

import os
import time

from tui.core.loader import load
from tui.core.watch import Watcher

GOOD = "model,benchmark,kv_budget,pass_at_1\nq,b,2500,40\nq,b,3000,45\n"


def touch_later(path, text):
    path.write_text(text)
    later = time.time() + 5
    os.utime(path, (later, later))


def test_no_change_means_no_reload(write):
    path = write("r.csv", GOOD)
    watcher = Watcher([path], load([path]))
    assert watcher.check() is None


def test_rewrite_reloads_and_says_what_changed(write):
    path = write("r.csv", GOOD)
    watcher = Watcher([path], load([path]))
    touch_later(path, GOOD.replace("45", "47") + "q,b,3500,50\nm2,b,2500,30\n")
    change = watcher.check()
    assert change.results is not None
    assert "reloaded r.csv" in change.message
    assert "new model m2" in change.message and "2 values added" in change.message
    assert "1 value changed" in change.message


def test_half_written_file_keeps_last_good_data(write):
    path = write("r.csv", GOOD)
    watcher = Watcher([path], load([path]))
    touch_later(path, GOOD + "q,b,35")  # a row cut off mid-write: duplicate key with a different value
    change = watcher.check()
    assert change.results is None and change.message.startswith("kept the last good data:")
    touch_later(path, GOOD + "q,b,3500,50\n")
    assert watcher.check().results is not None


def test_truncated_and_deleted_files(write):
    path = write("r.csv", GOOD)
    watcher = Watcher([path], load([path]))
    touch_later(path, "")
    change = watcher.check()
    assert change.results is None and "file is empty" in change.message
    path.unlink()
    change = watcher.check()
    assert change.results is None and "was deleted" in change.message


def test_new_file_in_a_watched_folder(write, tmp_path):
    write("runs/a.csv", GOOD)
    folder = tmp_path / "runs"
    watcher = Watcher([folder], load([folder]))
    write("runs/b.csv", "model,benchmark,kv_budget,pass_at_1\nm3,b,2500,20\n")
    change = watcher.check()
    assert change.results is not None and "b.csv" in change.message and "new model m3" in change.message
