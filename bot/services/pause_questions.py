"""Check-ins ignored in a row, and the question whether to pause.

When a round's check-ins are queued, the previous check-in is settled: whoever never
answered it has ignored one more in a row, and at every third they get a direct message
asking whether they would like to pause (buttons: pause me / keep me in).
"""

from __future__ import annotations

from datetime import datetime

from bot.builders import checkin as build
from bot.deadlines import answer_stored
from bot.delivery import keys
from bot.delivery.sender import to_people
from bot.errors import MentorbotError
from bot.platform import SentMessage
from bot.services.redraw import redraw
from bot.services.scope import Scope
from storage.records import ProgramRecord, RoundRecord
from storage.uow import UnitOfWork

ASK_TO_PAUSE_EVERY = 3


class NotYourQuestion(MentorbotError):
    def __init__(self) -> None:
        super().__init__("This question was meant for someone else.")


async def settle_missed(
    uow: UnitOfWork,
    program: ProgramRecord,
    previous: RoundRecord,
    latest: RoundRecord,
    now: datetime,
) -> int:
    """Count the previous check-in as ignored by whoever never answered it."""
    answered = await uow.rounds.responders(previous.id)
    asked = 0
    for group in previous.groups:
        if group.conversation_id is None:
            continue
        for member in group.members:
            enrollment = await uow.enrollments.get(program.id, member.person.id)
            if enrollment is None or member.person.id in answered or enrollment.left_at:
                continue
            missed = enrollment.missed_checkins + 1
            await uow.enrollments.set_missed_checkins(enrollment.id, missed, now=now)
            if missed % ASK_TO_PAUSE_EVERY or not enrollment.is_active(now):
                continue
            question = build.pause_question(
                program=program.name, enrollment_id=enrollment.id, missed=missed
            )
            asked += await uow.outbox.add(
                key=keys.pause_question(latest.id, member.person.user_id),
                kind="pause_question",
                payload=to_people([member.person.user_id], question),
                now=now,
                round_id=latest.id,
            )
    return asked


async def answer_pause_question(
    scope: Scope,
    *,
    enrollment_id: int,
    user_id: str,
    pause: bool,
    message: SentMessage | None,
) -> bool:
    """Pause (until ``resume``) or keep the person in; True if they are paused now."""
    now = scope.clock()
    async with scope.unit() as uow:
        person = await uow.people.by_user_id(user_id)
        mine = await uow.enrollments.for_person(person.id) if person else []
        enrollment = next((e for e in mine if e.id == enrollment_id), None)
        if enrollment is None:
            raise NotYourQuestion()
        program = await uow.programs.get(enrollment.program_id)
        assert program is not None
        if pause:
            await uow.enrollments.pause(enrollment.id, until=None, now=now)
        await uow.enrollments.set_missed_checkins(enrollment.id, 0, now=now)
        await uow.commit()
    answer_stored()  # the click may be acknowledged: what is left is the redraw
    if message is not None:
        await redraw(
            scope.platform, message, build.pause_answered(program=program.name, paused=pause)
        )
    return pause
