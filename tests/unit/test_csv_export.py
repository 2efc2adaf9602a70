"""CSV exports open in a spreadsheet: no cell a person typed may run there, and no
typed line break may start a new row."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from bot.services.exports import csv_text
from bot.services.reports import GroupHistory, ProgramHistory, RoundHistory

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")


def _export(program: str, *names: str) -> list[list[str]]:
    members = tuple(f"U{i}" for i in range(len(names)))
    history = ProgramHistory(
        program, (RoundHistory(1, NOW, (GroupHistory(members, names, "met"),)),)
    )
    # newline="": read the bytes as a spreadsheet does, line breaks and all
    return list(csv.reader(io.StringIO(csv_text(history), newline="")))


def _live(cell: str) -> bool:
    """Would a spreadsheet run this cell? (It skips leading blanks and control characters.)"""
    if cell.startswith("'"):
        return False
    rest = cell.lstrip("".join(chr(c) for c in range(33)) + "\x7f\u00a0\u2028\u2029\ufeff")
    return rest.startswith(FORMULA_STARTS)


def test_a_name_starting_with_a_carriage_return_and_a_formula_stays_one_inert_cell() -> None:
    """The failing name from issue 13: CR, then =…, came out unquoted, and a spreadsheet
    read a new row that began with a live formula."""
    rows = _export("coffee", "\r=cmd|' /C calc'!A0", "Ada")
    assert len(rows) == 2 and len(rows[1]) == 7
    assert not any(_live(cell) for row in rows for cell in row)
    assert "calc" in rows[1][5]


@pytest.mark.parametrize(
    "typed",
    [
        "=1+1",
        " =1+1",
        "\t=cmd|' /C calc'!A0",
        "\n@SUM(A1)",
        "\x00\x1f-2+3",
        "\u00a0+1",
        "\ufeff=1",
        "＝1+1",
        "\r\n=1",
    ],
)
def test_every_cell_a_spreadsheet_could_run_is_neutralised(typed: str) -> None:
    rows = _export(typed, typed, "Ada")
    assert len(rows) == 2, "a line break inside a cell must not start a new row"
    assert not any(_live(cell) for row in rows for cell in row)
    assert rows[1][0].endswith(typed.lstrip("\r\n")[-3:])  # the text itself is kept


def test_ordinary_names_are_left_alone() -> None:
    rows = _export("coffee", "Ada Lovelace", "  Grace  ", "O'Brien")
    assert rows[1][0] == "coffee" and rows[1][5] == "Ada Lovelace;   Grace  ; O'Brien"
