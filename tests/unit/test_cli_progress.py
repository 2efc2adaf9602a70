"""Progress of a long delivery: plain lines when piped (only when something moved), a
rich progress bar on a terminal, and the final count however short the run."""

from __future__ import annotations

import asyncio
import io

from bot.cli.progress import Progress


def _counts(states: list[dict[str, int]]):  # type: ignore[no-untyped-def]
    seen = iter(states)
    last: dict[str, int] = {}

    async def counts() -> dict[str, int]:
        nonlocal last
        last = next(seen, last)
        return last

    return counts


async def test_piped_output_gets_a_plain_line_each_time_the_count_moves() -> None:
    out = io.StringIO()
    states = [
        {"pending": 4},
        {"pending": 4},
        {"pending": 2, "sent": 2},
        {"sent": 3, "failed": 1},
    ]
    async with Progress(_counts(states), "Round 3", stream=out, interval=0.01, terminal=False):
        await asyncio.sleep(0.2)
    assert out.getvalue().splitlines() == [
        "Round 3: 0 of 4 messages sent (0%)",
        "Round 3: 2 of 4 messages sent (50%)",
        "Round 3: 4 of 4 messages sent (100%)",
    ]


async def test_a_run_shorter_than_one_tick_still_ends_with_the_final_count() -> None:
    out = io.StringIO()
    outbox = {"pending": 10}

    async def counts() -> dict[str, int]:
        return dict(outbox)

    async with Progress(counts, "Round 1", stream=out, interval=60, terminal=False):
        outbox = {"sent": 10}  # delivered at once
    assert out.getvalue().splitlines()[-1] == "Round 1: 10 of 10 messages sent (100%)"


async def test_a_terminal_gets_a_progress_bar() -> None:
    out = io.StringIO()
    states = [{"pending": 8}, {"pending": 4, "sent": 4}, {"sent": 8}]
    async with Progress(_counts(states), "Round 2", stream=out, interval=0.01, terminal=True):
        await asyncio.sleep(0.1)
    shown = out.getvalue()
    assert "Round 2" in shown and "8/8" in shown and "━" in shown
    assert "messages sent" not in shown  # no plain lines on a terminal
