"""The pacer keeps a platform's limits on a virtual clock: no test waits in real time."""

from __future__ import annotations

import asyncio
import random

import pytest

from bot.delivery.paced import PacedPlatform, backoff
from bot.delivery.pacer import Limit, Pacer
from bot.messages import Message
from bot.platform import Op, RateLimited, RateLimits, SentMessage, TransientError
from bot.slack.limits import SLACK_LIMITS


class Virtual:
    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def _max_in_any_window(starts: list[float], per: float) -> int:
    starts = sorted(starts)
    return max(sum(1 for t in starts if s <= t < s + per) for s in starts)


async def test_no_window_of_a_minute_sees_more_calls_than_the_tier_allows() -> None:
    time = Virtual()
    pacer = Pacer(RateLimits({Op.OPEN: Limit(50, 60)}), monotonic=time.monotonic, sleep=time.sleep)
    starts: list[float] = []

    async def call() -> None:
        await pacer.acquire(Op.OPEN)
        starts.append(time.now)

    await asyncio.gather(*(call() for _ in range(175)))
    assert _max_in_any_window(starts, 60) == 50
    assert 180 <= max(starts) < 181  # 175 calls: three full minutes of waiting


async def test_posts_to_one_channel_are_a_second_apart_and_other_channels_do_not_wait() -> None:
    time = Virtual()
    pacer = Pacer(
        RateLimits({Op.SEND: Limit(1000, 60)}, {Op.SEND: Limit(1, 1.0)}),
        monotonic=time.monotonic,
        sleep=time.sleep,
    )
    same: list[float] = []
    for _ in range(3):
        await pacer.acquire(Op.SEND, "C1")
        same.append(time.now)
    before = time.now
    await pacer.acquire(Op.SEND, "C2")
    assert same == [0.0, 1.0, 2.0] and time.now == before


async def test_a_429_pauses_that_method_for_retry_after_but_not_the_others() -> None:
    time = Virtual()
    pacer = Pacer(SLACK_LIMITS, monotonic=time.monotonic, sleep=time.sleep)
    pacer.pause(Op.PROFILE, 30)
    await pacer.acquire(Op.OPEN)
    assert time.now == 0
    await pacer.acquire(Op.PROFILE)
    assert time.now == 30


class Flaky:
    """Fails the first calls with the given errors, then works; counts posts."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.posts = 0
        self.opens = 0

    async def open_conversation(self, user_ids):
        self.opens += 1
        if self.errors:
            raise self.errors.pop(0)
        return "G1"

    async def send(self, channel, message, *, key=None):
        if self.errors:
            raise self.errors.pop(0)
        self.posts += 1
        return SentMessage(channel, "1.0")


async def test_rate_limited_calls_are_made_again_after_retry_after() -> None:
    time = Virtual()
    inner = Flaky(RateLimited("chat.postMessage", 7), RateLimited("chat.postMessage", 7))
    paced = PacedPlatform(inner, Pacer(SLACK_LIMITS, monotonic=time.monotonic, sleep=time.sleep))  # type: ignore[arg-type]
    await paced.send("C1", Message("hi"), key="k")
    assert inner.posts == 1 and time.now == pytest.approx(14)


async def test_a_server_error_on_a_post_is_not_repeated_blindly() -> None:
    time = Virtual()
    inner = Flaky(TransientError("chat.postMessage: HTTP 503"))
    paced = PacedPlatform(inner, Pacer(SLACK_LIMITS, monotonic=time.monotonic, sleep=time.sleep))  # type: ignore[arg-type]
    with pytest.raises(TransientError):
        await paced.send("C1", Message("hi"), key="k")
    assert inner.posts == 0


async def test_a_server_error_on_a_repeatable_call_is_retried_with_backoff() -> None:
    time = Virtual()
    inner = Flaky(TransientError("503"), TransientError("503"))
    paced = PacedPlatform(  # type: ignore[arg-type]
        inner, Pacer(SLACK_LIMITS, monotonic=time.monotonic, sleep=time.sleep), rng=random.Random(1)
    )
    assert await paced.open_conversation(["U1", "U2"]) == "G1"
    assert inner.opens == 3 and 0 < time.now < 3


def test_backoff_grows_exponentially_with_jitter_and_stays_under_the_cap() -> None:
    rng = random.Random(0)
    delays = [backoff(n, base=1, cap=30, rng=rng) for n in range(1, 12)]
    assert all(
        0.5 * min(30, 2 ** (n - 1)) <= d <= min(30, 2 ** (n - 1)) for n, d in enumerate(delays, 1)
    )
    assert max(delays) <= 30
