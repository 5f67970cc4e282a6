"""Findings in sentences, computed from the other answers."""

from __future__ import annotations

import polars as pl

from tui.core.answers.advise import advise, with_mark
from tui.core.answers.common import (
    KNEE_MIN_GAIN_PER_1K,
    KV_BUDGET,
    PASS_AT_1,
    PLATEAU_TOLERANCE,
    SCORE,
    Knob,
    Scores,
    label,
    points,
    signed,
)
from tui.core.answers.frontier import dominance_sentence, dominating_pairs
from tui.core.answers.returns import Trend, knee_of_points, trend_of_points
from tui.core.schema import AVG, TPS
from tui.core.schema import format_knob as _knob


def insights(sweep: pl.DataFrame, aggregates: pl.DataFrame | None = None, model: str | None = None, *,
             benchmark: str | None = None,
             plateau_tolerance: float = PLATEAU_TOLERANCE,
             min_gain_per_1k: float = KNEE_MIN_GAIN_PER_1K, scores: Scores = PASS_AT_1) -> list[str]:
    """Short sentences generated from the data, ordered by model, then benchmark (avg last).

    Every sentence about one series starts "{model} {benchmark}:"; for avg the first one says whether
    the numbers are the reported average or the mean of the benchmarks. Per model and benchmark:
    the peak (ties: smaller budget) and plateau (the smallest budget b,
    before the last, from which every score stays within plateau_tolerance points of each other),
    whether the score is monotone (each sentence names the series' metric: Pass@1, acc_norm ...),
    the throughput slope and R^2, the knee and the advisor's
    unconstrained pick. Then, per benchmark, every pair of models where one dominates the other.
    `benchmark` limits all of it to one benchmark (or AVG): what the explorer shows for a sweep.
    """
    wanted = [benchmark] if benchmark else [*sorted(set(sweep["benchmark"].unique().to_list()) - {AVG}), AVG]
    by_bench = {b: points(sweep, b, aggregates, scores) for b in wanted}
    models = sorted({m for pts in by_bench.values() for m in pts["model"].to_list()})
    picks = pl.concat([advise(sweep, benchmark=b, aggregates=aggregates, model=model, scores=scores)
                       for b in by_bench])
    lines: list[str] = []
    for m in models:
        if model is not None and m != model:
            continue
        for b, pts in by_bench.items():
            s = pts.filter(pl.col("model") == m)
            if s.height:
                pick = picks.filter((pl.col("model") == m) & (pl.col("benchmark") == b))
                lines += _series_insights(s, pick, plateau_tolerance, min_gain_per_1k, scores.knob)
    for b, pts in by_bench.items():
        pairs = dominating_pairs(pts, model).select("model", "model_b", "shared", "metric")
        for a, other, shared, metric in pairs.iter_rows():
            if model is None or model in (a, other):
                lines.append(dominance_sentence(a, other, b, shared, label(metric), scores.knob) + ".")
    return lines


def _series_insights(s: pl.DataFrame, pick: pl.DataFrame, tolerance: float, min_gain: float,
                     knob: Knob = KV_BUDGET) -> list[str]:
    model, bench, name = s["model"][0], s["benchmark"][0], label(s["metric"].drop_nulls().first())
    head = f"{model} {bench}:"
    out: list[str] = []
    if bench == AVG:
        out.append(f"{head} the average is the {' / '.join(sorted(set(s['basis'].drop_nulls())))}.")
    p = s.drop_nulls(SCORE).select("knob", SCORE, "pass_how")
    if p.height:
        top = p.sort([SCORE, "knob"], descending=[True, False]).row(0, named=True)
        peak = with_mark(top[SCORE], top["pass_how"], 1)
        line = (f"{head} {name} peaks at {peak} at {knob.word} {_knob(top['knob'])}"
                if top["knob"] is not None else f"{head} {name} is {peak} (one setting, no {knob.word})")
        tail = p.with_columns(lo=pl.col(SCORE).reverse().cum_min().reverse(),
                              hi=pl.col(SCORE).reverse().cum_max().reverse()).head(p.height - 1)
        flat = tail.filter(pl.col("hi") - pl.col("lo") <= tolerance + 1e-9)
        if flat.height:
            start = flat.row(0, named=True)
            unit = "point" if tolerance == 1 else "points"
            line += (f"; from {_knob(start['knob'])} on it stays within {tolerance:g} {unit} "
                     f"({start['lo']:.1f}–{start['hi']:.1f})")
        out.append(line + ".")
    out += _shape(head, name, p, knob)
    out += _trend_sentences(head, trend_of_points(s, model, bench, knob))
    k = knee_of_points(s, model, bench, min_gain, knob)
    if p.height > 1:
        out.append(f"{head} {k.sentence}.")
    if pick.height and pick["status"][0] == "ok" and pick["knob"][0] is not None:
        out.append(_pick_sentence(head, name, pick.row(0, named=True), knob))
    return out


def _shape(head: str, name: str, p: pl.DataFrame, knob: Knob) -> list[str]:
    """Whether the score is flat, monotone or not along the knob."""
    if p.height < 2:
        return []
    grows = "the budget grows" if knob.is_tokens else f"{knob.label} grows"
    across = "budgets" if knob.is_tokens else f"{knob.label} settings"
    d = p.with_columns(d=pl.col(SCORE).diff(), prev=pl.col("knob").shift()).drop_nulls("d")
    falls, rises = d.filter(pl.col("d") < 0), d.filter(pl.col("d") > 0)
    if falls.height == 0 and rises.height == 0:
        return [f"{head} {name} is flat across {across}."]
    if falls.height == 0:
        return [f"{head} {name} is monotone: it never falls as {grows}."]
    if rises.height == 0:
        return [f"{head} {name} is monotone: it never rises as {grows}."]
    worst = falls.sort(["d", "knob"]).row(0, named=True)
    drop = f"largest drop {signed(worst['d'], 1)} from {_knob(worst['prev'])} to {_knob(worst['knob'])}"
    return [f"{head} {name} is not monotone: it falls at {falls.height} of {d.height} steps ({drop})."]


def _trend_sentences(head: str, trend: Trend) -> list[str]:
    """The throughput trend: per 1,000 tokens of budget, or across the settings of another knob."""
    r2 = "R² undefined" if trend.r2 is None else f"R² {trend.r2:.2f}"
    if trend.knob is not None:
        if trend.change is None:
            return []
        if trend.change == 0 and trend.r2 is None:
            return [f"{head} throughput is flat across {trend.knob} settings ({trend.n} settings)."]
        span = f"from {trend.knob} {_knob(trend.low)} to {_knob(trend.high)}"
        fit = f"least-squares fit, {r2}, {trend.n} settings"
        return [f"{head} throughput changes by {signed(trend.change, 0)} TPS {span} ({fit})."]
    if trend.slope_per_1k == 0 and trend.r2 is None:
        return [f"{head} throughput is flat across budgets ({trend.n} budgets)."]
    if trend.slope_per_1k is not None:
        slope = f"{signed(trend.slope_per_1k, 0)} TPS per 1,000 tokens of budget"
        return [f"{head} throughput changes by {slope} ({r2}, {trend.n} budgets)."]
    return []


def _pick_sentence(head: str, name: str, r: dict, knob: Knob) -> str:
    """The advisor's unconstrained pick, with its throughput cost against the fastest setting."""
    tps, pass1 = with_mark(r[TPS], r["tps_how"], 0), with_mark(r[SCORE], r["pass_how"], 1)
    line = f"{head} unconstrained pick is {knob.word} {_knob(r['knob'])} ({name} {pass1}"
    if r[TPS] is None:
        line += ", throughput unknown)"
    elif r["knob"] == r["fastest_knob"]:
        line += f", {tps} TPS, also the fastest setting)"
    else:
        line += (f", {tps} TPS, {r['tps_cost']:.0f} TPS ({r['tps_cost_pct']:.1f}%) below the "
                 f"fastest setting at {_knob(r['fastest_knob'])})")
    return line + "."
