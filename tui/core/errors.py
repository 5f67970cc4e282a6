"""The one error type bad input raises; the CLI prints it as one line and exits 2."""

from __future__ import annotations


class InputError(Exception):
    """A problem with what the user gave us: a file, a column, a row or a name.

    `str(error)` is a complete one-line message naming where the problem is.
    """

    def __init__(self, message: str, *, path: object | None = None, row: int | str | None = None,
                 column: str | None = None) -> None:
        where = []
        if path is not None:
            where.append(str(path))
        if row is not None:
            where.append(row if isinstance(row, str) else f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        text = f"{': '.join([', '.join(where)]) + ': ' if where else ''}{message}"
        super().__init__(" ".join(text.split()))  # always a single line
        self.path, self.row, self.column = path, row, column


class FailedRun(InputError):
    """A run that measured nothing (a serving benchmark with no completed request, a row whose
    status says it failed): left out and counted, never shown as a zero.

    `covers` are the files whose runs it stands for (read no more); `runs` the runs left out,
    (path, why) each, when there is more than the one this error names."""

    def __init__(self, message: str, *, path: object | None = None, covers: tuple = (),
                 runs: list[tuple] | None = None) -> None:
        super().__init__(message, path=path)
        self.covers, self.runs = covers, runs or []


# What the loader looks for, named when a file matches none of it.
KNOWN_FORMATS = ("lm-eval results, vLLM bench (serve, throughput, sweep), SGLang bench_serving, GuideLLM, "
                 "AIPerf, genai-perf, LLMPerf, lighteval, Inspect AI, evalscope, OpenCompass, kvpress "
                 "metrics.json + config.yaml, or a table (CSV, TSV, JSON records, NDJSON, Parquet) with "
                 "model/benchmark/budget and metric columns")


def not_recognised(path: object) -> InputError:
    return InputError(f"not a recognised result format (looked for: {KNOWN_FORMATS})", path=path)
