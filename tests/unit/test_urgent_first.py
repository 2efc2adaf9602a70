"""Urgent work (a click Slack waits on, acknowledged once its answer is stored) goes
first: in SQLite's line of writers, past other units of work, and out of its turn as
soon as the answer is stored."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot import deadlines
from storage import priority
from storage.priority import PriorityLine


async def _holder(line: PriorityLine, name: str, log: list[str], *, urgent: bool) -> None:
    with priority.urgent() if urgent else _plain():
        await line.take()
    log.append(name)
    await asyncio.sleep(0)
    line.give_back()


class _plain:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        return None


async def test_an_urgent_writer_goes_before_the_writers_already_waiting() -> None:
    line, log = PriorityLine(1), []
    await line.take()  # someone is writing
    waiting = [
        asyncio.ensure_future(_holder(line, name, log, urgent=urgent))
        for name, urgent in (("report", False), ("signup", False), ("click", True))
    ]
    await asyncio.sleep(0)
    line.give_back()
    await asyncio.gather(*waiting)
    assert log == ["click", "report", "signup"]


async def test_a_writer_that_gives_up_waiting_leaves_the_line_working() -> None:
    line, log = PriorityLine(1), []
    await line.take()
    impatient = asyncio.ensure_future(_holder(line, "gave up", log, urgent=True))
    patient = asyncio.ensure_future(_holder(line, "waited", log, urgent=False))
    await asyncio.sleep(0)
    impatient.cancel()
    await asyncio.sleep(0)
    line.give_back()
    await patient
    assert log == ["waited"]
    assert line.free == 1  # and the place came back


async def test_other_units_of_work_wait_while_slack_waits_on_a_click() -> None:
    urgency, started = priority.urgency(), []

    async def report() -> None:
        await urgency.let_urgent_go_first()
        started.append("report")

    with urgency.running_one():
        waiting = asyncio.ensure_future(report())
        await asyncio.sleep(0.05)
        assert started == []
    await waiting
    assert started == ["report"]


async def test_nothing_waits_for_a_click_longer_than_the_limit() -> None:
    urgency = priority.urgency()
    with urgency.running_one():
        loop = asyncio.get_running_loop()
        began = loop.time()
        await urgency.let_urgent_go_first()
        assert priority.YIELD_SECONDS <= loop.time() - began < priority.YIELD_SECONDS + 0.5


async def test_a_click_gives_its_turn_back_once_its_answer_is_stored() -> None:
    """Redrawing the message waits on Slack's limits: it must not keep other clicks
    from their turn (held to the end, only URGENT_AT_ONCE clicks would be stored)."""
    stored: list[int] = []
    redrawn = asyncio.Event()

    async def click(number: int) -> None:
        async with deadlines.turn(urgent=True):
            deadlines.answer_stored()
            stored.append(number)
            await redrawn.wait()  # (Slack's limit on chat.update)

    clicks = [asyncio.ensure_future(click(n)) for n in range(2 * deadlines.URGENT_AT_ONCE)]
    await _until(lambda: len(stored) == len(clicks))
    redrawn.set()
    await asyncio.gather(*clicks)
    # every turn came back once, no more: exactly URGENT_AT_ONCE fit again
    inside = await _fill_turns(deadlines.URGENT_AT_ONCE + 1)
    assert inside == deadlines.URGENT_AT_ONCE


async def _until(condition: Callable[[], bool]) -> None:
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("never happened")


async def _fill_turns(count: int) -> int:
    inside, release = 0, asyncio.Event()

    async def hold() -> None:
        nonlocal inside
        async with deadlines.turn(urgent=True):
            inside += 1
            await release.wait()

    holders = [asyncio.ensure_future(hold()) for _ in range(count)]
    await asyncio.sleep(0.05)
    found = inside
    release.set()
    await asyncio.gather(*holders)
    return found
