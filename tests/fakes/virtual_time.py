"""Virtual time for delivery tests: sleeping moves a FakeClock instead of waiting."""

from __future__ import annotations

import asyncio

from tests.fakes.clock import FakeClock


class VirtualTime:
    """``sleep`` advances ``clock``; ``monotonic`` reads it (pacer and outbox agree)."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.slept = 0.0

    async def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.clock.advance(seconds=seconds)
            self.slept += seconds
        await asyncio.sleep(0)

    def monotonic(self) -> float:
        return self.clock().timestamp()
