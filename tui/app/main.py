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


def run(results: Results | Future, watch: list[Path] | None = None, loading: str = "the results",
        options: LoadOptions | None = None, app: KvscopeApp | None = None) -> str | None:
    """Run the app; returns the one-line error that ended it (a load that failed), else None.
    `app` is one made ahead over the load's Future (its CSS parsed while the load ran): it opens
    on `results` when they have arrived since."""
    if app is None:
        app = make_app(results, watch, loading, options)
    elif isinstance(results, Results):
        app.open_on(results)
    app.run()
    return app.return_value if app.return_code == 2 else None
