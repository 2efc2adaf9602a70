"""The Teams SDK stays inside ``bot/teams`` (an import-linter contract): importing it
from a service, from storage or from the Slack adapter breaks the contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_architecture import LINT, _copy, _lint

VIOLATIONS = {
    "a service importing the Teams SDK": ("bot/services/scope.py", "import microsoft_teams.api"),
    "storage importing the Teams SDK": ("storage/records.py", "import microsoft_teams.common"),
    "the Slack adapter importing the Teams SDK": ("bot/slack/render.py", "import microsoft_teams"),
}

pytestmark = pytest.mark.skipif(not LINT.exists(), reason="import-linter is a dev dependency")


@pytest.mark.parametrize("violation", sorted(VIOLATIONS))
def test_the_teams_sdk_outside_the_teams_adapter_breaks_a_contract(
    tmp_path: Path, violation: str
) -> None:
    tree = _copy(tmp_path)
    path, line = VIOLATIONS[violation]
    target = tree / path
    target.write_text(target.read_text() + f"\n{line}  # deliberate\n")
    result = _lint(tree)
    verdicts = [line for line in result.stdout.splitlines() if "Teams SDK only inside" in line]
    assert result.returncode != 0 and any("BROKEN" in v for v in verdicts), result.stdout
