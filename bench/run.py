"""kvscope's speed and memory benchmark (issue 17): each figure against a floor measured in the same run.

    python bench/run.py [--runs 5] [--presses 20] [--data DIR] [--no-visidata] [--quick]
                        [--only keys|bundled|summary|csv|parquet]

Generates a tidy 1,000,000-row sweep (100 models x 20 benchmarks x 50 budgets x 5 seeds x 2
metrics) as CSV and Parquet (kept in bench/.data), then measures in real terminals (tmux, a
server of its own, 120x40) and subprocesses, and prints a Markdown table with each ratio beside
its target. Timed figures run `--runs` times taking turns with their floor, so a busy spell hits
both; medians are reported. `--quick` (2 runs, 6 presses) is for trying things, not for the record.
`--only` measures one group of figures (the keystrokes take about a minute, a whole run about
five): for work on one of them, e.g. `python bench/run.py --only keys --presses 20`.

- first frame showing data: from starting the command to the sweep chart's title (drawn with
  the chart, from data) on the tmux screen. The floor is bench/minimal_app.py (a header, a
  table and a footer) reading the same file with polars and showing its first rows: its marker
  is the first row's "model | benchmark", taken from the file.
- 1M-row files: the same floor app reading the 1M-row file; VisiData (installed into
  bench/.venv-vd from PyPI on first use) is timed 3 times with `vd -b FILE` with its output on a
  terminal, where it loads the whole file and exits (with output to a pipe it would also print
  all rows, minutes that are not loading). The `load()` row is the data layer alone (kvscope's
  loader in a fresh process) against `polars.read_*` in a fresh process, for telling app time
  from data time.
- peak RSS: VmHWM of the app's process once the data has been on screen for a few seconds
  (the insights worker has started), against polars reading the file (VmHWM, read by that process).
- keystrokes: see `keystrokes` (paths) and bench/keys.py (what is timed). KEYS=path runs another
  script in its place (a copy of keys.py that logs more, when looking for where time goes).
- summary: `python -m tui summary` (NO_COLOR) against `python -c "import polars, rich.table"`,
  and whether any textual module is imported by it.
- cached / no cache: kvscope keeps a parsed copy of each table file (tui/core/loader/cache.py).
  The start-up figures are measured both with the copy there (a second start; the bench's own
  cache folder, bench/.data/cache) and with KVSCOPE_NO_CACHE=1 (what a first start parses).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable
# A tmux server of our own (its own socket), kept up by an idle session for the whole run: other
# tmux sessions on the machine are left alone, and a new session never races a server shutting down.
TMUX = ["tmux", "-L", f"kvbench{os.getpid()}"]


def generate(folder: Path) -> tuple[Path, Path]:
    import polars as pl

    folder.mkdir(parents=True, exist_ok=True)
    csv, parquet = folder / "sweep_1m.csv", folder / "sweep_1m.parquet"
    if csv.exists() and parquet.exists():
        return csv, parquet
    n = 100 * 20 * 50 * 5
    wide = pl.DataFrame({"i": pl.int_range(0, n, eager=True)}).select(
        model=pl.format("model-{}", pl.col("i") // 5000),
        benchmark=pl.format("bench-{}", (pl.col("i") // 250) % 20),
        kv_budget=1000 + ((pl.col("i") // 5) % 50) * 100,
        seed=pl.col("i") % 5,
        pass_at_1=((pl.col("i") * 7919) % 1000).cast(pl.Float64) / 10,
        throughput_tps=900.0 - ((pl.col("i") // 5) % 50) * 8.0 + (pl.col("i") % 5).cast(pl.Float64),
    )
    tidy = wide.unpivot(index=["model", "benchmark", "kv_budget", "seed"], on=["pass_at_1", "throughput_tps"],
                        variable_name="metric", value_name="value")
    assert tidy.height == 1_000_000
    tidy.write_csv(csv)
    tidy.write_parquet(parquet)
    return csv, parquet


def wall(cmd: list[str], env: dict | None = None) -> float:
    """Wall time of one run of a command, in seconds."""
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
    return time.perf_counter() - start


def peak_rss_mb(code: str) -> float:
    """Peak resident memory in MB of `python -c code`, read by that process itself (VmHWM).
    Not the child's ru_maxrss: that starts from this process's size when it forks, and this
    process holds the generated sweep after a first run."""
    report = "\nprint(next(l for l in open('/proc/self/status') if l.startswith('VmHWM:')).split()[1])"
    out = subprocess.run([PY, "-c", code + report], capture_output=True, text=True, check=True).stdout
    return int(out.split()[-1]) / 1024


def first_frame(cmd: str, marker: str, size: tuple[int, int] = (120, 40), timeout: float = 60,
                hold: float = 0.0) -> tuple[float, float]:
    """Seconds from starting `cmd` in a real terminal (tmux) until `marker` is on screen, and the
    peak RSS (MB) of the program `hold` seconds later."""
    session = f"kvbench{os.getpid()}"
    start = time.perf_counter()
    subprocess.run([*TMUX, "new-session", "-d", "-s", session, "-x", str(size[0]), "-y", str(size[1]), cmd],
                   check=True)
    try:
        while True:
            screen = subprocess.run([*TMUX, "capture-pane", "-p", "-t", session], capture_output=True,
                                    text=True).stdout
            if marker in screen:
                took = time.perf_counter() - start
                break
            if time.perf_counter() - start > timeout:
                raise TimeoutError(f"{marker!r} never appeared for {cmd!r}:\n{screen}")
            time.sleep(0.02)  # each look spawns a process: polling harder would slow the app on few cores
        time.sleep(hold)
        pid = subprocess.run([*TMUX, "list-panes", "-t", session, "-F", "#{pane_pid}"], capture_output=True,
                             text=True).stdout.split()[0]
        return took, _vm_hwm(int(pid))
    finally:
        subprocess.run([*TMUX, "kill-session", "-t", session], stderr=subprocess.DEVNULL)


def _vm_hwm(pid: int) -> float:
    """Peak RSS in MB of a process and its children (the pane's shell runs python)."""
    best = 0.0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    best = max(best, int(line.split()[1]) / 1024)
        except OSError:
            pass
    return best


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    kids = [int(p) for p in out]
    return kids + [g for k in kids for g in _children(k)]


def tty_wall(cmd: list[str]) -> float:
    """Wall time of one run of a command whose output is a terminal (a pty, drained)."""
    import pty
    import threading

    master, slave = pty.openpty()

    def drain() -> None:
        try:
            while os.read(master, 65536):
                pass
        except OSError:
            pass

    threading.Thread(target=drain, daemon=True).start()
    start = time.perf_counter()
    try:
        subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, check=True)
        return time.perf_counter() - start
    finally:
        os.close(slave)
        os.close(master)


def visidata() -> Path:
    venv = HERE / ".venv-vd"
    vd = venv / "bin" / "vd"
    if not vd.exists():
        subprocess.run([PY, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "visidata", "pyarrow"], check=True)
    return vd


class Terminal:
    """The app (bench/keys.py) in a tmux session, driven by `tmux send-keys`, timed from its own log."""

    def __init__(self, data: Path, size: tuple[int, int] = (120, 40)) -> None:
        self.session = f"kvkeys{os.getpid()}"
        self.log = data.parent / f"keys{os.getpid()}.log"
        self.log.unlink(missing_ok=True)
        script = os.environ.get("KEYS", HERE / "keys.py")
        cmd = f"{CACHED} {PY} {script} {data} {self.log}"
        subprocess.run([*TMUX, "new-session", "-d", "-s", self.session, "-x", str(size[0]), "-y", str(size[1]),
                        cmd], check=True)
        self._wait(lambda lines: any(line.startswith("READY") for line in lines), 180, "the app to be ready")

    def _lines(self) -> list[str]:
        # The app may be writing: a last line without its newline is not whole yet.
        text = self.log.read_text() if self.log.exists() else ""
        return text[:text.rfind("\n") + 1].splitlines()

    def _wait(self, done, timeout: float, what: str) -> list[str]:
        start = time.perf_counter()
        while True:
            lines = self._lines()
            if done(lines):
                return lines
            if time.perf_counter() - start > timeout:
                screen = subprocess.run([*TMUX, "capture-pane", "-p", "-t", self.session], capture_output=True,
                                        text=True).stdout
                raise TimeoutError(f"waited {timeout} s for {what}:\n{screen}")
            time.sleep(0.01)

    def press(self, *keys: str, quiet: float = 0.25) -> tuple[float, float]:
        """Send keys (tmux key names) once no worker is running; wait until the app has the last
        key and the screen has been still for `quiet` seconds. Returns milliseconds from the last
        key's event to (the last frame before that stillness and before any worker's text reached
        the view, the last frame before every worker the key started had finished and the screen
        was still again)."""

        def times(lines: list[str], kind: str, field: int = -1) -> list[float]:
            return [float(line.split()[field]) for line in lines if line.startswith(kind)]

        def idle(lines: list[str]) -> bool:
            workers = [line.split()[1] for line in lines if line.startswith("W ")]
            active = times(lines, "D ") + times(lines, "K ")
            return (not workers or workers[-1] == "0") and time.monotonic() - max(active, default=0) > quiet

        self._wait(idle, 60, "the app to be idle")
        sent = time.monotonic()  # the app logs on the same clock
        subprocess.run([*TMUX, "send-keys", "-t", self.session, *keys], check=True)

        def settled(lines: list[str]) -> bool:
            made = [t for t in times(lines, "K ", 2) if t >= sent]
            if len(made) < len(keys):
                return False
            # Still: nothing drawn or typed for `quiet` s after a frame (2 s if the key drew nothing).
            drawn = any(t >= max(made) for t in times(lines, "D "))
            active = times(lines, "D ") + times(lines, "K ")
            return time.monotonic() - max(active) > (quiet if drawn else 2.0)

        lines = self._wait(settled, 30, f"keys {' '.join(keys)}")
        key_at = max(times(lines, "K ", 2))
        frames = [t for t in times(lines, "D ") if t >= key_at]
        # The key's own repaint ends before a worker's text arrives (if it arrives within `quiet`).
        arrived = [t for t in times(lines, "I ") if t >= key_at]
        shown = [t for t in frames if not arrived or t < arrived[0]]
        first = (max(shown) - key_at) * 1000 if shown else float("nan")
        lines = self._wait(idle, 60, "workers to finish")
        frames = [t for t in times(lines, "D ") if t >= key_at]
        return first, ((max(frames) - key_at) * 1000 if frames else float("nan"))

    def close(self) -> None:
        subprocess.run([*TMUX, "kill-session", "-t", self.session], stderr=subprocess.DEVNULL)
        self.log.unlink(missing_ok=True)


def keystrokes(path: Path, presses: int) -> dict[str, list[float]]:
    """Milliseconds from a key to the repaint, on the paths a user takes (see Terminal.press).

    The explorer opens on the first model's first benchmark with the focus in the sidebar tree;
    with 100 models only the first is unfolded, its leaves are its benchmarks then Average. Each
    key is sent once the app is idle (no worker running, screen still).

    - tree cursor (j): `j` moves the tree cursor to the next leaf (nothing opens yet).
    - next benchmark: `enter` on that leaf opens it: the table and the chart are rebuilt.
    - next model: the cursor walks to the next model's line, unfolds it with `l` and steps onto
      its first benchmark (`j`; none of this timed), then `enter` opens it: table and chart
      rebuilt for a model not opened before.
    - next model, insights text: the same `enter`, until the last frame once the insights
      worker it starts (sentences about the model, off the event loop) has finished.
    - page down/up: `tab` focuses the sweep table (a row per budget, 50 here); `pagedown` moves
      the cursor a page and the chart redraws its highlight; `pageup` moves back (also timed:
      at the bottom a second `pagedown` would change nothing).
    - next benchmark, nothing drawn ahead: back in the tree (`shift+tab`), `j` and `enter` sent
      together along the last model's leaves, so the app has no idle moment to prepare the sweep
      the cursor lands on: what a key costs when it outruns the drawing ahead.
    - open a comparison: on that model's leaves, `c` marks the sweep under the cursor, `k` steps
      to the benchmark above, and `c` (timed) opens the compare screen of the two benchmarks;
      `escape` goes back (not timed).
    - sort a column: in the sweep table, `l` moves the cursor to the first metric column, then
      `]` and `[` sort the table by it, descending and ascending in turn.
    """
    from tui.core.loader import load

    results = load([path])
    leaves = len(results.benchmarks(results.models[0])) + 1  # benchmarks, then Average
    bench_steps = min(presses, leaves - 1)
    models = min(presses, len(results.models) - 1, 10)  # each new model's insights take seconds
    term = Terminal(path)
    out: dict[str, list[float]] = {"tree cursor (j)": [], "next benchmark": [], "next model": [],
                                   "next model, insights text": [], "page down/up": [],
                                   "next benchmark, nothing drawn ahead": [], "open a comparison": [],
                                   "sort a column": []}

    def open_model() -> None:
        shown, insights = term.press("Enter")
        out["next model"].append(shown)
        out["next model, insights text"].append(insights)

    try:
        for _ in range(bench_steps):  # along the first model's leaves
            out["tree cursor (j)"].append(term.press("j")[0])
            out["next benchmark"].append(term.press("Enter")[0])
        # to the second model's (folded) line, past the rest of this model's leaves; unfold, step in
        term.press(*["j"] * (leaves - bench_steps), quiet=0.1)
        term.press("l", quiet=0.1)
        term.press("j", quiet=0.1)
        open_model()
        for _ in range(models - 1):
            term.press(*["j"] * leaves, quiet=0.1)
            term.press("l", quiet=0.1)
            term.press("j", quiet=0.1)
            open_model()
        term.press("Tab")
        for i in range(presses):
            out["page down/up"].append(term.press("PageDown" if i % 2 == 0 else "PageUp")[0])
        term.press("l")
        for i in range(presses):
            out["sort a column"].append(term.press("]" if i % 2 == 0 else "[")[0])
        term.press("BTab")
        for _ in range(bench_steps):
            out["next benchmark, nothing drawn ahead"].append(term.press("j", "Enter")[0])
        for _ in range(bench_steps - 1):  # back up the leaves just walked
            term.press("c", quiet=0.1)
            term.press("k", quiet=0.1)
            out["open a comparison"].append(term.press("c")[0])
            term.press("Escape")
    finally:
        term.close()
    return out


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def interleaved(measures: dict[str, callable], runs: int) -> dict[str, list]:
    """Run each measure `runs` times, taking turns, so a busy spell on the machine hits all alike."""
    out: dict[str, list] = {name: [] for name in measures}
    for _ in range(runs):
        for name, measure in measures.items():
            out[name].append(measure())
    return out


# The targets (issue 17): a ratio to the floor, or a key's latency in ms.
FIRST_FRAME_TARGET = 1.3
VISIDATA_TARGET = {"CSV": 5.0, "PARQUET": 1.5}
RSS_TARGET = 1.5
VD_RUNS = 3  # VisiData's load time varies from run to run, so its median is compared
SUMMARY_TARGET = 1.3
KEY_TARGET = (16.0, 33.0)  # median, p95: one or two frames at 60 Hz
TARGETED_KEYS = ("next model", "next benchmark", "page down/up", "open a comparison", "sort a column")
# kvscope's parsed copies (tui/core/loader/cache.py) are kept in a folder of the benchmark's own.
CACHE = HERE / ".data" / "cache"
CACHED = f"env XDG_CACHE_HOME={CACHE}"
UNCACHED = f"env XDG_CACHE_HOME={CACHE} KVSCOPE_NO_CACHE=1"
# "cached": a second start, the file's parsed copy kept; "no cache": KVSCOPE_NO_CACHE=1, as a first start.
CACHE_STATES = {"warm": "cached", "cold": "no cache"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="repetitions per timed figure (median reported)")
    parser.add_argument("--data", type=Path, default=HERE / ".data", help="where the generated sweep is kept")
    parser.add_argument("--presses", type=int, default=20, help="timed presses per keystroke figure")
    parser.add_argument("--no-visidata", action="store_true", help="skip the VisiData comparison")
    parser.add_argument("--quick", action="store_true", help="2 runs and 6 presses: for trying things")
    parser.add_argument("--only", choices=["keys", "bundled", "summary", "csv", "parquet"],
                        help="measure only these figures: the keystrokes, the bundled set's first "
                             "frame, `kvscope summary`, or one 1M-row file's")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.presses = 2, 6
    if not shutil.which("tmux"):
        sys.exit("bench: tmux is needed (apt-get install tmux)")
    os.environ["XDG_CACHE_HOME"] = str(CACHE)  # every kvscope started here, and load() in this process
    csv, parquet = generate(args.data)
    # Bytecode as an installed package has it: with PYTHONDONTWRITEBYTECODE set (some CI images),
    # every run would otherwise recompile kvscope's modules (~40 ms) and time that instead.
    subprocess.run([PY, "-m", "compileall", "-q", str(HERE.parent / "tui"), str(HERE)], check=True)
    subprocess.run([*TMUX, "new-session", "-d", "-s", "idle", "sleep 86400"], check=True)
    load_before = os.getloadavg()[0]
    try:
        rows = measure(args, csv, parquet)
    finally:
        subprocess.run([*TMUX, "kill-server"], stderr=subprocess.DEVNULL)
    print(f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; "
          f"{args.runs} runs per timed figure (taking turns with the floor), medians\n")
    print("| figure | kvscope | floor | ratio | target | met |\n|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def met(ok: bool | None) -> str:
    return "-" if ok is None else ("yes" if ok else "no")


def first_frame_row(figure: str, kv_t: float, floor_name: str, floor_t: float) -> tuple[str, ...]:
    ratio = kv_t / floor_t
    return (figure, f"{kv_t:.2f} s", f"{floor_name} {floor_t:.2f} s", f"{ratio:.2f}x",
            f"<= {FIRST_FRAME_TARGET}x", met(ratio <= FIRST_FRAME_TARGET))


def floor_marker(path: Path) -> str:
    """What the floor app shows for the file's first row (see bench/minimal_app.py)."""
    import polars as pl

    head = pl.read_parquet(path, n_rows=1) if path.suffix == ".parquet" else pl.read_csv(path, n_rows=1)
    return f"{head['model'][0]} | {head['benchmark'][0]}"


def measure(args, csv: Path, parquet: Path) -> list[tuple[str, ...]]:
    wanted = {args.only} if args.only else {"bundled", "csv", "parquet", "keys", "summary"}
    rows = bundled_first_frame(args.runs) if "bundled" in wanted else []
    vd = None if args.no_visidata or not wanted & {"csv", "parquet"} else visidata()
    for path in (csv, parquet):
        if path.suffix[1:] in wanted:
            rows += big_file(path, args.runs, vd)
    if "keys" in wanted:
        rows += keystroke_rows(parquet, args.presses)
    if "summary" in wanted:
        rows += summary_rows(args.runs)
    return rows


def bundled_first_frame(runs: int) -> list[tuple[str, ...]]:
    """The chart's title names the sweep, and the chart is drawn from data."""
    bundled = HERE.parent / "data" / "kv_sweep.csv"
    marker = floor_marker(bundled)
    wall([PY, "-c", "from tui.core.loader import load; load()"])  # the warm runs' copy
    got = interleaved({"floor": lambda: first_frame(f"{PY} {HERE / 'minimal_app.py'} {bundled}", marker),
                       "warm": lambda: first_frame(f"{CACHED} {PY} -m tui", "R1-Llama | AIME24"),
                       "cold": lambda: first_frame(f"{UNCACHED} {PY} -m tui", "R1-Llama | AIME24")}, runs)
    floor_t = statistics.median(t for t, _ in got["floor"])
    floor = "minimal Textual app reading kv_sweep.csv"
    return [first_frame_row(f"first frame showing data, bundled set, {CACHE_STATES[state]} (tmux)",
                            statistics.median(t for t, _ in got[state]), floor, floor_t)
            for state in CACHE_STATES]


def big_file(path: Path, runs: int, vd: Path | None) -> list[tuple[str, ...]]:
    """First frame, data layer, VisiData and peak RSS for one 1M-row file, with and without the
    parsed copy in kvscope's cache."""
    med = statistics.median
    kind = path.suffix[1:].upper()
    read = f"import polars; polars.{'read_csv' if kind == 'CSV' else 'read_parquet'}({str(path)!r})"
    load = f"from pathlib import Path; from tui.core.loader import load; load([Path({str(path)!r})])"
    marker = floor_marker(path)
    measures = {"floor": lambda: first_frame(f"{PY} {HERE / 'minimal_app.py'} {path}", marker),
                "polars": lambda: wall([PY, "-c", read])}
    for state, prefix in (("warm", CACHED), ("cold", UNCACHED)):
        env = dict(os.environ, **dict(item.split("=", 1) for item in prefix.split()[1:]))
        command = f"{prefix} {PY} -m tui {path}"
        measures[state] = lambda command=command: first_frame(command, "model-0 | bench-0")
        measures[f"load {state}"] = lambda env=env: wall([PY, "-c", load], env=env)
    wall([PY, "-c", load])  # the warm runs' copy
    got = interleaved(measures, runs)
    floor_t, polars_t = med(t for t, _ in got["floor"]), med(got["polars"])
    polars_rss = peak_rss_mb(read)
    # `vd -b` loads the file and exits; with its output on a terminal it does not also print
    # the sheet (which takes VisiData minutes at 1M rows and is not loading).
    vd_t = med(tty_wall([str(vd), "-b", str(path)]) for _ in range(VD_RUNS)) if vd else float("nan")
    vd_target = VISIDATA_TARGET[kind]
    rows = []
    for state, prefix in (("cold", UNCACHED), ("warm", CACHED)):
        kv_t, load_t = med(t for t, _ in got[state]), med(got[f"load {state}"])
        _, rss = first_frame(f"{prefix} {PY} -m tui {path}", "model-0 | bench-0", hold=4.0)
        label = f"1M-row {kind}, {CACHE_STATES[state]}"
        rows += [
            first_frame_row(f"first frame showing data, {label} (tmux)", kv_t,
                            "minimal Textual app reading it", floor_t),
            (f"against VisiData, {label}", f"{kv_t:.2f} s", f"`vd -b` {vd_t:.2f} s (median of {VD_RUNS})",
             f"{vd_t / kv_t:.2f}x faster", f">= {vd_target}x faster",
             met(vd_t / kv_t >= vd_target if vd else None)),
            (f"(data layer) python -c load({label})", f"{load_t:.2f} s",
             f"polars read {polars_t:.2f} s", f"{load_t / polars_t:.2f}x", "-", "-"),
            (f"peak RSS, {label}", f"{rss:.0f} MB", f"polars read {polars_rss:.0f} MB",
             f"{rss / polars_rss:.2f}x", f"<= {RSS_TARGET}x", met(rss / polars_rss <= RSS_TARGET)),
        ]
    return rows


def keystroke_rows(path: Path, presses: int) -> list[tuple[str, ...]]:
    rows = []
    for name, samples in keystrokes(path, presses).items():
        median, p95 = statistics.median(samples), pct(samples, 0.95)
        # The paths have the target; the others are shown to tell where time goes.
        targeted = name in TARGETED_KEYS
        ok = median <= KEY_TARGET[0] and p95 <= KEY_TARGET[1] if targeted else None
        target = f"median <= {KEY_TARGET[0]:.0f} ms, p95 <= {KEY_TARGET[1]:.0f} ms" if targeted else "-"
        rows.append((f"keystroke -> repaint: {name} (1M rows, tmux)", f"median {median:.1f} ms", "-",
                     f"p95 {p95:.1f} ms (n={len(samples)})", target, met(ok)))
    return rows


def summary_rows(runs: int) -> list[tuple[str, ...]]:
    env = {**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": str(CACHE)}
    measures = {"floor": lambda: wall([PY, "-c", "import polars, rich.table"]),
                "warm": lambda: wall([PY, "-m", "tui", "summary"], env=env),
                "cold": lambda: wall([PY, "-m", "tui", "summary"], env={**env, "KVSCOPE_NO_CACHE": "1"})}
    got = interleaved(measures, runs)
    floor_s = statistics.median(got["floor"])
    check = ("import sys\nfrom tui.cli import main\n"
             "try:\n    main(['summary'])\nexcept SystemExit:\n    pass\n"
             "print('TEXTUAL', any(m == 'textual' or m.startswith('textual.') for m in sys.modules),"
             " file=sys.stderr)")
    err = subprocess.run([PY, "-c", check], capture_output=True, text=True, env=env).stderr
    textual = err.rsplit("TEXTUAL ", 1)[-1].strip()
    rows = []
    for state in CACHE_STATES:
        summary_s = statistics.median(got[state])
        ratio = summary_s / floor_s
        rows.append((f"`kvscope summary`, bundled set, {CACHE_STATES[state]}", f"{summary_s:.2f} s",
                     f"`import polars, rich.table` {floor_s:.2f} s",
                     f"{ratio:.2f}x; Textual imported: {textual}", f"<= {SUMMARY_TARGET}x, no Textual",
                     met(ratio <= SUMMARY_TARGET and textual == "False")))
    return rows


if __name__ == "__main__":
    main()
