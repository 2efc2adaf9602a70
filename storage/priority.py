"""Urgent work goes first: work that Slack is waiting on in the same request (a check-in
click, acknowledged once its answer is stored), so a burst of slower work (commands
answered later through a response_url) cannot hold it past Slack's 3 seconds.

``PriorityLine`` is SQLite's line of writers (``storage.writers``): an urgent writer
takes the next free place ahead of everyone already waiting; within a rank, first come,
first served. (The turns of people's requests, ``bot.deadlines``, give urgent work
places of its own instead.)

Whether the running work is urgent is a context variable (``urgent()``), so a unit of
work deep inside a use case inherits it from the request that started it. While Slack
waits on urgent work (``Urgency``), other units of work wait before they start, for at
most ``YIELD_SECONDS``: every unit costs the one event loop CPU, and the click should
not share it with a dozen reports.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_urgent: ContextVar[bool] = ContextVar("urgent", default=False)
YIELD_SECONDS = 0.5  # the longest other work waits for urgent work: nothing starves


@contextmanager
def urgent() -> Iterator[None]:
    """The work run inside (and the tasks it starts) goes to the front of every line."""
    token = _urgent.set(True)
    try:
        yield
    finally:
        _urgent.reset(token)


def is_urgent() -> bool:
    return _urgent.get()


class PriorityLine:
    """``size`` holders at a time; the rest wait, urgent ones first."""

    def __init__(self, size: int) -> None:
        self.free = size
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    async def take(self) -> None:
        if self.free > 0 and not self._waiting:
            self.free -= 1
            return
        place = asyncio.get_running_loop().create_future()
        rank = 0 if is_urgent() else 1
        heapq.heappush(self._waiting, (rank, next(self._order), place))
        try:
            await place
        except asyncio.CancelledError:
            if place.done() and not place.cancelled():  # handed over just as it was cancelled
                self.give_back()
            raise

    def give_back(self) -> None:
        while self._waiting:
            _, _, place = heapq.heappop(self._waiting)
            if not place.done():  # (a cancelled waiter has left the line)
                place.set_result(None)
                return
        self.free += 1


class Urgency:
    """How many requests Slack is waiting on (urgent work not done yet); other units of
    work wait for none to be."""

    def __init__(self) -> None:
        self.running = 0
        self._none = asyncio.Event()
        self._none.set()

    @contextmanager
    def running_one(self) -> Iterator[None]:
        self.running += 1
        self._none.clear()
        try:
            yield
        finally:
            self.running -= 1
            if not self.running:
                self._none.set()

    async def let_urgent_go_first(self) -> None:
        if self._none.is_set():
            return
        try:
            async with asyncio.timeout(YIELD_SECONDS):
                await self._none.wait()
        except TimeoutError:
            pass


_urgencies: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Urgency] = (
    weakref.WeakKeyDictionary()
)


def urgency() -> Urgency:
    """This event loop's count of urgent work."""
    loop = asyncio.get_running_loop()
    found = _urgencies.get(loop)
    if found is None:
        found = _urgencies[loop] = Urgency()
    return found
