"""A parsed copy of each table file, as Arrow IPC, so a second start skips reading, converting and
checking it.

The copies live in `$XDG_CACHE_HOME/kvscope` (else `~/.cache/kvscope`); `KVSCOPE_NO_CACHE=1`
turns them off. Each file has one entry, named by a hash of its path, the load options and
kvscope's loader code, holding the file's key: its size, mtime and ctime in ns, inode and
device, and a hash of its first and last 64 KB. A copy is used only when that key is the
file's key now. Writing a file on POSIX sets its ctime to the time of the write, which no call
can set back, so a file changed in place (same size, mtime restored) has another key.
Anything wrong with the cache (unwritable, full, a damaged or half-written entry) means the
file is parsed as if there were no cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import polars as pl

from tui.core.loader.one_file import Loaded, load_one
from tui.core.loader.roles import LoadOptions

EDGE_BYTES = 64 * 1024
MAX_ENTRIES = 64  # one entry per file and options: the oldest go beyond this
CODE = Path(__file__).resolve().parents[1]  # tui/core: the code a parsed copy depends on
# Formats whose tables are kept: tools' importers claim these by their content alone, so a file
# no importer claimed stays unclaimed while its content is the same.
KEPT_FORMATS = {"csv", "tsv", "parquet"}


def load_cached(path: Path, options: LoadOptions | None = None, fetched: dict | None = None) -> Loaded:
    """`load_one`, from the parsed copy when the file has not changed since it was kept (a local
    file: an object read from a bucket, in `fetched`, is not kept)."""
    if cache_dir() is None or (fetched and path in fetched):
        return load_one(path, options, fetched)
    hit = lookup(path, options)
    if hit is not None:
        return hit
    key = file_key(path)
    loaded = load_one(path, options)
    if loaded.table_format in KEPT_FORMATS:
        store(path, options, loaded, key)
    return loaded


def cache_dir() -> Path | None:
    """Where the parsed copies live, or None when the cache is turned off."""
    if os.environ.get("KVSCOPE_NO_CACHE", "") not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kvscope"


def lookup(path: Path, options: LoadOptions | None) -> Loaded | None:
    """The file as loaded before, if its parsed copy is there and the file has not changed."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        meta = json.loads((folder / f"{_entry(path, options)}.json").read_text(encoding="utf-8"))
        if meta.get("key") != _file_key(path):
            return None
        frame = pl.read_ipc(folder / meta["data"])
        constants = meta.get("constants", {})
        if frame.height != meta["height"] or frame.columns != [c for c in meta["columns"] if c not in constants]:
            return None
        if constants:
            frame = frame.with_columns(pl.lit(value, dtype=_KEPT_TYPES[dtype]).alias(name)
                                       for name, (value, dtype) in constants.items()).select(meta["columns"])
    except (OSError, ValueError, KeyError, TypeError, pl.exceptions.PolarsError):
        return None
    return Loaded(meta["kind"], frame, meta["knob"], meta["dims"], (path,),
                  [(Path(p), why) for p, why in meta["failed"]], meta["settings"], meta["scale_settled"],
                  cached=True)


def store(path: Path, options: LoadOptions | None, loaded: Loaded, key: str | None) -> None:
    """Keep a parsed copy of a table file that `key` (the file's key before it was read) still
    describes; a failure to write leaves no entry behind and is not an error."""
    folder = cache_dir()
    if folder is None or key is None or loaded.covers != (path,) or _file_key(path) != key:
        return
    entry = _entry(path, options)
    data = f"{entry}-{hashlib.blake2b(key.encode(), digest_size=8).hexdigest()}.arrow"
    constants = _constant_columns(loaded.frame)
    meta = {"key": key, "data": data, "height": loaded.frame.height, "columns": loaded.frame.columns,
            "kind": loaded.kind, "knob": loaded.knob, "dims": loaded.dims, "settings": loaded.settings,
            "failed": [(str(p), why) for p, why in loaded.failed], "scale_settled": loaded.scale_settled,
            "constants": constants}
    kept = loaded.frame.drop(list(constants))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        old = _old_data(folder / f"{entry}.json")
        # LZ4 and Arrow's newest layout: read back at once, without converting each string.
        _atomic(folder / data, lambda fh: kept.write_ipc(fh, compression="lz4", compat_level=pl.CompatLevel.newest()))
        _atomic(folder / f"{entry}.json", lambda fh: fh.write(json.dumps(meta).encode()))
        if old and old != data:
            (folder / old).unlink(missing_ok=True)
        _prune(folder)
    except (OSError, pl.exceptions.PolarsError):
        pass


# Column types a constant column is kept as (by name in the entry's description).
_KEPT_TYPES = {str(t): t for t in (pl.String, pl.Float64, pl.Int64, pl.UInt32, pl.Boolean)}


def _constant_columns(frame: pl.DataFrame) -> dict[str, tuple]:
    """{column: (its one value, its type's name)} for the columns that hold one value on every
    row (a file's source, its notes, n): kept in the description and given back as literals, so
    the copy holds and reads only the columns that vary."""
    plain = [c for c, t in frame.schema.items() if str(t) in _KEPT_TYPES]
    if frame.height < 2 or not plain:
        return {}
    one = frame.select(pl.col(plain).n_unique() == 1).row(0, named=True)
    found = {c: (frame[c][0], str(frame.schema[c])) for c in plain if one[c]}
    return found if len(found) < frame.width else {}


def file_key(path: Path) -> str | None:
    """The key a parsed copy of `path` is kept under (None when the file cannot be read)."""
    try:
        return _file_key(path)
    except OSError:
        return None


def _file_key(path: Path) -> str:
    st = os.stat(path)
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{st.st_dev}:{edge_digest(path, st.st_size)}"


def edge_digest(path: Path, size: int) -> str:
    """A hash of the file's first and last EDGE_BYTES: cheap, and different for nearly any edit."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        digest.update(fh.read(EDGE_BYTES))
        if size > EDGE_BYTES:
            fh.seek(max(size - EDGE_BYTES, EDGE_BYTES))
            digest.update(fh.read())
    return digest.hexdigest()


def _entry(path: Path, options: LoadOptions | None) -> str:
    """One entry per file (as given and as resolved: hive columns come from the path), options,
    loader code and polars version (the copy is in its newest Arrow layout)."""
    parts = [str(Path(path).absolute()), str(Path(path).resolve()), _options_text(options), _code_stamp(),
             pl.__version__]
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


def _options_text(options: LoadOptions | None) -> str:
    rule = options.knob_rule if options else None
    forced = options.forced_roles() if options else {}
    return repr((rule and (rule.name, rule.pattern.pattern), forced)) if rule or forced else ""


_STAMP: list[str] = []


def _code_stamp() -> str:
    """The loader's code as installed (each module's size and mtime): a new version parses anew."""
    if not _STAMP:
        stats = sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in CODE.rglob("*.py"))
        _STAMP.append(hashlib.blake2b(repr(stats).encode(), digest_size=16).hexdigest())
    return _STAMP[0]


def _old_data(meta_path: Path) -> str | None:
    try:
        return json.loads(meta_path.read_text(encoding="utf-8")).get("data")
    except (OSError, ValueError, AttributeError):
        return None


def _atomic(target: Path, write) -> None:
    """Write through a temporary file in the same folder, renamed over `target` once complete."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _prune(folder: Path) -> None:
    """Drop the least recently written entries beyond MAX_ENTRIES."""
    metas = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
    for meta in metas[:max(len(metas) - MAX_ENTRIES, 0)]:
        data = _old_data(meta)
        meta.unlink(missing_ok=True)
        if data:
            (folder / data).unlink(missing_ok=True)
