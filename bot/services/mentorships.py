"""A mentorship's term: check-ins, goal progress, the stalled nudge, ending early, and the
closing card with "continue for another term?".

``queue_due`` is what the clock runs (and ``mentorbot checkin run`` for a mentorship
program): for every active mentorship whose check-in is due it settles the previous one
(no meeting since → one more missed in a row; the second in a row queues a gentle nudge
to both, and leads see it as stalled) and queues the next; for every term that is over,
it queues the closing card to each. Every message goes through the outbox with a key of
its own, so running it twice (two clocks, a retry) sends nothing twice. A program on
hold gets no check-ins; its mentorships go on existing.

Clicks change a row with conditional updates (``UPDATE … WHERE state = …``) under the
row's lock, so two clicks at once, or a click on an ended mentorship, change it once —
and the person is told plainly what happened.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.builders import mentorship as build
from bot.builders.mentorship import Suggestion
from bot.builders.reasons import describe_all
from bot.delivery import keys
from bot.delivery.sender import to_people
from bot.errors import MentorbotError
from bot.kinds import KINDS
from bot.messages import Message
from bot.platform import SentMessage
from bot.services import planning
from bot.services.leads import require_lead
from bot.services.redraw import redraw
from bot.services.scope import Scope
from pairing.models import Role
from storage.records import (
    PROGRESS,
    STALLED_AFTER,
    GoalProgress,
    MentorshipRecord,
    PersonRecord,
    ProgramRecord,
)
from storage.repositories import NewMentorship
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
MENTORSHIP_KINDS = frozenset(
    {"m_checkin", "m_nudge", "m_ended", "m_closing", "m_suggest", "m_request", "m_start"}
)
DECLINED = "declined"  # end_reason of a request the mentor declined
LEFT = "left"  # end_reason when one side left the program or the company


class NotInMentorship(MentorbotError):
    def __init__(self) -> None:
        super().__init__("This is for the two people in this mentorship.")


class OnlyTheMentee(MentorbotError):
    def __init__(self) -> None:
        super().__init__("Only the mentee marks progress on their goals — thanks for checking!")


class NotActive(MentorbotError):
    def __init__(self, state: str) -> None:
        word = {"ended": "has ended", "completed": "is complete", "proposed": "hasn't started"}
        super().__init__(f"This mentorship {word.get(state, 'is not active')} — nothing changed.")


class AlreadyContinued(MentorbotError):
    def __init__(self) -> None:
        super().__init__(
            "You both chose another term, so this card is settled — nothing changed. "
            "Either of you can end the mentorship any time with `/mentor end`."
        )


@dataclass(frozen=True, slots=True)
class Queued:
    checkins: int = 0
    nudges: int = 0
    closings: int = 0
    ended: int = 0  # because one side left
    intakes: int = 0  # rounds formed for people who joined (``Term.on_join``)

    @property
    def anything(self) -> bool:
        return bool(self.checkins or self.nudges or self.closings or self.ended)


@dataclass(frozen=True, slots=True)
class Ended:
    mentorship: MentorshipRecord
    program: str
    changed: bool  # False: it had ended before, nothing changed


async def queue_due(scope: Scope) -> Queued:
    """Queue the check-ins, nudges and closing cards that are due now (once each)."""
    now = scope.clock()
    checkins = nudges = closings = 0
    left = await settle_departures(scope)
    async with scope.unit() as uow:
        due = await uow.mentorships.due_checkins(now=now)
        ending = await uow.mentorships.due_closing(now=now)
        programs = {p.id: p for p in await uow.programs.all()}
    for m in ending:
        program = programs.get(m.program_id)
        if program is None:
            continue
        async with scope.unit() as uow:
            locked = await uow.mentorships.lock(m.id)
            if locked is None or locked.state != "active" or locked.closing_sent_at is not None:
                continue
            for person in (locked.mentor, locked.mentee):
                message = build.closing(locked, program=program.name, user_id=person.user_id)
                closings += await uow.outbox.add(
                    key=keys.mentorship_closing(locked.id, locked.term, person.user_id),
                    kind="m_closing",
                    payload=to_people([person.user_id], message),
                    now=now,
                )
            await uow.mentorships.update(locked.id, now=now, closing_sent_at=now)
            await uow.commit()
    for m in due:
        program = programs.get(m.program_id)
        if program is None or not program.active:
            continue  # a program on hold pauses check-ins, not the relationship
        if m.ends_at is not None and m.ends_at <= now:
            continue  # its closing card is the last word
        sent = await _checkin(scope, program, m.id, now)
        checkins += sent[0]
        nudges += sent[1]
    if checkins or nudges or closings or left:
        log.info(
            "mentorships: %d check-ins, %d nudges, %d closing cards", checkins, nudges, closings
        )
        if scope.deliveries is not None:
            scope.deliveries.kick(scope.workspace)
    return Queued(checkins, nudges, closings, left)


async def settle_departures(scope: Scope) -> int:
    """Open mentorships where one side is gone — left the program, or the platform no
    longer knows them (left the company) — end now: nothing more is sent to them, the
    other gets a kind note and is back in the pool. Returns how many ended."""
    now = scope.clock()
    ended = 0
    async with scope.unit(read_only=True) as uow:
        programs = await uow.programs.all()
        candidates = []
        for program in programs:
            for m in await uow.mentorships.for_program(program.id, states=("active", "proposed")):
                gone = [
                    p
                    for p in (m.mentor, m.mentee)
                    if p.deleted
                    or (e := await uow.enrollments.get(program.id, p.id)) is None
                    or e.left_at is not None
                ]
                if gone:
                    candidates.append((program, m.id, gone[0].user_id))
    for program, mentorship_id, who in candidates:
        async with scope.unit() as uow:
            locked = await uow.mentorships.lock(mentorship_id)
            if locked is None or not locked.open:
                continue
            changed = await uow.mentorships.transition(
                locked.id,
                from_states=("active", "proposed"),
                now=now,
                state="ended",
                ended_at=now,
                ended_by=who,
                end_reason=LEFT,
                next_checkin_at=None,
            )
            if not changed:
                continue
            other = locked.other(who)
            if not other.deleted:
                note = build.left_note(locked, program=program.name, gone=who)
                await uow.outbox.add(
                    key=keys.mentorship_ended(locked.id, other.user_id),
                    kind="m_ended",
                    payload=to_people([other.user_id], note),
                    now=now,
                )
            await uow.commit()
            ended += 1
    if ended:
        log.info("mentorships: %d ended because someone left", ended)
    return ended


async def _checkin(
    scope: Scope, program: ProgramRecord, mentorship_id: int, now: datetime
) -> tuple[int, int]:
    term = KINDS.of(program).term(program)
    every = timedelta(weeks=term.checkin_every_weeks if term else 2)
    async with scope.unit() as uow:
        m = await uow.mentorships.lock(mentorship_id)
        if m is None or m.state != "active" or m.next_checkin_at is None or m.next_checkin_at > now:
            return 0, 0
        missed = m.missed_checkins
        if m.checkins > 0:  # settle the previous check-in
            missed = 0 if m.met_since_checkin else missed + 1
        number = m.checkins + 1
        nudged = 0
        await uow.mentorships.update(
            m.id,
            now=now,
            missed_checkins=missed,
            checkins=number,
            met_since_checkin=False,
            next_checkin_at=_next(m.next_checkin_at, every, now),
        )
        fresh = await uow.mentorships.get(m.id)
        assert fresh is not None
        users = [m.mentor.user_id, m.mentee.user_id]
        if missed == STALLED_AFTER:
            nudged = await uow.outbox.add(
                key=keys.mentorship_nudge(m.id, number),
                kind="m_nudge",
                payload=to_people(users, build.nudge(fresh, program=program.name)),
                now=now,
            )
        sent = await uow.outbox.add(
            key=keys.mentorship_checkin(m.id, number),
            kind="m_checkin",
            payload=to_people(users, build.checkin(fresh, program=program.name)),
            now=now,
        )
        await uow.commit()
    return int(sent), int(nudged)


def _next(due: datetime, every: timedelta, now: datetime) -> datetime:
    """The check-in after the one due at ``due``: on the same rhythm, unless that moment
    has passed too (the clock was down): then a full interval from now."""
    following = due + every
    return following if following > now else now + every


async def answer_meeting(
    scope: Scope, *, mentorship_id: int, user_id: str, met: bool, message: SentMessage | None
) -> MentorshipRecord:
    """ "We met" / "Not yet" on a check-in: a meeting since the last check-in resets the
    missed count (a stalled mentorship is going again)."""
    now = scope.clock()
    async with scope.unit() as uow:
        m, program = await _mine(uow, mentorship_id, user_id)
        if m.state != "active":
            raise NotActive(m.state)
        if met:
            await uow.mentorships.update(m.id, now=now, met_since_checkin=True, missed_checkins=0)
        else:
            await uow.mentorships.update(m.id, now=now, met_since_checkin=False)
        fresh = await uow.mentorships.get(m.id)
        assert fresh is not None
        await uow.commit()
    notice = None if met else "Not yet — no worries. A short call counts too."
    await _redraw(scope, message, build.checkin(fresh, program=program.name, notice=notice))
    return fresh


async def mark_goal(
    scope: Scope,
    *,
    mentorship_id: int,
    user_id: str,
    index: int,
    progress: str,
    message: SentMessage | None,
) -> MentorshipRecord:
    """The mentee marks progress on one of their goals."""
    now = scope.clock()
    if progress not in PROGRESS:
        raise NotInMentorship()
    async with scope.unit() as uow:
        m, program = await _mine(uow, mentorship_id, user_id)
        if m.side(user_id) != "mentee":
            raise OnlyTheMentee()
        if m.state != "active":
            raise NotActive(m.state)
        if not 0 <= index < len(m.goals):
            raise NotInMentorship()
        goals = list(m.goals)
        goals[index] = GoalProgress(goals[index].goal, progress)
        await uow.mentorships.set_goals(m.id, goals, now=now)
        fresh = await uow.mentorships.get(m.id)
        assert fresh is not None
        await uow.commit()
    await _redraw(scope, message, build.checkin(fresh, program=program.name))
    return fresh


async def open_mentorships(scope: Scope, user_id: str) -> list[MentorshipRecord]:
    async with scope.unit(read_only=True) as uow:
        person = await uow.people.by_user_id(user_id)
        if person is None:
            return []
        return await uow.mentorships.for_person(person.id, states=("active",))


async def end(
    scope: Scope,
    user_id: str,
    *,
    mentorship_id: int | None = None,
    reason: str | None = None,
) -> Ended | list[MentorshipRecord]:
    """End a mentorship early, privately. Without ``mentorship_id``: the person's only
    active mentorship — or, if they have several, the list to choose from. The other
    side gets a kind note (never the reason); both are back in the pool and never
    matched with each other again. Ending one that has ended changes nothing."""
    now = scope.clock()
    if mentorship_id is None:
        mine = await open_mentorships(scope, user_id)
        if len(mine) != 1:
            return mine
        mentorship_id = mine[0].id
    async with scope.unit() as uow:
        m, program = await _mine(uow, mentorship_id, user_id)
        changed = m.state == "active" and await uow.mentorships.transition(
            m.id,
            from_states=("active",),
            now=now,
            state="ended",
            ended_at=now,
            ended_by=user_id,
            end_reason=(reason or "").strip()[:500] or None,
            next_checkin_at=None,
        )
        if not changed:
            return Ended(m, program.name, changed=False)
        fresh = await uow.mentorships.get(m.id)
        assert fresh is not None
        other = fresh.other(user_id).user_id
        await uow.outbox.add(
            key=keys.mentorship_ended(m.id, other),
            kind="m_ended",
            payload=to_people(
                [other], build.ended_note(fresh, program=program.name, ended_by=user_id)
            ),
            now=now,
        )
        await uow.audit.add(
            actor=user_id,
            action="mentorship_ended",
            target=program.name,
            details={"mentorship": m.id},
            now=now,
        )
        await uow.commit()
    if scope.deliveries is not None:
        scope.deliveries.kick(scope.workspace)
    return Ended(fresh, program.name, changed=True)


async def answer_closing(
    scope: Scope,
    *,
    mentorship_id: int,
    user_id: str,
    field: str,
    value: str,
    message: SentMessage | None,
) -> MentorshipRecord:
    """One answer on the closing card. When both have said whether to continue: both yes
    → another term from the old end date; otherwise the mentorship completes."""
    now = scope.clock()
    async with scope.unit() as uow:
        m, program = await _mine(uow, mentorship_id, user_id)
        if m.state != "active":
            raise NotActive(m.state)
        if m.closing_sent_at is None:
            raise AlreadyContinued()
        closing = {t: {u: dict(a) for u, a in answers.items()} for t, answers in m.closing.items()}
        this_term = closing.setdefault(str(m.term), {})
        mine = this_term.setdefault(user_id, {})
        if field == "value" and value in build.RATINGS:
            mine["value"] = int(value)
        elif field == "outcome" and value in build.OUTCOMES:
            chosen = list(mine.get("outcomes") or [])
            mine["outcomes"] = (
                [o for o in chosen if o != value] if value in chosen else [*chosen, value]
            )
        elif field == "continue" and value in ("yes", "no"):
            mine["continue"] = value == "yes"
        else:
            raise NotInMentorship()
        values: dict[str, object] = {"closing": closing}
        both = [this_term.get(p.user_id, {}).get("continue") for p in (m.mentor, m.mentee)]
        if all(b is True for b in both):
            term = KINDS.of(program).term(program)
            weeks = timedelta(weeks=term.weeks if term else 12)
            every = timedelta(weeks=term.checkin_every_weeks if term else 2)
            values |= {
                "term": m.term + 1,
                "ends_at": (m.ends_at or now) + weeks,
                "next_checkin_at": now + every,
                "closing_sent_at": None,
                "missed_checkins": 0,
            }
            await uow.audit.add(
                actor="mentorbot",
                action="mentorship_closing",
                target=program.name,
                details={"mentorship": m.id, "term": m.term, "continued": True},
                now=now,
            )
        elif False in both and None not in both:
            values |= {"state": "completed", "ended_at": now, "next_checkin_at": None}
            await uow.audit.add(
                actor="mentorbot",
                action="mentorship_closing",
                target=program.name,
                details={"mentorship": m.id, "term": m.term, "continued": False},
                now=now,
            )
        changed = await uow.mentorships.transition(m.id, from_states=("active",), now=now, **values)
        if not changed:
            raise NotActive("completed")
        fresh = await uow.mentorships.get(m.id)
        assert fresh is not None
        await uow.commit()
    card = build.closing(fresh, program=program.name, user_id=user_id, term=m.term)
    await _redraw(scope, message, card)
    return fresh


async def _mine(
    uow: UnitOfWork, mentorship_id: int, user_id: str
) -> tuple[MentorshipRecord, ProgramRecord]:
    m = await uow.mentorships.lock(mentorship_id)
    if m is None or m.side(user_id) is None:
        raise NotInMentorship()
    program = await uow.programs.get(m.program_id)
    if program is None:
        raise NotInMentorship()
    return m, program


async def _redraw(scope: Scope, message: SentMessage | None, redrawn: Message) -> None:
    if message is not None:
        await redraw(scope.platform, message, redrawn)


# -- the mentee chooses ------------------------------------------------------------------


class NotAMentee(MentorbotError):
    def __init__(self, program: str) -> None:
        super().__init__(f"Only mentees waiting for a mentor in “{program}” can choose one.")


class AlreadyMatched(MentorbotError):
    def __init__(self, other: str, pending: bool) -> None:
        what = "asked" if pending else "have"
        super().__init__(
            f"You already {what} {other} as your mentor — one mentor at a time, so nothing "
            "changed. If it isn't working out, `/mentor end` ends it kindly."
            if not pending
            else f"You've already asked {other}; let's wait for their answer — nothing changed."
        )


class NotAgain(MentorbotError):
    def __init__(self, other: str) -> None:
        super().__init__(f"{other} was your mentor before; please choose someone new.")


class OnlyTheMentor(MentorbotError):
    def __init__(self) -> None:
        super().__init__("Only the mentor who was asked can answer this request.")


class AlreadyAnswered(MentorbotError):
    def __init__(self, state: str) -> None:
        word = "accepted" if state in ("active", "completed") else "answered"
        super().__init__(f"This request was already {word} — nothing changed.")


@dataclass(frozen=True, slots=True)
class Chosen:
    program: ProgramRecord
    mentor: PersonRecord
    taken: bool  # the mentor had no place left: ``instead`` are the next suggestions
    instead: tuple[Suggestion, ...] = ()


async def choose(scope: Scope, user_id: str, *, program_id: int, mentor: str) -> Chosen:
    """The mentee picks ``mentor`` from their suggestions: a proposed mentorship, and a
    request to the mentor. With both people's enrollments locked, a mentor whose last
    place was just taken (two mentees clicking at once) is not taken twice: the second
    mentee gets their next suggestions instead."""
    now = scope.clock()
    async with scope.unit() as uow:
        program = await uow.programs.get(program_id)
        if program is None:
            raise NotInMentorship()
        kind = KINDS.of(program)
        me = await uow.people.by_user_id(user_id)
        them = await uow.people.by_user_id(mentor)
        mine = await uow.enrollments.get(program.id, me.id) if me else None
        theirs = await uow.enrollments.get(program.id, them.id) if them else None
        if me is None or mine is None or mine.role is not Role.MENTEE or mine.left_at:
            raise NotAMentee(program.name)
        if them is None or theirs is None or theirs.role is not Role.MENTOR or theirs.left_at:
            raise NotInMentorship()
        await uow.mentorships.lock_people(program.id, [me.id, them.id])
        had = [
            m
            for m in await uow.mentorships.for_person(me.id)
            if m.program_id == program.id and m.mentee.id == me.id
        ]
        current = next((m for m in had if m.open), None)
        if current is not None:
            other = current.mentor.real_name or current.mentor.display_name
            raise AlreadyMatched(other, pending=current.state == "proposed")
        if any(m.mentor.id == them.id for m in had):
            raise NotAgain(them.real_name or them.display_name)
        capacity = theirs.capacity or kind.default_capacity(program)
        if await uow.mentorships.open_places_taken(program.id, them.id) >= capacity:
            instead = await planning.suggestions_for(uow, program, user_id, now)
            return Chosen(program, them, taken=True, instead=tuple(instead))
        fits = await planning.suggestions_for(uow, program, user_id, now)
        reasons = next((s.reasons for s in fits if s.mentor.id == them.id), ())
        m = await uow.mentorships.create(
            NewMentorship(
                program_id=program.id,
                mentor_id=them.id,
                mentee_id=me.id,
                state="proposed",
                decided_by="mentee",
                goals=mine.goals,
            ),
            now=now,
        )
        why = describe_all(reasons, [them, me], now)
        await uow.outbox.add(
            key=keys.mentorship_request(m.id),
            kind="m_request",
            payload=to_people([mentor], build.request(m, program=program.name, reasons=why)),
            now=now,
        )
        await uow.commit()
    if scope.deliveries is not None:
        scope.deliveries.kick(scope.workspace)
    return Chosen(program, them, taken=False)


async def _settle_proposal(
    uow: UnitOfWork,
    m: MentorshipRecord,
    program: ProgramRecord,
    user_id: str,
    *,
    start: bool,
    now: datetime,
) -> bool:
    """A proposal answered: the term starts (``start``) or it ends as declined. False if
    it was answered already (the row is no longer proposed)."""
    await uow.mentorships.lock_people(program.id, [m.mentor.id, m.mentee.id])
    if not start:
        return await uow.mentorships.transition(
            m.id,
            from_states=("proposed",),
            now=now,
            state="ended",
            ended_at=now,
            ended_by=user_id,
            end_reason=DECLINED,
        )
    term = KINDS.of(program).term(program)
    weeks = term.weeks if term else 12
    every = term.checkin_every_weeks if term else 2
    return await uow.mentorships.transition(
        m.id,
        from_states=("proposed",),
        now=now,
        state="active",
        started_at=now,
        ends_at=now + timedelta(weeks=weeks),
        next_checkin_at=now + timedelta(weeks=every),
    )


async def answer_request(
    scope: Scope, *, mentorship_id: int, user_id: str, accept: bool, message: SentMessage | None
) -> MentorshipRecord:
    """The mentor accepts (the term starts; both are introduced) or declines (the mentee
    gets their next suggestions). Answering twice changes nothing."""
    now = scope.clock()
    async with scope.unit() as uow:
        m = await uow.mentorships.lock(mentorship_id)
        if m is None:
            raise NotInMentorship()
        if m.mentor.user_id != user_id:
            raise OnlyTheMentor()
        program = await uow.programs.get(m.program_id)
        assert program is not None
        if not await _settle_proposal(uow, m, program, user_id, start=accept, now=now):
            raise AlreadyAnswered(m.state)
        fresh = await uow.mentorships.get(m.id)
        assert fresh is not None
        both = [m.mentor.user_id, m.mentee.user_id]
        if accept:
            started = build.started(fresh, program=program.name, decided="you chose each other")
            await uow.outbox.add(
                key=keys.mentorship_start(m.id),
                kind="m_start",
                payload=to_people(both, started),
                now=now,
            )
        else:
            instead = await planning.suggestions_for(uow, program, m.mentee.user_id, now)
            mentor_name = m.mentor.real_name or m.mentor.display_name
            note = build.suggestions(
                instead,
                program=program,
                day=now,
                intro=f"{mentor_name} can't take on a mentee right now — no hard feelings.",
            )
            await uow.outbox.add(
                key=keys.mentorship_declined(m.id),
                kind="m_suggest",
                payload=to_people([m.mentee.user_id], note),
                now=now,
            )
        await uow.commit()
    if scope.deliveries is not None:
        scope.deliveries.kick(scope.workspace)
    await _redraw(scope, message, build.request_answered(fresh, program=program.name))
    return fresh


# -- a lead decides ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decided:
    program: str
    mentorship: MentorshipRecord
    replaced_by: MentorshipRecord | None = None  # "another": the next proposal, if any


async def lead_decides(scope: Scope, user_id: str, *, mentorship_id: int, confirm: bool) -> Decided:
    """A lead confirms the engine's proposal (the term starts, both are introduced) or
    asks for another (the mentee's next best mentor is proposed instead; the passed-over
    pair is not proposed again). Deciding twice changes nothing."""
    await require_lead(scope, user_id)
    now = scope.clock()
    async with scope.unit() as uow:
        m = await uow.mentorships.lock(mentorship_id)
        if m is None or m.decided_by != "lead":
            raise NotInMentorship()
        program = await uow.programs.get(m.program_id)
        assert program is not None
        if not await _settle_proposal(uow, m, program, user_id, start=confirm, now=now):
            raise AlreadyAnswered(m.state)
        fresh = await uow.mentorships.get(m.id)
        assert fresh is not None
        replaced = None
        if confirm:
            started = build.started(
                fresh, program=program.name, decided="matched by a program lead"
            )
            await uow.outbox.add(
                key=keys.mentorship_start(m.id),
                kind="m_start",
                payload=to_people([m.mentor.user_id, m.mentee.user_id], started),
                now=now,
            )
        else:
            nexts = await planning.suggestions_for(uow, program, m.mentee.user_id, now)
            if nexts:
                enrollment = await uow.enrollments.get(program.id, m.mentee.id)
                replaced = await uow.mentorships.create(
                    NewMentorship(
                        program_id=program.id,
                        mentor_id=nexts[0].mentor.id,
                        mentee_id=m.mentee.id,
                        state="proposed",
                        decided_by="lead",
                        goals=enrollment.goals if enrollment else (),
                    ),
                    now=now,
                )
        await uow.audit.add(
            actor=user_id,
            action="mentorship_confirmed" if confirm else "mentorship_passed_over",
            target=program.name,
            details={"mentorship": m.id},
            now=now,
        )
        await uow.commit()
    if scope.deliveries is not None:
        scope.deliveries.kick(scope.workspace)
    return Decided(program.name, fresh, replaced)
