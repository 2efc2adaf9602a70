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
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractContextManager, asynccontextmanager, nullcontext
from contextvars import ContextVar
from typing import Any, TypeVar

from bot.errors import MentorbotError
from storage import priority

log = logging.getLogger(__name__)
T = TypeVar("T")

ANSWER_SECONDS = 10.0
# Of Slack's 3, counted from the request's arrival: the rest is for the way back to
# Slack and for a busy event loop (at 2.5 s a submission was answered in 3.06 s once).
SUBMIT_SECONDS = 2.0
# Requests worked on at once; more wait their turn, and their deadline starts with it.
# Hundreds at once each progress so slowly that all finish late; a few dozen at a time
# finish in turn (and keep within the database's connections). Urgent requests (a click
# Slack waits on) have places of their own: the others let them go first
# (``waited_on``), and must not hold the places the urgent ones wait for meanwhile. A
# click mostly waits for its batch (``bot.services.answer_batches``), holding no
# connection: many at once only make the batches larger.
AT_ONCE = 16
URGENT_AT_ONCE = 64
_turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[bool, asyncio.Semaphore]] = (
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


@asynccontextmanager
async def turn(*, urgent: bool = False) -> AsyncIterator[None]:
    """Hold it while working on a person's request (``AT_ONCE`` at a time). ``urgent``
    work (Slack waits for it in the request) has places of its own, and goes first in
    SQLite's line of writers (``storage.priority``)."""
    loop = asyncio.get_running_loop()
    turns = _turns.get(loop)
    if turns is None:
        turns = _turns[loop] = {
            False: asyncio.Semaphore(AT_ONCE),
            True: asyncio.Semaphore(URGENT_AT_ONCE),
        }
    place = turns[urgent]
    with priority.urgent() if urgent else nullcontext():
        await place.acquire()
        held = True

        def give_back() -> None:
            nonlocal held
            if held:
                held = False
                place.release()

        token = _turn_ends.set(give_back)
        try:
            yield
        finally:
            _turn_ends.reset(token)
            give_back()


def waited_on() -> AbstractContextManager[None]:
    """While Slack waits on the current request: other work lets it go first (units of
    work of other requests wait to start, ``storage.priority``)."""
    return priority.urgency().running_one()


# Set while a request waits for its answer to be stored before acknowledging (a
# check-in click): the use case says when it has committed, and what follows —
# redrawing the message — need not hold the acknowledgement.
_stored: ContextVar[asyncio.Event | None] = ContextVar("stored", default=None)
_turn_ends: ContextVar[Callable[[], None] | None] = ContextVar("turn_ends", default=None)


def answer_stored() -> None:
    """The answer the current request carries is committed (see ``watch_stored``). Its
    turn ends here too: what follows (redrawing the message) waits on Slack's limits,
    not for a place among the requests worked on."""
    event = _stored.get()
    if event is not None:
        event.set()
    give_back = _turn_ends.get()
    if give_back is not None:
        give_back()


def watch_stored(start: Callable[[], asyncio.Future[T]]) -> tuple[asyncio.Future[T], asyncio.Event]:
    """``start()`` (which makes a task) with an event that ``answer_stored`` sets in it."""
    event = asyncio.Event()
    token = _stored.set(event)
    try:
        return start(), event  # the task copies the context, and the event with it
    finally:
        _stored.reset(token)
