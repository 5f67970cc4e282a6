"""What the explorer can show: one sweep (model x benchmark or its average) or the scaling study.

Plain frozen dataclasses, no Textual, so the sidebar, the command palette, the compare flow and
the tests all name a view the same way and can compare two of them with `==`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tui.core.schema import AVG, Results
from tui.render.tables import bench_label
from tui.render.text import clean


@dataclass(frozen=True)
class Sweep:
    """One model's sweep on one benchmark; benchmark AVG is the model's average."""

    model: str
    benchmark: str

    @property
    def label(self) -> str:
        return f"{clean(self.model)} | {bench_label(clean(self.benchmark))}"


@dataclass(frozen=True)
class Scaling:
    """The parameter-scaling study (one per data set)."""

    label: str = "Parameter scaling"


Selection = Sweep | Scaling
SCALING = Scaling()


def sweeps(results: Results) -> list[Sweep]:
    """Every sweep the data can show, in sidebar order: per model its benchmarks (a group's
    subtasks right after the group), then its Average where it has one (Results.average_metric)."""
    return list(_each_sweep(results))


def _each_sweep(results: Results) -> Iterator[Sweep]:
    from tui.core.views import tree_order

    for model in results.models:
        for bench in tree_order(results, results.benchmarks(model)):
            yield Sweep(model, bench)
        if results.average_metric(model)[0] is not None:
            yield Sweep(model, AVG)


def first_view(results: Results) -> Selection:
    """What the explorer opens on: the first sweep, or the scaling study when there is no sweep."""
    return next(_each_sweep(results), SCALING)


def compare_kind(left: Sweep, right: Sweep) -> str | None:
    """'models' (two models, one benchmark), 'benchmarks' (one model, two benchmarks) or None."""
    if left == right:
        return None
    if left.benchmark == right.benchmark:
        return "models"
    if left.model == right.model:
        return "benchmarks"
    return None


def compare_title(left: Sweep, right: Sweep) -> str:
    """'R1-Qwen vs R1-Llama | GPQA-D' or 'R1-Llama | AIME24 vs AMC23': the shared part said once."""
    if compare_kind(left, right) == "models":
        return f"{clean(left.model)} vs {clean(right.model)} | {bench_label(clean(left.benchmark))}"
    if compare_kind(left, right) == "benchmarks":
        return f"{clean(left.model)} | {bench_label(clean(left.benchmark))} vs {bench_label(clean(right.benchmark))}"
    return f"{left.label} vs {right.label}"


def side_label(side: Sweep, other: Sweep) -> str:
    """The part that tells one side from the other: the model, or the benchmark."""
    return clean(side.model) if compare_kind(side, other) == "models" else bench_label(clean(side.benchmark))


def fold(text: str) -> str:
    """Case, spaces, dashes, dots and underscores do not matter when people search for a name."""
    return re.sub(r"[\s_\-.|]+", "", text.lower())


def search_text(view: Selection) -> str:
    """What a search matches against: the label plus the raw names ('avg' finds the average)."""
    if isinstance(view, Sweep):
        return f"{view.label} {view.model} {view.benchmark}"
    return f"{view.label} scaling study"


def matches(query: str, text: str) -> bool:
    """Every word of the query appears in the text, folded (see `fold`)."""
    folded = fold(text)
    return all(fold(word) in folded for word in query.split())
