"""Check-ins: "did you meet?" in each group's conversation, and what the answers change.

``queue_checkins`` puts one check-in per group of a delivered round in the outbox (once:
the round remembers it was queued). At the same moment the previous check-in is settled:
members who never answered it have ignored one more in a row, and at every third they
are asked, in a direct message with buttons, whether they would like to pause.

A click (``answer_checkin``) records the member's answer, sets the group's outcome
(``met`` / ``not_met``, which later rounds and the history read) and redraws the
check-in message in place. Clicking again changes nothing but the answer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.builders import checkin as build
from bot.deadlines import answer_stored
from bot.delivery import keys
from bot.delivery.sender import to_channel
from bot.errors import MentorbotError, UnknownProgram
from bot.platform import SentMessage
from bot.services.answer_batches import Click, batches_for
from bot.services.pause_questions import answer_pause_question, settle_missed
from bot.services.redraw import redraw
from bot.services.scope import Scope
from storage.records import GroupRecord, ProgramRecord, RoundRecord
from storage.uow import UnitOfWork

__all__ = [
    "CHECKIN_KINDS",
    "CheckinAnswer",
    "NotInGroup",
    "QueuedCheckins",
    "answer_checkin",
    "answer_follow_up",
    "answer_pause_question",
    "queue_checkins",
]
log = logging.getLogger(__name__)
CHECKIN_KINDS = frozenset({"checkin", "pause_question"})


class NoRoundYet(MentorbotError):
    def __init__(self, program: str) -> None:
        super().__init__(f"“{program}” has no round to check in on yet.")


class RoundStillDelivering(MentorbotError):
    def __init__(self, program: str, number: int) -> None:
        super().__init__(
            f"Round {number} of “{program}” is still being delivered; "
            f"finish it with `mentorbot round run {program}` first."
        )


class NotInGroup(MentorbotError):
    def __init__(self) -> None:
        super().__init__("This check-in is for the people in this match.")


@dataclass(frozen=True, slots=True)
class QueuedCheckins:
    program: ProgramRecord
    round: RoundRecord
    created: bool  # False: this round's check-ins were queued before
    checkins: int = 0
    pause_questions: int = 0


@dataclass(frozen=True, slots=True)
class CheckinAnswer:
    group_id: int
    answer: str
    outcome: str | None


async def queue_checkins(scope: Scope, program: str) -> QueuedCheckins:
    """Queue the check-ins of ``program``'s latest round (once)."""
    now = scope.clock()
    async with scope.unit() as uow:
        record = await uow.programs.by_name(program)
        if record is None:
            raise UnknownProgram(program)
        await uow.programs.lock(record.id)
        recent = await uow.rounds.recent(record.id, limit=None)
        if not recent:
            raise NoRoundYet(record.name)
        latest = recent[0]
        if not latest.delivered:
            raise RoundStillDelivering(record.name, latest.number)
        if latest.checkin_at is not None:
            return QueuedCheckins(record, latest, created=False)
        previous = next((r for r in recent[1:] if r.checkin_at is not None), None)
        questions = await settle_missed(uow, record, previous, latest, now) if previous else 0
        checkins = 0
        for group in latest.groups:
            if group.conversation_id is None:  # its introduction never went out
                continue
            message = build.checkin(
                program=record.name,
                round_number=latest.number,
                group_id=group.id,
                names=_names(group),
            )
            checkins += await uow.outbox.add(
                key=keys.checkin(latest.id, group.id),
                kind="checkin",
                payload=to_channel(group.conversation_id, message),
                now=now,
                round_id=latest.id,
                group_id=group.id,
            )
        await uow.rounds.mark_checkin_queued(latest.id, now=now)
        await uow.commit()
    log.info("round %d of %s: %d check-ins queued", latest.number, record.name, checkins)
    return QueuedCheckins(record, latest, True, checkins, questions)


async def answer_checkin(
    scope: Scope,
    *,
    group_id: int,
    user_id: str,
    answer: str,
    message: SentMessage | None,
) -> CheckinAnswer:
    """Record ``user_id``'s answer for the group and redraw the check-in message.

    The answer is stored with the other clicks of the moment (``answer_batches``)."""
    stored = await batches_for(scope).store(scope, Click(group_id, user_id, answer))
    if stored is None:
        raise NotInGroup()
    answer_stored()  # the click may be acknowledged: what is left is the redraw
    if message is not None:
        redrawn = build.checkin(
            program=stored.program.name,
            round_number=stored.round.number,
            group_id=group_id,
            names=_names(stored.group),
            answers=stored.answers,
            outcome=stored.outcome,
            feedback=stored.feedback,
        )
        await redraw(scope.platform, message, redrawn)
    return CheckinAnswer(group_id, answer, stored.outcome)


class NotMetYet(MentorbotError):
    def __init__(self) -> None:
        super().__init__("Tell me first that you met (“We met”), then what came of it.")


class NotAnAnswer(MentorbotError):
    def __init__(self) -> None:
        super().__init__("That answer isn't one of the choices.")


async def answer_follow_up(
    scope: Scope,
    *,
    group_id: int,
    user_id: str,
    message: SentMessage | None,
    came_of: str | None = None,
    rating: int | None = None,
) -> int:
    """Record what came of the meeting and/or how worth it it was for ``user_id`` (once
    per person per group: clicking again changes the answer) and redraw the check-in.
    Returns how many of the group have answered."""
    if came_of is not None and came_of not in {c for c, _ in build.CAME_OF.values()}:
        raise NotAnAnswer()
    if rating is not None and rating not in build.WORTH_IT.values():
        raise NotAnAnswer()
    now = scope.clock()
    async with scope.unit() as uow:
        round_, group = await _group(uow, group_id)
        member = next((m for m in group.members if m.person.user_id == user_id), None)
        if member is None:
            raise NotInGroup()
        if group.outcome != "met":
            raise NotMetYet()
        program = await uow.programs.get(round_.program_id)
        assert program is not None
        await uow.feedback.record(
            group_id, member.person.id, came_of=came_of, rating=rating, now=now
        )
        answered = await uow.feedback.answered(group_id)
        answers = await uow.rounds.answers(group_id)
        await uow.commit()
    answer_stored()  # the click may be acknowledged: what is left is the redraw
    if message is not None:
        redrawn = build.checkin(
            program=program.name,
            round_number=round_.number,
            group_id=group_id,
            names=_names(group),
            answers=answers,
            outcome=group.outcome,
            feedback=answered,
        )
        await redraw(scope.platform, message, redrawn)
    return answered


async def _group(uow: UnitOfWork, group_id: int) -> tuple[RoundRecord, GroupRecord]:
    """The group and its round's head (not the round's other groups)."""
    found = await uow.rounds.group(group_id)
    if found is None:
        raise NotInGroup()
    return found


def _names(group: GroupRecord) -> dict[str, str]:
    return {m.person.user_id: m.person.real_name or m.person.display_name for m in group.members}
