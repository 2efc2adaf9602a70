"""Keeps one workspace's calls inside its platform's documented rate limits.

The limits come from the platform adapter (``bot.platform.RateLimits``): per neutral
operation for the workspace (Slack's tiers, Teams' per-app limits …) and per
conversation on top (one post per second per Slack channel, Teams' 7 per second per
conversation). A limit is "at most ``calls`` in any ``per``-second window", which is
the documented number itself and lets a small round go out in one burst.

A 429 pauses that operation for the whole workspace for ``Retry-After`` seconds.
Time is injected (``monotonic`` and ``sleep``) so tests run on a virtual clock.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

from bot.platform import Limit, Op, RateLimits

Sleep = Callable[[float], Awaitable[None]]
Monotonic = Callable[[], float]
__all__ = ["Limit", "Monotonic", "Pacer", "Pacers", "Sleep", "Window"]


class Window:
    """At most ``limit.calls`` starts in any ``limit.per`` seconds."""

    def __init__(self, limit: Limit) -> None:
        self.limit = limit
        self.starts: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more call fits (0 if it fits now)."""
        while self.starts and self.starts[0] <= now - self.limit.per:
            self.starts.popleft()
        if len(self.starts) < self.limit.calls:
            return 0.0
        return self.starts[0] + self.limit.per - now

    def take(self, now: float) -> None:
        self.starts.append(now)


class Pacer:
    """Rate limits of one workspace, shared by every delivery in the process."""

    def __init__(
        self,
        limits: RateLimits,
        *,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.limits = limits.per_workspace
        self.per_conversation = limits.per_conversation
        self.monotonic = monotonic
        self.sleep = sleep
        self._windows: dict[str, Window] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._paused_until: dict[Op, float] = {}
        self.calls: dict[Op, int] = {}
        self.waited = 0.0

    async def acquire(self, method: Op, conversation: str | None = None) -> None:
        """Wait until ``method`` (to ``conversation``) may be called, and count the call.

        A per-conversation slot is held while waiting for the workspace slot, so the
        conversation's window records when the call really goes out.
        """
        limit = self.per_conversation.get(method) if conversation is not None else None
        if limit is None:
            await self._take_method(method)
        else:
            key = f"{method}:{conversation}"
            window = self._windows.setdefault(key, Window(limit))
            async with self._locks.setdefault(key, asyncio.Lock()):
                await self._wait(lambda now: window.wait(now))
                await self._take_method(method)
                window.take(self.monotonic())
        self.calls[method] = self.calls.get(method, 0) + 1

    def pause(self, method: Op, seconds: float) -> None:
        """The platform said 429: no calls to ``method`` for ``seconds`` (Retry-After)."""
        until = self.monotonic() + max(seconds, 0.0)
        self._paused_until[method] = max(self._paused_until.get(method, 0.0), until)

    def paused_for(self, method: Op) -> float:
        return max(0.0, self._paused_until.get(method, 0.0) - self.monotonic())

    async def _take_method(self, method: Op) -> None:
        limit = self.limits.get(method)
        window = self._windows.setdefault(method, Window(limit)) if limit else None
        async with self._locks.setdefault(method, asyncio.Lock()):
            await self._wait(
                lambda now: max(window.wait(now) if window else 0.0, self.paused_for(method))
            )
            if window is not None:
                window.take(self.monotonic())

    async def _wait(self, delay_at: Callable[[float], float]) -> None:
        while True:
            delay = delay_at(self.monotonic())
            if delay <= 0:
                return
            self.waited += delay
            await self.sleep(delay)


class Pacers:
    """One pacer per workspace for the whole process (the clock, the worker, handlers)."""

    def __init__(self, factory: Callable[[RateLimits], Pacer] = Pacer) -> None:
        self._factory = factory
        self._pacers: dict[int, Pacer] = {}

    def for_workspace(self, workspace_id: int, limits: RateLimits) -> Pacer:
        """The workspace's pacer, made with its platform's ``limits`` on first use."""
        if workspace_id not in self._pacers:
            self._pacers[workspace_id] = self._factory(limits)
        return self._pacers[workspace_id]
