"""Tables that stay readable at the width they print at (80 columns on a pipe).

A table wider than the line is laid out by us rather than by rich's squeeze, which cuts every
cell to the same few characters (`9…`, `Qwen/Qwen…`): numbers keep their whole width, names and
headers wrap (a long word folds) so nothing is cut and two labels never become the same text,
and when even that is too wide the columns are printed in parts, each repeating the key columns
(the budget, or the leading names) so every part reads on its own, or, for many columns and few
rows, the table is printed on its side (long form).
"""

from __future__ import annotations

import copy
import io
import re

from rich.cells import cell_len, chop_cells
from rich.console import Console
from rich.measure import Measurement
from rich.table import Column, Table
from rich.text import Text

# A value cell: a number with its sign, arrow, thousands commas and mark (~ * %), a range
# (83–189), or "-" for none.
_NUMBER = re.compile(r"^[▲▼=]? ?[+−-]?\d[\d.,]*(e[+-]?\d+)?[~*%]?( ?[–-] ?\d[\d.,]*)?$|^-$")
# Pieces of a name: runs of spaces, or text up to and including a _ / - = (a place to break).
_PIECE = re.compile(r"\s+|[^\s_/\-=]*[_/\-=]|[^\s_/\-=]+")
# Names are narrowed to this width before a value column's header is wrapped.
NAME_ROOM = 20
# A name column narrower than this folds into too many short lines to read.
TEXT_MIN = 10
# A table that would print in more parts than this is printed on its side when that fits.
LONG_FORM_AFTER = 2
# Headers of value columns wrap at words; a longer word folds past this width.
HEADER_MIN = 12


def fit_table(table: Table, width: int) -> list[Table]:
    """`table` laid out to `width` columns: unchanged when it fits as it is, else one or more
    tables whose columns have fixed widths that never cut a number."""
    columns = table.columns
    if not columns or _needed(table, [_natural(c) for c in columns]) <= width:
        return [table]
    mins = [_minimum(c) for c in columns]
    if _needed(table, mins) <= width:
        return [_laid_out(table, list(range(len(columns))), width)]
    return _in_parts(table, mins, width)


def _plain(cell: object) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def _width(cell: object) -> int:
    return max((cell_len(line) for line in _plain(cell).split("\n")), default=0)


def _longest_word(cell: object) -> int:
    return max((cell_len(word) for word in _plain(cell).split()), default=0)


def is_number_column(column: Column) -> bool:
    """A column of values (or of "-" only: values missing), never wrapped or cut."""
    cells = [_plain(c).strip() for c in column.cells]
    return bool(cells) and all(_NUMBER.match(c) for c in cells)


def _natural(column: Column) -> int:
    return max([_width(column.header)] + [_width(c) for c in column.cells])


def _minimum(column: Column) -> int:
    """The narrowest the column may be: a value column as wide as its widest value (its header
    wraps), a name column TEXT_MIN (its names wrap) or its natural width when narrower."""
    natural = _natural(column)
    if is_number_column(column):
        widest = max(_width(c) for c in column.cells)
        return max(widest, min(_longest_word(column.header), HEADER_MIN, natural))
    return min(natural, TEXT_MIN)


def _needed(table: Table, widths: list[int]) -> int:
    """The printed width of `table` with its columns at `widths` (borders and padding included)."""
    skeleton = _empty_copy(table)
    for width in widths:
        skeleton.add_column(width=max(width, 1))
    console = Console(width=10_000, file=io.StringIO(), color_system=None)
    return Measurement.get(console, console.options, skeleton).maximum


def _empty_copy(table: Table, title: object = None, caption: object = None) -> Table:
    twin = copy.copy(table)
    twin.columns, twin.rows = [], []
    twin.title, twin.caption = title, caption
    return twin


def _keys(table: Table) -> list[int]:
    """The columns every part repeats: the leading name columns, or the first column when it holds
    values (a budget)."""
    columns = table.columns
    if is_number_column(columns[0]):
        return [0]
    keys = []
    for index, column in enumerate(columns[:-1]):
        if is_number_column(column):
            break
        keys.append(index)
    return keys


def _in_parts(table: Table, mins: list[int], width: int) -> list[Table]:
    keys = _keys(table)

    def fits(part: list[int]) -> bool:
        return _needed(table, [mins[i] for i in keys + part]) <= width

    units = [unit for group in _groups(table, [i for i in range(len(table.columns)) if i not in keys])
             for unit in ([group] if fits(group) else [[i] for i in group])]
    parts = _packed(units, fits, limit=len(table.columns))
    target = -(-sum(map(len, units)) // len(parts))
    even = _packed(units, fits, limit=target)
    parts = even if len(even) == len(parts) else parts
    if len(parts) > LONG_FORM_AFTER:
        long = _long_form(table, keys)
        if _needed(long, [_minimum(c) for c in long.columns]) <= width:
            return fit_table(long, width)
    count = len(parts)
    return [_laid_out(table, keys + part, width, last=n == count - 1, part=(n + 1, count))
            for n, part in enumerate(parts)]


def _long_form(table: Table, keys: list[int]) -> Table:
    """`table` turned on its side: a row per column (its header first), a column per row (headed by
    the row's key cells), for a table of many columns and few rows (one model's 40 tasks)."""
    columns = table.columns
    rest = [c for i, c in enumerate(columns) if i not in keys]
    long = _empty_copy(table, table.title, table.caption)
    long.add_column(Text(" / ".join(_plain(columns[i].header).replace("\n", " ") for i in keys)))
    for index in range(len(table.rows)):
        label = " · ".join(_plain(list(columns[i].cells)[index]) for i in keys)
        long.add_column(Text(label), justify="right")
    rows = [list(c.cells) for c in rest]
    for column, cells in zip(rest, rows):
        long.add_row(Text(_plain(column.header).replace("\n", " ")), *cells)
    return long


def _groups(table: Table, indexes: list[int]) -> list[list[int]]:
    """Runs of columns that belong together, kept in one part: neighbours whose headers share their
    first word (`AIME24 Pass@1`, `AIME24 TPS`) or their last (`A Pass@1`, `B Pass@1`, `Δ Pass@1`)."""
    groups: list[list[int]] = []
    for index in indexes:
        words = _plain(table.columns[index].header).split() or [""]
        if groups:
            before = _plain(table.columns[groups[-1][-1]].header).split() or [""]
            if words[0] == before[0] or words[-1] == before[-1]:
                groups[-1].append(index)
                continue
        groups.append([index])
    return groups


def _packed(units: list[list[int]], fits, limit: int) -> list[list[int]]:
    """Units of columns put in order into parts that fit, each of at most `limit` columns when
    that can be."""
    parts: list[list[int]] = []
    for unit in units:
        if parts and len(parts[-1]) + len(unit) <= limit and fits(parts[-1] + unit):
            parts[-1] += unit
        else:
            parts.append(list(unit))
    return parts


def _laid_out(table: Table, indexes: list[int], width: int, last: bool = True,
              part: tuple[int, int] = (1, 1)) -> Table:
    """A copy of `table` with the columns `indexes`, each at a fixed width that fills `width`."""
    columns = [table.columns[i] for i in indexes]
    widths = _widths(table, columns, width)
    title = table.title
    if part[1] > 1:
        title = Text.assemble(table.title or "", f" (part {part[0]} of {part[1]})")
    twin = _empty_copy(table, title, table.caption if last else None)
    for column, column_width in zip(columns, widths):
        twin.add_column(wrapped(column.header, column_width), footer=column.footer,
                        header_style=column.header_style, footer_style=column.footer_style,
                        style=column.style, justify=column.justify, vertical=column.vertical,
                        overflow="fold", width=column_width, no_wrap=False)
    ends = [row.end_section for row in table.rows]
    keys = _keys(table)
    cells = [list(column.cells) if is_number_column(column)
             else _names(list(column.cells), w, ends, once=index in keys)
             for index, column, w in zip(indexes, columns, widths)]
    for index, row in enumerate(table.rows):
        twin.add_row(*(c[index] for c in cells), style=row.style, end_section=row.end_section)
    return twin


def _names(cells: list, width: int, section_ends: list[bool], once: bool) -> list:
    """Name cells wrapped to `width`. In a key column (`once`), a name too long for one line is
    written once for a run of rows of one section that repeat it (a model over its benchmarks),
    not wrapped on each of them."""
    out, previous = [], None
    for cell, ends_section in zip(cells, section_ends):
        text = _plain(cell)
        out.append("" if once and text == previous and _width(text) > width else wrapped(cell, width))
        previous = None if ends_section else text
    return out


def wrapped(cell: object, width: int) -> object:
    """A name or header broken into lines of at most `width` cells: at spaces, or after _ / - =
    inside a long name (`ruler/niah_` + `multikey_1`), a piece still too long folded."""
    text = _plain(cell)
    if _width(text) <= width:
        return cell
    lines = [line for paragraph in text.split("\n") for line in _wrap_line(paragraph, width)]
    if isinstance(cell, Text):
        return Text("\n".join(lines), style=cell.style, justify=cell.justify)
    return Text("\n".join(lines))


def _wrap_line(text: str, width: int) -> list[str]:
    """One line of text wrapped to `width`; an indent (a subtask under its group) starts every line."""
    body = text.lstrip(" ")
    indent = " " * min(len(text) - len(body), width // 2)
    if indent:
        return [indent + line for line in _wrap_line(body, width - len(indent))]
    lines, line = [], ""
    for piece in _PIECE.findall(text):
        if piece.isspace():
            line += " " if line else ""
            continue
        if cell_len(line + piece) > width and line.strip():
            lines.append(line.rstrip())
            line = ""
        if cell_len(piece) > width:  # one piece longer than the line: folded, by cells
            *whole, piece = chop_cells(piece, width)
            lines += whole
        line += piece
    return lines + ([line.rstrip()] if line.strip() else [])


def _widths(table: Table, columns: list[Column], width: int) -> list[int]:
    """Each column at its natural width, then narrowed until the table fits, the widest first, in
    three rounds: names down to NAME_ROOM, then value headers wrapped, then names to their minimum.
    Short columns stay on one line and names keep the room that is left."""
    mins = [_minimum(c) for c in columns]
    widths = [max(n, m) for n, m in zip((_natural(c) for c in columns), mins)]
    values = [is_number_column(c) for c in columns]
    roomy = [w if value else max(m, min(w, NAME_ROOM)) for w, m, value in zip(widths, mins, values)]
    rounds = [roomy, [m if value else r for m, r, value in zip(mins, roomy, values)], mins]
    excess = _needed(table, widths) - width
    for floors in rounds:
        while excess > 0:
            narrowable = [i for i, w in enumerate(widths) if w > floors[i]]
            if not narrowable:
                break
            widths[max(narrowable, key=widths.__getitem__)] -= 1
            excess -= 1
    return widths
