"""Finding result files and reading each into a raw polars frame, whatever its format.

The format is decided by content first (Parquet magic bytes, JSON's first character,
delimiter counts) and by extension second, so a mis-named file still loads.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from tui.core.errors import InputError, not_recognised

TEXT_SUFFIXES = {".csv", ".tsv", ".tab", ".txt", ".json", ".jsonl", ".ndjson"}
RESULT_SUFFIXES = TEXT_SUFFIXES | {".parquet", ".pq", ".eval"}  # .eval: an Inspect AI log (a zip)
# Enough for a tool's markers, which follow its results (lm-eval writes `versions` after them).
SNIFF_BYTES = 256 * 1024
# Queries run in memory: our work is over whole columns (a file's conversion, a key over every
# row), which polars' streaming engine does in batches, more slowly (docs/PERFORMANCE.md).
ENGINE = "in-memory"


def discover(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Expand files and folders into result files; folders are walked safely (no symlink loops).

    Returns (files, skipped) where skipped lists files found in folders that are not results.
    A path the user named that does not exist is an error.
    """
    files: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for path in paths:
        if not path.exists():
            raise InputError("no such file or folder", path=path)
        if path.is_dir():
            _walk(path, files, skipped)
        else:
            files.append(path)
    return files, skipped


def _walk(root: Path, files: list[Path], skipped: list[tuple[Path, str]]) -> None:
    seen: set[str] = set()
    for folder, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:  # a symlink loop or a second link to a visited folder
            dirnames[:] = []
            skipped.append((Path(folder), "folder already visited (symlink loop)"))
            continue
        seen.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            if path.suffix.lower() in RESULT_SUFFIXES:
                files.append(path)
            else:
                skipped.append((path, f"not a result file ({path.suffix or 'no extension'})"))


class NotJson(InputError):
    """A file that was expected to be one JSON document and is not."""


_UNREAD = object()


@dataclass
class Sniffed:
    """A file's head, read once: its format for our own readers, and its content for the importers.

    `fmt` is one of parquet, zip, json, ndjson, csv, tsv or text. `problem` says why our own
    readers cannot read a file (it is raised only if no importer claims the file first: a kvpress
    score is a bare number beside its config.yaml).
    """

    path: Path
    fmt: str
    head: str = ""
    problem: str | None = None
    _document: object = field(default=_UNREAD, repr=False)
    _text: str | None = field(default=None, repr=False)
    _siblings: dict[str, Sniffed | None] = field(default_factory=dict, repr=False)

    def sibling(self, suffix: str) -> Sniffed | None:
        """The file beside this one with `suffix` instead (a CSV export's JSON twin), sniffed once
        and kept, so the importers that ask about it share one read and one parse."""
        if suffix not in self._siblings:
            path = self.path.with_suffix(suffix)
            self._siblings[suffix] = sniff(path) if path.is_file() else None
        return self._siblings[suffix]

    def text(self) -> str:
        """The whole file as text (read once); InputError when it cannot be read or is not UTF-8
        past the sniffed head."""
        if self._text is None:
            try:
                self._text = self.path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError as exc:
                raise InputError(f"not UTF-8 text (byte {exc.start})", path=self.path) from None
            except OSError as exc:
                raise InputError(f"cannot read: {exc.strerror or exc}", path=self.path) from None
        return self._text

    def document(self) -> object:
        """The whole file parsed as JSON (read once); NotJson when it is not valid JSON."""
        if self._document is _UNREAD:
            try:
                self._document = json.loads(self.text())
            except InputError as exc:
                raise NotJson(f"cannot read as JSON: {exc}", path=self.path) from None
            except json.JSONDecodeError as exc:
                raise NotJson(f"not valid JSON: {exc.msg} (line {exc.lineno})", path=self.path) from None
        return self._document

    def records(self, limit: int = 2) -> list[dict]:
        """The first NDJSON records in the head that parse as objects."""
        found = []
        for line in self.head.splitlines():
            if len(found) >= limit:
                break
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict):
                found.append(record)
        return found

    def header(self) -> list[str]:
        """The first line's column names of a CSV or TSV file."""
        if self.fmt not in ("csv", "tsv"):
            return []
        first = self.head.split("\n", 1)[0].rstrip("\r")
        return [name.strip().strip('"') for name in first.split("\t" if self.fmt == "tsv" else ",")]


def sniff(path: Path) -> Sniffed:
    """The file's format, decided by content first and extension second; InputError only when
    the file cannot be read at all."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(SNIFF_BYTES)
    except PermissionError:
        raise InputError("permission denied", path=path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    if raw.startswith(b"PAR1"):
        return Sniffed(path, "parquet")
    if raw.startswith(b"PK\x03\x04"):
        return Sniffed(path, "zip", problem=_BINARY)
    problem = _text_problem(raw)
    text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="ignore")
    if problem:
        return Sniffed(path, "text", text if "\x00" not in text else "", problem)
    return _sniff_text(path, text)


_BINARY = "binary file, not CSV, TSV, JSON or Parquet"


def _text_problem(raw: bytes) -> str | None:
    if not raw.strip():
        return "file is empty"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 text; save the file as UTF-8"
    if b"\x00" in raw:
        return _BINARY
    try:
        raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(raw) - 4:  # a multi-byte character cut by the sniff window is fine
            return "not UTF-8 text"
    return None


def _sniff_text(path: Path, text: str) -> Sniffed:
    stripped = text.lstrip()
    if stripped[:1] == "[":
        return Sniffed(path, "json", stripped)
    if stripped[:1] == "{":
        first_line = stripped.split("\n", 1)[0].strip()
        one_record_a_line = first_line.endswith("}") and "\n" in stripped.strip()
        return Sniffed(path, "ndjson" if one_record_a_line else "json", stripped)
    first_line = text.split("\n", 1)[0]
    if path.suffix.lower() in {".tsv", ".tab"} or first_line.count("\t") > first_line.count(","):
        return Sniffed(path, "tsv", text)
    if first_line.count(",") > 0:
        return Sniffed(path, "csv", text)
    if first_line.count(";") > 0:
        problem = "uses ';' between fields; kvscope reads ',' (CSV) or tab (TSV) separated files"
    elif first_line.lstrip().startswith("<"):
        problem = "looks like HTML or XML, not a results table"
    else:
        problem = "unknown format: expected CSV, TSV, JSON, NDJSON or Parquet (the first line has no commas or tabs)"
    return Sniffed(path, "text", text, problem)


def read_raw(path: Path, sniffed: Sniffed | None = None) -> tuple[pl.LazyFrame, str]:
    """The file as a lazy frame of its own columns, plus its format. Errors are one-line InputErrors.

    A Parquet file is only opened here (its schema and row count are in its footer): its rows are
    decoded by the one query that converts them, never held as raw text (a million rows of names
    as text took more memory than everything loaded from them). Other formats are read now.
    """
    sniffed = sniffed or sniff(path)
    if sniffed.problem:
        raise InputError(sniffed.problem, path=path)
    fmt = sniffed.fmt
    try:
        if fmt == "parquet":
            frame = pl.scan_parquet(path, glob=False)  # "[0.3,0.5]" in a name is not a glob
            width = len(frame.collect_schema())
            height = frame.select(pl.len()).collect().item() if width else 0
        else:
            if fmt in ("csv", "tsv"):
                eager = _read_delimited(path, "\t" if fmt == "tsv" else ",")
            elif fmt == "ndjson":
                eager = pl.read_ndjson(path, infer_schema_length=None)
            else:
                eager = _read_json_records(path, sniffed.head[:1])
            frame, width, height = eager.lazy(), eager.width, eager.height
    except InputError:
        raise
    except pl.exceptions.NoDataError:
        raise InputError("file is empty", path=path) from None
    except (pl.exceptions.PolarsError, ValueError, OSError) as exc:
        raise _read_error(exc, path, fmt) from None
    if width == 0:
        raise InputError("file is empty", path=path)
    if height == 0:
        raise InputError("has a header but no rows", path=path)
    return frame, fmt


def collect(frame: pl.LazyFrame, path: Path, fmt: str) -> pl.DataFrame:
    """Run a query over a file from `read_raw`: a Parquet file's columns are decoded now, only
    those the query uses, and freed as soon as it has converted them. A Parquet page that turns
    out to be damaged is reported as `read_raw` would have. It runs in memory (`ENGINE`): the
    streaming engine was also slower, and its batches left more memory behind than whole columns."""
    try:
        return frame.collect(engine=ENGINE)
    except (pl.exceptions.PolarsError, OSError) as exc:
        if fmt != "parquet" or not isinstance(exc, (pl.exceptions.ComputeError, OSError)):
            raise  # not the file's fault
        raise _read_error(exc, path, fmt) from None


def _read_error(exc: BaseException, path: Path, fmt: str) -> InputError:
    return InputError(f"cannot read as {fmt.upper()}: {plain_error(exc)}", path=path)


def _read_delimited(path: Path, separator: str) -> pl.DataFrame:
    """Typed read first (fast); if a value does not parse as its column's inferred type, read
    everything as text so validation can name the row that is wrong."""
    check_last_line(path, separator.encode())
    try:
        return pl.read_csv(path, separator=separator, infer_schema_length=10_000, encoding="utf8", glob=False)
    except pl.exceptions.ComputeError:
        return pl.read_csv(path, separator=separator, infer_schema=False, encoding="utf8", glob=False)


def check_last_line(path: Path, separator: bytes) -> None:
    """A last line with no newline and fewer fields than the header is a file still being written
    (or cut short); loading it would invent a row from a fragment."""
    with open(path, "rb") as fh:
        header = fh.readline()
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        fh.seek(max(size - 65536, 0))
        tail = fh.read()
    if tail.endswith(b"\n") or b"\n" not in tail:
        return
    last = tail.rsplit(b"\n", 1)[1]
    if last.strip() and last.count(separator) < header.count(separator):
        raise InputError(f"the last line is incomplete ({last.count(separator) + 1} fields, the header has "
                         f"{header.count(separator) + 1}); is the file still being written?", path=path)


def _read_json_records(path: Path, first: str) -> pl.DataFrame:
    frame = pl.read_json(path, infer_schema_length=None)
    # One JSON object holding lists or objects is some other tool's document (no tool importer
    # claimed it), not a record; a record of plain values is a one-line NDJSON table.
    if first == "{" and any(dtype.is_nested() for dtype in frame.schema.values()):
        raise not_recognised(path)
    # A JSON array of records reads as one row per record with one column per key.
    if frame.width == 1 and frame.schema[frame.columns[0]] == pl.List:
        raise InputError("JSON is not an array of records", path=path)
    return frame


# polars' wording for common problems -> what the user should look for.
_PLAIN = {
    "found more fields than defined": "a row has more fields than the header",
    "could not parse": "malformed field (an unclosed quote?)",
    "can only deserialize json objects": "JSON is not an array of records",
    "DepthLimitExceeded": "JSON is nested too deeply",
    "out of specification": "damaged or truncated Parquet file",
}


def plain_error(exc: BaseException) -> str:
    """What a reader's error says, in one line: plain words for the causes we know, else its first
    line (at most 200 characters) or, with no text, its type."""
    text = str(exc).strip()
    for needle, plain in _PLAIN.items():
        if needle in text:
            return plain
    lines = text.splitlines()
    return lines[0][:200] if lines else type(exc).__name__
