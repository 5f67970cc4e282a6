"""Round axis ticks placed on exact rows, for plotext figures.

plotext puts a value v on canvas row round((rows - 1) * (v - lo) / (hi - lo)) counted from the
bottom. Choosing `hi` so that one tick step spans a whole number of rows puts every tick label
on the row of its value, and lets a second y axis share the first one's gridline rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

NICE_MANTISSAS = (1.0, 2.0, 2.5, 5.0)
# Ticks fewer rows apart than this crowd the axis; more ticks than MAX_TICKS say nothing new.
MIN_ROWS_PER_TICK = 2
MAX_TICKS = 11


@dataclass(frozen=True)
class Axis:
    """Axis limits and the ticks on it; `rows_per_tick` rows separate two ticks (0 on a log axis)."""

    lo: float
    hi: float
    ticks: tuple[float, ...]
    labels: tuple[str, ...]
    rows_per_tick: int = 0


def nice_steps(smallest: float):
    """Round steps (1, 2, 2.5, 5 x 10^k), increasing, from the first one >= `smallest`."""
    exponent = math.floor(math.log10(smallest)) if smallest > 0 else -6
    while True:
        for mantissa in NICE_MANTISSAS:
            step = mantissa * 10.0 ** exponent
            if step >= smallest * (1 - 1e-9):
                yield step
        exponent += 1


def decimals(step: float) -> int:
    """Digits after the point that a multiple of `step` needs (2.5 -> 1, 0.25 -> 2, 50 -> 0)."""
    for digits in range(10):
        if abs(round(step, digits) - step) < step * 1e-9:
            return digits
    return 10


def tick_labels(ticks: list[float], step: float) -> tuple[str, ...]:
    digits = decimals(step)
    return tuple(f"{0.0 if abs(t) < step * 1e-9 else t:.{digits}f}" for t in ticks)


def _span(lo: float, step: float, rows: int, every: int) -> Axis:
    top = lo + step * (rows - 1) / every
    count = (rows - 1) // every + 1
    ticks = [round(lo + i * step, 12) for i in range(count)]
    return Axis(lo, top, tuple(ticks), tick_labels(ticks, step), every)


def _crowd(rows: int) -> int:
    return min(max(MIN_ROWS_PER_TICK, -(-(rows - 1) // (MAX_TICKS - 1))), rows - 1)


def _sparse(rows: int) -> int:
    """The most rows between two ticks: an axis shows at least three ticks."""
    return max(_crowd(rows), (rows - 1) // 2)


def _cost(axis: Axis, low: float, high: float, rows: int) -> float:
    """Lower is better: the share of the height the data leaves empty, plus a little for each
    tick short of about one every four rows (few ticks are hard to read values against)."""
    wanted = min(max((rows - 1) // 4 + 1, 3), 6)
    return 1 - (high - low) / (axis.hi - axis.lo) + 0.1 * max(wanted - len(axis.ticks), 0)


def _candidates(low: float, high: float, rows: int):
    """(start, step, rows per tick) for round steps whose axis covers [low, high] uncrowded.

    The top of the axis need not be a tick: one step spans `every` rows, as many as still fit.
    """
    for step in nice_steps((high - low) / (rows - 1)):
        start = math.floor(low / step + 1e-9) * step
        fits = math.floor((rows - 1) * step / (high - start) + 1e-9)
        if fits >= _crowd(rows):
            yield start, step, min(fits, _sparse(rows))
        if fits >= _sparse(rows):
            return


def _ordered(low: float, high: float) -> tuple[float, float]:
    """The data range, widened to reach 0 when it is a single value (a constant line at 500
    reads against 0..500, not against an arbitrary band around 500)."""
    if high > low:
        return low, high
    return (min(low, 0.0), max(low, 0.0)) if low else (0.0, 1.0)


def linear_axis(low: float, high: float, rows: int, *, from_zero: bool = False) -> Axis:
    """A round-ticked axis over [low, high] for a canvas of `rows` rows (at least 2): of the round
    steps whose ticks, a few rows apart, cover the data, the one wasting the least height.
    `from_zero` starts the axis at 0 (bars are measured from 0)."""
    rows = max(rows, 2)
    low, high = _ordered(0.0 if from_zero else low, high)
    candidates = zip(_candidates(low, high, rows), range(12))
    axes = [_span(lo, step, rows, every) for (lo, step, every), _ in candidates]
    return min(axes, key=lambda a: (round(_cost(a, low, high, rows), 9), -len(a.ticks)))


def paired_axis(low: float, high: float, rows: int, every: int) -> Axis:
    """A second y axis whose ticks fall on the rows of an axis with `every` rows per tick."""
    rows = max(rows, 2)
    low, high = _ordered(low, high)
    reach = (rows - 1) / every  # tick steps between the bottom and the top row
    for step in nice_steps((high - low) / reach):
        start = math.floor(low / step + 1e-9) * step
        if start + step * reach >= high - step * 1e-9:
            return _span(start, step, rows, every)
    raise AssertionError("unreachable: a large enough step always fits")


def dual_axes(left: tuple[float, float], right: tuple[float, float], rows: int, *,
              left_from_zero: bool = True) -> tuple[Axis, Axis]:
    """Left and right axes with ticks on the same rows, each using as much of the height as it can.

    A bar then reads against the line on the same gridline. Among the first few round steps
    for the left axis, the pair wasting the least height on both sides is taken.
    """
    rows = max(rows, 2)
    l_low, l_high = _ordered(0.0 if left_from_zero else left[0], left[1])
    r_low, r_high = _ordered(*right)
    best: tuple[float, Axis, Axis] | None = None
    for index, (start, step, every) in enumerate(_candidates(l_low, l_high, rows)):
        if index >= 12:
            break
        a = _span(start, step, rows, every)
        b = paired_axis(r_low, r_high, rows, every)
        waste = _cost(a, l_low, l_high, rows) + _cost(b, r_low, r_high, rows)
        if best is None or waste < best[0] - 1e-9:
            best = (waste, a, b)
    return best[1], best[2]


def log_axis(low: float, high: float, columns: int, *, margin: float = 0.04) -> Axis:
    """A log10 axis (limits and ticks in log10 units) with 1-2-5 ticks per decade, thinned to
    1-10-100 or fewer when the labels would not fit in `columns` characters."""
    lo, hi = math.log10(low), math.log10(high)
    span = hi - lo if hi > lo else 1.0
    lo, hi = lo - span * margin, hi + span * margin
    for mantissas in ((1, 2, 5), (1, 3), (1,)):
        values = [m * 10.0 ** e for e in range(math.floor(lo) - 1, math.ceil(hi) + 1) for m in mantissas]
        ticks = [v for v in values if lo <= math.log10(v) <= hi]
        labels = [f"{v:g}" for v in ticks]
        # A label needs its own width plus a space on each side to stay clear of its neighbours.
        gaps = [(math.log10(b) - math.log10(a)) / (hi - lo) * columns for a, b in pairwise(ticks)]
        needs = [(len(a) + len(b)) / 2 + 2 for a, b in pairwise(labels)]
        if all(gap >= need for gap, need in zip(gaps, needs)):
            break
    return Axis(lo, hi, tuple(math.log10(t) for t in ticks), tuple(labels))


def row_of(value: float, axis: Axis, rows: int) -> int:
    """The canvas row (0 = top) where plotext draws `value` on `axis`."""
    return rows - 1 - math.floor(round(0.5 + (rows - 1) * (value - axis.lo) / (axis.hi - axis.lo), 8))


def column_of(value: float, axis: Axis, columns: int) -> int:
    """The canvas column (0 = left) where plotext draws `value` on `axis`."""
    return math.floor(round(0.5 + (columns - 1) * (value - axis.lo) / (axis.hi - axis.lo), 8))


def value_at_column(column: int, axis: Axis, columns: int) -> float:
    return axis.lo + column / (columns - 1) * (axis.hi - axis.lo)
