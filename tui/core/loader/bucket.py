"""Bucket URLs among the paths: their table objects read into memory (tui.core.remote), with
the loader's own rules for hive folders and the columns it never reads."""

from __future__ import annotations

from tui.core import remote
from tui.core.loader.hive import HIVE_ROLES
from tui.core.loader.roles import INFO_COLUMNS, ROLE_ALIASES, LoadOptions


def fetch_remote(urls: list[remote.RemoteURL], options: LoadOptions | None) -> tuple[dict, list]:
    """{object: (frame, format) or its error} for the objects under `urls`, pruned to the model
    and benchmark a command asks for, and (object, reason) for objects that are not tables."""
    roles = {role: set(ROLE_ALIASES[role]) for role in ("model", "benchmark")}
    role_names = {name for names in ROLE_ALIASES.values() for name in names}
    request = remote.Request(where=dict(options.where) if options else {}, role_keys=roles,
                             hive_keys=HIVE_ROLES, drop=INFO_COLUMNS - role_names,
                             progress=options.progress if options else None)
    return remote.fetch(urls, request)
