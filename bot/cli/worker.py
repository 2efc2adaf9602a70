"""``mentorbot worker`` — drains the delivery outbox of every workspace (1..N copies)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.clock import until_stopped
from bot.config import Settings


def add_to(commands: Any) -> None:
    worker = commands.add_parser("worker", help="deliver queued messages (scale-out)")
    worker.set_defaults(handler=run_worker)


async def run_worker(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.context import core_for
    from bot.delivery.worker import DeliveryWorker

    async with core_for(settings) as core:
        worker = DeliveryWorker(core)
        await worker.start()
        try:
            await until_stopped()
        finally:
            await worker.stop()
    return 0
