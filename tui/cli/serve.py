"""`kvscope serve`: the explorer in web browsers, each tab running its own app (textual-serve).

textual-serve starts a command per browser tab and relays its terminal to xterm.js in the page;
the command is this program's `open` with the paths and options given to `serve`. Neither
Textual nor textual-serve is imported before the command runs.
"""

from __future__ import annotations

import logging
import sys
import types
from pathlib import Path
from typing import Annotated, Optional

import typer

from tui.cli import say
from tui.cli.common import Paths, app, fail, load

INSTALL_HINT = ("kvscope serve needs textual-serve: install kvscope with its serve extra "
                "(pip install -e '.[serve]' in a clone) or pip install textual-serve")
# The app callback's options, as the command line spells them: each tab's app gets the same.
FORWARDED_OPTIONS = {"knob": "--knob", "model_col": "--model-col", "benchmark_col": "--benchmark-col",
                     "knob_col": "--knob-col", "metric": "--metric"}
EVERY_INTERFACE = {"0.0.0.0", "::", ""}


@app.command()
def serve(ctx: typer.Context,
          paths: Paths = None,
          host: Annotated[str, typer.Option(
              "--host", help="Address to listen on; 0.0.0.0 makes the explorer reachable from the network.")
          ] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535, help="TCP port.")] = 8000,
          watch: Annotated[bool, typer.Option(
              "--watch", "-w", help="Each tab reloads when the files change (`kvscope --watch`).")] = False,
          public_url: Annotated[Optional[str], typer.Option(
              "--public-url", help="The address browsers use to reach this server (behind a proxy, or "
                                   "with --host 0.0.0.0); default: http://HOST:PORT.",
              show_default=False)] = None,
          ) -> None:
    """Serve the explorer to web browsers (needs textual-serve); each browser tab runs its own app."""
    if watch and not paths:
        fail("--watch needs PATHS to watch (the bundled data never changes)")
    try:
        load(paths)  # bad input exits 2 here, not in every browser tab
        server_class = _server_class()
        problem = _cannot_listen(host, port)
        if problem:
            fail(problem)
        url = f"http://{_url_host(host)}:{port}"
        public = public_url or _public_url(host, port, url)
        typer.echo(f"Serving kvscope at {url}")
        if host in EVERY_INTERFACE:
            say(f"--host {host or '(empty)'} is reachable from the network: anyone who can reach this "
                f"machine can open the explorer, at {public}")
        command = app_command(ctx.find_root().params, paths or [], watch)
        server = server_class(command, host=host, port=port, title="kvscope", public_url=public)
        # On ctrl+c the tabs' apps may end after the event loop has closed; asyncio would log a
        # warning for each one, though each is reaped.
        logging.getLogger("asyncio").setLevel(logging.ERROR)
        try:
            server.serve()
        except OSError as exc:  # the port was taken between the check and the bind
            fail(_listen_error(exc, host, port))
        finally:
            sys.unraisablehook = _quiet_after_loop_closed(sys.unraisablehook)
    except KeyboardInterrupt:  # ctrl+c before the server's own handler (which exits cleanly) is set
        raise typer.Exit(130) from None


def _quiet_after_loop_closed(previous):
    """An unraisable hook that drops one message: textual-serve never closes a tab's pipes, so when
    the garbage collector frees them after the server's event loop has closed, asyncio raises
    "Event loop is closed" from a destructor. The tab's app ends on its own when its stdin closes."""
    def hook(unraisable) -> None:
        import asyncio.base_subprocess

        late_close = (isinstance(unraisable.exc_value, RuntimeError)
                      and isinstance(unraisable.object, types.FunctionType)
                      and unraisable.object is asyncio.base_subprocess.BaseSubprocessTransport.__del__)
        if not late_close:
            previous(unraisable)

    return hook


def _public_url(host: str, port: int, url: str) -> str:
    """Where browsers reach the server: the page's websocket address is built from it, so a server
    on every interface names this machine rather than 0.0.0.0."""
    import socket

    return f"http://{_url_host(socket.gethostname())}:{port}" if host in EVERY_INTERFACE else url


def app_command(options: dict, paths: list[Path], watch: bool) -> str:
    """The shell command textual-serve runs per tab: `python -m tui` with the user's paths and options."""
    import shlex

    words = [sys.executable, "-m", "tui"]
    for name, flag in FORWARDED_OPTIONS.items():
        if options.get(name) is not None:
            words += [flag, str(options[name])]
    if options.get("verbose"):
        words.append("--verbose")
    # `open` named, so that a path called like a command (`summary`) is still a path.
    words += ["open", *(str(path) for path in paths), *(["--watch"] if watch else [])]
    return shlex.join(words)


def _server_class():
    """textual-serve's Server, printing only kvscope's own line at start (not its banner)."""
    try:
        from textual_serve.server import Server
    except ImportError:
        fail(INSTALL_HINT)

    class QuietServer(Server):
        def initialize_logging(self) -> None:
            super().initialize_logging()
            import logging

            # One log line per HTTP request tells a user nothing; errors are still logged.
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

        async def on_startup(self, app) -> None:
            """The URL was printed before serving; no banner."""

    return QuietServer


def _cannot_listen(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port (port in use, unknown host), or None."""
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as exc:
        return f"--host {host}: {exc.strerror}"
    with socket.socket(family, kind, proto) as probe:
        # The server sets SO_REUSEADDR too: a port left in TIME_WAIT by a previous run is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            return _listen_error(exc, host, port)
    return None


def _listen_error(exc: OSError, host: str, port: int) -> str:
    import errno

    if exc.errno == errno.EADDRINUSE:
        return f"port {port} is already in use on {host}: give another with --port"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


def _url_host(host: str) -> str:
    """A host as written in a URL: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host else host
