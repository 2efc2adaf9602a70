"""Keeps one workspace's calls inside Slack's documented rate limits.

Slack limits each Web API method per app per workspace: Tier 3 methods
(``conversations.open``, ``conversations.history``, ``chat.update``) 50+ calls a minute,
Tier 4 (``users.info``) 100+, Tier 2 (``users.list``) 20+; ``chat.postMessage`` about
one message per second per channel, with a workspace-wide limit on top (we take the
"1 per second" of Slack's overview table for that, which never slows a round down:
``conversations.open`` is the tighter limit). A limit here is "at most ``calls`` in any
``per``-second window", which is the documented number itself and lets a small round go
out in one burst.

A 429 pauses that method for the whole workspace for ``Retry-After`` seconds.
Time is injected (``monotonic`` and ``sleep``) so tests run on a virtual clock.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

Sleep = Callable[[float], Awaitable[None]]
Monotonic = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Limit:
    calls: int
    per: float  # seconds

    @property
    def per_minute(self) -> float:
        return self.calls * 60 / self.per


# Keyed by ChatPlatform operation (see bot.delivery.paced.METHODS for the Slack names).
SLACK_LIMITS: Mapping[str, Limit] = {
    "users.info": Limit(100, 60),  # Tier 4
    "users.list": Limit(20, 60),  # Tier 2
    "conversations.open": Limit(50, 60),  # Tier 3
    "conversations.history": Limit(50, 60),  # Tier 3 (see README for non-Marketplace apps)
    "chat.update": Limit(50, 60),  # Tier 3
    "chat.postMessage": Limit(60, 60),  # special: workspace-wide ceiling, 1/s
    "chat.postEphemeral": Limit(100, 60),  # Tier 4
    "views.publish": Limit(100, 60),  # Tier 4
}
PER_CHANNEL: Mapping[str, Limit] = {"chat.postMessage": Limit(1, 1.0)}


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
        limits: Mapping[str, Limit] = SLACK_LIMITS,
        per_channel: Mapping[str, Limit] = PER_CHANNEL,
        *,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.limits = limits
        self.per_channel = per_channel
        self.monotonic = monotonic
        self.sleep = sleep
        self._windows: dict[str, Window] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._paused_until: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.waited = 0.0

    async def acquire(self, method: str, channel: str | None = None) -> None:
        """Wait until ``method`` (to ``channel``) may be called, and count the call.

        A per-channel slot is held while waiting for the method's workspace slot, so
        the channel's window records when the call really goes out.
        """
        limit = self.per_channel.get(method) if channel is not None else None
        if limit is None:
            await self._take_method(method)
        else:
            key = f"{method}:{channel}"
            window = self._windows.setdefault(key, Window(limit))
            async with self._locks.setdefault(key, asyncio.Lock()):
                await self._wait(lambda now: window.wait(now))
                await self._take_method(method)
                window.take(self.monotonic())
        self.calls[method] = self.calls.get(method, 0) + 1

    def pause(self, method: str, seconds: float) -> None:
        """Slack said 429: no calls to ``method`` for ``seconds`` (Retry-After)."""
        until = self.monotonic() + max(seconds, 0.0)
        self._paused_until[method] = max(self._paused_until.get(method, 0.0), until)

    def paused_for(self, method: str) -> float:
        return max(0.0, self._paused_until.get(method, 0.0) - self.monotonic())

    async def _take_method(self, method: str) -> None:
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

    def __init__(self, factory: Callable[[], Pacer] = Pacer) -> None:
        self._factory = factory
        self._pacers: dict[int, Pacer] = {}

    def for_workspace(self, workspace_id: int) -> Pacer:
        if workspace_id not in self._pacers:
            self._pacers[workspace_id] = self._factory()
        return self._pacers[workspace_id]
