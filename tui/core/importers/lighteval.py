"""Hugging Face lighteval `results_<date>.json` files (0.8 to 0.10 shapes).

- Task keys `suite|task|fewshot` (`lighteval|aime24|0`, `lighteval|gpqa:diamond|0`) become the
  task (`aime24` -> AIME24, `gpqa:diamond` -> GPQA-D through the benchmark aliases).
- `<prefix>_pass@1:<N>_samples` (and the newer `pass@k:k=1&n=N`) is Pass@1 estimated from N
  samples: metric pass_at_<k> with dimension `samples` = N. The prefix (math_, gpqa_) only names
  the answer extractor, and one task reports several N side by side, so N must stay a dimension
  rather than be averaged away.
- `all` is lighteval's mean over tasks: dropped when there is one task (it repeats it), kept as
  benchmark avg otherwise. Values are kept as written; the loader shows fractions as %.
"""

from __future__ import annotations

import re

from tui.core import schema
from tui.core.errors import InputError
from tui.core.files import Sniffed
from tui.core.importers.common import benchmark_name, frame, json_document, knob_name, model_name, number, setting
from tui.core.importers.contract import Imported
from tui.core.importers.knob import KnobRule, find_knob

TOOL = "lighteval"

PASS_AT = [re.compile(r"^(?:\w+_)?pass@(\d+):(\d+)_samples$"), re.compile(r"^(?:\w+_)?pass@k:k=(\d+)&n=(\d+)$")]


def matches(file: Sniffed) -> bool:
    if file.fmt != "json" or file.head[:1] != "{" or '"config_general"' not in file.head:
        return False
    data = json_document(file, blame=('"config_general"',))
    return isinstance(data, dict) and "config_general" in data and "results" in data


def task_name(key: str) -> str:
    """`lighteval|aime24|0` -> `aime24`; `aime24|0` -> `aime24`; anything else as given."""
    parts = key.split("|")
    if len(parts) >= 3:
        return parts[1]
    if len(parts) == 2:
        return parts[0] if parts[1].isdigit() else parts[1]
    return key


def metric_name(key: str) -> tuple[str, str | None]:
    for pattern in PASS_AT:
        found = pattern.match(key)
        if found:
            return f"pass_at_{found.group(1)}", found.group(2)
    return key, None


def load(file: Sniffed, rule: KnobRule | None) -> Imported:
    path, data = file.path, file.document()
    results, general = data["results"], data["config_general"]
    if not isinstance(results, dict) or not isinstance(general, dict):
        raise InputError("lighteval results file: 'results' or 'config_general' is not an object", path=path)
    tasks = {key: entry for key, entry in results.items() if key != "all"}
    if len(tasks) > 1 and "all" in results:
        tasks["all"] = results["all"]
    found: dict[tuple[str, str, str | None], list] = {}
    for key, entry in tasks.items():
        if not isinstance(entry, dict):
            raise InputError(f"lighteval results file: task {key!r} is not an object", path=path)
        benchmark = schema.AVG if key == "all" else benchmark_name(task_name(key))
        for raw_metric, raw in entry.items():
            if isinstance(raw, (list, dict, bool)):
                continue
            is_stderr = raw_metric.endswith("_stderr")
            metric, samples = metric_name(raw_metric.removesuffix("_stderr"))
            slot = found.setdefault((benchmark, metric, samples), [None, None])
            slot[1 if is_stderr else 0] = number(raw, path, f"task {key!r} {raw_metric!r}")
    found = {k: v for k, v in found.items() if v[0] is not None}
    if not found:
        raise InputError("lighteval results file has no metric values", path=path)

    model_config = general.get("model_config") if isinstance(general.get("model_config"), dict) else {}
    model, model_note = model_name(general.get("model_name") or model_config.get("model_name"), path)
    knob = find_knob(path, model_config, rule=rule)
    dims = ["samples"] if any(samples for (_, _, samples) in found) else []
    rows = []
    for (benchmark, metric, samples), (value, stderr) in found.items():
        note = "; ".join(filter(None, ["lighteval",
                                       "lighteval 'all': mean over tasks" if benchmark == schema.AVG else "",
                                       model_note]))
        rows.append({"model": model, "benchmark": benchmark, "metric": metric, "value": value,
                     "stderr": stderr, "note": note,
                     **({"samples": samples} if dims else {})})
    sampling = general.get("generation_parameters") or model_config.get("generation_parameters")
    return Imported(tool="lighteval", frame=frame(rows, dims, str(path), knob),
                    knob_name=knob_name(rule, knob), dims=dims, covers=(path,),
                    settings={"generation_parameters": setting(sampling),
                              "max_samples": setting(general.get("max_samples"))})
