"""A big file's first look (tui.core.loader.first_look): the explorer opens on one model's pooled
rows and every model's names while the rest of the file is pooled. It must show exactly what the
whole file's results show, and a file it could mislead about gets none."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from helpers import post_key, screen_text, settle
from tui.core.errors import InputError
from tui.core.loader import first_look, load, one_file


@pytest.fixture(autouse=True)
def every_file_is_big(monkeypatch):
    """Files of any size take the big files' path (scanned, converted streaming), which alone
    offers a first look."""
    monkeypatch.setattr(one_file, "SCAN_BYTES", 0)
    monkeypatch.setattr(one_file, "STREAM_ROWS", 0)


def tidy(models=("zeta", "alpha", "mid"), benchmarks=("b2", "b1"), scale=100.0, extra="") -> str:
    """A tidy sweep with three seeds a budget, Pass@1 and throughput; the models not in name
    order, so the first look is not of the file's first model."""
    lines = ["model,benchmark,kv_budget,seed,metric,value"]
    for m, model in enumerate(models):
        for b, bench in enumerate(benchmarks):
            for knob in (1000, 2000, 3000):
                for seed in range(3):
                    score = ((m * 7 + b * 3 + knob // 1000 + seed * 5) % 10) / 10 * scale
                    lines.append(f"{model},{bench},{knob},{seed},pass_at_1,{score}")
                for seed in range(3):
                    lines.append(f"{model},{bench},{knob},{seed},throughput_tps,{900 - knob / 10 + seed + m}")
    return "\n".join(lines) + "\n" + extra


def with_press(text: str) -> str:
    """The tidy sweep with a text column more: a dimension (every row the same press)."""
    header, *rows = text.splitlines()
    return "\n".join([f"{header},press", *[f"{row},snapkv" for row in rows]]) + "\n"


def looked(path, **kwargs):
    """(the first look offered while loading `path`, or None; the whole load's results)."""
    looks = []
    whole = load([path], first_look=looks.append, **kwargs).prepare()
    assert len(looks) <= 1
    return (looks[0] if looks else None), whole


def assert_shows_the_same(look, whole) -> None:
    """Everything the first frame reads: names, averages and headlines of every model, the first
    model's rows, the header's line."""
    assert look is not None and look.first_look and not whole.first_look
    assert look.models == whole.models
    assert look.benchmarks() == whole.benchmarks()
    for model in whole.models:
        assert look.benchmarks(model) == whole.benchmarks(model)
        assert look.average_metric(model) == whole.average_metric(model)
    for bench in whole.benchmarks():
        assert look.headline(bench) == whole.headline(bench)
    first = whole.models[0]
    for bench in whole.benchmarks(first):
        assert_frame_equal(look.partitions[(first, bench)], whole.partitions[(first, bench)])
    assert (look.origin, look.knob, look.failed, look.warnings) == \
        (whole.origin, whole.knob, whole.failed, whole.warnings)
    assert look.sweep.height < whole.sweep.height  # the other models are not in it


def test_a_tidy_files_first_look_is_its_first_model_by_name_pooled_as_the_whole_file(write):
    look, whole = looked(write("sweep.csv", tidy()))
    assert_shows_the_same(look, whole)
    assert set(look.sweep["model"]) == {"alpha"}
    row = look.partitions[("alpha", "b1")].filter(pl.col("knob") == 1000, pl.col("metric") == "pass_at_1")
    seeds = [(7 + 3 + 1 + seed * 5) % 10 * 10 for seed in range(3)]  # alpha is model 1, b1 benchmark 1
    assert row["n"].item() == 3 and row["value"].item() == pytest.approx(sum(seeds) / 3)


def test_a_parquet_file_gets_a_first_look(tmp_path):
    path = tmp_path / "sweep.parquet"
    pl.read_csv(tidy().encode()).write_parquet(path)
    assert_shows_the_same(*looked(path))


def test_fractions_are_shown_as_percent_in_the_first_look_as_in_the_whole_file(write):
    look, whole = looked(write("sweep.csv", tidy(scale=1.0)))
    assert_shows_the_same(look, whole)
    assert look.partitions[("alpha", "b1")].filter(pl.col("metric") == "pass_at_1")["value"].max() > 1


def test_a_wide_files_metrics_keep_their_order_in_the_first_look(write):
    # Each benchmark's metrics in file order decide its headline: acc before exact_match here.
    lines = ["model,benchmark,kv_budget,acc,exact_match,throughput_tps"]
    lines += [f"{model},{bench},{knob},0.{knob // 1000},0.5,{900 - knob / 10}"
              for model in ("m2", "m1") for bench in ("x", "y") for knob in (1000, 2000)]
    look, whole = looked(write("wide.csv", "\n".join(lines) + "\n"))
    assert_shows_the_same(look, whole)
    assert whole.headline("x") == "acc"


def test_a_metric_first_met_on_a_later_row_comes_after_in_the_first_look_too(write):
    # x's first row has no acc: exact_match is met first, so it is x's headline, though the
    # acc column comes first (a wide file's metrics are stacked column by column).
    lines = ["model,benchmark,kv_budget,acc,exact_match"]
    lines += [f"{model},x,{knob},{'' if knob == 1000 else 0.4},0.5" for model in ("m2", "m1") for knob in (1000, 2000)]
    look, whole = looked(write("wide.csv", "\n".join(lines) + "\n"))
    assert_shows_the_same(look, whole)
    assert whole.headline("x") == look.headline("x") == "exact_match"


def test_org_prefixes_are_dropped_as_in_the_whole_file(write):
    # "zzz/aaa" is shown as "aaa": the first model by its shown name, read from a prefixed row.
    look, whole = looked(write("sweep.csv", tidy(models=("bbb", "zzz/aaa", "org/bbb"))))
    assert_shows_the_same(look, whole)
    assert whole.models[0] == "aaa"
    assert set(look.partitions[("aaa", "b1")]["note"]) == set(whole.partitions[("aaa", "b1")]["note"])


def test_failed_runs_are_counted_in_the_first_looks_header(tmp_path):
    frame = pl.read_csv(tidy().encode()).with_columns(status=pl.lit("ok"))
    frame = frame.with_columns(status=pl.when((pl.col("model") == "mid") & (pl.col("kv_budget") == 3000))
                               .then(pl.lit("failed")).otherwise(pl.col("status")))
    path = tmp_path / "runs.parquet"
    frame.write_parquet(path)
    look, whole = looked(path)
    assert whole.failed
    assert_shows_the_same(look, whole)


@pytest.mark.parametrize("text, why", [pytest.param(text, why, id=why) for text, why in [
    (tidy(benchmarks=("b1", "avg")), "a reported average"),
    (tidy() + "alpha,speed,1000,0,throughput_tps,800\n", "a throughput-only run joins other benchmarks"),
    (tidy(scale=1.0) + "alpha,b1,4000,0,pass_at_1,-0.2\nalpha,b1,4000,1,pass_at_1,1.4\n",
     "whether every pooled Pass@1 is a fraction only pooling tells"),
    (with_press(tidy()), "a dimension"),
    (tidy() + "zeta,b1,1000,0,pass_at_1,50.0\n", "a conflict (another model's)"),
]])
def test_files_a_first_look_could_misread_get_none(write, text, why):
    path = write("sweep.csv", text)
    looks = []
    try:
        whole = load([path], first_look=looks.append)
    except InputError:
        whole = None
    if why.startswith("a conflict"):  # the first model is fine: its look is offered, the load then fails
        assert whole is None and len(looks) == 1
        return
    assert looks == [], why
    assert whole is not None and whole.all_readings.equals(load([path]).all_readings)


def test_a_conflict_in_the_first_model_gets_no_look_and_the_error_of_a_plain_load(write):
    path = write("sweep.csv", tidy() + "alpha,b1,1000,0,pass_at_1,55.0\n")
    looks = []
    with pytest.raises(InputError) as with_look:
        load([path], first_look=looks.append)
    with pytest.raises(InputError) as plain:
        load([path])
    assert looks == [] and str(with_look.value) == str(plain.value)
    assert "duplicate key alpha | b1 | 1000 | pass_at_1" in str(plain.value)


def test_only_a_big_file_given_alone_gets_a_first_look(write, monkeypatch):
    a, b = write("a.csv", tidy()), write("b.csv", tidy(models=("other",)))
    assert looked(a)[0] is not None
    looks = []
    load([a, b], first_look=looks.append)
    load([a.parent], first_look=looks.append)
    monkeypatch.setattr(one_file, "SCAN_BYTES", 1 << 40)
    load([a], first_look=looks.append)
    assert looks == []


def test_the_load_waits_for_the_look_to_be_shown_before_pooling_the_rest(write, monkeypatch):
    handoff = first_look.Handoff()
    order = []
    real_offer = handoff.offer

    def offer(look):
        order.append("offered")
        real_offer(look)
        order.append("going on")
    monkeypatch.setattr(handoff, "offer", offer)
    monkeypatch.setattr(first_look, "SHOWN_WAIT", 30)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        whole = pool.submit(load, [write("sweep.csv", tidy())], None, handoff.offer)
        look = handoff.look.result(timeout=30)
        assert look.first_look and order == ["offered"] and not whole.done()
        handoff.shown()
        assert not whole.result(timeout=30).first_look
    assert order == ["offered", "going on"]


# -- in the app -----------------------------------------------------------------------------


def first_screens(results, size):
    """The screen's text once the explorer on `results` has started, at `size` (before the
    insights, which the explorer works out after the first frame)."""
    from tui.app.main import make_app

    async def look():
        app = make_app(results)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            return screen_text(app)

    return asyncio.run(look())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_the_first_looks_first_frame_is_the_whole_files(write, size, monkeypatch):
    from tui.app.widgets.sweep_view import SweepView

    monkeypatch.setattr(SweepView, "_load_insights", lambda self, view: None)
    look, whole = looked(write("sweep.csv", tidy(models=[f"m{i:02d}" for i in range(14)])))
    assert_shows_the_same(look, whole)
    assert first_screens(look, size) == first_screens(whole, size)


def done(value=None, error=None) -> Future:
    future = Future()
    future.set_exception(error) if error else future.set_result(value)
    return future


def test_the_app_takes_the_whole_results_before_any_key_acts(write, monkeypatch):
    """Keys typed while the first look is on screen wait for the whole results, then act on
    them: the budgets comparison lists every model, where the first look holds one."""
    from tui.app.main import make_app
    from tui.app.screens.explorer import ExplorerScreen

    look, whole = looked(write("sweep.csv", tidy()))
    shown = []
    take = ExplorerScreen._take_whole_results

    async def keys_first(screen):
        post_key(screen.app, "b")
        await take(screen)
    monkeypatch.setattr(ExplorerScreen, "_take_whole_results", keys_first)

    async def journey():
        app = make_app(look)
        app.open_on(look, rest=done(whole), shown=lambda: shown.append(True))
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert shown == [True] and app.results is whole and app.rest is None
            assert app.explorer.results is whole
            text = screen_text(app)
            assert "compare budgets" in text and all(model in text for model in ("alpha", "mid", "zeta"))

    asyncio.run(journey())


def test_a_problem_in_the_rest_of_the_file_ends_the_app_with_its_line(write):
    from tui.app.main import make_app

    look, whole = looked(write("sweep.csv", tidy()))

    async def journey():
        app = make_app(look)
        app.open_on(look, rest=done(error=InputError("sweep.csv, line 40: duplicate key")))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
        return app

    app = asyncio.run(journey())
    assert app.return_code == 2 and app.return_value == "sweep.csv, line 40: duplicate key"


def test_kvscope_opens_a_big_file_on_its_first_look_then_its_whole_results(write, monkeypatch, capsys):
    import tui.app.main
    from helpers import run

    path = write("sweep.csv", tidy())
    seen = []

    def fake_run(app):  # what the explorer does right after the first look's frame
        seen.append((app.results.first_look, app.rest is not None))
        app.whole_results()
        seen.append((app.results.first_look, app.results.models))
    monkeypatch.setattr(tui.app.main, "run", fake_run)
    code, _, err = run(capsys, str(path))
    assert code == 0 and err == ""
    assert seen == [(True, True), (False, ["alpha", "mid", "zeta"])]


def test_random_files_first_looks_match_their_whole_results(tmp_path):
    """Files of many shapes: names with and without organisations, several metrics in varying
    order, fractions or percent, a varying number of repeats, rows in runs or shuffled, tidy or
    wide. Each file that gets a first look gets one that shows what its whole results show."""
    looks = [_random_file_looks_right(tmp_path / str(seed), seed) for seed in range(12)]
    assert sum(looks) >= 9  # most of them do get one


def _random_file_looks_right(folder, seed: int) -> bool:
    import random

    folder.mkdir()
    rng = random.Random(seed)
    orgs = ["", "org/", "lab-x/"]
    models = list({rng.choice(orgs) + f"model-{rng.randint(0, 9)}" for _ in range(rng.randint(2, 6))})
    benchmarks = [f"bench-{chr(97 + i)}" for i in rng.sample(range(8), rng.randint(1, 4))]
    metrics = rng.sample(["pass_at_1", "acc", "exact_match", "throughput_tps", "latency_ms"], rng.randint(2, 4))
    if all(m in ("throughput_tps", "latency_ms") for m in metrics):
        metrics.append("acc")
    scale = rng.choice([1.0, 100.0])
    rows = []
    for model in models:
        for bench in benchmarks:
            own = [m for m in metrics if rng.random() < 0.8] or metrics[:1]
            if all(m in ("throughput_tps", "latency_ms") for m in own):
                own.append(next(m for m in metrics if m not in ("throughput_tps", "latency_ms")))
            for knob in rng.sample([1000, 2000, 3000, 4000], rng.randint(1, 4)):
                for seed_no in range(rng.randint(1, 4)):
                    for metric in own:
                        value = rng.random() * (scale if metric not in ("throughput_tps", "latency_ms") else 900)
                        rows.append({"model": model, "benchmark": bench, "kv_budget": knob, "seed": seed_no,
                                     "metric": metric, "value": round(value, 3)})
    if rng.random() < 0.5:
        rng.shuffle(rows)
    frame = pl.DataFrame(rows)
    if rng.random() < 0.5:  # wide: a column per metric (a missing metric is an empty cell)
        frame = frame.pivot("metric", index=["model", "benchmark", "kv_budget", "seed"], values="value")
    path = folder / ("sweep.parquet" if rng.random() < 0.5 else "sweep.csv")
    frame.write_parquet(path) if path.suffix == ".parquet" else frame.write_csv(path)
    look, whole = looked(path)
    if look is not None and len(whole.models) > 1:
        assert_shows_the_same(look, whole)
    return look is not None
