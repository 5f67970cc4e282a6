"""Write the malformed-input corpus in tests/bad_inputs/ (run once; the files are committed).

Each file is something a real user could hand kvscope by mistake. The test suite checks that
every one either loads or fails with one line naming the file, and is never modified.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "bad_inputs"
H = "model,benchmark,kv_budget,pass_at_1,throughput_tps\n"
ROW = "qwen,aime24,2500,42.7,780\n"

CORPUS: dict[str, bytes | str] = {
    "empty.csv": "",
    "whitespace_only.csv": "  \n\n \t\n",
    "header_only.csv": H,
    "header_only_crlf.csv": H.replace("\n", "\r\n"),
    "semicolon_delimiter.csv": H.replace(",", ";") + ROW.replace(",", ";"),
    "bom.csv": "\ufeff" + H + ROW,
    "crlf.csv": (H + ROW + "qwen,aime24,3000,46.0,760\n").replace("\n", "\r\n"),
    "mixed_types.csv": H + ROW + "qwen,aime24,3000,forty,760\n",
    "nan_metric.csv": H + ROW + "qwen,aime24,3000,NaN,760\n",
    "inf_metric.csv": H + ROW + "qwen,aime24,3000,inf,760\n",
    "negative_budget.csv": H + "qwen,aime24,-2500,42.7,780\n",
    "fractional_budget.csv": H + "qwen,aime24,2500.5,42.7,780\n",
    "budget_text.csv": H + "qwen,aime24,big,42.7,780\n",
    "budget_empty.csv": H + "qwen,aime24,,42.7,780\n",
    "conflicting_duplicates.csv": H + ROW + "qwen,aime24,2500,40.0,780\n",
    "ragged_long_row.csv": H + ROW + "qwen,aime24,3000,46.0,760,extra,cells\n",
    "ragged_short_row.csv": H + ROW + "qwen,aime24,3000\n",
    "missing_model_column.csv": "benchmark,kv_budget,pass_at_1\naime24,2500,42.7\n",
    "missing_budget_column.csv": "model,benchmark,pass_at_1\nqwen,aime24,42.7\n",
    "no_metric_columns.csv": "model,benchmark,kv_budget,comment\nqwen,aime24,2500,hello\n",
    "empty_model_cell.csv": H + ",aime24,2500,42.7,780\n",
    "duplicate_role_columns.csv": "model,model_name,benchmark,kv_budget,pass_at_1\nq,q,b,2500,1\n",
    "unclosed_quote.csv": H + '"qwen,aime24,2500,42.7,780\n',
    "only_commas.csv": ",,,,\n,,,,\n",
    "tidy_missing_value.csv": "model,benchmark,kv_budget,metric,value\nq,b,2500,pass_at_1,\n",
    "tidy_text_value.csv": "model,benchmark,kv_budget,metric,value\nq,b,2500,pass_at_1,n/a?\n",
    "huge_number.csv": H + "qwen,aime24,2500,1e400,780\n",
    "truncated.json": '[{"model": "qwen", "benchmark": "aime24", "kv_budget": 2500, "pass_at_1": 4',
    "deeply_nested.json": "[" * 5000 + "]" * 5000,
    "json_object_not_records.json": json.dumps({"model": "qwen", "scores": [1, 2, 3]}),
    "json_scalar.json": "42",
    "json_string.json": '"hello"',
    "json_array_of_numbers.json": "[1, 2, 3]",
    "json_empty_array.json": "[]",
    "json_records_mixed_types.json": json.dumps([
        {"model": "q", "benchmark": "b", "kv_budget": 2500, "pass_at_1": 40},
        {"model": "q", "benchmark": "b", "kv_budget": "3000", "pass_at_1": "high"}]),
    "json_nested_values.json": json.dumps([{"model": "q", "benchmark": "b", "kv_budget": 2500, "pass_at_1": {"v": 1}}]),
    "ndjson_broken_line.ndjson": '{"model": "q", "benchmark": "b", "kv_budget": 2500, "pass_at_1": 40}\n'
                                 '{"model": "q", "benc\n',
    "binary_as_csv.csv": bytes(range(256)) * 4,
    "png_as_csv.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
    "zip_as_parquet.parquet": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40,
    "truncated_parquet.parquet": b"PAR1\x15\x04\x15\x10\x15\x14L\x15\x02\x15\x00",
    "latin1.csv": (H + "qwen,caf\xe9,2500,42.7,780\n").encode("latin-1"),
    "utf16.csv": (H + ROW).encode("utf-16"),
    "html_page.csv": "<!DOCTYPE html><html><body>Not found</body></html>\n",
    "prose.txt": "These are my results, I promise.\nPass@1 was great.\n",
    "scaling_zero_params.csv": "model,family,activated_params_b,mathvision_pass_at_1\nm,f,0,30\n",
    "scaling_text_score.csv": "model,family,activated_params_b,mathvision_pass_at_1\nm,f,3,thirty\n",
    "bad_reading_value.csv": "model,benchmark,kv_budget,pass_at_1,reading\nq,b,2500,40,maybe\n",
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, content in CORPUS.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (OUT / name).write_bytes(data)
    print(f"wrote {len(CORPUS)} files to {OUT}")


if __name__ == "__main__":
    main()
