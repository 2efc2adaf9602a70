"""The demo's terminal output: plain lines, and a progress line for the longer steps.

On a terminal the progress line is redrawn in place; into a pipe or a file only the
finished step is written, so captured output stays readable.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

BAR = 24


class Console:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self.live = self.stream.isatty()
        self.started = time.monotonic()
        self._drawn = 0

    def line(self, text: str = "") -> None:
        self._clear()
        self.stream.write(text + "\n")
        self.stream.flush()

    def lines(self, texts: list[str], indent: str = "") -> None:
        for text in texts:
            self.line(indent + text)

    def heading(self, text: str) -> None:
        self.line()
        self.line(text)

    def progress(self, label: str, done: int, total: int) -> None:
        """``label  ██████░░░░  12/40`` redrawn in place (terminals only)."""
        if not self.live:
            return
        filled = BAR * done // total if total else BAR
        text = f"  {label}  {'█' * filled}{'░' * (BAR - filled)}  {done}/{total}"
        self._clear()
        self.stream.write(text)
        self.stream.flush()
        self._drawn = len(text)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def _clear(self) -> None:
        if self._drawn:
            self.stream.write("\r" + " " * self._drawn + "\r")
            self._drawn = 0
