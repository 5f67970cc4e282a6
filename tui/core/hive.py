"""Hive-style path segments (model=x/kv_budget=2500/...): one reading for local folders and
bucket keys, so a bucket and a local copy of it name things alike."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote

_SEGMENT = re.compile(r"^([A-Za-z_][\w.-]*)=(.+)$")


def fold(name: str) -> str:
    """A column name as the aliases spell it: "KV-Budget" -> "kv_budget"."""
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def hive_pairs(segments: Iterable[str], keys: set[str]) -> dict[str, str]:
    """`key=value` segments whose key (folded) is one of `keys`, values percent-decoded as hive
    writers encode them (`a%20b` is `a b`)."""
    found = {}
    for segment in segments:
        match = _SEGMENT.match(segment)
        if match and fold(match.group(1)) in keys:
            found[match.group(1)] = unquote(match.group(2))
    return found
