"""Progress of a long delivery (``round run`` on 1,000 people takes minutes against the
platform's rate limits): a progress bar on a terminal (``rich``), and plain lines every
few seconds when the output goes to a pipe or a file — read from the outbox rows, so it
shows what is really sent, whichever process sends it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import IO, Any

log = logging.getLogger(__name__)
Counts = Callable[[], Awaitable[dict[str, int]]]
DONE_STATES = frozenset({"sent", "failed"})
TERMINAL_SECONDS = 0.5
PIPED_SECONDS = 10.0


def every() -> float | None:
    """``MENTORBOT_PROGRESS_SECONDS`` (seconds between plain lines; 0 turns them off)."""
    raw = os.environ.get("MENTORBOT_PROGRESS_SECONDS")
    if not raw:
        return None
    try:
        return max(float(raw), 0.0)
    except ValueError:
        return None


class Progress:
    """``async with Progress(counts, label):`` shows progress while the block runs."""

    def __init__(
        self,
        counts: Counts,
        label: str,
        *,
        stream: IO[str] | None = None,
        interval: float | None = None,
        terminal: bool | None = None,
    ) -> None:
        self.counts = counts
        self.label = label
        self.stream = stream or sys.stdout
        self.terminal = self.stream.isatty() if terminal is None else terminal
        chosen = interval if interval is not None else every()
        self.interval = (
            chosen if chosen is not None else TERMINAL_SECONDS if self.terminal else PIPED_SECONDS
        )
        self._task: asyncio.Task[None] | None = None
        self._bar: Any = None
        self._bar_task: Any = None
        self._last: tuple[int, int] | None = None

    async def __aenter__(self) -> Progress:
        if self.terminal:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            self._bar = Bar(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=self.stream, force_terminal=True),
                transient=False,
            )
            self._bar.start()
            self._bar_task = self._bar.add_task(self.label, total=None)
        if self.interval > 0:
            self._task = asyncio.create_task(self._watch())
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if exc_type is None:
            with contextlib.suppress(Exception):  # progress never fails the command
                await self.update()
        if self._bar is not None:
            self._bar.stop()

    async def update(self) -> tuple[int, int]:
        counts = await self.counts()
        total = sum(counts.values())
        done = sum(n for state, n in counts.items() if state in DONE_STATES)
        if self._bar is not None:
            self._bar.update(self._bar_task, completed=done, total=total or None)
        elif (done, total) != self._last:
            share = f" ({done * 100 // total}%)" if total else ""
            print(f"{self.label}: {done} of {total} messages sent{share}", file=self.stream)
            self.stream.flush()
        self._last = (done, total)
        return done, total

    async def _watch(self) -> None:
        while True:
            try:
                await self.update()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a busy database: try again at the next tick
                log.debug("progress: could not read the outbox: %s", exc)
            await asyncio.sleep(self.interval)
