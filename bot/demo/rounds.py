"""Rounds and check-ins, exactly as ``mentorbot round run`` and ``checkin run`` do them,
and the check-in buttons clicked as people click them (signed ``block_actions``).

Everything is decided by the demo's seed: each round's matcher seed, and who answers
their check-in how ("we met", "couldn't make it", "not yet", or no answer at all).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.builders import checkin as buttons
from bot.delivery import keys
from bot.demo.stage import DemoError, Stage
from bot.services.checkins import CHECKIN_KINDS, queue_checkins
from bot.services.delivery import DeliveryReport
from bot.services.rounds import SEED_BITS, FormedRound, form_round
from bot.slack.simulator.workspace import PostedMessage
from storage.records import GroupRecord, RoundRecord
from storage.repositories.outbox import SENT

Progress = Callable[[int, int], None]
# How people answer "did you meet?": a button, or (None) no answer at all.
ANSWERS: tuple[tuple[str | None, float], ...] = (
    (buttons.MET, 0.64),
    (buttons.COULD_NOT, 0.12),
    (buttons.NOT_YET, 0.08),
    (None, 0.16),
)
# After "we met", each member may say what came of it and whether it was worth it.
FOLLOW_UP_SHARE = 0.7
CAME_OF: tuple[tuple[str, float], ...] = (
    ("came_of_learned", 0.28),
    ("came_of_career", 0.12),
    ("came_of_idea", 0.18),
    ("came_of_collaborate", 0.12),
    ("came_of_friend", 0.2),
    ("came_of_nothing", 0.1),
)
RATING_SHARE = 0.6
WORTH_IT: tuple[tuple[str, float], ...] = (
    ("worth_it_1", 0.04),
    ("worth_it_2", 0.08),
    ("worth_it_3", 0.2),
    ("worth_it_4", 0.36),
    ("worth_it_5", 0.32),
)
CONCURRENT_CLICKS = 6
REDRAW_WAIT = 30.0  # seconds for the app to redraw every clicked check-in


@dataclass(frozen=True, slots=True)
class Delivered:
    formed: FormedRound
    round: RoundRecord  # as stored after delivery (conversations filled in)
    report: DeliveryReport


@dataclass(frozen=True, slots=True)
class Click:
    user_id: str
    action_id: str  # one of the check-in buttons
    group: GroupRecord
    message: PostedMessage  # the check-in, as the simulated Slack holds it


@dataclass(frozen=True, slots=True)
class CheckinTally:
    asked: int
    clicks: tuple[Click, ...]
    pause_questions: int
    follow_ups: int = 0  # people who said what came of their meeting

    def count(self, action_id: str) -> int:
        return sum(1 for c in self.clicks if c.action_id == action_id)

    @property
    def silent(self) -> int:
        return self.asked - len(self.clicks)


def round_seed(seed: int, program: str, number: int) -> int:
    """The matcher's seed for one round of the demo (stored with the round, as always)."""
    return random.Random(f"{seed}:{program}:{number}").getrandbits(SEED_BITS)


async def run_round(
    stage: Stage, program: str, number: int, seed: int, progress: Progress
) -> Delivered:
    """``mentorbot round run PROGRAM --seed …``: form the round, deliver it, report."""
    scope, service = stage.scope, stage.core.deliveries
    formed = await form_round(scope, program, seed=round_seed(seed, program, number))
    report = await _watched(
        stage, formed.round.id, service.deliver_round(scope.workspace, formed.round.id), progress
    )
    if not report.delivered:
        raise DemoError(f"round {formed.round.number} of {program} was not fully delivered")
    async with scope.unit(read_only=True) as uow:
        stored = await uow.rounds.get(formed.round.id)
    assert stored is not None
    return Delivered(formed, stored, report)


async def check_in(stage: Stage, program: str, seed: int, progress: Progress) -> CheckinTally:
    """``mentorbot checkin run PROGRAM``, then the people in each group answer (or not)."""
    scope = stage.scope
    queued = await queue_checkins(scope, program)
    report = await stage.core.deliveries.deliver_round(
        scope.workspace, queued.round.id, kinds=CHECKIN_KINDS
    )
    if not report.delivered:
        raise DemoError(f"the check-ins of {program} were not all delivered")
    async with scope.unit(read_only=True) as uow:
        record = await uow.rounds.get(queued.round.id)
    assert record is not None
    rng = random.Random(f"{seed}:checkins:{program}:{record.number}")
    choices, weights = zip(*ANSWERS, strict=True)
    clicks: list[Click] = []
    for group in sorted(record.groups, key=lambda g: g.position):
        answer = rng.choices(choices, weights)[0]
        clicker = rng.choice(group.user_ids)
        message = posted(stage, group, keys.checkin(record.id, group.id))
        if answer is not None and message is not None:
            clicks.append(Click(clicker, answer, group, message))
    await _click_all(stage, clicks, progress)
    answered = await _follow_up(stage, clicks, rng, progress)
    return CheckinTally(queued.checkins, tuple(clicks), queued.pause_questions, answered)


async def _follow_up(
    stage: Stage, clicks: list[Click], rng: random.Random, progress: Progress
) -> int:
    """In each group that met, members tap what came of it (and how worth it it was),
    some of them — as the optional question is meant to be answered."""
    taps: list[Click] = []
    people: dict[int, set[str]] = {}
    options, weights = zip(*CAME_OF, strict=True)
    ratings, rating_weights = zip(*WORTH_IT, strict=True)
    for click in clicks:
        if click.action_id != buttons.MET:
            continue
        for user_id in click.group.user_ids:
            if rng.random() < FOLLOW_UP_SHARE:
                taps.append(
                    Click(user_id, rng.choices(options, weights)[0], click.group, click.message)
                )
                people.setdefault(click.group.id, set()).add(user_id)
                if rng.random() < RATING_SHARE:
                    rating = rng.choices(ratings, rating_weights)[0]
                    taps.append(Click(user_id, rating, click.group, click.message))
    gate = asyncio.Semaphore(CONCURRENT_CLICKS)

    async def tap(one: Click) -> None:
        async with gate:
            reply = await stage.driver.click(
                one.user_id,
                one.action_id,
                str(one.group.id),
                channel_id=one.message.channel,
                message_ts=one.message.ts,
                wait=0,
            )
        if reply.status != 200:
            raise DemoError(f"a follow-up click was refused: HTTP {reply.status}")

    await asyncio.gather(*(tap(t) for t in taps))
    expected = sum(len(users) for users in people.values())
    deadline = time.monotonic() + REDRAW_WAIT
    while True:  # the app acknowledges first, then records the answer
        async with stage.scope.unit(read_only=True) as uow:
            recorded = sum([await uow.feedback.answered(group_id) for group_id in people])
        progress(recorded, expected)
        if recorded >= expected:
            return recorded
        if time.monotonic() > deadline:
            raise DemoError(f"only {recorded} of {expected} follow-up answers were recorded")
        await asyncio.sleep(0.05)


async def _click_all(stage: Stage, clicks: list[Click], progress: Progress) -> None:
    gate = asyncio.Semaphore(CONCURRENT_CLICKS)

    async def click(one: Click) -> None:
        async with gate:
            reply = await stage.driver.click(
                one.user_id,
                one.action_id,
                str(one.group.id),
                channel_id=one.message.channel,
                message_ts=one.message.ts,
                wait=0,
            )
        if reply.status != 200:
            raise DemoError(f"a check-in click was refused: HTTP {reply.status} {reply.body[:200]}")

    await asyncio.gather(*(click(c) for c in clicks))
    # The app acknowledges first and then records the answer and redraws the message.
    deadline = time.monotonic() + REDRAW_WAIT
    while True:
        redrawn = sum(1 for c in clicks if c.message.updates > 0)
        progress(redrawn, len(clicks))
        if redrawn == len(clicks):
            return
        if time.monotonic() > deadline:
            raise DemoError(f"only {redrawn} of {len(clicks)} check-in clicks were recorded")
        await asyncio.sleep(0.02)


def posted(stage: Stage, group: GroupRecord, key: str) -> PostedMessage | None:
    """The message with outbox ``key`` in the group's conversation, as Slack holds it
    (the key travels in the message's metadata)."""
    for message in stage.simulator.workspace.messages_in(group.conversation_id or ""):
        if (message.metadata or {}).get("event_payload", {}).get("key") == key:
            return message
    return None


async def _watched(
    stage: Stage, round_id: int, delivering: Awaitable[DeliveryReport], progress: Progress
) -> DeliveryReport:
    """Await the delivery, drawing how many of the round's messages are out."""
    task = asyncio.ensure_future(delivering)
    try:
        while not task.done():
            async with stage.scope.unit(read_only=True) as uow:
                counts = await uow.outbox.counts(round_id)
            progress(counts.get(SENT, 0), sum(counts.values()))
            await asyncio.wait({task}, timeout=0.1)
        return task.result()
    finally:
        task.cancel()  # only matters when the demo itself is cancelled (Ctrl-C)
