"""Finding the swept knob (KV budget, compression ratio, max_num_seqs, ...) of one result file.

No evaluation tool records "the knob": people put it in folder names, model arguments or
metadata. So it is searched for, and the first hit in this order wins:

1. The user's rule (`--knob NAME=REGEX`, a KnobRule): the regex is searched in the file's path
   and its first group is the value. A rule is final: a file it does not match gets no knob,
   never a different one, so one sweep cannot silently mix two knobs.
2. `name=number` anywhere in the path whose name looks like a budget (contains budget, kv or
   compression): `kv_budget=2500/`, `budget=3000/`, `run_kv_budget=4096_seed1/`.
   Nearest folder first, because the innermost folder describes the file.
3. Config keys that look like a budget, in the order the tool wrote them: lm-eval
   `model_args`, vLLM `--metadata` fields (top-level extra keys), kvpress `compression_ratio`.
4. The first parameter of a vLLM sweep folder (`SERVE--max_num_seqs=4-BENCH--...`), or a
   path segment that is exactly `name=number` (hive style, `temperature=0.6/`).
5. Only when the importer says the config holds sweep parameters (vLLM sweep runs): the first
   numeric key.

Repeat markers (run, seed, runs, ...) are never knobs: `run=0.json` is a repeat and
`..._runs=3.csv` a count. Names are kept as found; the loader maps budget spellings to kv_budget.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from tui.core.errors import InputError

REPEAT_NAMES = {"run", "runs", "run_number", "num_runs", "seed", "sample", "samples", "repeat",
                "repeats", "trial", "replicate", "n"}
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_ANY_PAIR = re.compile(rf"([A-Za-z][A-Za-z0-9_]*)=({_NUMBER})(?![\d.])")
_HIVE = re.compile(rf"^([A-Za-z_][\w.\-]*)=({_NUMBER})$")
_SWEEP_SECTION = re.compile(r"(?:^|-)(SERVE|BENCH)--")
_SWEEP_PAIR = re.compile(r"([A-Za-z_][\w.]*)=(.*?)(?=-[A-Za-z_][\w.]*=|$)")


def as_number(value: object) -> float | None:
    """A finite float from a JSON number or numeric string; None for anything else (N/A, null, bool)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def budget_like(name: str) -> bool:
    folded = name.lower()
    return "budget" in folded or "compression" in folded or "kv" in re.split(r"[^a-z0-9]+", folded)


def _is_repeat(name: str) -> bool:
    return name.lower().replace("-", "_") in REPEAT_NAMES


@dataclass(frozen=True)
class KnobRule:
    """A user's `--knob NAME=REGEX`: the first group of REGEX, searched in the path, is the value."""

    name: str
    pattern: re.Pattern[str]

    @classmethod
    def parse(cls, text: str) -> KnobRule:
        name, sep, regex = text.partition("=")
        if not sep or not name.strip() or not regex:
            raise InputError(f"--knob {text!r}: expected NAME=REGEX, e.g. kv_budget=budget_(\\d+)")
        try:
            pattern = re.compile(regex)
        except re.error as exc:
            raise InputError(f"--knob {text!r}: bad regular expression: {exc}") from None
        if pattern.groups < 1:
            raise InputError(f"--knob {text!r}: put the value in a group, e.g. budget_(\\d+)")
        return cls(name.strip(), pattern)

    def value(self, path: Path) -> float | None:
        found = self.pattern.search(Path(path).as_posix())
        if found is None or found.group(1) is None:
            return None
        number = as_number(found.group(1))
        if number is None:
            raise InputError(f"--knob {self.name}: {found.group(1)!r} in the path is not a number", path=path)
        return number


def _segments(path: Path) -> list[str]:
    """Path components nearest first, the file as its stem."""
    path = Path(path)
    return [path.stem, *[p.name for p in path.parents if p.name]]


def sweep_params(folder_name: str) -> list[tuple[str, str, str]]:
    """(section, name, value) of a vLLM sweep folder name, SERVE parameters first; [] for other names."""
    if not _SWEEP_SECTION.match(folder_name):
        return []
    parts = _SWEEP_SECTION.split(folder_name)  # ['', 'SERVE', 'a=1-b=2', 'BENCH', 'c=3']
    found = []
    for section, body in zip(parts[1::2], parts[2::2]):
        found += [(section, m.group(1), m.group(2)) for m in _SWEEP_PAIR.finditer(body)]
    return sorted(found, key=lambda item: item[0] != "SERVE")


def find_knob(path: Path, config: dict | None = None, *, rule: KnobRule | None = None,
              sweep: bool = False) -> tuple[str, float] | None:
    """(knob name, value) for one result file, or None; the search order is the module docstring's."""
    if rule is not None:
        value = rule.value(path)
        return None if value is None else (rule.name, value)
    segments = _segments(path)
    for segment in segments:
        for match in _ANY_PAIR.finditer(segment):
            if budget_like(match.group(1)) and not _is_repeat(match.group(1)):
                return match.group(1), float(match.group(2))
    numeric = [(k, as_number(v)) for k, v in (config or {}).items() if isinstance(k, str)]
    numeric = [(k, v) for k, v in numeric if v is not None and not _is_repeat(k)]
    for key, value in numeric:
        if budget_like(key):
            return key, value
    for segment in segments:
        for _section, name, raw in sweep_params(segment):
            if as_number(raw) is not None and not _is_repeat(name):
                return name, as_number(raw)
        hive = _HIVE.match(segment)
        if hive and not _is_repeat(hive.group(1)):
            return hive.group(1), float(hive.group(2))
    if sweep and numeric:
        return numeric[0]
    return None


def knob_column(columns: list[str], rule: KnobRule | None = None) -> str | None:
    """The column of a plain table (our CSV/JSON formats) that holds the knob, by the same name test.

    A rule naming a column wins; otherwise the first budget-like column (compression_ratio in the
    kvpress benchmark CSVs, kv_budget in ours). Repeat counts such as num_runs never qualify.
    """
    if rule is not None and rule.name in columns:
        return rule.name
    for column in columns:
        if budget_like(column) and not _is_repeat(column):
            return column
    return None
