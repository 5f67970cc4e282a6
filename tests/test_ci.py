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


def _install_chromium(tmp_path, uid: int, present: set[str]) -> list[str]:
    """Run .ci/install-chromium with stand-ins for `present` (chromium, sudo) and for apt-get and id;
    the commands it ran, one per line."""
    import os
    import shutil
    import subprocess

    bin_dir, log = tmp_path / "bin", tmp_path / "ran"
    bin_dir.mkdir(parents=True)
    scripts = {"id": f"echo {uid}", "apt-get": f'echo "apt-get $*" >> {log}', "chromium": "true",
               "sudo": f'echo "sudo $*" >> {log}'}
    for name in {"id", "apt-get"} | present:
        (bin_dir / name).write_text(f"#!/bin/sh\n{scripts[name]}\n")
        (bin_dir / name).chmod(0o755)
    (bin_dir / "env").symlink_to(shutil.which("env"))
    subprocess.run([shutil.which("bash"), str(ROOT / ".ci" / "install-chromium")], check=True,
                   env={**os.environ, "PATH": str(bin_dir)})
    return log.read_text().splitlines() if log.exists() else []


def test_ci_installs_chromium_only_when_missing_through_sudo_when_not_root(tmp_path):
    install = "env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium"
    assert _install_chromium(tmp_path / "a", 1000, {"chromium", "sudo"}) == []
    assert _install_chromium(tmp_path / "b", 1000, {"sudo"}) == ["sudo apt-get update -qq", f"sudo {install}"]
    assert _install_chromium(tmp_path / "c", 0, {"sudo"}) == [
        "apt-get update -qq", "apt-get install -y -qq --no-install-recommends chromium"]
    assert "\n.ci/install-chromium\n" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
