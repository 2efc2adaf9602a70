"""What a formed round must send, as outbox rows queued in the round's own transaction.

- one introduction per group, to a conversation with exactly the group's members;
- a kind note to each member left without a group (not to a mentor no mentee needed);
- the announcement in the program channel, held until every introduction and note is
  done (delivery releases it), so the channel never announces what has not arrived.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from bot.builders.announcement import announcement, left_out_note
from bot.builders.intro import introduction
from bot.delivery import keys
from bot.delivery.sender import to_channel, to_people
from bot.kinds import left_out
from storage.records import EnrollmentRecord, ProgramRecord, RoundRecord
from storage.uow import UnitOfWork

HELD = datetime(9999, 1, 1, tzinfo=UTC)  # not_before of a row waiting for its release


async def queue_round(
    uow: UnitOfWork,
    program: ProgramRecord,
    stored: RoundRecord,
    enrollments: Sequence[EnrollmentRecord],
    *,
    now: datetime,
    quiet: frozenset[str] | None = None,
) -> None:
    """``quiet``: a round between the scheduled ones (people matched as they join): no
    announcement, and no note to those the round before left out already (they were
    told, and are first in line)."""
    by_user = {e.person.user_id: e for e in enrollments}
    for group in stored.groups:
        members = [
            by_user.get(m.person.user_id)
            or EnrollmentRecord(id=0, program_id=program.id, person=m.person, role=m.role)
            for m in group.members
        ]
        message = introduction(
            program=program,
            round_number=stored.number,
            members=members,
            reasons=group.reasons,
            seed=stored.seed,
            position=group.position,
            day=stored.slot,
        )
        await uow.outbox.add(
            key=keys.intro(stored.id, group.id),
            kind="intro",
            payload=to_people(group.user_ids, message),
            now=now,
            round_id=stored.id,
            group_id=group.id,
        )
    # Only someone waiting for a match gets a note (not, say, a mentor nobody needed).
    waiting = [lo for lo in stored.left_out if left_out(program, lo.reason).waiting]
    told = quiet or frozenset()
    for left in (lo for lo in waiting if lo.person.user_id not in told):
        note = left_out_note(program=program, round_number=stored.number, reason=left.reason)
        await uow.outbox.add(
            key=keys.left_out(stored.id, left.person.user_id),
            kind="left_out",
            payload=to_people([left.person.user_id], note),
            now=now,
            round_id=stored.id,
        )
    if program.channel_id and quiet is None:
        news = announcement(
            program=program,
            round_number=stored.number,
            groups=len(stored.groups),
            people=len({m.person.id for g in stored.groups for m in g.members}),
            left_out=len(waiting),
        )
        await uow.outbox.add(
            key=keys.announcement(stored.id),
            kind="announce",
            payload=to_channel(program.channel_id, news),
            now=now,
            round_id=stored.id,
            not_before=HELD,
        )
