"""Result tables read in place from object storage (s3://, gs://, az://) with polars' cloud scans.

A URL names a bucket prefix (or one object). Its objects are listed with polars' own object-store
client, hive segments in their keys (`model=M/benchmark=B/kv_budget=K/`) become columns, and a
model or benchmark the command asks for prunes the listing before anything is read. Each object
is scanned lazily, only the columns the loader can use are selected, and all are collected
together in memory: nothing is written to disk. Credentials and endpoints come from the
standard environment (AWS_*, GOOGLE_*, AZURE_* variables; AWS profiles when boto3 is installed).

Every failure is an InputError naming the URL, and the listing runs under a deadline, so a
wrong URL, bucket, credential or endpoint ends in one line within `LIST_DEADLINE_S` seconds.
"""

from __future__ import annotations

import os
import re
import threading
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import polars as pl

from tui.core.errors import InputError
from tui.core.files import plain_error
from tui.core.hive import hive_pairs

# Without AWS_REGION polars finds the bucket's region itself, after a multi-line warning that would
# break kvscope's one-line output.
warnings.filterwarnings("ignore", message=r".*region.*not set", category=UserWarning)

# object_store's names for the schemes polars reads; http(s) cannot be listed, so is not one.
SCHEMES = {"s3": "S3", "s3a": "S3", "gs": "GCS", "gcs": "GCS", "az": "Azure", "azure": "Azure",
           "abfs": "Azure", "abfss": "Azure"}
FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
           ".ndjson": "ndjson", ".jsonl": "ndjson"}
# Anything shaped `scheme:/...` is meant as a URL (so `s3:/x` is a bad URL, not a file name).
_URL_SHAPE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):/")
LIST_DEADLINE_S = 25.0
# Listing must fail fast on a dead endpoint; reads keep object_store's longer request timeout.
_LIST_OPTIONS = {"connect_timeout": "5s", "timeout": "8s", "max_retries": 1, "retry_timeout_ms": 6000}
_READ_OPTIONS = {"connect_timeout": "5s", "max_retries": 2}


class RemoteURL(str):
    """A bucket URL as the user typed it; it stands where a folder would (`.name` for headers)."""

    @property
    def name(self) -> str:
        return str(self)  # shown whole: the bucket is part of what names the data


class RemoteObject(str):
    """One object's URL, standing where the loader names a file."""

    @property
    def name(self) -> str:
        return self.rstrip("/").rsplit("/", 1)[-1]

    @property
    def suffix(self) -> str:
        name = self.name
        return name[name.rfind("."):].lower() if "." in name else ""

    @property
    def stem(self) -> str:
        return self.name[: len(self.name) - len(self.suffix)]


def as_url(item: object) -> RemoteURL | None:
    """`item` as a RemoteURL when it is shaped like one (checked later by `parse`), else None."""
    if isinstance(item, RemoteURL):
        return item
    return RemoteURL(item) if isinstance(item, str) and _URL_SHAPE.match(item) else None


@dataclass(frozen=True)
class Location:
    url: RemoteURL
    scheme: str
    bucket: str
    prefix: str  # the key prefix, without leading slash; "" for the whole bucket


def parse(url: RemoteURL) -> Location:
    """The URL's scheme, bucket and prefix; an InputError saying what is wrong with it."""
    scheme = _URL_SHAPE.match(url).group(1).lower()
    if scheme not in SCHEMES:
        known = ", ".join(f"{s}://" for s in ("s3", "gs", "az"))
        raise InputError(f"unknown scheme {scheme!r}: kvscope reads buckets at {known}", path=url)
    rest = url[len(scheme) + 1:]
    if not rest.startswith("//") or rest.startswith("///"):
        raise InputError(f"not a bucket URL: write {scheme}://BUCKET/PREFIX/", path=url)
    bucket, _, prefix = rest[2:].partition("/")
    if not bucket:
        raise InputError(f"no bucket named: write {scheme}://BUCKET/PREFIX/", path=url)
    return Location(url, scheme, bucket, prefix.lstrip("/"))


def storage_options(scheme: str, base: dict) -> dict:
    """Client options on top of the environment's credentials: timeouts, and plain HTTP only
    when the user pointed S3 at an http:// endpoint (a local or on-site server)."""
    options = dict(base)
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or os.environ.get("AWS_ENDPOINT") or ""
    if SCHEMES[scheme] == "S3" and endpoint.startswith("http://"):
        options["allow_http"] = "true"
    return options


@dataclass
class Request:
    """What the loader asks of a bucket: names to narrow to, which hive keys to take, columns to
    leave unread, and a function told each stage (for progress lines)."""

    where: dict[str, str] = field(default_factory=dict)  # role -> the name the user typed
    role_keys: dict[str, set[str]] = field(default_factory=dict)  # role -> folded key names
    hive_keys: set[str] = field(default_factory=set)
    drop: set[str] = field(default_factory=set)
    progress: Callable[[str], None] | None = None

    def say(self, text: str) -> None:
        if self.progress is not None:
            self.progress(text)


Fetched = dict[RemoteObject, "tuple[pl.LazyFrame, str] | InputError"]


def fetch(urls: Iterable[RemoteURL], request: Request) -> tuple[Fetched, list[tuple[str, str]]]:
    """Every table object under the URLs, read into memory: {object: (frame, format), or the
    error reading it}, plus (object, reason) for objects that are not tables kvscope reads."""
    chosen: list[RemoteObject] = []
    skipped: list[tuple[str, str]] = []
    for url in urls:
        objects = list_objects(parse(url), request)
        tables = [o for o in objects if o.suffix in FORMATS]
        skipped += [(o, f"not a table kvscope reads from a bucket ({o.suffix or 'no extension'})")
                    for o in objects if o.suffix not in FORMATS]
        kept = prune(tables, request)
        request.say(f"reading {len(kept)} of {len(tables)} files under {url}" if len(kept) < len(tables)
                    else f"reading {len(kept)} file{'s' if len(kept) != 1 else ''} under {url}")
        chosen += kept
    return read(chosen, request), skipped


def names_object(url: RemoteURL) -> bool:
    """Whether the URL names one table object rather than a prefix (a file, not a folder)."""
    return RemoteObject(url).suffix in FORMATS


def list_objects(loc: Location, request: Request) -> list[RemoteObject]:
    """The objects under the URL, but hidden ones (see `_hidden`)."""
    from polars.io._expand_paths import _expand_paths  # polars' own lister (polars is pinned)

    url = loc.url
    if names_object(url):
        return [RemoteObject(url)]
    request.say(f"listing {url} ...")
    folder = loc.prefix.rstrip("/") + "/" if loc.prefix else ""
    pattern = f"{loc.scheme}://{loc.bucket}/{folder}**/*"
    options = storage_options(loc.scheme, _LIST_OPTIONS)
    listing = _within(LIST_DEADLINE_S, url, lambda: _expand_paths(pattern, storage_options=options).collect())
    start = len(pattern) - len("**/*")
    objects = [RemoteObject(p) for p in listing["path"].to_list() if not _hidden(p[start:])]
    if not objects:
        raise InputError("no objects under this prefix", path=url)
    return objects


def _hidden(key: str) -> bool:
    """Whether a key below the prefix has a part starting with `.` or `_` (`_SUCCESS`,
    `_temporary/`, `.staging/`): left out as in a local folder."""
    return any(part[:1] in (".", "_") for part in key.split("/"))


def _within(seconds: float, url: str, work: Callable[[], pl.DataFrame]) -> pl.DataFrame:
    """`work()` run in a daemon thread and given up after `seconds`: the client's own timeouts
    should end it first, and this makes sure no endpoint can hang kvscope."""
    box: dict = {}

    def run() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True, name="kvscope-list")
    started = time.monotonic()
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise InputError(f"no answer from the endpoint within {time.monotonic() - started:.0f} s", path=url)
    if "error" in box:
        raise remote_error(box["error"], url) from None
    return box["value"]


def hive_values(obj: RemoteObject, keys: set[str]) -> dict[str, str]:
    """`key=value` segments of the object's key whose key is one of `keys` (folded), decoded."""
    return hive_pairs(obj.split("/")[3:-1], keys)  # after scheme://bucket/, before the object's name


def prune(objects: list[RemoteObject], request: Request) -> list[RemoteObject]:
    """The objects that can hold the model and benchmark asked for: an object whose partition
    names another one is not read. A name that matches no partition value prunes nothing (the
    command then says which names it knows)."""
    from tui.core.schema import AVG, BENCHMARK_ALIASES, MODEL_ALIASES, resolve

    aliases = {"model": MODEL_ALIASES, "benchmark": BENCHMARK_ALIASES}
    kept = objects
    for role, typed in request.where.items():
        keys = request.role_keys.get(role, set())
        values = {o: _role_value(o, keys) for o in kept}
        known = sorted({v for v in values.values() if v is not None})
        try:
            wanted = resolve(typed, known + [AVG] if role == "benchmark" else known, role, aliases.get(role))
        except InputError:
            continue
        if wanted == AVG:
            continue  # an average needs every benchmark
        kept = [o for o in kept if values[o] in (None, wanted)]
    return kept


def _role_value(obj: RemoteObject, keys: set[str]) -> str | None:
    found = hive_values(obj, keys)
    return next(iter(found.values()), None)


def scan(obj: RemoteObject, fmt: str, request: Request, typed: bool = True) -> pl.LazyFrame:
    """One object as a lazy scan of the columns the loader uses (no request is made yet). A
    CSV not `typed` is read as text, so the loader can name the row whose value is wrong."""
    import polars.selectors as cs

    options = storage_options(_URL_SHAPE.match(obj).group(1).lower(), _READ_OPTIONS)
    if fmt == "parquet":
        frame = pl.scan_parquet(obj, glob=False, hive_partitioning=False, storage_options=options)
    elif fmt in ("csv", "tsv"):
        frame = pl.scan_csv(obj, separator="\t" if fmt == "tsv" else ",", glob=False, infer_schema=typed,
                            infer_schema_length=10_000, storage_options=options)
    else:
        frame = pl.scan_ndjson(obj, infer_schema_length=None, storage_options=options)
    if not request.drop:
        return frame
    # Matched as the loader folds names (case, and - or space for _).
    names = "|".join(re.escape(n).replace("_", "[-_ ]") for n in sorted(request.drop))
    return frame.select(~cs.matches(f"(?i)^\\s*({names})\\s*$"))


def with_hive_columns(frame: pl.DataFrame, obj: RemoteObject, keys: set[str]) -> pl.DataFrame:
    """The object's hive keys as columns, where the object has no column of that name."""
    hive = {k: v for k, v in hive_values(obj, keys).items() if k not in frame.columns}
    return frame.with_columns(pl.lit(v).alias(k) for k, v in hive.items()) if hive else frame


def read(objects: list[RemoteObject], request: Request) -> Fetched:
    """All objects collected at once (polars fetches them concurrently), each then a lazy frame
    over memory. When that fails, each is collected alone, and one that cannot be read is its
    InputError, for the loader to skip and report like a bad local file."""
    plans: dict[RemoteObject, tuple[pl.LazyFrame, str]] = {}
    out: Fetched = {}
    for obj in objects:
        fmt = FORMATS[obj.suffix]
        try:
            plans[obj] = (scan(obj, fmt, request), fmt)
        except (pl.exceptions.PolarsError, OSError) as exc:
            out[obj] = remote_error(exc, obj)
    started = time.monotonic()
    try:
        frames = pl.collect_all([plan for plan, _ in plans.values()])
    except (pl.exceptions.PolarsError, OSError):
        frames = [_collect_alone(obj, plan, fmt, request) for obj, (plan, fmt) in plans.items()]
    for (obj, (_, fmt)), frame in zip(plans.items(), frames):
        if isinstance(frame, InputError):
            out[obj] = frame
        else:
            out[obj] = (with_hive_columns(frame, obj, request.hive_keys).lazy(), fmt)
    seconds = time.monotonic() - started
    request.say(f"read {len(plans)} file{'s' if len(plans) != 1 else ''} in {seconds:.1f} s")
    return out


def _collect_alone(obj: RemoteObject, plan: pl.LazyFrame, fmt: str, request: Request
                   ) -> pl.DataFrame | InputError:
    """One object's frame, or its error. A CSV value that breaks its column's inferred type
    (past the rows inference saw) is read again as text, as the local reader does."""
    try:
        return plan.collect()
    except pl.exceptions.ComputeError as exc:
        if fmt not in ("csv", "tsv"):
            return remote_error(exc, obj)
        try:
            return scan(obj, fmt, request, typed=False).collect()
        except (pl.exceptions.PolarsError, OSError) as again:
            return remote_error(again, obj)
    except (pl.exceptions.PolarsError, OSError) as exc:
        return remote_error(exc, obj)


# Where each service's client looks for credentials, named when they are refused.
CREDENTIALS = {"S3": "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or AWS_PROFILE",
               "GCS": "GOOGLE_APPLICATION_CREDENTIALS",
               "Azure": "AZURE_STORAGE_ACCOUNT_NAME with AZURE_STORAGE_ACCOUNT_KEY or a token"}
# object_store's wording (and the services' error codes) -> what the user should check.
_CAUSES = [
    (("NoSuchBucket", "bucket does not exist", "BucketNotFound", "ContainerNotFound"), "no such bucket"),
    (("Account must be specified",), "no storage account: set AZURE_STORAGE_ACCOUNT_NAME"),
    (("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403 Forbidden", "401 Unauthorized",
      "AuthorizationFailure", "ExpiredToken", "InvalidToken", "token request"),
     "access denied: check the credentials ({credentials})"),
    (("Connection refused",), "connection refused by the endpoint"),
    (("timed out", "deadline"), "the endpoint did not answer in time"),
    (("dns error", "failed to lookup", "Name or service not known"), "unknown endpoint host"),
    (("NoSuchKey", "404 Not Found"), "no such object"),
    (("error sending request", "tcp connect error"), "cannot reach the endpoint"),
    (("region",), "wrong or missing region: set AWS_REGION to the bucket's region"),
]


def remote_error(exc: BaseException, where: object) -> InputError:
    """A client error as one line naming the URL: the cause in plain words when recognised."""
    if isinstance(exc, InputError):
        return exc
    text = str(exc).lower()
    scheme = _URL_SHAPE.match(str(where))
    service = SCHEMES.get(scheme.group(1).lower(), "S3") if scheme else "S3"
    for needles, cause in _CAUSES:
        if any(n.lower() in text for n in needles):
            return InputError(cause.format(credentials=CREDENTIALS[service]), path=where)
    return InputError(f"cannot read: {plain_error(exc)}", path=where)


class ListingPoll:
    """What a watched URL holds, listed at most every `every` seconds: the object keys (the
    listing gives no sizes), or the error that listing met."""

    def __init__(self, url: RemoteURL, every: float) -> None:
        self.url, self.every = url, every
        self.last = 0.0
        self.seen: dict[str, tuple[int, int]] = {}

    def signature(self) -> dict[str, tuple[int, int]]:
        now = time.monotonic()
        if self.last and now - self.last < self.every:
            return self.seen
        self.last = now
        try:
            objects = list_objects(parse(self.url), Request())
            self.seen = {str(o): (0, 0) for o in objects}
        except InputError as exc:
            self.seen = {f"{self.url} ({exc})": (-1, -1)}
        return self.seen
