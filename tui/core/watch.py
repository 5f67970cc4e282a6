"""Live reload: notice when result files change, reload, and keep the last good data on failure.

Polling file signatures (size, mtime) is portable and cheap for the handful to thousands of
files a sweep writes; no extra dependency or OS watcher is needed. The app calls `check()`
from a timer in a worker thread and shows the returned message.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from tui.core import remote
from tui.core.errors import InputError
from tui.core.files import discover
from tui.core.loader import LoadOptions, load
from tui.core.schema import Results

Signature = dict[str, tuple[int, int]]
REMOTE_POLL_SECONDS = 10.0  # a bucket is listed at most this often (each listing is a request or more)


@dataclass(frozen=True)
class Reload:
    """The outcome of a check that saw a change: new results (None: keep the old) and what to say."""

    results: Results | None
    message: str


class Watcher:
    def __init__(self, paths: list[Path], results: Results, options: LoadOptions | None = None) -> None:
        self.urls = [remote.ListingPoll(url, REMOTE_POLL_SECONDS) for url in map(remote.as_url, paths) if url]
        self.paths = [Path(p) for p in paths if not remote.as_url(p)]
        self.results = results
        self.options = options  # the same --knob / --*-col rules as the first load
        self.signature = self._signature()

    def _signature(self) -> Signature:
        try:
            files, _ = discover(self.paths)
        except InputError:
            files = []
        signature = {}
        for path in files:
            try:
                stat = path.stat()
                signature[str(path)] = (stat.st_size, stat.st_mtime_ns)
            except OSError:
                signature[str(path)] = (-1, -1)
        missing = [p for p in self.paths if not p.exists()]
        for path in missing:
            signature[str(path)] = (-1, -1)
        for poll in self.urls:
            signature.update(poll.signature())
        return signature

    def check(self) -> Reload | None:
        """None when nothing changed; otherwise a Reload (new data, or the last good data kept)."""
        signature = self._signature()
        if signature == self.signature:
            return None
        changed = _changed_files(self.signature, signature)
        self.signature = signature
        gone = [p for p in self.paths if not p.exists()]
        if gone:
            return Reload(None, f"{gone[0]} was deleted; showing the last good data")
        try:
            fresh = load([*self.paths, *(poll.url for poll in self.urls)], self.options).prepare()
        except InputError as exc:
            return Reload(None, f"kept the last good data: {exc}")
        message = f"{changed}: {describe_change(self.results, fresh)}"
        self.results = fresh
        return Reload(fresh, message)


def _changed_files(old: Signature, new: Signature) -> str:
    touched = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    more = f" and {len(touched) - 3} more" if len(touched) > 3 else ""
    names = ", ".join(os.path.basename(k) for k in touched[:3]) + more
    return f"reloaded {names}" if touched else "reloaded"


def describe_change(old: Results, new: Results) -> str:
    """A short account of what differs: models added or removed, values added, changed, removed."""
    key = ["model", "benchmark", "knob", "metric"]
    a = pl.concat([old.sweep, old.aggregates]).select(*key, "value")
    b = pl.concat([new.sweep, new.aggregates]).select(*key, "value")
    joined = a.join(b, on=key, how="full", coalesce=True, suffix="_new")
    added = joined.filter(pl.col("value").is_null() & pl.col("value_new").is_not_null()).height
    removed = joined.filter(pl.col("value").is_not_null() & pl.col("value_new").is_null()).height
    changed = joined.filter(pl.col("value").is_not_null() & pl.col("value_new").is_not_null()
                            & (pl.col("value") != pl.col("value_new"))).height
    parts = []
    new_models = sorted(set(new.models) - set(old.models))
    lost_models = sorted(set(old.models) - set(new.models))
    if new_models:
        parts.append(f"new model{'s' if len(new_models) > 1 else ''} {', '.join(new_models)}")
    if lost_models:
        parts.append(f"model{'s' if len(lost_models) > 1 else ''} {', '.join(lost_models)} gone")
    for count, word in ((added, "added"), (changed, "changed"), (removed, "removed")):
        if count:
            parts.append(f"{count} value{'s' if count != 1 else ''} {word}")
    return "; ".join(parts) or "no values changed"
