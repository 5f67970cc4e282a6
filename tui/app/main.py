"""Entry points: `make_app` (shared by the CLI, the tests and the screenshots) and `run`."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

from tui.app.app import KvscopeApp
from tui.core.loader import LoadOptions
from tui.core.schema import Results


def make_app(results: Results | Future, watch: list[Path] | None = None, loading: str = "the results",
             options: LoadOptions | None = None) -> KvscopeApp:
    """The explorer over results, or over a load still running in another thread (a Future):
    then the app opens on a loading screen and shows the data the moment it arrives."""
    return KvscopeApp(results, watch=watch, loading=loading, options=options)


def run(app: KvscopeApp) -> str | None:
    """Run `app` (from `make_app`); returns the one-line error that ended it (a load that failed),
    else None."""
    app.run()
    return app.return_value if app.return_code == 2 else None
