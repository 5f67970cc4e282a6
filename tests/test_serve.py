"""`kvscope serve`: its errors and the command each tab runs (no browser), then the explorer
served to a real headless chromium driven by Playwright, keys typed and the terminal read back."""

from __future__ import annotations

import os
import queue
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import types
from pathlib import Path

import pytest

from helpers import run

ROOT = Path(__file__).parents[1]
IN_CI = bool(os.environ.get("CI"))
# Set to a path (screenshots/serve.png) to keep the browser test's picture for the README.
SCREENSHOT_ENV = "KVSCOPE_SERVE_SCREENSHOT"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def fake_server(monkeypatch):
    """textual-serve replaced by a recorder: what `serve` would run, without serving."""
    made = []

    class Server:
        def __init__(self, command, host, port, title, public_url):
            made.append(dict(command=command, host=host, port=port, title=title, public_url=public_url))

        def serve(self):
            made[-1]["served"] = True

    module = types.ModuleType("textual_serve.server")
    module.Server = Server
    monkeypatch.setitem(sys.modules, "textual_serve", types.ModuleType("textual_serve"))
    monkeypatch.setitem(sys.modules, "textual_serve.server", module)
    return made


def test_serve_a_bad_path_is_one_line_and_exit_2(capsys, tmp_path, fake_server):
    code, out, err = run(capsys, "serve", str(tmp_path / "missing.csv"), "--port", str(free_port()))
    assert code == 2 and out == ""
    assert err.strip() == f"kvscope: error: {tmp_path / 'missing.csv'}: no such file or folder"
    assert not fake_server  # nothing served


def test_serve_a_port_in_use_is_one_line_and_exit_2(capsys, fake_server):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run(capsys, "serve", "--port", str(port))
    assert code == 2 and out == "" and not fake_server
    assert err == f"kvscope: error: port {port} is already in use on 127.0.0.1: give another with --port\n"


def test_serve_without_textual_serve_says_how_to_install(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # None in sys.modules: ImportError
    code, out, err = run(capsys, "serve", "--port", str(free_port()))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "pip install -e '.[serve]'" in err


def test_each_tab_runs_the_app_on_the_same_paths_and_options(capsys, write, fake_server):
    path = write("my runs/sweep 1.csv", "name,benchmark,kv_budget,pass_at_1\nm,b,1000,40\nm,b,2000,50\n")
    port = free_port()
    code, out, err = run(capsys, "--model-col", "name", "serve", str(path), "--port", str(port), "--watch")
    assert code == 0 and err == ""
    assert out == f"Serving kvscope at http://127.0.0.1:{port}\n"
    [server] = fake_server
    assert server["served"] and (server["host"], server["port"]) == ("127.0.0.1", port)
    assert server["public_url"] == f"http://127.0.0.1:{port}"
    assert shlex.split(server["command"]) == [sys.executable, "-m", "tui", "--model-col", "name",
                                              "open", str(path), "--watch"]


def test_serve_on_every_interface_says_it_is_reachable_from_the_network(capsys, fake_server):
    port = free_port()
    code, out, err = run(capsys, "serve", "--host", "0.0.0.0", "--port", str(port))
    assert code == 0 and out == f"Serving kvscope at http://0.0.0.0:{port}\n"
    assert err.count("\n") == 1 and "reachable from the network" in err
    # The page tells the browser where the app's websocket is: never 0.0.0.0.
    assert fake_server[0]["public_url"] == f"http://{socket.gethostname()}:{port}"


def test_only_the_serve_command_imports_textual_serve():
    code = "import sys, tui.cli; assert not {'textual', 'textual_serve'} & set(sys.modules), sorted(sys.modules)"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})



# A tab's app still running when ctrl+c closes the server's loop: its pipes are freed afterwards.
LATE_PIPES = """
import asyncio, gc, sys, time
from tui.cli import serve

async def start():
    return await asyncio.create_subprocess_exec("sleep", "0.2", stdin=asyncio.subprocess.PIPE,
                                                stdout=asyncio.subprocess.PIPE)

loop = asyncio.new_event_loop()
process = loop.run_until_complete(start())
loop.close()
time.sleep(0.5)
if sys.argv[1:] == ["quiet"]:
    sys.unraisablehook = serve._quiet_after_loop_closed(sys.unraisablehook)
del process
gc.collect()
"""


@pytest.mark.parametrize("quiet", [False, True])
def test_pipes_freed_after_the_server_stops_print_nothing(quiet):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", LATE_PIPES, *(["quiet"] if quiet else [])], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0
    # Without the hook the destructor's traceback is printed: the test reproduces what CI saw.
    assert ("Event loop is closed" in done.stderr) is not quiet, done.stderr


def test_the_quiet_hook_passes_every_other_unraisable_on():
    from tui.cli import serve

    seen = []
    hook = serve._quiet_after_loop_closed(seen.append)
    other = types.SimpleNamespace(exc_value=RuntimeError("Event loop is closed"), object=print)
    hook(other)
    assert seen == [other]

# ---- in a real browser ----------------------------------------------------------------------

# xterm.js draws on a canvas, so the text is read from its buffer. textual-serve keeps its
# Terminal in `this.terminal`; a setter on Object.prototype catches that assignment.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(value) {
    if (value && value.buffer && value.buffer.active) window.kvscopeTerminal = value;
    Object.defineProperty(this, 'terminal', {value, writable: true, configurable: true, enumerable: true});
  },
});
"""
SCREEN_TEXT = """() => {
  const term = window.kvscopeTerminal;
  if (!term) return '';
  const buffer = term.buffer.active, rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : '');
  }
  return rows.join('\\n');
}"""


def need(ready: bool, reason: str) -> None:
    """Skip when something the browser test needs is missing, except in CI, where it must run."""
    if not ready:
        (pytest.fail if IN_CI else pytest.skip)(reason)


def chromium_path() -> str | None:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    return path if os.access(path, os.X_OK) else None


@pytest.fixture
def chromium() -> str:
    """The system chromium's path, once everything the browser test needs is there."""
    import importlib.util

    need(chromium_path() is not None, "chromium is not installed (apt-get install chromium)")
    for module, package in (("playwright", "playwright"), ("textual_serve", "textual-serve")):
        need(importlib.util.find_spec(module) is not None, f"{package} is not installed (pip install -e '.[test]')")
    return chromium_path()


@pytest.fixture
def server(chromium):
    """`python -m tui serve` on a free port: (process, url, its output so far)."""
    port = free_port()
    python_path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": python_path}
    process = subprocess.Popen([sys.executable, "-m", "tui", "serve", "--port", str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [*map(lines.put, process.stdout), lines.put(None)], daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    try:
        first = lines.get(timeout=15)
        assert first == f"Serving kvscope at {url}\n"
        wait_for_port(port)
        yield process, url, lines
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def wait_for_port(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def open_tab(browser, url: str):
    page = browser.new_page(viewport={"width": 1000, "height": 640})
    page.add_init_script(CATCH_TERMINAL)
    # Nothing from the network (the page asks Google for a font): the test runs offline.
    page.route("**/*", lambda route: (route.continue_() if route.request.url.startswith(url)
                                      else route.abort()))
    page.goto(url, wait_until="domcontentloaded")
    return page


def wait_for_text(page, *texts: str) -> str:
    """The terminal's text once it shows every one of `texts`."""
    page.wait_for_function(f"() => {{ const text = ({SCREEN_TEXT})(); "
                           f"return {list(texts)!r}.every(part => text.includes(part)); }}", timeout=20_000)
    return page.evaluate(SCREEN_TEXT)


def test_the_explorer_in_chromium_opens_a_sweep_and_the_scaling_view(chromium, server, tmp_path):
    from playwright.sync_api import sync_playwright

    process, url, output = server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = open_tab(browser, url)
        wait_for_text(page, "kvscope — bundled data", "R1-Llama | AIME24")
        page.focus(".xterm-helper-textarea")  # keys go to the terminal, no mouse event for the app
        for key in ("j", "j", "Enter"):  # the sidebar: AIME24 -> AIME25 -> AMC23, opened
            page.keyboard.press(key)
        sweep = wait_for_text(page, "R1-Llama | AMC23", "Pass@1 peaks at 87.0 at budget 4000")
        assert re.search(r"2500\s+79\.0\s+600~", sweep) and re.search(r"3000\s+86\.5\s+570~", sweep)
        picture = Path(os.environ.get(SCREENSHOT_ENV) or tmp_path / "serve.png")
        page.screenshot(path=str(picture))
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        page.keyboard.press("s")
        scaling = wait_for_text(page, "MathVision Pass@1 vs activated parameters")
        assert re.search(r"Kimi-VL-A3B-Thinking-2506\s+Kimi\s+3\.2\s+56\.9\s+17\.78", scaling)
        # A second tab runs an app of its own: it starts where the explorer starts.
        other = open_tab(browser, url)
        assert "R1-Llama | AIME24" in wait_for_text(other, "kvscope — bundled data", "R1-Llama | AIME24")
        assert "MathVision Pass@1" in page.evaluate(SCREEN_TEXT)
        browser.close()
    process.send_signal(signal.SIGINT)  # ctrl+c: a clean exit
    assert process.wait(timeout=10) == 0
    log = "".join(iter(lambda: output.get(timeout=5), None))  # the rest of its output, to the end
    assert log == "", log  # nothing past the URL line: no banner, no request log, no traceback
