"""Deadlines for work a person is waiting on.

``within(seconds, work)`` runs ``work`` and gives up on it after ``seconds``: the person
is answered at the deadline (``TookTooLong``), and the work is cancelled in the
background instead of being waited for — cleaning up after a database that stopped
answering can itself take as long again.

- ``ANSWER_SECONDS``: work answered later (a reply through the command's response_url,
  a modal filled in after "Loading…");
- ``SUBMIT_SECONDS``: work Slack waits for in the same request (a modal submission must
  be answered within its 3 seconds), counted from the request's arrival.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from bot.errors import MentorbotError

log = logging.getLogger(__name__)
T = TypeVar("T")

ANSWER_SECONDS = 10.0
SUBMIT_SECONDS = 2.5  # of Slack's 3, counted from the request's arrival
# Requests worked on at once; more wait their turn, and their deadline starts with it.
# Hundreds at once each progress so slowly that all finish late; a few dozen at a time
# finish in turn (and keep within the database's connections).
AT_ONCE = 16
_turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


class TookTooLong(MentorbotError):
    def __init__(self) -> None:
        super().__init__(
            "Sorry — that took too long and I gave up on it (something I depend on is not "
            "answering). It may not have gone through: please check, and try again in a minute."
        )


async def within(seconds: float, work: Callable[[], Awaitable[T]]) -> T:
    """``work()``'s result, or ``TookTooLong`` once ``seconds`` have passed."""
    task: asyncio.Future[T] = asyncio.ensure_future(work())
    try:
        done, _ = await asyncio.wait({task}, timeout=seconds)
    except asyncio.CancelledError:
        task.cancel()
        raise
    if not done:
        task.cancel()
        task.add_done_callback(_forget)
        log.warning("gave up on a request after %gs", seconds)
        raise TookTooLong()
    return task.result()


def _forget(task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.debug("abandoned work failed afterwards", exc_info=task.exception())


def turn() -> asyncio.Semaphore:
    """Hold it while working on a person's request (``AT_ONCE`` at a time)."""
    loop = asyncio.get_running_loop()
    found = _turns.get(loop)
    if found is None:
        found = _turns[loop] = asyncio.Semaphore(AT_ONCE)
    return found


# Set while a request waits for its answer to be stored before acknowledging (a
# check-in click): the use case says when it has committed, and what follows —
# redrawing the message — need not hold the acknowledgement.
_stored: ContextVar[asyncio.Event | None] = ContextVar("stored", default=None)


def answer_stored() -> None:
    """The answer the current request carries is committed (see ``watch_stored``)."""
    event = _stored.get()
    if event is not None:
        event.set()


def watch_stored(start: Callable[[], asyncio.Future[T]]) -> tuple[asyncio.Future[T], asyncio.Event]:
    """``start()`` (which makes a task) with an event that ``answer_stored`` sets in it."""
    event = asyncio.Event()
    token = _stored.set(event)
    try:
        return start(), event  # the task copies the context, and the event with it
    finally:
        _stored.reset(token)
