"""One loader for everything: paths -> validated, canonical frames -> a Results object.

Each file is read raw (tui.core.files), its columns are given roles by name (`roles`), and it
is turned into the tidy sweep frame (`sweep`, then `collapse`) or the scaling frame (`scaling`)
of tui.core.schema; `combine` makes one study of several files, `results` the Results object.
All work is polars expressions over whole columns: Python only touches the rare bad row to
name it.
"""

from tui.core.loader.results import describe_failed, load, name_paths
from tui.core.loader.roles import LoadOptions

__all__ = ["LoadOptions", "describe_failed", "load", "name_paths"]
