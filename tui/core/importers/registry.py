"""Every importer, in the order they are tried: the first whose `matches` is true reads the file.

Adding an importer is one module in this package (see contract.py) and one line here: its name
and the formats (tui.core.files.Sniffed.fmt) its tool writes. A module is imported only when a
file of one of its formats is read: a Parquet table of ours costs none, a CSV only the importers
of tools that write CSV.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from functools import cache

from tui.core.errors import InputError
from tui.core.files import NotJson, Sniffed, sniff
from tui.core.importers.contract import Imported, Importer
from tui.core.importers.knob import KnobRule

IMPORTERS: dict[str, frozenset[str]] = {
    "lighteval": frozenset({"json"}),
    "lm_eval": frozenset({"json", "ndjson"}),
    "sglang": frozenset({"json", "ndjson"}),  # before vLLM: a one-run SGLang file is one JSON object
    # Before vllm: AIPerf/genai-perf exports also have a request_throughput key.
    "aiperf": frozenset({"json", "csv"}),
    "genai_perf": frozenset({"json", "csv"}),
    "llmperf": frozenset({"json"}),
    "vllm": frozenset({"json"}),
    "kvpress": frozenset({"json", "text"}),
    "inspect_ai": frozenset({"json", "zip"}),
    "evalscope": frozenset({"json"}),
    "guidellm": frozenset({"json"}),
    "opencompass": frozenset({"csv"}),
}


@cache
def _module(name: str) -> Importer:
    return importlib.import_module(f"tui.core.importers.{name}")  # type: ignore[return-value]


def importers(fmt: str | None = None) -> Iterator[Importer]:
    """The importers in the order they are tried; with `fmt`, only those that read that format."""
    return (_module(name) for name, formats in IMPORTERS.items() if fmt is None or fmt in formats)


def detect_and_import(path_or_file, knob_rule: KnobRule | None = None) -> Imported | None:
    """The file as an Imported sweep if a known tool wrote it, else None (our own tables).

    InputError when a tool's file is broken; a broken JSON document is blamed on the tool whose
    marker its head shows.
    """
    file = path_or_file if isinstance(path_or_file, Sniffed) else sniff(path_or_file)
    for importer in importers(file.fmt):
        try:
            claimed = importer.matches(file)
        except NotJson as exc:
            reason = str(exc).removeprefix(f"{file.path}: ")
            raise InputError(f"looks like a {importer.TOOL} result but is {reason}", path=file.path) from None
        if claimed:
            return importer.load(file, knob_rule)
    return None
