"""The pairing history as files a lead downloads: CSV (``mentorbot history --format csv``
and the dashboard) and JSON in the DESIGN.md shape (``ProgramHistory.to_json``).

CSV cells that a spreadsheet would read as a formula — a name whose first character
after any blanks and control characters is ``=``, ``+``, ``-``, ``@`` (or their
full-width forms), or that starts with a control character such as a tab or a carriage
return — are prefixed with ``'``, so opening an export never runs anything a person
typed into their profile. Rows end in CRLF (RFC 4180), so a field holding a carriage
return or a line feed is always quoted and stays one cell.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import TextIO

from bot.viewmodels import ProgramHistory

CSV_COLUMNS = ("program", "round", "created_at", "group", "members", "names", "outcome")
_FORMULA_START = frozenset("=+-@＝＋－＠")
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})  # controls, format marks, blanks


def write_csv(history: ProgramHistory, out: TextIO) -> None:
    """One row per group of every round, oldest round first."""
    # CRLF as the line end: the writer then quotes any field holding a CR or an LF.
    writer = csv.writer(out, lineterminator="\r\n")
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
    return "'" + text if _could_run(text) else text


def _could_run(text: str) -> bool:
    """A spreadsheet skips leading blanks and control characters before it looks for a
    formula; a leading control character (tab, CR …) is refused outright."""
    if not text:
        return False
    if unicodedata.category(text[0]) in ("Cc", "Cf"):
        return True
    for char in text:
        if char.isspace() or unicodedata.category(char) in _INVISIBLE:
            continue
        return char in _FORMULA_START
    return False
