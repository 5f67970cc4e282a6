"""CI runs the README's test command, linters included: the two must not drift apart."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_ci_runs_the_readme_test_command_with_the_linters():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    readme_line = next(line for line in readme.splitlines() if "pip install -e '.[test]'" in line)
    readme_command = readme_line.split("&& ", 2)[2]  # after creating and activating the venv
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_command in ci_lines
    assert "ruff check ." in readme_command and "lint-imports" in readme_command
