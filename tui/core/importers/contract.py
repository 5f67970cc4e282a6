"""What an importer is: a module that recognises one tool's files by content and reads them as a sweep.

An importer module has:
- `TOOL`: the tool's name as its users know it; messages about its files name it.
- `matches(file: Sniffed) -> bool`: whether this tool wrote the file, decided by content (tools'
  file names are user-chosen). Cheap checks first (`file.fmt`, markers in `file.head`,
  `file.header()`); `file.document()` only once the head shows the tool's marker, so a broken
  JSON document is blamed on the tool whose marker it shows.
- `load(file: Sniffed, rule: KnobRule | None) -> Imported`: the file's numbers. A file this tool
  wrote but that lacks what the importer needs raises InputError naming the tool and what is
  missing.

Importers are listed in `registry.py`, in the order they are tried.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import polars as pl

from tui.core.files import Sniffed
from tui.core.importers.knob import KnobRule


@dataclass
class Imported:
    """One tool file as a sweep: the sweep frame of tui.core.schema (how="measured",
    reading="accepted") plus the string dimension columns in `dims`.

    `tool` says which writer and shape ("lm-eval 0.4", "vllm sweep", ...). `knob_name` is None when
    no knob was found (then `frame.knob` is null). `covers` lists every file whose numbers the frame
    holds (all of a vLLM sweep folder's files): the loader reads each of them only once.
    """

    tool: str
    frame: pl.DataFrame
    knob_name: str | None
    dims: list[str] = field(default_factory=list)
    covers: tuple[Path, ...] = ()
    # Runs of a group left out as failed (path, why); the frame holds only the measured ones.
    failed: list[tuple[Path, str]] = field(default_factory=list)
    # How the numbers were produced (generation settings, shots...): files of one model, benchmark
    # and knob are repeats only when these agree.
    settings: dict[str, str] = field(default_factory=dict)
    # True when the values are already on the scale shown (the tool writes percentages, or the
    # importer read the file's own scale): the loader's 0-1 fraction rule then leaves them alone.
    scale_settled: bool = False


class Importer(Protocol):
    """One tool's importer module (see the module docstring)."""

    TOOL: str

    def matches(self, file: Sniffed) -> bool: ...

    def load(self, file: Sniffed, rule: KnobRule | None) -> Imported: ...
