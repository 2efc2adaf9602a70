"""``mentorbot demo`` tells the impact story: the simulated people answer "what came of
it?", the company network's E-I index moves from its starting point (everyone knowing
only their team-mates) toward mixing round by round, the heat-map fills, and outcomes by
dimension appear — in the demo's report and in ``mentorbot impact`` on the kept data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.cli import main
from tests.e2e.test_demo import clean_places

__all__ = ["clean_places"]
pytestmark = pytest.mark.slow


def _signed(text: str) -> float:
    return float(text.replace("−", "-"))


def test_the_demo_moves_the_e_i_index_fills_the_heat_map_and_shows_outcomes(
    clean_places: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    database = tmp_path / "demo.db"
    url = f"sqlite:///{database}"
    code = main(["demo", "--people", "24", "--rounds", "4", "--seed", "5", "--database-url", url])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert re.search(r"coffee: .* · \d+ said what came of it", out)
    (company,) = re.findall(r"^ +(start .+)$", out, flags=re.M)
    values = [_signed(v) for v in re.findall(r"([−+]\d\.\d\d)", company)]
    assert values[0] == -1.0 and len(values) == 5  # the start, then four rounds
    assert values == sorted(values) and values[-1] > values[0] + 0.3, company
    found = re.search(r"What came of it \((\d+) answers\): career (\d+) · skills (\d+)", out)
    assert found is not None and int(found.group(1)) >= 5, out

    monkeypatch.setenv("DATABASE_URL", url)  # the data the demo kept
    assert main(["impact", "coffee", "--format", "json", "--workspace", "T0DEMO"]) == 0
    shown = capsys.readouterr()
    data = json.loads(shown.out)
    assert data["ei_index_company_start"] == -1.0
    assert data["ei_index_company"] == pytest.approx(values[-1], abs=0.006)
    assert data["outcomes"] is not None and sum(data["outcomes"].values()) > 0
    trend = [p["ei_company"] for p in data["trend"]]
    assert trend == sorted(trend) and len(trend) == 4
    links = {(a, b) for a, b, _ in data["team_ties"] if a != b}
    assert len(links) >= 10  # the heat-map fills: many pairs of teams now linked
