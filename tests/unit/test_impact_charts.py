"""The impact charts are plain SVG: lines with a dashed baseline and gaps where there is
no value, a heat-map shaded by ties — and what people typed is text, never markup."""

from __future__ import annotations

import re

from bot.dashboard.charts import Line, heat_map, line_chart


def test_a_line_chart_draws_each_run_of_values_and_dashes_the_baseline() -> None:
    svg = line_chart(
        ["1", "2", "3", "4"],
        [Line("E-I", (-0.5, None, 0.0, 0.5)), Line("Random", (0.2, 0.2, 0.2, 0.2), dashed=True)],
        low=-1,
        high=1,
        caption="E-I",
    )
    polylines = re.findall(r'<polyline points="([^"]+)" class="([^"]+)"', svg)
    assert [css for _, css in polylines] == ["line c0", "line c1 dashed"]  # -0.5 stands alone
    assert len(polylines[1][0].split()) == 4 and len(polylines[0][0].split()) == 2
    assert svg.count("<circle") == 7 and "E-I, 2" not in svg  # no point where no value
    assert "Random, 4: 0.2" in svg


def test_a_heat_map_shades_by_ties_and_escapes_team_names() -> None:
    teams = ["<script>", "Data"]
    svg = heat_map(teams, {("<script>", "Data"): 4, ("Data", "Data"): 1}, caption="Ties")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    fills = re.findall(r'fill="(#[0-9a-f]{6})"', svg)
    assert len(fills) == 4
    assert fills.count("#4a154b") == 2  # the most ties: the darkest, both ways round
    assert fills[0] == "#f4f4f4"  # nothing inside "<script>"
    assert "Data inside: 1 tie<" in svg and "&lt;script&gt; – Data: 4 ties" in svg
