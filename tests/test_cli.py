"""The printing commands: real numbers from data/, formats, exit codes, colour rules."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import run


def test_summary_shows_best_pass1_budgets_and_leaders(capsys):
    code, out, _ = run(capsys, "summary")
    assert code == 0
    lines = [line for line in out.splitlines() if "R1-Qwen" in line and "AMC23" in line]
    assert lines and "90.5" in lines[0] and "3500" in lines[0] and "750~ │ 690~–790~" in lines[0]
    avg = [line for line in out.splitlines() if "R1-Llama" in line and "Average" in line][0]
    assert "53.0" in avg and "5000" in avg and "420~–578~" in avg  # read off a chart: marked
    assert "~ read off a chart" in out and "QVQ-Max-Preview" in out and "80~" in out and "72.7*" in out
    assert "Kimi-VL-A3B-Thinking-2506" in out and "56.9" in out


def test_summary_csv_matches_the_data(capsys):
    code, out, _ = run(capsys, "summary", "--format", "csv")
    rows = {(r["model"], r["benchmark"]): r for r in csv.DictReader(io.StringIO(out))}
    assert rows[("R1-Qwen", "GPQA-D")]["best_value"] == "48.4"
    assert rows[("R1-Qwen", "GPQA-D")]["best_budget"] == "4500"
    # 29.3 at 3500 and at 5000: the tie goes to the cheaper budget
    assert rows[("R1-Llama", "AIME25")]["best_budget"] == "3500"
    assert rows[("R1-Llama", "AMC23")]["best_budget"] == "4000"  # 87.0 at 4000, 4500, 5000 -> cheapest


def test_summary_json_has_sweep_and_scaling_leaders(capsys):
    _, out, _ = run(capsys, "summary", "--format", "json")
    data = json.loads(out)
    assert {"sweep", "scaling_leaders"} <= data.keys()
    assert data["scaling_leaders"][0]["model"] == "Kimi-VL-A3B-Thinking-2506"


def test_table_for_one_model_and_benchmark_marks_chart_readings(capsys):
    code, out, _ = run(capsys, "table", "--model", "LLAMA", "--benchmark", "amc")
    assert code == 0 and "R1-Llama | AMC23" in out
    row = [line for line in out.splitlines() if line.strip("│ ").startswith("3000")][0]
    assert "86.5" in row and "570~" in row


def test_table_markdown_has_every_benchmark_and_the_average(capsys):
    _, out, _ = run(capsys, "table", "-m", "qwen", "-f", "markdown")
    header = out.splitlines()[0]
    for name in ("AIME24:pass_at_1", "AIME25:pass_at_1", "AMC23:pass_at_1", "GPQA-D:pass_at_1", "avg:pass_at_1"):
        assert name in header
    row_4000 = [line for line in out.splitlines() if line.startswith("| 4000 ")][0]
    assert "| 35.9* |" in row_4000  # the one derived value, marked as such
    assert out.rstrip().endswith("~ read off a chart   * derived")


def test_chart_has_title_axes_legend_and_no_colour_in_a_pipe(capsys):
    code, out, _ = run(capsys, "chart", "-m", "qwen", "-b", "avg", "--width", "70", "--height", "20")
    assert code == 0
    assert "R1-Qwen | Average" in out and "KV budget" in out
    assert "Pass@1 (%)" in out and "Throughput (TPS)" in out
    for budget in ("2500", "3000", "3500", "4000", "4500", "5000"):
        assert budget in out
    assert "\x1b[" not in out
    assert max(len(line) for line in out.splitlines()) <= 70


def test_scaling_chart_labels_every_point_inside_the_plot(capsys):
    code, out, _ = run(capsys, "scaling", "--width", "100", "--height", "26")
    assert code == 0
    for name in ("Kimi-VL-A3B-Thinking-2506", "Gemma-3-12B-IT", "Qwen2.5-VL-72B", "Llama-3.2-11B-Inst."):
        assert name in out
    assert "log scale" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_scaling_hide_family(capsys):
    _, out, _ = run(capsys, "scaling", "--hide", "gemma", "--width", "100")
    assert "Gemma-3-12B-IT" not in out and "Gemma (hidden)" in out


def test_compare_models_with_deltas(capsys):
    _, out, _ = run(capsys, "compare", "qwen", "llama", "--benchmark", "gpqa", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["kv_budget"] == "2500"
    assert rows[0]["R1-Qwen:pass_at_1"] == "44.6" and rows[0]["R1-Llama:pass_at_1"] == "37.9"
    assert rows[0]["delta_pass_at_1"] == "-6.7"


def test_compare_budgets(capsys):
    _, out, _ = run(capsys, "compare", "2500", "5000")
    line = [row for row in out.splitlines() if "R1-Qwen" in row and "AIME24" in row][0]
    assert "42.7" in line and "52.0" in line and "▲ +9.3" in line and "680~" in line and "▼ −100" in line


@pytest.mark.parametrize("args, message", [
    (["table", "--model", "gpt"], "unknown model 'gpt'; known: R1-Llama, R1-Qwen"),
    (["chart", "-m", "qwen", "-b", "mmlu"], "unknown benchmark 'mmlu'; known: AIME24, AIME25, AMC23, GPQA-D, avg"),
    (["compare", "qwen", "aime24"], "cannot compare model 'qwen' with benchmark 'aime24'"),
    (["compare", "2500", "9999"], "unknown budget 9999"),
    (["summary", "/no/such/file.csv"], "/no/such/file.csv: no such file or folder"),
])
def test_bad_names_exit_2_with_one_line(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_bad_file_exits_2_naming_the_line(capsys, write):
    path = write("bad.csv", "model,benchmark,kv_budget,pass_at_1\nq,b,2500,40\nq,b,3000,oops\n")
    code, _, err = run(capsys, "summary", str(path))
    assert code == 2 and f"{path}, line 3, column 'pass_at_1'" in err


def test_user_file_through_every_command(capsys, write):
    path = write("mine.csv", "model,benchmark,kv_budget,pass_at_1,throughput_tps\nm1,t1,100,10,900\nm1,t1,200,20,800\n")
    code, out, _ = run(capsys, "table", str(path), "-m", "m1", "-f", "csv")
    assert code == 0 and "200,20.0,measured,800.0,measured" in out
    code, out, _ = run(capsys, "chart", str(path), "-m", "m1", "-b", "t1", "--width", "60")
    assert code == 0 and "m1 | t1" in out


def _subprocess(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True, env=env, timeout=60)


def _python(code: str, env: dict | None = None) -> str:
    """What `python -c code` prints, once it has exited 0 (else the test fails with its stderr)."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _imported(stderr: str) -> set[str]:
    """The modules a `python -X importtime` run imported, read off its stderr."""
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


def test_summary_never_imports_textual():
    """`kvscope summary`, the whole process as a user starts it: no Textual module is ever imported."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "tui", "summary", "-f", "csv"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "R1-Qwen" in result.stdout
    modules = _imported(result.stderr)
    assert {"tui.cli", "tui.core.loader", "polars"} <= modules  # the import log was read
    assert not {m for m in modules if m.split(".")[0] == "textual"}



def test_the_app_imports_only_what_its_first_frame_needs():
    """The explorer opens on a sweep: the scaling view, the command palette's provider, the compare
    screen and DataTable are imported when first wanted, after the first frame."""
    code = "import sys, tui.cli, tui.app.main\nprint('\\n'.join(sys.modules))\n"
    modules = set(_python(code).split())
    assert {"tui.app.screens.explorer", "tui.app.widgets.sweep_view", "tui.app.widgets.line_table"} <= modules
    later = {"tui.app.widgets.scaling_view", "tui.app.commands", "tui.app.screens.compare",
             "tui.app.widgets.tables", "textual.widgets._data_table"}
    assert not later & modules

def test_core_and_render_never_import_the_ui():
    """Every module under tui.core and tui.render, imported: none brings in Textual, the app or the CLI."""
    code = ("import importlib, pkgutil, sys, tui.core, tui.render\n"
            "for package in (tui.core, tui.render):\n"
            "    for info in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
            "        importlib.import_module(info.name)\n"
            "print('\\n'.join(sys.modules))\n")
    modules = set(_python(code).split())
    assert {"tui.core.loader", "tui.core.importers", "tui.render.charts", "tui.render.export"} <= modules
    assert not {m for m in modules if m.split(".")[0] == "textual" or m.startswith(("tui.app", "tui.cli"))}


def test_forced_colour_is_dropped_by_no_color(capsys, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    _, coloured, _ = run(capsys, "chart", "-m", "qwen", "-b", "aime24")
    monkeypatch.setenv("NO_COLOR", "1")
    _, plain, _ = run(capsys, "chart", "-m", "qwen", "-b", "aime24")
    assert "\x1b[" in coloured
    assert "\x1b[" not in plain and "R1-Qwen | AIME24" in plain


def test_the_command_imports_its_modules_with_the_collector_off():
    """The `kvscope` entry point: no garbage collection while polars, rich and typer are imported;
    the command itself runs with the collector on and those modules frozen out of its passes."""
    code = ("import gc, sys\n"
            "import tui.__main__\n"
            "during_import = []\n"
            "gc.callbacks.append(lambda phase, info: phase == 'start'\n"
            "                    and during_import.append('tui.cli.views' not in sys.modules))\n"
            "sys.argv = ['kvscope', '--version']\n"
            "tui.__main__.main()\n"
            "print(sum(during_import), gc.isenabled(), gc.get_freeze_count() > 10_000)\n")
    assert _python(code).splitlines() == ["kvscope 0.1.0", "0 True True"]


def test_opening_files_never_imports_typer(tmp_path):
    """`kvscope FILE` and bare `kvscope`, as the entry point runs them: the explorer opens on one
    load of their data (started once polars is imported), typer is never imported, and the app
    is made (its CSS read) before the data is handed to it."""
    sweep = tmp_path / "sweep.csv"
    sweep.write_text("model,benchmark,kv_budget,pass_at_1\nm,b,1000,40\nm,b,2000,50\n")
    code = ("import sys\n"
            "import tui.cli.opening as opening\n"
            "loads = []\n"
            "real = opening.load\n"
            "opening.load = lambda *a, **k: loads.append(1) or real(*a, **k)\n"
            "import tui.app.main\n"
            "read = lambda app: app.stylesheet.has_source(str(app.css_path[0]))\n"
            "tui.app.main.run = lambda app: print(app.results.models, len(loads), 'typer' in sys.modules, read(app))\n"
            "sys.argv = ['kvscope', *sys.argv[1:]]\n"
            "import tui.__main__\n"
            "tui.__main__.main()\n")
    for args, shown in (([str(sweep)], "['m'] 1 False True"), ([], "['R1-Llama', 'R1-Qwen'] 1 False True")):
        result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and result.stdout.strip() == shown, result.stderr


@pytest.mark.parametrize("argv, explorer", [
    ([], True), (["sweep.csv"], True), (["open", "x"], True), (["-v", "results/"], True),
    (["--knob", "k=b(\\d+)", "missing.csv"], True), (["s3://bucket/runs/"], True),
    (["summary"], False), (["table", "x.csv"], False), (["--version"], False), (["--help"], False),
])
def test_which_command_lines_open_the_explorer(argv, explorer):
    from tui.cli import opens_explorer

    assert opens_explorer(argv) is explorer


def test_the_explorer_leaves_polars_a_core_less_unless_told(tmp_path):
    """The app draws on one core while polars loads on the others (a user's POLARS_MAX_THREADS
    wins); a printing command keeps polars' default pool."""
    sweep = tmp_path / "sweep.csv"
    sweep.write_text("model,benchmark,kv_budget,pass_at_1\nm,b,1000,40\nm,b,2000,50\n")
    # The command's own work replaced by a report of polars' pool, sized when polars first loads.
    code = ("import sys\n"
            "import tui.cli\n"
            "tui.cli.main = lambda: print(__import__('polars').thread_pool_size())\n"
            "sys.argv = ['kvscope', *sys.argv[1:]]\n"
            "import runpy\n"
            "runpy.run_module('tui', run_name='__main__')\n")  # as `python -m tui` runs it
    cores = len(os.sched_getaffinity(0))
    env = {k: v for k, v in os.environ.items() if k != "POLARS_MAX_THREADS"}

    def pool(*args, **extra):
        result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                                env={**env, **extra}, timeout=60)
        assert result.returncode == 0, result.stderr
        return int(result.stdout)

    assert pool(str(sweep)) == pool("open", str(sweep)) == max(cores - 1, 1)
    assert pool(str(sweep), POLARS_MAX_THREADS="3") == 3
    assert pool("summary", str(sweep)) == cores


def test_opening_a_bad_file_exits_2_with_one_line_from_the_entry_point(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("model,benchmark,kv_budget,pass_at_1\nm,b,1000,40\nm,b,-5,50\n")
    result = subprocess.run([sys.executable, "-m", "tui", str(bad)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [f"kvscope: error: {bad}, line 3, column 'kv_budget': budget -5 is negative"]


@pytest.mark.parametrize("argv, plain", [
    ([], True),
    (["data"], True),
    (["data", "data/kv_sweep.csv"], True),
    (["summary"], False),  # a command
    (["open", "data"], False),
    (["data", "--watch"], False),  # an option is typer's to read
    (["--knob", "budget=b(\\d+)", "data"], False),
    (["missing.csv"], False),  # the open command says what is wrong with it
    (["s3://bucket/runs/"], False),
])
def test_only_a_plain_open_skips_typer(monkeypatch, argv, plain):
    from tui.cli import files_to_open

    monkeypatch.chdir(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert files_to_open(argv) == ([Path(arg) for arg in argv] if plain else None)


OURS = "narenas:1,dirty_decay_ms:100,muzzy_decay_ms:0"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="set on Linux only")
@pytest.mark.parametrize("users, expected", [
    (None, OURS),
    # polars' own defaults, exported by a parent process that imported polars
    ("dirty_decay_ms:500,muzzy_decay_ms:1000", f"dirty_decay_ms:500,muzzy_decay_ms:1000,{OURS}"),
    ("percpu_arena:percpu", "percpu_arena:percpu,dirty_decay_ms:100,muzzy_decay_ms:0"),
    ("dirty_decay_ms:0,muzzy_decay_ms:0", "dirty_decay_ms:0,muzzy_decay_ms:0,narenas:1"),  # as the README suggests
    ("dirty_decay_ms:500,muzzy_decay_ms:1000,muzzy_decay_ms:50", "dirty_decay_ms:500,muzzy_decay_ms:1000,"
     "muzzy_decay_ms:50,narenas:1,dirty_decay_ms:100"),  # a user's setting after polars' defaults
])
def test_the_command_sets_polars_allocator_unless_told_otherwise(users, expected):
    """polars' allocator is configured before polars loads: one arena and freed pages handed back
    after 100 ms, each added unless the user's `_RJEM_MALLOC_CONF` sets it (polars' own defaults,
    which a parent process that imported polars exports, are not the user's). jemalloc accepts
    the result: nothing on stderr."""
    code = ("import os, sys\n"
            "sys.argv = ['kvscope', '--version']\n"
            "import tui.__main__\n"
            "tui.__main__.main()\n"
            "print(os.environ['_RJEM_MALLOC_CONF'])\n")
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}
    if users:
        env["_RJEM_MALLOC_CONF"] = users
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0 and result.stderr == ""
    # polars puts its defaults first when it loads: what the command set follows them.
    assert result.stdout.splitlines()[-1] == f"dirty_decay_ms:500,muzzy_decay_ms:1000,{expected}"


def test_open_with_bad_input_leaves_the_collector_on(capsys, tmp_path):
    """`kvscope open` turns the collector off while the app starts; an input error still exits 2
    with one line, and the collector is on again (the in-process caller goes on)."""
    import gc

    bad = tmp_path / "bad.csv"
    bad.write_text("model,benchmark,kv_budget,pass_at_1\nm,b,1000,high\n")
    code, _, err = run(capsys, "open", str(bad))
    assert code == 2 and err.startswith("kvscope: error: ") and len(err.splitlines()) == 1
    assert gc.isenabled()


def test_python_dash_m_and_version():
    result = _subprocess("--version")
    assert result.returncode == 0 and result.stdout.startswith("kvscope ")


def test_watch_needs_paths_and_screenshots_need_a_writable_folder(capsys, tmp_path):
    code, _, err = run(capsys, "--watch")
    assert code == 2 and err.strip() == "kvscope: error: --watch needs PATHS to watch (the bundled data never changes)"
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, err = run(capsys, "screenshots", "--out", str(blocker / "shots"))
    assert code == 2 and err.startswith(f"kvscope: error: {blocker / 'shots'}: cannot write")


def test_command_list_matches_the_registered_commands():
    # main() registers only the named command for a run; that needs COMMANDS to name them all.
    from tui.cli import COMMANDS, _command_name, commands

    assert {_command_name(info) for info in commands().registered_commands} == COMMANDS


def test_a_run_leaves_every_command_registered(capsys):
    from tui.cli import commands, main

    app = commands()
    before = list(app.registered_commands)
    with pytest.raises(SystemExit):
        main(["summary", "--format", "csv"])
    assert app.registered_commands == before
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0 and "screenshots" in capsys.readouterr().out


@pytest.mark.parametrize("slow", [False, True])
def test_the_collector_is_off_while_the_app_starts_unless_it_waits_for_a_slow_load(capsys, monkeypatch, slow):
    """A load done within 0.3 s: the app starts with the collector off (the explorer turns it on
    after its first frame). A slower one: the loading screen shows for as long as the load takes,
    so the collector is on while it does; and on again once the app has ended."""
    import gc
    import threading
    from concurrent.futures import Future

    import tui.app.main
    from tui.cli import opening
    from tui.core.loader import load

    def start_load(paths, options, handoff=None):
        future = Future()
        results = load()
        threading.Timer(0.5 if slow else 0.0, future.set_result, [results]).start()
        return future

    seen = []
    monkeypatch.setattr(opening, "start_load", start_load)
    monkeypatch.setattr(tui.app.main, "run", lambda app: seen.append(gc.isenabled()))
    code, _, _ = run(capsys, "open")
    assert code == 0 and seen == [slow]
    assert gc.isenabled()


def test_the_apps_load_thread_also_prepares_the_first_view():
    """`kvscope open` loads in a thread while Textual imports; that thread also works out the
    selections' rows and each model's average metric, which the first frame asks for."""
    from tui.cli.opening import start_load

    results = start_load(None, None).result(timeout=60)
    assert "partitions" in vars(results)
    assert all(("average", model) in results._answered for model in results.models)
