"""kvscope's speed and memory benchmark (issue 6): each figure against a floor measured in the same run.

    python bench/run.py [--runs 5] [--data DIR]

Generates a tidy 1,000,000-row sweep (100 models x 20 benchmarks x 50 budgets x 5 seeds x 2
metrics) as CSV and Parquet, then measures in real terminals (tmux) and subprocesses. VisiData
is installed into bench/.venv-vd on first use (from PyPI) for its `vd -b` full load.
Prints a Markdown table; the README records the latest one.
"""

from __future__ import annotations

import argparse
import asyncio
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


def wall(cmd: list[str], runs: int, env: dict | None = None) -> float:
    """Median wall time of a command, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_rss_mb(cmd: list[str]) -> float:
    """Peak resident memory of a child process (ru_maxrss), in MB."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024


def first_frame(cmd: str, marker: str, runs: int, size: tuple[int, int] = (120, 40), timeout: float = 60) -> tuple[float, float]:
    """Median seconds from starting `cmd` in a real terminal (tmux) until `marker` is on screen,
    and the peak RSS (MB) of the program at that moment."""
    times, rss = [], []
    for i in range(runs):
        session = f"kvbench{os.getpid()}_{i}"
        start = time.perf_counter()
        subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", str(size[0]), "-y", str(size[1]), cmd], check=True)
        try:
            while True:
                screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
                if marker in screen:
                    times.append(time.perf_counter() - start)
                    break
                if time.perf_counter() - start > timeout:
                    raise TimeoutError(f"{marker!r} never appeared for {cmd!r}:\n{screen}")
                time.sleep(0.005)
            pid = subprocess.run(["tmux", "list-panes", "-t", session, "-F", "#{pane_pid}"], capture_output=True, text=True).stdout.split()[0]
            rss.append(_vm_hwm(int(pid)))
        finally:
            subprocess.run(["tmux", "kill-session", "-t", session], stderr=subprocess.DEVNULL)
    return statistics.median(times), max(rss)


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


def visidata() -> Path:
    venv = HERE / ".venv-vd"
    vd = venv / "bin" / "vd"
    if not vd.exists():
        subprocess.run([PY, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "visidata", "pyarrow"], check=True)
    return vd


async def keystrokes(path: Path, keys: dict[str, str], presses: int = 40) -> dict[str, list[float]]:
    """Milliseconds from a key press until the app has handled it and repainted (Textual Pilot)."""
    from tui.app.main import make_app
    from tui.core.loader import load

    app = make_app(load([path]))
    out: dict[str, list[float]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for name, key in keys.items():
            samples = []
            for _ in range(presses):
                start = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                samples.append((time.perf_counter() - start) * 1000)
            out[name] = samples
    return out


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="repetitions per timed figure (median reported)")
    parser.add_argument("--data", type=Path, default=HERE / ".data", help="where the generated sweep is kept")
    parser.add_argument("--no-visidata", action="store_true", help="skip the VisiData comparison")
    args = parser.parse_args()
    if not shutil.which("tmux"):
        sys.exit("bench: tmux is needed (apt-get install tmux)")
    csv, parquet = generate(args.data)
    kv = f"{PY} -m tui"
    rows = []

    floor_t, _ = first_frame(f"{PY} {HERE / 'minimal_app.py'}", "FLOOR-READY", args.runs)
    bundled_t, _ = first_frame(kv, "R1-Llama", args.runs)
    rows.append(("first frame, bundled data (tmux)", f"{bundled_t:.2f} s", f"minimal Textual app {floor_t:.2f} s",
                 f"{bundled_t / floor_t:.2f}x", "<= 1.6x"))

    vd = None if args.no_visidata else visidata()
    for path in (csv, parquet):
        kind = path.suffix[1:].upper()
        reader = "read_csv" if kind == "CSV" else "read_parquet"
        polars_t = wall([PY, "-c", f"import polars; polars.{reader}({str(path)!r})"], args.runs)
        polars_rss = peak_rss_mb([PY, "-c", f"import polars; polars.{reader}({str(path)!r})"])
        t, rss = first_frame(f"{kv} {path}", "model-0", max(3, args.runs // 2))
        vd_t = wall([str(vd), "-b", str(path)], 1) if vd else float("nan")
        rows.append((f"first frame, 1M-row {kind}", f"{t:.2f} s", f"polars {polars_t:.2f} s; VisiData {vd_t:.2f} s",
                     f"{vd_t / t:.1f}x faster than VisiData", "<= 1.5 s and >= 5x"))
        rows.append((f"peak RSS, 1M-row {kind} open", f"{rss:.0f} MB", f"polars {polars_rss:.0f} MB",
                     f"{rss / polars_rss:.2f}x", "<= 2x"))

    for_keys = asyncio.run(keystrokes(parquet, {"next model": "down", "next benchmark": "j", "page down": "pagedown"}))
    for name, samples in for_keys.items():
        rows.append((f"keystroke -> repaint: {name} (1M rows)", f"median {statistics.median(samples):.1f} ms",
                     "-", f"p95 {pct(samples, 0.95):.1f} ms", "median <= 20 ms, p95 <= 50 ms"))

    floor_s = wall([PY, "-c", "import polars, rich.table"], args.runs)
    summary_s = wall([PY, "-m", "tui", "summary"], args.runs, env={**os.environ, "NO_COLOR": "1"})
    textual = subprocess.run([PY, "-c", "import sys; from tui.cli import main\ntry:\n main(['summary'])\nexcept SystemExit: pass\n"
                              "print('textual' in sys.modules, file=sys.stderr)"], capture_output=True, text=True).stderr.strip()
    rows.append(("`kvscope summary`, bundled data", f"{summary_s:.2f} s", f"import polars, rich.table {floor_s:.2f} s",
                 f"{summary_s / floor_s:.2f}x (Textual imported: {textual})", "<= 1.3x, no Textual"))

    print(f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{args.runs} runs, medians\n")
    print("| figure | kvscope | floor | ratio | target |\n|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
