"""The layer rules are contracts (import-linter, in pyproject.toml), not just prose: they
hold for the code as it is, and a deliberate violation breaks them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")
VIOLATIONS = {
    "a service importing Slack's SDK": ("bot/services/scope.py", "import slack_sdk"),
    "pairing/ importing storage": ("pairing/models.py", "import storage.db"),
    "storage importing the application": ("storage/records.py", "import bot.errors"),
    "a service importing the composition root": ("bot/services/rounds.py", "import bot.bootstrap"),
}

pytestmark = pytest.mark.skipif(not LINT.exists(), reason="import-linter is a dev dependency")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT), "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _copy(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    for package in ("bot", "storage", "pairing"):
        shutil.copytree(
            ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_code_keeps_every_contract(tmp_path: Path) -> None:
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("violation", sorted(VIOLATIONS))
def test_a_deliberate_violation_breaks_a_contract(tmp_path: Path, violation: str) -> None:
    tree = _copy(tmp_path)
    path, line = VIOLATIONS[violation]
    target = tree / path
    target.write_text(target.read_text() + f"\n{line}  # deliberate\n")
    result = _lint(tree)
    assert result.returncode != 0 and "BROKEN" in result.stdout, result.stdout
