"""The pairing history as files a lead downloads: CSV (``mentorbot history --format csv``
and the dashboard) and JSON in the DESIGN.md shape (``ProgramHistory.to_json``).

CSV cells that a spreadsheet would read as a formula (a name starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) are prefixed with ``'``, so opening an export
never runs anything a person typed into their profile.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TextIO

from bot.viewmodels import ProgramHistory

CSV_COLUMNS = ("program", "round", "created_at", "group", "members", "names", "outcome")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_csv(history: ProgramHistory, out: TextIO) -> None:
    """One row per group of every round, oldest round first."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for round_ in history.rounds:
        for index, group in enumerate(round_.groups, start=1):
            writer.writerow(
                [
                    _cell(history.program),
                    round_.number,
                    round_.created_at.isoformat(),
                    index,
                    _cell(" ".join(group.members)),
                    _cell("; ".join(group.names)),
                    group.outcome or "",
                ]
            )


def csv_text(history: ProgramHistory) -> str:
    out = io.StringIO()
    write_csv(history, out)
    return out.getvalue()


def json_text(history: ProgramHistory) -> str:
    return json.dumps(history.to_json(), indent=2, ensure_ascii=False)


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text
