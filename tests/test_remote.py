"""Sweeps read in place from a bucket: a local S3 server (moto in server mode, on 127.0.0.1 only)
holds the bundled sweep hive-partitioned as Parquet, CSV and NDJSON; kvscope must print the same
numbers as from the local files, read only the partitions a command asks for, and end every
bad URL, bucket, credential or endpoint in one line naming the URL, exit 2, well within 30 s."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl
import pytest

from tui.core import remote
from tui.core.errors import InputError
from tui.core.loader import LoadOptions, load
from tui.core.watch import Watcher

boto3 = pytest.importorskip("boto3")
pytest.importorskip("moto.server")

ROOT = Path(__file__).parents[1]
BUCKET = "team-sweeps"
ERROR_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_moto(log: Path, extra_env: dict | None = None) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, **(extra_env or {})}
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=open(log, "wb"), env=env)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail("moto server did not start")


def _env(endpoint: str, secret: str = "testing") -> dict:
    return {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": secret,
            "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}


def _put(client, key: str, frame: pl.DataFrame, fmt: str) -> None:
    buffer = io.BytesIO()
    {"parquet": frame.write_parquet, "csv": frame.write_csv, "ndjson": frame.write_ndjson}[fmt](buffer)
    client.put_object(Bucket=BUCKET, Key=key, Body=buffer.getvalue())


def _upload_sweep(client, prefix: str, fmt: str) -> None:
    """The bundled sweep (and its reported averages), one object per model, benchmark and budget,
    as the README tells a sweep job to write it; the partition columns are left out of the files."""
    rows = pl.concat([pl.read_csv(ROOT / "data" / name) for name in ("kv_sweep.csv", "kv_average.csv")])
    keys = ["model", "benchmark", "kv_budget"]
    for (model, bench, budget), part in rows.group_by(keys):
        _put(client, f"{prefix}/model={model}/benchmark={bench}/kv_budget={budget}/part-0.{fmt}",
             part.drop(keys), fmt)
    client.put_object(Bucket=BUCKET, Key=f"{prefix}/_SUCCESS", Body=b"")


@pytest.fixture(scope="session")
def s3(tmp_path_factory):
    """(endpoint, server log) of a moto S3 server holding the sweep under sweeps-{parquet,csv,ndjson}/."""
    log = tmp_path_factory.mktemp("moto") / "server.log"
    proc, endpoint = _start_moto(log)
    saved = {k: os.environ.get(k) for k in _env(endpoint)}
    os.environ.update(_env(endpoint))
    try:
        client = boto3.client("s3")
        client.create_bucket(Bucket=BUCKET)
        for fmt in ("parquet", "csv", "ndjson"):
            _upload_sweep(client, f"sweeps-{fmt}", fmt)
        for hidden in (".staging/part-0.parquet", "_temporary/0/part-0.csv"):  # a writer's leftovers
            client.put_object(Bucket=BUCKET, Key=f"sweeps-parquet/{hidden}", Body=b"half-written")
        # A damaged object in one model's partition: a load narrowed to the other model never reads it.
        _upload_sweep(client, "pruned", "parquet")
        damaged = "pruned/model=R1-Qwen/benchmark=AMC23/kv_budget=9999/part-0.parquet"
        client.put_object(Bucket=BUCKET, Key=damaged, Body=b"PAR1 not really parquet")
        yield endpoint, log
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
        proc.terminate()
        proc.wait(timeout=10)


def _kvscope(*args: str, env: dict | None = None) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "100", **(env or {})}, timeout=60, cwd=ROOT)
    return done, time.monotonic() - started


@pytest.fixture(scope="module", autouse=True)
def never_answered():
    """`kvscope summary` against an endpoint that accepts connections and never answers, started
    when this module's tests start: its timeouts' waiting overlaps the other tests."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    # Credentials of its own: this may start before the moto fixture has set the environment's.
    env = _env(f"http://127.0.0.1:{silent.getsockname()[1]}")
    with ThreadPoolExecutor(1) as pool:
        yield pool.submit(_kvscope, "summary", f"s3://{BUCKET}/sweeps-parquet/", env=env)
    silent.close()


@pytest.mark.parametrize("fmt", ["parquet", "csv", "ndjson"])
def test_summary_from_a_bucket_matches_the_local_files(s3, fmt):
    local, _ = _kvscope("summary", "data/kv_sweep.csv", "data/kv_average.csv", "--format", "csv")
    remote_run, _ = _kvscope("summary", f"s3://{BUCKET}/sweeps-{fmt}/", "--format", "csv")
    assert local.returncode == 0 and remote_run.returncode == 0, remote_run.stderr
    assert remote_run.stdout == local.stdout
    assert "R1-Qwen,AMC23,pass_at_1,90.5,3500,750.0" in remote_run.stdout


def test_hive_segments_become_columns_and_the_header_names_the_bucket(s3):
    results = load([f"s3://{BUCKET}/sweeps-parquet/"])
    assert results.models == ["R1-Llama", "R1-Qwen"]
    assert sorted(results.benchmarks()) == ["AIME24", "AIME25", "AMC23", "GPQA-D"]
    assert results.origin == f"60 files: s3://{BUCKET}/sweeps-parquet/"  # the hidden ones left out
    peak = results.sweep.filter((pl.col("model") == "R1-Qwen") & (pl.col("benchmark") == "AMC23")
                                & (pl.col("metric") == "pass_at_1"))
    assert peak["value"].max() == 90.5


def _gets(log: Path, prefix: str) -> int:
    """GET requests for keys under `prefix` in the server's request log (key `=` raw or encoded)."""
    wanted = (f"GET /{BUCKET}/{prefix}", f"GET /{BUCKET}/{prefix.replace('=', '%3D')}")
    lines = log.read_text(errors="replace").splitlines()
    return sum(1 for line in lines if wanted[0] in line or wanted[1] in line)


def test_a_chosen_model_is_pruned_before_reading(s3):
    """A damaged object sits in R1-Qwen's partitions: narrowed to R1-Llama, no object of R1-Qwen
    is fetched (the server's request log has no GET for one) and the command succeeds."""
    _, log = s3
    qwen = "pruned/model=R1-Qwen/"
    before = _gets(log, qwen)
    done, _ = _kvscope("table", "--model", "llama", "--benchmark", "amc23", f"s3://{BUCKET}/pruned/", "-v")
    assert done.returncode == 0, done.stderr
    # 2 models x (4 benchmarks + avg) x 6 budgets, and the damaged one: R1-Llama's AMC23 is 6.
    assert f"reading 6 of 61 files under s3://{BUCKET}/pruned/" in done.stderr
    assert "R1-Llama | AMC23" in done.stdout and "87.0" in done.stdout
    assert _gets(log, qwen) == before
    assert _gets(log, "pruned/model=R1-Llama/benchmark=AMC23/") > 0
    # Unnarrowed, R1-Qwen's objects are fetched, and the damaged one is skipped and named.
    every, _ = _kvscope("summary", f"s3://{BUCKET}/pruned/", "-v")
    assert every.returncode == 0
    assert "kv_budget=9999/part-0.parquet" in every.stderr
    assert _gets(log, qwen) >= before + 31


def test_prune_keeps_objects_without_the_key_and_all_benchmarks_for_an_average():
    objects = [remote.RemoteObject(f"s3://b/p/model={m}/benchmark={b}/x.parquet")
               for m in ("A-7B", "B-8B") for b in ("amc23", "avg")]
    objects.append(remote.RemoteObject("s3://b/p/vllm/run.csv"))
    keys = {"model": {"model"}, "benchmark": {"benchmark"}}
    wanted = {"model": "a-7b", "benchmark": "avg"}
    narrowed = remote.prune(objects, remote.Request(where=wanted, role_keys=keys))
    assert [o.split("/")[4:6] for o in narrowed] == [["model=A-7B", "benchmark=amc23"],
                                                     ["model=A-7B", "benchmark=avg"], ["vllm", "run.csv"]]
    unknown = remote.prune(objects, remote.Request(where={"model": "nothing"}, role_keys=keys))
    assert unknown == objects


def test_only_the_columns_the_loader_uses_are_scanned(s3):
    """Free-text columns the loader never reads (a host, a commit) are left out of the scan."""
    frame = pl.DataFrame({"pass_at_1": [0.5], "Host": ["n1"], "git-sha": ["abc"], "notes": ["kept"]})
    _put(boto3.client("s3"), "columns/model=m/benchmark=b/kv_budget=1/part-0.parquet", frame, "parquet")
    obj = remote.RemoteObject(f"s3://{BUCKET}/columns/model=m/benchmark=b/kv_budget=1/part-0.parquet")
    plan = remote.scan(obj, "parquet", remote.Request(drop={"host", "git_sha"}))
    assert plan.collect_schema().names() == ["pass_at_1", "notes"]
    assert "PROJECT 2/4 COLUMNS" in plan.explain()


@pytest.mark.parametrize("url, says", [
    ("s3:/team-sweeps/x", "not a bucket URL"),
    ("ftp://team-sweeps/x/", "unknown scheme 'ftp'"),
    ("s3://", "no bucket named"),
    ("s3://no-such-bucket-kvscope/sweeps/", "no such bucket"),
    (f"s3://{BUCKET}/nothing-here/", "no objects under this prefix"),
    (f"s3://{BUCKET}/sweeps-parquet/model=R1-Qwen/missing.parquet", "no such object"),
])
def test_bad_urls_give_one_line_and_exit_2(s3, url, says):
    done, seconds = _kvscope("summary", url)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"kvscope: error: {url}: {says}")
    assert seconds < ERROR_SECONDS


def test_wrong_credentials_are_refused_in_one_line(tmp_path):
    """A second server that checks credentials (moto's IAM check on from the first request)."""
    proc, endpoint = _start_moto(tmp_path / "auth.log", {"INITIAL_NO_AUTH_ACTION_COUNT": "0"})
    try:
        done, seconds = _kvscope("summary", f"s3://{BUCKET}/sweeps-parquet/", env=_env(endpoint, "wrong"))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"kvscope: error: s3://{BUCKET}/sweeps-parquet/: access denied")
    assert done.stderr.count("\n") == 1 and seconds < ERROR_SECONDS


def test_connection_refused_gives_one_line_quickly(s3):
    done, seconds = _kvscope("summary", f"s3://{BUCKET}/sweeps-parquet/",
                             env={"AWS_ENDPOINT_URL": f"http://127.0.0.1:{_free_port()}"})
    assert done.returncode == 2
    url = f"s3://{BUCKET}/sweeps-parquet/"
    assert done.stderr == f"kvscope: error: {url}: connection refused by the endpoint\n"
    assert seconds < ERROR_SECONDS


def test_an_endpoint_that_never_answers_ends_within_30_seconds(never_answered):
    """A server that accepts connections and says nothing: the client's timeouts end the wait."""
    done, seconds = never_answered.result(timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith(f"kvscope: error: s3://{BUCKET}/sweeps-parquet/: ")
    assert "did not answer" in done.stderr or "no answer" in done.stderr
    assert seconds < ERROR_SECONDS


def test_the_listing_deadline_stops_a_call_that_hangs(monkeypatch):
    monkeypatch.setattr(remote, "LIST_DEADLINE_S", 0.2)
    release = threading.Event()
    with pytest.raises(InputError, match=r"s3://b/p/: no answer from the endpoint within"):
        remote._within(remote.LIST_DEADLINE_S, "s3://b/p/", lambda: release.wait(5))
    release.set()


def test_progress_is_said_per_stage(s3):
    said: list[str] = []
    load([f"s3://{BUCKET}/sweeps-csv/"], LoadOptions(progress=said.append))
    assert said[0] == f"listing s3://{BUCKET}/sweeps-csv/ ..."
    assert said[1] == f"reading 60 files under s3://{BUCKET}/sweeps-csv/"
    assert said[2].startswith("read 60 files in ")


def test_watch_polls_the_listing_and_reloads_on_a_new_object(s3, monkeypatch):
    import tui.core.watch as watch

    monkeypatch.setattr(watch, "REMOTE_POLL_SECONDS", 0.0)
    client = boto3.client("s3")
    url = f"s3://{BUCKET}/watched/"
    rows = pl.read_csv(ROOT / "data" / "kv_sweep.csv").filter(pl.col("model") == "R1-Qwen")
    _put(client, "watched/model=R1-Qwen/part-0.parquet", rows.drop("model"), "parquet")
    watcher = Watcher([remote.RemoteURL(url)], load([url]))
    assert watcher.check() is None
    llama = pl.read_csv(ROOT / "data" / "kv_sweep.csv").filter(pl.col("model") == "R1-Llama")
    _put(client, "watched/model=R1-Llama/part-0.parquet", llama.drop("model"), "parquet")
    reload = watcher.check()
    assert reload is not None and reload.results is not None
    assert reload.results.models == ["R1-Llama", "R1-Qwen"]
    assert "new model R1-Llama" in reload.message


def test_the_explorer_opens_a_bucket(s3):
    from helpers import drive
    from tui.app.screens.explorer import ExplorerScreen
    from tui.app.widgets.sweep_view import SweepTable

    url = remote.RemoteURL(f"s3://{BUCKET}/sweeps-parquet/")

    async def check(app, pilot):
        assert isinstance(app.screen, ExplorerScreen)
        assert app.sub_title == f"60 files: {url}"
        table = app.screen.query_one(SweepTable)
        assert table.get_cell("2500", "pass_at_1").plain == "40.0"  # R1-Llama, AIME24 (data/kv_sweep.csv)

    drive(load([url]), [], check, size=(120, 40), watch=[url])


@pytest.mark.parametrize("url, message, says", [
    ("gs://b/p/", "Generic GCS error: Error performing token request: ... 403 Forbidden",
     "gs://b/p/: access denied: check the credentials (GOOGLE_APPLICATION_CREDENTIALS)"),
    ("az://c/p/", "Generic MicrosoftAzure error: Account must be specified",
     "az://c/p/: no storage account: set AZURE_STORAGE_ACCOUNT_NAME"),
    ("s3://b/p/", "Generic S3 error: ... <Code>SignatureDoesNotMatch</Code>",
     "s3://b/p/: access denied: check the credentials "
     "(AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)"),
    ("s3://b/p/", "something new\nwith detail", "s3://b/p/: cannot read: something new"),
])
def test_client_errors_name_the_cause_for_each_service(url, message, says):
    assert str(remote.remote_error(OSError(message), url)) == says


def test_a_bad_value_past_type_inference_names_its_line(s3, tmp_path):
    """A value that breaks its column's type after the rows polars infers from is reported as a
    local file's is: the object, the line and the column."""
    rows = "".join(f"m,b,{budget},0.5\n" for budget in range(10_001))
    text = "model,benchmark,kv_budget,pass_at_1\n" + rows + "m,b,20000,high\n"
    boto3.client("s3").put_object(Bucket=BUCKET, Key="late/results.csv", Body=text.encode())
    local = tmp_path / "results.csv"
    local.write_text(text)
    url = f"s3://{BUCKET}/late/results.csv"
    done, _ = _kvscope("summary", url)
    here, _ = _kvscope("summary", str(local))
    assert done.returncode == here.returncode == 2
    assert done.stderr == here.stderr.replace(str(local), url)
    where = f"{url}, line 10003, column 'pass_at_1'"
    assert done.stderr == f"kvscope: error: {where}: pass_at_1 value 'high' is not a number\n"


def test_polars_asking_for_a_region_never_breaks_the_one_line_output():
    """Without AWS_REGION polars warns over several lines before finding the bucket's region."""
    code = ("import warnings, tui.core.remote; warnings.warn(\"'(default_)region' not set; polars will "
            "try to get it from bucket\\n\\nSet the region manually to silence this warning.\", UserWarning)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and done.stderr == ""
