"""OpenCompass summary CSVs (`outputs/<run>/summary/summary_<time>.csv`), all versions so far.

Recognised by the header OpenCompass writes: `dataset,version,metric,mode` and then one column
per model (its abbreviation). Rows are datasets; separator rows (`----------,...` or
`--------- 考试 Exam ---------`, a dataset cell of dashes) are skipped. A cell is a score already
in percent (`82.00`), possibly with the counts it came from (`82.00 (7/8)`, kept in the note), or
`-` when the model has no score for that dataset (left out).

Mapping: model = the column header (an automatic abbreviation,
`opencompass.models.huggingface.HuggingFace_org_name`, loses its class prefix), benchmark =
dataset, metric = the metric column (accuracy, humaneval_pass@1, naive_average ...). `version`
(the dataset config's hash) and `mode` (gen, ppl) go in the note. The knob comes from a `--knob`
rule or the path, as for every file.
"""

from __future__ import annotations

import csv
import io
import re

from tui.core.errors import InputError
from tui.core.files import Sniffed
from tui.core.importers.common import benchmark_name, frame, knob_name
from tui.core.importers.contract import Imported
from tui.core.importers.knob import KnobRule, find_knob

TOOL = "OpenCompass"
HEADER = ["dataset", "version", "metric", "mode"]
CELL = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*(?:\((\d+)\s*/\s*(\d+)\))?\s*$")
MISSING = {"-", "", "nan"}
# OpenCompass names a model without an `abbr` "<module path>.<class>_<hub path with / as _>".
AUTO_ABBR = re.compile(r"^opencompass\.models\.(?:[a-z0-9_]+\.)*[A-Za-z0-9]+_(?=.)")


def matches(file: Sniffed) -> bool:
    columns = file.header()
    return [c.lower() for c in columns[:4]] == HEADER and len(columns) > 4


def _score(cell: str, file: Sniffed, line: int, column: str) -> tuple[float, str] | None:
    """(score, counts note) of one cell, None for no score; InputError for anything else."""
    if cell.strip().lower() in MISSING:
        return None
    found = CELL.match(cell)
    if found is None:
        raise InputError(f"{TOOL} summary: {cell!r} is not a score", path=file.path, row=f"line {line}",
                         column=column)
    counts = f"{found.group(2)}/{found.group(3)} correct" if found.group(2) else ""
    return float(found.group(1)), counts


def _rows(file: Sniffed) -> list[tuple[int, list[str]]]:
    text = file.text()
    return list(enumerate(csv.reader(io.StringIO(text)), start=1))


def load(file: Sniffed, rule: KnobRule | None) -> Imported:
    lines = _rows(file)
    models = [AUTO_ABBR.sub("", name.strip()) for name in lines[0][1][4:]]
    for position, name in enumerate(models, start=5):
        if not name:
            raise InputError(f"{TOOL} summary: model column {position} has no name", path=file.path)
    knob = find_knob(file.path, None, rule=rule)
    rows = []
    for line, cells in lines[1:]:
        if not cells or not cells[0].strip() or cells[0].strip().startswith("-"):
            continue  # a separator or blank row between dataset groups
        if len(cells) != 4 + len(models):
            raise InputError(f"{TOOL} summary: {len(cells)} fields, the header has {4 + len(models)}",
                             path=file.path, row=f"line {line}")
        dataset, version, metric, mode = (c.strip() for c in cells[:4])
        for model, cell in zip(models, cells[4:]):
            score = _score(cell, file, line, model)
            if score is not None:
                note = "; ".join(filter(None, [f"{TOOL} {mode}", f"version {version}", score[1]]))
                rows.append({"model": model, "benchmark": benchmark_name(dataset),
                             "metric": metric or "score", "value": score[0], "note": note})
    if not rows:
        raise InputError(f"{TOOL} summary: no scores (every cell is '-' or the file has no dataset rows)",
                         path=file.path)
    table = frame(rows, [], str(file.path), knob)
    # OpenCompass writes percentages: a 0.33 is 0.33 %, never a fraction to scale.
    return Imported(tool=TOOL, frame=table, knob_name=knob_name(rule, knob),
                    covers=(file.path,), scale_settled=True)

