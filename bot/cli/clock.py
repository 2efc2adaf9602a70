"""``mentorbot clock`` — the scheduler process: scheduled rounds and check-ins.

Run exactly one active copy; a second one idles behind a PostgreSQL advisory lock and
takes over if the first stops. It delivers the rounds it forms itself; a separate
``mentorbot worker`` is optional.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
from typing import Any

from bot.config import Settings


def add_to(commands: Any) -> None:
    clock = commands.add_parser("clock", help="run the scheduler (rounds and check-ins)")
    clock.set_defaults(handler=run_clock)


async def run_clock(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.context import core_for
    from bot.scheduler import Clock

    async with core_for(settings) as core:
        clock = Clock(core)
        await clock.start()
        try:
            await until_stopped()
        finally:
            await clock.stop()
    return 0


async def until_stopped() -> None:
    """Wait for SIGTERM or SIGINT (Ctrl-C)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
