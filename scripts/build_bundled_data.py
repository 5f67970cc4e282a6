"""Write data/kv_sweep.csv, data/kv_average.csv and data/scaling.csv from the seed readings.

The readings below are transcribed by hand from ../shared/seeds/ and ../shared/evidence/.
Every row carries its provenance; data/README.md explains each decision. Re-run this
script after changing a reading:  python scripts/build_bundled_data.py
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
BUDGETS = [2500, 3000, 3500, 4000, 4500, 5000]
S000 = "seed 000_77dacddbf98a353e (R1-Qwen per-benchmark figure, reading A)"
S001 = "seed 001_30861f74c7eee9b8 (R1-Qwen per-benchmark figure, reading B)"
S002 = "seed 002_5718bcfc2b90ade2 (R1-Llama per-benchmark figure)"
S003 = "seed 003_f380a56234d90305 (per-model average figure)"
S004 = "seed 004_472b75672e156450 (Kimi-VL MathVision scatter)"
KIMI = "Kimi-VL Technical Report arXiv:2504.07491v3"

# --- KV-budget sweep -------------------------------------------------------------------
# (model, benchmark, metric) -> (values per budget, None where the seed has no value)
QWEN_A_PASS = {  # seed 000: reproduces the reported averages -> accepted
    "AIME24": [42.7, 46.0, 42.0, 46.0, 48.0, 52.0],
    "AIME25": [30.0, 33.3, 36.0, None, 34.0, 36.7],  # seed lists 5 values; see data/README.md
    "AMC23": [82.0, 84.5, 90.5, 87.5, 87.0, 88.5],
    "GPQA-D": [44.6, 46.7, 48.0, 47.8, 48.4, 48.2],
}
QWEN_B_PASS = {  # seed 001: disagrees with the reported averages -> rejected
    "AIME24": [27.0, 34.0, 42.0, 46.0, 48.0, 52.0],
    "AIME25": [20.0, 26.0, 33.3, 36.7, 38.0, 34.0],
    "AMC23": [70.0, 78.5, 84.5, 87.0, 85.5, 85.0],
    "GPQA-D": [40.6, 45.0, 48.8, 46.7, 48.4, 48.2],
}
QWEN_B_TPS = {  # seed 001: inside the panel's 600-800 axis -> accepted
    "AIME24": [780, 760, 740, 720, 700, 680],
    "AIME25": [790, 770, 750, 730, 710, 690],
    "AMC23": [790, 770, 750, 730, 710, 690],
    "GPQA-D": [780, 760, 740, 720, 700, 680],
}
QWEN_A_TPS = {  # seed 000: below the panel's 600 TPS axis minimum -> rejected
    "AIME24": [750, 700, 650, 600, 550, 500],
    "AIME25": [750, 700, 650, 600, None, 550],
    "AMC23": [750, 700, 650, 600, None, 550],
    "GPQA-D": [750, 700, 650, 600, None, 550],
}
LLAMA_PASS = {
    "AIME24": [40.0, 44.7, 45.3, 42.0, 39.3, 49.3],
    "AIME25": [20.0, 24.7, 29.3, 28.0, 28.0, 29.3],
    "AMC23": [79.0, 86.5, 84.0, 87.0, 87.0, 87.0],
    "GPQA-D": [37.9, 45.8, 45.1, 46.3, 45.5, 46.4],
}
LLAMA_TPS = {b: [600, 570, 540, 510, 480, 450] for b in LLAMA_PASS}
AVERAGE = {
    ("R1-Llama", "pass_at_1"): [44.2, 50.4, 51.0, 50.8, 49.9, 53.0],
    ("R1-Llama", "throughput_tps"): [578, 525, 490, 470, 450, 420],
    ("R1-Qwen", "pass_at_1"): [49.8, 52.6, 54.1, 54.3, 54.3, 56.3],
    ("R1-Qwen", "throughput_tps"): [740, 700, 670, 670, 650, 620],
}

SWEEP_COLUMNS = ["model", "benchmark", "kv_budget", "metric", "value", "how", "reading", "source", "note"]


def series_rows(model, table, metric, how, reading, source, note=""):
    for benchmark, values in table.items():
        for budget, value in zip(BUDGETS, values):
            if value is not None:
                yield [model, benchmark, budget, metric, value, how, reading, source, note]


def sweep_rows():
    rows = []
    rows += series_rows("R1-Qwen", QWEN_A_PASS, "pass_at_1", "chart-label", "accepted", S000)
    rows += series_rows("R1-Qwen", QWEN_B_TPS, "throughput_tps", "chart-reading", "accepted", S001)
    rows += series_rows("R1-Llama", LLAMA_PASS, "pass_at_1", "chart-label", "accepted", S002)
    rows += series_rows("R1-Llama", LLAMA_TPS, "throughput_tps", "chart-reading", "accepted", S002)
    rows += series_rows("R1-Qwen", QWEN_B_PASS, "pass_at_1", "chart-label", "rejected", S001,
                        "disagrees with the reported R1-Qwen average (seed 003)")
    rows += series_rows("R1-Qwen", QWEN_A_TPS, "throughput_tps", "chart-reading", "rejected", S000,
                        "below the panel's 600 TPS axis minimum")
    # Seed 000 lists AIME25 as 30.0, 33.3, 36.0, 34.0 (4000), 36.7 (5000): one bar missing.
    # The reported averages fit only if 34.0 is the 4500 bar and the 4000 bar is the missing one.
    accepted = {(r[1], r[2]): r[4] for r in rows if r[0] == "R1-Qwen" and r[3] == "pass_at_1" and r[6] == "accepted"}
    parts = sum(accepted[(b, 4000)] for b in ("AIME24", "AMC23", "GPQA-D"))
    derived = round(4 * 54.3 - parts, 1)
    rows.append(["R1-Qwen", "AIME25", 4000, "pass_at_1", derived, "derived", "accepted", S003,
                 f"missing in seed 000; 4 x reported average 54.3 - AIME24 - AMC23 - GPQA-D at 4000 = {derived}"])
    for r in rows:
        if r[:4] == ["R1-Qwen", "AIME25", 4500, "pass_at_1"] and r[6] == "accepted":
            r[8] = "seed 000 labels this bar 4000 but lists only five bars; the averages place it at 4500"
    rows.append(["R1-Qwen", "AIME25", 4000, "pass_at_1", 34.0, "chart-label", "rejected", S000,
                 "the seed's literal label; the 4000 average (54.3) needs about 35.9 here"])
    return rows


def average_rows():
    rows = []
    for (model, metric), values in AVERAGE.items():
        how = "chart-label" if metric == "pass_at_1" else "chart-reading"
        for budget, value in zip(BUDGETS, values):
            rows.append([model, "avg", budget, metric, value, how, "accepted", S003,
                         "reported average over AIME24, AIME25, AMC23, GPQA-D"])
    return rows


# --- parameter scaling -----------------------------------------------------------------
SCALING_COLUMNS = ["model", "family", "activated_params_b", "params_how", "params_source",
                   "mathvision_pass_at_1", "score_how", "score_source", "reading", "note"]
T3, T4 = f"{KIMI} Table 3", f"{KIMI} Table 4"


def scaling_rows():
    derived_note = "LLM size from the model name + the family's vision tower from Table 3"
    accepted = [
        # model, family, params, params_how, params_source, score, score_how, score_source, note
        ("Kimi-VL-A3B-Thinking-2506", "Kimi", 3.2, "table", T4, 56.9, "table", T4, ""),
        ("Kimi-VL-A3B-Thinking", "Kimi", 3.2, "table", T4, 36.8, "table", T4, ""),
        ("Gemma-3-4B-IT", "Gemma", 4.4, "derived", "4 + 0.4", 25.0, "chart-reading", S004, derived_note),
        ("Gemma-3-12B-IT", "Gemma", 12.4, "table", T3, 32.1, "table", f"{T3} and 4", ""),
        ("Gemma-3-27B-IT", "Gemma", 27.4, "derived", "27 + 0.4", 35.5, "table", T4, derived_note),
        ("Qwen2.5-VL-3B", "Qwen", 3.7, "derived", "3 + 0.7", 20.0, "chart-reading", S004, derived_note),
        ("Qwen2.5-VL-7B", "Qwen", 8.3, "table", T3, 25.1, "table", f"{T3} and 4", ""),
        ("Qwen2.5-VL-32B", "Qwen", 32.7, "derived", "32 + 0.7", 35.0, "chart-reading", S004, derived_note),
        ("Qwen2.5-VL-72B", "Qwen", 72.7, "derived", "72 + 0.7", 38.1, "table", T4, derived_note),
        ("QVQ-72B-Preview", "QVQ", 72.7, "derived", "72 + 0.7", 35.9, "table", T4, derived_note),
        ("QVQ-Max-Preview", "QVQ", 80.0, "chart-reading", S004, 48.0, "chart-reading", S004,
         "size not published; the seed's position reading"),
        ("DeepSeek-VL2-A4.5B", "DeepSeek", 4.5, "table", T3, 17.3, "table", T3, ""),
        ("Llama-3.2-11B-Inst.", "Llama", 10.6, "table", T3, 13.6, "table", T3, ""),
    ]
    seed = {  # seed 004's readings; x values snap to tick labels
        "Kimi-VL-A3B-Thinking-2506": (3, 55), "Kimi-VL-A3B-Thinking": (3, 35),
        "Gemma-3-4B-IT": (3, 25), "Gemma-3-12B-IT": (10, 35), "Gemma-3-27B-IT": (30, 35),
        "Qwen2.5-VL-3B": (3, 20), "Qwen2.5-VL-7B": (10, 25), "Qwen2.5-VL-32B": (30, 35),
        "Qwen2.5-VL-72B": (70, 35), "QVQ-72B-Preview": (70, 35), "QVQ-Max-Preview": (80, 48),
        "DeepSeek-VL2-A4.5B": (5, 18), "Llama-3.2-11B-Inst.": (11, 15),
    }
    rows = [[m, f, p, ph, ps, s, sh, ss, "accepted", n] for m, f, p, ph, ps, s, sh, ss, n in accepted]
    for m, f, p, _, _, s, _, _, _ in accepted:
        sp, sv = seed[m]
        if (sp, sv) != (p, s):
            rows.append([m, f, sp, "chart-reading", S004, sv, "chart-reading", S004, "rejected",
                         "seed reading; superseded by the value kept as accepted"])
    return rows


def write(name, columns, rows):
    with open(DATA / name, "w", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


if __name__ == "__main__":
    write("kv_sweep.csv", SWEEP_COLUMNS, sweep_rows())
    write("kv_average.csv", SWEEP_COLUMNS, average_rows())
    write("scaling.csv", SCALING_COLUMNS, scaling_rows())
